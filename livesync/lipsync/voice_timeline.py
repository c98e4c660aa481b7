"""A file's mouth from its sound alone (`livesync analyze`): the live-voice analyser run over
the whole file, its visemes merged into mouth cues that play, render and export like any
other timeline's.

A file has a future, so the offline result can be placed where the sound was rather than where
a live analyser could first know it: each hop is moved back by half the analysis window (the
hop's result describes the middle of its window). Runs shorter than MIN_CUE are absorbed by
the shape before them, so a mouth driven by cues does not flicker between frames.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from livesync.lipsync.live_voice import LiveVoice, VoiceHop
from livesync.lipsync.timeline import Cue, Timeline
from livesync.lipsync.visemes import Viseme

MIN_CUE = 0.04  # seconds: shorter shapes are absorbed (under three frames at 60 fps)
BLOCK = 4096  # samples fed at a time, as an input callback would


def cues_from_hops(hops: Sequence[VoiceHop], shift: float, duration: float) -> tuple[Cue, ...]:
    """Consecutive hops of one viseme as one cue, each moved `shift` seconds earlier; runs
    shorter than MIN_CUE join the cue before them; the cues tile 0..duration."""
    runs: list[Cue] = []
    start = 0.0
    for i, hop in enumerate(hops):
        end = duration if i == len(hops) - 1 else min(duration, hops[i + 1].time - shift)
        if end <= start:
            continue
        if runs and runs[-1].viseme is hop.viseme:
            runs[-1] = Cue(hop.viseme, runs[-1].start, end)
        else:
            runs.append(Cue(hop.viseme, start, end))
        start = end
    cues: list[Cue] = []
    for run in runs:
        if cues and (run.end - run.start < MIN_CUE or cues[-1].viseme is run.viseme):
            cues[-1] = Cue(cues[-1].viseme, cues[-1].start, run.end)
        else:
            cues.append(run)
    if not cues:
        return (Cue(Viseme.SIL, 0.0, duration),) if duration > 0 else ()
    return tuple(cues)


def analyse_voice(samples: npt.NDArray[np.floating], samplerate: int, source: str) -> Timeline:
    """The mouth cues of a whole recording (frames x channels, or mono)."""
    voice = LiveVoice(samplerate)
    hops: list[VoiceHop] = []
    for at in range(0, len(samples), BLOCK):
        hops.extend(voice.push(samples[at : at + BLOCK]))
    duration = len(samples) / samplerate
    cues = cues_from_hops(hops, voice.window_samples / samplerate / 2, duration)
    return Timeline((), (), duration, {"format": "livesync-analyze", "audio": source}, cues=cues)
