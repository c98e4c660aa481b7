"""livesync: a character's mouth lip-synced to your song over music-reactive shaders, played
live or rendered to a music video.

The pure core (lipsync, formats, align, show, audio, glsl, control, sync, frame) imports no
device library; the edges (render, devices) import theirs, and are loaded only by the
functions that draw or play, so aligning or converting files needs no display or sound card.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# pygame greets on import; a performer's console and a script's output are not the place.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

__version__ = "0.1.0"

from livesync.errors import DeviceError, InputError
from livesync.formats import load
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Timeline
from livesync.show.set_list import SetList, load_set_list
from livesync.show.show_file import Show, load_show

if TYPE_CHECKING:
    from livesync.api import play, play_set, render_png, render_set, render_video

__all__ = [
    "DeviceError",
    "InputError",
    "MouthTrack",
    "SetList",
    "Show",
    "Timeline",
    "load",
    "load_set_list",
    "load_show",
    "play",
    "play_set",
    "render_png",
    "render_set",
    "render_video",
]


def __getattr__(name: str) -> Any:
    # The drawing and playing functions pull in moderngl/pygame: load them only when asked.
    if name in ("play", "play_set", "render_png", "render_set", "render_video"):
        from livesync import api

        return getattr(api, name)
    raise AttributeError(name)
