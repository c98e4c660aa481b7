"""MIDI control mapping, pure: a controller's pads, knobs and buttons to control events.

Mappings come from TOML (a show's [midi] section, or a preset in configs/controllers/):

    [[midi.scenes]]        # a pad (note) or a button (cc) selects a scene
    note = 36              # or: cc = 32
    channel = 1            # 1-16 as printed on controllers; omit for any channel
    scene = "chorus"       # a name, or a 0-based index into the show's scenes
    led = 21               # velocity sent back to light the pad of the active scene
    led_channel = 7        # the channel LED messages go to (some devices use it for brightness)

    [[midi.params]]        # a knob or fader drives a parameter (soft takeover applies)
    cc = 21
    param = "speed"

    [[midi.transport]]     # a button drives the transport
    cc = 41
    action = "play"        # play, pause, stop

    [midi]
    program_changes = true # program change n selects scene n
    init_sysex = [[0, 32, 41, 2, 12, 14, 1]]   # sent when the port opens (without F0/F7)

Channels are 1-16 in files and 0-15 in messages (as sent on the wire).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livesync.control.events import (
    ControlEvent,
    PickSong,
    SelectScene,
    SetParamNormalized,
    Transport,
)
from livesync.errors import InputError
from livesync.values import Keys, Source, describe, leaves, whole

TRANSPORT_ACTIONS = ("play", "pause", "stop")
MAX_SCENE_INDEX = 999  # a scene given by its number: far more scenes than any show has

# Every key a mapping table knows (for livesync.values.warn_unknown_keys).
MAPPING_KEYS: Keys = {
    "scenes": [leaves("note", "cc", "channel", "scene", "led", "led_channel")],
    "params": [leaves("cc", "param", "channel")],
    "transport": [leaves("note", "cc", "channel", "action")],
    **leaves("program_changes", "init_sysex"),
}


@dataclass(frozen=True, slots=True)
class Trigger:
    """A pad or button: a note, or a CC whose value above 0 means pressed."""

    number: int
    is_cc: bool = False
    channel: int | None = None  # 0-15, None for any

    def matches(self, kind: str, channel: int, number: int, value: int) -> bool:
        pressed = value > 0
        wanted = "control_change" if self.is_cc else "note_on"
        return (
            kind == wanted and pressed and number == self.number and self.channel in (None, channel)
        )


@dataclass(frozen=True, slots=True)
class SceneButton:
    trigger: Trigger
    scene: str | int
    led: int = 127
    led_channel: int | None = None


@dataclass(frozen=True, slots=True)
class ParamControl:
    cc: int
    param: str
    channel: int | None = None


@dataclass(frozen=True, slots=True)
class TransportButton:
    trigger: Trigger
    action: str


@dataclass(frozen=True, slots=True)
class SongButton:
    """In a set list: a pad or button that starts a song (a name, a 0-based index, or None
    for the next one)."""

    trigger: Trigger
    song: str | int | None


@dataclass(frozen=True)
class MidiMapping:
    scenes: tuple[SceneButton, ...] = ()
    params: tuple[ParamControl, ...] = ()
    transport: tuple[TransportButton, ...] = ()
    program_changes: bool = False
    init_sysex: tuple[tuple[int, ...], ...] = ()
    songs: tuple[SongButton, ...] = ()  # a set list's (livesync.show.set_list)
    song_programs: bool = False  # a set list's: program change n starts song n

    def route(
        self, kind: str, channel: int, a: int, b: int = 0, port: str = "midi"
    ) -> ControlEvent | None:
        """kind is mido's message type: note_on, control_change, program_change."""
        for song in self.songs:
            if song.trigger.matches(kind, channel, a, b):
                what = "cc" if song.trigger.is_cc else "note"
                return PickSong(song.song, f"{port} {what} {a}")
        if kind == "program_change" and self.song_programs:
            return PickSong(a, f"{port} program {a}")
        for s in self.scenes:
            if s.trigger.matches(kind, channel, a, b):
                what = "cc" if s.trigger.is_cc else "note"
                return SelectScene(s.scene, f"{port} {what} {a}")
        for t in self.transport:
            if t.trigger.matches(kind, channel, a, b):
                return Transport(t.action, f"{port} {'cc' if t.trigger.is_cc else 'note'} {a}")
        if kind == "control_change":
            for p in self.params:
                if p.cc == a and p.channel in (None, channel):
                    return SetParamNormalized(
                        p.param, b / 127.0, f"{port} cc {a}", control=f"{port}/{channel}/cc{a}"
                    )
        if kind == "program_change" and self.program_changes:
            return SelectScene(a, f"{port} program {a}")
        return None

    def leds(self, scene_names: tuple[str, ...], active: int) -> list[tuple[str, int, int, int]]:
        """(kind, channel, number, value) messages lighting the active scene's pad."""
        out = []
        for s in self.scenes:
            index = (
                s.scene
                if isinstance(s.scene, int)
                else (scene_names.index(s.scene) if s.scene in scene_names else -1)
            )
            channel = s.led_channel if s.led_channel is not None else (s.trigger.channel or 0)
            kind = "control_change" if s.trigger.is_cc else "note_on"
            out.append((kind, channel, s.trigger.number, s.led if index == active else 0))
        return out


def parse_mapping(
    data: dict[str, Any], where: str = "midi", *, source: Source = None
) -> MidiMapping:
    """A mapping table; `source` is the file it came from (a show, a preset, a learned
    mapping), so a mistake names the file the user has to open, not the show including it."""
    scenes = []
    for i, t in enumerate(_tables(data, "scenes", where, source)):
        path = f"{where}.scenes[{i}]"
        scene = t.get("scene")
        if not isinstance(scene, str):
            if not isinstance(scene, int) or isinstance(scene, bool):
                raise InputError(source, f"{path}.scene: expected a scene name or 0-based index")
            whole(scene, f"{path}.scene", source, minimum=0, maximum=MAX_SCENE_INDEX)
        led = _int(t, "led", 0, 127, path, source) if "led" in t else 127
        led_channel = (
            _int(t, "led_channel", 1, 16, path, source) - 1 if "led_channel" in t else None
        )
        scenes.append(SceneButton(_trigger(t, path, source), scene, led, led_channel))
    params = []
    for i, t in enumerate(_tables(data, "params", where, source)):
        path = f"{where}.params[{i}]"
        if not isinstance(t.get("param"), str):
            raise InputError(source, f"{path}.param: expected a parameter name")
        cc = _int(t, "cc", 0, 127, path, source)
        params.append(ParamControl(cc, t["param"], _channel(t, path, source)))
    transport = []
    for i, t in enumerate(_tables(data, "transport", where, source)):
        path = f"{where}.transport[{i}]"
        if t.get("action") not in TRANSPORT_ACTIONS:
            raise InputError(
                source, f"{path}.action: expected one of {', '.join(TRANSPORT_ACTIONS)}"
            )
        transport.append(TransportButton(_trigger(t, path, source), t["action"]))
    program = data.get("program_changes", False)
    if not isinstance(program, bool):
        raise InputError(source, f"{where}.program_changes: expected true or false")
    return MidiMapping(
        tuple(scenes), tuple(params), tuple(transport), program, _sysex(data, where, source)
    )


def parse_song_buttons(
    data: dict[str, Any], where: str, source: Source
) -> tuple[tuple[SongButton, ...], bool]:
    """A set list's [midi] routes: `next = { note = 91 }`, [[midi.songs]] tables (`note` or
    `cc`, `channel`, `song` = a name or 0-based index) and `program_changes` (program change
    n starts song n), each mistake naming its key."""
    buttons = []
    if "next" in data:
        table = data["next"]
        if not isinstance(table, dict):
            raise InputError(source, f"{where}.next: expected a table such as {{ note = 91 }}")
        buttons.append(SongButton(_trigger(table, f"{where}.next", source), None))
    for i, t in enumerate(_tables(data, "songs", where, source)):
        path = f"{where}.songs[{i}]"
        song = t.get("song")
        if isinstance(song, str) and song.strip():
            wanted: str | int = song
        elif isinstance(song, int) and not isinstance(song, bool):
            wanted = whole(song, f"{path}.song", source, minimum=0, maximum=MAX_SCENE_INDEX)
        else:
            raise InputError(source, f"{path}.song: expected a song name or 0-based index")
        buttons.append(SongButton(_trigger(t, path, source), wanted))
    programs = data.get("program_changes", False)
    if not isinstance(programs, bool):
        raise InputError(source, f"{where}.program_changes: expected true or false")
    return tuple(buttons), programs


def _sysex(data: dict[str, Any], where: str, source: Source) -> tuple[tuple[int, ...], ...]:
    """SysEx messages as lists of data bytes 0-127, without the F0/F7 framing mido adds."""
    messages = data.get("init_sysex", [])
    expected = "expected a list of messages, each a list of data bytes 0-127 (without F0/F7)"
    if not isinstance(messages, list):
        raise InputError(source, f"{where}.init_sysex: {expected}, e.g. [[0, 32, 41]]")
    sysex = []
    for i, msg in enumerate(messages):
        key = f"{where}.init_sysex[{i}]"
        if not isinstance(msg, list):
            raise InputError(source, f"{key}: {expected}")
        sysex.append(
            tuple(
                whole(b, f"{key}[{j}]", source, minimum=0, maximum=127) for j, b in enumerate(msg)
            )
        )
    return tuple(sysex)


def _int(table: dict[str, Any], key: str, lo: int, hi: int, path: str, source: Source) -> int:
    value = whole(table.get(key), f"{path}.{key}", source)
    if not lo <= value <= hi:
        raise InputError(source, f"{path}.{key}: expected an integer {lo}-{hi}, got {value!r}")
    return value


def _channel(table: dict[str, Any], path: str, source: Source) -> int | None:
    return None if "channel" not in table else _int(table, "channel", 1, 16, path, source) - 1


def _trigger(table: dict[str, Any], path: str, source: Source) -> Trigger:
    if ("note" in table) == ("cc" in table):
        raise InputError(source, f"{path}: give exactly one of 'note' or 'cc'")
    is_cc = "cc" in table
    return Trigger(
        _int(table, "cc" if is_cc else "note", 0, 127, path, source),
        is_cc,
        _channel(table, path, source),
    )


def _tables(data: dict[str, Any], key: str, where: str, source: Source) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError(source, f"{where}.{key}: expected [[{where}.{key}]] tables")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InputError(source, f"{where}.{key}[{i}]: expected a table, got {describe(item)}")
    return value
