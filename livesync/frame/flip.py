"""When will the frame being drawn now be seen? Each frame is drawn for that moment.

A frame is seen when the window flips it to the screen: after it has been drawn and, with
vsync, at a refresh. Drawing the song time read when the frame starts shows every frame a
frame late, and late by a varying amount as scenes cost more or less to draw. So before
drawing, the loop asks a `FlipPredictor` for a plan: the moment the frame will be shown, which
it draws the song for, and the slot at which the window swaps it. Holding the swap to its
slot is what makes the prediction come true: a frame drawn a little faster than usual waits
for its moment instead of going out early (a much faster one waits a quarter period at
most), and a frame slower than the recent slow ones is shown late. Without vsync the slots
are also the pacing, one refresh period apart; with vsync the refreshes are.

The plan comes from what the last frames measured (how long drawing took, how long the swap
took, when the last frame was shown) and the refresh period. Every time here is passed in by
the caller, on one monotonic clock: the predictor never reads the time.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from statistics import median

DRAW_HISTORY = 10  # frames: short, so a scene that costs more to draw is followed within a few
SWAP_HISTORY = 5
MAX_LEAD = 0.25  # seconds: beyond this the times are wrong (a stall, a clock jump), not a frame


@dataclass(frozen=True, slots=True)
class Flip:
    """One frame's flip on the monotonic clock: drawn and finished on the GPU (`ready`), the
    swap asked for (`slot`: the plan's slot, or `ready` if drawing ran past it) and the swap
    done (`shown`)."""

    ready: float
    slot: float
    shown: float


@dataclass(frozen=True, slots=True)
class FlipPlan:
    """Where a frame is headed: the window swaps it at `slot` and it is `shown` then. A frame
    done early waits for its slot, but no longer than `hold` after it is ready unless the
    refresh pacing (`pace`: no swap before) asks for it: waiting is frames not drawn, and
    on a loaded machine, where drawing times scatter, unbounded waits would cut the frame
    rate by a quarter to make fast frames exact."""

    slot: float
    shown: float
    pace: float = -math.inf
    hold: float = math.inf

    def swap_at(self, ready: float) -> float:
        """When to swap a frame that was ready at `ready` (never before it)."""
        return max(ready, self.pace, min(self.slot, ready + self.hold))

    def lead(self, start: float) -> float:
        """How far ahead of `start` the frame is shown (0 to MAX_LEAD)."""
        return min(MAX_LEAD, max(0.0, self.shown - start))


class FlipPredictor:
    """Plans each frame's flip from the recent frames' own timings.

    Drawing is expected to take as long as the second slowest of the last few frames: one
    slow frame (a shader compile, a garbage collection) costs only that frame, while a scene
    that costs more to draw is followed within two frames. But never more than a quarter
    period over the last three frames' typical cost: on a loaded machine, where drawing times
    scatter widely, holding every frame to the slow ones would halve the frame rate to make a
    few late frames exact; a frame later than that is shown late instead (a quarter period is
    well inside the sync target of half a period). Without vsync the slot is one refresh
    period after the last one, or when drawing should be done if that is later;
    the frame is shown a typical swap after its slot. With vsync the frame is shown at the
    first refresh, on the grid the last frame was shown on, after drawing should be done; its
    slot is half a period before, so a fast frame cannot catch an earlier refresh. A window
    that claims vsync but whose swaps do not wait for the refresh is paced as one without.
    """

    def __init__(self, period: float, vsync: bool) -> None:
        self.period = period
        self.vsync = vsync
        self._drawing: deque[float] = deque(maxlen=DRAW_HISTORY)
        self._swapping: deque[float] = deque(maxlen=SWAP_HISTORY)
        self._last: Flip | None = None

    def plan(self, start: float) -> FlipPlan:
        """The plan for a frame whose song time is read at `start`."""
        last = self._last
        if last is None:  # nothing measured yet: show it when it is ready, guess a period
            return FlipPlan(start, start + self.period)
        ready = start + self._drawing_cost()
        if self.vsync:
            refreshes = max(1, math.ceil((ready - last.shown) / self.period))
            shown = last.shown + refreshes * self.period
            return FlipPlan(shown - self.period / 2, shown, pace=shown - self.period / 2)
        pace = last.slot + self.period
        slot = max(pace, ready)
        return FlipPlan(slot, slot + median(self._swapping), pace, self.period / 4)

    def shown(self, start: float, flip: Flip) -> None:
        """What the frame whose song time was read at `start` measured."""
        self._drawing.append(max(0.0, flip.ready - start))
        self._swapping.append(max(0.0, flip.shown - flip.slot))
        self._last = flip
        swaps = self._swapping
        if self.vsync and len(swaps) == swaps.maxlen and median(swaps) < self.period / 4:
            self.vsync = False  # the swaps return at once: nothing waits for a refresh

    def _drawing_cost(self) -> float:
        recent = list(self._drawing)
        slow = sorted(recent)[-2] if len(recent) >= 3 else max(recent)
        return min(slow, median(recent[-3:]) + self.period / 4)
