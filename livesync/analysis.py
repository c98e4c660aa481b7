"""Audio features precomputed once per track, so a frame only interpolates a table.

Computing features live from the output buffer would lag the picture by a buffer and cost
CPU every frame; computing them from the file at load time makes them exactly in sync with
whatever clock picks the frame's time, and free to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

HOP_SECONDS = 0.01
WINDOW = 2048
BASS_HZ = 150.0
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Analysis:
    """Per-hop features on a 0..1 scale (relative to the track's own loud passages)."""

    hop: float
    level: FloatArray
    bass: FloatArray

    def at(self, t: float) -> tuple[float, float]:
        """(level, bass) at time t, linearly interpolated; 0 outside the track."""
        x = t / self.hop
        i = int(np.floor(x))
        n = len(self.level)
        if i < 0 or i >= n:
            return 0.0, 0.0
        j = min(i + 1, n - 1)
        f = x - i
        return (float(self.level[i] * (1 - f) + self.level[j] * f),
                float(self.bass[i] * (1 - f) + self.bass[j] * f))


def analyse(samples: npt.NDArray[np.floating], samplerate: int) -> Analysis:
    """Loudness and bass envelopes of a (frames,) or (frames, channels) signal."""
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    mono = np.asarray(mono, dtype=np.float32)
    hop = max(1, round(samplerate * HOP_SECONDS))
    n_hops = max(1, int(np.ceil(len(mono) / hop)))
    padded = np.zeros(n_hops * hop + WINDOW, dtype=np.float32)
    padded[WINDOW // 2: WINDOW // 2 + len(mono)] = mono
    frames = np.lib.stride_tricks.sliding_window_view(padded, WINDOW)[::hop][:n_hops]
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(WINDOW).astype(np.float32), axis=1)) ** 2
    freqs = np.fft.rfftfreq(WINDOW, 1.0 / samplerate)
    total = spectrum.sum(axis=1)
    bass = spectrum[:, freqs < BASS_HZ].sum(axis=1)
    return Analysis(hop / samplerate, _envelope(total), _envelope(bass))


def _envelope(power: npt.NDArray[np.floating]) -> FloatArray:
    """Power -> 0..1 on a 45 dB scale topped at the track's 95th percentile, fast attack and
    slow release so it pulses with hits without flickering."""
    db = 10.0 * np.log10(power + 1e-12)
    loud = np.percentile(db, 95) if db.size else 0.0
    level = np.clip((db - (loud - 45.0)) / 45.0, 0.0, 1.0) * 0.85
    return _attack_release(level.astype(np.float32), attack=0.5, release=0.08)


def _attack_release(x: FloatArray, attack: float, release: float) -> FloatArray:
    out = np.empty_like(x)
    y = 0.0
    for i, v in enumerate(x):  # a one-pole filter is inherently sequential; ~1e5 hops at most
        y += (attack if v > y else release) * (v - y)
        out[i] = y
    return out
