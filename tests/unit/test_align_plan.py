"""Chunk planning: voice activity, the spliced coarse audio, line windows (pure numpy)."""

from __future__ import annotations

import numpy as np
import pytest

from livesync.align.lyrics import parse_lyrics
from livesync.align.plan import (
    Splice,
    implausible,
    lrc_spans,
    proportional_spans,
    snap_to_gaps,
    split_long_lines,
    voiced_segments,
    windows_from_spans,
)
from livesync.align.voicing import frame_voicing, runs, voiced_frames

RATE = 16000


def tone_bursts(
    bursts: list[tuple[float, float]], duration: float, noise: float = 1e-4
) -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(int(duration * RATE)) / RATE
    x = rng.normal(0, noise, len(t))
    for s, e in bursts:
        on = (t >= s) & (t < e)
        x[on] += 0.3 * np.sin(2 * np.pi * 220 * t[on])
    return x.astype(np.float32)


def test_voiced_segments_find_bursts_and_bridge_short_gaps() -> None:
    x = tone_bursts([(1.0, 2.0), (2.2, 3.0), (6.0, 7.5)], 10.0)
    spans = voiced_segments(x, RATE, pad=0.0)
    assert len(spans) == 2  # the 0.2 s gap is bridged, the 3 s one is not
    assert spans[0] == pytest.approx((1.0, 3.0), abs=0.03)
    assert spans[1] == pytest.approx((6.0, 7.5), abs=0.03)
    padded = voiced_segments(x, RATE, pad=0.1)
    assert padded[0][0] == pytest.approx(0.9, abs=0.03)


def kick_drum() -> np.ndarray:
    """A sine kick with a fast pitch drop (158 -> 48 Hz) and a click, as in make_demo."""
    t = np.arange(int(0.35 * RATE)) / RATE
    freq = 48.0 + 110.0 * np.exp(-t / 0.035)
    return np.sin(2 * np.pi * np.cumsum(freq) / RATE) * np.exp(-t / 0.16) + 0.3 * np.exp(-t / 0.002)


def kick_pattern(duration: float, beat: float = 0.5) -> np.ndarray:
    x = np.random.default_rng(1).normal(0, 1e-3, int(duration * RATE))
    k = kick_drum()
    for b in np.arange(0.0, duration - 0.35, beat):
        i = int(b * RATE)
        x[i : i + len(k)] += 0.8 * k
    return x


def harmonic_tone(duration: float, f0: float = 160.0) -> np.ndarray:
    """A sawtooth-like tone: 15 harmonics falling off as 1/k, like a sung vowel's source."""
    t = np.arange(int(duration * RATE)) / RATE
    return 0.2 * sum((np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 16)), np.zeros_like(t))


def test_a_harmonic_tone_is_voiced() -> None:
    quiet = np.random.default_rng(2).normal(0, 1e-3, RATE)
    x = np.concatenate((quiet, harmonic_tone(1.0), quiet))
    voiced = voiced_frames(x, RATE)
    assert voiced[105:195].all()
    assert not voiced[:95].any() and not voiced[205:].any()
    harmonicity, level = frame_voicing(x, RATE)
    assert len(harmonicity) == len(level) == 300
    assert harmonicity[110:190].min() > 0.9 and harmonicity[:90].max() < 0.5
    assert level[150] > level[50] + 40


def test_noise_and_kick_drums_are_not_voiced() -> None:
    noise = np.random.default_rng(3).normal(0, 0.1, 3 * RATE)
    assert not voiced_frames(noise, RATE).any()
    assert not voiced_frames(kick_pattern(6.0), RATE).any()
    # Noise bursts (hats, claps) between silences: loud in the band, but not periodic.
    bursts = np.random.default_rng(4).normal(0, 1e-3, 4 * RATE)
    bursts[RATE : 2 * RATE] += np.random.default_rng(5).normal(0, 0.2, RATE)
    assert not voiced_frames(bursts, RATE).any()


def test_runs_finds_true_stretches() -> None:
    starts, ends = runs(np.array([0, 1, 1, 0, 0, 1, 0, 1], dtype=bool))
    assert starts.tolist() == [1, 5, 7] and ends.tolist() == [3, 6, 8]
    empty = runs(np.zeros(4, dtype=bool))
    assert len(empty[0]) == 0 and len(empty[1]) == 0


def test_kick_drums_between_lines_are_not_voice() -> None:
    """Over a drum loop, energy alone finds every kick; only the sung stretch is kept (with
    the kick that starts just before it)."""
    x = kick_pattern(12.0)
    x[4 * RATE : 5 * RATE] += harmonic_tone(1.0)
    energy_only = voiced_segments(x, RATE, pad=0.0, pause=100.0)  # no pause is long enough
    assert energy_only[-1][1] - energy_only[0][0] > 10.0  # the kicks run into one another
    spans = voiced_segments(x, RATE, pad=0.0)
    assert len(spans) == 1
    assert 3.4 <= spans[0][0] <= 4.05 and 4.95 <= spans[0][1] <= 5.5
    # Without any voice at all the energy spans stand (nothing to tell them apart by).
    assert voiced_segments(kick_pattern(4.0), RATE) != []


def test_constant_audio_is_all_voiced() -> None:
    x = tone_bursts([(0.0, 4.0)], 4.0)
    assert voiced_segments(x, RATE) == [(0.0, 4.0)]


def test_splice_cuts_gaps_and_maps_times_back() -> None:
    splice = Splice(((1.0, 2.0), (6.0, 7.5)), gap=0.5)
    pcm = np.arange(10 * RATE, dtype=np.int64).astype(np.int16)
    spliced = splice.splice(pcm, RATE)
    assert len(spliced) == int((1.0 + 0.5 + 1.5 + 0.5) * RATE)
    assert splice.to_original(0.25) == pytest.approx(1.25)
    assert splice.to_original(1.6) == pytest.approx(6.1)  # second span starts at 1.5 spliced
    assert splice.to_original(1.1) == pytest.approx(2.0)  # in the gap: end of the first span
    assert splice.to_original(99.0) == pytest.approx(7.5)


def test_windows_are_padded_but_stay_out_of_neighbours() -> None:
    spans = [(1.0, 3.0), (3.2, 5.0), None, (20.0, 22.0)]
    windows = windows_from_spans(spans, duration=25.0, pad=0.5)
    assert [(w.first, w.last) for w in windows] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert windows[0].start == pytest.approx(0.5)
    assert windows[0].end == pytest.approx(3.5)
    assert windows[1].start == pytest.approx(2.7)
    # The line without a span gets the gap between its neighbours, padded.
    assert (windows[2].start, windows[2].end) == pytest.approx((4.5, 20.5))
    assert windows[3].end == pytest.approx(22.5)
    big = windows_from_spans([(1.0, 3.0), (3.2, 5.0)], duration=6.0, pad=5.0)
    assert big[0].end <= 4.1 and big[1].start >= 2.0  # at most the middle of the neighbour
    assert big[0].start == 0.0 and big[1].end == 6.0


def test_lrc_spans_run_to_the_next_stamp() -> None:
    spans = lrc_spans([10.0, 14.0, None, 30.0], [14.0, 18.0, None, None], 40.0, [3, 3, 2, 4])
    assert spans == [(10.0, 14.0), (14.0, 18.0), None, (30.0, 32.4)]


def test_proportional_spans_share_out_voiced_time() -> None:
    spans = proportional_spans([1, 3], [(0.0, 2.0), (10.0, 12.0)])
    assert spans[0] == pytest.approx((0.0, 1.0))
    assert spans[1] == pytest.approx((1.0, 12.0))


def test_line_boundaries_snap_to_nearby_pauses() -> None:
    voiced = [(1.0, 4.0), (9.0, 12.0), (12.5, 15.0)]
    # The coarse pass slid the second line's start 0.8 s into the first voiced span.
    spans = [(1.1, 3.1), (3.2, 11.8), (12.6, 14.9)]
    snapped = snap_to_gaps(spans, voiced)
    assert snapped[0] == (1.1, 4.0)
    assert snapped[1] == (9.0, 12.0)
    assert snapped[2] == (12.5, 14.9)
    # Far from any pause: left alone; a line without a span is skipped.
    assert snap_to_gaps([(1.0, 2.0), (2.1, 3.0)], [(0.5, 9.0)]) == [(1.0, 2.0), (2.1, 3.0)]
    assert snap_to_gaps([(1.1, 3.1), None, (9.1, 11.0)], voiced) == [(1.1, 3.1), None, (9.1, 11.0)]
    # A pause is used once, by the nearest boundary.
    assert snap_to_gaps([(1.0, 3.5), (3.6, 3.9), (4.1, 11.0)], [(0.5, 4.0), (4.2, 11.5)]) == [
        (1.0, 3.5),
        (3.6, 4.0),
        (4.2, 11.0),
    ]


def test_long_lines_are_split_into_chunks() -> None:
    text = " ".join(["la"] * 50) + "\nshort line\n"
    lyrics = parse_lyrics("[00:01.00]" + text.replace("\n", "\n[00:30.00]", 1))
    split = split_long_lines(lyrics, max_tokens=24)
    assert [len(line.words) for line in split.lines] == [17, 16, 17, 2]
    assert split.words == lyrics.words  # same words, same order
    assert [line.time for line in split.lines] == [1.0, None, None, 30.0]
    assert [line.end_time for line in split.lines] == [None, None, 30.0, None]
    assert split_long_lines(split, 24).lines == split.lines


def test_implausible_lines_match_far_worse_than_the_song() -> None:
    scores: list[float | None] = [-15.0, -12.0, -18.0, -55.0, None, -22.0]
    assert implausible(-55.0, scores)
    assert not implausible(-22.0, scores) and not implausible(None, scores)
    assert not implausible(-55.0, [-55.0, -15.0])  # too few lines to judge
    assert not implausible(-45.0, [-40.0, -45.0, -50.0])  # the whole song matches this badly
