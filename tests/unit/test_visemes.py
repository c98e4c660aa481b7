"""The viseme set and its tables to Rhubarb and Preston Blair are complete and consistent."""

from __future__ import annotations

from livesync.lipsync.visemes import (
    ARPABET_TO_SAPI,
    ARPABET_TO_VISEME,
    FROM_OCULUS,
    FROM_PRESTON_BLAIR,
    FROM_RHUBARB,
    FROM_SAPI,
    POSES,
    TO_OCULUS,
    TO_PRESTON_BLAIR,
    TO_RHUBARB,
    TO_SAPI,
    Viseme,
    viseme_for_phone,
)

ARPABET = (
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T "
    "TH UH UW V W Y Z ZH"
).split()


def test_every_arpabet_phone_and_viseme_is_mapped() -> None:
    assert set(ARPABET) <= set(ARPABET_TO_VISEME)
    for table in (TO_RHUBARB, TO_PRESTON_BLAIR, POSES):
        assert set(table) == set(Viseme)
    assert set(TO_RHUBARB.values()) == set("ABCDEFGHX")
    assert set(FROM_RHUBARB) == set("ABCDEFGHX")


def test_round_trips_keep_the_outer_shape() -> None:
    for name, viseme in FROM_RHUBARB.items():
        assert TO_RHUBARB[viseme] == name
    for name, viseme in FROM_PRESTON_BLAIR.items():
        assert TO_PRESTON_BLAIR[viseme] == name or name == "WQ"


def test_phone_spellings() -> None:
    assert viseme_for_phone("m") is Viseme.PP
    assert viseme_for_phone("AA1") is Viseme.AA
    assert viseme_for_phone("sil") is Viseme.SIL
    assert viseme_for_phone("oov") is Viseme.AA  # unknown but sung: open mouth


def test_poses_reflect_the_shapes() -> None:
    assert POSES[Viseme.PP].press == 1.0 and POSES[Viseme.PP].open == 0.0
    assert POSES[Viseme.AA].open > POSES[Viseme.EH].open > POSES[Viseme.IH].open
    assert POSES[Viseme.OU].round > 0.9 and POSES[Viseme.IH].width > 0.9
    assert POSES[Viseme.FF].bite == 1.0


def test_oculus_and_sapi_tables() -> None:
    assert set(TO_OCULUS) == set(Viseme) and len(set(TO_OCULUS.values())) == 15
    assert all(TO_OCULUS[v] == name for name, v in FROM_OCULUS.items())
    assert set(TO_SAPI) == set(Viseme) and set(FROM_SAPI) == set(range(22))
    assert set(ARPABET) <= set(ARPABET_TO_SAPI)
    for phone, sapi in ARPABET_TO_SAPI.items():
        # Going through the internal set lands on a SAPI shape of the same family.
        assert FROM_SAPI[sapi].is_vowel == ARPABET_TO_VISEME[phone].is_vowel or phone in (
            "HH",
            "W",
            "Y",
            "R",
            "ER",
        )
