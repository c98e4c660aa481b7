"""The singing mouth on hand-made timelines and loudness envelopes whose effect is plain."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from livesync.audio.analysis import Analysis
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.singing import (
    MouthStyle,
    SingingMouth,
    SingingRules,
    VocalEnvelope,
    mouth_for_style,
)
from livesync.lipsync.timeline import Cue, Phone, Timeline
from livesync.lipsync.visemes import POSES, Viseme

RULES = SingingRules()
AA_OPEN = POSES[Viseme.AA].open
HOP = 0.01


def speech(*phones: tuple[str, float, float]) -> MouthTrack:
    return MouthTrack([Phone(p, s, e) for p, s, e in phones])


def envelope(*pieces: tuple[float, float, float], end: float = 6.0) -> VocalEnvelope:
    """A 10 ms envelope, 0 except `level` over each (start, end, level) piece."""
    times = np.arange(0.0, end, HOP)
    level = np.zeros_like(times)
    for start, stop, value in pieces:
        level[(times >= start - 1e-9) & (times < stop - 1e-9)] = value
    return VocalEnvelope(times, level)


def opening(
    mouth: SingingMouth | MouthTrack, start: float, stop: float, step: float = 0.005
) -> list[float]:
    return [mouth.sample(float(t)).pose.open for t in np.arange(start, stop, step)]


def test_a_held_vowel_opens_with_the_loudness() -> None:
    track = speech(("AA", 1.0, 3.0))
    sung = SingingMouth(track, envelope((1.0, 2.0, 0.3), (2.0, 3.0, 1.0)))
    soft, loud = sung.sample(1.8).pose.open, sung.sample(2.8).pose.open
    # The speech mouth is the same at both times; the singing one follows the voice.
    assert track.sample(1.8).pose.open == track.sample(2.8).pose.open == AA_OPEN
    assert soft < 0.7 * loud
    assert loud == pytest.approx(AA_OPEN, abs=0.01)
    # Soft is the floor's share of the pose plus its share of the range above it.
    expected = AA_OPEN * (RULES.min_open + (1 - RULES.min_open) * 0.3)
    assert soft == pytest.approx(expected, abs=0.01)
    assert sung.sample(1.8).viseme is Viseme.AA


def test_the_jaw_follows_a_swelling_note_step_by_step() -> None:
    times = np.arange(0.0, 5.0, HOP)
    level = np.where((times >= 1.0) & (times < 4.0), 0.2 + 0.8 * (times - 1.0) / 3.0, 0.0)
    sung = SingingMouth(speech(("OW", 1.0, 4.0)), VocalEnvelope(times, level))
    samples = opening(sung, 1.3, 3.7)
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(samples))
    assert samples[-1] > samples[0] + 0.2


def test_loud_peaks_open_wider_but_within_bounds() -> None:
    track = speech(("OW", 1.0, 4.0))
    peaks = (3.0, 3.4, 3.0)  # three times the loud singing level
    sung = SingingMouth(track, envelope((1.0, 3.0, 1.0), peaks, (3.4, 4.0, 1.0)))
    shape = POSES[Viseme.OH].open
    widest = max(opening(sung, 3.0, 3.5))
    assert widest > shape * 1.1
    assert widest <= shape * (1 + (1 - RULES.min_open) * RULES.peak_gain) + 1e-9
    # ...and never past max_open, however loud.
    capped = SingingMouth(
        speech(("AA", 1.0, 4.0)),
        envelope((1.0, 3.0, 1.0), peaks, (3.4, 4.0, 1.0)),
        SingingRules(peak_gain=5.0, max_open=0.9),
    )
    assert max(opening(capped, 3.0, 3.5)) == pytest.approx(0.9)


def test_no_closing_between_phones_inside_a_phrase() -> None:
    # A 0.4 s gap between two sung syllables: speech relaxes the mouth shut, singing holds.
    phones = (("AA", 1.0, 1.5), ("AA", 1.9, 2.4))
    sung = SingingMouth(speech(*phones), envelope((1.0, 2.4, 0.8)))
    assert min(opening(speech(*phones), 1.5, 1.9)) == 0.0
    assert min(opening(sung, 1.5, 1.9)) > 0.5 * AA_OPEN
    assert all(sung.sample(float(t)).viseme is Viseme.AA for t in np.arange(1.5, 1.9, 0.01))


def test_a_short_dip_in_the_voice_keeps_the_mouth_open() -> None:
    # The singer softens for 0.2 s (less than a breath) inside a held note: narrower, open.
    sung = SingingMouth(speech(("AA", 1.0, 3.0)), envelope((1.0, 1.9, 1.0), (2.1, 3.0, 1.0)))
    assert sung.breaks == ((-math.inf, 1.0), (3.0, math.inf))
    assert min(opening(sung, 1.9, 2.1)) >= RULES.min_open * AA_OPEN - 1e-9


def test_the_mouth_closes_fully_in_an_instrumental_break() -> None:
    # The timeline holds one vowel through a silent vocal from 2.0 to 3.2 s.
    track = speech(("AA", 1.0, 4.0))
    sung = SingingMouth(track, envelope((1.0, 2.0, 0.8), (3.2, 4.0, 0.8)))
    assert track.sample(2.6).pose.open == AA_OPEN
    for t in np.arange(2.0 + RULES.break_delay + 0.2, 3.1, 0.01):
        sample = sung.sample(float(t))
        assert sample.weights == {Viseme.SIL: 1.0}
        assert sample.pose == POSES[Viseme.SIL]
    assert sung.sample(1.5).pose.open > 0.5
    assert sung.sample(3.6).pose.open > 0.5


def test_a_rest_in_a_break_is_not_held_over() -> None:
    phones = (("AA", 1.0, 1.5), ("AA", 1.9, 2.4))
    sung = SingingMouth(speech(*phones), envelope((1.0, 1.5, 0.8), (1.95, 2.4, 0.8)))
    assert sung.breaks[1] == pytest.approx((1.5, 1.95))
    assert sung.sample(1.8).weights == {Viseme.SIL: 1.0}


def test_a_click_in_a_break_does_not_reopen_the_mouth() -> None:
    track = speech(("AA", 1.0, 4.0))
    sung = SingingMouth(track, envelope((1.0, 2.0, 0.8), (2.5, 2.52, 0.8), (3.2, 4.0, 0.8)))
    assert sung.sample(2.55).pose.open == 0.0


def test_bilabial_closures_still_close() -> None:
    phones = (("AA", 1.0, 1.6), ("M", 1.6, 1.7), ("AA", 1.7, 2.4))
    sung = SingingMouth(speech(*phones), envelope((1.0, 2.4, 1.0)))
    closed = sung.sample(1.65)
    assert closed.weights == {Viseme.PP: 1.0}
    assert closed.pose.press == 1.0 and closed.pose.open == 0.0
    assert sung.sample(1.3).pose.open > 0.5 and sung.sample(2.1).pose.open > 0.5


def test_short_vowels_and_consonants_keep_their_speech_shape() -> None:
    phones = (("S", 1.0, 1.2), ("IH", 1.2, 1.35), ("T", 1.35, 1.5))
    track = speech(*phones)
    sung = SingingMouth(track, envelope((1.0, 1.5, 0.2), (1.5, 3.0, 1.0)))
    for t in (1.1, 1.28, 1.42):
        assert sung.sample(t) == track.sample(t)


def test_the_pose_is_continuous() -> None:
    phones = (("AA", 1.0, 1.6), ("M", 1.6, 1.65), ("OW", 1.65, 2.3), ("S", 2.3, 2.4))
    times = np.arange(0.0, 4.0, HOP)
    swell = 0.3 + 0.7 * np.abs(np.sin(times * 9.0))
    level = np.where((times > 1.0) & (times < 2.4), swell, 0.0)
    sung = SingingMouth(speech(*phones), VocalEnvelope(times, level))
    assert len(sung.breaks) == 2  # only before and after the phrase
    samples = opening(sung, 0.8, 2.8, step=0.001)
    # The speech track's own steepest cross-fade moves 0.03 per millisecond.
    assert max(abs(b - a) for a, b in itertools.pairwise(samples)) < 0.04


def test_speech_style_is_the_speech_track_unchanged() -> None:
    track = speech(("AA", 1.0, 3.0), ("M", 3.0, 3.1))
    vocal = envelope((1.0, 2.0, 0.2))
    assert mouth_for_style(track, MouthStyle.SPEECH, vocal) is track
    singing = mouth_for_style(track, MouthStyle.SINGING, vocal)
    assert isinstance(singing, SingingMouth)
    assert singing.sample(1.5) != track.sample(1.5)


def test_without_an_envelope_only_rests_are_held_over() -> None:
    phones = (("AA", 1.0, 1.5), ("AA", 1.9, 2.4))
    track = speech(*phones)
    sung = SingingMouth(track, None)
    assert sung.sample(1.7).pose == POSES[Viseme.AA]
    assert sung.sample(1.2) == track.sample(1.2)
    assert sung.sample(3.0).pose == POSES[Viseme.SIL]


def test_a_flat_envelope_carries_no_loudness() -> None:
    times = np.arange(0.0, 4.0, HOP)
    sung = SingingMouth(speech(("AA", 1.0, 3.0)), VocalEnvelope(times, np.full_like(times, 0.5)))
    assert sung.sample(2.0).pose.open == pytest.approx(AA_OPEN)
    assert sung.breaks == ((-math.inf, 0.0), (times[-1] + HOP, math.inf))


def test_building_is_deterministic() -> None:
    phones = (("AA", 1.0, 1.5), ("K", 1.5, 1.6), ("OW", 1.6, 2.5))
    vocal = envelope((1.0, 1.4, 0.6), (1.6, 2.5, 0.9))
    a, b = SingingMouth(speech(*phones), vocal), SingingMouth(speech(*phones), vocal)
    assert [a.sample(float(t)) for t in np.arange(0.5, 3.0, 0.01)] == [
        b.sample(float(t)) for t in np.arange(0.5, 3.0, 0.01)
    ]


def test_mouth_cue_timelines_sing_too() -> None:
    cues = (Cue(Viseme.AA, 1.0, 3.0),)
    timeline = Timeline((), (), 4.0, cues=cues)
    sung = SingingMouth.for_timeline(timeline, envelope((1.0, 2.0, 0.2), (2.0, 3.0, 1.0)))
    assert sung.sample(1.8).pose.open < sung.sample(2.8).pose.open


def test_envelope_from_an_analysis_puts_hop_n_at_n_hops() -> None:
    level = np.array([0.0, 0.5, 1.0, 0.25], dtype=np.float32)
    env = VocalEnvelope.of_analysis(Analysis(hop=0.02, level=level, bass=level))
    assert env.times.tolist() == pytest.approx([0.0, 0.02, 0.04, 0.06])
    assert env.level.tolist() == [0.0, 0.5, 1.0, 0.25]


@pytest.mark.parametrize(
    "times, level",
    [
        ([0.0, 0.1], [0.0]),
        ([], []),
        ([0.0, 0.1, 0.1], [0.0, 0.0, 0.0]),
        ([0.0, math.nan], [0.0, 0.0]),
        ([0.0, 0.1], [0.0, math.inf]),
    ],
)
def test_a_malformed_envelope_is_refused(times: list[float], level: list[float]) -> None:
    with pytest.raises(ValueError):
        VocalEnvelope(np.array(times), np.array(level))
