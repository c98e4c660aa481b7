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
controller = "apc-mini-mk2"  # a preset from configs/controllers, or a preset file of your own
                             # ("my-pads.toml", relative to the show), or mappings inline
port = "APC mini"            # input/output port name (substring, case-insensitive)
sync_port = "IAC Bus 1"      # where MTC / MIDI clock arrive (default: the controller's)

[[params]]                   # show parameters (ISF shader inputs are added automatically)
name = "speed"
min = 0.0
max = 2.0
default = 1.0
curve = "linear"             # linear, exp, log
smoothing = 0.05             # seconds

A controller value is a bundled preset's name, or, ending in ".toml", a file the show names
as it names any other: a name never reaches outside the bundled presets, so `controller =
"../../x"` loads nothing it does not say. A key none of these tables knows is a warning
naming it (livesync.values.warn_unknown_keys); presets and learned mapping files are checked
the same way, each named in its own messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesync.control.midi_map import MAPPING_KEYS, MidiMapping, parse_mapping
from livesync.control.osc_map import DAW_PRESETS
from livesync.control.state import ParamSpec
from livesync.errors import InputError, read_user_text
from livesync.resources import data_dir
from livesync.values import (
    Keys,
    describe,
    file_name,
    finite,
    leaves,
    parse_toml,
    warn_unknown_keys,
    whole,
)

SYNC_SOURCES = ("audio", "wall", "osc", "mtc", "clock")
CURVES = ("linear", "exp", "log")
MAX_PARAM = 1e9  # a parameter value or bound: shaders take 32-bit floats
MAX_SMOOTHING = 60.0  # seconds: longer is a parameter that never arrives
PRESET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # a file stem in configs/controllers

# Every key of the live-control tables (for livesync.values.warn_unknown_keys).
_LISTS = ("scenes", "params", "transport")  # what a learned mapping file may add
CONTROL_KEYS: Keys = {
    "osc": leaves("port", "host", "allow", "feedback", "enabled"),
    "sync": leaves("source", "daw", "link", "daw_address"),
    "midi": {**MAPPING_KEYS, **leaves("controller", "port", "sync_port", "mapping")},
    "params": [leaves("name", "min", "max", "default", "curve", "smoothing")],
}
PRESET_KEYS: Keys = {**leaves("name", "port"), "midi": MAPPING_KEYS}
LEARNED_KEYS: Keys = {"midi": {k: v for k, v in MAPPING_KEYS.items() if k in _LISTS}}


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
    if not isinstance(host, str) or not host.strip():
        raise fail(f'osc.host: expected an address like "127.0.0.1", got {describe(host)}')
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise fail("osc.allow: expected a list of sender addresses")
    feedback = _address(osc_table.get("feedback"), "osc.feedback", path)
    enabled = osc_table.get("enabled", True)
    if not isinstance(enabled, bool):  # "false" is a string, and a string is true
        raise fail(f"osc.enabled: expected true or false, got {describe(enabled)}")
    osc = OscSettings(host, port, tuple(allow), feedback, enabled)

    sync_table = _table(data, "sync", path)
    source = sync_table.get("source", "audio")
    if source not in SYNC_SOURCES:
        raise fail(
            f"sync.source: expected one of {', '.join(SYNC_SOURCES)}, got {describe(source)}"
        )
    daw = sync_table.get("daw")
    if daw is not None and (not isinstance(daw, str) or daw not in DAW_PRESETS):
        raise fail(f"sync.daw: expected one of {', '.join(DAW_PRESETS)}, got {describe(daw)}")
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
    port = _port_name(table.get("port"), "midi.port", path)
    learned = MidiMapping()
    included = table.get("mapping")
    if included is not None:  # a file written by `livesync learn`
        file = path.parent / file_name(included, "midi.mapping", path)
        data = _read_toml(file, "MIDI mapping", path, "midi.mapping")
        warn_unknown_keys(data, LEARNED_KEYS, file)
        midi = _table(data, "midi", file)
        learned = parse_mapping({k: v for k, v in midi.items() if k in _LISTS}, source=file)
    preset = MidiMapping()
    if controller is not None:
        if not isinstance(controller, str):
            raise InputError(
                path, f"midi.controller: expected a preset name, got {describe(controller)}"
            )
        file, data = load_preset(controller, path)
        port = port or _port_name(data.get("port"), "port", file)
        preset = parse_mapping(_table(data, "midi", file), source=file)
    own = parse_mapping(table, source=path)
    mapping = MidiMapping(
        preset.scenes + own.scenes + learned.scenes,
        preset.params + own.params + learned.params,
        preset.transport + own.transport + learned.transport,
        # the show's own settings win over the preset's
        own.program_changes if "program_changes" in table else preset.program_changes,
        own.init_sysex if "init_sysex" in table else preset.init_sysex,
    )
    sync_port = _port_name(table.get("sync_port"), "midi.sync_port", path)
    return MidiSettings(mapping, port, sync_port, controller)


def _port_name(value: Any, key: str, source: Path) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InputError(source, f"{key}: expected a port name, got {describe(value)}")
    return value


def load_preset(name: str, source: Path) -> tuple[Path, dict[str, Any]]:
    """A controller preset: a bundled one by name (a file stem in configs/controllers), or a
    file of the user's own when the show names one ("my-pads.toml", relative to the show).
    Returns the file and its contents; every mistake in it names that file."""
    if name.endswith(".toml"):
        preset = source.parent / file_name(name, "midi.controller", source)
    else:
        folder = data_dir("configs") / "controllers"
        preset = folder / f"{name}.toml"
        if not PRESET_NAME.fullmatch(name) or not preset.is_file():
            known = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
            raise InputError(
                source,
                f"midi.controller: no preset {describe(name)} (presets: {known}; "
                'or a preset file of your own, "my-pads.toml")',
            )
    data = _read_toml(preset, "controller preset", source, "midi.controller")
    warn_unknown_keys(data, PRESET_KEYS, preset)
    return preset, data


def _read_toml(file: Path, what: str, show: Path, key: str) -> dict[str, Any]:
    """A TOML file a show includes; one InputError naming it if it is missing or broken."""
    if not file.exists():
        raise InputError(show, f"{key}: {file} not found")
    return parse_toml(read_user_text(file, what), file)


def _param(table: dict[str, Any], i: int, path: Path) -> ParamSpec:
    key = f"params[{i}]"
    name = table.get("name")
    if not isinstance(name, str) or not name.isidentifier() or not name.isascii():
        raise InputError(path, f"{key}.name: expected a name usable in GLSL (letters, digits, _)")
    lo, hi = (
        finite(table.get(n, default), f"{key}.{n}", path, minimum=-MAX_PARAM, maximum=MAX_PARAM)
        for n, default in (("min", 0.0), ("max", 1.0))
    )
    initial = finite(
        table.get("default", lo), f"{key}.default", path, minimum=-MAX_PARAM, maximum=MAX_PARAM
    )
    smoothing = finite(
        table.get("smoothing", 0.05), f"{key}.smoothing", path, minimum=0.0, maximum=MAX_SMOOTHING
    )
    curve = table.get("curve", "linear")
    if not isinstance(curve, str) or curve not in CURVES:
        raise InputError(
            path, f"{key}.curve: expected one of {', '.join(CURVES)}, got {describe(curve)}"
        )
    return ParamSpec(name, lo, hi, initial, curve, smoothing)


def _address(value: Any, key: str, path: Path) -> tuple[str, int] | None:
    if value is None:
        return None
    if isinstance(value, str) and value.count(":") == 1:
        host, port = value.split(":")
        if port.isascii() and port.isdigit() and 0 < int(port) < 65536 and host.strip():
            return host, int(port)
    raise InputError(path, f'{key}: expected "host:port", got {describe(value)}')


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise InputError(path, f"{key}: expected a table [{key}]")
    return value


def _tables(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError(path, f"{key}: expected [[{key}]] tables")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InputError(path, f"{key}[{i}]: expected a table, got {describe(item)}")
    return value
