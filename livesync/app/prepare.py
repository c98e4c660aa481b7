"""Turns a Show (paths) into a Performance (decoded, analysed, ready to sample).

Kept apart from the CLI so scripts can do the same in two lines.
"""

from __future__ import annotations

from pathlib import Path

from livesync.audio.analyser import analyse
from livesync.audio.analysis import Analysis
from livesync.audio.decode import Audio, decode
from livesync.devices.analysis_cache import load_or_analyse
from livesync.formats import load
from livesync.frame.performance import Performance
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.singing import MouthStyle, SingingMouth, VocalEnvelope, mouth_for_style
from livesync.lipsync.timeline import Timeline
from livesync.resources import is_bundled
from livesync.show.scenes import CueSheet
from livesync.show.show_file import Show


def prepare(show: Show) -> tuple[Performance, Audio]:
    """Load the timeline and audio a show names; InputError names any bad file."""
    timeline = load(show.timeline)
    audio = decode(show.audio)
    analysis = _analyse(show.audio, audio)
    speech = MouthTrack.for_timeline(timeline)
    mouth: MouthTrack | SingingMouth = speech
    if show.life.style is MouthStyle.SINGING:
        # The stem when there is one: the mix's loudness is mostly the band's.
        vocal = _analyse(show.vocals, decode(show.vocals)) if show.vocals else analysis
        mouth = mouth_for_style(speech, show.life.style, VocalEnvelope.of_analysis(vocal))
    performance = Performance(
        timeline,
        analysis,
        mouth,
        duration=max(timeline.duration, audio.duration),
        cues=CueSheet(show.cues),
        scenes=tuple(s.name for s in show.scenes),
        tempo=show.tempo,
        idle=show.life.idle,
    )
    return performance, audio


def _analyse(path: Path, audio: Audio) -> Analysis:
    if is_bundled(path):
        # The bundled demo is short, and its folder may be read-only or packaged into a
        # wheel: analyse it afresh rather than leave a cache file inside the package.
        return analyse(audio.samples, audio.samplerate)
    return load_or_analyse(path, audio.samples, audio.samplerate)


def prepare_without_audio(timeline: Path | None, duration: float = 0.0) -> Performance:
    """A performance with no song to hear, for a picture of a face puppet from landmarks
    alone: no audio is read or analysed, so the audio features are silent. Without a
    timeline the vector mouth rests (the puppet shows its recorded lips) for `duration`."""
    lines = load(timeline) if timeline is not None else Timeline((), (), duration)
    return Performance(lines, None, duration=max(lines.duration, duration))
