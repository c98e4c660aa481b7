"""The video edge: a video file in, a `FaceTrack` (the core's face landmarks) out.

Needs the optional extra `livesync[landmarks]` (dlib's prebuilt wheel and its 68-point shape
predictor model); importing `livesync.vision.landmarks` without it raises ImportError, which
the command line turns into one line saying how to install it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from livesync.errors import DeviceError
from livesync.lipsync.face import FaceTrack

INSTALL = "pip install 'livesync[landmarks]'"


class Extract(Protocol):
    """`landmarks.extract_face_track`'s signature, so callers are typed without dlib."""

    def __call__(
        self,
        path: Path,
        *,
        fps: float | None = None,
        detect_every: int = ...,
        progress: Callable[[int, int], None] | None = None,
    ) -> FaceTrack: ...


def extractor() -> Extract:
    """`landmarks.extract_face_track`, imported only now: without the optional extra, a
    DeviceError (exit status 3) naming what is missing and how to install it."""
    try:
        from livesync.vision.landmarks import extract_face_track
    except ImportError as exc:
        if exc.name not in ("dlib", "face_recognition_models"):
            raise
        raise DeviceError(f"face landmarks need {exc.name}, not installed: {INSTALL}") from None
    return extract_face_track
