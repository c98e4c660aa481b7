"""Video frames through imageio-ffmpeg's bundled ffmpeg, at the frame rate asked for.

ffmpeg's `fps` filter picks the frames, so frame k is at k / rate seconds whatever the
source does: a phone's variable frame rate, 29.97 fps, or a rate above the one asked for.
Frames come autorotated (a portrait phone video reads upright) as RGB arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np
from numpy.typing import NDArray

from livesync.errors import InputError

Frame = NDArray[np.uint8]
MAX_RATE = 240.0


@dataclass(frozen=True)
class Video:
    """What the header says: frame size after rotation, the source's frame rate (0 when it
    does not say), and duration in seconds (0 when unknown)."""

    path: Path
    size: tuple[int, int]
    fps: float
    duration: float

    def frame_count(self, rate: float) -> int:
        """About how many frames `frames(rate)` yields (for a progress bar; ffmpeg may give
        one more or less)."""
        return max(1, math.ceil(self.duration * rate)) if self.duration > 0 else 0


def open_video(path: Path) -> Video:
    """The video's header, or one InputError saying why the file is not a readable video."""
    if not path.exists():
        raise InputError(path, "video not found")
    if path.is_dir():
        raise InputError(path, "is a folder, not a video")
    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        meta: dict[str, Any] = next(reader)
        width, height = (int(v) for v in meta["size"])
        fps, duration = float(meta.get("fps") or 0.0), float(meta.get("duration") or 0.0)
    except (OSError, RuntimeError, LookupError, ValueError, TypeError, StopIteration):
        raise InputError(
            path, "cannot read it as a video (no video stream ffmpeg can decode)"
        ) from None
    finally:
        reader.close()
    if width <= 0 or height <= 0:
        raise InputError(path, "cannot read it as a video (no frame size)")
    return Video(path, (width, height), fps if math.isfinite(fps) else 0.0, duration)


def frames(video: Video, rate: float) -> Iterator[Frame]:
    """The frames at `rate` per second, in order, each (height, width, 3) uint8 RGB. A file
    cut short ends the frames where it ends."""
    reader = imageio_ffmpeg.read_frames(str(video.path), output_params=["-vf", f"fps={rate!r}"])
    try:
        meta: dict[str, Any] = next(reader)
        width, height = (int(v) for v in meta["size"])
        while True:
            try:
                data = next(reader)
            except (StopIteration, RuntimeError):  # the end, or a truncated last frame
                return
            yield np.frombuffer(data, np.uint8).reshape(height, width, 3)
    except (OSError, LookupError, ValueError, StopIteration):
        raise InputError(video.path, "cannot decode the video's frames") from None
    finally:
        reader.close()
