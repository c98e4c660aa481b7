"""livesync: a character's mouth lip-synced to your song over music-reactive shaders, played
live or rendered to a music video.

The pure core (timeline, visemes, mouth track, clocks, show files) imports no hardware
library; the functions that draw or play import theirs when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from livesync.errors import DeviceError, InputError
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Timeline, load
from livesync.show.show_file import Show, load_show

if TYPE_CHECKING:
    from livesync.api import play, render_png, render_video

__all__ = [
    "DeviceError",
    "InputError",
    "MouthTrack",
    "Show",
    "Timeline",
    "load",
    "load_show",
    "play",
    "render_png",
    "render_video",
]


def __getattr__(name: str) -> Any:
    # The drawing and playing functions pull in moderngl/pygame: load them only when asked.
    if name in ("play", "render_png", "render_video"):
        from livesync import api

        return getattr(api, name)
    raise AttributeError(name)
