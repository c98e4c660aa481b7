"""Canonical timeline: lookup, validation and its JSON form."""

from __future__ import annotations

import json
import random

import pytest

from livesync.errors import InputError
from livesync.formats import parse_timeline
from livesync.lipsync.timeline import FORMAT_KEY, Phone, Timeline, Word
from livesync.lipsync.visemes import Viseme


def make(phones: list[tuple[str, float, float]]) -> Timeline:
    words = (Word("w", phones[0][1], phones[-1][2]),) if phones else ()
    return Timeline(words, tuple(Phone(p, s, e, 0) for p, s, e in phones), 10.0)


def test_lookup_finds_phone_word_viseme_and_progress() -> None:
    tl = make([("M", 1.0, 1.1), ("AA", 1.1, 1.5), ("P", 1.6, 1.7)])
    hit = tl.lookup(1.2)
    assert hit.phone is not None and hit.phone.phone == "AA"
    assert hit.viseme is Viseme.AA
    assert hit.progress == pytest.approx(0.25)
    assert hit.word is tl.words[0]
    assert tl.lookup(1.0).phone == tl.phones[0]  # starts are inclusive
    assert tl.lookup(1.55).phone is None  # a gap is silence
    assert tl.lookup(1.55).viseme is Viseme.SIL
    assert tl.lookup(0.0).phone is None
    assert tl.lookup(99.0).phone is None


def test_lookup_matches_a_linear_scan_on_a_large_timeline() -> None:
    rng = random.Random(4)
    phones, t = [], 0.0
    for _ in range(5000):
        t += rng.choice([0.0, 0.0, 0.05])
        d = rng.uniform(0.01, 0.2)
        phones.append((rng.choice(["AA", "M", "S", "IY"]), t, t + d))
        t += d
    tl = make(phones)
    for _ in range(2000):
        q = rng.uniform(-1, t + 1)
        expected = next((p for p in tl.phones if p.start <= q < p.end), None)
        assert tl.lookup(q).phone == expected


def _doc(phones: list[dict[str, object]]) -> str:
    return json.dumps(
        {
            FORMAT_KEY: 1,
            "duration": 3,
            "words": [{"word": "a", "start": 0, "end": 3}],
            "phones": phones,
        }
    )


def test_phones_out_of_order_are_rejected() -> None:
    text = _doc(
        [
            {"phone": "AA", "start": 1.0, "end": 1.5, "word": 0},
            {"phone": "M", "start": 0.5, "end": 0.7, "word": 0},
        ]
    )
    with pytest.raises(InputError, match=r"t.json: phone 1 \(M\) starts at 0.500 s"):
        parse_timeline(text, "t.json")


def test_negative_duration_is_rejected() -> None:
    text = _doc([{"phone": "AA", "start": 1.0, "end": 0.5, "word": 0}])
    with pytest.raises(InputError, match="negative duration"):
        parse_timeline(text, "t.json")


def test_unknown_version_and_bad_word_index() -> None:
    with pytest.raises(InputError, match="version 7"):
        parse_timeline(json.dumps({FORMAT_KEY: 7}), "t.json")
    with pytest.raises(InputError, match="word 5"):
        parse_timeline(_doc([{"phone": "AA", "start": 1.0, "end": 1.5, "word": 5}]), "t.json")


def test_mouth_cue_timelines_look_up_and_round_trip() -> None:
    from livesync.lipsync.mouth import MouthTrack
    from livesync.lipsync.timeline import Cue, dumps

    tl = Timeline(
        (Word("hi", 0.5, 1.0),),
        (),
        2.0,
        cues=(Cue(Viseme.SIL, 0.0, 0.5), Cue(Viseme.AA, 0.5, 0.8), Cue(Viseme.PP, 0.8, 1.0)),
    )
    assert tl.lookup(0.6).viseme is Viseme.AA
    assert tl.lookup(0.6).word is tl.words[0]
    assert tl.lookup(0.9).progress == pytest.approx(0.5)
    assert tl.lookup(1.5).viseme is Viseme.SIL and tl.lookup(1.5).word is None
    again = parse_timeline(dumps(tl), "t.json")
    assert again.cues == tl.cues
    track = MouthTrack.for_timeline(again)
    assert track.sample(0.65).weights == {Viseme.AA: 1.0}
    assert track.sample(0.9).viseme is Viseme.PP


def test_overlapping_cues_are_rejected() -> None:
    text = json.dumps(
        {
            FORMAT_KEY: 1,
            "words": [],
            "phones": [],
            "cues": [
                {"viseme": "aa", "start": 0.0, "end": 1.0},
                {"viseme": "PP", "start": 0.5, "end": 1.2},
            ],
        }
    )
    with pytest.raises(InputError, match="mouth cue 1"):
        parse_timeline(text, "t.json")
    bad = json.dumps(
        {
            FORMAT_KEY: 1,
            "words": [],
            "phones": [],
            "cues": [{"viseme": "QQ", "start": 0.0, "end": 1.0}],
        }
    )
    with pytest.raises(InputError, match="malformed"):
        parse_timeline(bad, "t.json")
