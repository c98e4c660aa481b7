"""The per-frame state: everything the renderer needs, computed from the time alone.

The renderer reads only a FrameState, never the timeline or the clock, so a frame drawn in
the live window and the same frame drawn offline for the video are the same picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from livesync.audio.analysis import SILENT, AudioFeatures
from livesync.lipsync.idle import STILL, IdlePose
from livesync.lipsync.mouth_shapes import ShapeSwitch
from livesync.lipsync.visemes import MouthPose, Viseme
from livesync.show.scenes import SceneMix

FIRST_SCENE = SceneMix(0)


@dataclass(frozen=True, slots=True)
class FrameState:
    time: float
    dt: float
    frame: int
    pose: MouthPose
    viseme: Viseme
    word: str
    phone: str
    scene: SceneMix = FIRST_SCENE
    audio: AudioFeatures = SILENT
    # Shadertoy's iChannel0: (2, 512) spectrum and waveform rows, 0..1 (None: silence).
    audio_texture: npt.NDArray[np.float32] | None = None
    params: Mapping[str, float] = field(default_factory=dict)
    beat: tuple[float, float, float] = (0.0, 0.0, 0.0)  # bpm, beat phase, bar phase (0..1)
    # Where the dominant viseme changes near `time` (mouth_shapes.SWITCH_REACH either side):
    # a drawn mouth cross-fades its drawings around them (mouth_shapes.sprite_mix).
    shape_switches: tuple[ShapeSwitch, ...] = ()
    # Blinks, head bob and sway, breathing (livesync.lipsync.idle): applied to the character.
    idle: IdlePose = STILL
