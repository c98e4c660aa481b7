"""Forced-aligner TextGrids (MFA, Charsiu, WebMAUS, FAVE, Praat's synthesizer) and MFA's
`--output_format json`: a word tier and a phone tier, per speaker.

Tier names, matched without regard to case:

| tool | words | phones |
|---|---|---|
| MFA, Charsiu | `words` | `phones` |
| MFA with several speakers | `<speaker> - words` | `<speaker> - phones` |
| FAVE-align | `<speaker> - word` | `<speaker> - phone` |
| WebMAUS / BAS MAUS | `ORT` or `ORT-MAU` | `MAU` (X-SAMPA) |
| Praat's SpeechSynthesizer | `word` | `phoneme` |

Silence and noise labels (`labels`: empty, `sil`, `sp`, `spn`, `[SIL]`, `<p:>`...) are rest,
neither words nor phones. English ARPAbet models write stress digits ("AH0"): they are
stripped, since the mouth does not show stress. IPA labels (MFA's `*_mfa` models, Praat) and
X-SAMPA (the MAU tier) are spelled as the nearest ARPAbet phone. Each phone belongs to the word
whose interval holds its midpoint.

Several speakers: livesync draws one mouth. The first speaker (in file order) is read unless
`Options.speaker` names another; "all" merges every speaker, which only works if they never
sound at once (a duet trading lines). The timeline's source names the speaker read and every
speaker the file holds, so `livesync import` can say which it took.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from livesync.errors import InputError
from livesync.formats import textgrid
from livesync.formats._common import EPS, Source, arpabet, build
from livesync.formats.labels import is_silent_word
from livesync.formats.spec import Format, Options
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.lipsync.visemes import ARPABET_TO_VISEME
from livesync.values import finite

Entry = tuple[float, float, str]
_KINDS = {
    "words": "words",
    "word": "words",
    "ort": "words",
    "ort-mau": "words",
    "phones": "phones",
    "phone": "phones",
    "phonemes": "phones",
    "phoneme": "phones",
    "mau": "phones",
}
_SPEAKER_TIER = re.compile(
    r"^(?P<speaker>.*\S)\s+-\s+(?P<kind>words?|phones?|phonemes?)$", re.IGNORECASE
)
ALL_SPEAKERS = "all"


def looks_like_json(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("tiers"), dict)


def parse_textgrid(text: str, source: Source, speaker: str | None = None) -> Timeline:
    grid = textgrid.parse(text, source)
    tiers = [(t.name, t.entries) for t in grid.tiers if t.kind == "IntervalTier"]
    return _timeline(tiers, grid.xmax, "mfa-textgrid", source, speaker)


def parse_json(data: dict[str, Any], source: Source, speaker: str | None = None) -> Timeline:
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
    return _timeline(tiers, duration, "mfa-json", source, speaker)


def _tier_kind(name: str) -> tuple[str, str, str] | None:
    """(speaker, "words" or "phones", alphabet) of a tier name; None for other tiers."""
    match = _SPEAKER_TIER.match(name.strip())
    if match:
        return match.group("speaker"), _KINDS[match.group("kind").lower()], "arpabet"
    key = name.strip().lower()
    if key in _KINDS:
        return "", _KINDS[key], "sampa" if key == "mau" else "arpabet"
    return None


def _timeline(
    tiers: Sequence[tuple[str, Sequence[Entry]]],
    duration: float,
    fmt: str,
    source: Source,
    speaker: str | None = None,
) -> Timeline:
    speakers: dict[str, dict[str, tuple[Sequence[Entry], str]]] = {}
    for name, entries in tiers:
        found = _tier_kind(name)
        if found is None:
            continue
        who, kind, alphabet = found
        _check_tier(name, entries, source)
        if alphabet == "sampa" and _all_arpabet(entries):
            alphabet = "arpabet"
        speakers.setdefault(who, {}).setdefault(kind, (entries, alphabet))
    if not speakers:
        names = ", ".join(repr(name) for name, _ in tiers[:6]) or "none"
        raise InputError(
            source,
            f"no 'words' or 'phones' tier (the file has {names}; aligners name them "
            "'words'/'phones', '<speaker> - words'/'<speaker> - phones', 'word'/'phone', "
            "'ORT'/'MAU' or 'word'/'phoneme')",
        )
    chosen = _pick(speakers, speaker, source)
    word_entries: list[Entry] = []
    phone_entries: list[tuple[float, float, str]] = []
    for who in chosen:
        words_tier, _ = speakers[who].get("words", ((), "arpabet"))
        phones_tier, alphabet = speakers[who].get("phones", ((), "arpabet"))
        word_entries += [e for e in words_tier if not is_silent_word(e[2])]
        for start, end, label in phones_tier:
            phone = arpabet(label, alphabet)
            if phone is not None:
                phone_entries.append((start, end, phone))
    if not word_entries and not phone_entries:
        raise InputError(
            source,
            f"no words or phones: the word and phone tiers of {_whose(chosen)} hold only "
            "empty intervals and silence",
        )
    word_entries.sort(key=lambda e: e[0])
    phone_entries.sort(key=lambda e: e[0])
    words = [Word(label.strip(), start, end) for start, end, label in word_entries]
    starts = [w.start for w in words if w.start is not None]
    phones: list[Phone] = []
    for start, end, label in phone_entries:
        k = bisect.bisect_right(starts, (start + end) / 2) - 1
        owner = words[k] if k >= 0 else None
        inside = owner is not None and owner.end is not None and (start + end) / 2 <= owner.end
        phones.append(Phone(label, start, end, k if inside else None))
    extra = {}
    if any(chosen):
        extra = {"speakers": ", ".join(chosen), "speakers_in_file": ", ".join(speakers)}
    return build(source, fmt, words=words, phones=phones, duration=duration, extra=extra)


def _whose(chosen: list[str]) -> str:
    named = [repr(name) for name in chosen if name]
    return f"speaker {', '.join(named)}" if named else "the file"


def _all_arpabet(entries: Sequence[Entry]) -> bool:
    """A MAU tier spelled in ARPAbet (upper case, as some converters write it), not the
    X-SAMPA WebMAUS writes: the two share letters (`S`, `N`, `T`) that are different sounds."""
    labels = [label.strip() for _, _, label in entries if arpabet(label) is not None]
    return bool(labels) and all(label.rstrip("012") in ARPABET_TO_VISEME for label in labels)


def _pick(
    speakers: dict[str, dict[str, tuple[Sequence[Entry], str]]],
    speaker: str | None,
    source: Source,
) -> list[str]:
    """The speakers to read: the first, the one named (any case), or all ("all")."""
    names = list(speakers)
    if speaker is None:
        return names[:1]
    if speaker.strip().lower() == ALL_SPEAKERS:
        if len(names) > 1 and _overlap(speakers):
            raise InputError(
                source,
                f"the speakers ({', '.join(names)}) sound at once: livesync draws one "
                "mouth, so pick one with --speaker NAME",
            )
        return names
    for name in names:
        if name.strip().lower() == speaker.strip().lower():
            return [name]
    held = ", ".join(repr(n) for n in names if n) or "one speaker with no name"
    raise InputError(source, f"no speaker {speaker!r} in the file (it holds {held})")


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


def _overlap(speakers: dict[str, dict[str, tuple[Sequence[Entry], str]]]) -> bool:
    """Do any two speakers sound at once (their non-silent words, or phones, intersect)?"""
    spans: list[tuple[float, float, str]] = []
    for speaker, kinds in speakers.items():
        entries, _ = kinds.get("words") or kinds.get("phones") or ((), "arpabet")
        spans += [(s, e, speaker) for s, e, label in entries if not is_silent_word(label)]
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
    read=lambda content, options: parse_json(content.data, content.source, options.speaker),
)
TEXTGRID = Format(
    "mfa-textgrid",
    detect=lambda content: content.kind == "text" and textgrid.looks_like(content.first_line),
    read=lambda content, options: _read_textgrid(content.text, content.source, options),
)


def _read_textgrid(text: str, source: Source, options: Options) -> Timeline:
    return parse_textgrid(text, source, options.speaker)
