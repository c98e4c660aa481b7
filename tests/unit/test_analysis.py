"""Precomputed audio features follow the signal: loud is high, silence is low, bass is bass."""

from __future__ import annotations

import numpy as np
import pytest

from livesync.audio.analyser import analyse
from livesync.audio.analysis import SILENT, SYN_UNIFORMS, Analysis, AudioFeatures

SR = 22050


def tone(freq: float, seconds: float, sr: int = SR, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_level_and_bass_follow_the_signal() -> None:
    sr = 22050
    t = np.arange(sr * 3) / sr
    signal = np.zeros_like(t)
    signal[sr : 2 * sr] = 0.5 * np.sin(2 * np.pi * 60 * t[sr : 2 * sr])  # 1-2 s: bass
    signal[2 * sr :] = 0.5 * np.sin(2 * np.pi * 3000 * t[2 * sr :])  # 2-3 s: treble
    a = analyse(signal.astype(np.float32), sr)
    quiet, bass, treble = (a.features_at(t) for t in (0.5, 1.6, 2.6))
    assert quiet.level < 0.05 and bass.level > 0.6 and treble.level > 0.6
    assert bass.bass > 0.6 and treble.bass < 0.2
    assert a.features_at(-1.0) == SILENT and a.features_at(10.0) == SILENT


def test_bands_split_bass_mid_and_high() -> None:
    signal = np.concatenate([np.zeros(SR, np.float32), tone(60, 1), tone(800, 1), tone(5000, 1)])
    a = analyse(signal, SR)
    silence, bass, mid, high = (a.features_at(t) for t in (0.5, 1.6, 2.6, 3.6))
    assert max(silence.level, silence.bass, silence.mid, silence.high) < 0.05
    assert bass.bass > 0.6 and bass.mid < 0.2 and bass.high < 0.2
    assert mid.mid > 0.6 and mid.bass < 0.2 and mid.high < 0.2
    assert high.high > 0.6 and high.bass < 0.2 and high.mid < 0.2
    for f in (bass, mid, high):
        assert f.level > 0.6
        assert all(0.0 <= v <= 1.0 for v in vars_of(f))


def vars_of(f: AudioFeatures) -> list[float]:
    return [getattr(f, name) for name in AudioFeatures.__slots__]


def test_features_interpolate_the_tables_and_are_silent_outside_the_track() -> None:
    a = analyse(np.concatenate([tone(60, 1), tone(3000, 1)]), SR)
    hops = np.arange(len(a.level))
    for t in np.linspace(0.0, 1.99, 37):
        f = a.features_at(float(t))
        x = float(t) / a.hop
        expected = (np.interp(x, hops, a.level), np.interp(x, hops, a.bass))
        assert (f.level, f.bass) == pytest.approx(expected, abs=1e-6)
    assert a.features_at(-0.5) == SILENT and a.features_at(a.duration + 0.1) == SILENT
    assert a.duration == pytest.approx(2.0, abs=a.hop)


def test_stereo_is_analysed_as_its_mono_mix() -> None:
    left, right = tone(60, 1.0), tone(2000, 1.0, amp=0.3)
    stereo = analyse(np.stack([left, right], axis=1), SR)
    mono = analyse((left + right) / 2, SR)
    np.testing.assert_allclose(stereo.level, mono.level, atol=1e-5)
    np.testing.assert_allclose(stereo.high, mono.high, atol=1e-5)
    np.testing.assert_array_equal(stereo.onsets, mono.onsets)
    assert stereo.wave_reader is not None and mono.wave_reader is not None
    np.testing.assert_array_equal(stereo.wave_reader.read(0, SR), mono.wave_reader.read(0, SR))
    np.testing.assert_array_equal(stereo.audio_texture_at(0.5)[1], mono.audio_texture_at(0.5)[1])


def test_an_analysis_built_from_level_and_bass_alone_still_works() -> None:
    """The original three-field constructor keeps working; the new features read as 0."""
    a = Analysis(0.01, np.array([0.2, 0.4], np.float32), np.array([0.1, 0.3], np.float32))
    f = a.features_at(0.005)
    assert (f.level, f.bass) == pytest.approx((0.3, 0.2))
    assert f.mid == f.high == f.hits == f.bass_hits == 0.0
    tex = a.audio_texture_at(0.005)
    assert tex.shape == (2, 512) and not tex[0].any()
    assert np.all(tex[1] == np.float32(128 / 255))
    assert a.tempo_estimate is None


def test_syn_uniform_names_cover_every_feature() -> None:
    assert sorted(SYN_UNIFORMS.values()) == sorted(AudioFeatures.__slots__)
    assert {
        "syn_Level",
        "syn_BassLevel",
        "syn_MidLevel",
        "syn_HighLevel",
        "syn_Hits",
        "syn_BassHits",
        "syn_MidHits",
        "syn_HighHits",
    } == set(SYN_UNIFORMS)


def clicks(times: list[float], seconds: float, sr: int) -> np.ndarray:
    x = np.zeros(round(seconds * sr), np.float32)
    for t in times:
        i = round(t * sr)
        x[i : i + 20] += 0.8 * np.hanning(20).astype(np.float32)
    return x


@pytest.mark.parametrize("bpm", [96.0, 120.0, 140.0])
def test_tempo_estimate_of_a_click_track(bpm: float) -> None:
    sr = 22050
    beats = list(np.arange(0.2, 20.0, 60.0 / bpm))
    a = analyse(clicks(beats, 20.5, sr), sr)
    assert a.tempo_estimate is not None
    assert a.tempo_estimate == pytest.approx(bpm, rel=0.02)


def test_no_tempo_in_a_steady_tone_or_a_short_clip() -> None:
    assert analyse(tone(440, 10), SR).tempo_estimate is None
    assert analyse(clicks([0.1, 0.6], 1.0, SR), SR).tempo_estimate is None


def test_table_memory_is_bytes_per_hop_and_per_spectrum_row() -> None:
    """The spectrum has a row per 60 Hz analyser frame, not per 10 ms hop; the waveform is
    read from the samples on demand, not copied."""
    a = analyse(np.zeros((SR * 10, 2), np.float32), SR)
    hops = len(a.level)
    rows = -(-SR * 10 // round(SR / 60))
    assert hops == -(-SR * 10 // round(SR * 0.01)) and a.frames == SR * 10
    assert a.spectrum.shape == (rows, 512) and a.spectrum.dtype == np.uint8
    assert a.spectrum_hop == pytest.approx(1 / 60, rel=0.01)
    assert len(a.waveform) == 0
    assert a.wave_reader is not None and a.wave_reader.frames == SR * 10
    assert a.nbytes == hops * 4 * 4 + rows * 512


def test_a_silent_track_reads_silent() -> None:
    a = analyse(np.zeros((SR * 2, 2), np.float32), SR)
    f = a.features_at(1.0)
    assert max(f.level, f.bass, f.mid, f.high) == 0.0


def test_a_bass_only_track_has_no_mid_or_high() -> None:
    """Each band is scaled to the track's own loud passages, but never up from leakage or
    noise: a loud 60 Hz tone alone does not read as mid or high."""
    for sr in (SR, 44100):
        a = analyse(tone(60, 3.0, sr=sr), sr)
        f = a.features_at(1.5)
        assert f.bass > 0.8 and f.mid < 0.2 and f.high < 0.05
