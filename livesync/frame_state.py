"""The per-frame state: everything the renderer needs, computed from the time alone.

The renderer reads only a FrameState, never the timeline or the clock, so a frame drawn in
the live window and the same frame drawn offline for the video are the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from livesync.analysis import Analysis
from livesync.mouth import MouthTrack
from livesync.scenes import CueSheet, SceneCue, SceneMix
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


class Performance:
    """A prepared song: timeline, mouth track, audio features and scene cues, sampled per
    frame. The one piece of live state is a scene picked by hand, kept as a cue at the moment
    it was picked, so the time alone still decides the picture."""

    def __init__(self, timeline: Timeline, analysis: Analysis | None,
                 mouth: MouthTrack | None = None, duration: float | None = None,
                 cues: CueSheet | None = None, scenes: tuple[str, ...] = ("main",)) -> None:
        self.timeline = timeline
        self.analysis = analysis
        self.mouth = mouth or MouthTrack.for_timeline(timeline)
        self.cues = cues or CueSheet(())
        self.scenes = scenes  # names, for logs and the HUD
        self.manual: SceneCue | None = None
        # The song usually runs on after the last sung phone; the audio decides the length.
        self.duration = timeline.duration if duration is None else duration

    def state_at(self, t: float, dt: float = 0.0, frame: int = 0) -> FrameState:
        sample = self.mouth.sample(t)
        found = self.timeline.lookup(t)
        level, bass = self.analysis.at(t) if self.analysis else (0.0, 0.0)
        return FrameState(
            time=t, dt=dt, frame=frame, pose=sample.pose, viseme=sample.viseme,
            level=level, bass=bass,
            word=found.word.text if found.word else "",
            phone=found.phone.phone if found.phone else "",
            scene=self.cues.at(t, self.manual),
        )

    def select_scene(self, scene: int, at: float, fade: float = 0.0) -> None:
        """A scene picked live (number key, controller): shown from `at` until the next cue."""
        self.manual = SceneCue(at, scene, fade)
