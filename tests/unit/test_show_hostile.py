"""Hostile show files: any value of any type at any key a show file (or a MIDI preset or
learned mapping it includes) knows gives a Show or one InputError naming the file and the
key, never another exception; misspelt keys are warnings naming them."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livesync.errors import InputError
from livesync.lipsync.idle import IdleAmounts
from livesync.show import eyes, mouth_sheet, puppet_style
from livesync.show.show_file import SHOW_KEYS, MouthColors, Show, load_show
from livesync.values import LONGEST_SONG, MAX_FPS, unknown_keys

HOSTILE = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A show that sets every key a show file knows, and loads without a warning.
FULL: dict[str, Any] = {
    "track": {
        "audio": "song.wav",
        "timeline": "song.timeline.json",
        "vocals": "vocals.wav",
        "bpm": 120,
        "downbeat": 1.5,
        "beats_per_bar": 4,
    },
    "scenes": [
        {
            "name": "verse",
            "background": "backgrounds/neon_grid.glsl",
            "effects": ["effects/bloom.fs"],
            "params": {"intensity": 0.8},
            "character": True,
            "mouth_colors": {"lip": "#ff0000"},
            "render_scale": 0.75,
            "channels": {
                "iChannel1": "noise.png",
                "lookupImage": {"file": "lut.png", "filter": "nearest", "wrap": "clamp"},
                "luma": {"file": "noise.png", "vflip": False},
                "iChannel3": {"scene": "chorus"},
                "maskImage": {"character": True},
            },
        },
        {
            "name": "chorus",
            "background": "backgrounds/aurora.glsl",
            "render_scale": "auto",
            "common": "common.glsl",
            "buffers": {"A": "buffer_a.glsl", "B": "buffer_b.glsl"},
            "buffer_channels": {
                "A": {"iChannel0": "A", "iChannel1": "noise.png"},
                "B": {"iChannel0": {"buffer": "A"}},
            },
            "channels": {"iChannel0": "B"},
        },
    ],
    "cues": [
        {"at": 5.8, "scene": "chorus", "fade": 0.4, "name": "drop"},
        {"bar": 5.5, "scene": "verse", "fade_beats": 1},
    ],
    "character": {
        "image": "me.png",
        "center": [0.5, 0.57],
        "height": 0.86,
        "mouth_width": 0.25,
        "landmarks": "face.json",
        "style": "singing",
        "colors": {"lip": "#c84455", "teeth": [1, 1, 0.9]},
        "mouth": {
            "center": [0.5, 0.7],
            "sheet": "mouths.png",
            "grid": [3, 3],
            "width": 0.48,
            "crossfade": 0.06,
            "names": "rhubarb",
            "scenes": ["chorus"],
            "shapes": {"X": 0, "A": 1, "B": [2, 0], "C": 3},
        },
        "eyes": {"at": [[0.4, 0.5], [0.6, 0.5]], "size": [0.1, 0.12], "lid": "#f7cba6"},
        "puppet": {"line": "#2b1d1a", "line_width": 0.006, "lip_sync": True},
        "idle": {"blink": 1.0, "bob": 0.5, "sway": 0.5, "breath": 1.0},
    },
    "output": {
        "size": [1280, 720],
        "fps": 30,
        "offset_ms": 40,
        "fullscreen": False,
        "display": 0,
        "render_scale": 1,
    },
    "osc": {
        "port": 9000,
        "host": "127.0.0.1",
        "allow": ["192.168.1.20"],
        "feedback": "127.0.0.1:9001",
        "enabled": True,
    },
    "sync": {"source": "osc", "daw": "reaper", "link": False, "daw_address": "127.0.0.1:11000"},
    "midi": {
        "controller": "apc-mini-mk2",
        "port": "APC mini",
        "sync_port": "IAC Bus 1",
        "mapping": "pads.toml",
        "program_changes": True,
        "init_sysex": [[0, 32, 41, 2, 12, 14, 1]],
        "scenes": [{"note": 36, "channel": 1, "scene": "chorus", "led": 5, "led_channel": 7}],
        "params": [{"cc": 21, "param": "speed", "channel": 16}],
        "transport": [{"cc": 41, "action": "play"}],
    },
    "params": [
        {"name": "speed", "min": 0, "max": 2, "default": 1, "curve": "exp", "smoothing": 0.05}
    ],
}
PADS = '[[midi.scenes]]\nnote = 40\nchannel = 2\nscene = "verse"\n'
PRESET = (Path(__file__).parents[2] / "configs" / "controllers" / "launchpad-x.toml").read_text()


def toml_value(value: Any) -> str:
    """A value as inline TOML (the tests write shows with no TOML writer installed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    items = ", ".join(f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items())
    return "{" + items + "}"


def toml_text(data: dict[str, Any]) -> str:
    return "".join(f"{toml_value(k)} = {toml_value(v)}\n" for k, v in data.items())


def folder(tmp_path: Path) -> Path:
    """A folder with what FULL names that the show file's reading looks at."""
    (tmp_path / "mouths.png").write_bytes(b"png")
    (tmp_path / "pads.toml").write_text(PADS)
    return tmp_path


def key_paths(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every key path in a parsed show, tables and their values alike."""
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from key_paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict):
                yield from key_paths(value, (*path, i))


def shown(path: tuple[str | int, ...]) -> str:
    """A key path as the messages write it: scenes[0].params.intensity."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def replaced(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(data))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy


# Keys whose value other keys refer to: a change to one may be reported at those.
REFERRED_BY = {
    "scenes[0].name": ("cues[", "character.mouth.scenes"),
    "scenes[1].name": ("cues[", "character.mouth.scenes", "scenes[0].channels.iChannel3"),
    "scenes": ("cues[", "character.mouth.scenes"),
    "scenes[1]": ("scenes[0].channels.iChannel3",),
    "scenes[1].background": ("scenes[1].buffers", "scenes[1].common"),
    "scenes[1].buffers": ("scenes[1].buffer_channels", "scenes[1].channels"),
    "character.mouth.grid": ("character.mouth.shapes",),
    "character.mouth.names": ("character.mouth.shapes",),
}

WORDS = [
    "", " ", "0", "30", "nan", "inf", "1e308", "true", "false", "auto", "osc", "audio",
    "\x00", "a" * 300, "../../x", "x.toml", "../" * 40 + "etc/passwd.toml", "#zzzzzz",
    "#c84455", "127.0.0.1:99999", "host:port", "exp", "play", "verse", "chorus", "é",
]  # fmt: skip
NUMBERS = st.sampled_from(
    [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, 0, -1, 0.5, 1.5, 1e9, 241, 86401,
     2**63 - 1, -(2**63), 127, 128, 16, 17, 65536]
)  # fmt: skip
SCALARS = (
    NUMBERS
    | st.floats()
    | st.integers(-(2**63), 2**63 - 1)
    | st.booleans()
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
    | st.dates()
    | st.datetimes()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
PATHS = sorted(key_paths(FULL), key=shown)


def test_the_full_show_loads_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = folder(tmp_path) / "show.toml"
    path.write_text(toml_text(FULL))
    with caplog.at_level(logging.WARNING, logger="livesync"):
        show = load_show(path)
    assert caplog.records == []
    assert show.output.fps == 30 and show.control.osc.enabled
    assert list(unknown_keys(FULL, SHOW_KEYS)) == []


def outcome(path: Path, key: str) -> Show | None:
    """load_show's result, or None after an InputError naming the file and `key` (or a
    key referring to it); any other exception fails the test."""
    try:
        return load_show(path)
    except InputError as err:
        message = str(err)
        assert "\n" not in message
        assert message.startswith(f"{path}: "), message
        names = (key, *REFERRED_BY.get(key, ()))
        assert any(name in message for name in names), (key, message)
        return None


def assert_sane(show: Show) -> None:
    """What the player may rely on in a show that loaded."""
    out = show.output
    assert 1 <= out.fps <= MAX_FPS and math.isfinite(out.offset_ms)
    assert all(0 <= c.at <= LONGEST_SONG and 0 <= c.fade <= LONGEST_SONG for c in show.cues)
    if show.tempo is not None:
        assert show.tempo.bpm > 0 and show.tempo.beats_per_bar >= 1
    assert isinstance(show.control.osc.enabled, bool)
    assert all(0 <= getattr(show.life.idle, f.name) <= 10 for f in fields(IdleAmounts))
    for spec in show.control.params:
        values = (spec.minimum, spec.maximum, spec.default, spec.smoothing)
        assert all(math.isfinite(v) for v in values)
        assert math.isfinite(spec.from_position(1.0))


@HOSTILE
@given(key=st.sampled_from(PATHS), value=VALUES)
def test_any_value_at_any_key(tmp_path: Path, key: tuple[str | int, ...], value: Any) -> None:
    path = folder(tmp_path) / "show.toml"
    path.write_text(toml_text(replaced(FULL, key, value)))
    show = outcome(path, shown(key))
    if show is not None:
        assert_sane(show)


class Messages(logging.Handler):
    """The messages logged while it is added (caplog is per test, not per example)."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def known_keys(table: tuple[str | int, ...]) -> set[str] | None:
    """The keys the table at `table` knows; None where the keys are the user's names."""
    parts = tuple(p for p in table if isinstance(p, str))
    own = {
        ("character", "mouth"): set(mouth_sheet.KEYS),
        ("character", "eyes"): set(eyes.KEYS),
        ("character", "puppet"): set(puppet_style.KEYS),
        ("character", "idle"): {f.name for f in fields(IdleAmounts)},
        ("character", "colors"): set(vars(MouthColors())),
        ("scenes", "mouth_colors"): set(vars(MouthColors())),
    }
    if parts in own:
        return own[parts]
    node: Any = SHOW_KEYS
    for part in parts:
        node = node[part]
        node = node[0] if isinstance(node, list) else node
        if node is None:
            return None
    return set(node)


@HOSTILE
@given(
    key=st.sampled_from([p for p in PATHS if isinstance(p[-1], str)]),
    name=st.text(min_size=1, max_size=12),
    value=SCALARS,
)
def test_an_unknown_key_is_a_warning_or_an_error_naming_it(
    tmp_path: Path, key: tuple[str | int, ...], name: str, value: Any
) -> None:
    """A key added to any table: a warning naming its path (the tables naming the
    character's parts refuse it instead), never anything else."""
    table = key[:-1]
    data = json.loads(json.dumps(FULL))
    node: Any = data
    for part in table:
        node = node[part]
    if not isinstance(node, dict) or name in node:
        return
    node[name] = value
    path = folder(tmp_path) / "show.toml"
    path.write_text(toml_text(data))
    handler = Messages()
    logging.getLogger("livesync").addHandler(handler)
    try:
        load_show(path)
    except InputError as err:
        assert str(err).startswith(f"{path}: {shown(table)}"), str(err)
        return
    finally:
        logging.getLogger("livesync").removeHandler(handler)
    warnings = handler.messages
    known = known_keys(table)
    if known is None or name in known:
        assert warnings == []
    else:
        assert len(warnings) == 1, warnings
        assert warnings[0].startswith(f"{path}: {shown(table)}")
        assert "unknown key (ignored)" in warnings[0]


PRESET_DATA: dict[str, Any] = {
    "name": "Pads",
    "port": "Pads MIDI",
    "midi": {
        "program_changes": False,
        "init_sysex": [[0, 32, 41]],
        "scenes": [{"note": 11, "scene": 0, "led": 21, "led_channel": 1}],
        "params": [{"cc": 48, "param": "$1", "channel": 1}],
        "transport": [{"note": 20, "action": "stop"}],
    },
}
TRACK = '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'


def including(tmp_path: Path, key: str, text: str) -> tuple[Show | None, str]:
    """Load a show whose [midi] `key` names a file holding `text`: the Show, or None and
    the problem of the one InputError, which must name that file."""
    included = tmp_path / "pads.toml"
    included.write_text(text)
    path = tmp_path / "show.toml"
    path.write_text(TRACK + f'[midi]\n{key} = "pads.toml"\n')
    try:
        return load_show(path), ""
    except InputError as err:
        assert str(err).startswith(f"{included}: "), str(err)
        return None, str(err)[len(f"{included}: ") :]


@HOSTILE
@given(key=st.sampled_from(sorted(key_paths(PRESET_DATA), key=shown)), value=VALUES)
def test_any_value_in_a_preset_of_ones_own(
    tmp_path: Path, key: tuple[str | int, ...], value: Any
) -> None:
    """A preset file the show names: its mistakes name the preset and the key."""
    show, problem = including(tmp_path, "controller", toml_text(replaced(PRESET_DATA, key, value)))
    if show is None:
        assert problem.startswith((shown(key), shown(key[:1]))), problem
    else:
        assert all(0 <= b <= 127 for m in show.control.midi.mapping.init_sysex for b in m)


@HOSTILE
@given(value=VALUES)
def test_any_learned_mapping(tmp_path: Path, value: Any) -> None:
    show, problem = including(tmp_path, "mapping", toml_text({"midi": {"scenes": value}}))
    assert show is not None or problem.startswith("midi.scenes"), problem


@HOSTILE
@given(text=st.text(max_size=200) | st.sampled_from([PRESET[:n] for n in range(0, 400, 7)]))
def test_any_preset_text(tmp_path: Path, text: str) -> None:
    """Truncated or random text as a preset: a preset, or one error naming it."""
    including(tmp_path, "controller", text)


# --- each defect the hostile-input report found, as a plain test ----------------------------


def show_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(TRACK + text)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as err:
        load_show(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message[len(f"{path}: ") :]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[output]\nfps = 1e9", "output.fps: must be 240 or less, got 1e+09"),
        ("[character.idle]\nbob = 1e308", "character.idle.bob: must be 10 or less, got 1e+308"),
        ("[output]\nfps = 241", "output.fps: must be 240 or less, got 241"),
        ("[output]\nfps = 0.5", "output.fps: expected 1 or more, got 0.5"),
        ("[output]\nfps = inf", "output.fps: expected a finite number, got inf"),
        ("bpm = 120\nbeats_per_bar = 0.5", "track.beats_per_bar: expected 1 or more, got 0.5"),
        (
            "bpm = 120\nbeats_per_bar = nan",
            "track.beats_per_bar: expected a finite number, got nan",
        ),
        ("bpm = 120\nbeats_per_bar = 1e9", "track.beats_per_bar: must be 64 or less, got 1e+09"),
        ("bpm = 1e308", "track.bpm: must be 1000 or less, got 1e+308"),
        ("bpm = 0.001", "track.bpm: must be 1 or more, got 0.001"),
        ("[character]\nheight = 1e308", "character.height: must be 10 or less, got 1e+308"),
        ("[character]\nmouth_width = 1e308", "character.mouth_width: must be 10 or less"),
        ("[character]\ncenter = [0.5, -1e308]", "character.center[1]: must be -10 or more"),
        ("[output]\noffset_ms = -1e9", "output.offset_ms: must be -2000 or more, got -1e+09"),
        ("[output]\ndisplay = 99999999999", "output.display: must be 63 or less, got 99999999999"),
        ('[[scenes]]\nname = "a"\nparams = { x = 1e308 }', "scenes[0].params.x: must be 1e+09"),
        ('[[params]]\nname = "x"\nmax = 1e308', "params[0].max: must be 1e+09 or less"),
        ('[[params]]\nname = "x"\nsmoothing = -1', "params[0].smoothing: must be 0 or more"),
        (
            '[[scenes]]\nname = "a"\n[[cues]]\nscene = "a"\nat = 1\nfade = 1e308',
            "cues[0].fade: must be 86400 or less, got 1e+308",
        ),
        (
            '[[scenes]]\nname = "a"\n[[cues]]\nscene = "a"\nat = 1\nfade = 1\nfade_beats = 1',
            "cues[0]: give one of 'fade' (seconds) or 'fade_beats'",
        ),
        ('[osc]\nenabled = "false"', "osc.enabled: expected true or false, got 'false'"),
        ("[osc]\nenabled = 0", "osc.enabled: expected true or false, got 0"),
        ("[midi]\ninit_sysex = 42", "midi.init_sysex: expected a list of messages, each a list"),
        ('[midi]\ninit_sysex = "F0 00 20"', "midi.init_sysex: expected a list of messages"),
        ("[midi]\ninit_sysex = [5]", "midi.init_sysex[0]: expected a list of messages"),
        ("[midi]\ninit_sysex = [[0, 247]]", "midi.init_sysex[0][1]: must be 127 or less, got 247"),
        ("[midi]\nscenes = 5", "midi.scenes: expected [[midi.scenes]] tables"),
        ("[midi]\nscenes = [5]", "midi.scenes[0]: expected a table, got 5"),
        ("[[midi.scenes]]\nnote = 1\nscene = -1", "midi.scenes[0].scene: must be 0 or more"),
        ('[sync]\ndaw = ["reaper"]', "sync.daw: expected one of reaper, ableton, bitwig"),
        ('[osc]\nfeedback = "host:٣"', 'osc.feedback: expected "host:port", got'),
        ('[character]\nimage = "a\\u0000b.png"', "character.image: not a usable file name"),
        (f'[[scenes]]\nname = "a"\nbackground = "{"x" * 300}"', "scenes[0].background: not a"),
        ('[[scenes]]\nname = "a"\neffects = [""]', "scenes[0].effects[0]: expected a file name"),
        ('[character.colors]\nnose = "#ffffff"', "character.colors.nose: not a mouth part"),
        ("params = 5", "params: expected [[params]] tables"),
    ],
)
def test_each_bad_value_is_one_error_naming_its_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    # "midi = ..." and "params = ..." belong at the top, before [track]
    if text.startswith("params ="):
        path = tmp_path / "show.toml"
        path.write_text(text + "\n" + TRACK)
    else:
        path = show_file(tmp_path, text + "\n")
    assert error_of(path).startswith(expected)


def test_midi_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text("midi = 5\n" + TRACK)
    assert error_of(path) == "midi: expected a table [midi]"


def test_osc_can_be_turned_off(tmp_path: Path) -> None:
    assert not load_show(show_file(tmp_path, "[osc]\nenabled = false\n")).control.osc.enabled


def test_a_reload_of_these_keeps_the_last_good_show(tmp_path: Path) -> None:
    """The reloader keeps the running show on any exception; these two are InputErrors
    when the show is read, so the message it logs is the clear one."""
    for text in ("[output]\nfps = inf\n", "[midi]\ninit_sysex = 5\n"):
        with pytest.raises(InputError):
            load_show(show_file(tmp_path, text))


@pytest.mark.parametrize("fps, expected", [(29.97, 30), (240, 240), (1, 1)])
def test_frame_rates_in_range_are_rounded(tmp_path: Path, fps: float, expected: int) -> None:
    assert load_show(show_file(tmp_path, f"[output]\nfps = {fps}\n")).output.fps == expected


# --- controller presets: names from the bundled folder, files only when written as files ----


def test_a_preset_name_never_leaves_the_presets(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('port = "sneaky"\n')
    for name in ("../../x", str(tmp_path / "x"), "../controllers/apc-mini-mk2", "a" * 300):
        message = error_of(show_file(tmp_path, f'[midi]\ncontroller = "{name}"\n'))
        assert message.startswith("midi.controller: no preset "), message


def test_a_preset_file_of_ones_own(tmp_path: Path) -> None:
    (tmp_path / "pads.toml").write_text(
        'name = "Pads"\nport = "Pads MIDI"\n[[midi.scenes]]\nnote = 1\nscene = 0\n'
    )
    midi = load_show(show_file(tmp_path, '[midi]\ncontroller = "pads.toml"\n')).control.midi
    assert midi.port == "Pads MIDI" and midi.mapping.scenes[0].trigger.number == 1
    missing = show_file(tmp_path, '[midi]\ncontroller = "lost.toml"\n')
    assert error_of(missing) == f"midi.controller: {tmp_path / 'lost.toml'} not found"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"[midi\n", "invalid TOML: "),
        (b'name = "caf\xe9"\n', "cannot read the controller preset (not UTF-8 text"),
        (b"midi = 5\n", "midi: expected a table [midi]"),
        (b"port = 5\n", "port: expected a port name, got 5"),
        (b"[[midi.scenes]]\nnote = 1e3\nscene = 0\n", "midi.scenes[0].note: expected a whole"),
        (b"a = " + b"9" * 5000 + b"\n", "invalid TOML: a number too long"),
        (b"a = " + b"[" * 5000 + b"\n", "invalid TOML: nested too deeply"),
        (b"a." * 5000 + b"b = 1\n", "line 1: a key of more than 100 parts"),
    ],
)
def test_a_broken_preset_is_one_error_naming_it(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    preset = tmp_path / "pads.toml"
    preset.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_show(show_file(tmp_path, '[midi]\ncontroller = "pads.toml"\n'))
    assert str(err.value).startswith(f"{preset}: {expected}")


def test_a_show_file_past_tomls_limits_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    for text, expected in (
        ("x = " + "[" * 5000, "invalid TOML: nested too deeply"),
        ("x = " + "9" * 5000, "invalid TOML: a number too long"),
        ("x." * 200000 + "y = 1", "line 1: a key of more than 100 parts"),
    ):
        path.write_text(text + "\n" + TRACK)
        assert error_of(path) == expected


# --- unknown keys -----------------------------------------------------------------------


def warnings_of(path: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="livesync"):
        load_show(path)
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_misspelt_key_is_named_with_a_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = show_file(tmp_path, "[output]\nfsp = 60\n")
    assert warnings_of(path, caplog) == [
        f"{path}: output.fsp: unknown key (ignored); did you mean fps?"
    ]
    assert load_show(path).output.fps == 30


@pytest.mark.parametrize(
    "text, key, guess",
    [
        ("bmp = 120", "track.bmp", "bpm"),
        ('[character]\nimagee = "a.png"', "character.imagee", "image"),
        ('[[scenes]]\nname = "a"\nbackgroud = "x"', "scenes[0].backgroud", "background"),
        ('[[scenes]]\nname = "a"\n[[cues]]\nscene = "a"\nat = 1\nfaed = 2', "cues[0].faed", "fade"),
        ('[[params]]\nname = "x"\nmaximum = 2', "params[0].maximum", "max"),
        ("[osc]\nprot = 9000", "osc.prot", "port"),
        ('[sync]\nsauce = "audio"', "sync.sauce", "source"),
        ('[midi]\ncontroler = "x"', "midi.controler", "controller"),
        ("[[midi.scenes]]\nnote = 1\nscene = 0\nchanel = 2", "midi.scenes[0].chanel", "channel"),
        ("[[midi.transport]]\ncc = 1\naction = 'play'\nbtn = 3", "midi.transport[0].btn", None),
        ("[outptu]\nfps = 60", "outptu", "output"),
        ('"my key" = 1', '"my key"', None),
    ],
)  # fmt: skip
def test_every_table_names_its_unknown_keys(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, key: str, guess: str | None
) -> None:
    if text.startswith('"my key"'):  # a top-level key: before [track]
        path = tmp_path / "show.toml"
        path.write_text(text + "\n" + TRACK)
    else:
        path = show_file(tmp_path, text + "\n")
    hint = f"; did you mean {guess}?" if guess else ""
    assert warnings_of(path, caplog) == [f"{path}: {key}: unknown key (ignored){hint}"]


def test_the_tables_naming_the_characters_parts_refuse_unknown_keys(tmp_path: Path) -> None:
    """Their keys are a fixed list of parts the error can show; a part that is not drawn
    would otherwise go unnoticed (the choice documented in docs/show-files.md)."""
    for table, needle in (
        (
            "[character.eyes]\nat = [[0.4, 0.5]]\nsise = [0.1, 0.1]",
            "character.eyes.sise: not a key",
        ),
        ("[character.puppet]\nskn = '#ffffff'", "character.puppet.skn: not a puppet setting"),
        ("[character.idle]\nblnk = 1", "character.idle.blnk: not an idle motion"),
        ("[character.colors]\nlips = '#ffffff'", "character.colors.lips: not a mouth part"),
    ):
        assert error_of(show_file(tmp_path, table + "\n")).startswith(needle)


def test_a_presets_unknown_keys_name_the_preset(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    preset = tmp_path / "pads.toml"
    preset.write_text('prot = "x"\n[[midi.scenes]]\nnote = 1\nscene = 0\nled_chanel = 2\n')
    learned = tmp_path / "learned.toml"
    learned.write_text("[midi]\nprogram_changes = true\n")
    path = show_file(tmp_path, '[midi]\ncontroller = "pads.toml"\nmapping = "learned.toml"\n')
    assert sorted(warnings_of(path, caplog)) == sorted(
        [
            f"{preset}: prot: unknown key (ignored); did you mean port?",
            f"{preset}: midi.scenes[0].led_chanel: unknown key (ignored); "
            "did you mean led_channel?",
            f"{learned}: midi.program_changes: unknown key (ignored)",
        ]
    )


def test_a_file_of_unknown_keys_is_not_a_screenful(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = show_file(tmp_path, "[output]\n" + "".join(f"k{i} = {i}\n" for i in range(50)))
    warnings = warnings_of(path, caplog)
    assert len(warnings) == 21 and warnings[-1] == f"{path}: 30 more unknown keys (ignored)"


def test_the_bundled_shows_and_presets_load_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from livesync.resources import data_dir, demo_show
    from livesync.show.control_settings import load_preset

    assert warnings_of(demo_show(), caplog) == []
    with caplog.at_level(logging.WARNING, logger="livesync"):
        for preset in sorted((data_dir("configs") / "controllers").glob("*.toml")):
            load_preset(preset.stem, demo_show())
    assert caplog.records == []
