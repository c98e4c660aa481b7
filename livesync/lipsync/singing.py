"""The singing mouth: the speech mouth track, reshaped by how loud the vocal is.

Coarticulation rules alone make a singer look like they are talking: the jaw opens to the
same height on a whisper and a belted note, closes between phones in the middle of a held
vowel (aligners often cut a long note into a vowel and a gap), and keeps mouthing a word the
aligner stretched into an instrumental break. With the vocal's loudness envelope (the stem
when there is one, else the mix), this module changes three things, all decided once when
the track is built, so sampling stays a pure function of time:

- a vowel held longer than `held_vowel` opens with the smoothed, normalised loudness, down
  to `min_open` of its own pose when soft and up to `1 + peak_gain` times it on loud peaks;
- a short rest between sung phones (`bridge_gap`) holds the shape before it, unless the
  vocal stops there: the mouth stays open through the phrase;
- where the vocal is quiet for longer than `breath`, the mouth relaxes closed, whatever the
  timeline says.

Consonants, and P/B/M closures in particular, are the speech track's own, so they still close.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from livesync.lipsync.mouth import MouthSample, MouthTrack, Segment
from livesync.lipsync.timeline import Cue, Timeline
from livesync.lipsync.visemes import POSES, Viseme

Float64Array = npt.NDArray[np.float64]
Interval = tuple[float, float]
INF = math.inf


class MouthStyle(StrEnum):
    """`[character] style` in a show file: how the mouth follows the vocal."""

    SPEECH = "speech"
    SINGING = "singing"


class MouthSource(Protocol):
    """What the frame needs from a mouth: a sample at any time (MouthTrack and SingingMouth)."""

    def sample(self, t: float) -> MouthSample: ...


class LevelTable(Protocol):
    """The part of livesync.audio.analysis.Analysis read here (lipsync may not import audio):
    one loudness value per hop, hop n centred on n * hop seconds."""

    @property
    def hop(self) -> float: ...

    @property
    def level(self) -> npt.NDArray[Any]: ...


@dataclass(frozen=True, slots=True)
class SingingRules:
    """Thresholds in seconds and in normalised loudness (0 at the track's quiet floor, 1 at
    its loud singing). The defaults suit pop vocals analysed on a 10 ms hop."""

    held_vowel: float = 0.25  # a vowel at least this long is a held note
    bridge_gap: float = 0.6  # a rest shorter than this between sung phones is held over
    breath: float = 0.4  # quiet for longer than this is a break: the mouth closes
    quiet_level: float = 0.25  # loudness at or below this is quiet
    min_sound: float = 0.06  # sound shorter than this inside a quiet stretch is ignored
    break_delay: float = 0.05  # the mouth starts relaxing this long after the vocal stops
    floor_percentile: float = 10.0  # quiet floor: this percentile of the whole envelope
    loud_percentile: float = 80.0  # loud singing: this percentile while the timeline sings
    attack: float = 0.03  # time constant of the jaw following a rise in loudness
    release: float = 0.18  # ...and a fall, slower so it does not flutter between syllables
    min_open: float = 0.35  # a held note's opening when soft, as a fraction of its pose
    peak_gain: float = 0.3  # at most this much wider than its pose on loud peaks
    max_open: float = 1.0  # and never beyond this
    step: float = 0.01  # the loudness grid the smoothing runs on


@dataclass(frozen=True, eq=False)
class VocalEnvelope:
    """A vocal loudness envelope: `level` (any non-negative scale) at `times` (seconds,
    increasing). Outside its times there is no vocal."""

    times: Float64Array
    level: Float64Array

    def __post_init__(self) -> None:
        times = np.asarray(self.times, dtype=np.float64)
        level = np.asarray(self.level, dtype=np.float64)
        if times.ndim != 1 or level.shape != times.shape or times.size == 0:
            raise ValueError("a vocal envelope needs as many levels as times, at least one")
        if not (np.all(np.isfinite(times)) and np.all(np.isfinite(level))):
            raise ValueError("a vocal envelope's times and levels must be finite numbers")
        if np.any(np.diff(times) <= 0):
            raise ValueError("a vocal envelope's times must increase")
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "level", level)

    @classmethod
    def of_analysis(cls, table: LevelTable) -> VocalEnvelope:
        """The `level` table of an audio analysis (of the vocal stem, or of the mix)."""
        level = np.asarray(table.level, dtype=np.float64)
        return cls(np.arange(level.size, dtype=np.float64) * table.hop, level)


class SingingMouth:
    """A mouth for a sung vocal, with MouthTrack's `sample(t)`; built once from the speech
    track and the vocal envelope (None: no loudness, only the held-over rests)."""

    def __init__(
        self,
        speech: MouthTrack,
        vocal: VocalEnvelope | None,
        rules: SingingRules | None = None,
    ) -> None:
        self.speech = speech
        self.rules = rules or SingingRules()
        sung = [
            (s.start, s.end)
            for s in speech.segments
            if s.viseme is not Viseme.SIL and math.isfinite(s.start) and math.isfinite(s.end)
        ]
        self.loudness = Loudness.build(vocal, sung, self.rules) if vocal is not None else None
        self.breaks: tuple[Interval, ...] = self.loudness.breaks if self.loudness else ()
        targets = sung_segments(speech.segments, self.breaks, self.rules)
        # The blended targets; its shape changes are the ones a drawn mouth cross-fades.
        self.track = MouthTrack((), speech.rules, _as_cues(targets))
        self.segments: list[Segment] = self.track.segments
        self._starts = [s.start for s in self.segments]
        self._held = [
            s.viseme.is_vowel and s.duration >= self.rules.held_vowel for s in self.segments
        ]

    @classmethod
    def for_timeline(
        cls,
        timeline: Timeline,
        vocal: VocalEnvelope | None,
        rules: SingingRules | None = None,
    ) -> SingingMouth:
        return cls(MouthTrack.for_timeline(timeline), vocal, rules)

    def gain(self, t: float) -> float:
        """How far a held note opens at t, relative to its viseme's pose."""
        if self.loudness is None:
            return 1.0
        r = self.rules
        loud = min(self.loudness.at(t), 1.0 + r.peak_gain)
        return r.min_open + (1.0 - r.min_open) * loud

    def sample(self, t: float) -> MouthSample:
        base = self.track.sample(t)
        j = max(0, bisect.bisect_right(self._starts, t) - 1)
        seg = self.segments[j]
        # A cross-fade reaches at most halfway into a segment, so the viseme blended with
        # this segment's comes from the neighbour on t's side of its middle.
        other = j - 1 if t < (seg.start + seg.end) / 2 else j + 1
        gain = self.gain(t)
        delta = 0.0
        for viseme, weight in base.weights.items():
            k = j if viseme is seg.viseme else other
            if 0 <= k < len(self.segments) and self.segments[k].viseme is viseme and self._held[k]:
                shape = POSES[viseme].open
                delta += weight * (min(self.rules.max_open, shape * gain) - shape)
        if delta == 0.0:
            return base
        pose = replace(base.pose, open=min(1.0, max(0.0, base.pose.open + delta)))
        return MouthSample(base.weights, pose)


def mouth_for_style(
    speech: MouthTrack,
    style: MouthStyle,
    vocal: VocalEnvelope | None,
    rules: SingingRules | None = None,
) -> MouthTrack | SingingMouth:
    """The mouth a show's style asks for; speech is the track itself, unchanged."""
    if style is MouthStyle.SPEECH:
        return speech
    return SingingMouth(speech, vocal, rules)


@dataclass(frozen=True)
class Loudness:
    """The vocal's loudness on a regular grid, normalised to the song's own vocal range and
    smoothed, with the stretches where it is quiet for longer than a breath."""

    start: float
    step: float
    values: list[float]  # smoothed, 0 at the quiet floor, 1 at loud singing
    breaks: tuple[Interval, ...]

    @classmethod
    def build(cls, vocal: VocalEnvelope, sung: Sequence[Interval], rules: SingingRules) -> Loudness:
        step = rules.step
        t0 = float(vocal.times[0])
        count = math.floor((float(vocal.times[-1]) - t0) / step) + 1
        grid = t0 + step * np.arange(count, dtype=np.float64)
        raw = np.interp(grid, vocal.times, normalise(vocal, sung, rules))
        quiet = _fill_blips(raw <= rules.quiet_level, round(rules.min_sound / step))
        breaks = tuple(b for b in _quiet_runs(quiet, t0, step) if b[1] - b[0] > rules.breath)
        values = _attack_release(raw, step, rules.attack, rules.release)
        return cls(t0, step, values.tolist(), breaks)

    def at(self, t: float) -> float:
        """Linearly interpolated between grid points; 0 outside the envelope."""
        x = (t - self.start) / self.step
        i = math.floor(x)
        n = len(self.values)
        if i < 0 or i >= n:
            return 0.0
        j = i + 1 if i + 1 < n else i
        f = x - i
        return self.values[i] * (1.0 - f) + self.values[j] * f


def normalise(vocal: VocalEnvelope, sung: Sequence[Interval], rules: SingingRules) -> Float64Array:
    """Levels mapped so the track's quiet floor is 0 and its loud singing 1 (peaks above).

    The floor comes from the whole envelope (a stem is silent between phrases), the loud
    level from the times the timeline sings, so a long intro does not lower it. An envelope
    with no range at all (a constant) carries no information: it reads as loud everywhere.
    """
    level = vocal.level
    floor = float(np.percentile(level, rules.floor_percentile))
    singing = np.zeros(level.shape, dtype=bool)
    for start, end in sung:
        singing |= (vocal.times >= start) & (vocal.times < end)
    pool = level[singing] if np.count_nonzero(singing) >= 10 else level
    loud = float(np.percentile(pool, rules.loud_percentile))
    if loud - floor <= 1e-9:
        loud = float(np.max(level))
    if loud - floor <= 1e-9:
        return np.ones(level.shape, dtype=np.float64)
    result: Float64Array = np.clip((level - floor) / (loud - floor), 0.0, None)
    return result


def _attack_release(x: Float64Array, step: float, attack: float, release: float) -> Float64Array:
    up = 1.0 - math.exp(-step / attack) if attack > 0 else 1.0
    down = 1.0 - math.exp(-step / release) if release > 0 else 1.0
    out = np.empty_like(x)
    y = float(x[0]) if x.size else 0.0
    for i, v in enumerate(x.tolist()):
        y += (up if v > y else down) * (v - y)
        out[i] = y
    return out


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int, bool]]:
    """(first index, index after the last, value) of each run of equal values."""
    if mask.size == 0:
        return []
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    bounds = [0, *edges.tolist(), int(mask.size)]
    return [(a, b, bool(mask[a])) for a, b in itertools.pairwise(bounds)]


def _fill_blips(quiet: npt.NDArray[np.bool_], shortest: int) -> npt.NDArray[np.bool_]:
    """A click or a breath of bleed in a quiet stretch does not split it in two."""
    out = quiet.copy()
    runs = _runs(quiet)
    for k, (a, b, value) in enumerate(runs):
        if not value and 0 < k < len(runs) - 1 and b - a < shortest:
            out[a:b] = True
    return out


def _quiet_runs(quiet: npt.NDArray[np.bool_], t0: float, step: float) -> list[Interval]:
    """Quiet stretches as times; before and after the envelope there is no vocal at all."""
    runs = _runs(quiet)
    end_time = t0 + step * quiet.size
    out: list[Interval] = []
    for a, b, value in runs:
        if value:
            out.append(
                (-INF if a == 0 else t0 + a * step, INF if b == quiet.size else t0 + b * step)
            )
    if not runs or not runs[0][2]:
        out.insert(0, (-INF, t0))
    if not runs or not runs[-1][2]:
        out.append((end_time, INF))
    return out


def sung_segments(
    speech: Sequence[Segment], breaks: Sequence[Interval], rules: SingingRules
) -> list[Segment]:
    """The speech track's targets with short rests held over and the vocal's breaks closed."""
    segments = [Segment(s.viseme, s.start, s.end) for s in speech]
    segments = _bridge_rests(segments, breaks, rules)
    for start, end in breaks:
        segments = _paint_rest(segments, start + rules.break_delay, end)
    return _merge(segments)


def _bridge_rests(
    segments: list[Segment], breaks: Sequence[Interval], rules: SingingRules
) -> list[Segment]:
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        inner = 0 < i < len(segments) - 1
        if (
            inner
            and seg.viseme is Viseme.SIL
            and seg.duration < rules.bridge_gap
            and out
            and out[-1].viseme is not Viseme.SIL
            and not any(s < seg.end and e > seg.start for s, e in breaks)
        ):
            out[-1].end = seg.end  # the phrase goes on: hold the shape through the rest
            continue
        out.append(seg)
    return out


def _paint_rest(segments: list[Segment], start: float, end: float) -> list[Segment]:
    """Rest over [start, end), cutting whatever the timeline had there."""
    if end <= start:
        return segments
    out: list[Segment] = []
    placed = False
    for seg in segments:
        if seg.end <= start or seg.start >= end:
            if seg.start >= end and not placed:
                out.append(Segment(Viseme.SIL, start, end))
                placed = True
            out.append(seg)
            continue
        if seg.start < start:
            out.append(Segment(seg.viseme, seg.start, start))
        if not placed:
            out.append(Segment(Viseme.SIL, start, end))
            placed = True
        if seg.end > end:
            out.append(Segment(seg.viseme, end, seg.end))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if seg.end <= seg.start:
            continue
        if out and out[-1].viseme is seg.viseme:
            out[-1].end = seg.end
        else:
            out.append(seg)
    return out


def _as_cues(segments: Sequence[Segment]) -> list[Cue]:
    """Segments as mouth cues, so MouthTrack blends them exactly as it blends its own: the
    rest before the first and after the last shape is given a finite end, which the track's
    own rest then continues, rather than leaving it to add a second relax delay."""
    cues: list[Cue] = []
    for seg in segments:
        start = seg.start if math.isfinite(seg.start) else seg.end - 1.0
        end = seg.end if math.isfinite(seg.end) else start + 1.0
        if math.isfinite(start) and math.isfinite(end) and end > start:
            cues.append(Cue(seg.viseme, start, end))
    return cues
