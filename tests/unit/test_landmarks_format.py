"""Landmark JSON in and out: RunwayML's export (face_recognition's face_landmarks() per
frame) in both of its `landmarks` forms, missing faces, several faces, odd frame rates, and
livesync's own face track; every bad value is one InputError naming the frame and the key."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.formats import parse_face_track, parse_timeline, read_face_track, registry
from livesync.formats.landmarks import FACE_KEY, detect, dumps, dumps_runway
from livesync.formats.spec import Content
from livesync.lipsync.face import Face, FaceTrack

from ..conftest import DATA
from .test_formats_support import SAMPLES, sample

SAMPLE = DATA / "landmarks" / "astronaut-runway.json"


def frames() -> list[dict[str, Any]]:
    """A fresh copy of the real sample's frames, to edit."""
    data: list[dict[str, Any]] = json.loads(SAMPLE.read_text())
    return data


def parse(data: Any, face: int | None = None) -> FaceTrack:
    return parse_face_track(json.dumps(data), "face.json", face=face)


def error(data: Any) -> str:
    with pytest.raises(InputError) as caught:
        parse(data)
    message = str(caught.value)
    assert message.startswith("face.json: ") and "\n" not in message
    return message


def shifted(face: dict[str, Any], dx: float, scale: float = 1.0) -> dict[str, Any]:
    return {name: [[x * scale + dx, y * scale] for x, y in points] for name, points in face.items()}


def test_the_real_sample() -> None:
    tr = read_face_track(SAMPLE)
    assert len(tr) == 25 and tr.face_count == 20 and tr.size is None
    assert tr.times.tolist() == pytest.approx([k / 10 for k in range(25)])
    assert [k for k in range(25) if tr.face_at(k) is None] == [10, 11, 12, 13, 14]
    first = tr.face_at(0)
    assert first is not None
    raw = frames()[0]["landmarks"][0]
    for name, points in raw.items():
        assert first.feature(name).tolist() == points
    held = tr.sample(1.2)  # inside the 0.6 s gap: faded out, then back in
    assert held is None


def test_detected_from_content_apart_from_timing_files(tmp_path: Path) -> None:
    renamed = tmp_path / "timing.txt"
    renamed.write_text(SAMPLE.read_text())
    content = registry.read_content(renamed)
    assert registry.detect_kind(content) == "face"
    assert not any(fmt.detect(content) for fmt in registry.FORMATS)
    with pytest.raises(InputError, match="unrecognised timing format"):
        parse_timeline(SAMPLE.read_text(), "face.json")
    for name in SAMPLES:
        assert registry.detect_kind(Content(sample(name), name)) == "timeline", name
    assert detect(Content(json.dumps({FACE_KEY: 1, "frames": []}), None))
    assert not detect(Content("[]", None))
    assert detect(Content('[{"time": 0}]', None))  # no face found in its only frame
    assert not detect(Content('[{"time": 373, "type": "viseme", "value": "p"}]', None))


def test_both_landmarks_forms_and_every_way_of_saying_no_face() -> None:
    data = frames()
    as_dicts = [{"time": f["time"], "landmarks": f["landmarks"][0]} for f in data if f["landmarks"]]
    data[1]["landmarks"] = data[1]["landmarks"][0]  # the one-dict form, mixed in
    data[2]["landmarks"] = []
    data[3]["landmarks"] = {}
    data[4]["landmarks"] = None
    del data[5]["landmarks"]
    tr = parse(data)
    assert [k for k in range(10) if tr.face_at(k) is None] == [2, 3, 4, 5]
    dict_track = parse(as_dicts)
    assert dict_track.face_count == 20 and len(dict_track) == 20
    np.testing.assert_array_equal(dict_track.points[0], read_face_track(SAMPLE).points[0])


def test_several_faces_keep_the_largest_or_the_one_chosen() -> None:
    data = frames()
    own = data[3]["landmarks"][0]
    small = shifted(own, dx=200, scale=0.5)
    big = shifted(own, dx=-100, scale=1.3)
    data[3]["landmarks"] = [small, own, big]
    data[4]["landmarks"] = [small, own]
    largest = parse(data)
    chosen = parse(data, face=1)
    third = parse(data, face=2)

    def x(tr: FaceTrack, k: int) -> float:
        face = tr.face_at(k)
        assert face is not None
        return face.head().center[0]

    own_x = Face.from_features(own).head().center[0]
    assert x(largest, 3) == pytest.approx(own_x * 1.3 - 100)
    assert x(largest, 4) == pytest.approx(own_x)
    assert x(chosen, 3) == pytest.approx(own_x) and x(chosen, 4) == pytest.approx(own_x)
    assert third.face_at(4) is None and third.face_at(3) is not None
    assert third.face_at(0) is None  # one face only: there is no third


def test_odd_frame_rates_keep_their_times() -> None:
    data = frames()[:10]
    times = [k / 29.97 for k in range(7)] + [0.25, 0.4, 1.7]
    for frame, t in zip(data, times, strict=True):
        frame["time"] = t
    tr = parse(data)
    assert tr.times.tolist() == times
    bridged = tr.sample(0.3)  # between 0.25 and 0.4: interpolated, fully visible
    assert bridged is not None and bridged.visibility == 1.0


def test_frames_at_the_same_time_are_one_frame() -> None:
    data = frames()[:4]
    data[1]["time"] = data[2]["time"] = 0.1
    data[1]["landmarks"] = []
    tr = parse(data)
    assert len(tr) == 3
    face = tr.face_at(1)
    assert face is not None
    assert face.feature("chin").tolist() == data[2]["landmarks"][0]["chin"]


def test_frames_out_of_order_and_files_without_a_face() -> None:
    data = frames()
    data[7]["time"] = 0.5
    assert "frame 7: time 0.5 s is before frame 6's (0.6 s)" in error(data)
    assert "no face in any of the 3 frames" in error([{"time": 0}, {"time": 0.1}, {"time": 0.2}])
    assert "no frames" in error({FACE_KEY: 1, "frames": []})


@pytest.mark.parametrize(
    "edit, needle",
    [
        (lambda f: f[2]["landmarks"][0].pop("top_lip"), "frame 2: landmarks[0].top_lip: missing"),
        (
            lambda f: f[3]["landmarks"][0]["chin"].pop(),
            "frame 3: landmarks[0].chin: expected 17 points, got 16",
        ),
        (
            lambda f: f[4]["landmarks"][0]["chin"][5].__setitem__(0, "12"),
            "frame 4: landmarks[0].chin[5] x: expected a number, got a string",
        ),
        (
            lambda f: f[4]["landmarks"][0]["left_eye"][1].__setitem__(1, True),
            "frame 4: landmarks[0].left_eye[1] y: expected a number, got a boolean",
        ),
        (
            lambda f: f[4]["landmarks"][0]["nose_tip"].__setitem__(0, [1, 2, 3]),
            "frame 4: landmarks[0].nose_tip[0]: expected [x, y]",
        ),
        (
            lambda f: f[6]["landmarks"][0]["nose_tip"][0].__setitem__(0, -1e300),
            "frame 6: landmarks[0].nose_tip[0] x: must be -1e+06 or more",
        ),
        (
            lambda f: f[6]["landmarks"][0]["nose_tip"][0].__setitem__(0, 10**400),
            "frame 6: landmarks[0].nose_tip[0] x: expected a finite number",
        ),
        (lambda f: f[1].__setitem__("time", -0.1), "frame 1: time: must be 0 or more"),
        (lambda f: f[1].pop("time"), "frame 1: time: expected a number, got nothing"),
        (lambda f: f[1].__setitem__("landmarks", "face"), "frame 1: landmarks: expected an"),
        (lambda f: f[1].__setitem__("landmarks", [3]), "frame 1: landmarks[0]: expected an"),
        (lambda f: f.__setitem__(8, [0.8]), "frame 8: expected an object with 'time'"),
        (
            lambda f: f[9]["landmarks"][0].__setitem__("bottom_lip", {}),
            "frame 9: landmarks[0].bottom_lip: expected a list of [x, y] points, got a table",
        ),
    ],
)
def test_errors_name_the_frame_and_the_key(edit: Any, needle: str) -> None:
    data = frames()
    edit(data)
    message = error(data)
    assert needle in message, message


def test_nan_in_the_file_is_refused() -> None:
    """Python's JSON reads NaN and Infinity, which no pixel is."""
    x, y = frames()[0]["landmarks"][0]["chin"][0]
    text = SAMPLE.read_text().replace(f"[[{x}, {y}]", f"[[NaN, {y}]", 1)
    with pytest.raises(InputError, match=r"frame 0: landmarks\[0\].chin\[0\] x: expected a finite"):
        parse_face_track(text, "face.json")


def test_runway_output_reads_back_the_same() -> None:
    tr = read_face_track(SAMPLE)
    text = dumps_runway(tr)
    assert text == SAMPLE.read_text()  # what `livesync landmarks` wrote, byte for byte
    back = parse_face_track(text, "x.json")
    np.testing.assert_array_equal(back.points, tr.points)
    data = json.loads(text)
    assert data[10] == {"time": 1.0, "landmarks": []}
    assert isinstance(data[0]["landmarks"], list) and len(data[0]["landmarks"]) == 1


def test_livesync_face_track_reads_back_with_its_size() -> None:
    data = frames()
    data[3]["landmarks"] = [data[3]["landmarks"][0], shifted(data[3]["landmarks"][0], 300, 1.5)]
    data[5]["landmarks"][0] = shifted(data[5]["landmarks"][0], 0.12345)
    tr = parse(data)
    sized = FaceTrack(tr.times, tr.points, size=(448, 320))
    text = dumps(sized)
    own = json.loads(text)
    assert own[FACE_KEY] == 1 and own["size"] == [448, 320]
    assert isinstance(own["frames"][3]["landmarks"], dict)  # one face per frame
    assert own["frames"][10] == {"time": 1.0}
    back = parse_face_track(text, "track.json")
    assert back.size == (448, 320) and len(back) == len(tr)
    np.testing.assert_allclose(back.points, tr.points, atol=5e-4, equal_nan=True)
    assert dumps(back) == text


@pytest.mark.parametrize(
    "doc, needle",
    [
        ({FACE_KEY: 2, "frames": []}, "livesync_face: must be 1 or less"),
        ({FACE_KEY: 1, "frames": {}}, "frames: expected a list of frames, got a table"),
        ({FACE_KEY: 1, "size": [0, 5], "frames": []}, "size[0]: must be 1 or more"),
        ({FACE_KEY: 1, "size": "HD", "frames": []}, "size: expected [width, height]"),
    ],
)
def test_bad_livesync_face_tracks(doc: dict[str, Any], needle: str) -> None:
    assert needle in error(copy.deepcopy(doc))


def test_text_that_is_not_landmark_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        parse_face_track(" \n", "face.json")
    with pytest.raises(InputError, match="malformed JSON"):
        parse_face_track('[{"time": 0, "landmarks": [', "face.json")
    with pytest.raises(InputError, match="expected landmark JSON"):
        parse_face_track("0.00\tX\n", "face.json")
    with pytest.raises(InputError, match="not found"):
        read_face_track(tmp_path / "missing.json")


def test_a_track_writes_back_as_it_was_read() -> None:
    """RunwayML's form round-trips the sample byte for byte; livesync's own form carries its
    version (the CLI writes either through the one safe writer, devices/files.py)."""
    tr = read_face_track(SAMPLE)
    assert dumps_runway(tr) == SAMPLE.read_text()
    assert json.loads(dumps(tr))[FACE_KEY] == 1


def test_a_negative_face_index_is_refused() -> None:
    with pytest.raises(InputError, match=r"face index \(--face\) must be 0 or more, got -1"):
        parse(frames(), face=-1)
