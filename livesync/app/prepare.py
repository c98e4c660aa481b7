"""Turns a Show (paths) into a Performance (analysed, ready to sample), with the decoded
track when it is to be played.

Kept apart from the CLI so scripts can do the same in two lines. Only playing needs the track
decoded in memory (the output process plays it from there): a picture or a video needs the
analysis (cached, or analysed while the file is decoded block by block), the length (from the
file's header) and the 512 samples around each frame's time for the texture's waveform row
(read from the file as drawn). So `snapshot` and `render` of a 6-hour WAV hold no 8 GB copy.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from livesync.audio.analyser import analyse
from livesync.audio.analysis import Analysis
from livesync.audio.decode import Audio, FileWaveform, audio_info, decode
from livesync.devices.analysis_cache import analyse_file, load_or_analyse
from livesync.formats import load
from livesync.frame.performance import Performance
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.singing import MouthStyle, SingingMouth, VocalEnvelope, mouth_for_style
from livesync.lipsync.timeline import Timeline
from livesync.resources import is_bundled
from livesync.show.scenes import CueSheet
from livesync.show.show_file import Show


def prepare(show: Show) -> tuple[Performance, Audio]:
    """Load the timeline and audio a show names, the audio decoded for playing; InputError
    names any bad file."""
    timeline = load(show.timeline)
    audio = decode(show.audio)
    analysis = _analyse(show.audio, audio)
    return _performance(show, timeline, analysis, audio.duration), audio


def prepare_picture(show: Show) -> Performance:
    """What `prepare` makes, for drawing only (a snapshot, a video): the track is never
    decoded whole, so memory does not grow with its length. The waveform row is read from the
    audio file as frames are drawn, on the drawing thread."""
    timeline = load(show.timeline)
    info = audio_info(show.audio)
    analysis = replace(_analyse(show.audio), wave_reader=FileWaveform(show.audio))
    return _performance(show, timeline, analysis, info.duration)


def _performance(
    show: Show, timeline: Timeline, analysis: Analysis, duration: float
) -> Performance:
    speech = MouthTrack.for_timeline(timeline)
    mouth: MouthTrack | SingingMouth = speech
    if show.life.style is MouthStyle.SINGING:
        # The stem when there is one: the mix's loudness is mostly the band's.
        vocal = _analyse(show.vocals) if show.vocals else analysis
        mouth = mouth_for_style(speech, show.life.style, VocalEnvelope.of_analysis(vocal))
    return Performance(
        timeline,
        analysis,
        mouth,
        duration=max(timeline.duration, duration),
        cues=CueSheet(show.cues),
        scenes=tuple(s.name for s in show.scenes),
        tempo=show.tempo,
        idle=show.life.idle,
    )


def _analyse(path: Path, audio: Audio | None = None) -> Analysis:
    """The analysis of an audio file, from the cache beside it when that is valid; else of
    `audio` when it is already decoded (its waveform row read from it), or of the file
    decoded block by block (bounded memory; no waveform row of its own)."""
    if is_bundled(path):
        # The bundled demo is short, and its folder may be read-only or packaged into a
        # wheel: analyse it afresh rather than leave a cache file inside the package.
        return analyse(audio.samples, audio.samplerate) if audio else analyse_file(path)
    if audio is not None:
        return load_or_analyse(path, audio.samples, audio.samplerate)
    return load_or_analyse(path)


def prepare_without_audio(timeline: Path | None, duration: float = 0.0) -> Performance:
    """A performance with no song to hear, for a picture of a face puppet from landmarks
    alone: no audio is read or analysed, so the audio features are silent. Without a
    timeline the vector mouth rests (the puppet shows its recorded lips) for `duration`."""
    lines = load(timeline) if timeline is not None else Timeline((), (), duration)
    return Performance(lines, None, duration=max(lines.duration, duration))
