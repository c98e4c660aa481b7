"""What the performer's keys do, as pure actions on a clock (the window only names keys).

Number keys are scene picks, the same control event OSC and MIDI send, so they reach the
live state through the one control path and crossfade rather than cut.
"""

from __future__ import annotations

from enum import Enum

from livesync.control.events import PickSong, SelectScene
from livesync.sync.clock import Clock

SEEK_STEP = 5.0
SCENE_KEY_FADE = 0.5  # seconds: a number key crossfades rather than cuts


class Action(Enum):
    QUIT = "quit"
    TOGGLE_PAUSE = "pause"
    SEEK_BACK = "seek-back"
    SEEK_FORWARD = "seek-forward"
    TOGGLE_FULLSCREEN = "fullscreen"
    TOGGLE_HUD = "hud"
    RESTART = "restart"


Command = Action | SelectScene | PickSong


def _scene_key(key: int) -> SelectScene:
    """Key 1 is the first scene, 0 the tenth."""
    index = (key - 1) % 10
    return SelectScene(index, f"key {key}", fade=SCENE_KEY_FADE)


KEYMAP: dict[str, Command] = {
    "escape": Action.QUIT,
    "q": Action.QUIT,
    "space": Action.TOGGLE_PAUSE,
    "left": Action.SEEK_BACK,
    "right": Action.SEEK_FORWARD,
    "f": Action.TOGGLE_FULLSCREEN,
    "h": Action.TOGGLE_HUD,
    "home": Action.RESTART,
    "n": PickSong(None, "key n"),  # in a set list: the next song now
    **{str(n): _scene_key(n) for n in range(10)},
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
