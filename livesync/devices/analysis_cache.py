"""Edge: keeps a track's analysis in a file next to it, so a show loads it instead of redoing it.

The cache is `<audio file name>.livesync-analysis.npz` in the audio file's folder (for
`song.flac`: `song.flac.livesync-analysis.npz`). It is valid while the audio file's size and
modification time and livesync.audio.analyser.ANALYSIS_VERSION are those it was written with. The
cache is only ever a speed-up: a folder that cannot be written, a cache that cannot be read
or is stale, corrupt or of another version, all fall back to analysing the samples (logged
at debug level), never to an error. Only the cache file itself is ever replaced (written to a
new temporary file beside it, then renamed over it).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt

from livesync.audio.analyser import ANALYSIS_VERSION, analyse, waveform_of
from livesync.audio.analysis import Analysis
from livesync.devices.files import staged
from livesync.errors import InputError

__all__ = ["ANALYSIS_VERSION", "CACHE_SUFFIX", "cache_path", "load_or_analyse"]

log = logging.getLogger("livesync")

CACHE_SUFFIX = ".livesync-analysis.npz"
_KEY = "cache_key"


def cache_path(audio_path: Path) -> Path:
    """Where the analysis of `audio_path` is cached."""
    return audio_path.with_name(audio_path.name + CACHE_SUFFIX)


def _key(
    audio_path: Path, samples: npt.NDArray[np.floating], samplerate: int
) -> npt.NDArray[np.int64]:
    stat = audio_path.stat()
    return np.array(
        [ANALYSIS_VERSION, stat.st_size, stat.st_mtime_ns, samplerate, len(samples)], dtype=np.int64
    )


def load_or_analyse(
    audio_path: Path, samples: npt.NDArray[np.floating], samplerate: int
) -> Analysis:
    """The analysis of `samples` (decoded from `audio_path`): from the cache when it is
    valid, otherwise computed with livesync.audio.analyser.analyse and cached (best effort)."""
    audio_path = Path(audio_path)
    path = cache_path(audio_path)
    try:
        key = _key(audio_path, samples, samplerate)
    except OSError as exc:
        log.debug("analysis cache: cannot stat %s (%s); analysing", audio_path, exc)
        return analyse(samples, samplerate)
    cached = _read(path, key, samples)
    if cached is not None:
        log.debug("analysis cache: loaded %s", path)
        return cached
    analysis = analyse(samples, samplerate)
    _write(path, key, analysis)
    return analysis


def _read(
    path: Path, key: npt.NDArray[np.int64], samples: npt.NDArray[np.floating]
) -> Analysis | None:
    if not path.is_file():
        log.debug("analysis cache: no %s", path)
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        stored = arrays.pop(_KEY, None)
        if stored is None or not np.array_equal(stored, key):
            log.debug("analysis cache: %s is stale (audio file or version changed)", path)
            return None
        return Analysis.from_arrays(arrays, waveform_of(samples))
    except Exception as exc:  # a corrupt cache of any kind must never stop a show
        log.debug("analysis cache: cannot read %s (%s); analysing", path, exc)
        return None


def _write(path: Path, key: npt.NDArray[np.int64], analysis: Analysis) -> None:
    """All or nothing, through the one safe writer; any failure (a read-only folder, a full
    disk) only costs the cache, which is optional."""
    arrays = analysis.to_arrays()
    arrays[_KEY] = key
    try:
        with staged(path, ".npz") as temp:
            np.savez(temp, **arrays)  # type: ignore[arg-type]
        log.debug("analysis cache: wrote %s", path)
    except (InputError, OSError, ValueError) as exc:
        log.debug("analysis cache: cannot write %s (%s)", path, exc)
