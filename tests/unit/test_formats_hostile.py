"""Hostile timing files: a time, duration or frame rate that is NaN, infinite, 1e308 or of the
wrong type gives a timeline within a day or one InputError naming the file, never another
exception; no writer writes non-standard JSON (`NaN`, `Infinity`) or a time no tool reads."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livesync.errors import InputError
from livesync.formats import parse_timeline, write_timeline
from livesync.formats.registry import FORMATS
from livesync.lipsync.timeline import Cue, Phone, Timeline, Word, dumps
from livesync.lipsync.visemes import Viseme

from ..conftest import GENTLE_JSON
from .test_formats_support import SAMPLES, assert_valid, sample

# 100 per format: each property runs once for each of the thirteen samples.
HOSTILE = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WRITABLE = [f.name for f in FORMATS if f.write is not None]

NUMBERS: st.SearchStrategy[Any] = st.sampled_from(
    [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e300, 86400.5, 5e-324, -1e-9, -1, 0,
     2**64, 10**30, "1e308", "nan", "Infinity", None, True, [], {}]
) | st.floats() | st.integers()  # fmt: skip


def _standard_json(text: str) -> Any:
    """The JSON value of `text`, failing on what only Python reads (NaN, Infinity)."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"non-standard JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def assert_writes_cleanly(timeline: Timeline) -> None:
    """Every writer writes text other tools read, and livesync reads it back."""
    for fmt in WRITABLE:
        text = write_timeline(timeline, fmt)
        if fmt in ("livesync", "gentle", "rhubarb-json"):
            _standard_json(text)
        if fmt != "gentle" or timeline.words:  # Gentle JSON without words is not detected
            assert_valid(parse_timeline(text, f"back.{fmt}"))


def _json_docs() -> dict[str, list[Any]]:
    """Each JSON format's sample, as the list of documents its file holds."""
    gentle = json.loads(GENTLE_JSON.read_text())
    gentle["words"] = gentle["words"][:8]  # enough of every kind of entry, and quick
    docs = {
        "gentle": [gentle],
        "polly": [json.loads(line) for line in sample("polly-harvard.marks").splitlines()],
        "rhubarb-json": [json.loads(sample("rhubarb-harvard.json"))],
        "mfa-json": [json.loads(sample("mfa-harvard.json"))],
        "papagayo-ng": [json.loads(sample("papagayo-ng-fleming-dobbs.pg2"))],
    }
    canonical = parse_timeline(sample("rhubarb-harvard.json"), "x.json")
    docs["livesync"] = [json.loads(dumps(canonical))]
    return docs


DOCS = _json_docs()


def number_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every number (and of every value named like a time) in a document."""
    found: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        here = (*path, key)
        if isinstance(value, (dict, list)):
            found += number_paths(value, here)
        elif (isinstance(value, (int, float)) and not isinstance(value, bool)) or key in (
            "start",
            "end",
            "duration",
            "time",
        ):
            found.append(here)
    return found


@pytest.mark.parametrize("fmt", sorted(DOCS))
@HOSTILE
@given(data=st.data())
def test_a_hostile_number_anywhere_in_json(fmt: str, data: st.DataObject) -> None:
    docs = json.loads(json.dumps(DOCS[fmt]))
    d = data.draw(st.integers(0, len(docs) - 1))
    path = data.draw(st.sampled_from(number_paths(docs[d])))
    node = docs[d]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(NUMBERS)
    text = "\n".join(json.dumps(doc) for doc in docs)
    try:
        timeline = parse_timeline(text, "hostile.json")
    except InputError as err:
        assert str(err).startswith("hostile.json: ") and "\n" not in str(err)
        return
    assert_valid(timeline)
    assert_writes_cleanly(timeline)


# The short TextGrid stands for both: the same reader, a tenth of the text.
LINE_SAMPLES = [
    name
    for name in SAMPLES
    if not name.endswith((".json", ".marks")) and name != "mfa-harvard-long.TextGrid"
]
TOKENS = ["nan", "inf", "-inf", "1e308", "1e-300", "999999999999", "-1", "86401", "1e999", "0"]


@pytest.mark.parametrize("name", LINE_SAMPLES)
@HOSTILE
@given(data=st.data())
def test_a_hostile_number_anywhere_in_a_line_based_file(name: str, data: st.DataObject) -> None:
    """TSV, XML, TextGrid, Papagayo, Moho and Gentle CSV: one number replaced."""
    text = sample(name)
    spans = [m.span() for m in re.finditer(r"(?<![\w.])-?\d+(\.\d+)?(?![\w.])", text)]
    start, end = data.draw(st.sampled_from(spans))
    text = text[:start] + data.draw(st.sampled_from(TOKENS)) + text[end:]
    try:
        timeline = parse_timeline(text, name)
    except InputError as err:
        assert str(err).startswith(f"{name}: ") and "\n" not in str(err)
        return
    assert_valid(timeline)
    assert_writes_cleanly(timeline)


# --- each defect the hostile-input report found, as a plain test ----------------------------


@pytest.mark.parametrize("duration", ["NaN", "Infinity", "1e308", '"nan"', '"1e400"'])
def test_a_timeline_whose_duration_is_not_a_songs(duration: str) -> None:
    text = f'{{"livesync_timeline": 1, "duration": {duration}, "words": [], "phones": []}}'
    with pytest.raises(InputError, match=r"^song\.json: the duration is .* s: a song's times"):
        parse_timeline(text, "song.json")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            '{"metadata": {"duration": 1e308}, "mouthCues": [{"start": 0, "end": 1, "value": "A"}]'
            "}",
            "the duration is 1e+308 s: a song's times are 0 to 86400 s (a day)",
        ),
        (
            '{"mouthCues": [{"start": 0, "end": 1e300, "value": "A"}]}',
            "mouth cue 0 (PP) ends at 1e+300 s: a song's times are 0 to 86400 s (a day)",
        ),
        ("MohoSwitch1\n1 rest\n999999999999 AI\n", "mouth cue 1 (aa) ends at 4.16667e+10 s"),
        ("MohoSwitch1\nFPS 1e-300\n1 rest\n5 AI\n", "line 2 frame rate: must be 1 or more"),
        ("MohoSwitch1\nFPS 1e12\n1 rest\n5 AI\n", "line 2 frame rate: must be 1000 or less"),
        ("lipsync version 1\nx.wav\n1e12\n10\n", "line 3 (the frame rate): must be 1000 or less"),
        ("0.00\tA\n1e308\tX\n", "mouth cue 0 (PP) ends at 1e+308 s"),
        ('{"mouthCues": [' + "9" * 5000 + "]}", "malformed JSON: a number too long"),
        ('{"time": 0, "type": "word"}\n{"time": ' + "9" * 5000 + "}\n", "line 2: a number too"),
    ],
)
def test_a_time_past_a_day_is_one_error(text: str, expected: str) -> None:
    with pytest.raises(InputError) as err:
        parse_timeline(text, "in.txt")
    assert str(err.value).startswith(f"in.txt: {expected}")


def test_a_moho_frame_rate_from_the_command_line_is_checked_where_it_is_used() -> None:
    text = "MohoSwitch1\n1 rest\n5 AI\n"
    timeline = parse_timeline(text, "x.dat")
    for fps, problem in (
        (1e12, "must be 1000 or less, got 1e+12"),
        (1e-300, "must be 1 or more, got 1e-300"),
        (0.0, "must be 1 or more, got 0"),
        (math.nan, "expected a finite number, got nan"),
    ):
        with pytest.raises(InputError) as err:
            write_timeline(timeline, "moho-dat", fps=fps)
        assert str(err.value) == f"the frame rate: {problem}"
        with pytest.raises(InputError) as err:
            parse_timeline(text, "x.dat", fps=fps)
        assert str(err.value) == f"x.dat: the frame rate: {problem}"


@pytest.mark.parametrize("fmt", WRITABLE)
@pytest.mark.parametrize("bad", [math.nan, math.inf, 1e308])
def test_no_writer_sees_a_time_that_is_not_a_songs(fmt: str, bad: float) -> None:
    """A timeline built in Python (the API), not read from a file, is checked as well:
    nothing writes `Infinity` into a JSON file or loops to the end of time."""
    words = (Word("hi", 0.0, 0.5),)
    phones = (Phone("HH", 0.0, 0.2, 0), Phone("AY", 0.2, 0.5, 0))
    for timeline in (
        Timeline(words, phones, bad),
        Timeline(words, (*phones[:1], Phone("AY", 0.2, bad, 0)), 1.0),
        Timeline((), (), 1.0, cues=(Cue(Viseme.AA, 0.0, bad),)),
    ):
        with pytest.raises(InputError, match=r"^timeline: "):
            write_timeline(timeline, fmt)


def test_a_phone_label_gentle_cannot_hold_is_written_as_its_unknown_phone() -> None:
    """A TextGrid may label a phone `AH1E3` (its reader keeps unknown labels); Gentle's
    phones are letters, so the Gentle writer writes it as "oov", which reads back."""
    text = sample("mfa-harvard-short.TextGrid").replace('"AH1"', '"AH1E3"', 1)
    assert '"AH1E3"' in text
    timeline = parse_timeline(text, "odd.TextGrid")
    assert "AH1E" in {p.phone for p in timeline.phones}
    back = parse_timeline(write_timeline(timeline, "gentle"), "odd.json")
    assert "OOV" in {p.phone for p in back.phones} and len(back.phones) == len(timeline.phones)
