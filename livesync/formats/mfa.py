"""Montreal Forced Aligner output: TextGrids (long or short form) and `--output_format json`.

MFA writes a `words` and a `phones` interval tier per file, or `<speaker> - words` and
`<speaker> - phones` per speaker when a file has several. Empty labels are silence (older
MFA versions also wrote "sil"/"sp", and "spn" for spoken noise on out-of-vocabulary words,
all treated as silence here). English ARPAbet models write stress digits ("AH0"): they are
stripped, since the mouth does not show stress. Each phone belongs to the word whose interval
holds its midpoint.

Several speakers: livesync draws one mouth. If the speakers never talk over each other (a duet
trading lines), all of them are merged into one timeline; if any of their words overlap, only
the first speaker (in file order) is read. The timeline's source names the speakers used.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from livesync.errors import InputError
from livesync.formats import textgrid
from livesync.formats._common import EPS, Source, arpabet, build
from livesync.formats.spec import Format
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.values import finite

Entry = tuple[float, float, str]
_SPEAKER_TIER = re.compile(r"^(?P<speaker>.*\S)\s+-\s+(?P<kind>words|phones)$", re.IGNORECASE)
_SILENT_WORDS = frozenset({"", "sil", "sp", "<eps>", "<sil>"})


def looks_like_json(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("tiers"), dict)


def parse_textgrid(text: str, source: Source) -> Timeline:
    grid = textgrid.parse(text, source)
    tiers = [(t.name, t.entries) for t in grid.tiers if t.kind == "IntervalTier"]
    return _timeline(tiers, grid.xmax, "mfa-textgrid", source)


def parse_json(data: dict[str, Any], source: Source) -> Timeline:
    tiers: list[tuple[str, tuple[Entry, ...]]] = []
    for name, tier in data["tiers"].items():
        where = f"tiers[{name!r}]"
        if not isinstance(tier, dict) or not isinstance(tier.get("entries"), list):
            raise InputError(source, f"{where} must be an object with an 'entries' list")
        if tier.get("type", "interval") != "interval":
            continue
        entries: list[Entry] = []
        for k, entry in enumerate(tier["entries"]):
            at = f"{where}.entries[{k}]"
            if not isinstance(entry, list) or len(entry) != 3 or not isinstance(entry[2], str):
                raise InputError(source, f"{at} must be [start, end, label]")
            entries.append(
                (
                    finite(entry[0], f"{at} start", source),
                    finite(entry[1], f"{at} end", source),
                    entry[2],
                )
            )
        tiers.append((str(name), tuple(entries)))
    end = data.get("end")
    duration = finite(end, "end", source) if end is not None else 0.0
    return _timeline(tiers, duration, "mfa-json", source)


def _timeline(
    tiers: Sequence[tuple[str, Sequence[Entry]]], duration: float, fmt: str, source: Source
) -> Timeline:
    speakers: dict[str, dict[str, Sequence[Entry]]] = {}
    for name, entries in tiers:
        match = _SPEAKER_TIER.match(name.strip())
        if match:
            speaker, kind = match.group("speaker"), match.group("kind").lower()
        elif name.strip().lower() in ("words", "phones"):
            speaker, kind = "", name.strip().lower()
        else:
            continue
        _check_tier(name, entries, source)
        speakers.setdefault(speaker, {}).setdefault(kind, entries)
    if not speakers:
        raise InputError(
            source,
            "no 'words' or 'phones' tier (MFA names them 'words' and "
            "'phones', or '<speaker> - words' and '<speaker> - phones')",
        )
    names = list(speakers)
    word_entries: list[Entry] = []
    phone_entries: list[Entry] = []
    chosen = names if len(names) == 1 or not _overlap(speakers) else names[:1]
    for speaker in chosen:
        word_entries += [
            e
            for e in speakers[speaker].get("words", ())
            if e[2].strip().lower() not in _SILENT_WORDS
        ]
        phone_entries += [
            e for e in speakers[speaker].get("phones", ()) if arpabet(e[2]) is not None
        ]
    word_entries.sort(key=lambda e: e[0])
    phone_entries.sort(key=lambda e: e[0])
    words = [Word(label.strip(), start, end) for start, end, label in word_entries]
    starts = [w.start for w in words if w.start is not None]
    phones: list[Phone] = []
    for start, end, label in phone_entries:
        k = bisect.bisect_right(starts, (start + end) / 2) - 1
        owner = words[k] if k >= 0 else None
        inside = owner is not None and owner.end is not None and (start + end) / 2 <= owner.end
        phones.append(Phone(arpabet(label) or "", start, end, k if inside else None))
    extra = {"speakers": ", ".join(chosen)} if any(chosen) else {}
    return build(source, fmt, words=words, phones=phones, duration=duration, extra=extra)


def _check_tier(name: str, entries: Sequence[Entry], source: Source) -> None:
    prev_end = 0.0
    for k, (start, end, _label) in enumerate(entries):
        where = f"tier {name!r} interval {k + 1}"
        if start < 0 or end < start:
            raise InputError(
                source,
                f"{where} has a bad time ({start} to {end}): times must "
                "not be negative and an interval must not end before it starts",
            )
        if start < prev_end - EPS:
            raise InputError(
                source,
                f"{where} starts at {start} s, before the previous "
                f"interval ends ({prev_end} s): intervals out of order",
            )
        prev_end = end


def _overlap(speakers: dict[str, dict[str, Sequence[Entry]]]) -> bool:
    """Do any two speakers sound at once (their non-silent words, or phones, intersect)?"""
    spans: list[tuple[float, float, str]] = []
    for speaker, kinds in speakers.items():
        entries = kinds.get("words") or kinds.get("phones") or ()
        spans += [
            (s, e, speaker)
            for s, e, label in entries
            if label.strip().lower() not in _SILENT_WORDS and arpabet(label) is not None
        ]
    spans.sort()
    latest, owner = -1.0, ""
    for start, end, speaker in spans:
        if speaker != owner and start < latest - EPS:
            return True
        if end > latest:
            latest, owner = end, speaker
    return False


JSON = Format(
    "mfa-json",
    detect=lambda content: looks_like_json(content.data),
    read=lambda content, _options: parse_json(content.data, content.source),
)
TEXTGRID = Format(
    "mfa-textgrid",
    detect=lambda content: content.kind == "text" and textgrid.looks_like(content.first_line),
    read=lambda content, _options: parse_textgrid(content.text, content.source),
)
