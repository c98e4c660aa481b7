"""The automatic render scale: lowered when frames cannot be drawn within the refresh,
raised again when there is clear headroom, and never pumping between the two.

A frame's cost is what drawing it took (`work`, before it waits for its refresh), measured by
the caller and passed in with the time, so tests drive it with scripted costs. Decisions use
the slow end of the last second's frames (the 90th percentile), so one slow frame (a shader
reload, a garbage collection) changes nothing. The scale moves one step at a time and then
holds while a new second of frames is measured; it goes up only when the frames measured
would still fit, with room to spare, at the larger size (the scaled part of a frame costs in
proportion to its pixels, the square of the scale). A step up that has to be taken back
doubles the wait before the next try, so a scene right at the edge settles instead of
alternating; once frames get clearly cheaper (another scene), the wait is short again.
"""

from __future__ import annotations

from collections import deque

from livesync.show.render_scale import LOWEST

STEP = 0.1
BUSY = 0.9  # frames slower than this share of the refresh period miss it now and then
ROOM = 0.7  # a step up must leave frames this far inside the period
MEASURE = 1.0  # seconds of frames behind each decision...
FEWEST = 5  # ...and at least this many frames, however slow they come
PATIENCE = 3.0  # seconds of headroom before a step up...
LONGEST_PATIENCE = 300.0  # ...doubled after each step up that had to be taken back,
CHEAPER = 0.8  # ...and short again once frames cost this much of what they did then


class AutoScale:
    """The current scale of an `"auto"` render scale (livesync.show.render_scale)."""

    def __init__(
        self, period: float, lowest: float = LOWEST, highest: float = 1.0, step: float = STEP
    ) -> None:
        self.period = period
        self.lowest, self.highest, self.step = lowest, highest, step
        self.scale = highest
        self.changes = 0
        self._frames: deque[tuple[float, float]] = deque()  # (time, work) since the last change
        self._since: float | None = None  # when the current scale was set
        self._patience = PATIENCE
        self._raised_at: float | None = None
        self._raised_from = 0.0  # the frames' cost when the scale last went up
        self._doubted: float | None = None  # that cost, when the step up was taken back

    def update(self, now: float, work: float) -> float:
        """Take one frame's cost (seconds drawing it) at wall time `now`; the scale for the
        next frame."""
        if self._since is None:
            self._since = now
        self._frames.append((now, work))
        while len(self._frames) > FEWEST and now - self._frames[0][0] > MEASURE:
            self._frames.popleft()  # the last second, or the last few frames if slower
        measured = now - self._since
        if measured < MEASURE or len(self._frames) < FEWEST:
            return self.scale
        slow = _p90([w for _, w in self._frames])
        if slow > BUSY * self.period and self.scale > self.lowest:
            if self._raised_at is not None and now - self._raised_at < 2 * MEASURE + PATIENCE:
                self._patience = min(2 * self._patience, LONGEST_PATIENCE)  # a step too far
                self._doubted = self._raised_from
            self._set(max(self.lowest, round(self.scale - self.step, 6)), now)
            return self.scale
        if self._doubted is not None and slow < CHEAPER * self._doubted:
            self._patience, self._doubted = PATIENCE, None  # not the frames that failed
        if measured >= self._patience and self.scale < self.highest:
            bigger = min(self.highest, round(self.scale + self.step, 6))
            if slow * (bigger / self.scale) ** 2 < ROOM * self.period:
                self._set(bigger, now)
                self._raised_at, self._raised_from = now, slow
        return self.scale

    def _set(self, scale: float, now: float) -> None:
        self.scale = scale
        self.changes += 1
        self._since = now
        self._frames.clear()


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
