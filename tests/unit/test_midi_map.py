"""Controller mappings and the bundled presets, fed the bytes controllers send (via mido's
parser, as the MIDI edge does)."""

from __future__ import annotations

import tomllib

import mido
import pytest

from livesync.control.events import SelectScene, SetParamNormalized, Transport
from livesync.control.midi_map import MidiMapping, parse_mapping
from livesync.errors import InputError
from livesync.resources import data_dir


def preset(name: str) -> MidiMapping:
    data = tomllib.loads((data_dir("configs") / "controllers" / f"{name}.toml").read_text())
    return parse_mapping(data["midi"])


def feed(mapping: MidiMapping, raw: list[int]) -> list[object]:
    parser = mido.Parser()
    parser.feed(raw)
    out: list[object] = []
    for msg in parser:
        a = getattr(msg, "note", getattr(msg, "control", getattr(msg, "program", 0)))
        b = getattr(msg, "velocity", getattr(msg, "value", 0))
        out.append(mapping.route(msg.type, msg.channel, a, b, port="pad"))
    return out


def test_every_preset_parses() -> None:
    names = sorted(p.stem for p in (data_dir("configs") / "controllers").glob("*.toml"))
    assert names == [
        "apc-mini-mk1",
        "apc-mini-mk2",
        "launchpad-mini-mk3",
        "launchpad-x",
        "nanokontrol2",
    ]
    for name in names:
        assert len(preset(name).scenes) >= 8


def test_apc_mini_mk2_pads_faders_and_leds() -> None:
    m = preset("apc-mini-mk2")
    assert feed(m, [0x90, 2, 127, 0x80, 2, 0, 0xB0, 48, 64]) == [
        SelectScene(2, "pad note 2"),
        None,
        SetParamNormalized("$1", 64 / 127, "pad cc 48", control="pad/0/cc48"),
    ]
    leds = m.leds(("a", "b", "c"), active=2)
    assert ("note_on", 6, 2, 21) in leds and ("note_on", 6, 0, 0) in leds


def test_launchpad_programmer_mode_and_nanokontrol_transport() -> None:
    lp = preset("launchpad-x")
    assert lp.init_sysex == ((0, 32, 41, 2, 12, 14, 1),)
    assert feed(lp, [0x90, 11, 100, 0xB0, 79, 127, 0xB0, 79, 0]) == [
        SelectScene(0, "pad note 11"),
        SelectScene(1, "pad cc 79"),
        None,
    ]
    nano = preset("nanokontrol2")
    assert feed(nano, [0xB0, 41, 127, 0xB0, 42, 127, 0xB0, 33, 127, 0xB0, 16, 0]) == [
        Transport("play", "pad cc 41"),
        Transport("stop", "pad cc 42"),
        SelectScene(1, "pad cc 33"),
        SetParamNormalized("$9", 0.0, "pad cc 16", control="pad/0/cc16"),
    ]


def test_channels_and_program_changes() -> None:
    m = parse_mapping(
        {"program_changes": True, "scenes": [{"note": 60, "channel": 2, "scene": "drop"}]}
    )
    assert feed(m, [0x90, 60, 100]) == [None]  # channel 1: not mapped
    assert feed(m, [0x91, 60, 100, 0xC0, 3]) == [
        SelectScene("drop", "pad note 60"),
        SelectScene(3, "pad program 3"),
    ]


@pytest.mark.parametrize(
    "data, needle",
    [
        ({"scenes": [{"note": 200, "scene": 1}]}, "midi.scenes[0].note: expected an integer 0-127"),
        ({"scenes": [{"note": 1, "cc": 2, "scene": 1}]}, "exactly one of 'note' or 'cc'"),
        ({"scenes": [{"note": 1}]}, "midi.scenes[0].scene"),
        ({"params": [{"cc": 1}]}, "midi.params[0].param"),
        ({"transport": [{"cc": 1, "action": "rewind"}]}, "midi.transport[0].action"),
        ({"init_sysex": [[240, 1]]}, "midi.init_sysex[0]"),
        ({"scenes": {"note": 1}}, "midi.scenes: expected [[midi.scenes]] tables"),
    ],
)
def test_bad_mappings_name_the_key(data: dict[str, object], needle: str) -> None:
    with pytest.raises(InputError) as err:
        parse_mapping(data)
    assert needle in str(err.value)


# Every number a mapping file holds, with X where the bad value goes.
WHOLE_KEYS = [
    ("[[midi.scenes]]\nnote = X\nscene = 1", "midi.scenes[0].note"),
    ("[[midi.scenes]]\ncc = X\nscene = 1", "midi.scenes[0].cc"),
    ("[[midi.scenes]]\nnote = 1\nchannel = X\nscene = 1", "midi.scenes[0].channel"),
    ("[[midi.scenes]]\nnote = 1\nled = X\nscene = 1", "midi.scenes[0].led"),
    ("[[midi.scenes]]\nnote = 1\nled_channel = X\nscene = 1", "midi.scenes[0].led_channel"),
    ('[[midi.params]]\ncc = X\nparam = "speed"', "midi.params[0].cc"),
    ('[[midi.params]]\ncc = 1\nchannel = X\nparam = "speed"', "midi.params[0].channel"),
    ('[[midi.transport]]\nnote = X\naction = "play"', "midi.transport[0].note"),
    ('[[midi.transport]]\ncc = 1\nchannel = X\naction = "stop"', "midi.transport[0].channel"),
    ("[midi]\ninit_sysex = [[0, 32], [41, X]]", "midi.init_sysex[1][1]"),
]


@pytest.mark.parametrize("text, key", WHOLE_KEYS)
@pytest.mark.parametrize(
    "bad, found",
    [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("true", "a boolean"), ("36.0", "36.0")],
)
def test_numbers_in_a_mapping_file_are_whole(text: str, key: str, bad: str, found: str) -> None:
    data = tomllib.loads(text.replace("X", bad))
    with pytest.raises(InputError) as err:
        parse_mapping(data["midi"], source="pads.toml")
    assert str(err.value) == f"pads.toml: {key}: expected a whole number, got {found}"


@pytest.mark.parametrize("bad", ["nan", "inf", "true", "1.5"])
def test_a_scene_index_is_a_whole_number(bad: str) -> None:
    data = tomllib.loads(f"[[midi.scenes]]\nnote = 1\nscene = {bad}\n")
    with pytest.raises(InputError, match=r"^pads.toml: midi.scenes\[0\].scene: expected a scene"):
        parse_mapping(data["midi"], source="pads.toml")
