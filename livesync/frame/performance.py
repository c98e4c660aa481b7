"""A prepared song, sampled per frame: the song's own part of every FrameState.

The song is immutable once prepared (timeline, mouth track, analysis, cue sheet), so sampling
it is a pure function of the time. What the performer changes live (a picked scene, parameter
values, a tempo from the DAW) belongs to the control state and comes in as a `LiveView`; an
offline render passes none and gets the cue sheet's picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from livesync.audio.analysis import SILENT, Heard
from livesync.control.state import NO_LIVE, LiveView
from livesync.frame.state import FrameState
from livesync.lipsync.idle import NO_IDLE, IdleAmounts, Rests, idle_pose
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.mouth_shapes import ShapeSwitches
from livesync.lipsync.singing import SingingMouth
from livesync.lipsync.timeline import Timeline
from livesync.show.scenes import CueSheet, SceneCue, Tempo


@dataclass(frozen=True, init=False)
class Performance:
    timeline: Timeline
    analysis: Heard | None
    mouth: MouthTrack | SingingMouth
    switches: ShapeSwitches
    cues: CueSheet
    scenes: tuple[str, ...]  # names, for logs and the HUD
    tempo: Tempo | None
    duration: float
    idle: IdleAmounts  # the show's amounts; live idle_* parameters win
    rests: Rests  # when the singer sings, for breathing in rests

    def __init__(
        self,
        timeline: Timeline,
        analysis: Heard | None,
        mouth: MouthTrack | SingingMouth | None = None,
        duration: float | None = None,
        cues: CueSheet | None = None,
        scenes: tuple[str, ...] = ("main",),
        tempo: Tempo | None = None,
        idle: IdleAmounts = NO_IDLE,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "timeline", timeline)
        set_(self, "analysis", analysis)
        set_(self, "mouth", mouth or MouthTrack.for_timeline(timeline))
        track = self.mouth.track if isinstance(self.mouth, SingingMouth) else self.mouth
        set_(self, "switches", ShapeSwitches(track))
        set_(self, "cues", cues or CueSheet(()))
        set_(self, "scenes", scenes)
        set_(self, "tempo", tempo)
        # The song usually runs on after the last sung phone; the audio decides the length.
        set_(self, "duration", timeline.duration if duration is None else duration)
        set_(self, "idle", idle)
        set_(self, "rests", Rests.for_segments(track.segments))

    def with_show(
        self, cues: CueSheet, scenes: tuple[str, ...], tempo: Tempo | None, idle: IdleAmounts
    ) -> Performance:
        """The same prepared track under a reloaded show's scenes, cues, tempo and idle."""
        return Performance(
            self.timeline, self.analysis, self.mouth, self.duration, cues, scenes, tempo, idle
        )

    def state_at(
        self, t: float, dt: float = 0.0, frame: int = 0, live: LiveView = NO_LIVE
    ) -> FrameState:
        sample = self.mouth.sample(t)
        found = self.timeline.lookup(t)
        audio = self.analysis.features_at(t) if self.analysis else SILENT
        texture = self.analysis.audio_texture_at(t) if self.analysis else None
        beat = self._beat(t, live)
        resting_for, resting_until = self.rests.at(t)
        amounts = self.idle.with_params(live.params)
        idle = idle_pose(t, beat[1], beat[2], resting_for, amounts, resting_until=resting_until)
        pick = live.pick
        manual = None
        if pick is not None and pick.scene < len(self.scenes):
            manual = SceneCue(pick.at, pick.scene, pick.fade)
        pose, viseme, switches = sample.pose, sample.viseme, self.switches.around(t)
        voice = live.voice
        if voice is not None and (voice.singing or found.word is None):
            # The singer's live mouth; the timeline's (a backing-track vocal) only while
            # the singer is silent. Drawn mouths cut to each shape: no planned cross-fades.
            pose, viseme, switches = voice.pose, voice.viseme, ()
        return FrameState(
            time=t,
            dt=dt,
            frame=frame,
            pose=pose,
            viseme=viseme,
            word=found.word.text if found.word else "",
            phone=found.phone.phone if found.phone else "",
            scene=self.cues.at(t, manual),
            audio=audio,
            audio_texture=texture,
            params=live.params,
            beat=beat,
            shape_switches=switches,
            idle=idle,
        )

    def _beat(self, t: float, live: LiveView) -> tuple[float, float, float]:
        if live.beat is not None:
            return live.beat
        tempo = self.tempo
        if live.bpm is not None:  # a tempo from the DAW's MIDI clock, counted from zero
            tempo = Tempo(live.bpm, 0.0, tempo.beats_per_bar if tempo else 4)
        if tempo is None:
            return 0.0, 0.0, 0.0
        beats = (t - tempo.downbeat) * tempo.bpm / 60.0
        bar = tempo.beats_per_bar
        return tempo.bpm, beats % 1.0, (beats % bar) / bar
