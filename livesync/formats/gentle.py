"""Gentle's JSON output, as its server really writes it.

Words carry `case` ("success" or "not-found-in-audio", the latter with no times); phones are
durations, in order, with position suffixes (_B begin, _I inside, _E end, _S single) that
start at the word's start time; unknown words align as `<unk>` with an "oov" phone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.formats._common import build
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.values import describe, finite

SUFFIXES = ("_B", "_I", "_E", "_S")
ROUNDING = 0.015
_LETTERS = re.compile(r"[A-Za-z]+")

Source = str | Path | None


def looks_like(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("words"), list)
        and (
            "transcript" in data or any(isinstance(w, dict) and "case" in w for w in data["words"])
        )
    )


def strip_position(phone: str) -> str:
    """'dh_B' -> 'DH': the suffix says where in the word a phone sits, not what it is."""
    for suffix in SUFFIXES:
        if phone.upper().endswith(suffix):
            phone = phone[: -len(suffix)]
            break
    return phone.upper()


def phone_label(value: Any, where: str, source: Source) -> str:
    """A Gentle phone label as canonical ARPAbet: position suffix and any stress digit gone
    ('ah1_E' -> 'AH'). Gentle writes letters only (ARPAbet, or 'oov'): anything else, such
    as a number, is not a phone and is refused rather than shown as a mouth shape."""
    label = strip_position(value).rstrip("012") if isinstance(value, str) else ""
    if not _LETTERS.fullmatch(label):
        raise InputError(
            source, f"{where}: expected an ARPAbet phone such as 'dh_B', got {describe(value)}"
        )
    return label


def parse(data: dict[str, Any], source: Source = None) -> Timeline:
    words: list[Word] = []
    phones: list[Phone] = []
    for i, entry in enumerate(data["words"]):
        if not isinstance(entry, dict):
            raise InputError(source, f"words[{i}] is not an object")
        text = str(entry.get("word", entry.get("alignedWord", "")))
        if entry.get("case", "success") != "success" or "start" not in entry:
            words.append(Word(text, None, None))
            continue
        start = _time(entry, "start", i, source)
        words.append(Word(text, start, _time(entry, "end", i, source)))
        raw_phones = entry.get("phones", [])
        if not isinstance(raw_phones, list):
            raise InputError(source, f"words[{i}].phones is not a list")
        _read_phones(raw_phones, start, len(words) - 1, f"words[{i}]", source, phones)
    transcript = str(data.get("transcript", ""))
    return build(source, "gentle", words=words, phones=phones, transcript=transcript)


def _read_phones(
    raw: list[Any], start: float, index: int, where: str, source: Source, phones: list[Phone]
) -> None:
    """Append one word's phones, summing their durations from the word's start."""
    t = start
    for j, ph in enumerate(raw):
        at = f"{where}.phones[{j}]"
        if not isinstance(ph, dict) or "phone" not in ph or "duration" not in ph:
            raise InputError(source, f"{at} needs 'phone' and 'duration'")
        duration = finite(ph["duration"], f"{at}.duration", source, minimum=0)
        label = phone_label(ph["phone"], f"{at}.phone", source)
        # Gentle rounds each duration to 10 ms, so a word's phones can run a hair into the
        # next word: clamp that rounding instead of rejecting real output.
        begin = max(t, phones[-1].end) if phones and t > phones[-1].end - ROUNDING else t
        phones.append(Phone(label, begin, max(begin, t + duration), index))
        t += duration


def _time(entry: dict[str, Any], key: str, i: int, source: Source) -> float:
    if key not in entry:
        raise InputError(source, f"words[{i}] is aligned but has no '{key}'")
    return finite(entry[key], f"words[{i}].{key}", source, minimum=0)
