"""A set list: a gig's songs in order, each a show file, and the interlude between them.

    [[songs]]
    show = "opener/show.toml"     # relative to this file
    name = "Opener"               # for /livesync/song NAME, the HUD and the log (default:
                                  # the show file's folder, or its name)
    pause = 8                     # start by itself after 8 s of interlude (default: wait
                                  # for a trigger: the N key, /livesync/next, /livesync/song)
    daw_start = 183.5             # where the song starts in the DAW's timeline, in seconds,
                                  # or "bar 65" / "bar 65 beat 3" with [daw] tempo below

    [midi]                        # songs from a controller (port: else the first song's)
    next = { note = 91 }          # the next song
    program_changes = true        # program change n starts song n (0 is the first)
    [[midi.songs]]
    note = 36
    song = "Opener"               # a name, or a 0-based index

    [interlude]                   # the walk-in, between songs and after the last: a scene
    background = "backgrounds/aurora.glsl"
    effects = ["effects/film.fs"]
    params = { intensity = 0.4 }
    bpm = 100                     # a tempo on the wall clock for beat-driven shaders and
    beats_per_bar = 4             # the idle pulse (default: none, or Link/MIDI clock's)
    input = true                  # listen to the room (the default input, or a device's
                                  # name): the shaders' audio inputs hear the house music

    interlude_seconds = 5         # `render` gives each interlude this length

    [daw]                         # the DAW project's tempo, for daw_start given in bars
    tempo = 120                   # beats per minute (constant over the project)
    beats_per_bar = 4             # beats of that tempo in a bar: 4 for 4/4 (the default),
                                  # 3.5 for 7/8 at a quarter-note tempo; bar 1 is at 0 s

The interlude is visuals only, on the wall clock, looping for as long as it is on. Every
mistake is one InputError naming the set list and the key, as in a show file; a song's own
show file is read when the set is checked or played, so one broken song is reported (and
skipped) without refusing the set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livesync.control.midi_map import SongButton, parse_song_buttons
from livesync.errors import InputError, read_user_text
from livesync.show.control_settings import MAX_PARAM
from livesync.show.reader import Reader
from livesync.show.scenes import Scene, Tempo
from livesync.show.show_file import MAX_BEATS_PER_BAR, MAX_BPM, resolve_shader
from livesync.values import (
    LONGEST_SONG,
    Keys,
    describe,
    file_name,
    finite,
    leaves,
    parse_toml,
    warn_unknown_keys,
)

DEFAULT_INTERLUDE = "backgrounds/aurora.glsl"
DEFAULT_INTERLUDE_SECONDS = 5.0
MAX_PAUSE = 3600.0  # an hour of interlude before a song starts by itself
MAX_SONGS = 500
MIN_TEMPO, MAX_TEMPO = 10.0, 999.0  # beats per minute a DAW project is set to

SET_LIST_KEYS: Keys = {
    "songs": [leaves("show", "name", "pause", "daw_start")],
    "interlude": leaves("background", "effects", "params", "bpm", "beats_per_bar", "input"),
    "interlude_seconds": None,
    "daw": leaves("tempo", "beats_per_bar"),
    "midi": {
        "songs": [leaves("note", "cc", "channel", "song")],
        "next": leaves("note", "cc", "channel"),
        **leaves("port", "program_changes"),
    },
}


@dataclass(frozen=True)
class SetMidi:
    """The set list's own MIDI: songs started from pads or program changes, on the port the
    set names (else the first song's show's)."""

    port: str | None = None
    songs: tuple[SongButton, ...] = ()
    program_changes: bool = False


@dataclass(frozen=True)
class SongEntry:
    name: str
    show: Path
    pause: float | None = None  # seconds of interlude before it starts by itself
    daw_start: float | None = None  # seconds into the DAW's timeline


@dataclass(frozen=True)
class SetList:
    path: Path
    songs: tuple[SongEntry, ...]
    interlude: Scene
    interlude_seconds: float = DEFAULT_INTERLUDE_SECONDS
    midi: SetMidi = SetMidi()
    interlude_tempo: Tempo | None = None  # the interlude's own beat, on the wall clock
    interlude_listens: bool = False  # the interlude's audio inputs hear an input device
    interlude_input: str | None = None  # which (part of its name); None: the default input

    def find(self, wanted: str | int) -> int | None:
        """A song by index (0 is the first) or by name (case-insensitive), else None."""
        if isinstance(wanted, int):
            return wanted if 0 <= wanted < len(self.songs) else None
        needle = wanted.strip().lower()
        return next((i for i, s in enumerate(self.songs) if s.name.lower() == needle), None)


def is_set_list(data: dict[str, Any]) -> bool:
    """A TOML file is a set list when it has [[songs]] (a show file never does)."""
    return "songs" in data


def looks_like_set_list(path: Path) -> bool:
    """For commands that take a show or a set list: read the file once to tell."""
    if path.suffix.lower() != ".toml":
        return False
    try:
        return is_set_list(parse_toml(read_user_text(path, "show file"), path))
    except InputError:
        return False  # the show reader will say what is wrong with it


def load_set_list(path: Path) -> SetList:
    return parse_set_list(parse_toml(read_user_text(path, "set list"), path), path)


def parse_set_list(data: dict[str, Any], path: Path) -> SetList:
    warn_unknown_keys(data, SET_LIST_KEYS, path)
    r = Reader(path)
    raw = r.get(data, "songs", list)
    if not raw:
        raise InputError(path, "songs: expected at least one [[songs]] table")
    if len(raw) > MAX_SONGS:
        raise InputError(path, f"songs: {len(raw)} songs; a set list holds at most {MAX_SONGS}")
    songs: list[SongEntry] = []
    for i, table in enumerate(raw):
        key = f"songs[{i}]"
        if not isinstance(table, dict):
            raise InputError(path, f"{key}: expected a table, got {describe(table)}")
        show = path.parent / file_name(table.get("show"), f"{key}.show", path)
        default_name = show.parent.name if show.stem == "show" and show.parent.name else show.stem
        name = r.get(table, f"{key}.name", str, default_name).strip() or default_name
        if any(s.name.lower() == name.lower() for s in songs):
            raise InputError(path, f"{key}.name: song {describe(name)} is in the set twice")
        pause = table.get("pause")
        songs.append(
            SongEntry(
                name,
                show,
                None
                if pause is None
                else finite(pause, f"{key}.pause", path, minimum=0.0, maximum=MAX_PAUSE),
                _daw_start(r, data, table.get("daw_start"), f"{key}.daw_start"),
            )
        )
    seconds = r.number(
        data, "interlude_seconds", DEFAULT_INTERLUDE_SECONDS, minimum=0.0, maximum=MAX_PAUSE
    )
    return SetList(
        path,
        tuple(songs),
        _interlude(r, data, path.parent),
        seconds,
        _midi(r, data),
        _interlude_tempo(r, data),
        *_interlude_input(r, data),
    )


def _interlude_input(r: Reader, data: dict[str, Any]) -> tuple[bool, str | None]:
    table = r.table(data, "interlude", required=False)
    value = table.get("input", False)
    if isinstance(value, bool):
        return value, None
    if isinstance(value, str) and value.strip():
        return True, value.strip()
    raise InputError(
        r.path,
        f"interlude.input: expected true, false or an input's name, got {describe(value)}",
    )


def _interlude_tempo(r: Reader, data: dict[str, Any]) -> Tempo | None:
    """A beat for the interlude's shaders and idle pulse, counted from its start."""
    table = r.table(data, "interlude", required=False)
    if "bpm" not in table:
        return None
    return Tempo(
        r.number(table, "interlude.bpm", 120.0, minimum=1.0, maximum=MAX_BPM),
        0.0,
        r.count(table, "interlude.beats_per_bar", 4, MAX_BEATS_PER_BAR),
    )


def _daw_start(r: Reader, data: dict[str, Any], value: Any, key: str) -> float | None:
    """Seconds into the DAW's timeline: given so, or as "bar N" or "bar N beat B" (counted
    from 1, as a DAW shows them) at the [daw] table's tempo."""
    if value is None:
        return None
    if not isinstance(value, str):
        return finite(value, key, r.path, minimum=0.0, maximum=LONGEST_SONG)
    words = value.lower().split()
    if len(words) not in (2, 4) or words[0] != "bar" or (len(words) == 4 and words[2] != "beat"):
        raise InputError(
            r.path,
            f'{key}: expected seconds, "bar N" or "bar N beat B", got {describe(value)}',
        )
    try:
        bar, beat = float(words[1]), float(words[3]) if len(words) == 4 else 1.0
    except ValueError:
        raise InputError(
            r.path, f"{key}: {describe(value)} has a bar or beat that is not a number"
        ) from None
    table = r.table(data, "daw", required=False)
    if "tempo" not in table:
        raise InputError(
            r.path, f"{key}: a start in bars needs the project's tempo: [daw] tempo = 120"
        )
    tempo = r.number(table, "daw.tempo", 120.0, minimum=MIN_TEMPO, maximum=MAX_TEMPO)
    per_bar = r.number(table, "daw.beats_per_bar", 4.0, minimum=1.0, maximum=MAX_BEATS_PER_BAR)
    if not (bar >= 1 and 1 <= beat < per_bar + 1):
        raise InputError(
            r.path,
            f"{key}: {describe(value)}: bars count from 1, beats from 1 to {per_bar:g}",
        )
    seconds = ((bar - 1) * per_bar + (beat - 1)) * 60.0 / tempo
    return finite(seconds, key, r.path, minimum=0.0, maximum=LONGEST_SONG)


def _midi(r: Reader, data: dict[str, Any]) -> SetMidi:
    table = r.table(data, "midi", required=False)
    port = r.get(table, "midi.port", str, None)
    if port is not None and not port.strip():
        raise InputError(r.path, "midi.port: expected part of a MIDI port's name")
    buttons, programs = parse_song_buttons(table, "midi", r.path)
    return SetMidi(port, buttons, programs)


def _interlude(r: Reader, data: dict[str, Any], base: Path) -> Scene:
    table = r.table(data, "interlude", required=False)
    background = r.file(table, "interlude.background", DEFAULT_INTERLUDE)
    effects = [
        file_name(e, f"interlude.effects[{k}]", r.path)
        for k, e in enumerate(r.get(table, "interlude.effects", list, []))
    ]
    params = {
        name: finite(
            value, f"interlude.params.{name}", r.path, minimum=-MAX_PARAM, maximum=MAX_PARAM
        )
        for name, value in r.get(table, "interlude.params", dict, {}).items()
    }
    return Scene(
        "interlude",
        resolve_shader(background, base),
        character=False,
        effects=tuple(resolve_shader(e, base) for e in effects),
        params=params,
    )
