"""`[character] style` and `[character.idle]`: defaults, values, and errors naming the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.lipsync.idle import IdleAmounts
from livesync.lipsync.singing import MouthStyle
from livesync.show.character_life import (
    CharacterLife,
    idle_param_specs,
    parse_character_life,
)

PATH = Path("show.toml")


def parse(text: str) -> CharacterLife:
    return parse_character_life(tomllib.loads(text), PATH)


def error(text: str) -> str:
    with pytest.raises(InputError) as err:
        parse(text)
    return str(err.value)


def test_a_show_without_the_settings_talks_and_idles_gently() -> None:
    life = parse('[track]\naudio = "a.wav"\n')
    assert life == CharacterLife()
    assert life.style is MouthStyle.SPEECH
    assert life.idle == IdleAmounts(blink=1.0, bob=0.5, sway=0.5, breath=1.0)
    assert parse('[character]\nimage = "me.png"\n') == CharacterLife()


def test_style_and_amounts_are_read() -> None:
    life = parse('[character]\nstyle = "singing"\n[character.idle]\nblink = 0\nbob = 1.5\n')
    assert life.style is MouthStyle.SINGING
    assert life.idle == IdleAmounts(blink=0.0, bob=1.5, sway=0.5, breath=1.0)
    assert parse('[character]\nstyle = "speech"\n').style is MouthStyle.SPEECH
    assert parse("[character.idle]\nsway = 2\nbreath = 0.25\n").idle == IdleAmounts(
        1.0, 0.5, 2.0, 0.25
    )


@pytest.mark.parametrize(
    "bad, found",
    [
        ("nan", "expected a finite number, got nan"),
        ("inf", "expected a finite number, got inf"),
        ("true", "expected a number, got a boolean"),
        ('"lots"', "expected a number, got a string"),
        ("-0.5", "must be 0 or more, got -0.5"),
    ],
)
@pytest.mark.parametrize("key", ["blink", "bob", "sway", "breath"])
def test_amounts_must_be_finite_and_not_negative(key: str, bad: str, found: str) -> None:
    message = error(f"[character.idle]\n{key} = {bad}\n")
    assert message == f"show.toml: character.idle.{key}: {found}"


@pytest.mark.parametrize("bad", ['"sing"', "1", '"Singing"', "true"])
def test_style_is_one_of_two_words(bad: str) -> None:
    message = error(f"[character]\nstyle = {bad}\n")
    assert message.startswith('show.toml: character.style: expected "speech" or "singing", got ')


def test_an_unknown_idle_motion_is_named() -> None:
    message = error("[character.idle]\nblinks = 0\n")
    assert message == (
        "show.toml: character.idle.blinks: not an idle motion (motions: blink, bob, sway, breath)"
    )


@pytest.mark.parametrize(
    "text, key",
    [
        ('character = "me.png"\n', "character"),
        ('[character]\nidle = "off"\n', "character.idle"),
        ("[character]\nidle = 0\n", "character.idle"),
    ],
)
def test_tables_must_be_tables(text: str, key: str) -> None:
    assert error(text).startswith(f"show.toml: {key}: expected a table, got ")


def test_idle_amounts_become_parameters_at_the_show_values() -> None:
    specs = {s.name: s for s in idle_param_specs(IdleAmounts(0.0, 0.5, 3.0, 1.0))}
    assert set(specs) == {"idle_blink", "idle_bob", "idle_sway", "idle_breath"}
    assert specs["idle_blink"].default == 0.0 and specs["idle_blink"].maximum == 1.0
    assert specs["idle_bob"].default == 0.5 and specs["idle_bob"].maximum == 2.0
    assert specs["idle_sway"].maximum == 3.0  # the show's own amount stays reachable
    assert all(s.minimum == 0.0 for s in specs.values())
    # A knob's full turn reaches the top, its bottom turns the motion off.
    assert specs["idle_bob"].from_position(1.0) == 2.0
    assert specs["idle_bob"].from_position(0.0) == 0.0
