"""Idle life: blink timing over a minute, the beat-locked bob and sway, breathing in rests."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest

from livesync.lipsync.idle import (
    DEFAULT_MOTION,
    NO_IDLE,
    PARAM_NAMES,
    STILL,
    IdleAmounts,
    IdlePose,
    Rests,
    blink_lids,
    blinks_in_cell,
    breath,
    idle_pose,
    place,
)
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Cue, Phone, Timeline
from livesync.lipsync.visemes import Viseme

FULL = IdleAmounts(1.0, 1.0, 1.0, 1.0)
STEP = 0.001


def lids_over(seconds: float, seed: int = 0, amount: float = 1.0) -> np.ndarray:
    return np.array([blink_lids(float(t), amount, seed) for t in np.arange(0.0, seconds, STEP)])


def closings(lids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(times the lids start to move, how long each blink keeps them off fully open)."""
    moving = (lids > 0.0).astype(int)
    starts = np.flatnonzero(np.diff(moving) == 1) + 1
    ends = np.flatnonzero(np.diff(moving) == -1) + 1
    return starts * STEP, (ends[: len(starts)] - starts[: len(ends)]) * STEP


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_blinks_come_every_two_to_six_seconds_over_a_minute(seed: int) -> None:
    starts, lengths = closings(lids_over(60.0, seed))
    assert 10 <= len(starts) <= 30
    assert lengths.min() >= 0.12 - 2 * STEP and lengths.max() <= 0.15 + 2 * STEP
    gaps = np.diff(starts)
    doubles = gaps < 0.5  # the second blink of a double blink
    assert np.all((gaps[~doubles] >= 1.4) & (gaps[~doubles] <= 6.2))
    groups = starts[np.concatenate(([True], ~doubles))]
    between = np.diff(groups)
    assert between.min() >= 2.0 - 2 * STEP and between.max() <= 6.0 + 2 * STEP
    assert 3.0 < between.mean() < 5.0


def test_blinks_close_the_lids_fully_and_quickly() -> None:
    for start, length in blinks_in_cell(3):
        peak = start + length * DEFAULT_MOTION.blink_closing
        assert blink_lids(peak, 1.0) == pytest.approx(1.0)
        assert blink_lids(start + length * 0.2, 1.0) > blink_lids(start + length * 0.8, 1.0)
        assert blink_lids(start - 0.01, 1.0) == 0.0 == blink_lids(start + length + 0.01, 1.0)


def test_double_blinks_happen_now_and_then() -> None:
    cells = [blinks_in_cell(k, seed=0) for k in range(200)]
    share = sum(len(c) == 2 for c in cells) / len(cells)
    assert 0.05 < share < 0.3
    for first, second in (c for c in cells if len(c) == 2):
        assert 0.08 <= second[0] - (first[0] + first[1]) <= 0.2


def test_blinks_are_deterministic_and_follow_the_seed() -> None:
    assert np.array_equal(lids_over(20.0, seed=3), lids_over(20.0, seed=3))
    assert not np.array_equal(lids_over(20.0, seed=3), lids_over(20.0, seed=4))
    # Any frame on its own, in any order, is the same frame.
    times = [13.37, 2.5, 40.01, 2.5]
    assert [blink_lids(t, 1.0) for t in times] == [blink_lids(t, 1.0) for t in reversed(times)][
        ::-1
    ]


def test_blink_amount_sets_how_far_the_lids_close() -> None:
    full, half = lids_over(30.0), lids_over(30.0, amount=0.5)
    assert np.allclose(half, full * 0.5)
    assert np.array_equal(lids_over(30.0, amount=3.0), full)  # capped: shut is shut
    assert not lids_over(30.0, amount=0.0).any()


def test_bob_follows_the_beat_phase() -> None:
    amounts = IdleAmounts(0.0, 1.0, 0.0, 0.0)
    on_beat = idle_pose(10.0, 0.0, 0.3, 0.0, amounts)
    mid_beat = idle_pose(10.0, 0.5, 0.3, 0.0, amounts)
    assert on_beat.dy == 0.0  # landed on the beat
    assert mid_beat.dy == pytest.approx(-DEFAULT_MOTION.bob)  # up (y points down) between
    # The same phase at another time is the same offset: locked to the beat, not the clock.
    assert idle_pose(55.5, 0.25, 0.9, 0.0, amounts).dy == idle_pose(3.0, 0.25, 0.1, 0.0, amounts).dy
    halves = [idle_pose(0.0, p, 0.0, 0.0, amounts).dy for p in np.linspace(0.0, 0.5, 20)]
    assert all(b < a for a, b in itertools.pairwise(halves))
    doubled = idle_pose(10.0, 0.5, 0.0, 0.0, IdleAmounts(0.0, 2.0, 0.0, 0.0))
    assert doubled.dy == pytest.approx(2 * mid_beat.dy)


def test_sway_follows_the_bar_phase() -> None:
    amounts = IdleAmounts(0.0, 0.0, 1.0, 0.0)
    quarter = idle_pose(5.0, 0.7, 0.25, 0.0, amounts)
    three_quarters = idle_pose(5.0, 0.7, 0.75, 0.0, amounts)
    assert quarter.angle == pytest.approx(DEFAULT_MOTION.sway_angle)
    assert three_quarters.angle == pytest.approx(-DEFAULT_MOTION.sway_angle)
    assert quarter.dx > 0 > three_quarters.dx
    assert idle_pose(5.0, 0.7, 0.0, 0.0, amounts).angle == 0.0
    assert quarter.dy == 0.0 and quarter.lids == 0.0 and quarter.scale == 1.0


def test_without_a_tempo_the_head_rests() -> None:
    pose = idle_pose(12.3, 0.0, 0.0, 0.0, IdleAmounts(0.0, 1.0, 1.0, 0.0))
    assert (pose.dx, pose.dy, pose.angle) == (0.0, 0.0, 0.0)


def test_breath_only_in_long_rests() -> None:
    def scales(resting_for: float) -> list[float]:
        return [
            idle_pose(float(t), 0.0, 0.0, resting_for, IdleAmounts(0.0, 0.0, 0.0, 1.0)).scale
            for t in np.arange(0.0, 8.0, 0.05)
        ]

    assert set(scales(0.0)) == {1.0}  # singing
    assert set(scales(1.4)) == {1.0}  # a breath between phrases
    resting = scales(10.0)
    assert max(resting) == pytest.approx(1.0 + DEFAULT_MOTION.breath_scale, abs=1e-4)
    assert min(resting) == pytest.approx(1.0, abs=1e-4)
    # About four seconds a breath (0.25 Hz).
    times = np.arange(0.0, 16.0, 0.01)
    swell = np.array([breath(float(t), 10.0, math.inf, 1.0) for t in times])
    tops = times[1:-1][(swell[1:-1] > swell[:-2]) & (swell[1:-1] >= swell[2:])]
    assert np.allclose(np.diff(tops), 4.0, atol=0.02)


def test_breath_eases_in_and_out() -> None:
    t = 2.0  # the top of a breath
    ramp = [breath(t, r, math.inf, 1.0) for r in np.arange(1.5, 2.6, 0.01)]
    assert ramp[0] == 0.0
    assert all(b >= a for a, b in itertools.pairwise(ramp))
    assert max(abs(b - a) for a, b in itertools.pairwise(ramp)) < 0.001
    assert breath(t, 10.0, 0.0, 1.0) == 0.0  # the singer comes back in: no swell left
    assert 0.0 < breath(t, 10.0, 0.2, 1.0) < breath(t, 10.0, 1.0, 1.0)
    assert breath(t, math.inf, math.inf, 1.0) > 0.0  # the intro, before anyone sang


def test_amount_zero_turns_each_motion_off() -> None:
    busy = (0.5, 0.25, 10.0)  # mid-beat, a quarter into the bar, resting for 10 s
    blink_time = blinks_in_cell(2)[0][0] + 0.05
    base = idle_pose(blink_time, *busy, FULL)
    assert base.lids > 0 and base.dy < 0 and base.angle > 0 and base.scale > 1
    off: dict[str, Callable[[IdlePose], object]] = {
        "blink": lambda p: p.lids,
        "bob": lambda p: p.dy,
        "sway": lambda p: (p.angle, p.dx),
        "breath": lambda p: p.scale - 1.0,
    }
    for name, read in off.items():
        amounts = IdleAmounts(**{**vars_of(FULL), name: 0.0})
        pose = idle_pose(blink_time, *busy, amounts)
        assert read(pose) in (0.0, (0.0, 0.0)), name
        assert read(base) not in (0.0, (0.0, 0.0)), name
    assert idle_pose(blink_time, *busy, NO_IDLE) == STILL


def vars_of(amounts: IdleAmounts) -> dict[str, float]:
    return {name: getattr(amounts, name) for name in PARAM_NAMES}


def test_live_parameters_override_the_show_amounts() -> None:
    show = IdleAmounts(1.0, 0.5, 0.5, 1.0)
    live = show.with_params({"idle_bob": 1.5, "idle_blink": -1.0, "idle_sway": math.nan, "x": 2})
    assert live == IdleAmounts(0.0, 1.5, 0.5, 1.0)
    assert show.with_params({}) is show
    assert set(PARAM_NAMES.values()) == {"idle_blink", "idle_bob", "idle_sway", "idle_breath"}


def test_rests_measure_time_since_and_until_singing() -> None:
    rests = Rests(((5.0, 6.0), (1.0, 2.0), (1.5, 3.0)))
    assert rests.spans == ((1.0, 3.0), (5.0, 6.0))
    assert rests.at(0.5) == (math.inf, 0.5)
    assert rests.at(2.0) == (0.0, 0.0)
    assert rests.at(4.0) == (1.0, 1.0)
    assert rests.at(9.0) == (3.0, math.inf)
    assert Rests(()).at(1.0) == (math.inf, math.inf)


def test_rests_from_a_timeline_and_from_a_mouth() -> None:
    phones = (Phone("AA", 1.0, 2.0), Phone("SIL", 2.0, 5.0), Phone("M", 5.0, 5.5))
    timeline = Timeline((), phones, 6.0)
    assert Rests.for_timeline(timeline).spans == ((1.0, 2.0), (5.0, 5.5))
    cues = (Cue(Viseme.AA, 1.0, 2.0), Cue(Viseme.SIL, 2.0, 3.0), Cue(Viseme.PP, 3.0, 3.1))
    assert Rests.for_timeline(Timeline((), (), 4.0, cues=cues)).spans == ((1.0, 2.0), (3.0, 3.1))
    mouth = MouthTrack(phones)
    spans = Rests.for_segments(mouth.segments).spans
    assert len(spans) == 2 and spans[0][0] == 1.0 and spans[1][1] > 5.5  # relaxes after


def test_place_moves_the_character_as_one_body() -> None:
    """About the character's centre: scaled, turned counter-clockwise (y up, as the quad
    shader turns), then offset in character heights with dy pointing down."""
    centre, height = (100.0, 50.0), 200.0
    points = np.array([[100.0, 50.0], [110.0, 50.0], [100.0, 70.0]])
    assert np.allclose(place(IdlePose(), points, centre, height), points)
    turned = place(IdlePose(angle=math.pi / 2), points, centre, height)
    assert np.allclose(turned, [[100, 50], [100, 60], [80, 50]])
    moved = place(IdlePose(dx=0.1, dy=0.05, scale=2.0), points, centre, height)
    assert np.allclose(moved, [[120, 40], [140, 40], [120, 80]])
    one = place(IdlePose(dx=0.1), (110.0, 50.0), centre, height)
    assert one.shape == (2,) and np.allclose(one, [130, 50])
