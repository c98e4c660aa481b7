"""The live-vocal analyser: microphone samples in, a mouth pose per 10 ms hop out, no timeline.

At a gig the singer sings live, so no timeline knows what comes out; the mouth has to follow
the sound itself, within a few tens of milliseconds. This module is that follower, pure numpy
so it runs unchanged on an input stream's callback and over a file (same code, same answers):

    voice = LiveVoice(samplerate)
    for hop in voice.push(block):       # any block size; state carries over between calls
        draw(hop.pose)                  # or hop.viseme, or the weights themselves

Each hop reads a few cues from the newest samples with two real FFTs, all relative to the
voice's own running loudness (an automatic gain: a quiet singer and a hot desk channel move
the mouth alike), and split by how fast they must be:

- timing (onsets, closures, bursts): the loudness of the newest 8 ms against the running
  peak and the noise floor, its rise over the last hops, and its low/high balance;
- spectral shape: each band's share of the energy over the whole 32 ms window, tapered
  towards its newest end, and the zero-crossing rate. Open vowels (AA AE AH AO...) are loud
  with their energy in the F1 band (600-1000 Hz); nasals, liquids, glides and close vowels
  (M N L R W IY UW) keep theirs under ~600 Hz; fricatives (S Z SH F V TH) above 2.5 kHz.

The cues of this hop and of four earlier ones (10, 20, 40 and 60 ms back: a closure before a
burst, a nasal's murmur after a vowel) go through a small linear classifier into the three
mouth classes the benchmark scores: closed (rest, P B M), open (the open-jaw vowels) and
narrow (everything else). benchmarks/live_voice.py fits its weights on the first half of real
speech aligned by Gentle (`--fit`) and reports the held-out half; each hop is fitted to the
phone 20 ms after it, so the classifier calls a class on its first evidence (a rising level, a
spectrum turning) and the mouth lags the sound by ~15 ms (ANALYSIS_DELAY) rather than ~23.
Within a class, the shape comes from where the energy sits between 300 and 3500 Hz (a
centroid standing in for F2: low for OW UW W, high for IY EH S) and from the energy above
2.5 kHz (frication).

The class scores are not smoothed by default (every millisecond of smoothing is a millisecond
of delay; Smoothing can add attack/release filters), the shape and frication weights lightly;
they are turned into a MouthPose blend and the single nearest Viseme for art that only has
discrete shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from livesync.lipsync.visemes import MouthPose, Viseme

FloatArray = npt.NDArray[np.float64]

# Every constant the cues use, in one place so the benchmark's tuning is visible in review.
_EPS = 1e-12
_PEAK_DECAY_DB = 0.06  # per hop: the running peak falls 6 dB/s, following a quieter verse
_RECENT_DECAY_DB = 0.3  # per hop: the recent peak the cues' levels are read against, 30 dB/s
_FLOOR_RISE_DB = 0.02  # per hop at least: the noise floor creeps up, falls at once
_FLOOR_RISE_SHARE = 0.004  # and by this share of its distance to the level (~2.5 s to rise)
_VOICE_BELOW_PEAK_DB = 36.0  # quieter than this under the running peak is not voice
_VOICE_ABOVE_FLOOR_DB = 12.0  # and it must stand this far above the noise floor
_AUDIBLE_DB = -80.0  # quieter than this (dBFS) is silence, whatever the classifier says,
_AUDIBLE_BELOW_PEAK_DB = 50.0  # and so is this far under the running peak
# A pause in a noisy room: the level stays near the noise floor for longer than any quiet
# consonant (a soft S or F is short) -- the room's hiss is then silence, not frication.
_NEAR_FLOOR_DB = 10.0
_PAUSE_SECONDS = 0.12
_JAW_FROM = 0.2  # the jaw opens from this open weight, halfway at 0.5, fully at 0.8
_RECENT_SPEECH = 0.25  # s: a closed mouth this soon after voice is a closure (PP), not rest
# The timing-critical cues (loudness now, onsets, the low/high balance) come from the newest
# 8 ms only; the spectral shape from the whole window, tapered so its weight sits near the
# newest end (a half-Hann rise over the window, a 4 ms fall), not 16 ms back as a Hann's.
_SHORT_WINDOW = 0.008
_WINDOW_FALL = 0.004
_SHORT_SPLIT_HZ = 1000.0
# The spectral shape: each band's share of the energy. The top band (frication) ends at the
# Nyquist frequency of telephone audio and at 8 kHz otherwise, so an S on a 48 kHz desk
# channel is as loud and as high as the fitted 8 kHz speech showed it, vowels are unchanged.
_BANDS = (
    (80.0, 300.0),
    (300.0, 600.0),
    (600.0, 1000.0),
    (1000.0, 1600.0),
    (1600.0, 2500.0),
    (2500.0, 8000.0),
)
_MAX_CROSSINGS = 7.6  # kHz: the crossing cues are clipped to what 8 kHz audio can show
_SHAPE_BAND = (700.0, 3500.0)  # above most first formants: the centroid follows F2
# The shape band's centroid stands in for F2: below this the lips round, above that they
# spread (each the point where the weight crosses one half).
_ROUND_BELOW_HZ = 1300.0
_SPREAD_ABOVE_HZ = 1600.0
_FRIC_LOW_HZ = 2500.0
_FRIC_HIGH_HZ = 8000.0
# The cues of this hop and of these earlier hops feed the classifier (the context of a
# closure, an onset, a vowel's transition), with the short level's rise over 1 and 3 hops.
_CONTEXT = (1, 2, 4, 6)
CUE_NAMES = (
    "level",  # whole window, dB under the recent peak
    "short level",  # newest 8 ms, dB under the recent peak
    "above floor",  # whole window, dB over the noise floor (0..40)
    "short above floor",  # newest 8 ms, dB over the noise floor (0..40)
    *(f"share {lo:.0f}-{hi:.0f} Hz" for lo, hi in _BANDS),  # log10 of each band's share
    "short high/low",  # newest 8 ms: log10 of energy above / below 1 kHz (up to 8 kHz)
    "short crossings",  # newest 8 ms: zero-crossing rate (kHz) of the band-limited signal
    "crossings",  # the same over the whole window
)
"""The per-hop cues, in the order the classifier reads them (the benchmark fits on these)."""


# The classifier: per class (closed, open, narrow) one weight per input (the cues of this hop,
# then of each _CONTEXT hop, then the three rises) and a bias, fitted on the first half of
# the benchmark's speech with balanced class weights (`benchmarks/live_voice.py --fit`).
_N_INPUTS = len(CUE_NAMES) * (1 + len(_CONTEXT)) + 3
_WEIGHTS: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] = (
    (
        -0.002869,
        -0.0001717,
        -0.01104,
        -0.0117,
        0.2587,
        -0.4145,
        -0.1669,
        -0.1442,
        0.194,
        0.1575,
        -0.1423,
        0.0406,
        0.01188,
        -0.0004333,
        -0.002748,
        -0.007862,
        -0.007604,
        0.1399,
        -0.2688,
        -0.04619,
        -0.05728,
        0.1684,
        0.1213,
        -0.09516,
        0.03545,
        -0.01093,
        0.002173,
        0.002206,
        -0.005506,
        -0.003308,
        0.08057,
        -0.2713,
        0.01213,
        0.01894,
        0.1557,
        0.07753,
        -0.1072,
        -0.01386,
        -0.05945,
        0.002557,
        0.001424,
        -0.004609,
        -2.598e-05,
        0.1629,
        -0.413,
        0.04458,
        0.08107,
        0.08011,
        0.07905,
        -0.07353,
        -0.01295,
        -0.07738,
        0.0009658,
        0.00602,
        -0.007558,
        0.0007149,
        0.3048,
        -0.4065,
        0.1073,
        0.08459,
        0.05407,
        0.07551,
        -0.1242,
        -0.01675,
        -0.1112,
        -0.003825,
        -0.01234,
        -0.02051,
    ),
    (
        0.0136,
        0.008885,
        0.008204,
        0.003654,
        0.03833,
        0.2646,
        0.5576,
        0.2365,
        -0.1538,
        -0.08148,
        0.2498,
        -0.0854,
        -0.1244,
        0.004549,
        0.006562,
        0.006023,
        0.0008962,
        -0.07115,
        0.1897,
        0.1972,
        0.05369,
        -0.1301,
        -0.07601,
        0.1383,
        -0.0468,
        -0.07234,
        -0.002127,
        -9.322e-05,
        0.004885,
        -0.001113,
        -0.0761,
        0.1875,
        0.07873,
        -0.0008894,
        -0.08593,
        -0.01191,
        0.1008,
        0.003969,
        0.009931,
        -0.008616,
        -0.00428,
        0.006325,
        -0.0003836,
        -0.1686,
        0.3209,
        -0.07356,
        -0.04155,
        0.001624,
        0.02229,
        0.005557,
        -0.02836,
        0.07314,
        -0.01167,
        -0.01137,
        0.01211,
        0.001727,
        -0.2458,
        0.34,
        -0.152,
        -0.09572,
        0.05535,
        -0.07334,
        0.06651,
        0.002815,
        0.07744,
        0.0005787,
        0.009134,
        0.02592,
    ),
    (
        -0.01074,
        -0.008714,
        0.002838,
        0.008041,
        -0.297,
        0.1499,
        -0.3907,
        -0.09223,
        -0.04017,
        -0.07604,
        -0.1075,
        0.04481,
        0.1125,
        -0.004115,
        -0.003813,
        0.001838,
        0.006708,
        -0.06873,
        0.07908,
        -0.151,
        0.003596,
        -0.03831,
        -0.04532,
        -0.04314,
        0.01136,
        0.08327,
        -4.593e-05,
        -0.002113,
        0.0006215,
        0.004421,
        -0.004478,
        0.08376,
        -0.09085,
        -0.01805,
        -0.06974,
        -0.06562,
        0.006386,
        0.009889,
        0.04952,
        0.006058,
        0.002856,
        -0.001716,
        0.0004095,
        0.005624,
        0.09203,
        0.02898,
        -0.03952,
        -0.08174,
        -0.1013,
        0.06797,
        0.0413,
        0.004244,
        0.0107,
        0.005352,
        -0.004557,
        -0.002442,
        -0.05897,
        0.06654,
        0.04465,
        0.01113,
        -0.1094,
        -0.002174,
        0.05766,
        0.01394,
        0.03371,
        0.003246,
        0.003208,
        -0.005409,
    ),
)
_BIASES = (1.373, 1.375, -2.748)
CLOSED, OPEN, NARROW = 0, 1, 2


@dataclass(frozen=True, slots=True)
class VoiceHop:
    """One hop's mouth: continuous weights (0..1), the pose they blend to, the nearest viseme.

    `time` is when the hop's newest sample arrived, in seconds from the analyser's first
    sample: the earliest moment the result can be drawn (the benchmark scores it there).
    `open` and `closure` are 0.5 or more exactly when that class wins over the other two."""

    time: float
    level: float  # loudness relative to the running peak (0 = floor, 1 = peak)
    voice: float  # voice present
    open: float  # jaw openness: the open class against the stronger of the other two
    round: float  # lip rounding (low spectral centroid)
    spread: float  # lip spreading (high spectral centroid)
    frication: float  # S/F/SH noise
    closure: float  # lips closed within speech: the closed class, while speech is recent
    pose: MouthPose
    viseme: Viseme


@dataclass(frozen=True, slots=True)
class Smoothing:
    """Attack/release time constants (seconds): `open_attack`/`open_release` smooth the three
    class scores (a class rising / falling), the others the shape and frication weights.
    Every millisecond here is a millisecond of delay, so the class scores are kept fast."""

    open_attack: float = 0.0
    open_release: float = 0.0
    shape: float = 0.03
    frication: float = 0.015


class LiveVoice:
    """Streaming analyser; feed it blocks with `push`, it answers one VoiceHop per hop.

    Holds only what the next hop needs (the last window of samples, a few hops of cues and
    the trackers), so a long gig costs no memory. The same stream split into different block
    sizes gives exactly the same hops."""

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
        self.short_samples = max(8, min(self.window_samples, round(_SHORT_WINDOW * samplerate)))
        self.hop_seconds = self.hop_samples / samplerate
        self.smoothing = smoothing or Smoothing()
        nfft = 1 << max(6, math.ceil(math.log2(self.window_samples)))
        nshort = 1 << max(6, math.ceil(math.log2(self.short_samples)))
        self._nfft, self._nshort = nfft, nshort
        self._window = _tapered_window(self.window_samples, round(_WINDOW_FALL * samplerate))
        self._short_window = np.hanning(self.short_samples + 2)[1:-1]
        freqs = np.fft.rfftfreq(nfft, 1.0 / samplerate)
        sfreqs = np.fft.rfftfreq(nshort, 1.0 / samplerate)
        nyquist = samplerate / 2.0
        top = min(_BANDS[-1][1], nyquist * 0.98)
        self._bands = np.array(
            [_band(freqs, lo, min(hi, top)) for lo, hi in _BANDS], dtype=np.float64
        )
        self._b_all = _band(freqs, _BANDS[0][0], top)
        self._freq2 = (freqs / 1000.0) ** 2
        self._s_low = _band(sfreqs, _BANDS[0][0], _SHORT_SPLIT_HZ)
        self._s_high = _band(sfreqs, _SHORT_SPLIT_HZ, top)
        self._s_all = _band(sfreqs, _BANDS[0][0], top)
        self._s_freq2 = (sfreqs / 1000.0) ** 2
        self._b_shape = _band(freqs, *_SHAPE_BAND)
        self._shape_freqs = freqs[self._b_shape]
        fric_high = min(_FRIC_HIGH_HZ, nyquist * 0.98)
        self._b_fric = _band(freqs, min(_FRIC_LOW_HZ, nyquist * 0.6), fric_high)
        self._b_speech = _band(freqs, 80.0, fric_high)
        self._w = np.array(_WEIGHTS, dtype=np.float64)
        self._b = np.array(_BIASES, dtype=np.float64)
        self._alpha = {
            name: _alpha(tau, self.hop_seconds)
            for name, tau in (
                ("attack", self.smoothing.open_attack),
                ("release", self.smoothing.open_release),
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
        self._recent_db = -60.0
        self._short_db = -60.0
        self._floor_db = 0.0  # falls to the first quiet hop at once
        self._quiet_hops = 0  # hops in a row near the noise floor
        self._since_voice = 1_000_000
        self._history: list[FloatArray] = []  # the cues of earlier hops, newest last
        self._short_history: list[float] = []
        self._scores: FloatArray = np.array([1.0, 0.0, 0.0])
        self._round = 0.0
        self._spread = 0.0
        self._fric = 0.0
        self.inputs: FloatArray = np.zeros(_N_INPUTS)
        """The classifier's inputs at the last hop (the benchmark fits the weights on them)."""

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

    def _cues(self, frame: FloatArray) -> tuple[FloatArray, float, FloatArray]:
        """This hop's cues (CUE_NAMES order), its level in dB and its long power spectrum."""
        centred = frame - frame.mean()
        spec = np.abs(np.fft.rfft(centred * self._window, self._nfft)) ** 2
        bands = self._bands @ spec
        total = float(bands.sum()) + _EPS
        level_db = 10.0 * math.log10(total / self.window_samples + _EPS)
        crossings = math.sqrt(float((spec[self._b_all] * self._freq2[self._b_all]).sum()) / total)
        short = centred[-self.short_samples :]
        sspec = np.abs(np.fft.rfft((short - short.mean()) * self._short_window, self._nshort)) ** 2
        s_low = float(sspec[self._s_low].sum())
        s_high = float(sspec[self._s_high].sum())
        s_total = float(sspec[self._s_all].sum()) + _EPS
        short_db = 10.0 * math.log10(s_total / self.short_samples + _EPS)
        self._short_db = short_db
        s_cross = math.sqrt(
            float((sspec[self._s_all] * self._s_freq2[self._s_all]).sum()) / s_total
        )

        # Automatic gain: a running peak and a noise floor, both in dB.
        self._peak_db = max(level_db, self._peak_db - _PEAK_DECAY_DB, -60.0)
        rise = max(_FLOOR_RISE_DB, _FLOOR_RISE_SHARE * (level_db - self._floor_db))
        self._floor_db = min(level_db, self._floor_db + rise)
        self._recent_db = max(level_db, self._recent_db - _RECENT_DECAY_DB, -60.0)
        floor, recent = self._floor_db, self._recent_db
        shares = np.log10(np.maximum(bands / total, 1e-4))
        cues = np.array(
            [
                max(level_db - recent, -60.0),
                max(min(short_db - recent, 10.0), -60.0),
                min(max(level_db - floor, 0.0), 40.0),
                min(max(short_db - floor, 0.0), 40.0),
                *shares,
                min(max(math.log10((s_high + 1e-10) / (s_low + 1e-10)), -4.0), 4.0),
                min(2.0 * s_cross, _MAX_CROSSINGS),
                min(2.0 * crossings, _MAX_CROSSINGS),
            ]
        )
        return cues, level_db, spec

    def _classify(self, cues: FloatArray) -> FloatArray:
        """The classifier's inputs (this hop's cues, earlier hops', the rises), its scores."""
        history = self._history
        if not history:
            history.extend([cues] * max(_CONTEXT))
            self._short_history.extend([self._short_db] * 3)
        past = [history[-k] for k in _CONTEXT]
        short, before = self._short_db, self._short_history
        rises = (short - before[-1], short - before[-3], max(short - before[-1], 0.0))
        inputs = np.concatenate((cues, *past, rises))
        history.append(cues)
        del history[: -max(_CONTEXT)]
        before.append(short)
        del before[:-3]
        self.inputs = inputs
        logits = self._w @ inputs + self._b
        logits -= logits.max()
        p: FloatArray = np.exp(logits)
        p /= p.sum()
        return p

    def _analyse(self, frame: FloatArray) -> VoiceHop:
        self._hops += 1
        cues, level_db, spec = self._cues(frame)
        peak, floor = self._peak_db, self._floor_db
        rel = _clip((level_db - floor) / max(peak - floor, 1.0))
        voice = _clip(
            min(
                (level_db - (peak - _VOICE_BELOW_PEAK_DB)) / 6.0,
                (level_db - (floor + _VOICE_ABOVE_FLOOR_DB)) / 6.0,
            )
            + 0.5
        )
        p = self._classify(cues)
        if level_db > floor + _NEAR_FLOOR_DB:
            self._quiet_hops = 0
        else:
            self._quiet_hops += 1
        if min(level_db, self._short_db) < max(peak - _AUDIBLE_BELOW_PEAK_DB, _AUDIBLE_DB) or (
            self._quiet_hops * self.hop_seconds >= _PAUSE_SECONDS
        ):
            p = np.array([1.0, 0.0, 0.0])  # silence (and out of the classifier's range)
        a = self._alpha
        k = np.where(p > self._scores, a["attack"], a["release"])
        self._scores = self._scores + k * (p - self._scores)
        closed, open_, narrow = (float(v) for v in self._scores)
        voice = max(voice, _clip(1.0 - closed))
        open_w = open_ / (open_ + max(closed, narrow) + _EPS)
        closed_w = closed / (closed + max(open_, narrow) + _EPS)

        total = float(spec[self._b_speech].sum()) + _EPS
        fric_share = float(spec[self._b_fric].sum()) / total
        shape = spec[self._b_shape]
        centroid = float((shape * self._shape_freqs).sum() / (shape.sum() + _EPS))
        fric_target = voice * _clip((fric_share - 0.25) / 0.35) * _clip((cues[11] - 1.6) / 1.6)
        round_target = _clip((_ROUND_BELOW_HZ - centroid) / 600.0 + 0.5)
        spread_target = _clip((centroid - _SPREAD_ABOVE_HZ) / 800.0 + 0.5)
        self._round += a["shape"] * (round_target - self._round)
        self._spread += a["shape"] * (spread_target - self._spread)
        self._fric += a["frication"] * (fric_target - self._fric)

        if voice > 0.5:
            self._since_voice = 0
        else:
            self._since_voice += 1
        recent = self._since_voice * self.hop_seconds < _RECENT_SPEECH
        closure = closed_w if recent else 0.0
        shut = closed_w >= 0.5
        viseme = _nearest_viseme(shut, recent, open_w, self._round, self._spread, self._fric)
        jaw = 0.0 if shut else _clip((open_w - _JAW_FROM) / (1.0 - 2.0 * _JAW_FROM))
        pose = _pose(jaw, self._round, self._spread, self._fric, closure, voice)
        return VoiceHop(
            time=self._hops * self.hop_seconds,
            level=rel,
            voice=voice,
            open=open_w,
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


# The analyser's own delay, as benchmarks/live_voice.py measures it (the lag, at 1 ms
# resolution, that best matches the aligned phones): where the cues' windows sit behind the
# newest sample, plus the smoothing. The HUD adds it to the input buffer and the frame.
ANALYSIS_DELAY = 0.015

# Open enough to count as an open-jaw vowel (AA, E, oh) rather than a narrow shape.
OPEN_THRESHOLD = 0.5


def _nearest_viseme(
    shut: bool, recent: bool, open_: float, round_: float, spread: float, fric: float
) -> Viseme:
    """The one discrete shape for mouth art that has no blends."""
    if shut:
        return Viseme.PP if recent else Viseme.SIL
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


def _tapered_window(n: int, fall: int) -> FloatArray:
    """A half-Hann rise over the window and a short half-Hann fall at its newest end: the
    spectrum describes the newest milliseconds most, without a rectangular window's leakage."""
    fall = max(1, min(fall, n - 1))
    rise = n - fall
    up = np.sin(0.5 * np.pi * (np.arange(rise) + 0.5) / rise) ** 2
    down = np.cos(0.5 * np.pi * (np.arange(fall) + 0.5) / fall) ** 2
    return np.concatenate((up, down))


def _band(freqs: npt.NDArray[np.floating], lo: float, hi: float) -> npt.NDArray[np.bool_]:
    return (freqs >= lo) & (freqs < hi)


def _alpha(tau: float, dt: float) -> float:
    """One-pole coefficient for a time constant; 0 means no smoothing (alpha 1)."""
    return 1.0 if tau <= 0 else 1.0 - math.exp(-dt / tau)


def _clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x
