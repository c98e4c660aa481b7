"""Dictionary resolution, letter-to-sound and result assembly (pure: no decoder)."""

from __future__ import annotations

import json

import pytest

from livesync.align import g2p
from livesync.align.assemble import (
    TimedPhone,
    WordResult,
    average_runs,
    build_timeline,
    clean_phone,
)
from livesync.align.lyrics import parse_lyrics
from livesync.align.pronounce import dictionary_name, resolve, variants
from livesync.formats import parse_timeline, write_timeline

DICT = {"going": "G OW IH NG", "cause": "K AH Z", "don't": "D OW N T", "the": "DH AH"}


def test_sung_spellings_find_dictionary_words() -> None:
    assert variants("goin'")[:2] == ["goin'", "going"]
    known, oov = resolve(["goin'", "'cause", "don't", "tryna", "the", "tryna"], DICT.get)
    assert known == {"goin'": "going", "'cause": "cause", "don't": "don't", "the": "the"}
    assert oov == ["tryna"]
    assert dictionary_name("a b(2)") == "ab2"


def test_ipa_maps_to_arpabet() -> None:
    assert g2p.ipa_to_arpabet(["t", "ɹ", "ˈiː", "n", "ə"]) == ["T", "R", "IY", "N", "AH"]
    assert g2p.ipa_to_arpabet(["ʃ", "ˈɔː", "ɾ", "i"]) == ["SH", "AO", "D", "IY"]
    assert g2p.ipa_to_arpabet(["dʒ", "ˈaɪ", "n̩", "tʃ"]) == ["JH", "AY", "AH", "N", "CH"]


@pytest.mark.parametrize(
    "word, phones",
    [
        ("shawty", ["SH", "AO", "T", "IY"]),
        ("finna", ["F", "IH", "N", "AH"]),
        ("night", ["N", "AY", "T"]),
        ("yeet", ["Y", "IY", "T"]),
    ],
)
def test_rule_fallback(word: str, phones: list[str]) -> None:
    assert g2p.rule_pronounce(word) == phones
    assert set(g2p.rule_pronounce(word)) <= g2p.PHONES


def test_rules_are_used_without_espeak() -> None:
    found, method = g2p.pronounce(["imma"], use_espeak=False)
    assert method == "rules" and found["imma"] == ["IH", "M", "AH"]


@pytest.mark.skipif(not g2p.espeak_available(), reason="espeak-ng is not installed")
def test_espeak_pronunciations_are_arpabet() -> None:
    found, method = g2p.pronounce(["tryna", "shawty", "imma"])
    assert method == "espeak-ng"
    assert found["tryna"][:2] == ["T", "R"]
    assert all(set(p) <= g2p.PHONES for p in found.values())


def _result(*phones: tuple[str, float, float]) -> WordResult:
    return WordResult(tuple(TimedPhone(*p) for p in phones))


def test_timeline_keeps_written_words_and_not_found_ones() -> None:
    lyrics = parse_lyrics("Hey 24/7 you\n")
    results = [
        _result(("HH", 1.0, 1.1), ("EY1", 1.1, 1.3)),
        _result(("T", 1.3, 1.4), ("W", 1.4, 1.5), ("F", 1.6, 1.7), ("S", 1.8, 1.9)),
        None,
    ]
    timeline = build_timeline(lyrics.words, results, 3.0, lyrics.transcript)
    assert [(w.text, w.start, w.end) for w in timeline.words] == [
        ("Hey", 1.0, 1.3),
        ("24/7", 1.3, 1.9),
        ("you", None, None),
    ]
    assert [p.phone for p in timeline.phones][:2] == ["HH", "EY"]
    assert {p.word for p in timeline.phones} == {0, 1}
    assert clean_phone("ah0") == "AH"

    text = write_timeline(timeline, "gentle")
    gentle = json.loads(text)
    assert gentle["transcript"] == "Hey 24/7 you\n"
    first, second, third = gentle["words"]
    assert first["case"] == "success" and first["start"] == 1.0 and first["end"] == 1.3
    assert first["alignedWord"] == "hey"
    assert [p["phone"] for p in first["phones"]] == ["hh_B", "ey_E"]
    assert [p["phone"] for p in second["phones"]] == ["t_B", "w_I", "f_I", "s_E"]
    assert third["case"] == "not-found-in-audio" and "start" not in third
    assert "alignedWord" not in third and third["word"] == "you"
    assert gentle["transcript"][second["startOffset"] : second["endOffset"]] == "24/7"
    assert gentle["transcript"][third["startOffset"] : third["endOffset"]] == "you"
    # livesync's own Gentle importer reads it back; a gap inside a word (1.5 to 1.6 in
    # "24/7") goes to the phone before it, as Gentle's phones have no gaps.
    back = parse_timeline(text, "x.json")
    assert [w.aligned for w in back.words] == [True, True, False]
    assert [p.phone for p in back.phones] == [p.phone for p in timeline.phones]
    assert [(w.start, w.end) for w in back.words] == [(w.start, w.end) for w in timeline.words]
    assert [p.start for p in back.phones] == pytest.approx([1.0, 1.1, 1.3, 1.4, 1.6, 1.8])


def test_single_phone_words_and_overlaps_are_cleaned() -> None:
    lyrics = parse_lyrics("a b\n")
    results = [_result(("AH", 1.0, 1.2)), _result(("B", 1.15, 1.3), ("IY", 1.3, 1.4))]
    timeline = build_timeline(lyrics.words, results, 2.0, lyrics.transcript)
    assert timeline.phones[1].start == pytest.approx(1.2)  # trimmed, no overlap
    gentle = json.loads(write_timeline(timeline, "gentle"))
    assert gentle["words"][0]["phones"] == [{"duration": 0.2, "phone": "ah_S"}]


def test_shifted_runs_are_averaged_when_they_agree() -> None:
    a = [[TimedPhone("DH", 1.00, 1.20), TimedPhone("AH", 1.20, 1.30)]]
    b = [[TimedPhone("DH", 1.01, 1.21), TimedPhone("AH", 1.21, 1.30)]]
    c = [[TimedPhone("DH", 1.05, 1.25), TimedPhone("IY", 1.25, 1.30)]]
    avg = average_runs([a, b, c])[0]
    assert avg[0].start == pytest.approx(1.005) and avg[1].start == pytest.approx(1.205)
    assert average_runs([c, a])[0] == c[0]  # disagreeing pronunciation: the first run wins


def test_three_runs_take_the_median() -> None:
    runs = [[[TimedPhone("DH", start, start + 0.1)]] for start in (1.00, 1.01, 1.50)]
    assert average_runs(runs)[0][0].start == pytest.approx(1.01)  # the outlier is outvoted
