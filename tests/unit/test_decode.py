"""Decoding refuses audio that is not numbers: a float WAV can hold NaN or infinity, which
poisoned the analysis and failed a render with a long message naming the video instead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from livesync.audio.decode import decode
from livesync.errors import InputError


def test_a_float_wav_with_nan_samples_is_one_line_naming_it(tmp_path: Path) -> None:
    samples = np.zeros((8000, 2), np.float32)
    samples[100, 0] = np.nan
    samples[200:203, 1] = np.inf
    path = tmp_path / "broken.wav"
    soundfile.write(str(path), samples, 8000, subtype="FLOAT")
    with pytest.raises(InputError) as info:
        decode(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert "4 of its samples are not numbers" in message


def test_a_clean_float_wav_decodes(tmp_path: Path) -> None:
    samples = np.full((800, 1), 0.25, np.float32)
    path = tmp_path / "fine.wav"
    soundfile.write(str(path), samples, 8000, subtype="FLOAT")
    audio = decode(path)
    assert audio.samplerate == 8000 and np.allclose(audio.samples, 0.25)
