"""Face landmarks from a video with dlib: what RunwayML's Face Landmarks model computes.

RunwayML's model is `face_recognition.face_landmarks()`, which is dlib's HOG face detector
and its 68-point shape predictor; this runs the same two with dlib directly (the model file
comes from the `face_recognition_models` package, so nothing is downloaded) and groups the
points as face_recognition does (`lipsync.face.Face.from_68`).

Searching a whole frame for faces is the slow half (tens of milliseconds a frame, far more
at full 720p with upsampling) and the predictor the fast one (a few ms), so the whole frame is
searched every `detect_every` frames only. In between, the face is tracked: the detector
looks only in a window around the box of the previous frame, scaled so the face is just
large enough for it to see, which costs a few milliseconds. The face is therefore confirmed
in every frame, as RunwayML's per-frame detection would: a face that leaves the picture is
gone in the first frame without it (the predictor alone would draw a face anywhere), and
while no face is tracked every frame is searched, so one that comes back is found at once.
Of several faces the largest is kept, except that one overlapping the tracked face keeps
being tracked (a passer-by does not steal the puppet).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import dlib
import face_recognition_models
import numpy as np
from numpy.typing import NDArray

from livesync.errors import InputError
from livesync.lipsync.face import Face, FaceTrack
from livesync.vision.video import MAX_RATE, Frame, frames, open_video

Progress = Callable[[int, int], None]
Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels
Gray = NDArray[np.uint8]

DETECT_EVERY = 5
# The detector finds faces of ~80 px and up. A whole frame is searched scaled to about this
# many pixels (960x540), which keeps the search fast on big frames and still finds a face a
# twelfth of a 720p frame's width; frames under 640x360 are searched at twice their size.
DETECT_PIXELS = 960 * 540
UPSAMPLE_BELOW = 640 * 360
# Tracking: the window around the previous box (this much of the box's size on each side),
# scaled so that the face in it is about TRACK_FACE pixels wide.
TRACK_MARGIN = 0.5
TRACK_FACE = 110
TRACK_OVERLAP = 0.3  # a detection overlapping the tracked box this much is the same face


class FaceFinder:
    """Finds one face per frame, frame after frame of the same video."""

    def __init__(self, detect_every: int = DETECT_EVERY) -> None:
        if detect_every < 1:
            raise ValueError("detect_every must be at least 1")
        self.detect_every = detect_every
        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(
            face_recognition_models.pose_predictor_model_location()
        )
        self._box: Box | None = None
        self._since_search = 0

    def find(self, frame: Frame) -> NDArray[np.float64] | None:
        """dlib's 68 points of the face in `frame` (pixels), or None when there is none."""
        gray = dlib.as_grayscale(frame)
        if self._box is None or self._since_search >= self.detect_every:
            box = self._search(gray, self._box)
            self._since_search = 0
        else:
            box = self._follow(gray, self._box)
        self._box = box
        if box is None:
            return None
        self._since_search += 1
        left, top, right, bottom = (round(v) for v in box)
        shape = self._predictor(frame, dlib.rectangle(left, top, right - 1, bottom - 1))
        return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)

    def _search(self, gray: Gray, tracked: Box | None) -> Box | None:
        """The whole frame: the face overlapping the tracked one, else the largest."""
        height, width = gray.shape
        scale = min(1.0, math.sqrt(DETECT_PIXELS / (width * height)))
        upsample = 1 if width * height * scale * scale < UPSAMPLE_BELOW else 0
        boxes = self._detect(gray, (0, 0, width, height), scale, upsample)
        if tracked is not None:
            boxes = [b for b in boxes if _overlap(b, tracked) >= TRACK_OVERLAP] or boxes
        return max(boxes, key=_area, default=None)

    def _follow(self, gray: Gray, tracked: Box) -> Box | None:
        """The window around the tracked box: the face there, or None when it has gone."""
        height, width = gray.shape
        margin = TRACK_MARGIN * max(tracked[2] - tracked[0], tracked[3] - tracked[1])
        window = (
            max(0, math.floor(tracked[0] - margin)),
            max(0, math.floor(tracked[1] - margin)),
            min(width, math.ceil(tracked[2] + margin)),
            min(height, math.ceil(tracked[3] + margin)),
        )
        if window[2] - window[0] < 8 or window[3] - window[1] < 8:
            return None
        scale = TRACK_FACE / max(1.0, tracked[2] - tracked[0])
        boxes = [b for b in self._detect(gray, window, scale, 0) if _overlap(b, tracked) > 0]
        return max(boxes, key=_area, default=None)

    def _detect(
        self, gray: Gray, window: tuple[int, int, int, int], scale: float, up: int
    ) -> list[Box]:
        """Faces in `window` of the frame, searched at `scale`, as boxes in frame pixels."""
        left, top, right, bottom = window
        image = gray[top:bottom, left:right]
        if scale != 1.0:
            rows = max(1, round((bottom - top) * scale))
            cols = max(1, round((right - left) * scale))
            image = dlib.resize_image(np.ascontiguousarray(image), rows, cols)
        return [
            (
                left + r.left() / scale,
                top + r.top() / scale,
                left + (r.right() + 1) / scale,
                top + (r.bottom() + 1) / scale,
            )
            for r in self._detector(np.ascontiguousarray(image), up)
        ]


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    inner = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    shared = _area(inner) if inner[0] < inner[2] and inner[1] < inner[3] else 0.0
    union = _area(a) + _area(b) - shared
    return shared / union if union > 0 else 0.0


def extract_face_track(
    path: Path,
    *,
    fps: float | None = None,
    detect_every: int = DETECT_EVERY,
    progress: Progress | None = None,
) -> FaceTrack:
    """The face track of a video: frames at `fps` per second (default: the video's own
    rate), one face per frame or none. InputError for a file that is not a readable video,
    a video that does not state its frame rate when `fps` is not given, or one in which no
    face was found."""
    if detect_every < 1:
        raise InputError(None, f"--detect-every must be 1 or more, got {detect_every}")
    video = open_video(path)
    rate = fps if fps is not None else video.fps
    if not (0 < rate <= MAX_RATE):
        if fps is None:
            raise InputError(path, "the video does not state its frame rate: give --fps")
        raise InputError(None, f"--fps must be more than 0 and at most {MAX_RATE:g}, got {fps:g}")
    finder = FaceFinder(detect_every)
    total = video.frame_count(rate)
    found: list[tuple[float, Face | None]] = []
    for k, frame in enumerate(frames(video, rate)):
        points = finder.find(frame)
        found.append((round(k / rate, 6), None if points is None else Face.from_68(points)))
        if progress is not None:
            progress(k + 1, max(total, k + 2))
    if progress is not None:
        progress(len(found), len(found))
    if not found:
        raise InputError(path, "the video has no frames")
    track = FaceTrack.from_faces(found, video.size)
    if track.face_count == 0:
        raise InputError(path, f"no face found in any of its {len(track)} frames")
    return track
