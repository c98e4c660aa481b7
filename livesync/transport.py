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
    """Frames per second over a sliding second, from times the caller passes in."""

    def __init__(self) -> None:
        self._times: list[float] = []

    def tick(self, now: float) -> None:
        self._times.append(now)
        while self._times and now - self._times[0] > 1.0:
            self._times.pop(0)

    @property
    def fps(self) -> float:
        if len(self._times) < 2:
            return 0.0
        return (len(self._times) - 1) / (self._times[-1] - self._times[0])
