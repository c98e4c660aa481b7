"""Decoding audio files (soundfile) and converting their rate (soxr), to float32 frames.

soundfile decodes MP3 through libmpg123, which honours the encoder delay (gapless info), so
sample 0 is the first sample the artist made: times in timelines stay absolute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile
import soxr

from livesync.errors import InputError, check_user_file


@dataclass(frozen=True)
class Audio:
    samples: npt.NDArray[np.float32]  # (frames, channels)
    samplerate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.samplerate


def decode(path: Path) -> Audio:
    """WAV, FLAC, OGG or MP3 to float32 frames; InputError for a missing or unreadable file."""
    check_user_file(path, "audio file")  # a FIFO or a device would block or never end
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise InputError(path, f"cannot decode audio ({exc})") from None
    if len(data) == 0:
        raise InputError(path, "the audio file has no samples")
    broken = int(np.count_nonzero(~np.isfinite(data)))
    if broken:  # a float file can hold NaN: it would poison the analysis and the mix
        raise InputError(
            path,
            f"{broken} of its samples are not numbers (NaN or infinite); "
            f"re-export the audio from your DAW",
        )
    return Audio(np.ascontiguousarray(data), int(rate))


def resample(audio: Audio, rate: int) -> Audio:
    """High-quality sample-rate conversion (libsoxr), keeping time zero at sample zero."""
    data = soxr.resample(audio.samples, audio.samplerate, rate, quality="HQ")
    return Audio(np.ascontiguousarray(data, dtype=np.float32), rate)
