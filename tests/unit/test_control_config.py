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
