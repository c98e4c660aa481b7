"""The canonical timeline: words and phones with absolute times, and O(log n) lookup.

Every importer (Gentle today; MFA, Rhubarb and the built-in aligner later) produces this one
type, and everything downstream (the mouth track, the HUD, exporters) reads only it. The JSON
form is versioned so files written today still load after the format grows.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.lipsync.visemes import Viseme, viseme_for_phone

FORMAT_KEY = "livesync_timeline"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Word:
    """A lyric word; `start`/`end` are None when the aligner could not find it in the audio."""

    text: str
    start: float | None
    end: float | None

    @property
    def aligned(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True, slots=True)
class Phone:
    """One ARPAbet phone (upper case, no stress digit) and the index of the word it belongs to."""

    phone: str
    start: float
    end: float
    word: int | None = None

    @property
    def viseme(self) -> Viseme:
        return viseme_for_phone(self.phone)


@dataclass(frozen=True, slots=True)
class Cue:
    """A mouth shape chosen by another tool (Rhubarb, Moho, Polly visemes): no phones, just
    the viseme to show from `start` to `end`."""

    viseme: Viseme
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Lookup:
    """What is being sung at one instant; `progress` is 0..1 through the current phone."""

    word: Word | None
    phone: Phone | None
    viseme: Viseme
    progress: float


@dataclass(frozen=True)
class Timeline:
    """Words and phones of a song, sorted by time, phones non-overlapping.

    Mouth-cue formats carry no phones; their shapes arrive as `cues` instead and drive the
    mouth directly (a timeline has phones or cues, rarely both).
    """

    words: tuple[Word, ...]
    phones: tuple[Phone, ...]
    duration: float
    source: dict[str, str] = field(default_factory=dict)
    transcript: str = ""
    cues: tuple[Cue, ...] = ()

    def __post_init__(self) -> None:
        # Lookup bisects on these; building them once keeps every query O(log n).
        object.__setattr__(self, "_starts", [p.start for p in self.phones])
        object.__setattr__(self, "_cue_starts", [c.start for c in self.cues])
        object.__setattr__(
            self,
            "_word_starts",
            [(w.start, i) for i, w in enumerate(self.words) if w.start is not None],
        )

    def lookup(self, t: float) -> Lookup:
        """The word and phone sounding at time t (seconds), or silence between them."""
        starts: list[float] = self._starts  # type: ignore[attr-defined]
        i = bisect.bisect_right(starts, t) - 1
        if i >= 0:
            phone = self.phones[i]
            if t < phone.end:
                length = phone.end - phone.start
                progress = (t - phone.start) / length if length > 0 else 1.0
                word = self.words[phone.word] if phone.word is not None else None
                return Lookup(word, phone, phone.viseme, progress)
        if self.cues:
            return self._lookup_cue(t)
        return Lookup(None, None, Viseme.SIL, 0.0)

    def _lookup_cue(self, t: float) -> Lookup:
        starts: list[float] = self._cue_starts  # type: ignore[attr-defined]
        i = bisect.bisect_right(starts, t) - 1
        if i < 0 or t >= self.cues[i].end:
            return Lookup(self.word_at(t), None, Viseme.SIL, 0.0)
        cue = self.cues[i]
        length = cue.end - cue.start
        progress = (t - cue.start) / length if length > 0 else 1.0
        return Lookup(self.word_at(t), None, cue.viseme, progress)

    def word_at(self, t: float) -> Word | None:
        """The aligned word sounding at t, if any (for cue timelines that also carry words)."""
        starts: list[tuple[float, int]] = self._word_starts  # type: ignore[attr-defined]
        k = bisect.bisect_right(starts, (t, len(self.words))) - 1
        if k < 0:
            return None
        word = self.words[starts[k][1]]
        return word if word.end is not None and t < word.end else None

    def aligned_words(self) -> list[Word]:
        return [w for w in self.words if w.aligned]

    def to_json(self) -> dict[str, Any]:
        return {
            FORMAT_KEY: FORMAT_VERSION,
            "source": dict(self.source),
            "duration": round(self.duration, 6),
            "transcript": self.transcript,
            "words": [
                {"word": w.text, "start": _r(w.start), "end": _r(w.end), "aligned": w.aligned}
                for w in self.words
            ],
            "phones": [
                {"phone": p.phone, "start": _r(p.start), "end": _r(p.end), "word": p.word}
                for p in self.phones
            ],
            **(
                {
                    "cues": [
                        {"viseme": c.viseme.value, "start": _r(c.start), "end": _r(c.end)}
                        for c in self.cues
                    ]
                }
                if self.cues
                else {}
            ),
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def validate(timeline: Timeline, source: str | Path | None) -> Timeline:
    """Reject timelines that would make the mouth jump backwards or freeze: one clear error."""
    prev_end = -math.inf
    for i, p in enumerate(timeline.phones):
        if not (math.isfinite(p.start) and math.isfinite(p.end)):
            raise InputError(source, f"phone {i} ({p.phone}) has a time that is not a number")
        if p.start < 0 or p.end < p.start:
            raise InputError(
                source,
                f"phone {i} ({p.phone}) has a negative duration or time "
                f"(start {p.start:.3f}, end {p.end:.3f})",
            )
        if p.start < prev_end - 1e-6:
            raise InputError(
                source,
                f"phone {i} ({p.phone}) starts at {p.start:.3f} s, before the previous "
                f"phone ends ({prev_end:.3f} s): phones must be in order and not overlap",
            )
        if p.word is not None and not 0 <= p.word < len(timeline.words):
            raise InputError(source, f"phone {i} refers to word {p.word}, which does not exist")
        prev_end = p.end
    for i, w in enumerate(timeline.words):
        if any(x is not None and not math.isfinite(x) for x in (w.start, w.end)):
            raise InputError(source, f"word {i} ({w.text!r}) has a time that is not a number")
        if w.start is not None and w.end is not None and w.end < w.start:
            raise InputError(source, f"word {i} ({w.text!r}) ends before it starts")
    prev_end = -math.inf
    for i, c in enumerate(timeline.cues):
        if not (math.isfinite(c.start) and math.isfinite(c.end)) or c.start < 0 or c.end < c.start:
            raise InputError(
                source,
                f"mouth cue {i} ({c.viseme.value}) has a bad time (start {c.start}, end {c.end})",
            )
        if c.start < prev_end - 1e-6:
            raise InputError(
                source,
                f"mouth cue {i} starts at {c.start:.3f} s, before the "
                f"previous cue ends ({prev_end:.3f} s)",
            )
        prev_end = c.end
    return timeline


def from_json(data: Any, source: str | Path | None = None) -> Timeline:
    """Build a timeline from its canonical JSON form, naming the offending key on error."""
    if not isinstance(data, dict) or FORMAT_KEY not in data:
        raise InputError(source, f"not a livesync timeline (no '{FORMAT_KEY}' key)")
    version = data[FORMAT_KEY]
    if version != FORMAT_VERSION:
        raise InputError(
            source,
            f"timeline version {version!r} is not supported "
            f"(this livesync reads version {FORMAT_VERSION})",
        )
    try:
        words = tuple(
            Word(str(w["word"]), _opt_float(w.get("start")), _opt_float(w.get("end")))
            for w in _list(data, "words", source)
        )
        phones = tuple(
            Phone(
                str(p["phone"]).upper(),
                float(p["start"]),
                float(p["end"]),
                None if p.get("word") is None else int(p["word"]),
            )
            for p in _list(data, "phones", source)
        )
        duration = float(data.get("duration") or 0.0)
        cues = tuple(
            Cue(Viseme(str(c["viseme"])), float(c["start"]), float(c["end"]))
            for c in _list(data, "cues", source, required=False)
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(source, f"malformed word or phone entry ({exc!r})") from None
    raw_source = data.get("source")
    src = {str(k): str(v) for k, v in raw_source.items()} if isinstance(raw_source, dict) else {}
    end = max([p.end for p in phones] + [c.end for c in cues] + [0.0])
    timeline = Timeline(
        words, phones, max(duration, end), src, str(data.get("transcript", "")), cues
    )
    return validate(timeline, source)


def _list(
    data: dict[str, Any], key: str, source: str | Path | None, required: bool = True
) -> list[dict[str, Any]]:
    if not required and key not in data:
        return []
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(source, f"'{key}' must be a list of objects")
    return value


def _opt_float(x: Any) -> float | None:
    return None if x is None else float(x)


def dumps(timeline: Timeline) -> str:
    return json.dumps(timeline.to_json(), indent=1, allow_nan=False) + "\n"
