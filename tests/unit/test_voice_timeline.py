"""`livesync analyze`'s core: the live-voice hops of a file merged into mouth cues."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from livesync.lipsync.live_voice import VoiceHop
from livesync.lipsync.timeline import Cue
from livesync.lipsync.visemes import POSES, Viseme
from livesync.lipsync.voice_timeline import analyse_voice, cues_from_hops

V = Viseme


def hops(*visemes: Viseme, hop: float = 0.01) -> list[VoiceHop]:
    """One hop per viseme, each known `hop` seconds after the one before."""
    return [
        VoiceHop((i + 1) * hop, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, POSES[v], v)
        for i, v in enumerate(visemes)
    ]


def test_runs_become_cues_moved_back_by_the_shift() -> None:
    cues = cues_from_hops(hops(*[V.SIL] * 10, *[V.AA] * 10, *[V.SIL] * 10), 0.016, 0.3)
    assert [c.viseme for c in cues] == [V.SIL, V.AA, V.SIL]
    assert cues[0].start == 0.0 and cues[-1].end == 0.3
    assert cues[1].start == pytest.approx(0.11 - 0.016)
    assert all(a.end == b.start for a, b in itertools.pairwise(cues))


def test_a_flicker_shorter_than_a_few_frames_joins_the_shape_before() -> None:
    cues = cues_from_hops(hops(*[V.AA] * 10, *[V.PP] * 2, *[V.AA] * 10), 0.0, 0.22)
    assert cues == (Cue(V.AA, 0.0, 0.22),)


def test_no_hops_is_one_rest() -> None:
    assert cues_from_hops([], 0.016, 1.0) == (Cue(V.SIL, 0.0, 1.0),)


def test_a_sung_vowel_between_silences_opens_the_mouth_in_the_middle() -> None:
    rate = 16000
    t = np.arange(rate) / rate
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 30))
    envelope = ((t > 0.3) & (t < 0.7)).astype(float)
    timeline = analyse_voice((0.3 * tone * envelope).astype(np.float32), rate, "vowel.wav")
    assert timeline.duration == 1.0 and timeline.source["audio"] == "vowel.wav"
    assert timeline.cues[0].viseme is V.SIL and timeline.cues[-1].viseme is V.SIL
    middle = next(c for c in timeline.cues if c.start <= 0.5 < c.end)
    assert middle.viseme is not V.SIL
