"""Frame pacing statistics for the HUD and the benchmarks, from times the caller passes in."""

from __future__ import annotations


class FrameTimer:
    """Frame pacing from times the caller passes in: fps over the last second, frame-time
    percentiles over the last few seconds, and frames that took so long a refresh was missed.
    """

    def __init__(self, refresh_hz: float = 60.0, window: int = 600) -> None:
        self.period = 1.0 / refresh_hz
        self._times: list[float] = []
        self._intervals: list[float] = []
        self._window = window
        self.dropped = 0

    def tick(self, now: float) -> None:
        if self._times:
            interval = now - self._times[-1]
            self._intervals.append(interval)
            if len(self._intervals) > self._window:
                del self._intervals[0]
            if interval > 1.5 * self.period:
                self.dropped += round(interval / self.period) - 1
        self._times.append(now)
        while self._times and now - self._times[0] > 1.0:
            self._times.pop(0)

    @property
    def fps(self) -> float:
        if len(self._times) < 2:
            return 0.0
        return (len(self._times) - 1) / (self._times[-1] - self._times[0])

    def percentiles(self) -> tuple[float, float, float]:
        """(p50, p99, max) frame time in seconds over the recent window."""
        if not self._intervals:
            return 0.0, 0.0, 0.0
        ordered = sorted(self._intervals)
        n = len(ordered)
        return ordered[n // 2], ordered[min(n - 1, int(n * 0.99))], ordered[-1]
