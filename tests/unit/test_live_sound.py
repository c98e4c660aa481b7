"""Sound heard live as the shaders' audio inputs (livesync.audio.live_sound): what a set
list's interlude reads from the room. Fed blocks as an input stream delivers them, analysed
once per frame."""

from __future__ import annotations

import numpy as np
import pytest

from livesync.audio.analyser import analyse, waveform_of
from livesync.audio.live_sound import LiveSound

RATE = 48000
BLOCK = 800  # one 60 Hz frame of samples: a frame between analyses


def play(live: LiveSound, signal: np.ndarray) -> list[tuple[float, ...]]:
    """Feed `signal` a frame at a time, analysing after each (as the frame loop does); the
    features seen each frame."""
    seen: list[tuple[float, ...]] = []
    for start in range(0, len(signal) - BLOCK + 1, BLOCK):
        live.feed(signal[start : start + BLOCK].astype(np.float32))
        f = live.features_at(start / RATE)
        seen.append((f.level, f.bass, f.mid, f.high, f.hits, f.bass_hits))
    return seen


def tone(hz: float, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * hz * t)


def test_silence_reads_as_silence() -> None:
    live = LiveSound(RATE)
    seen = play(live, np.zeros(RATE))
    assert max(max(s) for s in seen) == 0.0
    texture = live.audio_texture_at(0.0)
    assert (texture[0] == 0).all() and np.allclose(texture[1], 128 / 255)


def test_a_tone_reads_in_its_band_and_in_the_spectrum_as_a_song_would() -> None:
    signal = tone(1000.0, 2.0)
    live = LiveSound(RATE)
    level, bass, mid, high, _, _ = play(live, signal)[-1]
    now = 1.98
    assert mid > 0.7 and level > 0.7 and bass < 0.1 and high < 0.3
    texture = live.audio_texture_at(now)
    # The same steady tone through the song analyser: the same spectrum row once the
    # analyser's smoothing has settled, within a byte.
    song = analyse(signal, RATE).audio_texture_at(1.5)
    assert np.abs(texture[0] - song[0]).max() <= 1.5 / 255
    assert int(np.argmax(texture[0])) in (42, 43)  # 1000 Hz at 23.4 Hz a bin: 42.7
    last = signal[len(signal) // BLOCK * BLOCK - 512 : len(signal) // BLOCK * BLOCK]
    np.testing.assert_allclose(texture[1], ((waveform_of(last) >> 8) + 128) / 255, atol=1e-6)


def test_each_kick_is_a_hit_and_a_steady_hum_is_not() -> None:
    rng = np.random.default_rng(1)
    signal = tone(300.0, 4.0, 0.05) + rng.normal(0, 0.002, 4 * RATE)  # a hum and hiss
    kicks = [1.25, 1.75, 2.25, 2.75, 3.25, 3.75]  # after the threshold's first second
    t = np.arange(int(0.15 * RATE)) / RATE
    kick = 0.8 * np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.04)
    for at in kicks:
        i = int(at * RATE)
        signal[i : i + len(kick)] += kick
    seen = play(LiveSound(RATE), signal)
    frames = [n for n, s in enumerate(seen) if s[5] == 1.0]  # bass hit fresh this frame
    times = [(n + 1) * BLOCK / RATE for n in frames]
    assert len(times) == len(kicks), times
    assert all(0 <= t - k < 0.05 for t, k in zip(times, kicks, strict=True)), times
    assert seen[frames[0] + 6][5] < 0.6  # and it decays (150 ms time constant)


def test_a_quiet_room_is_not_full_scale_and_levels_follow_the_music_down() -> None:
    rng = np.random.default_rng(2)
    live = LiveSound(RATE)
    assert play(live, rng.normal(0, 10 ** (-75 / 20), RATE))[-1][0] < 0.1  # -75 dBFS hiss
    loud = play(live, tone(200.0, 2.0, 0.9))[-1][0]
    quieter = play(live, tone(200.0, 12.0, 0.09))  # 20 dB down
    assert loud > 0.8
    assert quieter[30][0] < 0.65 * loud  # at first it reads 20 dB down, of a 45 dB scale
    assert quieter[-1][0] > 0.75  # then the reference has come down to it


@pytest.mark.parametrize("channels", [1, 2])
def test_blocks_of_any_size_and_channels(channels: int) -> None:
    live = LiveSound(RATE)
    block = np.tile(tone(500.0, 0.01)[:, None], (1, channels)).astype(np.float32)
    live.feed(block.squeeze() if channels == 1 else block)
    live.feed(np.zeros((0, channels), np.float32).squeeze())
    live.feed(np.tile(tone(500.0, 0.2)[:, None], (1, channels)).astype(np.float32))
    assert live.features_at(0.0).mid > 0.3


def test_an_input_that_stops_reads_as_silence_not_frozen() -> None:
    live = LiveSound(RATE)
    play(live, tone(1000.0, 1.0))
    assert live.features_at(1.0).mid > 0.5  # the caller's clock: the sound just came
    assert live.features_at(1.2).mid > 0.5
    assert live.features_at(1.3).mid == 0.0  # nothing for 0.3 s: the input has stopped
    assert np.allclose(live.audio_texture_at(1.3)[1], 128 / 255)
    assert live.features_at(0.1).mid > 0.5  # a new part's clock from 0: listening again
