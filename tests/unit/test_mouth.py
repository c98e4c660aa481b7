"""Each coarticulation rule, on hand-made timelines where its effect is unmistakable."""

from __future__ import annotations

import numpy as np
import pytest

from livesync.lipsync.mouth import Coarticulation, MouthTrack
from livesync.lipsync.timeline import Phone
from livesync.lipsync.visemes import POSES, Viseme

RULES = Coarticulation()


def track(*phones: tuple[str, float, float], rules: Coarticulation = RULES) -> MouthTrack:
    return MouthTrack([Phone(p, s, e) for p, s, e in phones], rules)


def weight(tr: MouthTrack, t: float, v: Viseme) -> float:
    return tr.sample(t).weights.get(v, 0.0)


def test_current_shape_holds_inside_a_long_phone() -> None:
    tr = track(("AA", 1.0, 1.5))
    assert weight(tr, 1.25, Viseme.AA) == 1.0
    assert tr.sample(1.25).pose == POSES[Viseme.AA]
    assert tr.sample(0.2).viseme is Viseme.SIL


def test_anticipation_moves_toward_a_vowel_before_it_sounds() -> None:
    tr = track(("S", 1.0, 1.3), ("AA", 1.3, 1.6))
    before = 1.3 - RULES.anticipation_vowel / 2
    assert 0.1 < weight(tr, before, Viseme.AA) < 0.9
    assert tr.sample(before).pose.open > 0.1
    # ...and vowels are anticipated further ahead than consonants.
    tr2 = track(("AA", 1.0, 1.3), ("S", 1.3, 1.6))
    assert weight(tr2, 1.3 - RULES.anticipation_vowel * 0.75, Viseme.SS) == 0.0


def test_short_closure_between_vowels_still_closes_fully() -> None:
    tr = track(("AA", 1.0, 1.3), ("M", 1.3, 1.32), ("AA", 1.32, 1.6))
    samples = [tr.sample(t) for t in np.arange(1.2, 1.45, 0.001)]
    closed = [s for s in samples if s.pose.press == 1.0 and s.pose.open == 0.0]
    assert len(closed) * 0.001 >= RULES.closure_hold - 0.002
    # Without the rule a 20 ms M would be a half-closed blur between two open vowels.
    loose = Coarticulation(closure_hold=0.0, anticipation_consonant=0.04, release=0.03)
    tr_loose = track(("AA", 1.0, 1.3), ("M", 1.3, 1.32), ("AA", 1.32, 1.6), rules=loose)
    assert max(tr_loose.sample(t).pose.press for t in np.arange(1.2, 1.45, 0.001)) == 1.0
    assert sum(tr_loose.sample(t).pose.press == 1.0 for t in np.arange(1.2, 1.45, 0.001)) < len(
        closed
    )


def test_closure_is_complete_when_the_plosive_starts() -> None:
    tr = track(("AA", 1.0, 1.3), ("P", 1.3, 1.4), ("AA", 1.4, 1.7))
    assert weight(tr, 1.3, Viseme.PP) == 1.0
    assert weight(tr, 1.399, Viseme.PP) == 1.0  # held until the release
    assert weight(tr, 1.41, Viseme.AA) > 0.0


def test_minimum_hold_absorbs_a_flicker_consonant() -> None:
    tr = track(("AA", 1.0, 1.3), ("T", 1.3, 1.32), ("OW", 1.32, 1.6))
    peak = max(weight(tr, t, Viseme.DD) for t in np.arange(1.2, 1.45, 0.001))
    assert peak == 0.0
    longer = track(("AA", 1.0, 1.3), ("T", 1.3, 1.4), ("OW", 1.4, 1.7))
    assert weight(longer, 1.35, Viseme.DD) == 1.0


def test_minimum_hold_lengthens_a_short_vowel() -> None:
    tr = track(("S", 1.0, 1.3), ("IH", 1.3, 1.32), ("T", 1.32, 1.6))
    full = [t for t in np.arange(1.2, 1.45, 0.0005) if weight(tr, t, Viseme.IH) > 0.0]
    assert full[-1] - full[0] >= RULES.min_hold - 0.001


def test_same_viseme_in_a_row_does_not_reset() -> None:
    tr = track(("AA", 1.0, 1.2), ("AH", 1.2, 1.4))
    assert all(weight(tr, t, Viseme.AA) == 1.0 for t in np.arange(1.05, 1.35, 0.005))


def test_short_pause_holds_the_last_shape() -> None:
    tr = track(("OW", 1.0, 1.3), ("OW", 1.5, 1.8))  # 200 ms breath
    tr2 = track(("AA", 1.0, 1.3), ("IY", 1.5, 1.8))
    assert weight(tr, 1.4, Viseme.OH) == 1.0
    assert weight(tr2, 1.35, Viseme.AA) == 1.0
    assert weight(tr2, 1.4, Viseme.SIL) == 0.0


def test_long_pause_relaxes_to_rest() -> None:
    tr = track(("AA", 1.0, 1.3), ("IY", 3.0, 3.3))
    assert weight(tr, 1.3 + RULES.relax_delay / 2, Viseme.AA) == 1.0
    assert weight(tr, 2.0, Viseme.SIL) == 1.0
    assert tr.sample(2.0).pose.open == 0.0


def test_silence_phones_count_as_gaps() -> None:
    tr = track(("AA", 1.0, 1.3), ("sil", 1.3, 2.5), ("IY", 2.5, 2.8))
    assert weight(tr, 2.0, Viseme.SIL) == 1.0


def test_blend_weights_sum_to_one_and_motion_is_continuous() -> None:
    phones = [
        ("HH", 0.5, 0.58),
        ("EH", 0.58, 0.7),
        ("L", 0.7, 0.76),
        ("OW", 0.76, 1.0),
        ("M", 1.0, 1.05),
        ("AY", 1.05, 1.3),
        ("F", 1.3, 1.38),
        ("UW", 1.38, 1.6),
    ]
    tr = track(*phones)
    dt = 1 / 240
    previous = None
    for t in np.arange(0.3, 2.0, dt):
        s = tr.sample(float(t))
        assert sum(s.weights.values()) == pytest.approx(1.0)
        assert len(s.weights) <= 2
        pose = np.array(s.pose.as_tuple())
        if previous is not None:
            # At 240 fps no parameter may jump by more than a smooth cross-fade allows.
            assert np.abs(pose - previous).max() < 0.2
        previous = pose


def test_a_timeline_without_phones_rests() -> None:
    tr = MouthTrack([])
    assert tr.sample(0.0).weights == {Viseme.SIL: 1.0}
    assert tr.sample(100.0).pose == POSES[Viseme.SIL]
