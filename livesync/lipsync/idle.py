"""Idle life: blinks, a head bob on the beat, a sway over the bar, breathing in long rests.

A character that only moves its mouth looks like a cut-out. These small motions make it look
alive, and they are pure functions of the song time, the beat and bar phases and how long the
singer has been resting, so the live show and the rendered video show the same blink on the
same frame. Blink timing looks random but comes from a hash of (seed, time cell), never from a
random generator's state, so any frame can be drawn on its own, in any order.

Each motion has an amount (`IdleAmounts`, 0 turns it off), set in the show file's
`[character.idle]` and driveable live by the parameters named in `PARAM_NAMES`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from livesync.lipsync.mouth import Segment, smoothstep
from livesync.lipsync.timeline import Timeline
from livesync.lipsync.visemes import SILENCE_PHONES, Viseme

# IdleAmounts field -> the show parameter (OSC /livesync/param/<name>, MIDI CC) that drives it.
PARAM_NAMES: Mapping[str, str] = {
    "blink": "idle_blink",
    "bob": "idle_bob",
    "sway": "idle_sway",
    "breath": "idle_breath",
}

_MASK = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class IdleAmounts:
    """How much of each motion: 1 is the designed look, 0 off, 2 twice as big.

    blink: how far the lids close in a blink (capped at 1, fully closed); bob, sway, breath:
    multiply the size of the nod, the sway and the breathing.
    """

    blink: float = 1.0
    bob: float = 0.5
    sway: float = 0.5
    breath: float = 1.0

    def with_params(self, params: Mapping[str, float]) -> IdleAmounts:
        """These amounts with any set live (by their PARAM_NAMES) put in their place; a
        negative value is off, a value that is not a finite number is ignored."""
        changes = {
            field: max(0.0, float(params[name]))
            for field, name in PARAM_NAMES.items()
            if name in params and math.isfinite(params[name])
        }
        return replace(self, **changes) if changes else self


NO_IDLE = IdleAmounts(0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class IdlePose:
    """What the idle motion does to the character at one instant.

    lids: 0 open .. 1 closed (procedural lids, or past 0.5 an eyes-closed picture);
    dx, dy: offset as a fraction of the character's height, y down as in the show file;
    angle: rotation in radians about the character's centre, positive counter-clockwise on
    screen (as shaders/common/quad.vert turns a quad);
    scale: size factor about the character's centre (1 unchanged).
    """

    lids: float = 0.0
    dx: float = 0.0
    dy: float = 0.0
    angle: float = 0.0
    scale: float = 1.0


STILL = IdlePose()


def place(
    pose: IdlePose, points: npt.ArrayLike, center: tuple[float, float], reference: float
) -> npt.NDArray[np.float64]:
    """Where points of the character (pixels, y up, shape (..., 2)) are after the idle
    motion. The whole character moves as one: scaled and turned about its `center`, then
    shifted by the pose's offsets, which are in units of `reference` pixels (its height), so
    a picture, its mouth, its lids and a face puppet move together."""
    p = np.asarray(points, dtype=np.float64)
    cx, cy = center
    ux, uy = (p[..., 0] - cx) * pose.scale, (p[..., 1] - cy) * pose.scale
    cos, sin = math.cos(pose.angle), math.sin(pose.angle)
    out = np.empty(p.shape, dtype=np.float64)
    out[..., 0] = cx + cos * ux - sin * uy + pose.dx * reference
    out[..., 1] = cy + sin * ux + cos * uy - pose.dy * reference  # dy is y down
    return out


@dataclass(frozen=True, slots=True)
class IdleMotion:
    """The designed look at amount 1; times in seconds, sizes in character heights."""

    blink_cell: float = 4.0  # one blink (or double blink) per cell of this length...
    blink_jitter: float = 2.0  # ...starting anywhere in its first this-many seconds
    blink_shortest: float = 0.12
    blink_longest: float = 0.15
    blink_closing: float = 0.4  # the share of a blink spent closing (lids shut fast)
    double_chance: float = 0.15  # a cell blinks twice in quick succession this often
    double_gap_shortest: float = 0.08  # open time between the two blinks of a double
    double_gap_longest: float = 0.2
    bob: float = 0.012  # the head rises this much between beats, and lands on the beat
    sway_angle: float = 0.035  # radians (about 2 degrees) each way over a bar
    sway_shift: float = 0.008  # sideways, with the sway
    breath_scale: float = 0.012  # the character grows this much at the top of a breath
    breath_rate: float = 0.25  # breaths per second
    breath_after: float = 1.5  # resting this long before breathing shows...
    breath_ease: float = 1.0  # ...fading in over this long...
    breath_out: float = 0.4  # ...and out over this long before the singer comes back in


DEFAULT_MOTION = IdleMotion()


def idle_pose(
    t: float,
    beat_phase: float,
    bar_phase: float,
    resting_for: float,
    amounts: IdleAmounts,
    *,
    resting_until: float = math.inf,
    seed: int = 0,
    motion: IdleMotion = DEFAULT_MOTION,
) -> IdlePose:
    """The idle motion at song time t.

    beat_phase, bar_phase: 0..1 through the beat and the bar (FrameState.beat); both 0
    without a tempo, which leaves the head at rest. resting_for: seconds since the singer
    last sang (0 while singing); resting_until: seconds until they sing again (`Rests.at`).
    """
    sway = math.sin(2.0 * math.pi * bar_phase)
    return IdlePose(
        lids=blink_lids(t, amounts.blink, seed, motion),
        dx=amounts.sway * motion.sway_shift * sway,
        dy=-amounts.bob * motion.bob * math.sin(math.pi * beat_phase) ** 2,
        angle=amounts.sway * motion.sway_angle * sway,
        scale=1.0 + breath(t, resting_for, resting_until, amounts.breath, motion),
    )


def blink_lids(
    t: float, amount: float, seed: int = 0, motion: IdleMotion = DEFAULT_MOTION
) -> float:
    """How closed the lids are at t (0 open, 1 shut), times the amount (capped at 1)."""
    depth = min(1.0, max(0.0, amount))
    if depth == 0.0:
        return 0.0
    cell = math.floor(t / motion.blink_cell)
    shut = 0.0
    for k in (cell - 1, cell):  # a blink never reaches past the cell after its own
        for start, length in blinks_in_cell(k, seed, motion):
            if start <= t < start + length:
                shut = max(shut, _lid_shape((t - start) / length, motion.blink_closing))
    return depth * shut


def blinks_in_cell(
    cell: int, seed: int = 0, motion: IdleMotion = DEFAULT_MOTION
) -> list[tuple[float, float]]:
    """(start, length) of the blinks in one time cell: one, or two close together."""
    start = cell * motion.blink_cell + motion.blink_jitter * _unit(seed, cell, 0)
    span = motion.blink_longest - motion.blink_shortest
    first = motion.blink_shortest + span * _unit(seed, cell, 1)
    out = [(start, first)]
    if _unit(seed, cell, 2) < motion.double_chance:
        gap_span = motion.double_gap_longest - motion.double_gap_shortest
        gap = motion.double_gap_shortest + gap_span * _unit(seed, cell, 3)
        second = motion.blink_shortest + span * _unit(seed, cell, 4)
        out.append((start + first + gap, second))
    return out


def breath(
    t: float,
    resting_for: float,
    resting_until: float,
    amount: float,
    motion: IdleMotion = DEFAULT_MOTION,
) -> float:
    """Extra scale from breathing: none while singing or in a short rest; in a long rest a
    slow swell (paced by the song time, so an intro with no singing before it breathes too)
    that fades in and eases out before the next phrase."""
    if amount <= 0.0 or resting_for <= motion.breath_after:
        return 0.0
    into = resting_for - motion.breath_after
    fade_in = smoothstep(into / motion.breath_ease) if motion.breath_ease > 0 else 1.0
    fade_out = smoothstep(resting_until / motion.breath_out) if motion.breath_out > 0 else 1.0
    swell = 0.5 - 0.5 * math.cos(2.0 * math.pi * motion.breath_rate * t)
    return amount * motion.breath_scale * fade_in * fade_out * swell


def _lid_shape(u: float, closing: float) -> float:
    """Through one blink (u 0..1): shut quickly, open a little slower, as eyelids do."""
    if u < closing:
        return smoothstep(u / closing)
    return 1.0 - smoothstep((u - closing) / (1.0 - closing))


def _unit(seed: int, cell: int, stream: int) -> float:
    """A number in [0, 1) that depends only on its arguments (splitmix64's finaliser)."""
    x = (
        seed * 0x9E3779B97F4A7C15 + cell * 0xBF58476D1CE4E5B9 + stream * 0x94D049BB133111EB
    ) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    x ^= x >> 31
    return (x >> 11) / float(1 << 53)


@dataclass(frozen=True)
class Rests:
    """When the singer sings, so each frame knows how long they have been resting (and, in a
    prepared song, how long until they sing again): `at(t)` is a binary search."""

    spans: tuple[tuple[float, float], ...]  # sorted, merged (start, end) of singing

    def __post_init__(self) -> None:
        merged: list[tuple[float, float]] = []
        for start, end in sorted(s for s in self.spans if s[1] > s[0]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        object.__setattr__(self, "spans", tuple(merged))
        object.__setattr__(self, "_starts", [s for s, _ in merged])

    @classmethod
    def for_timeline(cls, timeline: Timeline) -> Rests:
        """Sung phones, or the mouth cues of a timeline that has none."""
        spans = [(p.start, p.end) for p in timeline.phones if p.phone.upper() not in SILENCE_PHONES]
        if not timeline.phones:
            spans = [(c.start, c.end) for c in timeline.cues if c.viseme is not Viseme.SIL]
        return cls(tuple(spans))

    @classmethod
    def for_segments(cls, segments: Iterable[Segment]) -> Rests:
        """A mouth's targets (`MouthTrack.segments`, `SingingMouth.segments`): the singing
        mouth's breaks are rests even where the timeline holds a phone."""
        return cls(tuple((s.start, s.end) for s in segments if s.viseme is not Viseme.SIL))

    def at(self, t: float) -> tuple[float, float]:
        """(resting_for, resting_until) at t: (0, 0) while singing; inf when the singer never
        sang before t, or never sings after it."""
        starts: Sequence[float] = self._starts  # type: ignore[attr-defined]
        i = bisect.bisect_right(starts, t) - 1
        if i >= 0 and t < self.spans[i][1]:
            return 0.0, 0.0
        since = t - self.spans[i][1] if i >= 0 else math.inf
        until = self.spans[i + 1][0] - t if i + 1 < len(self.spans) else math.inf
        return since, until
