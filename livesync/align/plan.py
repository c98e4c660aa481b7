"""Where each lyric line is sung: voice-activity segments and chunk windows (pure numpy).

Songs are long, with instrumental gaps a whole-song alignment drifts into. So the aligner
works in chunks (one lyric line each) and this module decides the window of audio each chunk
is aligned in: from LRC line times when the lyrics have them, otherwise from a coarse
alignment of all the lyrics against the voiced parts of the audio only (gaps cut out, so
nothing can be placed in them), and as a last resort by spreading lines over the voiced
audio in proportion to their length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from livesync.align.lyrics import Line, Lyrics, LyricWord
from livesync.align.voicing import runs, voiced_frames

Span = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Window:
    """A chunk: lyric lines [first, last] aligned within audio [start, end) seconds."""

    first: int
    last: int
    start: float
    end: float


def frame_levels(
    samples: npt.NDArray[np.floating], rate: int, hop: float = 0.01
) -> npt.NDArray[np.float64]:
    """RMS level in dB per `hop` seconds (frames of twice the hop, centred)."""
    x = np.asarray(samples, dtype=np.float64)
    n = max(1, round(hop * rate))
    frames = len(x) // n
    if frames == 0:
        return np.full(1, -120.0)
    power = (x[: frames * n].reshape(frames, n) ** 2).mean(axis=1)
    smoothed = np.convolve(power, np.ones(2) / 2, mode="same")
    return np.asarray(10.0 * np.log10(smoothed + 1e-12), dtype=np.float64)


def voiced_segments(
    samples: npt.NDArray[np.floating],
    rate: int,
    hop: float = 0.01,
    min_gap: float = 0.35,
    min_length: float = 0.08,
    pad: float = 0.1,
    reach: float = 0.3,
    pause: float = 3.0,
) -> list[Span]:
    """Spans of sound well above the quiet floor that are (or adjoin) a voice.

    Energy first: the threshold sits a third of the way from the floor (10th percentile) to
    the loud level (98th percentile), at least 12 dB over the floor. Over a backing track
    every drum hit passes that too (under a 0 dB groove: 102 spans, the vocal alone 11). So
    voicing (`voicing.voiced_frames`: periodic at a pitch and loud in the vocal band, for
    at least 50 ms) marks instrumental stretches: at least `pause` seconds without a voiced
    frame. A run of loud frames lying wholly in one, more than `reach` seconds from the
    nearest voiced frame, is dropped: a kick in an instrumental gap, not a consonant or a
    breath between sung phrases. (Audio without any voiced frame keeps its energy spans.)
    Gaps shorter than `min_gap` are bridged; each span is padded by `pad` (clipped to the
    audio).
    """
    db = frame_levels(samples, rate, hop)
    duration = len(samples) / rate
    floor, loud = float(np.percentile(db, 10)), float(np.percentile(db, 98))
    if loud - floor < 6.0:  # no dynamics: treat everything as voiced
        return [(0.0, duration)] if duration > 0 else []
    threshold = max(floor + 12.0, floor + (loud - floor) / 3.0)
    threshold = min(threshold, loud - 6.0)
    active = _near_voice(
        db > threshold,
        voiced_frames(samples, rate, hop),
        max(0, round(reach / hop)),
        max(1, round(pause / hop)),
    )
    spans: list[Span] = []
    starts, ends = runs(active)
    for a, b in zip(starts, ends, strict=True):
        start, end = a * hop, b * hop
        if spans and start - spans[-1][1] < min_gap:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    spans = [s for s in spans if s[1] - s[0] >= min_length]
    padded: list[Span] = []
    for s, e in spans:
        s, e = max(0.0, s - pad), min(duration, e + pad)
        if padded and s <= padded[-1][1]:
            padded[-1] = (padded[-1][0], e)
        else:
            padded.append((s, e))
    return padded


def _near_voice(
    active: npt.NDArray[np.bool_], voiced: npt.NDArray[np.bool_], reach: int, pause: int
) -> npt.NDArray[np.bool_]:
    """`active` without its runs that lie wholly in an instrumental stretch: at least `pause`
    frames without a `voiced` frame, and more than `reach` frames from one. All of `active`
    when nothing is voiced."""
    n = min(len(active), len(voiced))
    if not voiced[:n].any():
        return active
    voiced = np.concatenate((voiced[:n], np.zeros(len(active) - n, dtype=bool)))
    # Near a voiced frame: a running count over a window of `reach` frames either side.
    counts = np.cumsum(np.concatenate(([0], voiced.astype(np.int64))))
    idx = np.arange(len(active))
    lo, hi = np.clip(idx - reach, 0, len(active)), np.clip(idx + reach + 1, 0, len(active))
    near = counts[hi] - counts[lo] > 0
    # Each frame's unvoiced stretch length (0 on voiced frames).
    starts, ends = runs(~voiced)
    length = np.zeros(len(active), dtype=np.int64)
    length[~voiced] = np.repeat(ends - starts, ends - starts)
    instrumental = ~near & (length >= pause)
    starts, ends = runs(active)
    count = np.cumsum(np.concatenate(([0], (~instrumental).astype(np.int64))))
    keep = count[ends] - count[starts] > 0
    out = np.zeros(len(active) + 1, dtype=np.int64)
    np.add.at(out, starts[keep], 1)
    np.add.at(out, ends[keep], -1)
    return np.asarray(np.cumsum(out)[:-1] > 0, dtype=np.bool_)


@dataclass(frozen=True)
class Splice:
    """The voiced spans laid end to end with `gap` seconds of silence between them, so a
    coarse alignment cannot put words in the cut-out gaps; maps times back."""

    spans: tuple[Span, ...]
    gap: float = 0.3

    def offsets(self) -> list[float]:
        out, t = [], 0.0
        for s, e in self.spans:
            out.append(t)
            t += (e - s) + self.gap
        return out

    def to_original(self, t: float) -> float:
        """A time in the spliced audio -> the same instant in the original audio."""
        offsets = self.offsets()
        for (s, e), o in zip(self.spans, offsets, strict=True):
            if t < o + (e - s) + self.gap / 2:
                return min(e, s + max(0.0, t - o))
        if not self.spans:
            return t
        return self.spans[-1][1]

    def splice(self, samples: npt.NDArray[np.int16], rate: int) -> npt.NDArray[np.int16]:
        silence = np.zeros(round(self.gap * rate), dtype=np.int16)
        parts: list[npt.NDArray[np.int16]] = []
        for s, e in self.spans:
            parts.append(samples[round(s * rate) : round(e * rate)])
            parts.append(silence)
        return np.concatenate(parts) if parts else samples[:0]


def proportional_spans(weights: Sequence[int], voiced: Sequence[Span]) -> list[Span]:
    """Spread lines over the voiced audio, each getting time in proportion to its weight."""
    total_voiced = sum(e - s for s, e in voiced)
    total = sum(weights) or 1
    spans: list[Span] = []
    t = 0.0
    for w in weights:
        a = t
        t += total_voiced * w / total
        spans.append((_voiced_time(voiced, a), _voiced_time(voiced, t)))
    return spans


def _voiced_time(voiced: Sequence[Span], t: float) -> float:
    for s, e in voiced:
        if t <= e - s:
            return s + t
        t -= e - s
    return voiced[-1][1] if voiced else 0.0


def snap_to_gaps(
    spans: Sequence[Span | None],
    voiced: Sequence[Span],
    reach: float = 1.5,
    fixed: Sequence[bool] = (),
) -> list[Span | None]:
    """Move line boundaries of a coarse alignment onto nearby pauses.

    A coarse alignment over a long stretch can slide a line boundary a second or so off; a
    pause in the voice (a gap between voiced spans) near a boundary is almost always where
    one line ends and the next begins. Each pause takes at most the nearest boundary within
    `reach` seconds; the earlier line then ends where the pause begins, the later one starts
    where it ends. `fixed[i]` keeps the boundary before line i where it is (a long line split
    in two has no reason to break at a pause).
    """
    out = list(spans)
    gaps = [(a[1], b[0]) for a, b in pairwise(voiced) if b[0] > a[1]]
    candidates: list[tuple[float, int, int]] = []
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if prev is None or cur is None or (i < len(fixed) and fixed[i]):
            continue
        point = (prev[1] + cur[0]) / 2
        for g, (g0, g1) in enumerate(gaps):
            distance = 0.0 if g0 <= point <= g1 else min(abs(point - g0), abs(point - g1))
            if distance <= reach:
                candidates.append((distance, i, g))
    used_gaps: set[int] = set()
    used_bounds: set[int] = set()
    for _, i, g in sorted(candidates):
        if g in used_gaps or i in used_bounds:
            continue
        prev, cur = out[i - 1], out[i]
        assert prev is not None and cur is not None
        g0, g1 = gaps[g]
        if g0 <= prev[0] or g1 >= cur[1]:
            continue  # the pause would leave one of the lines no time at all
        used_gaps.add(g)
        used_bounds.add(i)
        out[i - 1] = (prev[0], g0)
        out[i] = (g1, cur[1])
    return out


def trim_to_voiced(
    window: Window, voiced: Sequence[Span], pad: float = 0.3, min_overlap: float = 0.3
) -> Window:
    """Shrink a window to the voiced audio inside it (plus `pad`): a line stamped in an LRC
    file runs to the next stamp, often across an instrumental passage the aligner would
    otherwise stretch the last words over. Voiced spans overlapping the window by less than
    `min_overlap` (the next line's start caught by the padding) do not count."""
    inside = [
        (max(s, window.start), min(e, window.end))
        for s, e in voiced
        if min(e, window.end) - max(s, window.start) >= min_overlap
    ]
    if not inside:
        return window
    start = max(window.start, inside[0][0] - pad)
    end = min(window.end, inside[-1][1] + pad)
    return Window(window.first, window.last, start, max(start, end))


def window_pieces(window: Window, voiced: Sequence[Span], min_cut: float = 1.0) -> list[Span]:
    """The parts of a window worth aligning: the whole window, minus unvoiced stretches of at
    least `min_cut` seconds between voiced parts (its edges are kept as they are)."""
    inside = [
        (max(s, window.start), min(e, window.end))
        for s, e in voiced
        if e > window.start and s < window.end
    ]
    if len(inside) < 2:
        return [(window.start, window.end)]
    pieces = [(window.start, inside[0][1])]
    for s, e in inside[1:]:
        if s - pieces[-1][1] >= min_cut:
            pieces.append((s, e))
        else:
            pieces[-1] = (pieces[-1][0], e)
    pieces[-1] = (pieces[-1][0], window.end)
    return pieces


def windows_from_spans(
    spans: Sequence[Span | None], duration: float, pad: float = 0.5
) -> list[Window]:
    """One window per line around its coarse span, padded by `pad`, but never reaching past
    the middle of the neighbouring lines. Lines without a span get the gap between their
    neighbours (plus the padding)."""
    windows = []
    for i, span in enumerate(spans):
        prev = next((spans[j] for j in range(i - 1, -1, -1) if spans[j] is not None), None)
        nxt = next((spans[j] for j in range(i + 1, len(spans)) if spans[j] is not None), None)
        lo = prev[1] if prev is not None else 0.0
        hi = nxt[0] if nxt is not None else duration
        if span is None:
            start, end = lo - pad, hi + pad
        else:
            start, end = span[0] - pad, span[1] + pad
            if prev is not None:
                start = max(start, min(span[0], (prev[0] + prev[1]) / 2))
            if nxt is not None:
                end = min(end, max(span[1], (nxt[0] + nxt[1]) / 2))
        start, end = max(0.0, start), min(duration, end)
        windows.append(Window(i, i, start, max(start, end)))
    return windows


def lrc_spans(
    times: Sequence[float | None],
    ends: Sequence[float | None],
    duration: float,
    weights: Sequence[int],
    seconds_per_token: float = 0.6,
) -> list[Span | None]:
    """Coarse spans from LRC stamps: a line runs from its stamp to the next stamp, or for an
    estimated time (its token count times `seconds_per_token`) when it is the last line."""
    spans: list[Span | None] = []
    for t, end, w in zip(times, ends, weights, strict=True):
        if t is None:
            spans.append(None)
            continue
        stop = end if end is not None else t + max(2.0, w * seconds_per_token)
        spans.append((min(t, duration), min(max(t, stop), duration)))
    return spans


MAX_CHUNK_TOKENS = 24


def split_long_lines(lyrics: Lyrics, max_tokens: int = MAX_CHUNK_TOKENS) -> Lyrics:
    """Lyrics pasted as one long paragraph would make one long chunk (which drifts like a
    whole-song alignment): split lines of more than `max_tokens` dictionary tokens into
    near-equal parts at word boundaries. Words and their order are unchanged; an LRC time
    stays with the first part, the end time with the last."""
    lines: list[Line] = []
    for line in lyrics.lines:
        tokens = sum(len(w.tokens) for w in line.words)
        parts = -(-tokens // max_tokens)
        if parts <= 1 or len(line.words) < 2:
            lines.append(line)
            continue
        target = tokens / parts
        groups: list[list[LyricWord]] = [[]]
        count = 0
        for w in line.words:
            if (
                groups[-1]
                and count + len(w.tokens) > target * len(groups) + 0.5
                and len(groups) < parts
            ):
                groups.append([])
            groups[-1].append(w)
            count += len(w.tokens)
        for k, group in enumerate(groups):
            lines.append(
                Line(
                    tuple(group),
                    line.stanza,
                    line.time if k == 0 else None,
                    line.end_time if k == len(groups) - 1 else None,
                    k > 0,
                )
            )
    return Lyrics(tuple(lines), lyrics.transcript, dict(lyrics.tags))


# A line whose words match the sound this much worse than the song's typical line (per-frame
# acoustic scores are negative; sung lines measure about -12 to -23 on the Harvard speech,
# clean or under a backing track, and lines aligned to the wrong audio -36 to -64) is taken
# as not in the audio.
REJECT_RATIO = 2.0
REJECT_FLOOR = -30.0


def implausible(score: float | None, scores: Sequence[float | None]) -> bool:
    """Is a line's match score far below the typical line's? (Needs three scored lines.)"""
    known = [s for s in scores if s is not None]
    if score is None or len(known) < 3:
        return False
    typical = float(np.median(known))
    return score < REJECT_FLOOR and score < REJECT_RATIO * min(typical, -1.0)
