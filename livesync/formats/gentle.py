"""Gentle's JSON output, as its server really writes it, read and written.

Words carry `case` ("success" or "not-found-in-audio", the latter with no times); phones are
durations, in order, with position suffixes (_B begin, _I inside, _E end, _S single) that
start at the word's start time; unknown words align as `<unk>` with an "oov" phone. Gentle
versions of 2015 also wrote `sil` phones inside a word (a pause the word's time spans): it is
read as a rest (SIL) and written back as `sil`, never folded into the phone before it.

A third case, "not-found-in-transcript", is something the recogniser heard that is not in
the transcript (39 of the 144 entries of Gentle's own test output `lucier_golden.json`). It
is not a lyric word, so it is kept out of the words, as Gentle's own CSV writer does; its
phones are kept, belonging to no word, since the voice is really sounding there and the
mouth should move (unless they overlap an aligned word's phones, when they are dropped).

Writing follows Gentle's own file (tests/data/forced-harvard-sentences-list30.json): keys
sorted, 2-space indent, character offsets into the transcript, and phones that fill their
word with no gaps (Gentle's phones are contiguous frames, so a word's end is its start plus
its durations). Times are written in milliseconds: Gentle's own are on a 10 ms frame grid,
and a millisecond keeps everything the built-in aligner resolves. `livesync align --format
gentle` and `livesync export --format gentle` both write through `write`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.formats._common import build
from livesync.formats.spec import Format, Options
from livesync.lipsync.mouth import Coarticulation
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.lipsync.visemes import SILENCE_PHONES
from livesync.values import describe, finite

SUFFIXES = ("_B", "_I", "_E", "_S")
NOT_IN_TRANSCRIPT = "not-found-in-transcript"
SIL = "SIL"
# A gap between a word's phones this long is written as a `sil` phone; a shorter one goes to
# the phone before it, as livesync's own mouth holds a shape through a pause shorter than
# `Coarticulation.short_gap` (a breath inside a phrase).
REST_GAP = Coarticulation().short_gap
ROUNDING = 0.015
_LETTERS = re.compile(r"[A-Za-z]+")
# Gentle turns typographic apostrophes into plain ones before it looks a word up.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})

Source = str | Path | None
PhoneSpan = tuple[str, float, float]  # phone, start, end


def looks_like(data: Any) -> bool:
    """Gentle's JSON: a "words" list (Gentle's server named it "tokens" for a while in
    November 2015, as its own test output `lucier_golden.json` of then shows)."""
    if not isinstance(data, dict):
        return False
    entries = _entries(data)
    return isinstance(entries, list) and (
        "transcript" in data or any(isinstance(w, dict) and "case" in w for w in entries)
    )


def _entries(data: dict[str, Any]) -> Any:
    return data["words"] if "words" in data else data.get("tokens")


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
    for i, entry in enumerate(_entries(data)):
        if not isinstance(entry, dict):
            raise InputError(source, f"words[{i}] is not an object")
        text = str(entry.get("word", entry.get("alignedWord", "")))
        case = entry.get("case", "success")
        if case == NOT_IN_TRANSCRIPT:
            _heard(entry, i, source, phones)
            continue
        if case != "success" or "start" not in entry:
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


def _heard(entry: dict[str, Any], i: int, source: Source, phones: list[Phone]) -> None:
    """The phones of a "not-found-in-transcript" entry, belonging to no word; dropped if
    they would overlap phones already read (Gentle writes such entries in time order, but
    its 2015 test output interleaves a few)."""
    raw = entry.get("phones", [])
    if "start" not in entry or not isinstance(raw, list) or not raw:
        return
    heard: list[Phone] = []
    _read_phones(raw, _time(entry, "start", i, source), None, f"words[{i}]", source, heard)
    if phones and heard[0].start < phones[-1].end - ROUNDING:
        return
    if phones and heard[0].start < phones[-1].end:
        heard[0] = Phone(heard[0].phone, phones[-1].end, max(phones[-1].end, heard[0].end))
    phones += heard


def _read_phones(
    raw: list[Any],
    start: float,
    index: int | None,
    where: str,
    source: Source,
    phones: list[Phone],
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


def write(timeline: Timeline, options: Options | None = None) -> str:
    """Gentle's JSON for `timeline`. Phones that belong to no word are left out, as Gentle
    has none; a word's phones fill it from its start (a gap between two phones goes to the
    one before it unless it is `REST_GAP` or longer, a late first phone starts at the word's
    start). A rest inside a word (a SIL phone, a long gap) is written as Gentle's own `sil`
    phone, so a pause stays a pause and is not held as the phone before it."""
    transcript = timeline.transcript or " ".join(w.text for w in timeline.words)
    searchable = transcript.translate(_APOSTROPHES)  # same length: offsets stay valid
    by_word: dict[int, list[PhoneSpan]] = {}
    for p in timeline.phones:
        if p.word is not None:
            name = SIL if p.phone.upper() in SILENCE_PHONES else p.phone
            spans = by_word.setdefault(p.word, [])
            if spans and p.start - spans[-1][2] >= REST_GAP:  # a rest another format left out
                spans.append((SIL, spans[-1][2], p.start))
            spans.append((name, p.start, p.end))
    words: list[dict[str, object]] = []
    cursor = 0
    for i, word in enumerate(timeline.words):
        entry: dict[str, object] = {"word": word.text}
        needle = word.text.translate(_APOSTROPHES)
        at = searchable.find(needle, cursor) if needle else -1
        if at >= 0:
            entry["startOffset"], entry["endOffset"] = at, at + len(needle)
            cursor = at + len(needle)
        if word.start is None or word.end is None:
            entry["case"] = "not-found-in-audio"
        else:
            phones = by_word.get(i, [])
            entry.update(
                case="success",
                start=_ms(word.start),
                end=_ms(word.end),
                alignedWord=_aligned_word(word.text, phones),
                phones=_durations(word.start, phones),
            )
        words.append(entry)
    return (
        json.dumps(
            {"transcript": transcript, "words": words}, indent=2, sort_keys=True, allow_nan=False
        )
        + "\n"
    )


def _ms(t: float) -> float:
    return round(t, 3)


def _aligned_word(text: str, phones: list[PhoneSpan]) -> str:
    """What Gentle looked up: the word in lower case without punctuation, `<unk>` if unknown."""
    if [p for p, _, _ in phones if p != SIL] == ["OOV"]:
        return "<unk>"
    lower = text.translate(_APOSTROPHES).lower()
    return "".join(ch for ch in lower if ch.isalnum() or ch == "'") or lower


def _durations(start: float, phones: list[PhoneSpan]) -> list[dict[str, object]]:
    """Each phone runs from its start (the word's, for the first) to the next phone's start
    (its own end, for the last). Durations are differences of rounded boundaries, so summed
    back from the word's start they land on the rounded times, not on accumulated error."""
    bounds = [_ms(start), *(_ms(b) for _, b, _ in phones[1:])]
    bounds.append(_ms(phones[-1][2]) if phones else bounds[0])
    out: list[dict[str, object]] = []
    sounds = [k for k, (name, _, _) in enumerate(phones) if name != SIL]
    for k, (name, _, _) in enumerate(phones):
        duration = _ms(max(0.0, bounds[k + 1] - bounds[k]))
        if name == SIL:  # Gentle writes its in-word pauses bare, without a position
            out.append({"duration": duration, "phone": "sil"})
            continue
        if len(sounds) == 1:
            suffix = "_S"
        else:
            suffix = "_B" if k == sounds[0] else "_E" if k == sounds[-1] else "_I"
        # Gentle's phones are letters (its reader refuses others): a label another aligner
        # wrote with digits or signs in it is written as Gentle writes a phone it lacks.
        label = name if _LETTERS.fullmatch(name) else "OOV"
        out.append({"duration": duration, "phone": label.lower() + suffix})
    return out


FORMAT = Format(
    "gentle",
    detect=lambda content: looks_like(content.data),
    read=lambda content, _options: parse(content.data, content.source),
    write=write,
)
