"""Property tests: for every reader, any text (random, truncated, mangled) gives either a valid
Timeline (a valid FaceTrack for landmark JSON) or an InputError, never another exception."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livesync.errors import InputError
from livesync.formats import (
    gentle,
    gentle_csv,
    mfa,
    moho,
    papagayo,
    parse_face_track,
    parse_timeline,
    polly,
    registry,
    rhubarb,
)
from livesync.formats.registry import FORMATS
from livesync.formats.spec import Content
from livesync.lipsync.face import FaceTrack
from livesync.lipsync.timeline import Timeline

from ..conftest import DATA, GENTLE_JSON
from .test_formats_support import SAMPLES, assert_valid, sample


def _json_reader(parse: Callable[[Any, str], Timeline]) -> Callable[[str, str], Timeline]:
    def read(text: str, source: str) -> Timeline:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise InputError(source, "not JSON") from None
        if not isinstance(data, dict):
            raise InputError(source, "not an object")
        return parse(data, source)

    return read


def _rhubarb_json(data: Any, source: str) -> Timeline:
    if not rhubarb.looks_like_json(data):
        raise InputError(source, "no mouthCues")
    return rhubarb.parse_json(data, source)


def _gentle_json(data: Any, source: str) -> Timeline:
    if not gentle.looks_like(data):
        raise InputError(source, "no words")
    return gentle.parse(data, source)


def _papagayo_ng(data: Any, source: str) -> Timeline:
    if not papagayo.looks_like_pg2(data):
        raise InputError(source, "no voices")
    return papagayo.parse_pg2(data, source)


def _mfa_json(data: Any, source: str) -> Timeline:
    if not mfa.looks_like_json(data):
        raise InputError(source, "no tiers")
    return mfa.parse_json(data, source)


# Each reader called directly (no detection in front of it), and the detector itself.
READERS: dict[str, Callable[[str, str], Timeline]] = {
    "detect": parse_timeline,
    "gentle": _json_reader(_gentle_json),
    "gentle-csv": gentle_csv.parse,
    "mfa-textgrid": mfa.parse_textgrid,
    "mfa-json": _json_reader(_mfa_json),
    "rhubarb-tsv": rhubarb.parse_tsv,
    "rhubarb-xml": rhubarb.parse_xml,
    "rhubarb-json": _json_reader(_rhubarb_json),
    "papagayo": papagayo.parse,
    "papagayo-ng": _json_reader(_papagayo_ng),
    "moho-dat": moho.parse,
    "polly": polly.parse,
}
SAMPLE_OF = {fmt: name for name, fmt in SAMPLES.items()}
GENTLE_TEXT = GENTLE_JSON.read_text()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(reader: Callable[[str, str], Timeline], text: str) -> None:
    try:
        tl = reader(text, "fuzz.txt")
    except InputError as err:
        assert str(err).startswith("fuzz.txt: ")
        return
    assert_valid(tl)


@pytest.mark.parametrize("fmt", list(READERS))
@FUZZ
@given(text=st.text(max_size=300))
def test_random_text(fmt: str, text: str) -> None:
    _outcome(READERS[fmt], text)


@pytest.mark.parametrize("fmt", list(READERS))
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_decoded(fmt: str, data: bytes) -> None:
    _outcome(READERS[fmt], data.decode("utf-8", errors="replace"))


def _sample_for(fmt: str) -> str:
    if fmt == "gentle":
        return GENTLE_TEXT
    return sample(SAMPLE_OF.get(fmt, "mfa-harvard-long.TextGrid"))


@pytest.mark.parametrize("fmt", list(READERS))
@FUZZ
@given(cut=st.floats(0.0, 1.0))
def test_truncated_sample(fmt: str, cut: float) -> None:
    text = _sample_for(fmt)
    _outcome(READERS[fmt], text[: int(len(text) * cut)])


@pytest.mark.parametrize("fmt", list(READERS))
@FUZZ
@given(data=st.data())
def test_mangled_sample(fmt: str, data: st.DataObject) -> None:
    """Lines dropped, swapped or duplicated, characters replaced: the mistakes of hand edits."""
    lines = _sample_for(fmt).splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "swap", "char", "insert"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "char" and lines[i]:
            k = data.draw(st.integers(0, len(lines[i]) - 1))
            ch = data.draw(st.sampled_from([*list('-0.9e"\t ,<>[]{}:Xx\n'), "nan", "1e999"]))
            lines[i] = lines[i][:k] + ch + lines[i][k + 1 :]
        else:
            lines.insert(i, data.draw(st.text(max_size=20)) + "\n")
    _outcome(READERS[fmt], "".join(lines))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.parametrize(
    "name",
    [
        "rhubarb-harvard.json",
        "mfa-harvard.json",
        "polly-harvard.marks",
        "papagayo-ng-fleming-dobbs.pg2",
        "gentle",
    ],
)
@FUZZ
@given(data=st.data())
def test_wrong_types_in_json(name: str, data: st.DataObject) -> None:
    """Any value of any type in place of any value of a real file."""
    if name == "gentle":
        docs = [json.loads(GENTLE_TEXT)]
    elif name.endswith(".marks"):
        docs = [json.loads(line) for line in sample(name).splitlines()]
    else:
        docs = [json.loads(sample(name))]
    doc = data.draw(st.sampled_from(docs))
    path: list[Any] = []
    node: Any = doc
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
        )
        path.append(key)
        node = node[key]
    replacement = data.draw(JSON_VALUES)
    if path:
        parent: Any = doc
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = replacement
        text = "\n".join(json.dumps(d) for d in docs)
    else:
        text = json.dumps(replacement)
    _outcome(parse_timeline, text)


def test_every_registered_reader_is_fuzzed() -> None:
    """A format added to the registry is added here too (livesync's own timeline is covered
    by the detector and by test_timeline)."""
    assert set(READERS) - {"detect"} == {f.name for f in FORMATS} - {"livesync"}


# --- face landmark JSON: a FaceTrack, not a Timeline -----------------------------------------

LANDMARKS_TEXT = (DATA / "landmarks" / "astronaut-runway.json").read_text()


def _assert_valid_face_track(track: FaceTrack) -> None:
    """What the landmark reader promises: a face somewhere, times in order, and samples whose
    every measure is a finite number (a puppet is drawn from them)."""
    assert isinstance(track, FaceTrack) and track.face_count > 0
    assert track.times[0] >= 0 and bool(np.all(np.diff(track.times) > 0))
    for t in (0.0, float(track.times[-1]) / 2, float(track.times[-1]) + 1.0):
        found = track.sample(t)
        if found is None:
            continue
        assert 0 < found.visibility <= 1
        face = found.face
        mouth, head = face.mouth(), face.head()
        numbers = [*mouth.center, mouth.width, mouth.height, mouth.opening, *face.brows()]
        numbers += [*head.center, head.scale, head.roll]
        for eye in face.eyes():
            numbers += [*eye.center, eye.width, eye.openness]
        assert all(math.isfinite(x) for x in numbers)


def _face_outcome(text: str) -> None:
    """Detection never fails on any text; the landmark reader gives a track or one error."""
    assert registry.detect_kind(Content(text, "fuzz.json")) in ("face", "timeline")
    try:
        track = parse_face_track(text, "fuzz.json")
    except InputError as err:
        assert str(err).startswith("fuzz.json: ")
        return
    _assert_valid_face_track(track)


@FUZZ
@given(text=st.text(max_size=300))
def test_landmarks_random_text(text: str) -> None:
    _face_outcome(text)


@FUZZ
@given(cut=st.floats(0.0, 1.0))
def test_landmarks_truncated_sample(cut: float) -> None:
    _face_outcome(LANDMARKS_TEXT[: int(len(LANDMARKS_TEXT) * cut)])


@FUZZ
@given(data=st.data())
def test_landmarks_mangled_sample(data: st.DataObject) -> None:
    """Frames (one per line) dropped, duplicated or swapped, characters replaced."""
    lines = LANDMARKS_TEXT.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "swap", "char"]))
        if action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif lines[i]:
            k = data.draw(st.integers(0, len(lines[i]) - 1))
            ch = data.draw(st.sampled_from([*list('-0.9e"\t ,[]{}:'), "NaN", "1e999", "true"]))
            lines[i] = lines[i][:k] + ch + lines[i][k + 1 :]
    _face_outcome("".join(lines))


@FUZZ
@given(data=st.data(), own=st.booleans())
def test_landmarks_wrong_types_in_json(data: st.DataObject, own: bool) -> None:
    """Any value of any type in place of any value of a real landmark file, RunwayML's or
    livesync's own face track."""
    frames = json.loads(LANDMARKS_TEXT)[:6]
    doc: Any = {"livesync_face": 1, "size": [448, 320], "frames": frames} if own else frames
    path: list[Any] = []
    node: Any = doc
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
        )
        path.append(key)
        node = node[key]
    replacement = data.draw(JSON_VALUES)
    if not path:
        _face_outcome(json.dumps(replacement))
        return
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = replacement
    _face_outcome(json.dumps(doc))
