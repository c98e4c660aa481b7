"""Audio features precomputed once per track, so a frame only interpolates a table.

Computing features live from the output buffer would lag the picture by a buffer and cost
CPU every frame; computing them from the file at load time makes them exactly in sync with
whatever clock picks the frame's time, and free to read.

This module holds the tables (`Analysis`) and reads them at a time: envelopes interpolated
between 10 ms hops, hits from the onset times, Shadertoy's audio texture (spectrum rows at
60 Hz, the waveform read on demand so a long track is not held twice). How the tables are
computed from the signal is livesync.audio.analyser; reading and caching files is the job of
livesync.devices.analysis_cache. Pure (numpy only).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import exp, floor
from typing import Protocol

import numpy as np
import numpy.typing as npt

TEXTURE_WIDTH = 512  # Shadertoy's audio texture: 512 spectrum texels, 512 waveform samples
HIT_DECAY_SECONDS = 0.15  # hit = exp(-(t - onset) / HIT_DECAY_SECONDS)

FloatArray = npt.NDArray[np.float32]
Float64Array = npt.NDArray[np.float64]
ByteArray = npt.NDArray[np.uint8]
Int16Array = npt.NDArray[np.int16]


class WaveformReader(Protocol):
    """The track's mono int16 signal, read on demand for the texture's waveform row.

    A frame needs only the 512 samples around its time, so a long track need not be held
    whole as a second copy: the reader takes them from samples already in memory (the ones
    being played) or from the audio file (snapshot and render, which never hold the track).
    """

    @property
    def frames(self) -> int:
        """Length of the signal in samples."""
        ...

    def read(self, start: int, stop: int) -> Int16Array:
        """Samples start..stop-1 (0 <= start < stop <= frames) as `analyser.waveform_of`
        computes them."""
        ...


@dataclass(frozen=True, slots=True)
class AudioFeatures:
    """The audio features at one instant; every field is 0..1.

    level/bass/mid/high: envelopes (whole spectrum, <150 Hz, 150-2000 Hz, >2000 Hz).
    hits/bass_hits/mid_hits/high_hits: 1 at a detected onset, decaying with a 150 ms time
    constant (exp), 0 before the first onset.
    """

    level: float = 0.0
    bass: float = 0.0
    mid: float = 0.0
    high: float = 0.0
    hits: float = 0.0
    bass_hits: float = 0.0
    mid_hits: float = 0.0
    high_hits: float = 0.0


# Synesthesia-style uniform name -> AudioFeatures field, for the renderer.
SYN_UNIFORMS: Mapping[str, str] = {
    "syn_Level": "level",
    "syn_BassLevel": "bass",
    "syn_MidLevel": "mid",
    "syn_HighLevel": "high",
    "syn_Hits": "hits",
    "syn_BassHits": "bass_hits",
    "syn_MidHits": "mid_hits",
    "syn_HighHits": "high_hits",
}

SILENT = AudioFeatures()


class Heard(Protocol):
    """What a frame reads of the sound: a song's Analysis, or sound heard live
    (livesync.audio.live_sound)."""

    def features_at(self, t: float) -> AudioFeatures: ...

    def audio_texture_at(
        self, t: float, out: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.float32]: ...


def _empty_f32() -> FloatArray:
    return np.zeros(0, dtype=np.float32)


def _empty_f64() -> Float64Array:
    return np.zeros(0, dtype=np.float64)


def _empty_spectrum() -> ByteArray:
    return np.zeros((0, TEXTURE_WIDTH), dtype=np.uint8)


def _empty_waveform() -> Int16Array:
    return np.zeros(0, dtype=np.int16)


@dataclass(frozen=True)
class Analysis:
    """Per-hop features on a 0..1 scale (relative to the track's own loud passages).

    Tables: level, bass, mid, high (float32, one value per hop); onsets, bass_onsets,
    mid_onsets, high_onsets (float64 seconds, sorted); spectrum (uint8, rows x 512: the
    Shadertoy spectrum row every `spectrum_hop` seconds, the rate a browser's analyser runs
    at; 0 means `hop`); `frames`, the number of samples analysed (0 if not known);
    waveform (int16 mono signal at `samplerate`), or instead
    `wave_reader`, which reads that signal on demand so a long track is not held twice.
    `tempo_estimate` (BPM from the onset autocorrelation, or None) is informational only.
    Only hop, level and bass are required; the rest default to empty (features read as 0).
    """

    hop: float
    level: FloatArray
    bass: FloatArray
    mid: FloatArray = field(default_factory=_empty_f32)
    high: FloatArray = field(default_factory=_empty_f32)
    onsets: Float64Array = field(default_factory=_empty_f64)
    bass_onsets: Float64Array = field(default_factory=_empty_f64)
    mid_onsets: Float64Array = field(default_factory=_empty_f64)
    high_onsets: Float64Array = field(default_factory=_empty_f64)
    spectrum: ByteArray = field(default_factory=_empty_spectrum)
    waveform: Int16Array = field(default_factory=_empty_waveform)
    samplerate: int = 0
    tempo_estimate: float | None = None
    spectrum_hop: float = 0.0
    frames: int = 0  # samples analysed (0: not known); the tables round it up to a hop
    wave_reader: WaveformReader | None = field(default=None, compare=False)
    # The per-hop envelopes as array('f') and the onset times as lists: indexing and bisect
    # on them are several times faster per frame than on numpy arrays, and array('f') holds
    # 4 bytes a value where a list of floats holds 32 (276 MB more for a 6-hour track).
    _rows: list[array[float]] = field(init=False, repr=False, compare=False)
    _onset_lists: list[list[float]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.level)
        for name in ("mid", "high"):
            if len(getattr(self, name)) != n:
                object.__setattr__(self, name, np.zeros(n, dtype=np.float32))
        object.__setattr__(
            self,
            "_rows",
            [
                _float_row(a if len(a) == n else np.zeros(n, np.float32))
                for a in (self.level, self.bass, self.mid, self.high)
            ],
        )
        object.__setattr__(
            self,
            "_onset_lists",
            [
                a.tolist()
                for a in (self.onsets, self.bass_onsets, self.mid_onsets, self.high_onsets)
            ],
        )

    @property
    def duration(self) -> float:
        """Length of the analysed signal in seconds (hops x hop)."""
        return len(self.level) * self.hop

    @property
    def nbytes(self) -> int:
        """Memory held by the tables (numpy arrays), in bytes."""
        return sum(int(getattr(self, name).nbytes) for name in _ARRAY_FIELDS)

    def features_at(self, t: float) -> AudioFeatures:
        """All features at time t: envelopes linearly interpolated between hops, hits computed
        exactly from the onset times (so a hit is 1 right at its onset); SILENT outside
        the track."""
        x = t / self.hop
        i = floor(x)
        rows = self._rows
        n = len(rows[0])
        if i < 0 or i >= n:
            return SILENT
        j = i + 1 if i + 1 < n else i
        f = x - i
        g = 1.0 - f
        lv, bs, md, hg = ((r[i] * g + r[j] * f) for r in rows)
        ht, bh, mh, hh = (_hit(o, t) for o in self._onset_lists)
        return AudioFeatures(lv, bs, md, hg, ht, bh, mh, hh)

    def audio_texture_at(
        self, t: float, out: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.float32]:
        """Shadertoy's iChannel0 audio texture at time t: float32 (2, 512), values 0..1.

        Row 0, spectrum, as WebAudio's AnalyserNode.getByteFrequencyData computes it with
        Shadertoy's settings (fftSize 2048, so texel k is frequency k * samplerate / 2048 and
        the 512 texels cover 0 .. samplerate / 4; 21.5 Hz per texel at 44.1 kHz):
          1. an analyser frame every `spectrum_hop` (1/60 s, a browser's rate, rounded to
             whole samples): the 2048 samples centred on its time, Blackman window (alpha
             0.16);
          2. X[k] = |FFT[k]| / 2048;
          3. smoothing over successive analyser frames, S = tau * S_prev + (1 - tau) * X with
             smoothingTimeConstant tau = 0.8 per analyser frame at 60 frames per second,
             i.e. tau ** (spectrum_hop * 60) per row, so the look does not depend on the
             render frame rate;
          4. byte = floor(255 / (maxDecibels - minDecibels) * (20 log10 S - minDecibels))
             clipped to 0..255, with minDecibels -100 and maxDecibels -30;
          5. texel = byte / 255 (the texture holds bytes), linearly interpolated between
             the two rows around t.
        Row 1, waveform, as getByteTimeDomainData: the 512 mono samples centred on t
        (samples round(t * samplerate) - 256 .. + 255), byte = floor(128 * (1 + x)) clipped
        to 0..255, texel = byte / 255; so -1..1 maps to 0..1 and silence reads 128/255.
        Outside the track the spectrum is 0 and the waveform is silence.
        `out`, if given, is filled and returned instead of a new array.
        """
        tex = np.empty((2, TEXTURE_WIDTH), dtype=np.float32) if out is None else out
        x = t / (self.spectrum_hop or self.hop)
        i = floor(x)
        n = len(self.spectrum)
        if 0 <= i < n:
            f = x - i
            j = i + 1 if i + 1 < n else i
            np.multiply(self.spectrum[i], (1.0 - f) / 255.0, out=tex[0])
            tex[0] += self.spectrum[j] * np.float32(f / 255.0)
        else:
            tex[0] = 0.0
        half = TEXTURE_WIDTH // 2
        start = round(t * self.samplerate) - half
        wave, reader = self.waveform, self.wave_reader
        length = len(wave) if reader is None else reader.frames
        lo, hi = max(start, 0), min(start + TEXTURE_WIDTH, length)
        if lo >= hi:
            tex[1] = 128.0 / 255.0
        else:
            if hi - lo < TEXTURE_WIDTH:
                tex[1] = 128.0 / 255.0
            # int16 w is x = w / 32768, so floor(128 * (1 + x)) = 128 + (w >> 8).
            seg = (wave[lo:hi] if reader is None else reader.read(lo, hi)) >> 8
            np.multiply(
                seg + 128, 1.0 / 255.0, out=tex[1, lo - start : hi - start], casting="unsafe"
            )
        return tex

    def to_arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """The tables, except the waveform, as named arrays (for a cache file); rebuild
        with `from_arrays` and the signal's `analyser.waveform_of`."""
        arrays: dict[str, npt.NDArray[np.generic]] = {
            name: getattr(self, name) for name in _ARRAY_FIELDS if name != "waveform"
        }
        arrays["hop"] = np.array(self.hop, dtype=np.float64)
        arrays["samplerate"] = np.array(self.samplerate, dtype=np.int64)
        arrays["spectrum_hop"] = np.array(self.spectrum_hop, dtype=np.float64)
        arrays["frames"] = np.array(self.frames, dtype=np.int64)
        arrays["tempo_estimate"] = np.array(
            np.nan if self.tempo_estimate is None else self.tempo_estimate, dtype=np.float64
        )
        return arrays

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, npt.NDArray[np.generic]], waveform: Int16Array
    ) -> Analysis:
        """Inverse of `to_arrays`; ValueError if anything is missing or malformed."""
        try:
            hop = float(arrays["hop"])
            samplerate = int(arrays["samplerate"])
            spectrum_hop = float(arrays["spectrum_hop"])
            frames = int(arrays["frames"])
            tempo = float(arrays["tempo_estimate"])
            tables = {
                name: np.asarray(arrays[name]) for name in _ARRAY_FIELDS if name != "waveform"
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed analysis arrays: {exc}") from None
        n = len(tables["level"])
        for name, table in tables.items():
            dtype, shape = _ARRAY_SPECS[name]
            rows = n if shape[0] == -1 else table.shape[0] if table.ndim else -1
            if table.dtype != dtype or table.shape != (rows, *shape[1:]):
                raise ValueError(f"malformed analysis array {name}: {table.dtype} {table.shape}")
        if (
            not (hop > 0 and samplerate > 0 and spectrum_hop >= 0 and frames >= 0)
            or waveform.dtype != np.int16
        ):
            raise ValueError("malformed analysis: bad hop, samplerate or waveform")
        t = tables
        return cls(
            hop=hop,
            level=t["level"],
            bass=t["bass"],
            mid=t["mid"],
            high=t["high"],
            onsets=t["onsets"],
            bass_onsets=t["bass_onsets"],
            mid_onsets=t["mid_onsets"],
            high_onsets=t["high_onsets"],
            spectrum=t["spectrum"],
            waveform=waveform,
            samplerate=samplerate,
            tempo_estimate=None if np.isnan(tempo) else tempo,
            spectrum_hop=spectrum_hop,
            frames=frames,
        )


# field -> (dtype, shape: first -1 for "one per hop", 0 for "any length"; the rest exact)
_ARRAY_SPECS: dict[str, tuple[np.dtype[np.generic], tuple[int, ...]]] = {
    "level": (np.dtype(np.float32), (-1,)),
    "bass": (np.dtype(np.float32), (-1,)),
    "mid": (np.dtype(np.float32), (-1,)),
    "high": (np.dtype(np.float32), (-1,)),
    "onsets": (np.dtype(np.float64), (0,)),
    "bass_onsets": (np.dtype(np.float64), (0,)),
    "mid_onsets": (np.dtype(np.float64), (0,)),
    "high_onsets": (np.dtype(np.float64), (0,)),
    "spectrum": (np.dtype(np.uint8), (0, TEXTURE_WIDTH)),
    "waveform": (np.dtype(np.int16), (0,)),
}
_ARRAY_FIELDS = tuple(_ARRAY_SPECS)


def _float_row(values: npt.NDArray[np.floating]) -> array[float]:
    row = array("f")
    row.frombytes(np.ascontiguousarray(values, dtype=np.float32).tobytes())
    return row


def _hit(onsets: list[float], t: float) -> float:
    k = bisect_right(onsets, t)
    return exp((onsets[k - 1] - t) / HIT_DECAY_SECONDS) if k else 0.0
