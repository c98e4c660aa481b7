"""The live-vocal analyser: microphone samples in, a mouth pose per 10 ms hop out, no timeline.

At a gig the singer sings live, so no timeline knows what comes out; the mouth has to follow
the sound itself, within a few tens of milliseconds. This module is that follower, pure numpy
so it runs unchanged on an input stream's callback and over a file (same code, same answers):

    voice = LiveVoice(samplerate)
    for hop in voice.push(block):       # any block size; state carries over between calls
        draw(hop.pose)                  # or hop.viseme, or the weights themselves

Each hop analyses the newest `window` seconds (32 ms, Hann) of the signal with one real FFT
and reads a few robust cues, all relative to the voice's own running loudness (an automatic
gain: a quiet singer and a hot desk channel move the mouth alike):

- voice vs silence: level above a slowly rising noise floor and within reach of the running
  peak (a tracker that decays ~6 dB/s, so a quieter verse still opens the mouth);
- jaw openness: loudness and the share of energy in the F1 band (450-1200 Hz). Open vowels
  (AA AE AH AO...) have a high first formant and are the loudest sounds of speech; nasals,
  liquids, glides and close vowels (M N L R W IY UW) keep their energy below ~450 Hz;
- rounding vs spreading: where the energy sits between 300 and 3500 Hz (a centroid that
  stands in for F2: low for OW UW W, high for IY EH S);
- frication (S Z SH F V TH): the share of energy above 2.5 kHz (capped at the Nyquist
  frequency, so 8 kHz telephone audio still works) and the zero-crossing rate;
- closures (P B M, and the gaps between words): an energy dip below the recent voiced level.

The weights are smoothed with attack/release one-pole filters (fast to open, a little slower
to close) so the mouth doesn't jitter, then turned into a MouthPose blend and the single
nearest Viseme for art that only has discrete shapes. benchmarks/live_voice.py measures the
accuracy against Gentle's alignment of real speech and the cost per hop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from livesync.lipsync.visemes import MouthPose, Viseme

FloatArray = npt.NDArray[np.float64]

# Every decision threshold, in one place so the benchmark's tuning is visible in review.
_EPS = 1e-12
_PEAK_DECAY_DB = 0.06  # per hop: the running peak falls 6 dB/s, following a quieter verse
_FLOOR_RISE_DB = 0.02  # per hop at least: the noise floor creeps up, falls at once
_FLOOR_RISE_SHARE = 0.004  # and by this share of its distance to the level (~2.5 s to rise)
_VOICE_BELOW_PEAK_DB = 36.0  # quieter than this under the running peak is not voice
_VOICE_ABOVE_FLOOR_DB = 12.0  # and it must stand this far above the noise floor
# Open vs narrow, a logistic score fitted on the first half of the benchmark's speech (voiced
# frames only): louder, more F1-band energy and fewer zero crossings mean an open jaw.
_OPEN_PER_DB = 0.071  # per dB relative to the running peak
_OPEN_PER_LOG_F1 = 2.64  # per decade of the F1 band's share of the energy
_OPEN_PER_ZCR = -4.06  # per zero crossing per sample
_OPEN_BIAS = 3.78
_F1_BAND = (450.0, 1200.0)
_LOW_BAND = (80.0, 450.0)
_SHAPE_BAND = (300.0, 3500.0)
_FRIC_LOW_HZ = 2500.0
_FRIC_HIGH_HZ = 8000.0


@dataclass(frozen=True, slots=True)
class VoiceHop:
    """One hop's mouth: continuous weights (0..1), the pose they blend to, the nearest viseme.

    `time` is when the hop's newest sample arrived, in seconds from the analyser's first
    sample: the earliest moment the result can be drawn (the benchmark scores it there)."""

    time: float
    level: float  # loudness relative to the running peak (0 = floor, 1 = peak)
    voice: float  # voice present
    open: float  # jaw openness
    round: float  # lip rounding (low spectral centroid)
    spread: float  # lip spreading (high spectral centroid)
    frication: float  # S/F/SH noise
    closure: float  # lips closed within speech (energy dip)
    pose: MouthPose
    viseme: Viseme


@dataclass(frozen=True, slots=True)
class Smoothing:
    """Attack/release time constants (seconds) of the weights: opening quickly matters for
    sync, closing a little slower hides the flicker of short consonants."""

    open_attack: float = 0.012
    open_release: float = 0.035
    shape: float = 0.03
    frication: float = 0.015


class LiveVoice:
    """Streaming analyser; feed it blocks with `push`, it answers one VoiceHop per hop.

    Holds only what the next hop needs (the last window of samples and the trackers), so a
    long gig costs no memory. The same stream split into different block sizes gives exactly
    the same hops."""

    def __init__(
        self,
        samplerate: int,
        hop: float = 0.010,
        window: float = 0.032,
        smoothing: Smoothing | None = None,
    ) -> None:
        if samplerate <= 0:
            raise ValueError(f"sample rate must be positive, not {samplerate}")
        if not 0 < hop <= window:
            raise ValueError("the hop must be positive and no longer than the window")
        self.samplerate = samplerate
        self.hop_samples = max(1, round(hop * samplerate))
        self.window_samples = max(self.hop_samples, round(window * samplerate))
        self.hop_seconds = self.hop_samples / samplerate
        self.smoothing = smoothing or Smoothing()
        nfft = 1 << max(6, math.ceil(math.log2(self.window_samples)))
        self._nfft = nfft
        self._window = np.hanning(self.window_samples + 2)[1:-1]
        freqs = np.fft.rfftfreq(nfft, 1.0 / samplerate)
        nyquist = samplerate / 2.0
        self._b_low = _band(freqs, *_LOW_BAND)
        self._b_f1 = _band(freqs, *_F1_BAND)
        self._b_shape = _band(freqs, *_SHAPE_BAND)
        self._shape_freqs = freqs[self._b_shape]
        fric_high = min(_FRIC_HIGH_HZ, nyquist * 0.98)
        self._b_fric = _band(freqs, min(_FRIC_LOW_HZ, nyquist * 0.6), fric_high)
        self._b_speech = _band(freqs, 80.0, fric_high)
        self._alpha = {
            name: _alpha(tau, self.hop_seconds)
            for name, tau in (
                ("open_attack", self.smoothing.open_attack),
                ("open_release", self.smoothing.open_release),
                ("shape", self.smoothing.shape),
                ("frication", self.smoothing.frication),
            )
        }
        self.reset()

    def reset(self) -> None:
        """Forget the signal (a new song, a new input): trackers start from silence."""
        # Primed with silence so the first hop is answered after one hop of samples.
        self._buf: FloatArray = np.zeros(self.window_samples - self.hop_samples)
        self._hops = 0
        self._peak_db = -60.0
        self._floor_db = 0.0  # falls to the first quiet hop at once
        self._voiced_db = -60.0  # recent level of voiced hops, for the closure dip
        self._since_voice = 1_000_000
        self._open = 0.0
        self._round = 0.0
        self._spread = 0.0
        self._fric = 0.0

    def push(self, samples: npt.ArrayLike) -> list[VoiceHop]:
        """Feed mono samples (any length, float, -1..1); get the hops they completed.

        Stereo input (frames, channels) is mixed to mono, so an input callback's block can
        come straight in."""
        x = np.asarray(samples, dtype=np.float64)
        if x.ndim == 2:
            x = x.mean(axis=1)
        x = np.nan_to_num(x.reshape(-1), nan=0.0, posinf=0.0, neginf=0.0)
        buf = np.concatenate((self._buf, x)) if len(x) else self._buf
        out: list[VoiceHop] = []
        pos = 0
        w, h = self.window_samples, self.hop_samples
        while pos + w <= len(buf):
            out.append(self._analyse(buf[pos : pos + w]))
            pos += h
        self._buf = buf[pos:].copy()
        return out

    # -- one hop -------------------------------------------------------------------------

    def _analyse(self, frame: FloatArray) -> VoiceHop:
        self._hops += 1
        centred = frame - frame.mean()
        spec = np.abs(np.fft.rfft(centred * self._window, self._nfft)) ** 2
        total = float(spec[self._b_speech].sum()) + _EPS
        level_db = 10.0 * math.log10(total / self.window_samples + _EPS)
        low = float(spec[self._b_low].sum())
        f1 = float(spec[self._b_f1].sum())
        fric = float(spec[self._b_fric].sum())
        shape = spec[self._b_shape]
        centroid = float((shape * self._shape_freqs).sum() / (shape.sum() + _EPS))
        signs = np.signbit(centred)
        zcr = float(np.count_nonzero(signs[1:] != signs[:-1])) / (len(centred) - 1)

        # Automatic gain: a running peak and a noise floor, both in dB.
        self._peak_db = max(level_db, self._peak_db - _PEAK_DECAY_DB, -60.0)
        rise = max(_FLOOR_RISE_DB, _FLOOR_RISE_SHARE * (level_db - self._floor_db))
        self._floor_db = min(level_db, self._floor_db + rise)
        peak, floor = self._peak_db, self._floor_db
        rel = _clip((level_db - floor) / max(peak - floor, 1.0))
        voice = _clip(
            min(
                (level_db - (peak - _VOICE_BELOW_PEAK_DB)) / 6.0,
                (level_db - (floor + _VOICE_ABOVE_FLOOR_DB)) / 6.0,
            )
            + 0.5
        )

        # Jaw: loud and with its energy in the F1 band; a nasal or a close vowel is loud but
        # keeps its energy low, a fricative keeps it high.
        f1_share = f1 / (low + f1 + fric + _EPS)
        score = (
            _OPEN_BIAS
            + _OPEN_PER_DB * (level_db - peak)
            + _OPEN_PER_LOG_F1 * math.log10(f1_share + 1e-3)
            + _OPEN_PER_ZCR * zcr
        )
        open_target = voice / (1.0 + math.exp(-2.0 * score))

        fric_share = fric / total
        fric_target = voice * _clip((fric_share - 0.25) / 0.35) * _clip((zcr - 0.1) / 0.2)
        round_target = _clip((1300.0 - centroid) / 600.0)
        spread_target = _clip((centroid - 1500.0) / 800.0)

        # Closure: within speech (voice heard lately), a dip well under the voiced level.
        if voice > 0.5:
            self._voiced_db = max(level_db, self._voiced_db - 0.3)
            self._since_voice = 0
        else:
            self._since_voice += 1
        recent = self._since_voice * self.hop_seconds < 0.25
        closure = _clip((self._voiced_db - 15.0 - level_db) / 10.0) if recent else 0.0

        a = self._alpha
        k = a["open_attack"] if open_target > self._open else a["open_release"]
        self._open += k * (open_target - self._open)
        self._round += a["shape"] * (round_target - self._round)
        self._spread += a["shape"] * (spread_target - self._spread)
        self._fric += a["frication"] * (fric_target - self._fric)

        viseme = _nearest_viseme(voice, self._open, self._round, self._spread, self._fric, closure)
        pose = _pose(self._open, self._round, self._spread, self._fric, closure, voice)
        return VoiceHop(
            time=self._hops * self.hop_seconds,
            level=rel,
            voice=voice,
            open=self._open,
            round=self._round,
            spread=self._spread,
            frication=self._fric,
            closure=closure,
            pose=pose,
            viseme=viseme,
        )


# A live singer's mouth stays in charge this long after the last voiced hop: the gaps between
# sung words are shorter, a backing track's vocal takes over after longer ones.
HOLD_SECONDS = 0.6


@dataclass(frozen=True, slots=True)
class HeardVoice:
    """The live input's mouth for the next frame (livesync.frame.performance uses it).

    `singing`: a voice was heard within HOLD_SECONDS, so this mouth wins over a timeline's
    (a show can have a backing-track vocal on its timeline and the singer on the input).
    `latency`: seconds from sound entering the input to this result, as far as it is known
    here (the input's buffer and the analyser's own delay); the frame adds its own."""

    pose: MouthPose
    viseme: Viseme
    singing: bool
    latency: float


class VoiceHold:
    """Decides, hop by hop, whether the live singer is singing (see HOLD_SECONDS)."""

    def __init__(self, hold: float = HOLD_SECONDS) -> None:
        self.hold = hold
        self._last_voiced: float | None = None

    def singing(self, hop: VoiceHop) -> bool:
        if hop.voice >= 0.5:
            self._last_voiced = hop.time
        return self._last_voiced is not None and hop.time - self._last_voiced <= self.hold


# The analyser's own delay, as benchmarks/live_voice.py measures it (the lag that best
# matches the aligned phones): half the window looking back, plus the smoothing.
ANALYSIS_DELAY = 0.030

# Open enough to count as an open-jaw vowel (AA, E, oh) rather than a narrow shape.
OPEN_THRESHOLD = 0.5


def _nearest_viseme(
    voice: float, open_: float, round_: float, spread: float, fric: float, closure: float
) -> Viseme:
    """The one discrete shape for mouth art that has no blends."""
    if voice < 0.5:
        return Viseme.PP if closure > 0.5 else Viseme.SIL
    if open_ >= OPEN_THRESHOLD:
        if round_ > 0.5:
            return Viseme.OH
        return Viseme.EH if spread > 0.5 else Viseme.AA
    if fric > 0.4:
        return Viseme.CH if round_ > 0.5 else Viseme.SS
    if round_ > 0.5:
        return Viseme.OU
    return Viseme.IH if spread > 0.5 else Viseme.NN


def _pose(
    open_: float, round_: float, spread: float, fric: float, closure: float, voice: float
) -> MouthPose:
    """Continuous blend: openness drives the jaw, centroid the corners, frication the teeth."""
    width = 0.5 + 0.45 * spread - 0.4 * round_
    return MouthPose(
        open=_clip(0.85 * open_ + 0.12 * voice * (1.0 - fric)),
        width=_clip(width),
        round=_clip(round_ * voice),
        teeth=_clip(fric + 0.4 * spread * voice),
        tongue=0.0,
        bite=0.0,
        press=_clip(closure),
    )


def _band(freqs: npt.NDArray[np.floating], lo: float, hi: float) -> npt.NDArray[np.bool_]:
    return (freqs >= lo) & (freqs < hi)


def _alpha(tau: float, dt: float) -> float:
    """One-pole coefficient for a time constant; 0 means no smoothing (alpha 1)."""
    return 1.0 if tau <= 0 else 1.0 - math.exp(-dt / tau)


def _clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x
