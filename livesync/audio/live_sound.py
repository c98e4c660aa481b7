"""Sound heard live (the room, the house music during a set's interlude) as the shaders'
audio inputs: the same AudioFeatures and Shadertoy audio texture a song's analysis gives.

A song is analysed ahead, whole, its envelopes scaled to the track's own loud passages and
its onsets picked against a threshold that sees both sides of each hop. Sound heard live has
no whole and no future, so here: the newest ANALYSER_FFT samples, analysed when a frame asks
(once per frame, however many blocks came in between); the loud reference is a running peak
that follows the sound up at once and down slowly (LOUD_FALL_DB_PER_S), never below what the
stated (QUIETEST_LOUD_LIVE_DB), so a quiet room does not read as full scale; an onset is a
spectral-flux rise above the recent flux's mean plus THRESHOLD_K deviations, once a second
of flux has been seen. The
spectrum row follows WebAudio's analyser as the song's does (livesync.audio.analyser).

`feed` is called from the input's thread and only copies; the analysis runs on the frame's.
"""

from __future__ import annotations

import threading
from math import exp

import numpy as np
import numpy.typing as npt

from livesync.audio.analyser import (
    _BLACKMAN,
    ANALYSER_FFT,
    ANALYSER_FRAME_RATE,
    BASS_HZ,
    HIGH_HZ,
    MIN_FLUX_DB,
    MIN_GAP_SECONDS,
    ONSET_FLOOR_DB,
    ONSET_RANGE_DB,
    SMOOTHING_TIME_CONSTANT,
    THRESHOLD_K,
    _analyser_bytes,
    _window,
    mono_of,
    waveform_of,
)
from livesync.audio.analysis import HIT_DECAY_SECONDS, SILENT, TEXTURE_WIDTH, AudioFeatures

LOUD_FALL_DB_PER_S = 3.0  # the loud reference sinks this fast after the sound gets quieter
RANGE_DB = 45.0  # an envelope's 0..1 spans this far below the loud reference, as a song's
TOP = 0.85  # and tops out here, as a song's does
ATTACK_PER_HOP, RELEASE_PER_HOP, HOP = 0.5, 0.08, 0.01  # the song's envelope filter
STALE_SECONDS = 0.25  # no sound fed for this long (the input stopped): silence
FLUX_MEMORY_S = 0.5  # the onset threshold's mean and deviation look back about this far
# The loud reference never sinks below this far under a full-scale sine: a song's analysis
# allows 60 dB (a quiet track is still a track), but a room's hiss at -70 dBFS is nothing.
QUIETEST_LOUD_LIVE_DB = 30.0


_SILENT_TEXTURE = np.zeros((2, TEXTURE_WIDTH), dtype=np.float32)
_SILENT_TEXTURE[1] = 128.0 / 255.0


class LiveSound:
    """The newest sound of one input, analysed on demand (it is always now)."""

    def __init__(self, samplerate: int) -> None:
        if samplerate <= 0:
            raise ValueError(f"samplerate must be positive, not {samplerate}")
        self.samplerate = samplerate
        self._lock = threading.Lock()
        self._ring = np.zeros(ANALYSER_FFT, dtype=np.float32)
        self._fed = 0  # samples fed so far
        self._seen = 0  # samples fed at the last analysis
        self._window = _window(_BLACKMAN, ANALYSER_FFT)
        freqs = np.fft.rfftfreq(ANALYSER_FFT, 1.0 / samplerate)[: ANALYSER_FFT // 2]
        self._bands = [
            np.ones(len(freqs), bool),
            freqs < BASS_HZ,
            (freqs >= BASS_HZ) & (freqs < HIGH_HZ),
            freqs >= HIGH_HZ,
        ]
        w = self._window.astype(np.float64)
        full_scale_db = 10.0 * np.log10(ANALYSER_FFT * np.sum(w**2) / 4)
        self._quietest_loud = full_scale_db - QUIETEST_LOUD_LIVE_DB
        self._loud = np.full(4, self._quietest_loud)
        self._levels = np.zeros(4)
        self._smoothed = np.zeros(TEXTURE_WIDTH, dtype=np.float32)
        self._texture = np.zeros((2, TEXTURE_WIDTH), dtype=np.float32)
        self._texture[1] = 128.0 / 255.0
        self._previous_db: npt.NDArray[np.float64] | None = None
        self._flux_mean = np.zeros(4)  # overall, bass, mid, high
        self._flux_dev = np.zeros(4)
        self._flux_seen = 0.0  # seconds of flux the threshold has seen
        self._onsets = np.full(4, -np.inf)  # seconds of sound fed
        self._features = AudioFeatures()
        self._heard_at = 0.0  # the caller's time when sound last came

    def feed(self, block: npt.NDArray[np.floating]) -> None:
        """A block of the input, (frames,) or (frames, channels), as it arrives."""
        mono = mono_of(block)[-ANALYSER_FFT:]
        with self._lock:
            n = len(mono)
            self._ring = np.concatenate([self._ring[n:], mono])
            self._fed += len(block)

    def features_at(self, t: float) -> AudioFeatures:
        """The newest sound's features; `t`, the caller's clock, only tells that no sound
        has come for STALE_SECONDS (an input that stopped reads as silence, not frozen)."""
        return SILENT if self._update(t) else self._features

    def audio_texture_at(
        self, t: float, out: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.float32]:
        texture = _SILENT_TEXTURE if self._update(t) else self._texture
        if out is None:
            return texture.copy()
        out[:] = texture
        return out

    def _update(self, t: float) -> bool:
        """Analyse what came since the last call; True if nothing has come for too long."""
        with self._lock:
            fed = self._fed
            samples = self._ring.copy() if fed != self._seen else self._ring
        if fed == self._seen:
            if t < self._heard_at:  # the caller's clock started again
                self._heard_at = t
            return fed == 0 or t - self._heard_at > STALE_SECONDS
        self._heard_at = t
        elapsed = (fed - self._seen) / self.samplerate
        self._seen = fed
        now = fed / self.samplerate
        mag = np.abs(np.fft.rfft(samples * self._window))[: TEXTURE_WIDTH * 2] / ANALYSER_FFT
        tau = SMOOTHING_TIME_CONSTANT ** (elapsed * ANALYSER_FRAME_RATE)
        row = _analyser_bytes(mag[None, :TEXTURE_WIDTH].astype(np.float32), self._smoothed, tau)
        self._texture[0] = row[0] / 255.0
        # As a song's: 16-bit samples, byte = 128 + (w >> 8).
        self._texture[1] = ((waveform_of(samples[-TEXTURE_WIDTH:]) >> 8) + 128) / 255.0
        self._levels_from(mag, elapsed)
        self._onsets_from(mag, elapsed, now)
        hits = [exp(-(now - o) / HIT_DECAY_SECONDS) if o > -np.inf else 0.0 for o in self._onsets]
        lv, bs, md, hg = (float(v) for v in self._levels)
        self._features = AudioFeatures(lv, bs, md, hg, *hits)
        return False

    def _levels_from(self, mag: npt.NDArray[np.floating], elapsed: float) -> None:
        power = (mag.astype(np.float64) * ANALYSER_FFT) ** 2
        db = np.array([10.0 * np.log10(power[band].sum() + 1e-12) for band in self._bands])
        fallen = self._loud - LOUD_FALL_DB_PER_S * elapsed
        self._loud = np.maximum(np.maximum(db, fallen), self._quietest_loud)
        target = np.clip((db - (self._loud - RANGE_DB)) / RANGE_DB, 0.0, 1.0) * TOP
        hops = elapsed / HOP
        rising = target > self._levels
        gain = np.where(
            rising, 1.0 - (1.0 - ATTACK_PER_HOP) ** hops, 1.0 - (1.0 - RELEASE_PER_HOP) ** hops
        )
        self._levels += gain * (target - self._levels)

    def _onsets_from(self, mag: npt.NDArray[np.floating], elapsed: float, now: float) -> None:
        """Spectral flux (mean dB rise per bin since the last analysis) by band; a band
        whose flux stands out of its recent run is an onset, at most one per MIN_GAP."""
        db = 20.0 * np.log10(np.maximum(mag.astype(np.float64), 1e-12))
        db = np.maximum(db, max(ONSET_FLOOR_DB, float(db.max()) - ONSET_RANGE_DB))
        previous, self._previous_db = self._previous_db, db
        if previous is None:
            return
        rise = np.maximum(db - previous, 0.0)
        flux = np.array([rise[band].mean() if band.any() else 0.0 for band in self._bands])
        self._flux_seen += elapsed
        if self._flux_seen > 2 * FLUX_MEMORY_S:  # the threshold has a history to stand on
            threshold = self._flux_mean + THRESHOLD_K * self._flux_dev
            gap = now - self._onsets >= MIN_GAP_SECONDS
            onset = (flux > threshold) & (flux > MIN_FLUX_DB) & gap
            self._onsets = np.where(onset, now, self._onsets)
        keep = exp(-elapsed / FLUX_MEMORY_S)
        self._flux_mean = keep * self._flux_mean + (1 - keep) * flux
        self._flux_dev = keep * self._flux_dev + (1 - keep) * np.abs(flux - self._flux_mean)
