"""Fitting a track's channels to an output device: a 5.1 mix on a stereo sound card.

A device takes at most so many channels; a track with more (a surround bounce from the DAW)
is mixed down rather than refused. Known layouts (WAV/FLAC channel order) use the ITU-R
BS.775 downmix: centre and surrounds into left and right at -3 dB, the LFE left out; any other
count is averaged. The mix is scaled so it cannot clip louder than the loudest input channel.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from livesync.audio.decode import Audio

_H = 1.0 / math.sqrt(2.0)  # -3 dB
# Rows: output left, right; columns: the layout's channels in file order.
_TO_STEREO: dict[int, list[list[float]]] = {
    3: [[1, 0, _H], [0, 1, _H]],  # L R C
    4: [[1, 0, _H, 0], [0, 1, 0, _H]],  # FL FR SL SR (quad)
    5: [[1, 0, _H, _H, 0], [0, 1, _H, 0, _H]],  # FL FR C SL SR
    6: [[1, 0, _H, 0, _H, 0], [0, 1, _H, 0, 0, _H]],  # FL FR C LFE SL SR (5.1)
    8: [[1, 0, _H, 0, _H, 0, _H, 0], [0, 1, _H, 0, 0, _H, 0, _H]],  # 7.1: + BL BR... SL SR
}


def fit_channels(audio: Audio, most: int) -> Audio:
    """The track with at most `most` channels (1 or more): unchanged if it fits, else mixed
    down to stereo (or mono for a one-channel device)."""
    channels = audio.samples.shape[1]
    if channels <= most:
        return audio
    matrix: npt.NDArray[np.float32]
    if most >= 2 and channels in _TO_STEREO:
        matrix = np.asarray(_TO_STEREO[channels], dtype=np.float32)
    else:
        outputs = 2 if most >= 2 else 1
        matrix = np.full((outputs, channels), 1.0 / channels, dtype=np.float32)
    matrix /= max(1.0, float(matrix.sum(axis=1).max()))  # never louder than one full channel
    mixed = audio.samples @ matrix.T
    return Audio(np.ascontiguousarray(mixed, dtype=np.float32), audio.samplerate)
