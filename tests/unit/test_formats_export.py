"""Writers: what they write matches the tools' formats, and what they write reads back."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livesync.errors import InputError
from livesync.formats import load, parse_timeline, registry, write_timeline
from livesync.formats.gentle import strip_position
from livesync.formats.registry import export_formats
from livesync.formats.shapes import mouth_cues
from livesync.lipsync.timeline import Cue, Phone, Timeline, Word
from livesync.lipsync.visemes import FROM_PRESTON_BLAIR, FROM_RHUBARB, Viseme

from ..conftest import GENTLE_JSON
from .test_formats_support import FORMATS_DATA, assert_valid

V = Viseme


def cue_timeline(shapes: list[tuple[Viseme, int]], step: float) -> Timeline:
    """Contiguous cues from 0, each `n` steps long, equal neighbours merged."""
    cues: list[Cue] = []
    t = 0
    for viseme, n in shapes:
        if cues and cues[-1].viseme is viseme:
            cues[-1] = Cue(viseme, cues[-1].start, round((t + n) * step, 9))
        else:
            cues.append(Cue(viseme, round(t * step, 9), round((t + n) * step, 9)))
        t += n
    return Timeline((), (), round(t * step, 9), {}, "", tuple(cues))


RHUBARB_SHAPES = st.lists(
    st.tuples(st.sampled_from(sorted(set(FROM_RHUBARB.values()))), st.integers(1, 80)),
    min_size=1,
    max_size=30,
)
BLAIR_SHAPES = st.lists(
    st.tuples(st.sampled_from(sorted(set(FROM_PRESTON_BLAIR.values()))), st.integers(1, 30)),
    min_size=1,
    max_size=30,
)


def same_cues(a: tuple[Cue, ...], b: tuple[Cue, ...]) -> bool:
    return len(a) == len(b) and all(
        x.viseme is y.viseme
        and x.start == pytest.approx(y.start, abs=1e-6)
        and x.end == pytest.approx(y.end, abs=1e-6)
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("fmt", ["rhubarb-json", "rhubarb-tsv", "rhubarb-xml"])
@settings(max_examples=80, deadline=None)
@given(shapes=RHUBARB_SHAPES)
def test_rhubarb_round_trip(fmt: str, shapes: list[tuple[Viseme, int]]) -> None:
    tl = cue_timeline(shapes, 0.01)
    back = parse_timeline(write_timeline(tl, fmt), "x")
    assert_valid(back)
    assert back.source["format"] == fmt
    assert same_cues(back.cues, tl.cues)
    assert back.duration == pytest.approx(tl.duration)


@pytest.mark.parametrize("fps", [24.0, 30.0, 25.0])
@settings(max_examples=60, deadline=None)
@given(shapes=BLAIR_SHAPES)
def test_moho_round_trip(fps: float, shapes: list[tuple[Viseme, int]]) -> None:
    tl = cue_timeline(shapes, 1.0 / fps)
    back = parse_timeline(write_timeline(tl, "moho-dat", fps=fps), "x.dat", fps=fps)
    assert_valid(back)
    assert same_cues(back.cues, tl.cues)
    assert back.duration == pytest.approx(tl.duration)


@st.composite
def phone_timelines(draw: st.DrawFn) -> Timeline:
    words: list[Word] = []
    phones: list[Phone] = []
    t = draw(st.integers(0, 50)) / 100
    for i in range(draw(st.integers(0, 8))):
        if draw(st.booleans()) and i % 3 == 2:
            words.append(Word(f"lost{i}", None, None))
            continue
        start = t
        for _ in range(draw(st.integers(1, 5))):
            d = draw(st.integers(1, 30)) / 100
            phones.append(
                Phone(
                    draw(st.sampled_from(["AA", "B", "S", "IY", "OOV", "NG"])),
                    t,
                    round(t + d, 6),
                    len(words),
                )
            )
            t = round(t + d, 6)
        words.append(Word(f"w{i}", start, t))
        t = round(t + draw(st.integers(0, 50)) / 100, 6)
    return Timeline(tuple(words), tuple(phones), t, {}, " ".join(w.text for w in words))


@settings(max_examples=100, deadline=None)
@given(tl=phone_timelines())
def test_gentle_round_trip(tl: Timeline) -> None:
    back = parse_timeline(write_timeline(tl, "gentle"), "x.json")
    assert_valid(back)
    assert [(w.text, w.start, w.end) for w in back.words] == [
        (w.text, w.start, w.end) for w in tl.words
    ]
    assert [(p.phone, p.word) for p in back.phones] == [(p.phone, p.word) for p in tl.phones]
    assert [p.start for p in back.phones] == pytest.approx([p.start for p in tl.phones])
    assert [p.end for p in back.phones] == pytest.approx([p.end for p in tl.phones])


@settings(max_examples=60, deadline=None)
@given(tl=phone_timelines(), fmt=st.sampled_from(export_formats()))
def test_any_timeline_exports_and_reads_back(tl: Timeline, fmt: str) -> None:
    back = parse_timeline(write_timeline(tl, fmt), "x")
    assert_valid(back)
    # Exporting what was read gives the same file again (the format is a fixed point).
    assert write_timeline(back, fmt) == write_timeline(
        parse_timeline(write_timeline(back, fmt), "y"), fmt
    )


def test_real_gentle_file_is_written_back_as_gentle_wrote_it() -> None:
    """Gentle's own output, read and written again: the same layout (sorted keys, 2-space
    indent), words, offsets, times and durations; only the position suffixes differ where
    Gentle's own are inconsistent ("sh_B" alone)."""
    tl = load(GENTLE_JSON)
    text = write_timeline(tl, "gentle")
    raw, again = json.loads(GENTLE_JSON.read_text()), json.loads(text)
    assert GENTLE_JSON.read_text() == json.dumps(raw, indent=2, sort_keys=True)
    assert text == json.dumps(again, indent=2, sort_keys=True) + "\n"
    assert again["transcript"] == raw["transcript"]
    suffix_quirks = 0
    for mine, theirs in zip(again["words"], raw["words"], strict=True):
        assert mine.keys() == theirs.keys()
        for key in ("word", "case", "startOffset", "endOffset", "alignedWord"):
            assert mine[key] == theirs[key]
        assert (mine["start"], mine["end"]) == pytest.approx((theirs["start"], theirs["end"]))
        assert [p["duration"] for p in mine["phones"]] == pytest.approx(
            [p["duration"] for p in theirs["phones"]]
        )
        assert [strip_position(p["phone"]) for p in mine["phones"]] == [
            strip_position(p["phone"]) for p in theirs["phones"]
        ]
        suffixes = [p["phone"][-2:] for p in mine["phones"]]
        assert suffixes in (["_S"], ["_B", *["_I"] * (len(suffixes) - 2), "_E"])
        suffix_quirks += suffixes != [p["phone"][-2:] for p in theirs["phones"]]
    assert suffix_quirks == 2
    back = parse_timeline(text, "again.json")
    assert [p.start for p in back.phones] == pytest.approx([p.start for p in tl.phones])


def test_gentle_phones_fill_their_word_and_times_are_milliseconds() -> None:
    """Gentle's phones have no gaps inside a word: a gap goes to the phone before it, so the
    durations sum to the word's length, computed from rounded boundaries (no drift)."""
    tl = Timeline(
        (Word("don’t", 0.1004, 0.7),),
        (
            Phone("D", 0.1004, 0.2, 0),
            Phone("OW", 0.25, 0.41234, 0),
            Phone("N", 0.41234, 0.5, 0),
            Phone("T", 0.6, 0.7, 0),
        ),
        1.0,
        {},
        "I don’t",
    )
    data = json.loads(write_timeline(tl, "gentle"))
    word = data["words"][0]
    assert (word["start"], word["end"]) == (0.1, 0.7)
    assert (word["startOffset"], word["endOffset"]) == (2, 7)
    assert word["alignedWord"] == "don't"
    assert [p["duration"] for p in word["phones"]] == [0.15, 0.162, 0.188, 0.1]
    back = parse_timeline(json.dumps(data), "g.json")
    spans: list[tuple[str, object, object]] = [(p.phone, p.start, p.end) for p in back.phones]
    assert spans == [
        ("D", 0.1, pytest.approx(0.25)),
        ("OW", pytest.approx(0.25), pytest.approx(0.412)),
        ("N", pytest.approx(0.412), pytest.approx(0.6)),
        ("T", pytest.approx(0.6), pytest.approx(0.7)),
    ]


def test_export_choices_are_the_writers_of_other_tools_formats() -> None:
    assert export_formats() == ["rhubarb-json", "rhubarb-tsv", "rhubarb-xml", "moho-dat", "gentle"]
    assert registry.get("gentle").write is not None and registry.get("polly").write is None
    with pytest.raises(InputError, match="unknown format 'srt'"):
        registry.get("srt")
    tl = load(GENTLE_JSON)
    assert json.loads(write_timeline(tl, "livesync"))["livesync_timeline"] == 1


def test_gentle_export_of_not_found_words_and_mfa_phones() -> None:
    mfa = parse_timeline((FORMATS_DATA / "mfa-harvard-long.TextGrid").read_text(), "m")
    lost = Timeline(
        (*mfa.words[:2], Word("zorblax", None, None)),
        mfa.phones[:6],
        mfa.duration,
        {},
        "the mute zorblax",
    )
    data = json.loads(write_timeline(lost, "gentle"))
    assert data["words"][2] == {
        "case": "not-found-in-audio",
        "word": "zorblax",
        "startOffset": 9,
        "endOffset": 16,
    }
    assert [p["phone"] for p in data["words"][1]["phones"]] == ["m_B", "y_I", "uw_I", "t_E"]
    assert data["words"][0]["phones"][0] == {"duration": pytest.approx(0.18), "phone": "dh_B"}


def test_phone_timeline_to_rhubarb_uses_the_mouth_track() -> None:
    tl = load(GENTLE_JSON)
    text = write_timeline(tl, "rhubarb-tsv")
    lines = [line.split("\t") for line in text.splitlines()]
    assert lines[0] == ["0.00", "X"] and lines[-1] == [f"{tl.duration:.2f}", "X"]
    starts = [float(t) for t, _ in lines]
    assert starts == sorted(starts)
    assert all(a[1] != b[1] for a, b in itertools.pairwise(lines[:-1]))
    cues = mouth_cues(tl)
    assert cues[0].start == 0 and cues[-1].end == pytest.approx(tl.duration)
    # Flicker consonants are absorbed: no non-closure shape shorter than the minimum hold.
    short = [c for c in cues if c.end - c.start < 0.06 - 1e-9 and c.viseme is not V.PP]
    assert len(short) <= len(cues) // 20


def test_rhubarb_json_is_formatted_like_rhubarb() -> None:
    tl = Timeline(
        (), (), 1.0, {}, "", (Cue(V.SIL, 0, 0.4), Cue(V.PP, 0.4, 0.5), Cue(V.AA, 0.5, 1.0))
    )
    assert write_timeline(tl, "rhubarb-json", sound_file="/tmp/a.wav") == (
        '{\n  "metadata": {\n    "soundFile": "/tmp/a.wav",\n    "duration": 1.00\n  },\n'
        '  "mouthCues": [\n'
        '    { "start": 0.00, "end": 0.40, "value": "X" },\n'
        '    { "start": 0.40, "end": 0.50, "value": "A" },\n'
        '    { "start": 0.50, "end": 1.00, "value": "D" }\n'
        "  ]\n}\n"
    )
    assert write_timeline(tl, "rhubarb-tsv") == "0.00\tX\n0.40\tA\n0.50\tD\n1.00\tX\n"
    assert write_timeline(tl, "moho-dat") == "MohoSwitch1\n1 rest\n11 MBP\n13 AI\n25 rest\n"
    assert write_timeline(tl, "moho-dat", fps=10) == "MohoSwitch1\n1 rest\n5 MBP\n6 AI\n11 rest\n"


def test_unknown_format_and_bad_fps_are_input_errors() -> None:
    tl = Timeline((), (), 1.0)
    with pytest.raises(InputError, match="unknown export format 'srt'"):
        write_timeline(tl, "srt")
    with pytest.raises(InputError, match="frame rate"):
        write_timeline(tl, "moho-dat", fps=0)


def test_empty_timeline_exports() -> None:
    tl = Timeline((), (), 0.0)
    for fmt in export_formats():
        assert_valid(parse_timeline(write_timeline(tl, fmt), "empty"))
