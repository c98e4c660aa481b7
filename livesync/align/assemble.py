"""Chunk results -> the canonical Timeline (pure). Writing it as Gentle JSON is the Gentle
format's job (`livesync.formats.gentle.write`), the same for aligned and imported timelines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from livesync.align.lyrics import LyricWord
from livesync.lipsync.timeline import Phone, Timeline, Word, validate


@dataclass(frozen=True, slots=True)
class TimedPhone:
    phone: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class WordResult:
    """A lyric word's alignment in absolute seconds (phones of all its tokens), or not found."""

    phones: tuple[TimedPhone, ...]

    @property
    def start(self) -> float:
        return self.phones[0].start

    @property
    def end(self) -> float:
        return self.phones[-1].end


def clean_phone(phone: str) -> str:
    """'ah0' -> 'AH': upper case ARPAbet without stress digits."""
    return phone.upper().rstrip("012")


def build_timeline(
    words: Sequence[LyricWord],
    results: Sequence[WordResult | None],
    duration: float,
    transcript: str,
    source: dict[str, str] | None = None,
) -> Timeline:
    """Words in lyric order; phones sorted, never overlapping (a phone that starts before the
    previous one ends is trimmed to start there; one left empty is dropped)."""
    out_words: list[Word] = []
    phones: list[Phone] = []
    prev_end = 0.0
    for i, (word, result) in enumerate(zip(words, results, strict=True)):
        kept: list[Phone] = []
        if result is not None:
            for p in result.phones:
                start = max(p.start, prev_end, 0.0)
                end = min(p.end, duration)
                if end - start <= 1e-6:
                    continue
                kept.append(Phone(clean_phone(p.phone), round(start, 6), round(end, 6), i))
                prev_end = end
        if kept:
            out_words.append(Word(word.text, kept[0].start, kept[-1].end))
            phones.extend(kept)
        else:
            out_words.append(Word(word.text, None, None))
    timeline = Timeline(
        tuple(out_words),
        tuple(phones),
        duration,
        dict(source or {"format": "livesync-align"}),
        transcript,
    )
    return validate(timeline, None)


def average_runs(runs: Sequence[Sequence[Sequence[TimedPhone]]]) -> list[list[TimedPhone]]:
    """Combine several alignments of the same tokens made with the audio shifted by a fraction
    of a frame: this gets below the 10 ms frame grid. A token whose phone sequences differ
    between runs (another pronunciation won) keeps the first run's timing."""
    first = runs[0]
    out: list[list[TimedPhone]] = []
    for k, token in enumerate(first):
        same = [
            run[k]
            for run in runs
            if len(run) > k and [p.phone for p in run[k]] == [p.phone for p in token]
        ]
        if len(same) < 2:
            out.append(list(token))
            continue
        out.append(
            [
                TimedPhone(
                    p.phone, _middle([r[j].start for r in same]), _middle([r[j].end for r in same])
                )
                for j, p in enumerate(token)
            ]
        )
    return out


def _middle(values: list[float]) -> float:
    """The mean of two runs; the median of three or more (one run that slid a word into the
    backing track is outvoted instead of averaged in)."""
    values = sorted(values)
    n = len(values)
    if n < 3:
        return sum(values) / n
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2
