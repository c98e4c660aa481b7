"""Precomputed audio features follow the signal: loud is high, silence is low, bass is bass."""

from __future__ import annotations

import numpy as np

from livesync.analysis import analyse


def test_level_and_bass_follow_the_signal() -> None:
    sr = 22050
    t = np.arange(sr * 3) / sr
    signal = np.zeros_like(t)
    signal[sr: 2 * sr] = 0.5 * np.sin(2 * np.pi * 60 * t[sr: 2 * sr])      # 1-2 s: bass
    signal[2 * sr:] = 0.5 * np.sin(2 * np.pi * 3000 * t[2 * sr:])          # 2-3 s: treble
    a = analyse(signal.astype(np.float32), sr)
    quiet, bass, treble = a.at(0.5), a.at(1.6), a.at(2.6)
    assert quiet[0] < 0.05 and bass[0] > 0.6 and treble[0] > 0.6
    assert bass[1] > 0.6 and treble[1] < 0.2
    assert a.at(-1.0) == (0.0, 0.0) and a.at(10.0) == (0.0, 0.0)
