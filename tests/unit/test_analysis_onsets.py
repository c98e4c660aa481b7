"""Onsets ("hits") on synthetic signals with known hit times: found within one hop, no
false hits in steady tones, one hit per band per 80 ms at most."""

from __future__ import annotations

import math

import numpy as np
import pytest

from livesync.audio.analyser import MIN_GAP_SECONDS, analyse
from livesync.audio.analysis import HIT_DECAY_SECONDS, Analysis


def known_times(seconds: float, seed: int) -> list[float]:
    """Irregular hit times 150-600 ms apart, so nothing can be found by periodicity."""
    rng = np.random.default_rng(seed)
    times, t = [], 0.3
    while t < seconds - 0.5:
        times.append(round(t, 4))
        t += rng.uniform(0.15, 0.6)
    return times


def place(times: list[float], sound: np.ndarray, seconds: float, sr: int) -> np.ndarray:
    x = np.zeros(round(seconds * sr), np.float32)
    for t in times:
        i = round(t * sr)
        n = min(len(sound), len(x) - i)
        x[i : i + n] += sound[:n]
    return x


def click(sr: int) -> np.ndarray:
    return (0.8 * np.hanning(20)).astype(np.float32)


def kick(sr: int) -> np.ndarray:
    """A 60 Hz sine with a 60 ms exponential decay, faded out (no click at its end)."""
    t = np.arange(round(0.25 * sr)) / sr
    return (
        0.9 * np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.06) * np.minimum(1.0, (0.25 - t) / 0.05)
    ).astype(np.float32)


def hat(sr: int) -> np.ndarray:
    """A 30 ms burst of differenced (high-passed) noise."""
    rng = np.random.default_rng(1)
    t = np.arange(round(0.03 * sr)) / sr
    return (0.3 * np.diff(rng.standard_normal(len(t) + 1)) * np.exp(-t / 0.008)).astype(np.float32)


def assert_found(onsets: np.ndarray, times: list[float], hop: float) -> None:
    assert len(onsets) == len(times), (onsets, times)
    errors = np.abs(onsets - np.asarray(times))
    assert errors.max() <= hop, errors.max()


@pytest.mark.parametrize("sr", [22050, 44100, 48000])
def test_clicks_are_found_within_one_hop_in_every_band(sr: int) -> None:
    times = known_times(8.0, seed=sr)
    a = analyse(place(times, click(sr), 8.0, sr), sr)
    for onsets in (a.onsets, a.bass_onsets, a.mid_onsets, a.high_onsets):
        assert_found(onsets, times, a.hop)


@pytest.mark.parametrize("sr", [22050, 44100])
def test_kicks_are_bass_hits_within_one_hop(sr: int) -> None:
    times = known_times(8.0, seed=7)
    a = analyse(place(times, kick(sr), 8.0, sr), sr)
    assert_found(a.bass_onsets, times, a.hop)
    assert_found(a.onsets, times, a.hop)
    assert len(a.high_onsets) == 0  # a kick has nothing above 2 kHz


def test_hats_over_a_steady_bass_tone_are_high_hits() -> None:
    sr = 44100
    times = known_times(8.0, seed=3)
    t = np.arange(8 * sr) / sr
    bed = (0.4 * np.sin(2 * np.pi * 55 * t) * np.minimum(1.0, t / 0.2)).astype(np.float32)
    a = analyse(bed + place(times, hat(sr), 8.0, sr), sr)
    assert_found(a.high_onsets, times, a.hop)
    assert len(a.bass_onsets[a.bass_onsets > 0.3]) == 0


@pytest.mark.parametrize("freqs", [(60.0,), (440.0,), (5000.0,), (110.0, 277.0, 1320.0)])
def test_steady_tones_have_no_hits(freqs: tuple[float, ...]) -> None:
    sr = 44100
    t = np.arange(6 * sr) / sr
    fade = np.minimum(1.0, np.minimum(t, 6.0 - t) / 0.1)
    signal = sum(0.5 / len(freqs) * np.sin(2 * np.pi * f * t) for f in freqs) * fade
    a = analyse(np.asarray(signal, np.float32), sr)
    for onsets in (a.onsets, a.bass_onsets, a.mid_onsets, a.high_onsets):
        # The tone starting (fading in from silence) may count as one hit, nothing after.
        assert len(onsets) <= 1 and np.all(onsets < 0.1), onsets
    assert a.features_at(3.0).hits < 1e-6


def test_silence_has_no_hits() -> None:
    a = analyse(np.zeros(44100 * 3, np.float32), 44100)
    assert len(a.onsets) == len(a.bass_onsets) == len(a.mid_onsets) == len(a.high_onsets) == 0


def test_hits_closer_than_the_minimum_gap_count_once() -> None:
    sr = 44100
    flam = [1.0, 1.0 + MIN_GAP_SECONDS / 2, 2.0, 2.0 + MIN_GAP_SECONDS * 1.5]
    a = analyse(place(flam, click(sr), 3.0, sr), sr)
    np.testing.assert_allclose(a.onsets, [1.0, 2.0, flam[3]], atol=a.hop)


def test_hits_jump_to_one_and_decay() -> None:
    sr = 44100
    a = analyse(place([1.0, 2.0], click(sr), 3.0, sr), sr)
    first, second = a.onsets
    assert a.features_at(first - 0.05).hits == 0.0  # nothing before the first hit
    assert a.features_at(first).hits == pytest.approx(1.0)
    assert a.features_at(first + HIT_DECAY_SECONDS).hits == pytest.approx(math.exp(-1))
    assert a.features_at(second - 0.001).hits < 0.01
    assert a.features_at(second + 0.01).hits == pytest.approx(math.exp(-0.01 / 0.15))
    f = a.features_at(second + 0.05)
    assert f.bass_hits > 0.5 and f.mid_hits > 0.5 and f.high_hits > 0.5


def test_hits_from_onset_times_alone() -> None:
    a = Analysis(
        0.01, np.zeros(100, np.float32), np.zeros(100, np.float32), bass_onsets=np.array([0.2, 0.5])
    )
    assert a.features_at(0.1).bass_hits == 0.0
    assert a.features_at(0.5).bass_hits == 1.0
    assert a.features_at(0.65).bass_hits == pytest.approx(math.exp(-1))
    assert a.features_at(0.65).hits == 0.0
