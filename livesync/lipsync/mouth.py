"""The mouth track: phones in, a continuously blended mouth pose out, sampled at any time.

Picking "the viseme of the current phone" makes a mouth that flickers on short consonants,
snaps between shapes and opens a frame late. Real mouths coarticulate, so the track applies
these rules when it is built (once, offline), and sampling is then a binary search:

- anticipation: the transition into a shape starts before its phone sounds (longer for vowels);
- closure: P/B/M are always seen fully closed, for at least `closure_hold`, however short;
- minimum hold: consonants shorter than `min_hold` are absorbed, short vowels are lengthened;
- pauses: gaps under `short_gap` hold the last shape, longer ones relax to rest;
- blending: shapes cross-fade with a smoothstep, so the pose is continuous at any frame rate.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from livesync.lipsync.timeline import Cue, Phone, Timeline
from livesync.lipsync.visemes import POSE_FIELDS, POSES, SILENCE_PHONES, MouthPose, Viseme

INF = math.inf


@dataclass(frozen=True, slots=True)
class Coarticulation:
    """Timing rules, in seconds. The defaults suit sung and spoken vocals at 24-120 fps."""

    anticipation_vowel: float = 0.08
    anticipation_consonant: float = 0.04
    release: float = 0.03
    min_hold: float = 0.06
    closure_hold: float = 0.05
    closure_release: float = 0.05
    short_gap: float = 0.3
    relax_delay: float = 0.08
    relax_time: float = 0.2


@dataclass(slots=True)
class Segment:
    """A stretch of time where one viseme is the target."""

    viseme: Viseme
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class MouthSample:
    """The mouth at one instant: blend weights over visemes (summing to 1) and the pose."""

    weights: dict[Viseme, float]
    pose: MouthPose

    @property
    def viseme(self) -> Viseme:
        return max(self.weights.items(), key=lambda kv: kv[1])[0]


@dataclass(frozen=True, slots=True)
class _Span:
    """Either a hold (a == b) or a cross-fade from viseme a to viseme b over [start, end)."""

    start: float
    end: float
    a: Viseme
    b: Viseme


def smoothstep(u: float) -> float:
    u = min(1.0, max(0.0, u))
    return u * u * (3.0 - 2.0 * u)


def blend_poses(weights: dict[Viseme, float]) -> MouthPose:
    values = [0.0] * len(POSE_FIELDS)
    for viseme, w in weights.items():
        for i, v in enumerate(POSES[viseme].as_tuple()):
            values[i] += w * v
    return MouthPose(*values)


class MouthTrack:
    """A mouth pose for any time t, built once from a phone sequence."""

    def __init__(
        self, phones: Iterable[Phone], rules: Coarticulation | None = None, cues: Iterable[Cue] = ()
    ) -> None:
        self.rules = rules or Coarticulation()
        cue_list = list(cues)
        phone_list = list(phones)
        if cue_list and not phone_list:
            # Another tool already chose these shapes and their timing: only blend them.
            self.segments = _merge_same(
                _fill_gaps(
                    [Segment(c.viseme, c.start, c.end) for c in cue_list if c.end > c.start],
                    self.rules,
                )
            )
        else:
            self.segments = build_segments(phone_list, self.rules)
        self._spans = build_spans(self.segments, self.rules)
        self._span_starts = [s.start for s in self._spans]

    @classmethod
    def for_timeline(cls, timeline: Timeline, rules: Coarticulation | None = None) -> MouthTrack:
        """From phones when the timeline has them, else from its mouth cues."""
        return cls(timeline.phones, rules, timeline.cues)

    def sample(self, t: float) -> MouthSample:
        i = max(0, bisect.bisect_right(self._span_starts, t) - 1)
        span = self._spans[i]
        if span.a is span.b or span.end <= span.start:
            weights = {span.b: 1.0}
        else:
            s = smoothstep((t - span.start) / (span.end - span.start))
            weights = (
                {span.a: 1.0 - s, span.b: s}
                if 0.0 < s < 1.0
                else {(span.b if s >= 1.0 else span.a): 1.0}
            )
        return MouthSample(weights, blend_poses(weights))


def build_segments(phones: Iterable[Phone], rules: Coarticulation) -> list[Segment]:
    """Target visemes over the whole real line (rest before the first and after the last)."""
    voiced = [
        Segment(p.viseme, p.start, p.end)
        for p in phones
        if p.phone.upper() not in SILENCE_PHONES and p.end > p.start
    ]
    segments = _fill_gaps(voiced, rules)
    segments = _merge_same(segments)
    segments = _apply_min_hold(segments, rules)
    segments = _merge_same(segments)
    _apply_closure_hold(segments, rules)
    return segments


def _fill_gaps(voiced: list[Segment], rules: Coarticulation) -> list[Segment]:
    out: list[Segment] = [Segment(Viseme.SIL, -INF, voiced[0].start if voiced else INF)]
    for i, seg in enumerate(voiced):
        nxt = voiced[i + 1] if i + 1 < len(voiced) else None
        out.append(seg)
        gap_end = nxt.start if nxt else INF
        gap = gap_end - seg.end
        if gap <= 0:
            continue
        if gap < rules.short_gap:
            seg.end = gap_end  # a breath inside a phrase: hold the shape
        else:
            seg.end = min(seg.end + rules.relax_delay, gap_end)
            out.append(Segment(Viseme.SIL, seg.end, gap_end))
    return out


def _merge_same(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if out and out[-1].viseme is seg.viseme:
            out[-1].end = seg.end
        else:
            out.append(seg)
    return out


def _apply_min_hold(segments: list[Segment], rules: Coarticulation) -> list[Segment]:
    out = list(segments)
    i = 1
    while i < len(out) - 1:
        seg = out[i]
        if seg.duration >= rules.min_hold or seg.viseme.is_closure or seg.viseme is Viseme.SIL:
            i += 1
            continue
        prev, nxt = out[i - 1], out[i + 1]
        if seg.viseme.is_vowel:
            # A short vowel is still the loudest part of the syllable: lengthen it.
            need = (rules.min_hold - seg.duration) / 2
            take_prev = min(need, max(0.0, prev.duration - rules.min_hold) / 2)
            take_next = min(need, max(0.0, nxt.duration - rules.min_hold) / 2)
            seg.start -= take_prev
            prev.end = seg.start
            seg.end += take_next
            nxt.start = seg.end
            i += 1
        else:
            # A flicker of a consonant: give its time to both neighbours and drop it.
            mid = (seg.start + seg.end) / 2
            prev.end = mid
            nxt.start = mid
            del out[i]
    return out


def _apply_closure_hold(segments: list[Segment], rules: Coarticulation) -> None:
    for i in range(1, len(segments) - 1):
        seg = segments[i]
        if not seg.viseme.is_closure or seg.duration >= rules.closure_hold:
            continue
        prev, nxt = segments[i - 1], segments[i + 1]
        need = (rules.closure_hold - seg.duration) / 2
        seg.start -= min(need, prev.duration / 2)
        seg.end += min(need, nxt.duration / 2)
        prev.end = seg.start
        nxt.start = seg.end


def build_spans(segments: Sequence[Segment], rules: Coarticulation) -> list[_Span]:
    """Turn target segments into alternating holds and cross-fades around each boundary."""
    windows: list[tuple[float, float]] = []
    for cur, nxt in itertools.pairwise(segments):
        lead, lag = _transition(cur.viseme, nxt.viseme, rules)
        lead = min(lead, cur.duration / 2)
        lag = min(lag, nxt.duration / 2)
        windows.append((nxt.start - lead, nxt.start + lag))
    spans: list[_Span] = []
    hold_start = -INF
    for k, (w0, w1) in enumerate(windows):
        a, b = segments[k].viseme, segments[k + 1].viseme
        spans.append(_Span(hold_start, w0, a, a))
        spans.append(_Span(w0, w1, a, b))
        hold_start = w1
    last = segments[-1].viseme
    spans.append(_Span(hold_start, INF, last, last))
    return spans


def _transition(cur: Viseme, nxt: Viseme, rules: Coarticulation) -> tuple[float, float]:
    """(lead before the boundary, lag after it) for the cross-fade from cur to nxt."""
    if nxt is Viseme.SIL:
        return 0.0, rules.relax_time
    lead = rules.anticipation_vowel if nxt.is_vowel else rules.anticipation_consonant
    lag = rules.release
    if nxt.is_closure:
        lag = 0.0  # the lips are shut by the time the plosive/nasal sounds
    if cur.is_closure:
        lead, lag = 0.0, rules.closure_release  # and stay shut until it ends
    return lead, lag
