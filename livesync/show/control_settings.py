"""The live-control part of a show file: OSC, MIDI, DAW sync and parameters (pure).

[osc]
port = 9000                  # livesync listens here (default 9000)
host = "127.0.0.1"           # "0.0.0.0" opens it to the network...
allow = ["192.168.1.20"]     # ...for these senders only (empty: anyone who can reach it)
feedback = "127.0.0.1:9001"  # state sent to a control surface (TouchOSC, Open Stage Control)

[sync]
source = "audio"             # audio (livesync plays the track), wall, osc, mtc, clock
daw = "reaper"               # with source = "osc": reaper, ableton or bitwig
link = true                  # tempo and beat phase from an Ableton Link session
daw_address = "127.0.0.1:11000"   # where AbletonOSC listens (for its listen requests)

[midi]
controller = "apc-mini-mk2"  # a preset from configs/controllers, or mappings inline
port = "APC mini"            # input/output port name (substring, case-insensitive)
sync_port = "IAC Bus 1"      # where MTC / MIDI clock arrive (default: the controller's)

[[params]]                   # show parameters (ISF shader inputs are added automatically)
name = "speed"
min = 0.0
max = 2.0
default = 1.0
curve = "linear"             # linear, exp, log
smoothing = 0.05             # seconds
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesync.control.midi_map import MidiMapping, parse_mapping
from livesync.control.osc_map import DAW_PRESETS
from livesync.control.state import ParamSpec
from livesync.errors import InputError
from livesync.resources import data_dir
from livesync.values import finite, whole

SYNC_SOURCES = ("audio", "wall", "osc", "mtc", "clock")
CURVES = ("linear", "exp", "log")


@dataclass(frozen=True)
class OscSettings:
    host: str = "127.0.0.1"
    port: int = 9000
    allow: tuple[str, ...] = ()
    feedback: tuple[str, int] | None = None
    enabled: bool = True


@dataclass(frozen=True)
class SyncSettings:
    source: str = "audio"
    daw: str | None = None
    daw_address: tuple[str, int] = ("127.0.0.1", 11000)
    link: bool = False  # Ableton Link for tempo and beat phase


@dataclass(frozen=True)
class MidiSettings:
    mapping: MidiMapping = field(default_factory=MidiMapping)
    port: str | None = None
    sync_port: str | None = None
    controller: str | None = None


@dataclass(frozen=True)
class ControlSettings:
    osc: OscSettings = field(default_factory=OscSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    midi: MidiSettings = field(default_factory=MidiSettings)
    params: tuple[ParamSpec, ...] = ()


def parse_control(data: dict[str, Any], path: Path) -> ControlSettings:
    def fail(message: str) -> InputError:
        return InputError(path, message)

    osc_table = _table(data, "osc", path)
    port = whole(osc_table.get("port", 9000), "osc.port", path)
    if not 0 <= port <= 65535:
        raise fail(f"osc.port: expected a port number 0-65535, got {port!r}")
    host = osc_table.get("host", "127.0.0.1")
    allow = osc_table.get("allow", [])
    if not isinstance(host, str):
        raise fail('osc.host: expected an address like "127.0.0.1"')
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise fail("osc.allow: expected a list of sender addresses")
    feedback = _address(osc_table.get("feedback"), "osc.feedback", path)
    osc = OscSettings(host, port, tuple(allow), feedback, bool(osc_table.get("enabled", True)))

    sync_table = _table(data, "sync", path)
    source = sync_table.get("source", "audio")
    if source not in SYNC_SOURCES:
        raise fail(f"sync.source: expected one of {', '.join(SYNC_SOURCES)}, got {source!r}")
    daw = sync_table.get("daw")
    if daw is not None and daw not in DAW_PRESETS:
        raise fail(f"sync.daw: expected one of {', '.join(DAW_PRESETS)}, got {daw!r}")
    if source == "osc" and daw is None:
        raise fail('sync.daw: source = "osc" needs the DAW preset (reaper, ableton, bitwig)')
    daw_address = _address(sync_table.get("daw_address"), "sync.daw_address", path) or (
        "127.0.0.1",
        11000,
    )
    link = sync_table.get("link", False)
    if not isinstance(link, bool):
        raise fail("sync.link: expected true or false")
    sync = SyncSettings(source, daw, daw_address, link)

    midi = _midi(_table(data, "midi", path), path)
    params = tuple(_param(t, i, path) for i, t in enumerate(_tables(data, "params", path)))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise fail("params: a parameter name is defined twice")
    return ControlSettings(osc, sync, midi, params)


def _midi(table: dict[str, Any], path: Path) -> MidiSettings:
    """The show's own mappings, added to by a learned mapping file and a controller preset;
    each is parsed on its own, so a mistake names the file (and entry) it is in."""
    controller = table.get("controller")
    port = table.get("port")
    learned = MidiMapping()
    included = table.get("mapping")
    if included is not None:  # a file written by `livesync learn`
        if not isinstance(included, str):
            raise InputError(path, "midi.mapping: expected a file name")
        file = path.parent / included
        lists = {k: v for k, v in _include(file, path).items() if k in _LISTS}
        learned = parse_mapping(lists, source=file)
    preset = MidiMapping()
    if controller is not None:
        if not isinstance(controller, str):
            raise InputError(path, "midi.controller: expected a preset name")
        file, data = load_preset(controller, path)
        port = port or data.get("port")
        preset = parse_mapping(data.get("midi", {}), source=file)
    own = parse_mapping(table, source=path)
    mapping = MidiMapping(
        preset.scenes + own.scenes + learned.scenes,
        preset.params + own.params + learned.params,
        preset.transport + own.transport + learned.transport,
        # the show's own settings win over the preset's
        own.program_changes if "program_changes" in table else preset.program_changes,
        own.init_sysex if "init_sysex" in table else preset.init_sysex,
    )
    sync_port = table.get("sync_port")
    for key, value in (("midi.port", port), ("midi.sync_port", sync_port)):
        if value is not None and not isinstance(value, str):
            raise InputError(path, f"{key}: expected a port name")
    return MidiSettings(mapping, port, sync_port, controller)


_LISTS = ("scenes", "params", "transport")  # what a learned mapping file may add


def _include(file: Path, show: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(show, f"midi.mapping: {file} not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(file, f"cannot read the MIDI mapping ({exc})") from None
    midi = data.get("midi", {})
    if not isinstance(midi, dict):
        raise InputError(file, "expected [[midi.scenes]] / [[midi.params]] tables")
    return midi


def load_preset(name: str, source: Path) -> tuple[Path, dict[str, Any]]:
    """A controller preset from configs/controllers (by file stem): its file and contents."""
    folder = data_dir("configs") / "controllers"
    preset = folder / f"{name}.toml"
    if not preset.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise InputError(source, f"midi.controller: no preset {name!r} (presets: {known})")
    return preset, tomllib.loads(preset.read_text(encoding="utf-8"))


def _param(table: dict[str, Any], i: int, path: Path) -> ParamSpec:
    key = f"params[{i}]"
    name = table.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        raise InputError(path, f"{key}.name: expected a name usable in GLSL (letters, digits, _)")
    numbers = {
        field_name: finite(table.get(field_name, default), f"{key}.{field_name}", path)
        for field_name, default in (("min", 0.0), ("max", 1.0), ("smoothing", 0.05))
    }
    lo, hi = numbers["min"], numbers["max"]
    initial = finite(table.get("default", lo), f"{key}.default", path)
    curve = table.get("curve", "linear")
    if curve not in CURVES:
        raise InputError(path, f"{key}.curve: expected one of {', '.join(CURVES)}")
    return ParamSpec(name, lo, hi, initial, curve, numbers["smoothing"])


def _address(value: Any, key: str, path: Path) -> tuple[str, int] | None:
    if value is None:
        return None
    if isinstance(value, str) and value.count(":") == 1:
        host, port = value.split(":")
        if port.isdigit() and 0 < int(port) < 65536 and host:
            return host, int(port)
    raise InputError(path, f'{key}: expected "host:port", got {value!r}')


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise InputError(path, f"{key}: expected a table [{key}]")
    return value


def _tables(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(path, f"{key}: expected [[{key}]] tables")
    return value
