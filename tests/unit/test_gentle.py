"""Gentle import of its real output (tests/data: Gentle's own alignment of real speech)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.formats import load, parse_timeline
from livesync.formats.gentle import strip_position
from livesync.lipsync.timeline import dumps

from ..conftest import GENTLE_JSON


def test_real_file_counts_and_times() -> None:
    raw = json.loads(GENTLE_JSON.read_text())
    tl = load(GENTLE_JSON)
    assert len(tl.words) == 86
    assert len(tl.aligned_words()) == sum(w["case"] == "success" for w in raw["words"])
    assert len(tl.phones) == sum(len(w.get("phones", [])) for w in raw["words"])
    assert tl.words[-1].end == pytest.approx(51.42)
    assert tl.duration == pytest.approx(51.42)
    assert tl.transcript.startswith("The mute muffled the high tones of the horn.")
    assert tl.source["format"] == "gentle"


def test_phones_are_durations_summed_from_the_word_start() -> None:
    raw = json.loads(GENTLE_JSON.read_text())
    tl = load(GENTLE_JSON)
    for index, word in enumerate(raw["words"]):
        phones = [p for p in tl.phones if p.word == index]
        assert phones[0].start == pytest.approx(word["start"], abs=0.016)
        total = sum(p["duration"] for p in word["phones"])
        assert phones[-1].end == pytest.approx(word["start"] + total, abs=1e-6)
        assert [p.phone for p in phones] == [strip_position(p["phone"]) for p in word["phones"]]
    first = [p for p in tl.phones if p.word == 0]
    spans: list[tuple[str, object, object]] = [(p.phone, p.start, p.end) for p in first]
    assert spans == [
        ("DH", pytest.approx(1.03), pytest.approx(1.21)),
        ("IY", pytest.approx(1.21), pytest.approx(1.29)),
    ]


def test_not_found_words_unk_and_suffixes() -> None:
    data = {
        "transcript": "hello wonderful zorblax",
        "words": [
            {
                "alignedWord": "hello",
                "case": "success",
                "start": 0.5,
                "end": 0.9,
                "word": "hello",
                "phones": [
                    {"phone": "hh_B", "duration": 0.1},
                    {"phone": "ah_I", "duration": 0.1},
                    {"phone": "l_I", "duration": 0.1},
                    {"phone": "ow_E", "duration": 0.1},
                ],
            },
            {"case": "not-found-in-audio", "word": "wonderful", "startOffset": 6},
            {
                "alignedWord": "<unk>",
                "case": "success",
                "start": 1.2,
                "end": 1.5,
                "word": "zorblax",
                "phones": [{"phone": "oov_S", "duration": 0.3}],
            },
        ],
    }
    tl = parse_timeline(json.dumps(data), "x.json")
    assert [w.aligned for w in tl.words] == [True, False, True]
    assert tl.words[1].start is None
    assert [p.phone for p in tl.phones] == ["HH", "AH", "L", "OW", "OOV"]
    assert tl.phones[-1].word == 2
    assert tl.lookup(1.3).word is tl.words[2]


def test_round_trip_through_canonical_json(tmp_path: Path) -> None:
    tl = load(GENTLE_JSON)
    out = tmp_path / "t.json"
    out.write_text(dumps(tl))
    again = load(out)
    assert [w.text for w in again.words] == [w.text for w in tl.words]
    assert [w.end for w in again.words] == pytest.approx([w.end for w in tl.words])
    assert [(p.phone, p.word) for p in again.phones] == [(p.phone, p.word) for p in tl.phones]
    assert [p.start for p in again.phones] == pytest.approx([p.start for p in tl.phones])


@pytest.mark.parametrize(
    "text, needle",
    [
        ("", "empty"),
        ('{"words": [', "malformed JSON at line 1"),
        ("[1, 2]", "unrecognised timing format"),
        ('{"transcript": "a", "words": [{"case": "success", "start": "x", "end": 1}]}', "number"),
        (
            '{"transcript": "a", "words": [{"case": "success", "start": 1, "end": 2, '
            '"phones": [{"phone": "aa_S", "duration": -1}]}]}',
            "words[0].phones[0].duration: must be 0 or more, got -1",
        ),
        (
            '{"transcript": "a", "words": [{"case": "success", "start": 1, "end": 2, '
            '"phones": [{"phone": "aa_S"}]}]}',
            "duration",
        ),
    ],
)
def test_bad_input_names_file_and_problem(text: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        parse_timeline(text, "song.json")
    assert str(err.value).startswith("song.json: ")
    assert needle in str(err.value)


def test_truncated_real_file_is_a_clear_error() -> None:
    text = GENTLE_JSON.read_text()
    for cut in (10, len(text) // 3, len(text) - 5):
        with pytest.raises(InputError, match="malformed JSON"):
            parse_timeline(text[:cut], "cut.json")


def _one_word(*phones: object) -> str:
    return json.dumps(
        {
            "transcript": "a",
            "words": [
                {
                    "case": "success",
                    "start": 1.0,
                    "end": 1.2,
                    "word": "a",
                    "phones": [{"phone": p, "duration": 0.1} for p in phones],
                }
            ],
        }
    )


@pytest.mark.parametrize("label", [0, "0", "0_B", "ah3_E", "_S", "", None, "a h_E", "ð_S"])
def test_a_phone_label_that_is_no_phone_is_refused(label: object) -> None:
    """Found by Hypothesis: a phone label 0 used to become a phone "0" (its viseme an open
    mouth), where a phone is ARPAbet letters. It is one clear error instead."""
    with pytest.raises(InputError) as err:
        parse_timeline(_one_word("dh_B", label), "song.json")
    assert str(err.value).startswith("song.json: words[0].phones[1].phone: expected an ARPAbet")


def test_phone_labels_are_canonical_arpabet() -> None:
    tl = parse_timeline(_one_word("dh_B", "AH1_E"), "x.json")
    assert [p.phone for p in tl.phones] == ["DH", "AH"]


def test_words_out_of_order_are_refused() -> None:
    data = {
        "transcript": "a b",
        "words": [
            {"case": "success", "start": 2.0, "end": 2.5, "word": "a"},
            {"case": "success", "start": 1.0, "end": 1.5, "word": "b"},
        ],
    }
    with pytest.raises(InputError, match="words out of order"):
        parse_timeline(json.dumps(data), "x.json")
