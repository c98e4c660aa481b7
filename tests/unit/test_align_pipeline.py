"""The aligner's pipeline driven by a scripted recogniser: planning, chunking, time shifts,
new words and lines that are not in the audio, with no speech model."""

from __future__ import annotations

import pytest

from livesync.align import align_pcm, g2p, parse_lyrics
from livesync.align import pipeline as pipeline_module
from livesync.align.recogniser import Recogniser

from .test_align_support import LYRICS, SECONDS, TRUTH, ScriptedRecogniser, noise_song


@pytest.fixture(autouse=True)
def no_pocketsphinx(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recogniser given is the one used: building the default one fails the test."""

    def refuse() -> Recogniser:
        raise AssertionError("the pipeline built pocketsphinx instead of using the one given")

    monkeypatch.setattr(pipeline_module, "SphinxAligner", refuse)


def test_chunks_come_back_in_song_time() -> None:
    song = noise_song()
    recogniser = ScriptedRecogniser(song)
    result = align_pcm(song, SECONDS, parse_lyrics(LYRICS), recogniser=recogniser)
    timeline = result.timeline
    assert [w.text for w in timeline.words] == ["Hello", "brave", "world", "sing", "zorblax", "now"]
    # Every chunk, cut at three shifted starts, answered in its own time: back in song time
    # they are the words' true times (to the sample).
    for word, (start, end) in zip(timeline.words, TRUTH.values(), strict=True):
        assert (word.start, word.end) == pytest.approx((start, end), abs=1e-6)
    first = [p.phone for p in timeline.phones if p.word == 0]
    assert first == ["HH", "AH", "L", "OW"]  # stress digits dropped
    assert result.failed_chunks == 0 and result.chunks == 2
    # One coarse pass over all the words (no phones), then each line at three shifts.
    assert recogniser.calls[0] == (("hello", "brave", "world", "sing", "zorblax", "now"), False)
    assert (
        recogniser.calls[1:]
        == [(("hello", "brave", "world"), True)] * 3 + [(("sing", "zorblax", "now"), True)] * 3
    )


def test_a_new_word_is_pronounced_and_taught_to_the_recogniser() -> None:
    song = noise_song()
    recogniser = ScriptedRecogniser(song)
    result = align_pcm(song, SECONDS, parse_lyrics(LYRICS), recogniser=recogniser)
    assert list(recogniser.added) == ["zorblax"]
    assert result.oov == {"zorblax": recogniser.added["zorblax"]}
    assert recogniser.added["zorblax"][0] == "Z" and set(recogniser.added["zorblax"]) <= g2p.PHONES
    assert "zorblax" in result.summary() and "not in the dictionary" in result.summary()


def test_a_line_the_recogniser_cannot_find_is_not_found_in_audio() -> None:
    song = noise_song()
    recogniser = ScriptedRecogniser(song, refuse="brave")
    result = align_pcm(song, SECONDS, parse_lyrics(LYRICS), recogniser=recogniser)
    assert [w.aligned for w in result.timeline.words] == [False] * 3 + [True] * 3
    assert result.failed_chunks == 1
    assert {p.word for p in result.timeline.phones} == {3, 4, 5}
    assert result.summary().startswith("3/6 words aligned, 3 not found in audio")
