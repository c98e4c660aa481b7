"""Edge: keeps a track's analysis in a file next to it, so a show loads it instead of redoing it.

The cache is `<audio file name>.livesync-analysis.npz` in the audio file's folder (for
`song.flac`: `song.flac.livesync-analysis.npz`). It is valid while the audio file's size and
modification time, CACHE_FORMAT and livesync.audio.analyser.ANALYSIS_VERSION are those it was
written with. The cache is only ever a speed-up: a folder that cannot be written, a cache that
cannot be read or is stale, corrupt or of another version, all fall back to analysing the
samples (logged at debug level), never to an error. Only the cache file itself is ever
replaced (written to a new temporary file beside it, then renamed over it).

Size: what the renderer reads and nothing more. The four envelopes (float32 per 10 ms hop,
94 KB a minute), the onset times, and the spectrum rows of the audio texture at the 60 Hz the
analyser runs at (1.8 MB a minute raw), stored as each row's difference from the row before,
deflated (zlib level 1): under the analyser's smoothing rows change little from one to the
next. The waveform is not stored: it is read from the audio when drawn. Measured on
benchmarks/long_audio.py's song (a band and a voice): 0.86 MB a minute of audio, 3.4 MB for
4 minutes, 309 MB for 6 hours; format 1 stored a raw row per 10 ms hop, 3.2 MB a minute
(12.7 MB for 4 minutes, about 1.1 GB for 6 hours). Noisier music deflates a little less,
quieter music more; at worst (rows that do not deflate at all) about 1.95 MB a minute. In
memory the loaded analysis holds the rows raw (1.8 MB a minute) and the envelopes twice
(numpy and array('f'), 0.2 MB a minute).

Analysing a file (`load_or_analyse(path)` without samples) decodes it block by block
(livesync.audio.decode.blocks) into a streaming livesync.audio.analyser.Analyser, so memory
stays bounded by the analysis itself, however long the track.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from livesync.audio.analyser import ANALYSIS_VERSION, Analyser, SamplesWaveform, analyse
from livesync.audio.analysis import TEXTURE_WIDTH, Analysis, ByteArray
from livesync.audio.decode import audio_info, blocks
from livesync.devices.files import staged
from livesync.errors import InputError

__all__ = [
    "ANALYSIS_VERSION",
    "CACHE_FORMAT",
    "CACHE_SUFFIX",
    "analyse_file",
    "cache_path",
    "load_or_analyse",
]

log = logging.getLogger("livesync")

CACHE_SUFFIX = ".livesync-analysis.npz"
# 2: spectrum rows at 60 Hz, delta-coded and deflated; the samples' length and rate stored
# (format 1: a raw uint8 row per 10 ms hop).
CACHE_FORMAT = 2
_KEY = "cache_key"
_ROWS_PER_PIECE = 4096  # spectrum rows (de)compressed at a time: 2 MB, bounded memory
_LEVEL = 1  # zlib: level 6 gains ~10 % more for 10x the time


def cache_path(audio_path: Path) -> Path:
    """Where the analysis of `audio_path` is cached."""
    return audio_path.with_name(audio_path.name + CACHE_SUFFIX)


def _key(audio_path: Path) -> npt.NDArray[np.int64]:
    stat = audio_path.stat()
    return np.array(
        [CACHE_FORMAT, ANALYSIS_VERSION, stat.st_size, stat.st_mtime_ns], dtype=np.int64
    )


def load_or_analyse(
    audio_path: Path,
    samples: npt.NDArray[np.floating] | None = None,
    samplerate: int | None = None,
) -> Analysis:
    """The analysis of the audio file at `audio_path`: from the cache when it is valid,
    otherwise computed and cached (best effort).

    With `samples` and `samplerate` (the track already decoded from that file) they are
    analysed (livesync.audio.analyser.analyse) and the waveform row reads from them. Without,
    the file is decoded and analysed block by block, and the Analysis has no waveform of its
    own: give it a reader (livesync.audio.decode.FileWaveform) to draw one. InputError only
    when the file itself must be analysed and cannot be read.
    """
    audio_path = Path(audio_path)
    path = cache_path(audio_path)
    try:
        key = _key(audio_path)
    except OSError as exc:
        log.debug("analysis cache: cannot stat %s (%s); analysing", audio_path, exc)
        return _analyse(audio_path, samples, samplerate)
    cached = _read(path, key)
    if cached is not None and samples is not None:
        if (cached.frames, cached.samplerate) == (len(samples), samplerate):
            log.debug("analysis cache: loaded %s", path)
            return replace(cached, wave_reader=SamplesWaveform(samples))
        log.debug("analysis cache: %s is of other samples", path)
    elif cached is not None:
        log.debug("analysis cache: loaded %s", path)
        return cached
    analysis = _analyse(audio_path, samples, samplerate)
    _write(path, key, analysis)
    return analysis


def _analyse(
    audio_path: Path, samples: npt.NDArray[np.floating] | None, samplerate: int | None
) -> Analysis:
    if samples is not None:
        if samplerate is None:
            raise ValueError("decoded samples need their samplerate")
        return analyse(samples, samplerate)
    return analyse_file(audio_path)


def analyse_file(audio_path: Path) -> Analysis:
    """The analysis of an audio file decoded block by block: memory for the tables and one
    block, never the track (no waveform row of its own). InputError if it cannot be read."""
    info = audio_info(audio_path)
    analyser = Analyser(info.samplerate, info.frames)
    for block in blocks(audio_path):
        analyser.feed(block)
    return analyser.finish()


def _read(path: Path, key: npt.NDArray[np.int64]) -> Analysis | None:
    if not path.is_file():
        log.debug("analysis cache: no %s", path)
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            stored = data[_KEY] if _KEY in data.files else None
            if stored is None or not np.array_equal(stored, key):
                log.debug("analysis cache: %s is stale (audio file or version changed)", path)
                return None
            arrays = {name: data[name] for name in data.files if name != "spectrum"}
            # inflated straight from the file: the deflated rows are never all in memory
            with data.zip.open("spectrum.npy") as member:
                arrays["spectrum"] = _unpack(_npy_chunks(member), int(arrays["spectrum_rows"]))
        del arrays[_KEY], arrays["spectrum_rows"]
        analysis = Analysis.from_arrays(arrays, np.zeros(0, dtype=np.int16))
        _check_lengths(analysis)
        return analysis
    except Exception as exc:  # a corrupt cache of any kind must never stop a show
        log.debug("analysis cache: cannot read %s (%s); analysing", path, exc)
        return None


def _check_lengths(analysis: Analysis) -> None:
    """ValueError unless the tables are as long as the samples they were made from."""
    hop_frames = round(analysis.hop * analysis.samplerate)
    row_frames = round(analysis.spectrum_hop * analysis.samplerate)
    frames = analysis.frames
    if (
        frames <= 0
        or hop_frames <= 0
        or row_frames <= 0
        or len(analysis.level) != max(1, -(-frames // hop_frames))
        or len(analysis.spectrum) != max(1, -(-frames // row_frames))
    ):
        raise ValueError("tables of the wrong length")


def _write(path: Path, key: npt.NDArray[np.int64], analysis: Analysis) -> None:
    """All or nothing, through the one safe writer; any failure (a read-only folder, a full
    disk) only costs the cache, which is optional."""
    arrays = analysis.to_arrays()
    arrays["spectrum"] = _pack(analysis.spectrum)
    arrays["spectrum_rows"] = np.array(len(analysis.spectrum), dtype=np.int64)
    arrays[_KEY] = key
    try:
        with staged(path, ".npz") as temp:
            np.savez(temp, **arrays)  # type: ignore[arg-type]
        log.debug("analysis cache: wrote %s", path)
    except (InputError, OSError, ValueError) as exc:
        log.debug("analysis cache: cannot write %s (%s)", path, exc)


def _pack(rows: ByteArray) -> ByteArray:
    """Spectrum rows as deflated differences from the row before (uint8, wrapping), a piece
    at a time so no second full-size copy is made."""
    packer = zlib.compressobj(_LEVEL)
    out = bytearray()  # grows in place: no list of pieces joined into a second copy
    previous = np.zeros((1, TEXTURE_WIDTH), dtype=np.uint8)
    for r0 in range(0, len(rows), _ROWS_PER_PIECE):
        piece = rows[r0 : r0 + _ROWS_PER_PIECE]
        out += packer.compress(np.diff(piece, axis=0, prepend=previous).tobytes())
        previous = piece[-1:]
    out += packer.flush()
    packed: ByteArray = np.frombuffer(out, dtype=np.uint8)
    return packed


def _unpack(chunks: Iterable[bytes], n_rows: int) -> ByteArray:
    """Inverse of `_pack`, from the deflated bytes in pieces; ValueError unless they hold
    exactly `n_rows` rows (it never inflates more than that: a damaged or hostile file cannot
    blow up memory)."""
    if n_rows < 0:
        raise ValueError("malformed spectrum")
    flat = np.empty(n_rows * TEXTURE_WIDTH, dtype=np.uint8)
    filled = 0
    unpacker = zlib.decompressobj()
    for chunk in chunks:
        out = unpacker.decompress(chunk, flat.size - filled + 1)
        if filled + len(out) > flat.size:
            raise ValueError("spectrum longer than its rows")
        flat[filled : filled + len(out)] = np.frombuffer(out, dtype=np.uint8)
        filled += len(out)
    if not unpacker.eof or unpacker.unused_data or filled != flat.size:
        raise ValueError("spectrum shorter than its rows, or damaged")
    rows = flat.reshape(n_rows, TEXTURE_WIDTH)
    previous = np.zeros(TEXTURE_WIDTH, dtype=np.uint8)
    for r0 in range(0, n_rows, _ROWS_PER_PIECE):  # the differences summed back, in place
        piece = rows[r0 : r0 + _ROWS_PER_PIECE]
        np.cumsum(piece, axis=0, dtype=np.uint8, out=piece)
        piece += previous
        previous = piece[-1].copy()
    return rows


def _npy_chunks(member: IO[bytes]) -> Iterator[bytes]:
    """The data of a 1-D uint8 .npy stream (`_pack`'s output as np.savez wrote it), a MiB at
    a time; ValueError for anything else."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise ValueError(f"unknown .npy version {version}")
    if dtype != np.uint8 or len(shape) != 1:
        raise ValueError(f"malformed spectrum: {dtype} {shape}")
    left = shape[0]
    while left > 0:
        chunk = member.read(min(left, 1 << 20))
        if not chunk:
            raise ValueError("spectrum cut short")
        left -= len(chunk)
        yield chunk


def _array_chunks(packed: npt.NDArray[np.generic]) -> Iterator[bytes]:
    """A 1-D uint8 array's bytes a MiB at a time (tests and tools unpack arrays)."""
    if packed.dtype != np.uint8 or packed.ndim != 1:
        raise ValueError("malformed spectrum")
    data = np.ascontiguousarray(packed).tobytes()
    step = 1 << 20
    for i in range(0, len(data), step):
        yield data[i : i + step]
