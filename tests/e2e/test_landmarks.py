"""`livesync landmarks` for real: dlib's detector and 68-point predictor on a video of a real
face moving along a known path, checked against that path; then the exits a user meets
(missing extra, unreadable video, a video without a face, an existing output)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from numpy.typing import NDArray
from skimage import data, transform

from livesync.formats import read_face_track
from livesync.lipsync.face import FaceTrack

from .test_cli import livesync

pytestmark = pytest.mark.e2e

SIZE = (448, 320)  # width, height: small, and a multiple of the codec's 16-pixel blocks
FPS = 12
FRAMES = 30  # 2.5 s
AWAY = range(18, 24)  # blank frames: the face leaves the picture and comes back
# The astronaut's head, and where its eyes are in that crop (measured once with dlib; the
# check allows a few pixels, so this only pins the extraction to the right face).
CROP = (slice(0, 260), slice(90, 360))
HEAD_CENTRE = np.array([130.0, 121.0])
EYES = np.array([[113.2, 101.5], [156.5, 104.2]])


def motion(k: int) -> transform.SimilarityTransform:
    """Frame k's placement of the photo: a slide right, a bob, a zoom and a turn of 6°."""
    u = k / (FRAMES - 1)
    scale = 0.95 + 0.2 * u
    turn = math.radians(6 * math.sin(2 * math.pi * u))
    centre = np.array([SIZE[0] / 2 - 50 + 100 * u, SIZE[1] / 2 + 15 * math.sin(2 * math.pi * u)])
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    return transform.SimilarityTransform(  # type: ignore[no-untyped-call]
        scale=scale, rotation=turn, translation=centre - scale * rotation @ HEAD_CENTRE
    )


def write_video(path: Path, frame: Callable[[int], NDArray[np.uint8]], count: int) -> None:
    writer = imageio_ffmpeg.write_frames(str(path), SIZE, fps=FPS, quality=8)
    writer.send(None)
    for k in range(count):
        writer.send(np.ascontiguousarray(frame(k)))
    writer.close()


@dataclass(frozen=True)
class Extracted:
    video: Path
    out: Path
    track: FaceTrack


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Extracted:
    folder = tmp_path_factory.mktemp("landmarks")
    head = data.astronaut()[CROP]  # type: ignore[no-untyped-call]
    grey = np.full((SIZE[1], SIZE[0], 3), 128, np.uint8)

    def frame(k: int) -> NDArray[np.uint8]:
        if k in AWAY:
            return grey
        placed = transform.warp(  # type: ignore[no-untyped-call]
            head, motion(k).inverse, output_shape=SIZE[::-1], cval=0.5
        )
        return np.asarray((placed * 255).round(), dtype=np.uint8)

    video = folder / "me.mp4"
    write_video(video, frame, FRAMES)
    out = folder / "face.json"
    result = livesync("landmarks", video, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "30/30" in result.stderr  # the progress bar reached the end
    return Extracted(video, out, read_face_track(out))


def points(track: FaceTrack, k: int) -> NDArray[np.float64]:
    face = track.face_at(k)
    assert face is not None, f"no face in frame {k}"
    return face.to_68()


def test_the_landmarks_follow_the_known_motion(extracted: Extracted) -> None:
    track = extracted.track
    assert len(track) == FRAMES
    assert track.times.tolist() == pytest.approx([k / FPS for k in range(FRAMES)], abs=1e-6)
    first = track.face_at(0)
    assert first is not None
    found = np.array([eye.center for eye in first.eyes()])
    assert np.abs(found - motion(0)(EYES)).max() < 4  # the astronaut's eyes, where they are
    reference = motion(0).inverse(points(track, 0))  # frame 0's points, back on the photo
    for k in (k for k in range(FRAMES) if k not in AWAY):
        error = np.hypot(*(points(track, k) - motion(k)(reference)).T)
        assert np.median(error) < 2.0, (k, np.median(error))
        assert error.max() < 5.0, (k, error.max())


def test_a_face_that_leaves_and_comes_back(extracted: Extracted) -> None:
    track = extracted.track
    assert [k for k in range(FRAMES) if track.face_at(k) is None] == list(AWAY)
    raw = json.loads(extracted.out.read_text())
    assert raw[AWAY[0]] == {"time": pytest.approx(AWAY[0] / FPS), "landmarks": []}
    assert isinstance(raw[0]["landmarks"], list) and len(raw[0]["landmarks"]) == 1
    assert set(raw[0]["landmarks"][0]) == {
        "chin",
        "left_eyebrow",
        "right_eyebrow",
        "nose_bridge",
        "nose_tip",
        "left_eye",
        "right_eye",
        "top_lip",
        "bottom_lip",
    }
    middle = (AWAY[0] + AWAY[-1]) / 2 / FPS
    assert track.sample(middle) is None  # half a second away: faded out
    assert track.sample(AWAY[-1] / FPS + 0.05) is not None  # fading back in


def test_fewer_frames_per_second_are_the_same_frames(extracted: Extracted, tmp_path: Path) -> None:
    out = tmp_path / "face6.json"
    result = livesync("landmarks", extracted.video, "-o", out, "--fps", "6", "--detect-every", "1")
    assert result.returncode == 0, result.stderr
    slow = read_face_track(out)
    assert slow.times.tolist() == pytest.approx([k / 6 for k in range(FRAMES // 2)], abs=1e-6)
    for k in (0, 4, 8, 13):  # frame k at 6 fps is frame 2k at 12 fps
        assert np.abs(points(slow, k) - points(extracted.track, 2 * k)).max() < 3


def test_the_output_imports_and_is_never_overwritten(extracted: Extracted, tmp_path: Path) -> None:
    own = tmp_path / "track.json"
    result = livesync("import", extracted.out, "-o", own)
    assert result.returncode == 0, result.stderr
    assert "face track, 24/30 frames with a face" in result.stderr
    back = read_face_track(own)
    np.testing.assert_array_equal(back.points, extracted.track.points)
    before = extracted.out.read_text()
    again = livesync("landmarks", extracted.video, "-o", extracted.out)
    assert again.returncode == 2 and "--force" in again.stderr
    assert again.stderr.count("\n") == 1 and extracted.out.read_text() == before


def test_without_the_extra_one_line_says_how_to_install_it(
    extracted: Extracted, tmp_path: Path
) -> None:
    """A stand-in for an uninstalled extra: a `dlib` module first on PYTHONPATH whose import
    fails exactly as a missing package's does (ModuleNotFoundError naming dlib)."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "dlib.py").write_text(
        'raise ModuleNotFoundError("No module named \'dlib\'", name="dlib")\n'
    )
    out = tmp_path / "face.json"
    result = livesync("landmarks", extracted.video, "-o", out, env={"PYTHONPATH": str(shim)})
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1
    assert "pip install 'livesync[landmarks]'" in result.stderr
    assert not out.exists()


def test_unreadable_videos_and_videos_without_a_face(tmp_path: Path) -> None:
    text = tmp_path / "song.mp4"
    text.write_text("not a video\n")
    for video, needle in [
        (text, "cannot read it as a video"),
        (tmp_path / "missing.mp4", "video not found"),
        (tmp_path, "is a folder"),
    ]:
        result = livesync("landmarks", video, "-o", tmp_path / "face.json")
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and needle in result.stderr, result.stderr
    empty = tmp_path / "wall.mp4"
    write_video(empty, lambda k: np.full((SIZE[1], SIZE[0], 3), 90, np.uint8), 6)
    result = livesync("landmarks", empty, "-o", tmp_path / "face.json")
    assert result.returncode == 2 and "no face found in any of its 6 frames" in result.stderr
    assert not (tmp_path / "face.json").exists()
