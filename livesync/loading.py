"""Turns a Show (paths) into a Performance (decoded, analysed, ready to sample).

Kept apart from the CLI so scripts can do the same in two lines.
"""

from __future__ import annotations

from livesync.analysis import analyse
from livesync.audio_io import Audio, decode
from livesync.frame_state import Performance
from livesync.scenes import CueSheet
from livesync.show import Show
from livesync.timeline import load


def prepare(show: Show) -> tuple[Performance, Audio]:
    """Load the timeline and audio a show names; InputError names any bad file."""
    timeline = load(show.timeline)
    audio = decode(show.audio)
    analysis = analyse(audio.samples, audio.samplerate)
    performance = Performance(timeline, analysis, duration=max(timeline.duration, audio.duration),
                              cues=CueSheet(show.cues), scenes=tuple(s.name for s in show.scenes))
    return performance, audio
