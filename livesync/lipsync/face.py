"""A face track: the singer's own face, as landmarks from a video, sampled at any time.

The landmarks are dlib's 68-point shape predictor grouped as `face_recognition`
(and RunwayML's Face Landmarks model, which exports its output) groups them: nine named
polylines in pixels, 72 points in all, since the two lips share their corners and inner
corners. Videos are sampled at 10 fps or so, faces go missing for a frame or leave the
picture, and a renderer draws at 60 fps; so the track is sampled, never stepped:

- between two frames that both hold a face, every point moves linearly;
- a gap of up to `hold` seconds between two faces is bridged the same way (a blink of the
  detector must not blink the puppet);
- across a longer gap the last face stays where it was and fades out over `fade` seconds,
  and the returning face fades in over the `fade` seconds before it is seen, so the puppet
  never jumps from one place to another;
- before the first frame and after the last one the edge frame's face is held, as a video
  player holds its first and last picture (a song may run past the clip).

Everything here is numpy and pure: the renderer asks `FaceTrack.sample(t)` each frame and
reads the measures a puppet needs (mouth box, eyes, brows, head) from the `Face` it gets.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

Points = NDArray[np.float64]
Point = tuple[float, float]

# The nine polylines, in face_recognition's order, with how many points each holds.
FEATURES: tuple[tuple[str, int], ...] = (
    ("chin", 17),
    ("left_eyebrow", 5),
    ("right_eyebrow", 5),
    ("nose_bridge", 4),
    ("nose_tip", 5),
    ("left_eye", 6),
    ("right_eye", 6),
    ("top_lip", 12),
    ("bottom_lip", 12),
)
FEATURE_NAMES: tuple[str, ...] = tuple(name for name, _ in FEATURES)
POINT_COUNT = sum(n for _, n in FEATURES)  # 72

# Which of dlib's 68 points each polyline holds, exactly as face_recognition.face_landmarks()
# builds them: each lip runs along its outer edge from one corner to the other and back
# along its inner edge, so points 48, 54, 60 and 64 appear in both lips.
DLIB_68: dict[str, tuple[int, ...]] = {
    "chin": tuple(range(0, 17)),
    "left_eyebrow": tuple(range(17, 22)),
    "right_eyebrow": tuple(range(22, 27)),
    "nose_bridge": tuple(range(27, 31)),
    "nose_tip": tuple(range(31, 36)),
    "left_eye": tuple(range(36, 42)),
    "right_eye": tuple(range(42, 48)),
    "top_lip": (*range(48, 55), 64, 63, 62, 61, 60),
    "bottom_lip": (*range(54, 60), 48, 60, 67, 66, 65, 64),
}
_FROM_68 = np.array([i for name in FEATURE_NAMES for i in DLIB_68[name]], dtype=np.intp)
_TO_68 = np.array([int(np.flatnonzero(_FROM_68 == i)[0]) for i in range(68)], dtype=np.intp)
_SLICES: dict[str, slice] = {}
_start = 0
for _name, _count in FEATURES:
    _SLICES[_name] = slice(_start, _start + _count)
    _start += _count

HOLD = 0.5  # seconds: gaps up to this long are bridged
FADE = 0.25  # seconds: how long a face takes to fade out, or back in


def _frozen(values: ArrayLike, shape: tuple[int, ...], what: str) -> Points:
    array = np.array(values, dtype=np.float64)
    if array.shape != shape:
        raise ValueError(f"{what}: expected shape {shape}, got {array.shape}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, slots=True)
class MouthBox:
    """The lips, measured across the mouth's own axis so that a tilted head does not read as
    an open mouth. `height` is the outer height (lip top to lip bottom); `opening` the gap
    between the inner edges, 0 when the lips touch."""

    center: Point
    width: float
    height: float
    opening: float


@dataclass(frozen=True, slots=True)
class Eye:
    """One eye. `openness` is the eye aspect ratio (lid gap over eye width): about 0.25-0.35
    for an open eye, under 0.15 for a closed one, whatever the face's size in the picture."""

    center: Point
    width: float
    openness: float


@dataclass(frozen=True, slots=True)
class Head:
    """Where the head is and how it sits: `scale` is the distance between the eye centres in
    pixels (the usual unit for face measures), `roll` the angle of the line from the left eye
    to the right eye in radians, positive when it turns clockwise on screen (y points down)."""

    center: Point
    scale: float
    roll: float


@dataclass(frozen=True, slots=True, eq=False)
class Face:
    """One face: the 72 points of the nine polylines in `FEATURES` order, pixels, y down.
    "left" and "right" are the file's names: the left eye is the one on the picture's left."""

    points: Points

    def __post_init__(self) -> None:
        points = _frozen(self.points, (POINT_COUNT, 2), "face points")
        if not np.isfinite(points).all():
            raise ValueError("face points must be finite")
        object.__setattr__(self, "points", points)

    def __repr__(self) -> str:
        left, top, right, bottom = self.bounds()
        return f"Face(bounds=({left:.1f}, {top:.1f}, {right:.1f}, {bottom:.1f}))"

    @classmethod
    def from_features(cls, features: Mapping[str, ArrayLike]) -> Face:
        """From the nine named polylines (as face_recognition and RunwayML write them)."""
        parts = []
        for name, count in FEATURES:
            parts.append(_frozen(features[name], (count, 2), name))
        return cls(np.concatenate(parts))

    @classmethod
    def from_68(cls, points: ArrayLike) -> Face:
        """From dlib's 68 points in its own order, grouped as face_recognition groups them."""
        return cls(_frozen(points, (68, 2), "dlib points")[_FROM_68])

    def to_68(self) -> Points:
        """dlib's 68 points (each once), for measures that must not count a lip corner twice."""
        return self.points[_TO_68]

    def feature(self, name: str) -> Points:
        """One polyline, read-only, shape (n, 2)."""
        return self.points[_SLICES[name]]

    def features(self) -> dict[str, Points]:
        return {name: self.feature(name) for name in FEATURE_NAMES}

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of all the points."""
        lo, hi = self.points.min(axis=0), self.points.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    @property
    def area(self) -> float:
        """Of the bounding box: "the largest face" of a frame holding several."""
        left, top, right, bottom = self.bounds()
        return (right - left) * (bottom - top)

    def lerp(self, other: Face, weight: float) -> Face:
        """Every point moved `weight` of the way (0..1) towards `other`'s."""
        return Face(self.points + (other.points - self.points) * weight)

    def mouth(self) -> MouthBox:
        p = self.to_68()
        left, right = p[48], p[54]
        across = right - left
        width = float(np.hypot(*across))
        down = _normal(across, width)
        return MouthBox(
            center=_point(p[48:68].mean(axis=0)),
            width=width,
            height=max(0.0, float(np.dot(p[57] - p[51], down))),
            opening=max(0.0, float(np.dot(p[66] - p[62], down))),
        )

    def eyes(self) -> tuple[Eye, Eye]:
        """(left, right) as the file names them."""
        p = self.to_68()
        return _eye(p[36:42]), _eye(p[42:48])

    def brows(self) -> tuple[float, float]:
        """How high each brow sits above its eye, in units of the head's `scale` and measured
        along the head's own up direction (about 0.25-0.45 at rest; raised brows read higher)."""
        head = self.head()
        up = -_normal(np.array([math.cos(head.roll), math.sin(head.roll)]), 1.0)
        heights = []
        for brow, eye in (("left_eyebrow", "left_eye"), ("right_eyebrow", "right_eye")):
            rise = self.feature(brow).mean(axis=0) - self.feature(eye).mean(axis=0)
            heights.append(float(np.dot(rise, up)) / head.scale if head.scale > 0 else 0.0)
        return heights[0], heights[1]

    def head(self) -> Head:
        left, right = (eye.center for eye in self.eyes())
        dx, dy = right[0] - left[0], right[1] - left[1]
        return Head(
            center=_point(self.to_68().mean(axis=0)),
            scale=math.hypot(dx, dy),
            roll=math.atan2(dy, dx),
        )


def _point(values: NDArray[np.float64]) -> Point:
    return float(values[0]), float(values[1])


def _normal(across: NDArray[np.float64], length: float) -> NDArray[np.float64]:
    """The unit vector a quarter turn clockwise on screen from `across` (down, for a line
    drawn left to right); straight down when the line has no length."""
    if length <= 0:
        return np.array([0.0, 1.0])
    return np.array([-across[1], across[0]]) / length


def _eye(p: NDArray[np.float64]) -> Eye:
    """dlib's six eye points: corners 0 and 3, upper lid 1-2, lower lid 5-4."""
    width = float(np.hypot(*(p[3] - p[0])))
    lids = float(np.hypot(*(p[1] - p[5])) + np.hypot(*(p[2] - p[4])))
    return Eye(_point(p.mean(axis=0)), width, lids / (2 * width) if width > 0 else 0.0)


@dataclass(frozen=True, slots=True)
class FaceSample:
    """The face to draw at `time`, and how visible it is (0 < visibility <= 1): 1 while the
    face is seen or bridged, less while it fades out across a long gap or fades back in."""

    time: float
    face: Face
    visibility: float


@dataclass(frozen=True, eq=False)
class FaceTrack:
    """Video frames at `times` (seconds, strictly increasing), each with a face or none.

    `points` holds the faces as one array, shape (frames, 72, 2), NaN in the frames without a
    face; `size` is the video's (width, height) in pixels when known. Build it with
    `from_faces`; it is immutable, and `sample` is a pure function of it.
    """

    times: Points
    points: Points
    size: tuple[int, int] | None = None
    _face_times: list[float] = field(init=False, repr=False)
    _face_frames: NDArray[np.intp] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        times = _frozen(self.times, (len(np.atleast_1d(self.times)),), "times")
        points = _frozen(self.points, (len(times), POINT_COUNT, 2), "points")
        if not np.isfinite(times).all() or (np.diff(times) <= 0).any():
            raise ValueError("frame times must be finite and strictly increasing")
        missing = np.isnan(points).all(axis=(1, 2))
        if not np.isfinite(points[~missing]).all():
            raise ValueError("a face's points must all be finite")
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "_face_frames", np.flatnonzero(~missing))
        object.__setattr__(self, "_face_times", times[~missing].tolist())

    @classmethod
    def from_faces(
        cls, frames: Iterable[tuple[float, Face | None]], size: tuple[int, int] | None = None
    ) -> FaceTrack:
        listed = list(frames)
        points = np.full((len(listed), POINT_COUNT, 2), np.nan)
        for i, (_, face) in enumerate(listed):
            if face is not None:
                points[i] = face.points
        return cls(np.array([t for t, _ in listed], dtype=np.float64), points, size)

    def __len__(self) -> int:
        return len(self.times)

    def face_at(self, frame: int) -> Face | None:
        """The face of frame `frame` as the file holds it (no interpolation)."""
        return None if np.isnan(self.points[frame, 0, 0]) else Face(self.points[frame])

    def frames(self) -> Iterator[tuple[float, Face | None]]:
        for i, t in enumerate(self.times):
            yield float(t), self.face_at(i)

    @property
    def face_count(self) -> int:
        """How many frames hold a face."""
        return len(self._face_times)

    @property
    def duration(self) -> float:
        """The time of the last frame (frames start near 0)."""
        return float(self.times[-1]) if len(self.times) else 0.0

    def sample(self, t: float, *, hold: float = HOLD, fade: float = FADE) -> FaceSample | None:
        """The face at time `t` (seconds), or None when no face is to be drawn.

        Contract (the module docstring says why): between two faces at most `hold` seconds
        apart, points are interpolated linearly and visibility is 1; the frame times
        themselves return their own face exactly. Across a longer gap, the face before it is
        held while its visibility falls linearly from 1 at its frame to 0 `fade` seconds
        later, and the face after it is held while visibility rises to 1 over the `fade`
        seconds before its frame; when both ramps overlap, the more visible face is drawn.
        Outside the frames' time span the edge frame's face is held at visibility 1 if the
        edge frame holds a face, else the nearest face fades as across a gap. None means
        visibility 0 (or a track with no face at all). `t` must be finite; `hold` and `fade`
        must be positive.
        """
        if not math.isfinite(t):
            raise ValueError(f"sample time must be finite, got {t}")
        if not (hold > 0 and fade > 0):
            raise ValueError("hold and fade must be positive")
        known = self._face_times
        if not known:
            return None
        after = bisect.bisect_left(known, t)
        if after < len(known) and known[after] == t:
            return FaceSample(t, self._face(after), 1.0)
        if after == 0:
            return self._edge(t, 0, known[0] - t, self._face_frames[0] == 0, fade)
        if after == len(known):
            last_is_edge = self._face_frames[-1] == len(self.times) - 1
            return self._edge(t, after - 1, t - known[-1], last_is_edge, fade)
        before_t, after_t = known[after - 1], known[after]
        if after_t - before_t <= hold:
            weight = (t - before_t) / (after_t - before_t)
            return FaceSample(t, self._face(after - 1).lerp(self._face(after), weight), 1.0)
        fading_out = 1.0 - (t - before_t) / fade
        fading_in = 1.0 - (after_t - t) / fade
        if max(fading_out, fading_in) <= 0:
            return None
        if fading_out >= fading_in:
            return FaceSample(t, self._face(after - 1), min(1.0, fading_out))
        return FaceSample(t, self._face(after), min(1.0, fading_in))

    def _face(self, k: int) -> Face:
        """The k-th face of the track (counting only frames with a face)."""
        return Face(self.points[self._face_frames[k]])

    def _edge(self, t: float, k: int, away: float, at_edge: bool, fade: float) -> FaceSample | None:
        """Before the first face or after the last: held outside the frames when the edge
        frame has a face (`at_edge`), else fading with the distance `away` from it."""
        visibility = 1.0 if at_edge else 1.0 - away / fade
        return FaceSample(t, self._face(k), visibility) if visibility > 0 else None
