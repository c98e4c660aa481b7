"""A track with more channels than the device: mixed down, never refused."""

from __future__ import annotations

import numpy as np
import pytest

from livesync.audio.channels import fit_channels
from livesync.audio.decode import Audio


def surround(*levels: float, frames: int = 100) -> Audio:
    return Audio(np.tile(np.asarray(levels, np.float32), (frames, 1)), 48000)


def test_a_track_that_fits_is_unchanged() -> None:
    stereo = surround(0.1, 0.2)
    assert fit_channels(stereo, 2) is stereo


def test_five_one_to_stereo_keeps_left_right_and_drops_the_lfe() -> None:
    # FL FR C LFE SL SR: only the left side and the LFE sound.
    mixed = fit_channels(surround(0.4, 0.0, 0.0, 0.9, 0.2, 0.0), 2).samples
    assert mixed.shape == (100, 2)
    left, right = mixed[0]
    assert right == pytest.approx(0.0)
    assert left > 0.0  # front left and surround left, scaled; the LFE is not in it
    only_lfe = fit_channels(surround(0.0, 0.0, 0.0, 0.9, 0.0, 0.0), 2).samples
    assert np.all(only_lfe == 0.0)


def test_a_full_mix_never_gets_louder_than_a_channel() -> None:
    loud = fit_channels(surround(1, 1, 1, 1, 1, 1), 2).samples
    assert np.abs(loud).max() <= 1.0 + 1e-6
    odd = fit_channels(surround(1, 1, 1, 1, 1, 1, 1), 2).samples  # 7 channels: averaged
    assert odd.shape[1] == 2 and np.allclose(odd, 1.0)


def test_a_one_channel_device_gets_mono() -> None:
    mono = fit_channels(surround(0.2, 0.4), 1).samples
    assert mono.shape == (100, 1) and np.allclose(mono, 0.3)
