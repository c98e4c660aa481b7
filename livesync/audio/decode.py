"""Decoding audio files (soundfile) and converting their rate (soxr), to float32 frames.

soundfile decodes MP3 through libmpg123, which honours the encoder delay (gapless info), so
sample 0 is the first sample the artist made: times in timelines stay absolute.

A track is either decoded whole (`decode`: for playing it) or read a block at a time
(`blocks`, `FileWaveform`): a 6-hour WAV is 8 GB as float32, so what only analyses it or
draws its waveform row never holds it whole. `audio_info` reads the length from the header.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile
import soxr

from livesync.audio.analyser import waveform_of
from livesync.audio.analysis import Int16Array
from livesync.errors import InputError, check_user_file
from livesync.quiet import c_library_output

log = logging.getLogger("livesync")

BLOCK_FRAMES = 1 << 16  # samples per block read by `blocks`: 0.5 MB of stereo float32
_DECODE_ERRORS = (soundfile.LibsndfileError, RuntimeError, OSError)
_DECODERS = "audio decoding (libsndfile, libmpg123)"


def _why(exc: Exception) -> str:
    """libsndfile's reason, in words that fit a file that exists (it says "File does not
    exist or is not a regular file" for any file it cannot recognise)."""
    text = " ".join(str(exc).split())
    if "does not exist or is not a regular file" in text or "unknown format" in text.lower():
        return "not an audio file livesync can read: WAV, FLAC, OGG or MP3"
    if "Unspecified internal error" in text:
        return "the file is damaged: the decoder gave up on it"
    return text


@dataclass(frozen=True)
class Audio:
    samples: npt.NDArray[np.float32]  # (frames, channels)
    samplerate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.samplerate


@dataclass(frozen=True)
class AudioInfo:
    """What a file's header says: enough for a duration without decoding anything."""

    frames: int
    samplerate: int
    channels: int
    format: str = ""  # libsndfile's major format: WAV, FLAC, OGG, MP3...

    @property
    def duration(self) -> float:
        return self.frames / self.samplerate


def decode(path: Path) -> Audio:
    """WAV, FLAC, OGG or MP3 to float32 frames; InputError for a missing or unreadable file."""
    check_user_file(path, "audio file")  # a FIFO or a device would block or never end
    try:
        with c_library_output(_DECODERS):  # libmpg123 talks about every damaged frame
            data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except _DECODE_ERRORS as exc:
        raise InputError(path, f"cannot decode audio ({_why(exc)})") from None
    if len(data) == 0:
        raise InputError(path, "the audio file has no samples")
    broken = int(np.count_nonzero(~np.isfinite(data)))
    if broken:  # a float file can hold NaN: it would poison the analysis and the mix
        raise _not_numbers(path, broken)
    return Audio(np.ascontiguousarray(data), int(rate))


def audio_info(path: Path) -> AudioInfo:
    """The length, rate and channels from the file's header (libmpg123 gives an MP3's exact
    gapless length too); InputError for a missing, unreadable or empty file."""
    check_user_file(path, "audio file")
    try:
        with c_library_output(_DECODERS):
            info = soundfile.info(str(path))
    except _DECODE_ERRORS as exc:
        raise InputError(path, f"cannot decode audio ({_why(exc)})") from None
    if info.frames <= 0 or info.samplerate <= 0:
        raise InputError(path, "the audio file has no samples")
    return AudioInfo(int(info.frames), int(info.samplerate), int(info.channels), str(info.format))


def blocks(path: Path, frames: int = BLOCK_FRAMES) -> Iterator[npt.NDArray[np.float32]]:
    """The file's samples in order as float32 (frames, channels) blocks of `frames` (the last
    shorter), with the same errors as `decode`: a file with samples that are not numbers
    raises (after counting them to the end, for the same message) instead of yielding them."""
    check_user_file(path, "audio file")
    total = broken = 0
    try:
        with c_library_output(_DECODERS):
            f = soundfile.SoundFile(str(path))
        with f:
            while True:
                with c_library_output(_DECODERS):  # around the C call only: not the yield
                    data = _read_forward(f, frames)
                if len(data) == 0:
                    break
                total += len(data)
                bad = int(np.count_nonzero(~np.isfinite(data)))
                broken += bad
                if not broken:
                    yield data
    except _DECODE_ERRORS as exc:
        raise InputError(path, f"cannot decode audio ({_why(exc)})") from None
    if broken:
        raise _not_numbers(path, broken)
    if total == 0:
        raise InputError(path, "the audio file has no samples")


class FileWaveform:
    """`WaveformReader` that reads the texture's waveform row from the audio file itself.

    For `snapshot` and `render`, which must not hold the track: a frame needs 512 samples, so
    READ_FRAMES are read at a time and only that block is kept. A render walks forward
    through the song, so the file is read forward, each sample about once, and seeks only to
    jump (a snapshot's one time, a jump back). Seeking is sample-exact in PCM files, FLAC and
    MP3 only; libsndfile's Ogg seeks land elsewhere, so there a jump forward is read through
    and a jump back reads again from the start. libmpg123 complains on the terminal after an
    MP3 seek (its bit reservoir restarts; the samples are still exact), so MP3 jumps of up to
    MP3_READ_THROUGH_SECONDS are read through and longer ones seek with that output kept to
    the debug log. Reading happens on the drawing thread, one thread at a time. A file that
    fails to read mid-way (changed on disk) draws a silent waveform, with one warning, rather
    than stopping the picture.
    """

    READ_FRAMES = 1 << 15
    MP3_READ_THROUGH_SECONDS = 10.0
    EXACT_SEEK = frozenset({"WAV", "WAVEX", "W64", "RF64", "AIFF", "CAF", "AU", "FLAC", "MP3"})

    def __init__(self, path: Path) -> None:
        info = audio_info(path)
        self._path = path
        self._frames = info.frames
        self._exact_seek = info.format in self.EXACT_SEEK
        mp3 = info.format == "MP3"
        self._read_through = round(self.MP3_READ_THROUGH_SECONDS * info.samplerate) if mp3 else 0
        self._file: soundfile.SoundFile | None = None
        self._position = 0  # the file's next sample
        self._start = 0  # self._block holds samples _start .. _position - 1
        self._block: Int16Array = np.zeros(0, dtype=np.int16)
        self._failed = False

    @property
    def frames(self) -> int:
        """Length of the signal in samples, from the header."""
        return self._frames

    def read(self, start: int, stop: int) -> Int16Array:
        """Samples start..stop-1 as `analyser.waveform_of` makes them."""
        offset = start - self._start
        if offset < 0 or stop - self._start > len(self._block):
            self._load(start, max(stop - start, self.READ_FRAMES))
            offset = start - self._start
        got = self._block[offset : offset + stop - start]
        if len(got) < stop - start:  # a file shorter than its header said, or unreadable
            got = np.concatenate([got, np.zeros(stop - start - len(got), dtype=np.int16)])
        return got

    def close(self) -> None:
        """Let go of the file (reading again reopens it)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _load(self, start: int, count: int) -> None:
        """Make the block hold samples start .. start + count - 1 (or up to the end)."""
        empty = np.zeros(0, dtype=np.int16)
        if self._failed:
            self._start, self._block = start, empty
            return
        try:
            kept = self._block[start - self._start :] if self._file is not None else empty
            sought = False
            if self._file is None or not self._start <= start <= self._position:
                kept = empty
                sought = self._move_to(start)
            # libmpg123 complains while decoding the first frames after a seek
            with c_library_output("libsndfile") if sought else nullcontext():
                data = _read_forward(self._open(), count - len(kept))
        except _DECODE_ERRORS as exc:
            log.warning(
                "%s: cannot read the waveform any more (%s); drawing it silent", self._path, exc
            )
            self._failed = True
            self.close()
            self._start, self._block = start, empty
            return
        fresh = waveform_of(np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0))
        self._start, self._block = start, np.concatenate([kept, fresh])
        self._position = start + len(self._block)

    def _open(self) -> soundfile.SoundFile:
        if self._file is None:
            self._file = soundfile.SoundFile(str(self._path))
            self._position = 0
        return self._file

    def _move_to(self, start: int) -> bool:
        """Position the file at sample `start`, by the cheapest exact way; True if it
        sought."""
        f = self._open()
        if start < self._position and not self._exact_seek:
            self.close()  # read again from the start
            f = self._open()
        jump = start - self._position
        if jump > 0 and (not self._exact_seek or jump <= self._read_through):
            while self._position < start:
                skipped = len(_read_forward(f, min(start - self._position, 1 << 16)))
                if skipped == 0:
                    break
                self._position += skipped
        elif jump != 0:
            with c_library_output("libsndfile"):
                f.seek(start)
            self._position = start
            return True
        return False


def _read_forward(f: soundfile.SoundFile, frames: int) -> npt.NDArray[np.float32]:
    """Up to `frames` more samples from where `f` is, as float32 (frames, channels).

    Straight through libsndfile, because SoundFile.read asks for the position before every
    read and seeks after it, and on an MP3 each such seek restarts libmpg123's bit reservoir:
    it prints a line per MP3 frame on the terminal, and the samples differ in the last bit
    from a straight read."""
    out = np.empty((frames, f.channels), dtype=np.float32)
    pointer = soundfile._ffi.cast("float *", out.ctypes.data)
    got = int(soundfile._snd.sf_readf_float(f._file, pointer, frames))
    code = int(soundfile._snd.sf_error(f._file))
    if code:
        raise soundfile.LibsndfileError(code, "Error reading the file: ")
    return out[:got]


def _not_numbers(path: Path, broken: int) -> InputError:
    return InputError(
        path,
        f"{broken} of its samples are not numbers (NaN or infinite); "
        f"re-export the audio from your DAW",
    )


def resample(audio: Audio, rate: int) -> Audio:
    """High-quality sample-rate conversion (libsoxr), keeping time zero at sample zero."""
    data = soxr.resample(audio.samples, audio.samplerate, rate, quality="HQ")
    return Audio(np.ascontiguousarray(data, dtype=np.float32), rate)
