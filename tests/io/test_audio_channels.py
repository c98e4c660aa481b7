"""A 5.1 track on jackd's stereo output: mixed down and played, not refused with an
'install PortAudio' message (played for real through jackd's dummy driver in CI)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from livesync.audio.decode import Audio
from livesync.devices.audio_out import AudioPlayer
from livesync.errors import DeviceError

pytestmark = pytest.mark.audio


def test_a_five_one_track_plays_on_a_stereo_device() -> None:
    rate = 48000
    t = np.arange(rate) / rate
    tone = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    surround = Audio(np.stack([tone] * 6, axis=1), rate)
    try:
        player = AudioPlayer(surround)
    except DeviceError as exc:
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip(f"no audio output device here: {exc}")
    try:
        assert player.audio.samples.shape[1] == 2
        player.resume()
        player.pause()
    finally:
        player.close()
