"""Flip prediction on scripted times: each frame is drawn for the moment it will be shown.

A scripted display stands in for the window: it swaps a frame at its slot (or when drawing
is done, if later) and shows it a fixed swap time after that, or, with vsync, at the next
refresh of a fixed grid. Nothing here waits for real time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from livesync.frame.flip import MAX_LEAD, Flip, FlipPlan, FlipPredictor

PERIOD = 1 / 60
SWAP = 0.0004  # what a swap costs without vsync
GAP = 0.0003  # from a frame shown to the next one's clock read (input, control, logging)


@dataclass
class Frame:
    start: float
    plan: FlipPlan
    flip: Flip


def play(
    predictor: FlipPredictor,
    draws: Sequence[float],
    vsync_phase: float | None = None,
    blocks: bool = True,
) -> list[Frame]:
    """Frames that take `draws` seconds to draw, shown as a display would show them."""
    frames: list[Frame] = []
    now = 10.0
    for draw in draws:
        start = now + GAP
        plan = predictor.plan(start)
        ready = start + draw
        slot = plan.swap_at(ready)
        if vsync_phase is not None and blocks:
            shown = vsync_phase + math.ceil((slot - vsync_phase) / PERIOD) * PERIOD
        else:
            shown = slot + SWAP
        flip = Flip(ready, slot, shown)
        predictor.shown(start, flip)
        frames.append(Frame(start, plan, flip))
        now = shown
    return frames


def intervals(times: Sequence[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def misses(frames: list[Frame]) -> list[float]:
    """Shown minus predicted, per frame: positive means the frame came late."""
    return [f.flip.shown - f.plan.shown for f in frames]


def test_before_anything_is_measured_a_frame_is_shown_when_ready() -> None:
    predictor = FlipPredictor(PERIOD, vsync=False)
    plan = predictor.plan(5.0)
    assert plan == FlipPlan(5.0, 5.0 + PERIOD)
    assert plan.lead(5.0) == pytest.approx(PERIOD)


def test_fast_frames_are_paced_at_the_refresh_rate_and_shown_as_predicted() -> None:
    frames = play(FlipPredictor(PERIOD, vsync=False), [0.004] * 120)
    shown = [f.flip.shown for f in frames[3:]]
    assert intervals(shown) == pytest.approx([PERIOD] * (len(shown) - 1))
    assert misses(frames[3:]) == pytest.approx([0.0] * 117, abs=1e-9)
    # drawn for a moment about one period after the clock was read, not for the read
    assert frames[-1].plan.lead(frames[-1].start) == pytest.approx(PERIOD, abs=0.002)


def test_frames_slower_than_a_refresh_are_shown_when_drawn_and_predicted_so() -> None:
    frames = play(FlipPredictor(PERIOD, vsync=False), [0.030] * 60)
    assert misses(frames[2:]) == pytest.approx([0.0] * 58, abs=1e-9)
    assert frames[-1].plan.lead(frames[-1].start) == pytest.approx(0.030 + SWAP)


def test_a_frame_drawn_faster_than_usual_waits_for_its_moment_but_not_long() -> None:
    draws = [0.030] * 20 + [0.027] + [0.030] * 5 + [0.012] + [0.030] * 5
    frames = play(FlipPredictor(PERIOD, vsync=False), draws)
    quick = frames[20]
    assert quick.flip.ready < quick.plan.slot  # it was done early...
    assert quick.flip.shown == pytest.approx(quick.plan.shown)  # ...and still shown on time
    quickest = frames[26]  # done 18 ms early: held a quarter period, then shown early
    assert quickest.flip.slot - quickest.flip.ready == pytest.approx(PERIOD / 4)
    assert quickest.flip.shown < quickest.plan.shown - 0.01


def test_one_slow_frame_costs_only_that_frame() -> None:
    draws = [0.006] * 30 + [0.400] + [0.006] * 30  # a shader compile, a garbage collection
    frames = play(FlipPredictor(PERIOD, vsync=False), draws)
    late = misses(frames)
    assert late[30] > 0.3  # that one is late: nothing could have known
    assert late[31:] == pytest.approx([0.0] * 30, abs=1e-9)
    after = [f.flip.shown for f in frames[31:]]  # and the next ones are not held back
    assert intervals(after) == pytest.approx([PERIOD] * 29)


def test_a_heavier_scene_is_followed_within_two_frames() -> None:
    draws = [0.006] * 30 + [0.035] * 30  # a cue cuts to a scene that costs more
    late = misses(play(FlipPredictor(PERIOD, vsync=False), draws))
    assert all(m > 0.01 for m in late[30:32])
    assert late[32:] == pytest.approx([0.0] * 28, abs=1e-9)


def test_with_vsync_a_frame_is_shown_at_the_first_refresh_after_it_is_drawn() -> None:
    phase = 10.0 + 0.0021
    frames = play(FlipPredictor(PERIOD, vsync=True), [0.005] * 30 + [0.022] * 30, phase)
    assert misses(frames[2:30]) == pytest.approx([0.0] * 28, abs=1e-9)
    assert misses(frames[33:]) == pytest.approx([0.0] * 27, abs=1e-9)
    for f in frames[1:]:  # every frame on the refresh grid
        refreshes = (f.flip.shown - phase) / PERIOD
        assert refreshes == pytest.approx(round(refreshes), abs=1e-6)
    heavy = [f.flip.shown for f in frames[33:]]
    assert intervals(heavy) == pytest.approx([2 * PERIOD] * 26)
    for f in frames[2:]:  # the slot keeps a fast frame from catching an earlier refresh
        assert f.plan.shown - f.plan.slot == pytest.approx(PERIOD / 2)


def test_a_window_whose_swaps_never_wait_is_paced_as_one_without_vsync() -> None:
    predictor = FlipPredictor(PERIOD, vsync=True)
    frames = play(predictor, [0.004] * 30, vsync_phase=10.0, blocks=False)
    assert not predictor.vsync
    assert misses(frames[-10:]) == pytest.approx([0.0] * 10, abs=1e-9)


def test_the_lead_is_never_negative_nor_beyond_the_cap() -> None:
    plan = FlipPlan(slot=3.0, shown=3.0)
    assert plan.lead(4.0) == 0.0
    assert plan.lead(3.0 - 10 * MAX_LEAD) == MAX_LEAD


def test_on_a_loaded_machine_frames_are_not_all_held_to_the_slow_ones() -> None:
    draws = [0.020, 0.020, 0.060] * 20  # every third frame is preempted
    frames = play(FlipPredictor(PERIOD, vsync=False), draws)
    steady = frames[10:]
    shown = [f.flip.shown for f in steady]
    assert (shown[-1] - shown[0]) / (len(shown) - 1) < 0.045  # not 60 ms a frame
    for f, draw in zip(steady, draws[10:], strict=True):
        late = f.flip.shown - f.plan.shown
        if draw == 0.020:
            assert late == pytest.approx(0.0, abs=1e-9)  # the usual frames: exact
        else:
            assert late > 0.02  # the preempted ones: shown late, as they must be
