"""LRC files as LYRICS: line stamps place chunks, word stamps and tags are read (pure)."""

from __future__ import annotations

import pytest

from livesync.align.lyrics import is_lrc, parse_lyrics

LRC = """[ar:Some Artist]
[ti:Some Song]
[length: 03:10]
[00:12.00]First line of the song
[00:15.50]Second <00:16.00>line <00:16.40>here
[00:20.10]
[00:31.25][01:05.00]Chorus comes twice
"""


def test_lrc_is_detected_and_tags_read() -> None:
    assert is_lrc(LRC) and not is_lrc("plain [not a stamp] text\n")
    lyrics = parse_lyrics(LRC)
    assert lyrics.tags["ar"] == "Some Artist" and lyrics.tags["ti"] == "Some Song"
    assert lyrics.timed


def test_line_times_end_times_and_repeated_stamps() -> None:
    lines = parse_lyrics(LRC).lines
    assert [line.time for line in lines] == [12.0, 15.5, 31.25, 65.0]
    # A line ends at the next stamp; the empty [00:20.10] line closes the second line.
    assert [line.end_time for line in lines] == [15.5, 20.1, 65.0, None]
    assert [w.text for w in lines[2].words] == ["Chorus", "comes", "twice"]
    assert [w.text for w in lines[3].words] == [w.text for w in lines[2].words]
    assert lines[2].stanza > lines[1].stanza


def test_word_stamps() -> None:
    line = parse_lyrics(LRC).lines[1]
    assert [(w.text, w.time) for w in line.words] == [
        ("Second", None),
        ("line", 16.0),
        ("here", 16.4),
    ]


def test_transcript_has_no_stamps() -> None:
    lyrics = parse_lyrics(LRC)
    assert "[" not in lyrics.transcript and "<" not in lyrics.transcript
    assert lyrics.transcript.splitlines()[1] == "Second line here"


def test_offset_tag_moves_lyrics_sooner() -> None:
    lines = parse_lyrics("[offset:+500]\n[00:10.00]hello there\n[00:12.00]again\n").lines
    assert [line.time for line in lines] == pytest.approx([9.5, 11.5])


def test_minutes_and_three_digit_fractions() -> None:
    lines = parse_lyrics("[02:03.456]late line\n").lines
    assert lines[0].time == pytest.approx(123.456)
