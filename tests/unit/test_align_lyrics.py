"""Lyrics as people write them -> words to align (pure: no decoder, no audio)."""

from __future__ import annotations

from livesync.align.lyrics import is_section_label, normalize, parse_lyrics, split_repeat
from livesync.align.numbers import number_words


def texts(lyrics_text: str) -> list[list[str]]:
    return [[w.text for w in line.words] for line in parse_lyrics(lyrics_text).lines]


def test_punctuation_is_dropped_but_the_written_word_is_kept() -> None:
    lyrics = parse_lyrics('Write fast, if you "want" to -- finish early!\n')
    words = lyrics.words
    assert [w.text for w in words] == [
        "Write",
        "fast",
        "if",
        "you",
        "want",
        "to",
        "finish",
        "early",
    ]
    assert [w.tokens for w in words][:2] == [("write",), ("fast",)]
    for w in words:  # offsets point at the word in the transcript
        assert lyrics.transcript[w.offset : w.end_offset] == w.text


def test_numbers_and_symbols_are_spelled_out() -> None:
    assert normalize("24/7") == ("twenty", "four", "seven")
    assert normalize("1999") == ("nineteen", "ninety", "nine")
    assert normalize("2005") == ("two", "thousand", "five")
    assert normalize("&") == ("and",)
    assert normalize("90s") == ("nineties",)
    assert normalize("100%") == ("one", "hundred", "percent")
    assert number_words("3.5") == ["three", "point", "five"]
    assert number_words("21st") == ["twenty", "first"]
    assert number_words("1,000,000") == ["one", "million"]
    assert number_words("007") == ["oh", "oh", "seven"]


def test_contractions_and_dropped_g_keep_their_apostrophe() -> None:
    words = parse_lyrics("I'm goin' 'til the mornin', don't stop\n").words
    assert [w.text for w in words] == ["I'm", "goin'", "'til", "the", "mornin'", "don't", "stop"]
    assert words[0].tokens == ("i'm",) and words[1].tokens == ("goin'",)
    assert normalize("Don\u2019t") == ("don't",)


def test_repeat_marks_expand_lines() -> None:
    assert texts("Oh yeah (x2)\nbye\n") == [["Oh", "yeah"], ["Oh", "yeah"], ["bye"]]
    assert texts("Hey hey [3x]\n") == [["Hey", "hey"]] * 3
    assert texts("na na x2\n") == [["na", "na"]] * 2
    assert split_repeat("Max2 is a name") == ("Max2 is a name", 1)
    assert split_repeat("just words") == ("just words", 1)
    assert texts("la di da\n(x3)\nend\n") == [["la", "di", "da"]] * 3 + [["end"]]


def test_section_labels_are_dropped_and_blank_lines_split_stanzas() -> None:
    lyrics = parse_lyrics(
        "[Verse 1]\nfirst line\nsecond line\n\n[Chorus]\nla la\n\nChorus:\nla la\nVerse 2\nend\n"
    )
    assert [[w.text for w in line.words] for line in lyrics.lines] == [
        ["first", "line"],
        ["second", "line"],
        ["la", "la"],
        ["la", "la"],
        ["end"],
    ]
    assert [line.stanza for line in lyrics.lines] == [0, 0, 1, 2, 3]
    assert is_section_label("[Pre-Chorus: Someone]") and is_section_label("(Bridge)")
    assert not is_section_label("Chorus of angels sing tonight")
    assert not is_section_label("(oh yeah)")
    assert not is_section_label("Break") and is_section_label("[Break]")
    assert is_section_label("Chorus: Some Artist")
    assert not is_section_label("Chorus: sing along with me now")


def test_parenthesised_backing_vocals_are_sung_words() -> None:
    assert texts("I'm alive (oh yeah)\n") == [["I'm", "alive", "oh", "yeah"]]


def test_empty_lyrics_have_no_words() -> None:
    assert parse_lyrics("").words == []
    assert parse_lyrics("\n[Chorus]\n  ...  \n").words == []
