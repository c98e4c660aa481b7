"""Turns a Show (paths) into a Performance (decoded, analysed, ready to sample).

Kept apart from the CLI so scripts can do the same in two lines.
"""

from __future__ import annotations

from livesync.audio.analyser import analyse
from livesync.audio.decode import Audio, decode
from livesync.devices.analysis_cache import load_or_analyse
from livesync.formats import load
from livesync.frame.performance import Performance
from livesync.resources import is_bundled
from livesync.show.scenes import CueSheet
from livesync.show.show_file import Show


def prepare(show: Show) -> tuple[Performance, Audio]:
    """Load the timeline and audio a show names; InputError names any bad file."""
    timeline = load(show.timeline)
    audio = decode(show.audio)
    if is_bundled(show.audio):
        # The bundled demo is short, and its folder may be read-only or packaged into a
        # wheel: analyse it afresh rather than leave a cache file inside the package.
        analysis = analyse(audio.samples, audio.samplerate)
    else:
        analysis = load_or_analyse(show.audio, audio.samples, audio.samplerate)
    performance = Performance(
        timeline,
        analysis,
        duration=max(timeline.duration, audio.duration),
        cues=CueSheet(show.cues),
        scenes=tuple(s.name for s in show.scenes),
        tempo=show.tempo,
    )
    return performance, audio
