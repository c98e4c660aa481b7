"""Per-frame voicing: is there a pitched voice in the vocal band? (pure numpy)

Energy alone cannot tell a voice from a backing track: every kick drum is as loud as a
sung word. A voiced sound (a vowel, a held note) is periodic at its pitch, 70-500 Hz, and
carries most of its energy in the 300-3000 Hz band, where kick drums and bass have little
and hi-hats, claps and noise are not periodic. So each frame gets
- its level in that band (dB), and
- its harmonicity: the highest normalised autocorrelation of the band-limited frame at a
  pitch lag (Boersma's method: the frame's autocorrelation divided by the window's),
  near 1 for a periodic sound, near 0 for noise and clicks.
`voiced_frames` combines the two, with a minimum duration; `plan.voiced_segments` drops
the loud stretches (drum hits) that lie far inside the long stretches without any.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BAND = (300.0, 3000.0)  # Hz: vowel harmonics and formants; above kick and bass, below hats
PITCH = (70.0, 500.0)  # Hz searched for a pitch period
WINDOW = 0.04  # seconds per analysis frame (at least two periods of the lowest pitch)
BLOCK = 2048  # frames per FFT batch (bounds memory on long songs)


def frame_voicing(
    samples: npt.NDArray[np.floating], rate: int, hop: float = 0.01
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(harmonicity 0-1, band level in dB) per `hop` seconds; frame i is centred at
    (i + 0.5) * hop, one value per whole hop of audio (at least one frame)."""
    x = np.asarray(samples, dtype=np.float64)
    n = max(1, round(hop * rate))
    frames = max(1, len(x) // n)
    width = round(WINDOW * rate)
    lo_lag = max(1, int(rate / PITCH[1]))
    hi_lag = min(width - 1, int(np.ceil(rate / PITCH[0])))
    nfft = 1 << int(np.ceil(np.log2(width + hi_lag + 1)))
    freqs = np.fft.rfftfreq(nfft, 1.0 / rate)
    band = (freqs >= BAND[0]) & (freqs <= BAND[1])
    window = np.hanning(width)
    window_acf = np.fft.irfft(np.abs(np.fft.rfft(window, nfft)) ** 2, nfft)[: hi_lag + 1]
    window_acf = window_acf / window_acf[0]
    left = (width - n) // 2
    padded = np.concatenate((np.zeros(left), x, np.zeros(width + n)))
    harmonicity = np.zeros(frames)
    level = np.full(frames, -120.0)
    for first in range(0, frames, BLOCK):
        count = min(BLOCK, frames - first)
        starts = (first + np.arange(count)) * n
        chunk = padded[starts[:, None] + np.arange(width)[None, :]]
        chunk = chunk - chunk.mean(axis=1, keepdims=True)
        power = np.abs(np.fft.rfft(chunk * window, nfft, axis=1)) ** 2
        power[:, ~band] = 0.0
        acf = np.fft.irfft(power, nfft, axis=1)[:, : hi_lag + 1]
        energy = acf[:, 0]
        ok = energy > 1e-14 * width
        normalised = acf[:, lo_lag:] / np.where(ok, energy, 1.0)[:, None]
        normalised = normalised / window_acf[lo_lag:][None, :]
        harmonicity[first : first + count] = np.where(ok, normalised.max(axis=1), 0.0)
        level[first : first + count] = 10.0 * np.log10(energy / float(np.sum(window**2)) + 1e-12)
    return np.clip(harmonicity, 0.0, 1.0), level


def runs(mask: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(starts, ends) of the runs of True in `mask` (end exclusive)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return edges[::2], edges[1::2]


def voiced_frames(
    samples: npt.NDArray[np.floating],
    rate: int,
    hop: float = 0.01,
    min_harmonicity: float = 0.5,
    min_duration: float = 0.05,
    margin: float = 8.0,
) -> npt.NDArray[np.bool_]:
    """Frames that are surely voice: periodic (harmonicity over `min_harmonicity`) and loud
    in the vocal band (`margin` dB over its floor, the 10th percentile, but at least 6 dB
    under its loud level, the 98th), in runs of at least `min_duration` seconds (a kick's
    pitch sweep is shorter). A steady in-band tone (a pad, a sine bass an octave up) passes
    too: callers use these frames to find where no voice is, not where one is."""
    harmonicity, level = frame_voicing(samples, rate, hop)
    floor, loud = float(np.percentile(level, 10)), float(np.percentile(level, 98))
    if loud - floor < 6.0:  # no dynamics in the band: periodicity alone decides
        threshold = -np.inf
    else:
        threshold = min(floor + margin, loud - 6.0)
    core = (harmonicity > min_harmonicity) & (level > threshold)
    starts, ends = runs(core)
    keep = np.zeros(len(core) + 1, dtype=np.int64)
    long_enough = ends - starts >= max(1, round(min_duration / hop))
    np.add.at(keep, starts[long_enough], 1)
    np.add.at(keep, ends[long_enough], -1)
    return np.asarray(np.cumsum(keep)[:-1] > 0, dtype=np.bool_)
