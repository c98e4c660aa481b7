"""The live-control sections of a show file: OSC, sync, MIDI presets and parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.show.show_file import load_show

BASE = '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'


def show(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(BASE + text)
    return path


def test_defaults_are_safe(tmp_path: Path) -> None:
    control = load_show(show(tmp_path, "")).control
    assert control.osc.host == "127.0.0.1" and control.osc.port == 9000
    assert control.sync.source == "audio" and control.params == ()


def test_everything_set(tmp_path: Path) -> None:
    control = load_show(
        show(
            tmp_path,
            """
[osc]
host = "0.0.0.0"
port = 9100
allow = ["192.168.1.20"]
feedback = "127.0.0.1:9001"
[sync]
source = "osc"
daw = "ableton"
[midi]
controller = "apc-mini-mk2"
[[midi.params]]
cc = 7
param = "speed"
[[params]]
name = "speed"
min = 0
max = 2
default = 1
curve = "exp"
""",
        )
    ).control
    assert control.osc.allow == ("192.168.1.20",) and control.osc.feedback == ("127.0.0.1", 9001)
    assert control.sync.daw == "ableton"
    assert control.midi.port == "APC mini mk2"  # from the preset
    assert len(control.midi.mapping.scenes) == 16
    assert control.midi.mapping.params[-1].param == "speed"  # the show's own mapping added
    assert control.params[0].curve == "exp" and control.params[0].default == 1.0


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[osc]\nport = 99999\n", "osc.port"),
        ('[osc]\nfeedback = "nowhere"\n', 'osc.feedback: expected "host:port"'),
        ('[sync]\nsource = "osc"\n', 'sync.daw: source = "osc" needs the DAW preset'),
        ('[sync]\nsource = "ltc"\n', "sync.source"),
        ('[midi]\ncontroller = "launchpad-pro"\n', "no preset 'launchpad-pro'"),
        ("[[midi.scenes]]\nnote = 300\nscene = 1\n", "midi.scenes[0].note"),
        ('[[params]]\nname = "a b"\n', "params[0].name"),
        ('[[params]]\nname = "x"\nmax = "lots"\n', "params[0].max: expected a number"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        load_show(show(tmp_path, text))
    assert needle in str(err.value)


@pytest.mark.parametrize("key", ["min", "max", "default", "smoothing"])
@pytest.mark.parametrize(
    "bad, expected",
    [
        ("nan", "expected a finite number, got nan"),
        ("inf", "expected a finite number, got inf"),
        ("-inf", "expected a finite number, got -inf"),
        ("true", "expected a number, got a boolean"),
    ],
)
def test_parameter_numbers_must_be_finite(
    tmp_path: Path, key: str, bad: str, expected: str
) -> None:
    path = show(tmp_path, f'[[params]]\nname = "x"\n{key} = {bad}\n')
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value) == f"{path}: params[0].{key}: {expected}"


@pytest.mark.parametrize("bad, found", [("nan", "nan"), ("inf", "inf"), ("true", "a boolean")])
def test_osc_port_is_a_whole_number(tmp_path: Path, bad: str, found: str) -> None:
    path = show(tmp_path, f"[osc]\nport = {bad}\n")
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value) == f"{path}: osc.port: expected a whole number, got {found}"


@pytest.mark.parametrize(
    "text, key",
    [
        ("[[midi.scenes]]\nnote = nan\nscene = 1\n", "midi.scenes[0].note"),
        ('[[midi.params]]\ncc = inf\nparam = "x"\n', "midi.params[0].cc"),
        ("[midi]\ninit_sysex = [[nan]]\n", "midi.init_sysex[0][0]"),
        # the show's own entries are counted on their own, not after the preset's 16 pads
        (
            '[midi]\ncontroller = "apc-mini-mk2"\n[[midi.scenes]]\ncc = nan\nscene = 1\n',
            "midi.scenes[0].cc",
        ),
    ],
)
def test_show_midi_numbers_name_the_show(tmp_path: Path, text: str, key: str) -> None:
    path = show(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: {key}: expected a whole number, got ")


def test_a_learned_mapping_names_its_own_file(tmp_path: Path) -> None:
    learned = tmp_path / "pads.toml"
    learned.write_text(
        '[[midi.scenes]]\nnote = 36\nscene = "a"\n[[midi.params]]\ncc = inf\nparam = "x"\n'
    )
    with pytest.raises(InputError) as err:
        load_show(show(tmp_path, '[midi]\nmapping = "pads.toml"\n'))
    assert str(err.value) == f"{learned}: midi.params[0].cc: expected a whole number, got inf"


def test_preset_show_and_learned_mappings_combine_in_order(tmp_path: Path) -> None:
    (tmp_path / "pads.toml").write_text(
        '[[midi.scenes]]\nnote = 99\nchannel = 3\nscene = "learned"\n'
        "[midi]\nprogram_changes = false\n"  # only the lists of a learned file count
    )
    text = (
        '[midi]\ncontroller = "launchpad-x"\nmapping = "pads.toml"\nprogram_changes = true\n'
        '[[midi.scenes]]\nnote = 98\nscene = "own"\n'
    )
    mapping = load_show(show(tmp_path, text)).control.midi.mapping
    assert [s.scene for s in mapping.scenes[-2:]] == ["own", "learned"]
    assert mapping.scenes[-1].trigger.channel == 2
    assert len(mapping.scenes) > 2 and mapping.scenes[0].scene == 0  # the preset's pads first
    assert mapping.program_changes  # the show's setting wins over the preset's
    assert mapping.init_sysex == ((0, 32, 41, 2, 12, 14, 1),)  # the preset's, kept


@pytest.mark.parametrize("name", ['say "hi"', "back\\slash", "tab\there", "del\x7f", "😀 é"])
def test_a_learned_mapping_reads_back_any_scene_name(tmp_path: Path, name: str) -> None:
    """`livesync learn` writes scene names as TOML strings: a quote in one must not leave a
    file the show cannot read."""
    from livesync.control.learn import LearnSession, Target

    session = LearnSession([Target("scene", name)])
    assert session.offer("note_on", 0, 36, 100)
    (tmp_path / "pads.toml").write_text(session.to_toml(), encoding="utf-8")
    mapping = load_show(show(tmp_path, '[midi]\nmapping = "pads.toml"\n')).control.midi.mapping
    assert [s.scene for s in mapping.scenes] == [name]
