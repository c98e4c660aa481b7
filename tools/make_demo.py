"""Generate the bundled ``livesync demo`` assets: a short song, its phone timeline, a face.

Why this exists: the demo must run out of the box without shipping third-party
music, and a lip-sync demo is only convincing when the phone timings are exact.
So the project makes its own song: the vocal is synthesised by libespeak-ng
(through ctypes) which reports, for every phoneme it renders, the millisecond
at which that phoneme starts in its own audio.  Those positions are exact by
construction -- no forced alignment is involved -- so the timeline written next
to the song is ground truth for the mouth animation (the one adjustment, moving
a voiceless stop's start back over its silent closure, is read off the same
sample-exact audio; see :func:`utterance_to_alignment`).

Outputs (in ``configs/demo/`` unless ``--out-dir`` is given):

* ``demo.ogg`` -- 44.1 kHz stereo Ogg Vorbis: espeak-ng vocal over a numpy groove.
* ``demo.timeline.json`` -- the canonical ``livesync_timeline`` v1 document.
* ``character.png`` -- 768x768 RGBA cartoon head *without* a mouth; the app
  draws the mouth live at (0.5, 0.70) of the image, ~0.28 of its width wide.

Everything is deterministic (fixed seeds, no time-dependent data; the random Ogg
stream serial number libsndfile picks is replaced by a constant), so running
``python tools/make_demo.py --force`` reproduces the committed files.

Requirements: numpy, soundfile (with Ogg Vorbis support) and the espeak-ng
shared library (Debian/Ubuntu package ``libespeak-ng1``).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import itertools
import json
import math
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

# --------------------------------------------------------------------------
# Song constants
# --------------------------------------------------------------------------

SAMPLE_RATE = 44100
BPM = 120.0
BEAT = 60.0 / BPM  # seconds per beat
BEATS_PER_BAR = 4
SEED = 20240611

#: The lyrics, one entry per sung line: (text, espeak pitch 0-100, espeak pitch range 0-100).
#: Chosen so the mouth gets variety: lip closures (B, M, P), open vowels (AA in
#: "follow", AY in "night"/"fly"), rounded vowels (UW in "moon"/"move", OW in
#: "oh"/"so"/"open"), lip-teeth F/V and spread IY ("feel", "me", "baby").
LYRICS: tuple[tuple[str, int, int], ...] = (
    ("Bright moon above the night,", 48, 60),
    ("I feel the music move in me.", 56, 70),
    ("Oh baby, follow the light,", 52, 80),
    ("open up and fly so high.", 44, 65),
)
#: Index of the line that follows the instrumental break.
BREAK_BEFORE_LINE = 2
INTRO_SECONDS = 1.5  # first word starts here, on a downbeat after a 3-beat pickup
MIN_LINE_GAP = 0.2  # seconds of rest, at least, between two lines of a verse
MIN_BREAK = 1.6  # the instrumental break in the middle lasts at least this long
MIN_OUTRO = 1.25

VOICE = "en-us"
VOICE_RATE_WPM = 120  # espeak default is 175: slower sounds closer to singing
PEAK_DBFS = -1.0
VOCAL_OVER_BACKING_DB = 10.0  # vocal RMS above backing RMS while singing

OGG_SERIAL = 0x4C53594E  # "LSYN": fixed Ogg stream serial -> byte-identical output

# --------------------------------------------------------------------------
# espeak-ng through ctypes
# --------------------------------------------------------------------------

# Values from espeak-ng 1.51 speak_lib.h (API revision 12).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x0001
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PARAM_RATE = 1
_PARAM_VOLUME = 2
_PARAM_PITCH = 3
_PARAM_RANGE = 4

_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EVENT_SENTENCE = 2
_EVENT_END = 5
_EVENT_MSG_TERMINATED = 6
_EVENT_PHONEME = 7
_EVENT_SAMPLERATE = 8


class _EventId(ctypes.Union):
    """``espeak_EVENT.id``: word number, mark name, or phoneme mnemonic (8 bytes)."""

    _fields_ = [
        ("number", ctypes.c_int),
        ("name", ctypes.c_char_p),
        ("string", ctypes.c_char * 8),
    ]


class _Event(ctypes.Structure):
    """``espeak_EVENT`` exactly as laid out in espeak-ng 1.51 ``speak_lib.h``."""

    _fields_ = [
        ("type", ctypes.c_int),  # espeak_EVENT_TYPE (an enum: int-sized)
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based character offset in the text
        ("length", ctypes.c_int),  # word length in characters (WORD events)
        ("audio_position", ctypes.c_int),  # ms from the start of this message's audio
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class RawEvent:
    """One espeak event, copied out of C memory before the callback returns."""

    kind: int
    text_position: int
    length: int
    audio_ms: int
    phoneme: str = ""


@dataclass
class Utterance:
    """The mono int16 audio of one ``espeak_Synth`` call and its events."""

    text: str
    sample_rate: int
    audio: np.ndarray
    events: list[RawEvent] = field(default_factory=list)


class ESpeak:
    """Minimal synchronous libespeak-ng binding that keeps audio and events.

    Synchronous mode (``AUDIO_OUTPUT_SYNCHRONOUS``) makes ``espeak_Synth``
    return only when the whole text is rendered, calling our callback with
    chunks of samples plus the events that fall in them; phoneme events are
    only emitted when initialised with ``espeakINITIALIZE_PHONEME_EVENTS``.
    """

    def __init__(self, voice: str) -> None:
        """Load the library, initialise it once and select ``voice``."""
        path = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self._lib = ctypes.CDLL(path)
        except OSError as exc:  # pragma: no cover - depends on the machine
            raise SystemExit(
                f"cannot load libespeak-ng ({exc}); install espeak-ng / libespeak-ng1"
            ) from exc
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int

        self.sample_rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _INITIALIZE_PHONEME_EVENTS
        )
        if self.sample_rate <= 0:
            raise SystemExit("espeak_Initialize failed (espeak-ng-data missing?)")
        self._chunks: list[np.ndarray] = []
        self._events: list[RawEvent] = []
        # Keep a reference: ctypes callbacks are freed when garbage collected.
        self._callback = _SynthCallback(self._on_synth)
        lib.espeak_SetSynthCallback(self._callback)
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise SystemExit(f"espeak-ng voice {voice!r} not found")

    def _on_synth(
        self, wav: ctypes._Pointer[ctypes.c_short], numsamples: int, events: ctypes._Pointer[_Event]
    ) -> int:
        """Collect samples and copy events (their memory is only valid during the call)."""
        if wav and numsamples > 0:
            buf = ctypes.cast(wav, ctypes.POINTER(ctypes.c_short * numsamples)).contents
            self._chunks.append(np.frombuffer(memoryview(buf), dtype=np.int16).copy())
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            ev = events[i]
            name = ""
            if ev.type == _EVENT_PHONEME:
                name = bytes(ev.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
            self._events.append(
                RawEvent(ev.type, ev.text_position, ev.length, ev.audio_position, name)
            )
            i += 1
        return 0  # continue synthesis

    def synth(self, text: str, rate: int, pitch: int, pitch_range: int) -> Utterance:
        """Render ``text`` and return its audio plus events (audio_ms restarts at 0)."""
        lib = self._lib
        for param, value in (
            (_PARAM_RATE, rate),
            (_PARAM_VOLUME, 100),
            (_PARAM_PITCH, pitch),
            (_PARAM_RANGE, pitch_range),
        ):
            lib.espeak_SetParameter(param, value, 0)
        self._chunks, self._events = [], []
        data = text.encode("utf-8") + b"\0"
        buf = ctypes.create_string_buffer(data, len(data))
        err = lib.espeak_Synth(buf, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if err != 0:
            raise RuntimeError(f"espeak_Synth failed with {err}")
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return Utterance(text, self.sample_rate, audio, list(self._events))


# --------------------------------------------------------------------------
# espeak phoneme mnemonics -> ARPAbet
# --------------------------------------------------------------------------

#: espeak-ng English (en / en-us) phoneme mnemonics to ARPAbet (no stress).
#: A few espeak phonemes are r-coloured diphthongs or syllabic consonants that
#: ARPAbet writes as two phones; they map to a tuple and their time is split.
ESPEAK_TO_ARPABET: dict[str, tuple[str, ...]] = {
    # vowels
    "@": ("AH",),
    "@2": ("AH",),
    "@5": ("AH",),
    "a#": ("AH",),
    "V": ("AH",),
    "3": ("ER",),
    "3:": ("ER",),
    "@r": ("ER",),
    "a": ("AE",),
    "aa": ("AE",),
    "A:": ("AA",),
    "A": ("AA",),
    "0": ("AA",),
    "A#": ("AA",),
    "O:": ("AO",),
    "O": ("AO",),
    "O2": ("AO",),
    "E": ("EH",),
    "E2": ("EH",),
    "E3": ("EH",),
    "eI": ("EY",),
    "aI": ("AY",),
    "aU": ("AW",),
    "OI": ("OY",),
    "oU": ("OW",),
    "oU#": ("OW",),
    "o": ("OW",),
    "I": ("IH",),
    "I2": ("IH",),
    "I#": ("IH",),
    "y": ("IH",),
    "i": ("IY",),
    "i:": ("IY",),
    "U": ("UH",),
    "u:": ("UW",),
    "u": ("UW",),
    # r-coloured vowels and triphthongs (two ARPAbet phones)
    "A@": ("AA", "R"),
    "O@": ("AO", "R"),
    "o@": ("AO", "R"),
    "e@": ("EH", "R"),
    "i@": ("IH", "R"),
    "i@3": ("IH", "R"),
    "U@": ("UH", "R"),
    "aI@": ("AY", "ER"),
    "aI3": ("AY", "ER"),
    "aU@": ("AW", "ER"),
    "@L": ("AH", "L"),
    # consonants
    "p": ("P",),
    "b": ("B",),
    "t": ("T",),
    "d": ("D",),
    "k": ("K",),
    "g": ("G",),
    "t#": ("T",),
    "d#": ("D",),
    "?": ("T",),
    "f": ("F",),
    "v": ("V",),
    "T": ("TH",),
    "D": ("DH",),
    "s": ("S",),
    "z": ("Z",),
    "S": ("SH",),
    "Z": ("ZH",),
    "h": ("HH",),
    "x": ("HH",),
    "C": ("HH",),
    "tS": ("CH",),
    "dZ": ("JH",),
    "m": ("M",),
    "n": ("N",),
    "N": ("NG",),
    "m-": ("M",),
    "n-": ("N",),
    "l": ("L",),
    "l/": ("L",),
    "l-": ("L",),
    "r": ("R",),
    "r-": ("R",),
    "*": ("T",),
    "w": ("W",),
    "W": ("W",),
    "j": ("Y",),
}

#: Share of a two-phone espeak phoneme's duration given to the first ARPAbet phone.
SPLIT_FIRST_SHARE = 0.6

ARPABET = frozenset(
    {
        "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY",
        "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P",
        "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
    }
)  # fmt: skip


def espeak_to_arpabet(name: str) -> tuple[str, ...]:
    """Map one espeak mnemonic to ARPAbet, falling back by dropping variant marks.

    espeak marks allophones with trailing characters (``#``, ``/``, ``-``, digits),
    so an unknown name is retried without them before giving up loudly.
    """
    candidates = [name, name.rstrip("#/-;!0123456789")]
    for cand in candidates:
        if cand in ESPEAK_TO_ARPABET:
            return ESPEAK_TO_ARPABET[cand]
    raise KeyError(f"no ARPAbet mapping for espeak phoneme {name!r}")


def is_pause(name: str) -> bool:
    """espeak pauses are ``_``, ``_:``, ``_!`` ...; also skip stress/empty markers."""
    return not name or name.startswith("_") or name in {"'", ",", "%", "=", "|", "||"}


# --------------------------------------------------------------------------
# Events -> words and phones
# --------------------------------------------------------------------------


@dataclass
class Phone:
    """A phone with times in seconds relative to whatever origin the caller uses."""

    phone: str
    start: float
    end: float
    word: int


@dataclass
class Word:
    """A word; start/end come from its first and last phone."""

    word: str
    start: float
    end: float


#: Voiceless stops/affricates: espeak renders their closure as digital silence
#: *before* the phoneme event (which marks the release burst).
CLOSURE_PHONES = frozenset({"P", "T", "K", "CH"})
MIN_CLOSURE_MS = 20.0  # shorter silent runs are inter-frame gaps, not closures
MIN_PREVIOUS_MS = 30.0  # never shrink the phone before a closure below this


def utterance_to_alignment(utt: Utterance) -> tuple[list[Word], list[Phone]]:
    """Turn espeak WORD/PHONEME events into words and ARPAbet phones (seconds).

    A phoneme lasts until the next phoneme event (pauses included, as they mark
    where sound stops) or the end of the message.  Each phoneme belongs to the
    most recent WORD event; words that end up with no phones (espeak emits an
    empty trailing one at clause ends) are dropped, and so are pause phonemes.

    One correction is made: espeak fires a voiceless stop's event at its burst
    and leaves the ~50-65 ms closure (exact zeros in its audio) at the end of
    the previous phone.  Lips and tongue close *during* that silence, and
    phonetic alignments (TIMIT, forced aligners) count the closure as part of
    the stop, so the stop's start is moved back to where the silence begins.
    Word start/end are taken from their first/last phone afterwards.
    """
    sr = utt.sample_rate
    end_ms = len(utt.audio) * 1000.0 / sr
    text_bytes = utt.text.encode("utf-8")
    boundaries = [
        float(e.audio_ms)
        for e in utt.events
        if e.kind in (_EVENT_PHONEME, _EVENT_END, _EVENT_MSG_TERMINATED)
    ]
    # Pass 1: phones in ms, each tagged with the text position of its word.
    raw: list[tuple[str, float, float, int]] = []  # (arpabet, start, end, word position)
    texts: dict[int, str] = {}
    current_pos = -1
    boundary_index = 0
    for ev in utt.events:
        if ev.kind == _EVENT_WORD:
            chunk = text_bytes[ev.text_position - 1 : ev.text_position - 1 + ev.length]
            texts[ev.text_position] = "".join(
                ch for ch in chunk.decode("utf-8", "replace").lower() if ch.isalnum() or ch == "'"
            )
            current_pos = ev.text_position
            continue
        if ev.kind not in (_EVENT_PHONEME, _EVENT_END, _EVENT_MSG_TERMINATED):
            continue
        boundary_index += 1
        if ev.kind != _EVENT_PHONEME or is_pause(ev.phoneme):
            continue
        if not texts.get(current_pos):
            raise RuntimeError(f"phoneme {ev.phoneme!r} outside any word in {utt.text!r}")
        start_ms = float(ev.audio_ms)
        stop_ms = boundaries[boundary_index] if boundary_index < len(boundaries) else end_ms
        stop_ms = max(stop_ms, start_ms)
        arpa = espeak_to_arpabet(ev.phoneme)
        cuts = [start_ms]
        if len(arpa) == 2:
            cuts.append(start_ms + SPLIT_FIRST_SHARE * (stop_ms - start_ms))
        cuts.append(stop_ms)
        for k, ph in enumerate(arpa):
            raw.append((ph, cuts[k], cuts[k + 1], current_pos))

    _attach_closures(raw, utt)
    return _words_from_phones(raw, texts)


RawPhone = tuple[str, float, float, int]  # (arpabet, start ms, end ms, word position)


def _attach_closures(raw: list[RawPhone], utt: Utterance) -> None:
    """Give each voiceless stop the silent closure that precedes its burst (in place)."""
    sr = utt.sample_rate
    for i in range(1, len(raw)):
        ph, start, end, pos = raw[i]
        prev = raw[i - 1]
        if ph not in CLOSURE_PHONES or prev[2] != start:
            continue  # not a stop, or a pause separates it from the previous phone
        j = k = round(start * sr / 1000.0)
        while j > 0 and utt.audio[j - 1] == 0:
            j -= 1
        closure_ms = (k - j) * 1000.0 / sr
        if closure_ms < MIN_CLOSURE_MS:
            continue
        new_start = max(round(j * 1000.0 / sr), prev[1] + MIN_PREVIOUS_MS)
        if new_start < start:
            raw[i - 1] = (prev[0], prev[1], new_start, prev[3])
            raw[i] = (ph, new_start, end, pos)


def _words_from_phones(
    raw: list[RawPhone], texts: dict[int, str]
) -> tuple[list[Word], list[Phone]]:
    """Words from their phones: a word spans its first to its last phone."""
    words: list[Word] = []
    phones: list[Phone] = []
    last_pos = None
    for ph, start, end, pos in raw:
        if pos != last_pos:
            words.append(Word(texts[pos], start / 1000.0, end / 1000.0))
            last_pos = pos
        words[-1].end = end / 1000.0
        phones.append(Phone(ph, start / 1000.0, end / 1000.0, len(words) - 1))
    return words, phones


# --------------------------------------------------------------------------
# Small DSP helpers
# --------------------------------------------------------------------------


def upsample_2x(x: np.ndarray) -> np.ndarray:
    """Resample 22050 -> 44100 Hz with a Kaiser-windowed half-band sinc.

    Zero-stuffing keeps sample ``n`` at time ``n / sr`` (now index ``2n``), and a
    symmetric odd-length filter with ``mode="same"`` adds no delay, so espeak's
    millisecond event times stay valid after resampling.
    """
    taps = 95
    n = np.arange(taps) - (taps - 1) / 2
    h = np.sinc(n / 2.0) * np.kaiser(taps, 8.0)
    h *= 2.0 / h.sum()
    y = np.zeros(len(x) * 2, dtype=np.float64)
    y[::2] = x
    return np.convolve(y, h, mode="same")


def one_pole_lowpass(x: np.ndarray, cutoff_hz: float, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Gentle 6 dB/octave low-pass, applied in the frequency domain.

    Multiplying the spectrum by the one-pole response (with zero padding so the
    short impulse-response tail does not wrap around) avoids a slow per-sample
    Python loop and needs no scipy.
    """
    a = math.exp(-2.0 * math.pi * cutoff_hz / sr)
    pad = int(sr * 0.25)
    size = 1 << (len(x) + pad - 1).bit_length()
    w = 2.0 * np.pi * np.fft.rfftfreq(size)
    response = (1.0 - a) / (1.0 - a * np.exp(-1j * w))
    return np.fft.irfft(np.fft.rfft(x, size) * response, size)[: len(x)]


def midi_hz(note: int) -> float:
    """Equal-tempered frequency of a MIDI note number (A4 = 69 = 440 Hz)."""
    return float(440.0 * 2.0 ** ((note - 69) / 12.0))


def soft_saw(freq: float, t: np.ndarray, harmonics: int = 10, phase: float = 0.0) -> np.ndarray:
    """Band-limited saw with a steeper roll-off (1/n^1.4): warm rather than buzzy."""
    out = np.zeros_like(t)
    for k in range(1, harmonics + 1):
        if freq * k > SAMPLE_RATE * 0.45:
            break
        out += np.sin(2 * np.pi * freq * k * t + phase * k) / k**1.4
    return out


def add_at(dst: np.ndarray, src: np.ndarray, start: int) -> None:
    """Mix ``src`` into ``dst`` from sample ``start``, clipping at both ends."""
    if start < 0:
        src = src[-start:]
        start = 0
    end = min(len(dst), start + len(src))
    if end > start:
        dst[start:end] += src[: end - start]


# --------------------------------------------------------------------------
# The backing track
# --------------------------------------------------------------------------

#: Chords as MIDI notes (pad voicing), bass root, per bar.  I-V-vi-IV in C major.
CHORDS: dict[str, tuple[tuple[int, ...], int]] = {
    "C": ((60, 64, 67, 72), 36),
    "G": ((59, 62, 67, 71), 43),
    "Am": ((57, 60, 64, 69), 45),
    "F": ((57, 60, 65, 69), 41),
}
PROGRESSION = ("C", "G", "Am", "F")


@dataclass
class Arrangement:
    """Where things happen in the song (seconds)."""

    duration: float
    grid_origin: float  # time of a bar's first beat (the first sung downbeat)
    line_starts: list[float]
    break_span: tuple[float, float]
    final_hit: float  # last downbeat: groove stops, final chord rings

    def bar_chord(self, bar_start: float) -> str:
        """Chord of the bar starting at ``bar_start`` (the pickup uses the tonic)."""
        k = round((bar_start - self.grid_origin) / (BEAT * BEATS_PER_BAR))
        if k < 0 or bar_start >= self.final_hit - 1e-6:
            return "C"
        return PROGRESSION[k % len(PROGRESSION)]


def kick(sr: int = SAMPLE_RATE) -> np.ndarray:
    """Sine kick with a fast pitch drop and a tiny click for definition."""
    t = np.arange(int(0.35 * sr)) / sr
    freq = 48.0 + 110.0 * np.exp(-t / 0.035)
    phase = 2 * np.pi * np.cumsum(freq) / sr
    body = np.sin(phase) * np.exp(-t / 0.16)
    click = np.exp(-t / 0.002) * 0.3
    return body + click


def hat(rng: np.random.Generator, sr: int = SAMPLE_RATE, decay: float = 0.035) -> np.ndarray:
    """Closed hi-hat: high-passed noise with a short decay."""
    n = int(0.12 * sr)
    noise = rng.standard_normal(n)
    hp = np.diff(noise, prepend=0.0)
    hp = np.diff(hp, prepend=0.0) * 0.5
    t = np.arange(n) / sr
    return hp * np.exp(-t / decay) * 0.5


def clap(rng: np.random.Generator, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Soft snare/clap: band-ish noise with a short body tone."""
    n = int(0.25 * sr)
    t = np.arange(n) / sr
    noise = rng.standard_normal(n)
    band = np.diff(noise, prepend=0.0)
    band = one_pole_lowpass(band, 5000.0) * 2.0
    tone = np.sin(2 * np.pi * 190.0 * t) * np.exp(-t / 0.05) * 0.4
    return (band * np.exp(-t / 0.07) + tone) * 0.8


def pluck(freq: float, length: float, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Bell-ish pluck (sine + octave + soft fifth), exponential decay."""
    t = np.arange(int(length * sr)) / sr
    env = np.exp(-t / 0.25) * np.minimum(1.0, t / 0.004)
    return env * (
        np.sin(2 * np.pi * freq * t)
        + 0.35 * np.sin(2 * np.pi * 2 * freq * t)
        + 0.12 * np.sin(2 * np.pi * 3 * freq * t)
    )


def make_backing(arr: Arrangement, rng: np.random.Generator) -> np.ndarray:
    """Synthesize the stereo groove: kick, hats, clap, bass, pad, break arpeggio."""
    sr = SAMPLE_RATE
    n = round(arr.duration * sr)
    left = np.zeros(n)
    right = np.zeros(n)
    drums = np.zeros(n)
    hats_l = np.zeros(n)
    hats_r = np.zeros(n)
    bass = np.zeros(n)

    # Beat grid, extended backwards into the pickup before the first downbeat.
    first_beat = arr.grid_origin - BEAT * math.floor(arr.grid_origin / BEAT + 1e-9)
    beats = np.arange(first_beat, arr.duration, BEAT)
    k_sample = kick()
    for b in beats:
        if b > arr.final_hit + 1e-6:
            break
        beat_in_bar = round((b - arr.grid_origin) / BEAT) % BEATS_PER_BAR
        add_at(drums, k_sample * (1.0 if beat_in_bar == 0 else 0.85), round(b * sr))
        if b >= arr.final_hit - 1e-6:
            continue
        if beat_in_bar in (1, 3):
            add_at(drums, clap(rng) * 0.55, round(b * sr))
        off = b + BEAT / 2
        add_at(hats_r, hat(rng) * 0.55, round(off * sr))
        add_at(hats_l, hat(rng, decay=0.015) * 0.25, round(b * sr))

    # Bar-wise harmony: bass eighths and a soft pad with slow attack.
    bar_len = BEAT * BEATS_PER_BAR
    bar_starts = np.arange(arr.grid_origin - bar_len, arr.duration, bar_len)
    bass_pattern = (0, 0, 12, 0, 0, 7, 12, 0)  # semitones above the root, per eighth
    for bs in bar_starts:
        notes, root = CHORDS[arr.bar_chord(bs)]
        final = bs >= arr.final_hit - 1e-6
        seg_len = (arr.duration - bs) if final else bar_len
        # pad
        t = np.arange(int((seg_len + 0.6) * sr)) / sr
        env = np.minimum(1.0, t / 0.25) * np.clip((seg_len + 0.6 - t) / 0.6, 0.0, 1.0)
        if final:
            env *= np.exp(-t / 0.9)
        pad_l = np.zeros_like(t)
        pad_r = np.zeros_like(t)
        for note in notes:
            f = midi_hz(note)
            pad_l += soft_saw(f * 0.998, t, phase=0.3 * note)
            pad_r += soft_saw(f * 1.002, t, phase=0.7 * note)
        s0 = round(bs * sr)
        add_at(left, pad_l * env * 0.09, s0)
        add_at(right, pad_r * env * 0.09, s0)
        # bass
        for i, semis in enumerate(bass_pattern):
            if final and i > 0:
                break
            start = bs + i * BEAT / 2
            length = 1.2 if final else BEAT / 2
            tt = np.arange(int(length * sr)) / sr
            f = midi_hz(root + semis)
            benv = np.exp(-tt / (0.5 if final else 0.18)) * np.minimum(1.0, tt / 0.005)
            benv *= np.clip((length - tt) / 0.01, 0.0, 1.0)
            tone = np.sin(2 * np.pi * f * tt) + 0.3 * np.sin(4 * np.pi * f * tt)
            add_at(bass, np.tanh(1.5 * tone) * benv * 0.5, round(start * sr))

    # Break: a gentle up-and-down arpeggio so the rest still feels like music.
    arp_l = np.zeros(n)
    b0, b1 = arr.break_span
    step = BEAT / 2
    t_note = math.ceil((b0 + 0.15) / step) * step
    order = (0, 1, 2, 3, 2, 1)
    i = 0
    while t_note < b1 - step / 2:
        bar = bar_starts[np.searchsorted(bar_starts, t_note, "right") - 1]
        notes, _ = CHORDS[arr.bar_chord(bar)]
        plucked = pluck(midi_hz(notes[order[i % len(order)]] + 12), 0.9)
        add_at(arp_l, plucked * 0.16, round(t_note * sr))
        t_note += step
        i += 1

    bass = one_pole_lowpass(bass, 900.0)
    left += drums + bass + hats_l * 0.8 + hats_r * 0.4 + arp_l * 0.8
    right += drums + bass + hats_l * 0.4 + hats_r * 0.8 + arp_l * 0.45
    stereo = np.stack([left, right], axis=1)
    # Short fades so the file starts and ends without clicks.
    fade = np.minimum(1.0, np.arange(n) / (0.01 * sr))
    fade = np.minimum(fade, np.clip((n - 1 - np.arange(n)) / (0.3 * sr), 0.0, 1.0))
    return stereo * fade[:, None]


def simple_reverb(x: np.ndarray, rng: np.random.Generator, seconds: float = 1.1) -> np.ndarray:
    """Convolution with seeded decaying noise: a small room to glue the vocal in."""
    sr = SAMPLE_RATE
    t = np.arange(int(seconds * sr)) / sr
    ir = rng.standard_normal(len(t)) * np.exp(-t / (seconds / 6.9)) * np.minimum(1.0, t / 0.02)
    ir = one_pole_lowpass(ir, 4000.0)
    ir /= np.sqrt(np.sum(ir**2))
    m = len(x) + len(ir) - 1
    size = 1 << (m - 1).bit_length()
    wet = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(ir, size), size)[: len(x)]
    return wet


# --------------------------------------------------------------------------
# Vocal, arrangement and mix
# --------------------------------------------------------------------------


@dataclass
class SungLine:
    """One lyric line rendered by espeak, with its alignment (line-relative seconds)."""

    text: str
    audio: np.ndarray  # float mono at SAMPLE_RATE, espeak's t=0 at index 0
    words: list[Word]
    phones: list[Phone]


def sing_lines(espeak: ESpeak) -> list[SungLine]:
    """Render every lyric line separately so each can be placed on the beat grid."""
    lines = []
    for text, pitch, pitch_range in LYRICS:
        utt = espeak.synth(text, VOICE_RATE_WPM, pitch, pitch_range)
        if utt.sample_rate * 2 != SAMPLE_RATE:
            raise SystemExit(f"unexpected espeak sample rate {utt.sample_rate}")
        words, phones = utterance_to_alignment(utt)
        audio = upsample_2x(utt.audio.astype(np.float64) / 32768.0)
        lines.append(SungLine(text, audio, words, phones))
    return lines


def next_grid_time(t: float, origin: float, step: float) -> float:
    """First time ``origin + k * step`` (k integer) that is >= ``t``."""
    return origin + math.ceil((t - origin) / step - 1e-9) * step


def arrange(lines: list[SungLine]) -> Arrangement:
    """Place each line's first phone on the half-bar grid, leaving the planned rests.

    The first word lands on a downbeat at INTRO_SECONDS (so the song opens with
    a three-beat pickup), verse lines follow on the next half bar after a short
    breath, and the line after the break waits at least MIN_BREAK.
    """
    half_bar = BEAT * BEATS_PER_BAR / 2
    origin = INTRO_SECONDS
    starts: list[float] = []
    prev_end = 0.0
    break_span = (0.0, 0.0)
    for i, line in enumerate(lines):
        first, last = line.phones[0].start, line.phones[-1].end
        if i == 0:
            at = origin
        else:
            rest = MIN_BREAK if i == BREAK_BEFORE_LINE else MIN_LINE_GAP
            at = next_grid_time(prev_end + rest, origin, half_bar)
            if i == BREAK_BEFORE_LINE:
                break_span = (prev_end, at)
        starts.append(at - first)  # offset of the line's audio so its first phone is on the grid
        prev_end = at - first + last
    duration = next_grid_time(prev_end + MIN_OUTRO, origin, BEAT)
    final_hit = next_grid_time(prev_end, origin, BEAT * BEATS_PER_BAR)
    if final_hit > duration - BEAT:
        final_hit = next_grid_time(prev_end, origin, BEAT)
    return Arrangement(duration, origin, starts, break_span, final_hit)


def mix(lines: list[SungLine], arr: Arrangement) -> tuple[np.ndarray, np.ndarray]:
    """Return (stereo master, dry mono vocal stem), both at SAMPLE_RATE.

    The vocal is set VOCAL_OVER_BACKING_DB above the backing (RMS while singing)
    so the words stay intelligible, then the master is normalised to PEAK_DBFS.
    """
    rng = np.random.default_rng(SEED)
    n = round(arr.duration * SAMPLE_RATE)
    vocal = np.zeros(n)
    for line, offset in zip(lines, arr.line_starts, strict=True):
        add_at(vocal, line.audio, round(offset * SAMPLE_RATE))
    vocal /= np.max(np.abs(vocal))
    backing = make_backing(arr, rng)

    singing = np.abs(vocal) > 0.01
    voc_rms = float(np.sqrt(np.mean(vocal[singing] ** 2)))
    back_mono = backing.mean(axis=1)
    back_rms = float(np.sqrt(np.mean(back_mono[singing] ** 2)))
    backing *= voc_rms / back_rms * 10.0 ** (-VOCAL_OVER_BACKING_DB / 20.0)

    # A touch of high-pass on the vocal removes espeak's low rumble, then a
    # little reverb, mostly dry, panned slightly wide for space.
    vocal_hp = vocal - one_pole_lowpass(vocal, 120.0)
    wet = simple_reverb(vocal_hp, rng)
    wet_l = wet * 0.16
    wet_r = np.roll(wet, round(0.011 * SAMPLE_RATE)) * 0.16
    master = backing.copy()
    master[:, 0] += vocal_hp + wet_l
    master[:, 1] += vocal_hp + wet_r
    master *= 10.0 ** (PEAK_DBFS / 20.0) / np.max(np.abs(master))
    return master, vocal


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def _ogg_crc(data: bytes) -> int:
    """CRC-32 as Ogg defines it (poly 0x04C11DB7, no reflection, init 0)."""
    table = _OGG_CRC_TABLE
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ table[((crc >> 24) & 0xFF) ^ byte]
    return crc


def _make_ogg_crc_table() -> list[int]:
    """Precompute the 256-entry table for :func:`_ogg_crc`."""
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return table


_OGG_CRC_TABLE = _make_ogg_crc_table()


def fix_ogg_serial(data: bytes, serial: int = OGG_SERIAL) -> bytes:
    """Replace the random stream serial libsndfile writes and re-checksum each page.

    libsndfile seeds the Ogg serial number from the clock, which alone makes
    two runs differ; a constant serial makes the committed file reproducible.
    """
    out = bytearray(data)
    pos = 0
    while pos < len(out):
        if out[pos : pos + 4] != b"OggS":
            raise ValueError(f"not an Ogg page at byte {pos}")
        nseg = out[pos + 26]
        body = sum(out[pos + 27 : pos + 27 + nseg])
        page_len = 27 + nseg + body
        struct.pack_into("<I", out, pos + 14, serial)
        struct.pack_into("<I", out, pos + 22, 0)
        struct.pack_into("<I", out, pos + 22, _ogg_crc(bytes(out[pos : pos + page_len])))
        pos += page_len
    return bytes(out)


def write_ogg(path: Path, audio: np.ndarray) -> None:
    """Write Ogg Vorbis via soundfile (quality chosen to keep the file small)."""
    tmp = path.with_suffix(".tmp.ogg")
    sf.write(
        tmp,
        audio.astype(np.float32),
        SAMPLE_RATE,
        format="OGG",
        subtype="VORBIS",
        compression_level=0.55,
    )
    data = fix_ogg_serial(tmp.read_bytes())
    tmp.unlink()
    path.write_bytes(data)


def build_timeline(lines: list[SungLine], arr: Arrangement, transcript: str) -> dict[str, object]:
    """Shift every line's alignment into song time and build the v1 timeline dict."""
    words: list[dict[str, object]] = []
    phones: list[dict[str, object]] = []
    for line, offset in zip(lines, arr.line_starts, strict=True):
        base = len(words)
        for w in line.words:
            words.append(
                {
                    "word": w.word,
                    "start": round(offset + w.start, 3),
                    "end": round(offset + w.end, 3),
                    "aligned": True,
                }
            )
        for p in line.phones:
            phones.append(
                {
                    "phone": p.phone,
                    "start": round(offset + p.start, 3),
                    "end": round(offset + p.end, 3),
                    "word": base + p.word,
                }
            )
    return {
        "livesync_timeline": 1,
        "source": {"format": "espeak-ng", "file": "demo.ogg"},
        "duration": round(arr.duration, 3),
        "transcript": transcript,
        "words": words,
        "phones": phones,
    }


def timeline_json(doc: dict[str, object]) -> str:
    """Serialise with one word/phone per line: valid JSON that diffs nicely."""
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for j, item in enumerate(value):
                sep = "," if j < len(value) - 1 else ""
                lines.append(f"    {json.dumps(item, ensure_ascii=False)}{sep}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def validate_timeline(doc: dict[str, object]) -> None:
    """Check the invariants the app relies on; raise ValueError on the first break."""
    words = doc["words"]
    phones = doc["phones"]
    assert isinstance(words, list) and isinstance(phones, list)
    prev_end = 0.0
    for p in phones:
        if p["phone"] not in ARPABET:
            raise ValueError(f"not ARPAbet: {p}")
        if not (p["end"] >= p["start"] >= prev_end - 1e-9):
            raise ValueError(f"phones unsorted/overlapping at {p}")
        prev_end = p["end"]
        w = words[p["word"]]
        if not (w["start"] - 1e-9 <= p["start"] and p["end"] <= w["end"] + 1e-9):
            raise ValueError(f"phone {p} outside its word {w}")
    for i, w in enumerate(words):
        if not any(p["word"] == i for p in phones):
            raise ValueError(f"word without phones: {w}")
    if prev_end > float(doc["duration"]):  # type: ignore[arg-type]
        raise ValueError("phones run past the song end")


def write_png(path: Path, rgba: np.ndarray) -> None:
    """Minimal deterministic PNG writer (8-bit RGBA, filter 0, zlib level 9)."""
    h, w, c = rgba.shape
    if c != 4 or rgba.dtype != np.uint8:
        raise ValueError("expected uint8 RGBA")
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rgba.reshape(h, w * 4)], axis=1).tobytes()

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + tag
            + payload
            + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)


# --------------------------------------------------------------------------
# The character picture (signed distance fields, anti-aliased, flat colours)
# --------------------------------------------------------------------------

CHAR_SIZE = 768
#: Where the app draws the live mouth (normalised image coords, x right, y down).
MOUTH_CENTER = (0.5, 0.70)
MOUTH_WIDTH = 0.28


def _rgb(hex_colour: str) -> np.ndarray:
    """'#rrggbb' -> float RGB in 0..1."""
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4)])


class Canvas:
    """Straight-alpha RGBA float canvas in normalised coordinates (0..1 both axes).

    Shapes are signed distance fields in *normalised* units; coverage is a
    one-pixel ramp across the zero crossing, which anti-aliases every edge.
    """

    def __init__(self, size: int) -> None:
        """Create a transparent canvas and the pixel-centre coordinate grids."""
        self.size = size
        self.px = 1.0 / size
        c = (np.arange(size) + 0.5) / size
        self.x, self.y = np.meshgrid(c, c)
        self.rgb = np.zeros((size, size, 3))
        self.alpha = np.zeros((size, size))

    def coverage(self, d: np.ndarray, soft: float = 1.0) -> np.ndarray:
        """Pixel coverage of the region d < 0 (``soft`` widens the ramp in pixels)."""
        return np.clip(0.5 - d / (self.px * soft), 0.0, 1.0)

    def paint(self, d: np.ndarray, colour: str, opacity: float = 1.0, soft: float = 1.0) -> None:
        """Composite a flat colour over the canvas where d < 0 ("over" operator)."""
        a = self.coverage(d, soft) * opacity
        out_a = a + self.alpha * (1.0 - a)
        col = _rgb(colour)
        num = col[None, None, :] * a[..., None] + self.rgb * (self.alpha * (1.0 - a))[..., None]
        safe = np.where(out_a > 0, out_a, 1.0)
        self.rgb = num / safe[..., None]
        self.alpha = out_a

    def outlined(self, d: np.ndarray, fill: str, line: str, width: float) -> None:
        """Paint a shape with a cartoon outline of ``width`` (normalised units)."""
        self.paint(d - width, line)
        self.paint(d, fill)

    def to_uint8(self) -> np.ndarray:
        """Straight-alpha RGBA bytes, fully transparent pixels zeroed for a clean PNG."""
        rgba = np.concatenate([self.rgb, self.alpha[..., None]], axis=2)
        rgba[self.alpha <= 0] = 0.0
        return np.round(rgba.clip(0.0, 1.0) * 255.0).astype(np.uint8)


def sd_ellipse(
    x: np.ndarray, y: np.ndarray, cx: float, cy: float, rx: float, ry: float, angle: float = 0.0
) -> np.ndarray:
    """Approximate signed distance to an ellipse (first-order, exact on circles)."""
    dx, dy = x - cx, y - cy
    if angle:
        ca, sa = math.cos(angle), math.sin(angle)
        dx, dy = ca * dx + sa * dy, -sa * dx + ca * dy
    k0 = np.sqrt((dx / rx) ** 2 + (dy / ry) ** 2)
    k1 = np.sqrt((dx / rx**2) ** 2 + (dy / ry**2) ** 2)
    return k0 * (k0 - 1.0) / np.maximum(k1, 1e-9)


def sd_polyline(x: np.ndarray, y: np.ndarray, pts: list[tuple[float, float]]) -> np.ndarray:
    """Unsigned distance to a polyline (stroke it by subtracting half its width)."""
    d = np.full(x.shape, np.inf)
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        px, py = x - ax, y - ay
        ex, ey = bx - ax, by - ay
        t = np.clip((px * ex + py * ey) / (ex * ex + ey * ey), 0.0, 1.0)
        d = np.minimum(d, np.hypot(px - ex * t, py - ey * t))
    return d


def arc_points(
    cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 24
) -> list[tuple[float, float]]:
    """Points along an elliptical arc (angles in radians, y down)."""
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in np.linspace(a0, a1, n)]


def smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Smooth union of two distance fields (polynomial smooth minimum)."""
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    blended: np.ndarray = b * (1 - h) + a * h - k * h * (1 - h)
    return blended


def draw_character(size: int = CHAR_SIZE) -> np.ndarray:
    """Draw the friendly mouthless head; returns uint8 RGBA (size x size x 4)."""
    cv = Canvas(size)
    x, y = cv.x, cv.y
    ink = "#4a2e2a"
    skin, skin_shade = "#f7cba6", "#e9ad86"
    hair, hair_light = "#5b3a8c", "#7d5bb3"
    line_w = 0.0065

    # Neck, then the shirt over it with a round neckline: all behind the head.
    neck = np.maximum(np.abs(x - 0.5) - 0.072, np.abs(y - 0.86) - 0.07) - 0.012
    cv.outlined(neck, skin_shade, ink, line_w)
    # Shadow the face casts on the neck (the face is painted over its top).
    cv.paint(np.maximum(sd_ellipse(x, y, 0.5, 0.865, 0.14, 0.05), neck), "#d99a74")
    neckline = sd_ellipse(x, y, 0.5, 0.905, 0.092, 0.042)
    shirt = np.maximum(sd_ellipse(x, y, 0.5, 1.10, 0.36, 0.20), -neckline)
    cv.outlined(shirt, "#2fa39a", ink, line_w)
    cv.paint(np.maximum(np.abs(neckline) - 0.014, shirt), "#23807a")

    # A curl poking out of the top (drawn first so the hair hides its root),
    # back hair (behind head and ears), then ears.
    cv.outlined(sd_ellipse(x, y, 0.55, 0.10, 0.062, 0.026, angle=-0.55), hair, ink, line_w)
    cv.outlined(sd_ellipse(x, y, 0.465, 0.105, 0.045, 0.02, angle=0.6), hair, ink, line_w)
    back_hair = smin(
        sd_ellipse(x, y, 0.5, 0.42, 0.355, 0.31), sd_ellipse(x, y, 0.5, 0.58, 0.33, 0.14), 0.04
    )
    back_hair = np.maximum(back_hair, y - 0.66)
    cv.outlined(back_hair, hair, ink, line_w)
    for side in (-1, 1):
        ear = sd_ellipse(x, y, 0.5 + side * 0.295, 0.555, 0.048, 0.068)
        cv.outlined(ear, skin, ink, line_w)
        inner = sd_ellipse(x, y, 0.5 + side * 0.298, 0.56, 0.022, 0.036)
        cv.paint(inner, skin_shade)

    # Face: round top, soft wide jaw, and a flat-shaded crescent of shadow.
    face = smin(
        sd_ellipse(x, y, 0.5, 0.52, 0.295, 0.30), sd_ellipse(x, y, 0.5, 0.66, 0.255, 0.21), 0.05
    )
    cv.outlined(face, skin, ink, line_w)
    lit = smin(
        sd_ellipse(x, y, 0.485, 0.505, 0.295, 0.30),
        sd_ellipse(x, y, 0.485, 0.645, 0.255, 0.21),
        0.05,
    )
    cv.paint(np.maximum(face, -lit), skin_shade)

    # Fringe: the top of the back-hair shape cut by a scalloped, slightly
    # swept edge; its outline is only drawn where it meets the face.
    scallop = 0.026 * np.abs(np.sin((x - 0.29) * math.pi / 0.105))
    fringe_edge = 0.330 + scallop + 0.05 * (x - 0.5) + 0.25 * (x - 0.5) ** 2
    fringe = np.maximum(sd_ellipse(x, y, 0.5, 0.42, 0.355, 0.31), y - fringe_edge)
    cv.paint(np.maximum(fringe - line_w, face), ink)
    cv.paint(fringe, hair)
    for a0, a1 in ((1.22, 1.40), (1.48, 1.60)):
        shine = arc_points(0.5, 0.43, 0.265, 0.18, math.pi * a0, math.pi * a1)
        cv.paint(sd_polyline(x, y, shine) - 0.011, hair_light)

    # Eyes: white, iris, pupil, two highlights; eyebrows as thick arcs.
    for side in (-1, 1):
        ex = 0.5 + side * 0.112
        eye = sd_ellipse(x, y, ex, 0.505, 0.05, 0.062)
        cv.outlined(eye, "#ffffff", ink, line_w)
        iris = np.maximum(sd_ellipse(x, y, ex - side * 0.003, 0.515, 0.036, 0.043), eye)
        cv.paint(iris, "#3b7bd1")
        pupil = sd_ellipse(x, y, ex - side * 0.003, 0.518, 0.019, 0.023)
        cv.paint(pupil, "#1d1a33")
        cv.paint(sd_ellipse(x, y, ex - side * 0.003 + 0.013, 0.497, 0.012, 0.013), "#ffffff")
        cv.paint(sd_ellipse(x, y, ex - side * 0.003 - 0.012, 0.535, 0.006, 0.006), "#ffffff")
        brow = arc_points(ex, 0.445, 0.05, 0.028, math.pi * 1.18, math.pi * 1.82)
        cv.paint(sd_polyline(x, y, brow) - 0.0095, ink)

    # Nose: small rounded button with a highlight; cheeks: soft blush.
    nose = sd_ellipse(x, y, 0.5, 0.598, 0.026, 0.019)
    cv.paint(nose - 0.004, "#d8926c")
    cv.paint(nose, "#eea882")
    cv.paint(sd_ellipse(x, y, 0.492, 0.592, 0.008, 0.005), "#ffe3cf")
    for side in (-1, 1):
        cheek = sd_ellipse(x, y, 0.5 + side * 0.205, 0.635, 0.042, 0.026)
        cv.paint(cheek, "#f08a8a", opacity=0.55, soft=10.0)
    return cv.to_uint8()


def mouth_area_is_plain(rgba: np.ndarray) -> bool:
    """True when the live-mouth rectangle is uniform opaque skin (nothing drawn on it)."""
    s = rgba.shape[0]
    cx, cy = MOUTH_CENTER
    half_w = MOUTH_WIDTH / 2
    box = rgba[
        round((cy - 0.06) * s) : round((cy + 0.08) * s),
        round((cx - half_w) * s) : round((cx + half_w) * s),
    ]
    opaque = bool(np.all(box[..., 3] == 255))
    return opaque and int(np.ptp(box[..., :3].reshape(-1, 3), axis=0).max()) == 0


# --------------------------------------------------------------------------
# Checks and command line
# --------------------------------------------------------------------------


def check_phones_are_voiced(doc: dict[str, object], vocal: np.ndarray) -> tuple[float, float]:
    """Verify the timeline against the dry vocal stem (peak-normalised).

    Two checks catch wrong event times (a bad struct layout or offset): every
    phone window must be far (>= 20 dB) above the vocal's silence, i.e. the RMS
    of everything outside the phones, and no 10 ms frame well away (> 25 ms)
    from any phone may be loud.  Returns (quietest phone above the silence in
    dB, loudest out-of-phone frame in dBFS).
    """
    sr = SAMPLE_RATE
    phones = doc["phones"]
    assert isinstance(phones, list)
    spans = [(round(p["start"] * sr), round(p["end"] * sr)) for p in phones]
    inside = np.zeros(len(vocal), dtype=bool)
    for a, b in spans:
        inside[a:b] = True
    silence_rms = max(float(np.sqrt(np.mean(vocal[~inside] ** 2))), 1e-6)
    worst = math.inf
    for p, (a, b) in zip(phones, spans, strict=True):
        seg = vocal[a : max(b, a + 1)]
        ratio = 20 * math.log10(max(float(np.sqrt(np.mean(seg**2))), 1e-9) / silence_rms)
        worst = min(worst, ratio)
        if ratio < 20.0:
            raise ValueError(f"phone {p} is only {ratio:.1f} dB above the vocal's silence")
    margin = round(0.025 * sr)
    near = np.zeros(len(vocal), dtype=bool)
    for a, b in spans:
        near[max(0, a - margin) : b + margin] = True
    frame = round(0.010 * sr)
    loudest = -math.inf
    for start in range(0, len(vocal) - frame, frame):
        if not near[start : start + frame].any():
            rms = float(np.sqrt(np.mean(vocal[start : start + frame] ** 2)))
            loudest = max(loudest, 20 * math.log10(max(rms, 1e-9)))
    if loudest > -40.0:
        raise ValueError(f"vocal is loud ({loudest:.1f} dBFS) away from every phone")
    return worst, loudest


def print_summary(doc: dict[str, object], arr: Arrangement, checks: tuple[float, float]) -> None:
    """Human-readable summary: layout of the song, words and phones per line."""
    words = doc["words"]
    phones = doc["phones"]
    assert isinstance(words, list) and isinstance(phones, list)
    print(
        f"duration {doc['duration']:.3f} s, {len(words)} words, {len(phones)} phones, "
        f"{BPM:g} BPM, first word at {words[0]['start']:.3f} s"
    )
    print(
        f"instrumental break {arr.break_span[0]:.3f}-{arr.break_span[1]:.3f} s "
        f"({arr.break_span[1] - arr.break_span[0]:.2f} s), outro "
        f"{arr.duration - phones[-1]['end']:.2f} s"
    )
    for i, w in enumerate(words):
        ph = " ".join(p["phone"] for p in phones if p["word"] == i)
        print(f"  {w['start']:7.3f} {w['end']:7.3f}  {w['word']:<8} {ph}")
    print(
        f"quietest phone is {checks[0]:.1f} dB above the vocal's silence; loudest vocal "
        f"frame away from phones: {checks[1]:.1f} dBFS"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out-dir",
        type=Path,
        default=here / "configs" / "demo",
        help="where to write demo.ogg, demo.timeline.json, character.png",
    )
    ap.add_argument("--force", action="store_true", help="overwrite existing outputs")
    ap.add_argument(
        "--vocal-stem",
        type=Path,
        default=None,
        help="also write the dry vocal (mono WAV) here, for inspection",
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build all three assets, verify them, and print a summary."""
    args = parse_args(argv)
    out: Path = args.out_dir
    targets = {name: out / name for name in ("demo.ogg", "demo.timeline.json", "character.png")}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not args.force:
        print(
            "refusing to overwrite (use --force): " + ", ".join(map(str, existing)), file=sys.stderr
        )
        return 1
    out.mkdir(parents=True, exist_ok=True)

    espeak = ESpeak(VOICE)
    lines = sing_lines(espeak)
    arr = arrange(lines)
    master, vocal = mix(lines, arr)
    transcript = " ".join(text for text, _, _ in LYRICS)
    doc = build_timeline(lines, arr, transcript)
    validate_timeline(doc)
    checks = check_phones_are_voiced(doc, vocal)

    picture = draw_character()
    if not mouth_area_is_plain(picture):
        raise SystemExit("character.png: the live-mouth area is not plain skin")

    write_ogg(targets["demo.ogg"], master)
    targets["demo.timeline.json"].write_text(timeline_json(doc), encoding="utf-8")
    write_png(targets["character.png"], picture)
    if args.vocal_stem is not None:
        sf.write(args.vocal_stem, vocal.astype(np.float32), SAMPLE_RATE)

    decoded, sr = sf.read(targets["demo.ogg"], dtype="float32")
    print_summary(doc, arr, checks)
    for path in targets.values():
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    print(
        f"decoded ogg: {len(decoded) / sr:.3f} s, {decoded.shape[1]} ch, {sr} Hz, "
        f"peak {20 * math.log10(float(np.max(np.abs(decoded)))):.2f} dBFS"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
