"""The face track model: face_recognition's grouping of dlib's points, the sampler's contract
(interpolation, bridged gaps, fades, edges) and the measures a puppet reads from a face."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from livesync.lipsync.face import (
    FEATURES,
    POINT_COUNT,
    Face,
    FaceSample,
    FaceTrack,
)

from ..conftest import DATA

SAMPLE = DATA / "landmarks" / "astronaut-runway.json"


def real_face() -> Face:
    """dlib's real points for the astronaut photo (frame 0 of the sample)."""
    frame = json.loads(SAMPLE.read_text())[0]
    return Face.from_features(frame["landmarks"][0])


def moved(
    face: Face, *, shift: tuple[float, float] = (0, 0), scale: float = 1.0, turn: float = 0.0
) -> Face:
    """The face scaled and turned (radians, clockwise on screen) about its centre, then
    shifted: how a head moves in a video."""
    center = face.to_68().mean(axis=0)
    c, s = math.cos(turn), math.sin(turn)
    rotation = np.array([[c, -s], [s, c]])
    return Face((face.points - center) @ rotation.T * scale + center + np.array(shift))


def track(*frames: tuple[float, Face | None]) -> FaceTrack:
    return FaceTrack.from_faces(frames)


def sampled(tr: FaceTrack, t: float, **kwargs: float) -> FaceSample:
    result = tr.sample(t, **kwargs)
    assert result is not None, f"no face at {t}"
    return result


# --- the 72 points: face_recognition's grouping ----------------------------------------------


def test_from_68_groups_points_as_face_recognition_does() -> None:
    """face_recognition.face_landmarks() builds the polylines by slicing dlib's points; the
    same slices written out here, independently of the module's table."""
    dlib = [(float(i), float(-i)) for i in range(68)]
    expected = {
        "chin": dlib[0:17],
        "left_eyebrow": dlib[17:22],
        "right_eyebrow": dlib[22:27],
        "nose_bridge": dlib[27:31],
        "nose_tip": dlib[31:36],
        "left_eye": dlib[36:42],
        "right_eye": dlib[42:48],
        "top_lip": [*dlib[48:55], dlib[64], dlib[63], dlib[62], dlib[61], dlib[60]],
        "bottom_lip": [*dlib[54:60], dlib[48], dlib[60], dlib[67], dlib[66], dlib[65], dlib[64]],
    }
    face = Face.from_68(dlib)
    assert [name for name, _ in FEATURES] == list(expected)
    for name, points in expected.items():
        assert face.feature(name).tolist() == [list(p) for p in points], name
    assert face.to_68().tolist() == [list(p) for p in dlib]
    assert POINT_COUNT == 72


def test_faces_refuse_wrong_shapes_and_are_read_only() -> None:
    with pytest.raises(ValueError, match="top_lip"):
        Face.from_features({**real_face().features(), "top_lip": np.zeros((11, 2))})
    with pytest.raises(ValueError):
        Face(np.full((72, 2), np.nan))
    with pytest.raises(ValueError):
        Face.from_68(np.zeros((67, 2)))
    face = real_face()
    with pytest.raises(ValueError):
        face.points[0, 0] = 1.0


def test_track_refuses_times_that_do_not_increase() -> None:
    face = real_face()
    with pytest.raises(ValueError, match="increasing"):
        track((0.1, face), (0.1, face))
    with pytest.raises(ValueError, match="increasing"):
        track((0.2, face), (0.1, face))
    with pytest.raises(ValueError):
        FaceTrack(np.array([0.0]), np.zeros((2, 72, 2)))


# --- the sampler -----------------------------------------------------------------------------


def test_frame_times_give_their_own_face_and_points_move_linearly_between() -> None:
    a = real_face()
    b = moved(a, shift=(30, -10), scale=1.2)
    tr = track((0.0, a), (0.1, b))
    assert np.array_equal(sampled(tr, 0.0).face.points, a.points)
    assert np.array_equal(sampled(tr, 0.1).face.points, b.points)
    quarter = sampled(tr, 0.025)
    assert quarter.visibility == 1.0
    np.testing.assert_allclose(quarter.face.points, a.points * 0.75 + b.points * 0.25)


def test_odd_frame_rates_interpolate_by_time_not_by_frame() -> None:
    """29.97 fps and irregular phone timestamps: the weight is the time's fraction."""
    a = real_face()
    b = moved(a, shift=(10, 0))
    c = moved(a, shift=(40, 0))
    tr = track((0.0, a), (1 / 29.97, b), (0.1, c))
    x0 = a.head().center[0]
    at = (1 / 29.97 + 0.1) / 2
    assert sampled(tr, at).face.head().center[0] == pytest.approx(x0 + 25)
    assert sampled(tr, 1 / 29.97 / 2).face.head().center[0] == pytest.approx(x0 + 5)


def test_short_gaps_are_bridged_at_full_visibility() -> None:
    a = real_face()
    b = moved(a, shift=(40, 0))
    tr = track((0.0, a), (0.1, None), (0.2, None), (0.3, None), (0.4, b))
    x0 = a.head().center[0]
    for t in (0.05, 0.1, 0.2, 0.33):
        s = sampled(tr, t)
        assert s.visibility == 1.0
        assert s.face.head().center[0] == pytest.approx(x0 + 40 * t / 0.4)


def test_long_gaps_fade_the_last_face_out_and_the_next_one_in() -> None:
    a = real_face()
    b = moved(a, shift=(100, 0))
    tr = track((0.0, a), (0.1, None), (1.9, None), (2.0, b))
    out = sampled(tr, 0.125, hold=0.5, fade=0.25)
    assert out.visibility == pytest.approx(0.5)
    assert np.array_equal(out.face.points, a.points)  # held where it was, not drifting
    assert tr.sample(0.3, hold=0.5, fade=0.25) is None
    assert tr.sample(1.0, hold=0.5, fade=0.25) is None
    back = sampled(tr, 1.9, hold=0.5, fade=0.25)
    assert back.visibility == pytest.approx(0.6)
    assert np.array_equal(back.face.points, b.points)  # the returning face, where it returns
    ramp = [s.visibility if (s := tr.sample(t)) else 0.0 for t in np.linspace(0, 0.3, 31)]
    assert all(x >= y for x, y in itertools.pairwise(ramp))
    assert ramp[0] == 1.0 and ramp[-1] == 0.0


def test_a_gap_just_over_hold_dips_but_never_pops() -> None:
    """Ramps that overlap: the more visible face is drawn, and visibility never jumps."""
    a = real_face()
    b = moved(a, shift=(50, 0))
    tr = track((0.0, a), (0.6, b))
    times = np.linspace(0, 0.6, 121)
    vis = [s.visibility if (s := tr.sample(t, hold=0.5, fade=0.4)) else 0.0 for t in times]
    assert min(vis) == pytest.approx(0.25, abs=0.01)  # both ramps at 1 - 0.3 / 0.4
    assert max(abs(x - y) for x, y in itertools.pairwise(vis)) < 0.03


def test_before_and_after_the_frames() -> None:
    a = real_face()
    b = moved(a, shift=(20, 0))
    held = track((1.0, a), (2.0, b))
    assert sampled(held, 0.0).visibility == 1.0  # the video's first picture, held
    assert np.array_equal(sampled(held, 99.0).face.points, b.points)
    late = track((0.0, None), (0.5, None), (1.0, a), (2.0, b), (2.5, None))
    assert sampled(late, 0.9).visibility == pytest.approx(0.6)  # fading in before it is seen
    assert late.sample(0.5) is None
    assert sampled(late, 2.1).visibility == pytest.approx(0.6)  # and out after it is gone
    assert late.sample(2.5) is None and late.sample(10.0) is None


def test_a_track_without_faces_and_bad_arguments() -> None:
    empty = track((0.0, None), (0.1, None))
    assert empty.sample(0.05) is None and empty.face_count == 0
    tr = track((0.0, real_face()))
    with pytest.raises(ValueError):
        tr.sample(math.nan)
    with pytest.raises(ValueError):
        tr.sample(0.0, fade=0.0)


def test_frames_and_faces_read_back_as_built() -> None:
    a = real_face()
    tr = FaceTrack.from_faces([(0.0, a), (0.1, None)], size=(640, 480))
    assert len(tr) == 2 and tr.size == (640, 480) and tr.duration == pytest.approx(0.1)
    (t0, f0), (t1, f1) = tr.frames()
    assert (t0, t1) == (0.0, 0.1) and f1 is None
    assert f0 is not None and np.array_equal(f0.points, a.points)


# --- what a puppet reads from a face ---------------------------------------------------------


def test_head_follows_shift_scale_and_roll() -> None:
    a = real_face()
    head = a.head()
    assert 35 < head.scale < 55  # the astronaut's eyes are ~43 px apart
    b = moved(a, shift=(12, -7), scale=1.5, turn=math.radians(10))
    moved_head = b.head()
    assert moved_head.center[0] == pytest.approx(head.center[0] + 12)
    assert moved_head.center[1] == pytest.approx(head.center[1] - 7)
    assert moved_head.scale == pytest.approx(head.scale * 1.5)
    assert moved_head.roll == pytest.approx(head.roll + math.radians(10))


def test_mouth_box_measures_across_the_mouth_whatever_the_roll() -> None:
    a = real_face()
    mouth = a.mouth()
    assert 0 < mouth.opening < mouth.height < mouth.width
    tilted = moved(a, scale=2.0, turn=math.radians(25)).mouth()
    assert tilted.width == pytest.approx(2 * mouth.width)
    assert tilted.height == pytest.approx(2 * mouth.height)
    assert tilted.opening == pytest.approx(2 * mouth.opening)
    lip_points = a.to_68()[48:68]
    assert mouth.center == pytest.approx(tuple(lip_points.mean(axis=0)))


def test_closing_and_opening_the_lips() -> None:
    a = real_face()
    p = a.to_68().copy()
    p[65:68] = p[[63, 62, 61]]  # inner bottom edge onto the inner top edge
    assert Face.from_68(p).mouth().opening == pytest.approx(0.0, abs=1e-9)
    p[55:60] += [0, 20]  # jaw drops: lower lip and its inner edge
    p[65:68] += [0, 20]
    wide = Face.from_68(p).mouth()
    # Measured across the (slightly tilted) corner line: 20 px straight down is 20 cos(roll).
    assert wide.opening == pytest.approx(20.0, abs=0.05)
    assert wide.height == pytest.approx(a.mouth().height + 20, abs=0.05)


def test_eyes_open_and_close_independently_of_size() -> None:
    a = real_face()
    left, right = a.eyes()
    assert 0.2 < left.openness < 0.5 and 0.2 < right.openness < 0.5
    assert left.center[0] < right.center[0]  # the file's left eye is on the picture's left
    small = moved(a, scale=0.5).eyes()
    assert small[0].openness == pytest.approx(left.openness)
    assert small[0].width == pytest.approx(left.width / 2)
    p = a.to_68().copy()
    p[[37, 38]] = p[[41, 40]]  # the left eye's upper lid down on its lower lid
    assert Face.from_68(p).eyes()[0].openness == pytest.approx(0.0)
    assert Face.from_68(p).eyes()[1].openness == pytest.approx(right.openness)


def test_brows_rise_along_the_head_not_the_screen() -> None:
    a = real_face()
    rest = a.brows()
    assert 0.1 < rest[0] < 0.6 and 0.1 < rest[1] < 0.6
    turned = moved(a, scale=1.7, turn=math.radians(20)).brows()
    assert turned == pytest.approx(rest)
    p = a.to_68().copy()
    p[17:22] -= [0, 10]  # the left brow raised 10 px
    raised = Face.from_68(p).brows()
    assert raised[0] == pytest.approx(rest[0] + 10 / a.head().scale, rel=0.02)
    assert raised[1] == pytest.approx(rest[1])


def test_area_and_bounds() -> None:
    a = real_face()
    left, top, right, bottom = a.bounds()
    assert left < right and top < bottom
    assert moved(a, scale=2.0).area == pytest.approx(4 * a.area)
