"""The per-frame state: everything the renderer needs, computed from the time alone.

The renderer reads only a FrameState, never the timeline or the clock, so a frame drawn in
the live window and the same frame drawn offline for the video are the same picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from livesync.analysis import SILENT, Analysis, AudioFeatures
from livesync.mouth import MouthTrack
from livesync.scenes import CueSheet, SceneCue, SceneMix, Tempo
from livesync.timeline import Timeline
from livesync.visemes import MouthPose, Viseme

FIRST_SCENE = SceneMix(0)


@dataclass(frozen=True, slots=True)
class FrameState:
    time: float
    dt: float
    frame: int
    pose: MouthPose
    viseme: Viseme
    level: float
    bass: float
    word: str
    phone: str
    scene: SceneMix = FIRST_SCENE
    audio: AudioFeatures = SILENT
    # Shadertoy's iChannel0: (2, 512) spectrum and waveform rows, 0..1 (None: silence).
    audio_texture: npt.NDArray[np.float32] | None = None
    params: Mapping[str, float] = field(default_factory=dict)
    beat: tuple[float, float, float] = (0.0, 0.0, 0.0)   # bpm, beat phase, bar phase (0..1)


class Performance:
    """A prepared song: timeline, mouth track, audio features and scene cues, sampled per
    frame. The one piece of live state is a scene picked by hand, kept as a cue at the moment
    it was picked, so the time alone still decides the picture."""

    def __init__(self, timeline: Timeline, analysis: Analysis | None,
                 mouth: MouthTrack | None = None, duration: float | None = None,
                 cues: CueSheet | None = None, scenes: tuple[str, ...] = ("main",),
                 tempo: Tempo | None = None) -> None:
        self.timeline = timeline
        self.analysis = analysis
        self.mouth = mouth or MouthTrack.for_timeline(timeline)
        self.cues = cues or CueSheet(())
        self.params: Mapping[str, float] = {}  # live parameter values (control state)
        self.scenes = scenes  # names, for logs and the HUD
        self.tempo = tempo
        # (bpm, beat phase, bar phase) from a live source (Ableton Link), else the tempo.
        self.beat_override: tuple[float, float, float] | None = None
        self.manual: SceneCue | None = None
        # The song usually runs on after the last sung phone; the audio decides the length.
        self.duration = timeline.duration if duration is None else duration

    def state_at(self, t: float, dt: float = 0.0, frame: int = 0,
                 params: Mapping[str, float] | None = None) -> FrameState:
        sample = self.mouth.sample(t)
        found = self.timeline.lookup(t)
        audio = self.analysis.features_at(t) if self.analysis else SILENT
        texture = self.analysis.audio_texture_at(t) if self.analysis else None
        return FrameState(
            time=t, dt=dt, frame=frame, pose=sample.pose, viseme=sample.viseme,
            level=audio.level, bass=audio.bass,
            word=found.word.text if found.word else "",
            phone=found.phone.phone if found.phone else "",
            scene=self.cues.at(t, self.manual), audio=audio, audio_texture=texture,
            params=params if params is not None else self.params,
            beat=self._beat(t),
        )

    def _beat(self, t: float) -> tuple[float, float, float]:
        if self.beat_override is not None:
            return self.beat_override
        if self.tempo is None:
            return 0.0, 0.0, 0.0
        beats = (t - self.tempo.downbeat) * self.tempo.bpm / 60.0
        bar = self.tempo.beats_per_bar
        return self.tempo.bpm, beats % 1.0, (beats % bar) / bar

    def select_scene(self, scene: int, at: float, fade: float = 0.0) -> None:
        """A scene picked live (number key, controller): shown from `at` until the next cue."""
        self.manual = SceneCue(at, scene, fade)
