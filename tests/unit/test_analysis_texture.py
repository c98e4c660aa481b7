"""Shadertoy's iChannel0 audio texture: row 0 the WebAudio spectrum, row 1 the waveform."""

from __future__ import annotations

import math

import numpy as np
import pytest

from livesync.audio.analyser import (
    ANALYSER_FFT,
    ANALYSER_FRAME_RATE,
    MAX_DECIBELS,
    MIN_DECIBELS,
    SMOOTHING_TIME_CONSTANT,
    analyse,
)

SR = 44100


def sine(freq: float, amp: float, seconds: float, sr: int = SR) -> np.ndarray:
    t = np.arange(round(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def expected_byte(magnitude: float) -> int:
    """WebAudio's getByteFrequencyData for a settled (fully smoothed) bin magnitude."""
    db = 20 * math.log10(magnitude)
    return min(255, max(0, math.floor(255 / (MAX_DECIBELS - MIN_DECIBELS) * (db - MIN_DECIBELS))))


def test_shape_dtype_and_range() -> None:
    a = analyse(sine(1000, 0.5, 2.0), SR)
    tex = a.audio_texture_at(1.0)
    assert tex.shape == (2, 512) and tex.dtype == np.float32
    assert tex.min() >= 0.0 and tex.max() <= 1.0
    out = np.empty((2, 512), np.float32)
    assert a.audio_texture_at(1.0, out) is out
    np.testing.assert_array_equal(out, tex)


@pytest.mark.parametrize(("amp", "texel"), [(0.01, 93), (0.001, 200), (0.003, 40)])
def test_spectrum_row_is_webaudio_bytes_of_a_steady_sine(amp: float, texel: int) -> None:
    """A sine centred on texel k (k * samplerate / 2048 Hz): Blackman's coherent gain is 0.42,
    so the settled magnitude is amp * 0.42 / 2, mapped from -100..-30 dB to 0..255."""
    a = analyse(sine(texel * SR / ANALYSER_FFT, amp, 3.0), SR)
    row = a.audio_texture_at(2.0)[0]
    assert int(np.argmax(row)) == texel
    assert row[texel] * 255 == pytest.approx(expected_byte(amp * 0.42 / 2), abs=1.01)
    assert row[texel + 20] < row[texel] - 0.3  # a narrow peak


def test_loud_peaks_saturate_at_max_decibels() -> None:
    row = analyse(sine(40 * SR / ANALYSER_FFT, 0.5, 2.0), SR).audio_texture_at(1.0)[0]
    assert row[40] == 1.0 and row[39] == 1.0 and row[41] == 1.0  # over -30 dB
    assert row[80] < 0.5


def test_spectrum_covers_a_quarter_of_the_samplerate() -> None:
    """Texel 511 is just under samplerate / 4; higher frequencies are not in the texture."""
    low = analyse(sine(SR / 4 - 100, 0.5, 1.0), SR).audio_texture_at(0.5)[0]
    high = analyse(sine(SR / 4 + 1000, 0.5, 1.0), SR).audio_texture_at(0.5)[0]
    assert low[507] == 1.0 and low[:400].max() < 0.2
    assert high.max() < 0.2


def test_spectrum_decays_with_the_smoothing_time_constant() -> None:
    """After the sound stops, S shrinks by tau per analyser frame at 60 frames per second:
    0.8 ** 6 over 100 ms, i.e. -11.6 dB, i.e. 42 bytes."""
    signal = np.concatenate([sine(1000, 0.3, 1.0), np.zeros(SR, np.float32)])
    a = analyse(signal, SR)
    k = round(1000 * ANALYSER_FFT / SR)
    before, after = a.audio_texture_at(1.3)[0][k], a.audio_texture_at(1.4)[0][k]
    drop_db = -20 * math.log10(SMOOTHING_TIME_CONSTANT ** (0.1 * ANALYSER_FRAME_RATE))
    assert (before - after) * 255 == pytest.approx(255 / 70 * drop_db, abs=2.0)


def test_silence_and_outside_the_track() -> None:
    a = analyse(np.concatenate([np.zeros(SR, np.float32), sine(440, 0.5, 1.0)]), SR)
    quiet = a.audio_texture_at(0.3)
    assert not quiet[0].any()
    assert np.all(quiet[1] == np.float32(128 / 255))
    for t in (-1.0, 5.0):
        outside = a.audio_texture_at(t)
        assert not outside[0].any() and np.all(outside[1] == np.float32(128 / 255))


def test_waveform_row_is_the_512_samples_centred_on_t() -> None:
    sr = 8000
    ramp = np.linspace(-1.0, 1.0, sr, dtype=np.float32)  # one second, -1 to 1
    a = analyse(ramp, sr)
    t = 0.5
    wave = a.audio_texture_at(t)[1]
    start = round(t * sr) - 256
    x = ramp[start : start + 512]
    expected = np.clip(np.floor(128 * (1 + x.astype(np.float64))), 0, 255) / 255
    np.testing.assert_allclose(wave, expected, atol=1.01 / 255)
    assert np.all(np.diff(wave) >= 0)


def test_waveform_row_is_padded_with_silence_at_the_edges() -> None:
    sr = 8000
    a = analyse(np.full(sr, 0.5, np.float32), sr)
    wave = a.audio_texture_at(0.0)[1]
    assert np.all(wave[:256] == np.float32(128 / 255))
    assert np.all(wave[256:] == np.float32(192 / 255))
    end = a.audio_texture_at(a.duration - 0.01)[1]
    assert end[0] == np.float32(192 / 255) and end[-1] == np.float32(128 / 255)
