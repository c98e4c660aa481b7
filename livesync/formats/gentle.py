"""Gentle's JSON output, as its server really writes it.

Words carry `case` ("success" or "not-found-in-audio", the latter with no times); phones are
durations, in order, with position suffixes (_B begin, _I inside, _E end, _S single) that
start at the word's start time; unknown words align as `<unk>` with an "oov" phone.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.lipsync.timeline import Phone, Timeline, Word, validate

SUFFIXES = ("_B", "_I", "_E", "_S")
ROUNDING = 0.015


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


def parse(data: dict[str, Any], source: str | Path | None = None) -> Timeline:
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
        end = _time(entry, "end", i, source)
        index = len(words)
        words.append(Word(text, start, end))
        t = start
        raw_phones = entry.get("phones", [])
        if not isinstance(raw_phones, list):
            raise InputError(source, f"words[{i}].phones is not a list")
        for j, ph in enumerate(raw_phones):
            if not isinstance(ph, dict) or "phone" not in ph or "duration" not in ph:
                raise InputError(source, f"words[{i}].phones[{j}] needs 'phone' and 'duration'")
            duration = _number(ph["duration"], f"words[{i}].phones[{j}].duration", source)
            if duration < 0:
                raise InputError(source, f"words[{i}].phones[{j}] has a negative duration")
            # Gentle rounds each duration to 10 ms, so a word's phones can run a hair into the
            # next word: clamp that rounding instead of rejecting real output.
            begin = max(t, phones[-1].end) if phones and t > phones[-1].end - ROUNDING else t
            phones.append(
                Phone(strip_position(str(ph["phone"])), begin, max(begin, t + duration), index)
            )
            t += duration
    duration = max([w.end for w in words if w.end is not None] + [p.end for p in phones] + [0.0])
    transcript = str(data.get("transcript", ""))
    timeline = Timeline(tuple(words), tuple(phones), duration, {"format": "gentle"}, transcript)
    return validate(timeline, source)


def _time(entry: dict[str, Any], key: str, i: int, source: str | Path | None) -> float:
    if key not in entry:
        raise InputError(source, f"words[{i}] is aligned but has no '{key}'")
    return _number(entry[key], f"words[{i}].{key}", source)


def _number(value: Any, where: str, source: str | Path | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(source, f"{where} must be a number, got {value!r}")
    return float(value)
