"""The analyser: a track's samples in, the feature tables of an `Analysis` out.

It runs once per track (or not at all when the cache is valid), so it may be thorough: every
feature is computed for every hop, and a frame only interpolates.

Everything is analysed on a 10 ms hop grid (hop n is centred on time n * hop):

- envelopes (`level`, `bass`, `mid`, `high`): band power of a 2048-sample frame (Hann for
  level and bass, as ever; Blackman-Harris for mid and high, whose low sidelobes keep a loud
  bass out of them), on a 0..1 scale relative to the track's own loud passages (see `_envelope`).
  Bands: bass below 150 Hz, mid 150-2000 Hz, high above 2000 Hz; level is the whole spectrum.
- onsets ("hits"): spectral flux per band (the mean rise in dB per frequency bin from one hop
  to the next, on ~23 ms Blackman-Harris frames; the overall flux is the mean of the three
  bands') with an adaptive threshold and an 80 ms minimum gap (see `_pick_onsets`). A hit
  value jumps to 1 at each detected onset and decays exponentially (150 ms time constant),
  like Synesthesia's syn_Hits / syn_BassHits / syn_MidHits / syn_HighHits.
- tempo_estimate: BPM from the autocorrelation of the overall flux; informational only.
- Shadertoy's 512x2 audio texture for iChannel0 (see `Analysis.audio_texture_at`): the
  spectrum row is precomputed per hop as bytes, the waveform row is read from a mono int16
  copy of the signal.

This module is pure (numpy only): reading and caching files is the job of
livesync.devices.analysis_cache; the tables and reading them at a time are
livesync.audio.analysis.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from livesync.audio.analysis import (
    TEXTURE_WIDTH,
    Analysis,
    ByteArray,
    Float64Array,
    FloatArray,
    Int16Array,
)

# Bump whenever a change here or to the tables of livesync.audio.analysis changes any table:
# cached analyses of older versions are redone.
ANALYSIS_VERSION = 1

HOP_SECONDS = 0.01
WINDOW = 2048
BASS_HZ = 150.0
HIGH_HZ = 2000.0
QUIETEST_LOUD_DB = 60.0  # see _envelope

# Onsets
ONSET_WINDOW_SECONDS = 0.023  # short frames (1024 samples at 44.1/48 kHz): sharp in time
ONSET_FLOOR_DB = -100.0  # magnitudes below this (dBFS-ish) count as silence
ONSET_RANGE_DB = 60.0  # and so do bins this far below the hop's loudest bin
THRESHOLD_SECONDS = 0.5  # adaptive threshold: median + k * MAD over this window
THRESHOLD_K = 4.0
MIN_FLUX_DB = 2.0  # and at least this mean rise (dB per bin) in the band
MIN_GAP_SECONDS = 0.08  # at most one onset per band in this time
ONSET_LATENCY_SECONDS = 0.0025  # measured: flux peaks this early on clicks and kicks

# Shadertoy / WebAudio AnalyserNode defaults (https://webaudio.github.io/web-audio-api/)
ANALYSER_FFT = 2048  # Shadertoy's fftSize: 512 texels cover 0 .. samplerate / 4
MIN_DECIBELS = -100.0
MAX_DECIBELS = -30.0
SMOOTHING_TIME_CONSTANT = 0.8
ANALYSER_FRAME_RATE = 60.0  # a browser calls the analyser once per displayed frame

_CHUNK_HOPS = 1024  # frames are analysed in blocks to bound temporary memory


def mono_of(samples: npt.NDArray[np.floating]) -> FloatArray:
    """A (frames,) or (frames, channels) signal as mono float32."""
    if samples.ndim == 1:
        return np.asarray(samples, dtype=np.float32)
    # Channel by channel: numpy's mean over a short inner axis is several times slower.
    mono = np.array(samples[:, 0], dtype=np.float32)
    for c in range(1, samples.shape[1]):
        mono += samples[:, c]
    if samples.shape[1] > 1:
        mono *= np.float32(1.0 / samples.shape[1])
    return mono


def waveform_of(samples: npt.NDArray[np.floating]) -> Int16Array:
    """The mono int16 copy of a signal that `audio_texture_at` reads its waveform row from."""
    # floor, so that 128 + (w >> 8) is exactly WebAudio's floor(128 * (1 + x)).
    scaled = np.floor(mono_of(samples) * np.float32(32768.0))
    waveform: Int16Array = np.clip(scaled, -32768, 32767, out=scaled).astype(np.int16)
    return waveform


def analyse(samples: npt.NDArray[np.floating], samplerate: int) -> Analysis:
    """All features of a (frames,) or (frames, channels) signal at `samplerate` Hz."""
    mono = mono_of(samples)
    hop = max(1, round(samplerate * HOP_SECONDS))
    n_hops = max(1, int(np.ceil(len(mono) / hop)))
    onset_n = 1 << max(6, round(np.log2(samplerate * ONSET_WINDOW_SECONDS)))
    pad = max(WINDOW, ANALYSER_FFT, onset_n) // 2
    padded = np.zeros(n_hops * hop + 2 * pad, dtype=np.float32)
    padded[pad : pad + len(mono)] = mono

    bass_mask = np.fft.rfftfreq(WINDOW, 1.0 / samplerate) < BASS_HZ
    freqs = np.fft.rfftfreq(ANALYSER_FFT, 1.0 / samplerate)
    mid_mask, high_mask = (freqs >= BASS_HZ) & (freqs < HIGH_HZ), freqs >= HIGH_HZ
    hann = np.hanning(WINDOW).astype(np.float32)
    onset_window = _window(_BLACKMAN_HARRIS, onset_n)
    onset_freqs = np.fft.rfftfreq(onset_n, 1.0 / samplerate)
    onset_bands = [
        (onset_freqs > 0) & (onset_freqs < BASS_HZ),
        (onset_freqs >= BASS_HZ) & (onset_freqs < HIGH_HZ),
        onset_freqs >= HIGH_HZ,
    ]
    tau = SMOOTHING_TIME_CONSTANT ** (hop / samplerate * ANALYSER_FRAME_RATE)

    powers = np.zeros((4, n_hops), dtype=np.float64)  # total, bass, mid, high
    flux = np.zeros((3, n_hops), dtype=np.float64)  # bass, mid, high
    spectrum = np.empty((n_hops, TEXTURE_WIDTH), dtype=np.uint8)
    smoothed = np.zeros(TEXTURE_WIDTH, dtype=np.float32)
    previous_db: FloatArray | None = None
    for h0 in range(0, n_hops, _CHUNK_HOPS):
        h1 = min(n_hops, h0 + _CHUNK_HOPS)
        power = np.abs(np.fft.rfft(_frames(padded, pad, hop, h0, h1, WINDOW) * hann, axis=1)) ** 2
        powers[0, h0:h1] = power.sum(axis=1)
        powers[1, h0:h1] = power[:, bass_mask].sum(axis=1)
        del power

        # One unwindowed FFT gives both cosine-sum windows' spectra by a short convolution.
        plain = _extend(np.fft.rfft(_frames(padded, pad, hop, h0, h1, ANALYSER_FFT), axis=1))
        # mid and high through a Blackman-Harris window: with Hann (or even Blackman)
        # sidelobes, a loud bass tone reads as "mid" in a track that has none.
        harris = np.abs(_cosine_window(plain, _BLACKMAN_HARRIS)) ** 2
        powers[2, h0:h1] = harris[:, mid_mask].sum(axis=1)
        powers[3, h0:h1] = harris[:, high_mask].sum(axis=1)
        del harris
        mag = np.abs(_cosine_window(plain, _BLACKMAN)[:, :TEXTURE_WIDTH]) / ANALYSER_FFT
        del plain
        spectrum[h0:h1] = _analyser_bytes(mag.astype(np.float32), smoothed, tau)

        onset_mag = np.abs(
            np.fft.rfft(_frames(padded, pad, hop, h0, h1, onset_n) * onset_window, axis=1)
        ) * (2.0 / onset_window.sum())
        db = (20.0 * np.log10(np.maximum(onset_mag, 10 ** (ONSET_FLOOR_DB / 20)))).astype(
            np.float32
        )
        before = db[:1] if previous_db is None else previous_db
        both = np.concatenate([before, db])
        # Bins far below the loudest bin of this hop or the one before are silence: the
        # splatter of a fade or a leaking partial down there is no onset.
        loudest = both.max(axis=1)
        quiet = (np.maximum(loudest[1:], loudest[:-1]) - ONSET_RANGE_DB)[:, None]
        rise = np.maximum(np.maximum(db, quiet) - np.maximum(both[:-1], quiet), 0.0)
        for b, mask in enumerate(onset_bands):
            if mask.any():
                flux[b, h0:h1] = rise[:, mask].mean(axis=1)
        previous_db = db[-1:]

    hop_s = hop / samplerate
    band_onsets = [_pick_onsets(f, hop_s) for f in flux]
    overall = flux.mean(axis=0)
    return Analysis(
        hop=hop_s,
        level=_envelope(powers[0], hann),
        bass=_envelope(powers[1], hann),
        mid=_envelope(powers[2], _window(_BLACKMAN_HARRIS, ANALYSER_FFT)),
        high=_envelope(powers[3], _window(_BLACKMAN_HARRIS, ANALYSER_FFT)),
        onsets=_pick_onsets(overall, hop_s),
        bass_onsets=band_onsets[0],
        mid_onsets=band_onsets[1],
        high_onsets=band_onsets[2],
        spectrum=spectrum,
        waveform=waveform_of(mono),
        samplerate=samplerate,
        tempo_estimate=_tempo(overall, hop_s),
    )


def _frames(padded: FloatArray, pad: int, hop: int, h0: int, h1: int, size: int) -> FloatArray:
    """Frames of `size` samples centred on hops h0..h1-1 (a strided view, no copy)."""
    start = pad + h0 * hop - size // 2
    stop = pad + (h1 - 1) * hop - size // 2 + size
    return np.lib.stride_tricks.sliding_window_view(padded[start:stop], size)[::hop]


# Cosine-sum windows w[n] = sum_m c_m cos(2 pi m n / N) (periodic form).
_BLACKMAN = (0.42, -0.5, 0.08)  # WebAudio's (alpha 0.16)
# 4-term Blackman-Harris: sidelobes at -92 dB, so a steady tone does not leak energy into
# the other bands (where it would read as level, or flicker into onsets).
_BLACKMAN_HARRIS = (0.35875, -0.48829, 0.14128, -0.01168)
_TAPS = 3  # the longest window's terms - 1


def _window(coefficients: tuple[float, ...], n: int) -> FloatArray:
    k = 2.0 * np.pi * np.arange(n) / n
    return sum((c * np.cos(m * k) for m, c in enumerate(coefficients)), np.zeros(n)).astype(
        np.float32
    )


def _extend(spectrum: npt.NDArray[np.complexfloating]) -> npt.NDArray[np.complexfloating]:
    """rfft bins 0..N/2 with _TAPS bins on each side (by conjugate symmetry)."""
    last = spectrum.shape[1] - 1
    return np.concatenate(
        [
            np.conj(spectrum[:, _TAPS:0:-1]),
            spectrum,
            np.conj(spectrum[:, last - 1 : last - 1 - _TAPS : -1]),
        ],
        axis=1,
    )


def _cosine_window(
    extended: npt.NDArray[np.complexfloating], coefficients: tuple[float, ...]
) -> npt.NDArray[np.complexfloating]:
    """The rfft of the windowed frames from the rfft of the plain ones (`_extend`ed):
    multiplying by cos(2 pi m n / N) averages the spectrum shifted by -m and +m bins."""
    size = extended.shape[1] - 2 * _TAPS
    out = coefficients[0] * extended[:, _TAPS : _TAPS + size]
    pair = np.empty_like(out)
    for m, c in enumerate(coefficients[1:], start=1):
        np.add(
            extended[:, _TAPS - m : _TAPS - m + size],
            extended[:, _TAPS + m : _TAPS + m + size],
            out=pair,
        )
        pair *= np.float32(c / 2)
        out += pair
    return out


def _analyser_bytes(mag: FloatArray, smoothed: FloatArray, tau: float) -> ByteArray:
    """Steps 3-4 of `Analysis.audio_texture_at`'s spectrum; `smoothed` carries the state."""
    out = np.empty_like(mag)
    keep = np.float32(tau)
    take = np.float32(1.0 - tau)
    for i in range(len(mag)):  # a recursive filter over time; vectorized over the 512 bins
        smoothed *= keep
        smoothed += take * mag[i]
        out[i] = smoothed
    with np.errstate(divide="ignore"):
        db = 20.0 * np.log10(out)
    scaled = np.floor(255.0 / (MAX_DECIBELS - MIN_DECIBELS) * (db - MIN_DECIBELS))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def _pick_onsets(flux: npt.NDArray[np.floating], hop: float) -> Float64Array:
    """Onset times (seconds) from a spectral-flux curve (mean dB rise per bin per hop).

    A hop is an onset when its flux is the largest within +-30 ms, exceeds the median plus
    THRESHOLD_K scaled median absolute deviations of the flux over the surrounding 0.5 s and
    MIN_FLUX_DB, and comes at least 80 ms after the previous onset (the earlier peak wins).
    The onset time is refined between hops (parabola through the peak) and corrected by
    ONSET_LATENCY_SECONDS; on synthetic clicks and kicks it is within 3 ms of the truth.
    """
    n = len(flux)
    if n < 3:
        return np.zeros(0, dtype=np.float64)
    half = max(1, round(THRESHOLD_SECONDS / hop / 2))
    padded = np.pad(flux, half, mode="reflect" if n > half else "edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    median = np.median(windows, axis=1)
    mad = np.median(np.abs(windows - median[:, None]), axis=1)
    threshold = np.maximum(median + THRESHOLD_K * 1.4826 * mad, MIN_FLUX_DB)
    peak_half = max(1, round(0.03 / hop))
    around = np.lib.stride_tricks.sliding_window_view(
        np.pad(flux, peak_half, mode="constant"), 2 * peak_half + 1
    ).max(axis=1)
    candidates = np.flatnonzero((flux >= around) & (flux > threshold))
    gap = MIN_GAP_SECONDS / hop - 1e-9
    kept: list[int] = []
    for c in candidates:  # few candidates: one per peak at most
        if not kept or c - kept[-1] >= gap:
            kept.append(int(c))
    peaks = np.asarray(kept, dtype=np.int64)
    # Sub-hop time: the vertex of the parabola through the peak and its neighbours.
    left = flux[np.maximum(peaks - 1, 0)]
    right = flux[np.minimum(peaks + 1, n - 1)]
    centre = flux[peaks]
    curvature = left - 2.0 * centre + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(curvature < 0, 0.5 * (left - right) / curvature, 0.0)
    times: Float64Array = np.asarray(
        (peaks + np.clip(shift, -0.5, 0.5)) * hop + ONSET_LATENCY_SECONDS, dtype=np.float64
    )
    return np.maximum(times, 0.0)


def _tempo(flux: npt.NDArray[np.floating], hop: float) -> float | None:
    """BPM (60-200) of the strongest periodicity of the onset flux, or None when there is
    none clear (too short, silent or arhythmic). Informational only: tempo comes from the DAW."""
    lo, hi = round(60.0 / 200.0 / hop), round(60.0 / 60.0 / hop)
    x = np.asarray(flux, dtype=np.float64)
    if len(x) < 4 * hi:
        return None
    x = x - x.mean()
    size = 1 << int(np.ceil(np.log2(2 * len(x))))
    spec = np.fft.rfft(x, size)
    ac = np.fft.irfft(spec * np.conj(spec), size)[: hi + 2]
    if ac[0] <= 0:
        return None
    ac /= ac[0]
    lags = np.arange(lo, hi + 1)
    # A mild preference for tempi near 120 BPM resolves half/double-time ambiguity.
    weight = np.exp(-0.5 * (np.log2(60.0 / (lags * hop) / 120.0) / 1.0) ** 2)
    best = int(lags[np.argmax(ac[lo : hi + 1] * weight)])
    if ac[best] < 0.1:
        return None
    # Parabolic interpolation around the peak for sub-hop precision.
    a, b, c = ac[best - 1], ac[best], ac[best + 1]
    denom = a - 2 * b + c
    shift = 0.5 * (a - c) / denom if denom < 0 else 0.0
    return float(60.0 / ((best + shift) * hop))


def _envelope(power: npt.NDArray[np.floating], window: FloatArray) -> FloatArray:
    """Power -> 0..1 on a 45 dB scale topped at the track's 95th percentile, fast attack and
    slow release so it pulses with hits without flickering. The top is never taken below
    QUIETEST_LOUD_DB under a full-scale sine, so a silent track or an empty band (no highs in
    a lowpassed song) reads 0 instead of its own noise scaled up to full."""
    db = 10.0 * np.log10(power + 1e-12)
    loud = np.percentile(db, 95) if db.size else 0.0
    # Band power (sum of squared rfft magnitudes) of a full-scale sine in this window.
    full_scale_db = 10.0 * np.log10(len(window) * np.sum(window.astype(np.float64) ** 2) / 4)
    loud = max(float(loud), full_scale_db - QUIETEST_LOUD_DB)
    level = np.clip((db - (loud - 45.0)) / 45.0, 0.0, 1.0) * 0.85
    return _attack_release(level.astype(np.float32), attack=0.5, release=0.08)


def _attack_release(x: FloatArray, attack: float, release: float) -> FloatArray:
    out = np.empty_like(x)
    y = 0.0
    for i, v in enumerate(x.tolist()):  # a one-pole filter is inherently sequential
        y += (attack if v > y else release) * (v - y)
        out[i] = y
    return out
