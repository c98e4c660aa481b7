"""What the performer's keys do, as pure actions on a clock (the window only names keys)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from livesync.clock import Clock

SEEK_STEP = 5.0


class Action(Enum):
    QUIT = "quit"
    TOGGLE_PAUSE = "pause"
    SEEK_BACK = "seek-back"
    SEEK_FORWARD = "seek-forward"
    TOGGLE_FULLSCREEN = "fullscreen"
    TOGGLE_HUD = "hud"
    RESTART = "restart"


@dataclass(frozen=True, slots=True)
class SelectScene:
    """Switch to scene `index` now (number keys: 1 is the first scene)."""

    index: int


Command = Action | SelectScene

KEYMAP: dict[str, Command] = {
    "escape": Action.QUIT, "q": Action.QUIT, "space": Action.TOGGLE_PAUSE,
    "left": Action.SEEK_BACK, "right": Action.SEEK_FORWARD, "f": Action.TOGGLE_FULLSCREEN,
    "h": Action.TOGGLE_HUD, "home": Action.RESTART,
    **{str(n): SelectScene(n - 1) for n in range(1, 10)}, "0": SelectScene(9),
}


def apply_transport(action: Action, clock: Clock, duration: float) -> None:
    """Pause/seek actions; others (quit, fullscreen, HUD) belong to the window."""
    if action is Action.TOGGLE_PAUSE:
        if clock.playing:
            clock.pause()
        else:
            clock.resume()
    elif action is Action.SEEK_BACK:
        clock.seek(max(0.0, clock.now() - SEEK_STEP))
    elif action is Action.SEEK_FORWARD:
        clock.seek(min(duration, clock.now() + SEEK_STEP))
    elif action is Action.RESTART:
        clock.seek(0.0)


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
