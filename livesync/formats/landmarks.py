"""Face landmark JSON, in and out: RunwayML's Face Landmarks export and livesync's own track.

RunwayML's model is dlib's 68-point predictor as `face_recognition` exposes it, and its
export is `face_recognition.face_landmarks()` for each frame, with the frame's time:

    [{"time": 0.1, "landmarks": [{"chin": [[x, y], ...], "left_eyebrow": ..., ...}]}, ...]

`landmarks` is one dict, or a list of one dict per face found; a frame where no face was
found has an empty list (or dict, or null) or no `landmarks` at all. Points are pixels.
Frames come at any rate (10 fps is typical), must be in time order, and two frames at the
same time are one frame (the first one with a face counts).

Several faces in a frame: the largest is kept (its points' bounding box), or the one at a
chosen index; a frame with fewer faces than that index has no face. A file in which no frame
has a face is refused: it would draw nothing.

livesync's own face track, what `livesync import` writes, is the cleaned result: one face
per frame or none, and the video's frame size when known. It reads back through `read`:

    {"livesync_face": 1, "size": [1280, 720],
     "frames": [{"time": 0.0, "landmarks": {"chin": ...}}, {"time": 0.1}, ...]}

Every problem is one `InputError` naming the frame index and the key.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from livesync.errors import InputError, read_user_text
from livesync.formats._common import Source
from livesync.formats.spec import Content
from livesync.lipsync.face import FEATURES, Face, FaceTrack, Points
from livesync.values import LONGEST_SONG, describe, finite, kind_of, whole

FACE_KEY = "livesync_face"
VERSION = 1
MAX_COORD = 1e6  # pixels either way: far past any video, short of overflowing a measure
MAX_TIME = LONGEST_SONG  # seconds: a recording of a song's length, as every timing file
MAX_SIZE = 100_000  # pixels, the video's width or height
_NUMBER = (int, float)  # exact types: a bool is an int in Python but never a coordinate


def detect(content: Content) -> bool:
    """A landmark file: livesync's own face track, or a JSON list of frames that have a
    `time` or `landmarks` (no timing format is a JSON list of such objects)."""
    data = content.data
    if isinstance(data, dict):
        return FACE_KEY in data
    if not isinstance(data, list) or not data:
        return False
    first = data[0]
    if isinstance(first, dict) and "time" in first and "type" not in first:
        return True  # ("type": Polly's speech marks, wrapped in a list by hand)
    return any(isinstance(frame, dict) and "landmarks" in frame for frame in data)


def read(content: Content, *, face: int | None = None) -> FaceTrack:
    """The face track of a detected landmark file; `face` picks a face by index in frames
    holding several (None: the largest)."""
    if face is not None and face < 0:
        raise InputError(None, f"face index (--face) must be 0 or more, got {face}")
    if content.json_error is not None:
        raise content.json_error
    return parse(content.data, content.source, face=face)


def parse_face_track(text: str, source: Source, *, face: int | None = None) -> FaceTrack:
    """A face track from the text of a landmark file (RunwayML's or livesync's own)."""
    if not isinstance(text, str):
        raise InputError(source, "expected text")
    content = Content(text, source)
    if not content.text.strip():
        raise InputError(source, "the file is empty")
    if content.kind != "json":
        raise InputError(source, "expected landmark JSON (a list of frames)")
    return read(content, face=face)


def read_face_track(path: str | Path, *, face: int | None = None) -> FaceTrack:
    """Load a landmark file (RunwayML's export or livesync's own face track)."""
    path = Path(path)
    return parse_face_track(read_user_text(path, "landmark file"), path, face=face)


def parse(data: Any, source: Source, *, face: int | None = None) -> FaceTrack:
    """A face track from parsed JSON: RunwayML's list of frames or livesync's own object."""
    if face is not None and face < 0:
        raise InputError(None, f"face index (--face) must be 0 or more, got {face}")
    size: tuple[int, int] | None = None
    if isinstance(data, dict) and FACE_KEY in data:
        whole(data[FACE_KEY], FACE_KEY, source, minimum=VERSION, maximum=VERSION)
        size = _size(data.get("size"), source)
        frames = data.get("frames")
        if not isinstance(frames, list):
            raise InputError(source, f"frames: expected a list of frames, got {kind_of(frames)}")
    elif isinstance(data, list):
        frames = data
    else:
        raise InputError(source, f"expected a list of landmark frames, got {kind_of(data)}")
    if not frames:
        raise InputError(source, "no frames")
    track = _track(frames, source, face, size)
    if track.face_count == 0:
        raise InputError(source, f"no face in any of the {len(track)} frames")
    return track


def _size(value: Any, source: Source) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(source, f"size: expected [width, height], got {describe(value)}")
    width = whole(value[0], "size[0]", source, minimum=1, maximum=MAX_SIZE)
    height = whole(value[1], "size[1]", source, minimum=1, maximum=MAX_SIZE)
    return width, height


def _track(
    frames: list[Any], source: Source, index: int | None, size: tuple[int, int] | None
) -> FaceTrack:
    times: list[float] = []
    faces: list[Face | None] = []
    for i, frame in enumerate(frames):
        if not isinstance(frame, dict):
            raise InputError(
                source,
                f"frame {i}: expected an object with 'time' and 'landmarks', got {kind_of(frame)}",
            )
        t = finite(frame.get("time"), f"frame {i}: time", source, minimum=0, maximum=MAX_TIME)
        found = _pick(_faces(frame.get("landmarks"), i, source), index)
        if times and t < times[-1]:
            raise InputError(
                source,
                f"frame {i}: time {t:g} s is before frame {i - 1}'s ({times[-1]:g} s): "
                "frames must be in time order",
            )
        if times and t == times[-1]:
            if faces[-1] is None:
                faces[-1] = found
            continue
        times.append(t)
        faces.append(found)
    return FaceTrack.from_faces(zip(times, faces, strict=True), size)


def _faces(value: Any, i: int, source: Source) -> list[Face]:
    """Every face of a frame's `landmarks` (a dict, a list of dicts, or empty)."""
    if value is None or value == [] or value == {}:
        return []
    if isinstance(value, dict):
        return [_face(value, f"frame {i}: landmarks", source)]
    if not isinstance(value, list):
        raise InputError(
            source,
            f"frame {i}: landmarks: expected an object or a list of them, got {kind_of(value)}",
        )
    faces = []
    for j, item in enumerate(value):
        where = f"frame {i}: landmarks[{j}]"
        if not isinstance(item, dict):
            raise InputError(source, f"{where}: expected an object, got {kind_of(item)}")
        faces.append(_face(item, where, source))
    return faces


def _pick(faces: list[Face], index: int | None) -> Face | None:
    if index is not None:
        return faces[index] if index < len(faces) else None
    return max(faces, key=lambda f: f.area, default=None)


def _face(value: dict[str, Any], where: str, source: Source) -> Face:
    parts = []
    for name, count in FEATURES:
        if name not in value:
            raise InputError(source, f"{where}.{name}: missing")
        parts.append(_points(value[name], count, f"{where}.{name}", source))
    return Face(np.concatenate(parts))


def _points(value: Any, count: int, where: str, source: Source) -> Points:
    """A polyline of `count` [x, y] points. Checked per point with plain type tests first: a
    long video holds a million numbers, too many to read one by one through `finite`."""
    if not isinstance(value, list):
        raise InputError(source, f"{where}: expected a list of [x, y] points, got {kind_of(value)}")
    if len(value) != count:
        raise InputError(source, f"{where}: expected {count} points, got {len(value)}")
    for k, point in enumerate(value):
        if not (
            isinstance(point, list)
            and len(point) == 2
            and type(point[0]) in _NUMBER
            and type(point[1]) in _NUMBER
        ):
            _refuse(point, f"{where}[{k}]", source)
    try:
        array = np.array(value, dtype=np.float64)
    except OverflowError:  # an integer too large for a float
        array = np.full((count, 2), math.inf)
    if not (np.isfinite(array).all() and (np.abs(array) <= MAX_COORD).all()):
        for k, point in enumerate(value):
            _refuse(point, f"{where}[{k}]", source)
    return array


def _refuse(point: Any, where: str, source: Source) -> None:
    """Raises the error for a bad point (returns when the point is fine)."""
    if not isinstance(point, list) or len(point) != 2:
        raise InputError(source, f"{where}: expected [x, y], got {describe(point)}")
    for axis, value in zip("xy", point, strict=True):
        finite(value, f"{where} {axis}", source, minimum=-MAX_COORD, maximum=MAX_COORD)


def _number(value: float) -> float | int:
    """Whole pixels as integers (as face_recognition writes them), others to 1/1000 px."""
    return int(value) if float(value).is_integer() else round(float(value), 3)


def _features(face: Face) -> dict[str, list[list[float | int]]]:
    return {
        name: [[_number(x), _number(y)] for x, y in points.tolist()]
        for name, points in face.features().items()
    }


def _frames_text(frames: list[dict[str, Any]]) -> str:
    """One frame per line: a long track stays readable and diffable."""
    return "[\n" + ",\n".join(json.dumps(frame, allow_nan=False) for frame in frames) + "\n]"


def dumps_runway(track: FaceTrack) -> str:
    """RunwayML's form: a list of frames, `landmarks` a list of the frame's faces (one or
    none), exactly as `face_recognition.face_landmarks()` returns them."""
    frames: list[dict[str, Any]] = [
        {"time": t, "landmarks": [] if face is None else [_features(face)]}
        for t, face in track.frames()
    ]
    return _frames_text(frames) + "\n"


def dumps(track: FaceTrack) -> str:
    """livesync's own face track: one face per frame (a frame without one has no
    `landmarks`), and the video's frame size when known."""
    frames: list[dict[str, Any]] = [
        {"time": t} if face is None else {"time": t, "landmarks": _features(face)}
        for t, face in track.frames()
    ]
    size = list(track.size) if track.size is not None else None
    head = json.dumps({FACE_KEY: VERSION, "size": size})[:-1]
    return f'{head}, "frames": {_frames_text(frames)}}}\n'
