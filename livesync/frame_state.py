"""The per-frame state: everything the renderer needs, computed from the time alone.

The renderer reads only a FrameState, never the timeline or the clock, so a frame drawn in
the live window and the same frame drawn offline for the video are the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from livesync.analysis import Analysis
from livesync.mouth import MouthTrack
from livesync.timeline import Timeline
from livesync.visemes import MouthPose, Viseme


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


class Performance:
    """A prepared song: timeline, mouth track and audio features, sampled per frame."""

    def __init__(self, timeline: Timeline, analysis: Analysis | None,
                 mouth: MouthTrack | None = None, duration: float | None = None) -> None:
        self.timeline = timeline
        self.analysis = analysis
        self.mouth = mouth or MouthTrack.for_timeline(timeline)
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
        )
