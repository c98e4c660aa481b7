"""The analyser: a track's samples in, the feature tables of an `Analysis` out.

It runs once per track (or not at all when the cache is valid), so it may be thorough: every
feature is computed for every hop, and a frame only interpolates.

Everything but the texture's spectrum is analysed on a 10 ms hop grid (hop n is centred on
time n * hop):

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
  spectrum row is precomputed as bytes at the analyser's 60 frames a second (its own hop
  grid), the waveform row is read on demand from the mono int16 signal.

The signal may arrive in blocks (`Analyser`): a long track is analysed in bounded memory
while it is decoded, with the same tables as the whole array at once (`analyse`).

This module is pure (numpy only): reading and caching files is the job of
livesync.devices.analysis_cache; the tables and reading them at a time are
livesync.audio.analysis.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

from livesync.audio.analysis import (
    TEXTURE_WIDTH,
    Analysis,
    ByteArray,
    Float64Array,
    FloatArray,
    Int16Array,
    WaveformReader,
)

# Bump whenever a change here or to the tables of livesync.audio.analysis changes any table:
# cached analyses of older versions are redone.
# 2: the spectrum rows at the analyser's own 60 Hz instead of every 10 ms hop.
ANALYSIS_VERSION = 2

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
# Spectrum rows per second: one per analyser frame, as in a browser. More would not be more
# Shadertoy (its smoothing is defined per such frame) and would cost 512 bytes a row: at the
# 10 ms hop it was 1.1 GB for a 6-hour track, in memory and in the cache.
SPECTRUM_RATE = ANALYSER_FRAME_RATE

_CHUNK_HOPS = 1024  # frames are analysed in blocks to bound temporary memory
BLOCK_FRAMES = 1 << 16  # samples per block fed to the Analyser by `analyse`
_T = TypeVar("_T", bound=np.generic)
_MEDIAN_CHUNK = 1 << 12  # hops per slice of the onset threshold's running median


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


class SamplesWaveform:
    """`WaveformReader` over samples already in memory: no second copy of the track, only a
    block of READ_FRAMES mixed down at a time (a frame's 512 samples are then a slice, as
    cheap per frame as a whole int16 copy was; the player walks forward through the song).
    """

    READ_FRAMES = 1 << 15

    def __init__(self, samples: npt.NDArray[np.floating]) -> None:
        self._samples = samples
        # (first sample, its block): one attribute, so another thread reading at the same
        # time sees a consistent pair
        self._cached: tuple[int, Int16Array] = (0, np.zeros(0, dtype=np.int16))

    @property
    def frames(self) -> int:
        """Length of the signal in samples."""
        return len(self._samples)

    def read(self, start: int, stop: int) -> Int16Array:
        """Samples start..stop-1, as `waveform_of` makes them (it works sample by sample)."""
        first, block = self._cached
        if start < first or stop > first + len(block):
            first, block = (
                start,
                waveform_of(self._samples[start : start + max(stop - start, self.READ_FRAMES)]),
            )
            self._cached = (first, block)
        return block[start - first : stop - first]


def analyse(
    samples: npt.NDArray[np.floating], samplerate: int, block_frames: int | None = BLOCK_FRAMES
) -> Analysis:
    """All features of a (frames,) or (frames, channels) signal at `samplerate` Hz.

    The signal goes through an `Analyser` `block_frames` samples at a time (None: all at
    once), so the working set stays bounded however long the track; the tables are the same
    for any block size. The waveform row is read from `samples` on demand (`SamplesWaveform`)
    rather than copied, so the Analysis keeps `samples` alive.
    """
    analyser = Analyser(samplerate, len(samples))
    step = len(samples) if block_frames is None else max(1, block_frames)
    for start in range(0, len(samples), max(1, step)):
        analyser.feed(samples[start : start + step])
    return analyser.finish(wave_reader=SamplesWaveform(samples))


class Analyser:
    """The analysis of a signal that arrives block by block (a file being decoded).

    Why: a 6-hour WAV decoded whole is 8 GB of float32, and the whole-array analysis needed
    twice that again. Here only the samples the next frames still need are buffered (a block
    plus one window), the per-hop results are kept (a few dozen bytes a hop), and the
    filters that run over time (the analyser's spectrum smoothing, the onset flux's previous
    frame) carry their state from one block to the next, so the tables are exactly those of
    the whole signal at once. `feed` the blocks in order, then `finish` once.

    Positions below are in the "padded" signal: `pad` zeros, the samples, zeros after them,
    so every frame (centred on its hop) lies inside it, as if the signal were silent around.
    """

    def __init__(self, samplerate: int, expected_frames: int = 0) -> None:
        """`expected_frames` (from a file's header, say) sizes the tables once, so finishing
        a long track copies none of them; it only needs to be a good guess."""
        if samplerate <= 0:
            raise ValueError(f"samplerate must be positive, not {samplerate}")
        sr = self.samplerate = samplerate
        self._hop = max(1, round(sr * HOP_SECONDS))
        self._row_hop = max(1, round(sr / SPECTRUM_RATE))
        self._onset_n = 1 << max(6, round(np.log2(sr * ONSET_WINDOW_SECONDS)))
        self._pad = max(WINDOW, ANALYSER_FFT, self._onset_n) // 2
        self._buffer = np.zeros(self._pad, dtype=np.float32)  # padded[_start : _start + len]
        self._start = 0
        self._frames = 0  # samples fed so far
        self._next_hop = 0  # first hop not analysed yet
        self._next_row = 0  # first spectrum row not computed yet
        self._finished = False

        self._bass_mask = np.fft.rfftfreq(WINDOW, 1.0 / sr) < BASS_HZ
        freqs = np.fft.rfftfreq(ANALYSER_FFT, 1.0 / sr)
        self._mid_mask = (freqs >= BASS_HZ) & (freqs < HIGH_HZ)
        self._high_mask = freqs >= HIGH_HZ
        self._hann = np.hanning(WINDOW).astype(np.float32)
        self._onset_window = _window(_BLACKMAN_HARRIS, self._onset_n)
        onset_freqs = np.fft.rfftfreq(self._onset_n, 1.0 / sr)
        self._onset_bands = [
            (onset_freqs > 0) & (onset_freqs < BASS_HZ),
            (onset_freqs >= BASS_HZ) & (onset_freqs < HIGH_HZ),
            onset_freqs >= HIGH_HZ,
        ]
        # smoothingTimeConstant is per analyser frame at 60 frames per second
        self._tau = SMOOTHING_TIME_CONSTANT ** (self._row_hop / sr * ANALYSER_FRAME_RATE)

        hops = max(1, -(-expected_frames // self._hop))
        rows = max(1, -(-expected_frames // self._row_hop))
        self._powers = np.zeros((4, hops), dtype=np.float64)  # total, bass, mid, high
        self._flux = np.zeros((3, hops), dtype=np.float64)  # bass, mid, high
        self._spectrum = np.zeros((rows, TEXTURE_WIDTH), dtype=np.uint8)
        self._smoothed = np.zeros(TEXTURE_WIDTH, dtype=np.float32)
        self._previous_db: FloatArray | None = None

    @property
    def frames(self) -> int:
        """Samples fed so far."""
        return self._frames

    def feed(self, samples: npt.NDArray[np.floating]) -> None:
        """The next (frames,) or (frames, channels) block of the signal (any length)."""
        if self._finished:
            raise RuntimeError("the analyser has finished")
        if len(samples) == 0:
            return
        self._buffer = np.concatenate([self._buffer, mono_of(samples)])
        self._frames += len(samples)
        self._run()

    def finish(self, wave_reader: WaveformReader | None = None) -> Analysis:
        """The tables of everything fed (a signal of 0 samples reads as one silent hop);
        `wave_reader` is where the texture's waveform row will come from."""
        if self._finished:
            raise RuntimeError("the analyser has finished")
        self._finished = True
        sr, hop = self.samplerate, self._hop
        n_hops = max(1, -(-self._frames // hop))
        n_rows = max(1, -(-self._frames // self._row_hop))
        # The silence after the signal, as far as the last frames reach.
        end = max(n_hops * hop, n_rows * self._row_hop) + 2 * self._pad
        tail = end - (self._start + len(self._buffer))
        if tail > 0:
            self._buffer = np.concatenate([self._buffer, np.zeros(tail, dtype=np.float32)])
        self._run(last=(n_hops, n_rows))
        powers, flux = self._powers[:, :n_hops], self._flux[:, :n_hops]
        spectrum = self._spectrum
        if len(spectrum) != n_rows:  # the expected length was wrong: trim (a copy)
            spectrum = spectrum[:n_rows].copy()
        self._buffer = np.zeros(0, dtype=np.float32)

        hop_s = hop / sr
        band_onsets = [_pick_onsets(f, hop_s) for f in flux]
        overall = flux.mean(axis=0)
        harris = _window(_BLACKMAN_HARRIS, ANALYSER_FFT)
        return Analysis(
            hop=hop_s,
            level=_envelope(powers[0], self._hann),
            bass=_envelope(powers[1], self._hann),
            mid=_envelope(powers[2], harris),
            high=_envelope(powers[3], harris),
            onsets=_pick_onsets(overall, hop_s),
            bass_onsets=band_onsets[0],
            mid_onsets=band_onsets[1],
            high_onsets=band_onsets[2],
            spectrum=spectrum,
            samplerate=sr,
            tempo_estimate=_tempo(overall, hop_s),
            spectrum_hop=self._row_hop / sr,
            frames=self._frames,
            wave_reader=wave_reader,
        )

    def _run(self, last: tuple[int, int] | None = None) -> None:
        """Analyse every hop and spectrum row whose frames the buffer now holds whole, in
        chunks of _CHUNK_HOPS (fewer only at the end, so few tiny FFT batches), then drop
        the samples no later frame needs. `last`: the signal has ended, these are the
        numbers of hops and rows it has (the silence padded after it reaches further)."""
        final = last is not None
        available = self._start + len(self._buffer)
        reach = 2 * self._pad  # a frame centred on position p spans p - pad .. p + pad
        ready_hops = max(0, (available - reach) // self._hop + 1)
        ready_rows = max(0, (available - reach) // self._row_hop + 1)
        if last is not None:
            ready_hops, ready_rows = min(ready_hops, last[0]), min(ready_rows, last[1])
        while ready_hops - self._next_hop >= (1 if final else _CHUNK_HOPS):
            h1 = min(ready_hops, self._next_hop + _CHUNK_HOPS)
            self._hops(self._next_hop, h1)
            self._next_hop = h1
        while ready_rows - self._next_row >= (1 if final else _CHUNK_HOPS):
            r1 = min(ready_rows, self._next_row + _CHUNK_HOPS)
            self._spectrum_rows(self._next_row, r1)
            self._next_row = r1
        # The first sample still needed: the start of the next hop's or row's widest frame.
        keep = min(self._next_hop * self._hop, self._next_row * self._row_hop)
        if keep > self._start:
            self._buffer = self._buffer[keep - self._start :].copy()
            self._start = keep

    def _frames_of(self, first: int, count: int, step: int, size: int) -> FloatArray:
        """Frames of `size` samples centred on positions (first + k) * step, k < count, of
        the signal (a strided view into the buffer, no copy)."""
        start = self._pad + first * step - size // 2 - self._start
        stop = start + (count - 1) * step + size
        view = np.lib.stride_tricks.sliding_window_view(self._buffer[start:stop], size)
        frames: FloatArray = view[::step]
        return frames

    def _hops(self, h0: int, h1: int) -> None:
        """Envelope band powers and onset flux of hops h0..h1-1."""
        count, hop = h1 - h0, self._hop
        if h1 > self._powers.shape[1]:
            self._powers, self._flux = _grown(self._powers, h1), _grown(self._flux, h1)
        powers, flux = self._powers[:, h0:h1], self._flux[:, h0:h1]
        frames = self._frames_of(h0, count, hop, WINDOW)
        power = np.abs(np.fft.rfft(frames * self._hann, axis=1)) ** 2
        powers[0] = power.sum(axis=1)
        powers[1] = power[:, self._bass_mask].sum(axis=1)
        del power

        # One unwindowed FFT gives the cosine-sum window's spectrum by a short convolution.
        plain = _extend(np.fft.rfft(self._frames_of(h0, count, hop, ANALYSER_FFT), axis=1))
        # mid and high through a Blackman-Harris window: with Hann (or even Blackman)
        # sidelobes, a loud bass tone reads as "mid" in a track that has none.
        harris = np.abs(_cosine_window(plain, _BLACKMAN_HARRIS)) ** 2
        del plain
        powers[2] = harris[:, self._mid_mask].sum(axis=1)
        powers[3] = harris[:, self._high_mask].sum(axis=1)
        del harris

        window = self._onset_window
        onset_frames = self._frames_of(h0, count, hop, self._onset_n)
        onset_mag = np.abs(np.fft.rfft(onset_frames * window, axis=1)) * (2.0 / window.sum())
        db = (20.0 * np.log10(np.maximum(onset_mag, 10 ** (ONSET_FLOOR_DB / 20)))).astype(
            np.float32
        )
        before = db[:1] if self._previous_db is None else self._previous_db
        both = np.concatenate([before, db])
        # Bins far below the loudest bin of this hop or the one before are silence: the
        # splatter of a fade or a leaking partial down there is no onset.
        loudest = both.max(axis=1)
        quiet = (np.maximum(loudest[1:], loudest[:-1]) - ONSET_RANGE_DB)[:, None]
        rise = np.maximum(np.maximum(db, quiet) - np.maximum(both[:-1], quiet), 0.0)
        for b, mask in enumerate(self._onset_bands):
            if mask.any():
                flux[b] = rise[:, mask].mean(axis=1)
        self._previous_db = db[-1:]

    def _spectrum_rows(self, r0: int, r1: int) -> None:
        """Shadertoy's spectrum rows r0..r1-1 (see `Analysis.audio_texture_at`)."""
        frames = self._frames_of(r0, r1 - r0, self._row_hop, ANALYSER_FFT)
        plain = _extend(np.fft.rfft(frames, axis=1))
        mag = np.abs(_cosine_window(plain, _BLACKMAN)[:, :TEXTURE_WIDTH]) / ANALYSER_FFT
        if r1 > len(self._spectrum):
            self._spectrum = _grown(self._spectrum.T, r1).T.copy()
        self._spectrum[r0:r1] = _analyser_bytes(mag.astype(np.float32), self._smoothed, self._tau)


def _grown(table: npt.NDArray[_T], needed: int) -> npt.NDArray[_T]:
    """`table` (values along its last axis) with room for at least `needed`, doubling."""
    size = max(needed, 2 * table.shape[-1])
    out = np.zeros((*table.shape[:-1], size), dtype=table.dtype)
    out[..., : table.shape[-1]] = table
    return out


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
    median = np.empty(n, dtype=np.float64)
    mad = np.empty(n, dtype=np.float64)
    for c0 in range(0, n, _MEDIAN_CHUNK):  # np.median copies its windows: bound that copy
        chunk = windows[c0 : c0 + _MEDIAN_CHUNK]
        median[c0 : c0 + len(chunk)] = np.median(chunk, axis=1)
        deviation = np.abs(chunk - median[c0 : c0 + len(chunk), None])
        mad[c0 : c0 + len(chunk)] = np.median(deviation, axis=1)
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
    # Only the first hi + 2 lags are wanted: as dot products they need no padded FFT of the
    # whole track (134 MB for 6 hours).
    ac = np.array([np.dot(x[: len(x) - k], x[k:]) for k in range(hi + 2)])
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
