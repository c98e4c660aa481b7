"""Drawn mouths: shape names in the three naming schemes, fallbacks, and the cross-fade."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livesync.frame.performance import Performance
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.mouth_shapes import (
    FALLBACK,
    MAX_CROSSFADE,
    SWITCH_REACH,
    VISEMES,
    Naming,
    ShapeNameError,
    ShapeSwitch,
    ShapeSwitches,
    assign,
    known_names,
    read_names,
    sprite_mix,
)
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.lipsync.visemes import TO_PRESTON_BLAIR, TO_RHUBARB, Viseme

RHUBARB = ["X", "A", "B", "C", "D", "E", "F", "G", "H"]
PRESTON_BLAIR = ["rest", "MBP", "FV", "etc", "L", "E", "AI", "O", "U", "WQ"]


def drawn(names: list[str], naming: Naming = Naming.AUTO) -> dict[Viseme, str]:
    """Which written name shows each viseme."""
    shapes = read_names(names, naming)
    return {v: shapes[i].written for v, i in assign(shapes).items()}


def test_a_full_rhubarb_set_draws_each_viseme_with_its_letter() -> None:
    assert drawn(RHUBARB) == TO_RHUBARB
    assert drawn([n.lower() for n in RHUBARB]) == {v: n.lower() for v, n in TO_RHUBARB.items()}


def test_a_full_preston_blair_set_draws_each_viseme_with_its_name() -> None:
    assert drawn(PRESTON_BLAIR) == TO_PRESTON_BLAIR
    # WQ only stands in for U, wherever the table lists it.
    assert drawn(["WQ", *PRESTON_BLAIR[:-1]])[Viseme.OU] == "U"
    assert drawn(["rest", "WQ"])[Viseme.OU] == "WQ"
    # Papagayo's and Moho's spellings in any case.
    assert drawn(["Rest", "mbp", "ai", "Etc"])[Viseme.TH] == "Etc"


def test_livesync_names_draw_their_own_viseme() -> None:
    names = [v.value for v in Viseme]
    assert drawn(names) == {v: v.value for v in Viseme}
    picks = drawn(["SIL", "pp", "AA", "Oh"])
    assert [picks[v] for v in (Viseme.SIL, Viseme.PP, Viseme.AA, Viseme.OH)] == [
        "SIL",
        "pp",
        "AA",
        "Oh",
    ]
    assert picks[Viseme.OU] == "Oh" and picks[Viseme.FF] == "pp" and picks[Viseme.EH] == "AA"


def test_e_is_rhubarbs_rounded_mouth_only_in_a_rhubarb_set() -> None:
    assert drawn(RHUBARB)[Viseme.OH] == "E"
    assert drawn(RHUBARB)[Viseme.EH] == "C"
    assert drawn(PRESTON_BLAIR)[Viseme.EH] == "E" and drawn(PRESTON_BLAIR)[Viseme.OH] == "O"
    assert drawn(["sil", "E", "oh"])[Viseme.EH] == "E"
    assert read_names(["E"], Naming.RHUBARB)[0].visemes == {Viseme.RR, Viseme.OH}
    assert read_names(["E"])[0].visemes == {Viseme.EH}
    assert read_names(["E"], Naming.PRESTON_BLAIR)[0].visemes == {
        Viseme.EH,
        Viseme.IH,
        Viseme.RR,
    }


def test_a_mixed_table_reads_each_name_in_its_own_set() -> None:
    shapes = read_names(["rest", "AI", "B"])
    assert [s.scheme for s in shapes] == [
        Naming.PRESTON_BLAIR,
        Naming.PRESTON_BLAIR,
        Naming.RHUBARB,
    ]
    # A livesync name is more precise than a Rhubarb letter drawn for seven visemes.
    picks = drawn(["B", "SS", "X"])
    assert picks[Viseme.SS] == "SS" and picks[Viseme.TH] == "B"


@pytest.mark.parametrize(
    "names, naming, bad, needle",
    [
        (["X", "Q"], Naming.AUTO, "Q", "'Q' is not a mouth shape name (Rhubarb: X A B"),
        (["AI", "A"], Naming.PRESTON_BLAIR, "A", "'A' is not a preston-blair shape name"),
        (["aa"], Naming.RHUBARB, "aa", "'aa' is not a rhubarb shape name (X A B C D E F G H)"),
        (["E", "e"], Naming.AUTO, "e", "the same shape as 'E'"),
        (["mbp", "MBP"], Naming.AUTO, "MBP", "the same shape as 'mbp'"),
    ],
)
def test_bad_names_are_named(names: list[str], naming: Naming, bad: str, needle: str) -> None:
    with pytest.raises(ShapeNameError) as err:
        read_names(names, naming)
    assert err.value.name == bad
    assert needle in err.value.problem


def test_rhubarbs_basic_six_borrow_as_rhubarb_does() -> None:
    picks = drawn(RHUBARB[1:7])  # A-F: no X, G or H
    assert picks[Viseme.SIL] == "A"  # X -> A
    assert picks[Viseme.FF] == "B"  # G -> B
    assert picks[Viseme.LL] == "C"  # H -> C


def test_a_missing_shape_takes_the_first_drawn_in_its_fallback_row() -> None:
    assert drawn(["aa", "PP"])[Viseme.SIL] == "PP"
    assert drawn(["aa", "nn"])[Viseme.SIL] == "nn"
    assert drawn(["aa", "oh", "ou"])[Viseme.RR] == "ou"
    assert drawn(["aa", "oh"])[Viseme.RR] == "oh"  # ou, CH missing: the row's third


def test_with_no_fallback_drawn_the_nearest_pose_wins() -> None:
    # sil's row (PP, nn, SS) is not drawn: the closed mouth is nearer aa than ou.
    assert drawn(["aa", "ou"])[Viseme.SIL] == "aa"
    assert drawn(["ih", "ou"])[Viseme.OH] == "ou"  # from its row
    assert drawn(["ih", "oh"])[Viseme.PP] != ""


def test_the_fallback_table_is_complete() -> None:
    assert set(FALLBACK) == set(Viseme)
    for viseme, row in FALLBACK.items():
        assert viseme not in row and len(set(row)) == len(row)


@given(st.sets(st.sampled_from(known_names(Naming.LIVESYNC)), min_size=1))
def test_every_viseme_gets_a_drawing_from_any_set(names: set[str]) -> None:
    shapes = read_names(sorted(names))
    chosen = assign(shapes)
    assert set(chosen) == set(Viseme)
    drawn_names = {s.name for s in shapes}
    for viseme, i in chosen.items():
        if viseme.value in drawn_names:
            assert shapes[i].name == viseme.value  # a drawn viseme shows its own drawing


def test_an_empty_set_is_refused() -> None:
    with pytest.raises(ValueError):
        assign([])


# --- the cross-fade -------------------------------------------------------------------

SIL, AA, OH, PP = Viseme.SIL, Viseme.AA, Viseme.OH, Viseme.PP
# A drawing per viseme: sil 0, aa 1, oh 2, everything else 3.
DRAWINGS = tuple({SIL: 0, AA: 1, OH: 2}.get(v, 3) for v in VISEMES)


def mixed(t: float, viseme: Viseme, switches: tuple[ShapeSwitch, ...], cf: float) -> object:
    """sprite_mix with the mix rounded to 1e-6, to compare with exact tuples."""
    before, after, mix = sprite_mix(t, viseme, switches, DRAWINGS, cf)
    return before, after, round(mix, 6)


def test_without_switches_the_visemes_own_drawing_shows() -> None:
    assert sprite_mix(5.0, OH, (), DRAWINGS, 0.06) == (2, 2, 0.0)


def test_a_crossfade_is_centred_on_the_switch() -> None:
    switches = (ShapeSwitch(1.0, SIL, AA),)
    assert sprite_mix(0.96, SIL, switches, DRAWINGS, 0.06) == (0, 0, 0.0)
    assert mixed(0.97, SIL, switches, 0.06) == (0, 1, 0.0)
    assert mixed(1.0, AA, switches, 0.06) == (0, 1, 0.5)
    assert mixed(1.015, AA, switches, 0.06) == (0, 1, 0.75)
    assert sprite_mix(1.04, AA, switches, DRAWINGS, 0.06) == (1, 1, 0.0)


def test_crossfade_zero_cuts_at_the_switch() -> None:
    switches = (ShapeSwitch(1.0, SIL, AA), ShapeSwitch(1.2, AA, OH))
    assert sprite_mix(0.999, SIL, switches, DRAWINGS, 0.0) == (0, 0, 0.0)
    assert sprite_mix(1.0, AA, switches, DRAWINGS, 0.0) == (1, 1, 0.0)
    assert sprite_mix(1.199, AA, switches, DRAWINGS, 0.0) == (1, 1, 0.0)
    assert sprite_mix(1.2, OH, switches, DRAWINGS, 0.0) == (2, 2, 0.0)


def test_close_switches_share_the_time_between_them_without_a_jump() -> None:
    switches = (ShapeSwitch(1.0, SIL, AA), ShapeSwitch(1.04, AA, OH))  # 40 ms apart
    cf = 0.2
    before = sprite_mix(1.0199, AA, switches, DRAWINGS, cf)
    after = sprite_mix(1.0201, AA, switches, DRAWINGS, cf)
    assert before[:2] == (0, 1) and before[2] == pytest.approx(1.0, abs=0.01)
    assert after[:2] == (1, 2) and after[2] == pytest.approx(0.0, abs=0.01)
    # The first fade starts cf/2 before its switch; the last ends cf/2 after its own.
    assert sprite_mix(0.91, SIL, switches, DRAWINGS, cf)[:2] == (0, 1)
    assert sprite_mix(1.13, OH, switches, DRAWINGS, cf)[:2] == (1, 2)
    assert sprite_mix(1.141, OH, switches, DRAWINGS, cf) == (2, 2, 0.0)


def test_switches_between_visemes_of_one_drawing_change_nothing() -> None:
    # PP and nn share drawing 3: the fade runs from sil to 3 around the first switch only.
    switches = (ShapeSwitch(1.0, SIL, PP), ShapeSwitch(1.02, PP, Viseme.NN))
    assert mixed(1.02, Viseme.NN, switches, 0.1) == (0, 3, 0.7)
    assert sprite_mix(1.06, Viseme.NN, switches, DRAWINGS, 0.1) == (3, 3, 0.0)


def song() -> Timeline:
    words = (Word("ma", 1.0, 2.0), Word("so", 2.5, 3.2))
    phones = (
        Phone("M", 1.0, 1.3, 0),
        Phone("AA", 1.3, 2.0, 0),
        Phone("S", 2.5, 2.7, 1),
        Phone("OW", 2.7, 3.2, 1),
    )
    return Timeline(words, phones, 4.0)


def test_switches_are_where_the_dominant_viseme_flips() -> None:
    track = MouthTrack.for_timeline(song())
    switches = ShapeSwitches(track).switches
    assert [s.after for s in switches] == [PP, AA, SIL, Viseme.SS, OH, SIL]  # rests in the gap
    for s in switches:
        assert track.sample(s.time - 1e-4).viseme is s.before
        assert track.sample(s.time + 1e-4).viseme is s.after
    assert all(a.after is b.before for a, b in itertools.pairwise(switches))


def test_each_frame_carries_the_switches_near_it() -> None:
    perf = Performance(song(), None)
    every = perf.switches.switches
    for t in (0.0, 1.0, 1.6, 2.6, 3.5, 9.0):
        near = perf.state_at(t).shape_switches
        assert near == tuple(s for s in every if abs(s.time - t) <= SWITCH_REACH)
    assert SWITCH_REACH >= 1.5 * MAX_CROSSFADE
