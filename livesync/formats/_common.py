"""Checks every importer shares, so each bad time or order becomes one InputError.

User files are full of strings where numbers belong, NaN, negative times and rows out of
order, and the contract is that nothing but `InputError` (naming file and line or key) ever
leaves `livesync.formats`. Numbers are read by `livesync.values` (`finite`, `parse_finite`,
`parse_whole`), the one reader every user file goes through, so a bad number is worded the
same in a timing file as in a show file. A time must also fall within a day
(`livesync.values.LONGEST_SONG`): `1e308` is finite, and a render to it never ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from livesync.errors import InputError
from livesync.formats.ipa import sampa_to_arpabet, to_arpabet
from livesync.formats.labels import is_silent_phone
from livesync.lipsync.timeline import Cue, Phone, Timeline, Word, validate
from livesync.lipsync.visemes import ARPABET_TO_VISEME, Viseme
from livesync.values import LONGEST_SONG, finite, parse_finite

Source = str | Path | None

# Tolerance for comparing times written with limited precision (Rhubarb writes 10 ms steps).
EPS = 1e-6
# Frames per second of a frame-based timing file (Moho, Papagayo), read or written: below 1 or
# above 1000 a frame grid is a typo (1e12 writes frame numbers no tool reads, 1e-300 times
# past the end of any song).
FRAME_RATES = (1.0, 1000.0)


def frame_rate(value: float, where: str, source: Source) -> float:
    """A frame rate given as a number (the command line's --fps), within FRAME_RATES."""
    low, high = FRAME_RATES
    return finite(value, where, source, minimum=low, maximum=high)


def parse_frame_rate(text: str, where: str, source: Source) -> float:
    """A frame rate written in a file, within FRAME_RATES."""
    low, high = FRAME_RATES
    return parse_finite(text, where, source, minimum=low, maximum=high)


def arpabet(label: str, alphabet: str = "arpabet") -> str | None:
    """An aligner's phone label as our canonical ARPAbet ('AH0' -> 'AH', IPA 'tʰ' -> 'T',
    X-SAMPA 'aI' -> 'AY' when `alphabet` is "sampa"); None for silence and noise.

    Silence is recognised on the label as written (`labels`), before any case folding: the
    phone `x` (IPA and pinyin, in MFA's Spanish, German, Russian and Mandarin models and in
    Charsiu) is a sound, and only mouth-shape formats have a rest shape called X."""
    if is_silent_phone(label):
        return None
    if alphabet == "sampa":
        found = sampa_to_arpabet(label)
        if found is not None:
            return found
    key = label.strip().upper().rstrip("0123456789")
    if key in ARPABET_TO_VISEME:
        return key
    return to_arpabet(label) or to_arpabet(label.strip().rstrip("0123456789")) or key or None


def cues_from_starts(
    starts: Sequence[tuple[float, Viseme, str]], end: float, source: Source
) -> list[Cue]:
    """Shapes given by start times only (Rhubarb TSV, Moho, Polly): each holds until the
    next starts, the last until `end`. `starts` carry a label for error messages."""
    cues: list[Cue] = []
    for i, (start, viseme, _where) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else max(end, start)
        if stop < start - EPS:
            raise InputError(
                source,
                f"{starts[i + 1][2]}: time {stop:.3f} s is before the "
                f"previous shape's time ({start:.3f} s): times must not go back",
            )
        if stop > start:
            cues.append(Cue(viseme, start, stop))
    return cues


def merge_cues(cues: Iterable[Cue], fill_to: float | None = None) -> list[Cue]:
    """Join equal neighbours and drop empty cues; with `fill_to`, gaps (and the stretch
    from 0 and up to `fill_to`) become rest, so the cues cover the whole song."""
    out: list[Cue] = []
    for cue in cues:
        if cue.end <= cue.start:
            continue
        prev_end = out[-1].end if out else 0.0
        if fill_to is not None and cue.start > prev_end + EPS:
            out = _append(out, Cue(Viseme.SIL, prev_end, cue.start))
        out = _append(out, cue)
    if fill_to is not None:
        last = out[-1].end if out else 0.0
        if fill_to > last + EPS:
            out = _append(out, Cue(Viseme.SIL, last, fill_to))
    return out


def _append(out: list[Cue], cue: Cue) -> list[Cue]:
    if out and out[-1].viseme is cue.viseme and abs(out[-1].end - cue.start) <= EPS:
        out[-1] = Cue(cue.viseme, out[-1].start, cue.end)
    else:
        out.append(cue)
    return out


def check_words(words: Sequence[Word], source: Source) -> None:
    """Aligned words must start in order: the timeline looks words up by bisection."""
    prev = -math.inf
    for i, w in enumerate(words):
        if w.start is None or w.end is None:
            continue
        if not (math.isfinite(w.start) and math.isfinite(w.end)) or w.start < 0:
            raise InputError(source, f"word {i} ({w.text!r}) has a bad time")
        if w.end < w.start:
            raise InputError(
                source,
                f"word {i} ({w.text!r}) ends before it starts ({w.start:.3f} s to {w.end:.3f} s)",
            )
        if w.start < prev - EPS:
            raise InputError(
                source,
                f"word {i} ({w.text!r}) starts at {w.start:.3f} s, "
                f"before the previous word ({prev:.3f} s): words out of order",
            )
        prev = w.start


def build(
    source: Source,
    fmt: str,
    *,
    words: Sequence[Word] = (),
    phones: Sequence[Phone] = (),
    cues: Sequence[Cue] = (),
    duration: float = 0.0,
    transcript: str | None = None,
    extra: dict[str, str] | None = None,
) -> Timeline:
    """The validated canonical timeline; the duration covers every word, phone and cue."""
    check_words(words, source)
    ends = (
        [w.end for w in words if w.end is not None]
        + [p.end for p in phones]
        + [c.end for c in cues]
    )
    total = max([duration, 0.0, *ends])
    if transcript is None:
        transcript = " ".join(w.text for w in words)
    meta = {"format": fmt, **(extra or {})}
    timeline = Timeline(tuple(words), tuple(phones), total, meta, transcript, tuple(cues))
    return check_span(validate(timeline, source), source)


def check_span(timeline: Timeline, source: Source) -> Timeline:
    """`timeline` if its duration and every time in it fall within a day; else one
    InputError naming the duration or the item that ends latest. Its own validation has
    found any time that is not finite or negative (a duration is not part of that)."""
    ends = (
        [(f"phone {i} ({p.phone})", p.end) for i, p in enumerate(timeline.phones)]
        + [(f"mouth cue {i} ({c.viseme.value})", c.end) for i, c in enumerate(timeline.cues)]
        + [
            (f"word {i} ({w.text[:20]!r})", w.end)
            for i, w in enumerate(timeline.words)
            if w.end is not None
        ]
    )
    what, end = max(ends, key=lambda item: item[1], default=("", 0.0))
    limit = f"a song's times are 0 to {LONGEST_SONG:g} s (a day)"
    if end > LONGEST_SONG:  # first: the duration covers it, and says less
        raise InputError(source, f"{what} ends at {end:g} s: {limit}")
    if not 0 <= timeline.duration <= LONGEST_SONG:  # NaN too
        raise InputError(source, f"the duration is {timeline.duration:g} s: {limit}")
    return timeline


def line_of(text: str, pos: int) -> int:
    """1-based line number of a character offset, for error messages."""
    return text.count("\n", 0, pos) + 1
