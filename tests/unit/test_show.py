"""Show files: defaults, paths, and errors that name the file and the key path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.lipsync.visemes import Viseme
from livesync.resources import demo_show
from livesync.show.show_file import load_show

GOOD = """
[track]
audio = "song.wav"
timeline = "song.timeline.json"
[character]
image = "me.png"
mouth = [0.4, 0.6]
[character.colors]
lip = "#ff0000"
[output]
size = [1920, 1080]
fps = 60
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(text)
    return path


def test_good_show(tmp_path: Path) -> None:
    show = load_show(write(tmp_path, GOOD))
    assert show.audio == tmp_path / "song.wav"
    assert show.character.image == tmp_path / "me.png"
    assert show.character.mouth == (0.4, 0.6)
    assert show.character.colors.lip == (1.0, 0.0, 0.0)
    assert show.output.size == (1920, 1080) and show.output.fps == 60
    assert show.scenes[0].background.name == "aurora.glsl"
    assert show.scenes[0].background.exists()


@pytest.mark.parametrize(
    "change, needle",
    [
        (("[track]\naudio", "[trackx]\naudio"), "track: missing table [track]"),
        (('timeline = "song.timeline.json"', ""), "track.timeline: missing"),
        (("fps = 60", 'fps = "fast"'), "output.fps: expected a number, got a string"),
        (("fps = 60", "fps = 0"), "output.fps: expected 1 or more, got 0"),
        (("fps = 60", "fps = 0.5"), "output.fps: expected 1 or more, got 0.5"),
        (("size = [1920, 1080]", "size = [1920, 8]"), "output.size: expected [width, height]"),
        (("size = [1920, 1080]", "size = [1920]"), "output.size: expected [width, height]"),
        (("mouth = [0.4, 0.6]", "mouth = 3"), "character.mouth: expected a list"),
        (('lip = "#ff0000"', 'lip = "red"'), "character.colors.lip: expected a colour"),
        (("fps = 60", "fps = 60\nfps = 30"), "invalid TOML"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, change: tuple[str, str], needle: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: ")
    assert needle in str(err.value)


def test_bundled_demo_show_is_valid() -> None:
    show = load_show(demo_show())
    assert show.audio.exists() and show.timeline.exists()
    assert all(s.background.exists() for s in show.scenes)
    assert show.character.image is not None and show.character.image.exists()


def test_scene_mouth_colours(tmp_path: Path) -> None:
    text = GOOD + '[[scenes]]\nname = "a"\n[scenes.mouth_colors]\nlip = "#00ff00"\n'
    show = load_show(write(tmp_path, text))
    assert show.scenes[0].mouth_colors == {"lip": (0.0, 1.0, 0.0)}
    bad = GOOD + '[[scenes]]\nname = "a"\n[scenes.mouth_colors]\nnose = "#00ff00"\n'
    with pytest.raises(InputError, match=r"scenes\[0\].mouth_colors.nose: not a mouth part"):
        load_show(write(tmp_path, bad))


SCENE = '[[scenes]]\nname = "a"\n'
CUE = '[[cues]]\nscene = "a"\n'

# Every numeric key family of a show file, with X where the bad value goes; TOML writes nan
# and inf literally, so each must be refused by the key path, not found later on screen.
FINITE_KEYS = [
    ("bpm = X", "track.bpm"),
    ("bpm = 120\ndownbeat = X", "track.downbeat"),
    ("bpm = 120\nbeats_per_bar = X", "track.beats_per_bar"),
    ("[character]\nheight = X", "character.height"),
    ("[character]\nmouth_width = X", "character.mouth_width"),
    ("[character]\ncenter = [0.5, X]", "character.center[1]"),
    ("[character]\nmouth = [X, 0.5]", "character.mouth[0]"),
    ("[character.colors]\nteeth = [1, X, 1]", "character.colors.teeth[1]"),
    ("[output]\nfps = X", "output.fps"),
    ("[output]\noffset_ms = X", "output.offset_ms"),
    (SCENE + "params = { speed = 1, x = X }", "scenes[0].params.x"),
    (SCENE + "[scenes.mouth_colors]\nlip = [X, 0, 0]", "scenes[0].mouth_colors.lip[0]"),
    (SCENE + CUE + "at = X", "cues[0].at"),
    ("bpm = 120\n" + SCENE + CUE + "bar = X", "cues[0].bar"),
    (SCENE + CUE + "at = 1\nfade = X", "cues[0].fade"),
    ("bpm = 120\n" + SCENE + CUE + "at = 1\nfade_beats = X", "cues[0].fade_beats"),
]
SHEET = '[character.mouth]\nsheet = "m.png"\ngrid = [2, 2]\n'
SHAPES = "[character.mouth.shapes]\nA = 0\n"  # no X: X marks the bad value
FINITE_KEYS += [
    ("[character.mouth]\ncenter = [X, 0.5]", "character.mouth.center[0]"),
    (SHEET + "crossfade = X\n" + SHAPES, "character.mouth.crossfade"),
    (SHEET + "width = X\n" + SHAPES, "character.mouth.width"),
]
WHOLE_KEYS = [
    ("[output]\ndisplay = X", "output.display"),
    ("[output]\nsize = [1280, X]", "output.size[1]"),
    ('[character.mouth]\nsheet = "m.png"\ngrid = [X, 2]\n' + SHAPES, "character.mouth.grid[0]"),
    (SHEET + "[character.mouth.shapes]\nA = [0, X]", "character.mouth.shapes.A[1]"),
]
TRACK = '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'


@pytest.mark.parametrize("text, key", FINITE_KEYS)
@pytest.mark.parametrize("bad", ["nan", "inf", "-inf"])
def test_numbers_must_be_finite(tmp_path: Path, text: str, key: str, bad: str) -> None:
    path = write(tmp_path, TRACK + text.replace("X", bad) + "\n")
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value) == f"{path}: {key}: expected a finite number, got {bad}"


@pytest.mark.parametrize("text, key", FINITE_KEYS)
def test_numbers_are_not_booleans(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path, TRACK + text.replace("X", "true") + "\n")
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value) == f"{path}: {key}: expected a number, got a boolean"


@pytest.mark.parametrize("text, key", WHOLE_KEYS)
@pytest.mark.parametrize("bad, found", [("nan", "nan"), ("inf", "inf"), ("true", "a boolean")])
def test_whole_numbers_reject_nan_inf_and_booleans(
    tmp_path: Path, text: str, key: str, bad: str, found: str
) -> None:
    path = write(tmp_path, TRACK + text.replace("X", bad) + "\n")
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value) == f"{path}: {key}: expected a whole number, got {found}"


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[character.colors]\nlip = [1.5, 0, 0]", "character.colors.lip[0]: must be 1 or less"),
        ("[character]\nheight = -0.5", "character.height: expected a number above 0"),
        ("bpm = 120\n" + SCENE + CUE + "bar = 1e308", "cues[0].bar: bar 1e+308 is inf s on"),
        (
            "bpm = 120\n" + SCENE + CUE + "at = 1\nfade_beats = 1e308",
            "cues[0].fade_beats: 1e+308 beats is inf s on the tempo (track.bpm): times must",
        ),
        (SCENE + CUE + "at = -1", "cues[0].at: must be 0 or more, got -1"),
        (SCENE + CUE + "at = 1e308", "cues[0].at: must be 86400 or less, got 1e+308"),
        (
            "bpm = 120\ndownbeat = -2\n" + SCENE + CUE + "bar = 1",
            "cues[0].bar: bar 1 is -2 s on the tempo (track.bpm, track.downbeat, "
            "track.beats_per_bar): times must be from 0 to 24 h into the song",
        ),
    ],
)
def test_ranges_are_kept(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, TRACK + text + "\n")
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: ")
    assert needle in str(err.value)


def test_valid_numbers_read_as_before(tmp_path: Path) -> None:
    text = (
        TRACK
        + "bpm = 90\ndownbeat = -0.5\nbeats_per_bar = 3\n"
        + SCENE
        + "params = { speed = 2, x = -1.5 }\n"
        + "[scenes.mouth_colors]\nlip = [1, 0, 0.5]\n"
        + CUE
        + "bar = 2\nfade_beats = 1\n"
        + "[character]\ncenter = [0, 1]\nheight = 1\n"
        + "[output]\nfps = 24\noffset_ms = -40\ndisplay = 1\nsize = [640, 480]\n"
    )
    show = load_show(write(tmp_path, text))
    assert show.tempo is not None
    assert (show.tempo.bpm, show.tempo.downbeat, show.tempo.beats_per_bar) == (90.0, -0.5, 3)
    assert show.scenes[0].params == {"speed": 2.0, "x": -1.5}
    assert show.scenes[0].mouth_colors == {"lip": (1.0, 0.0, 0.5)}
    assert show.cues[0].at == pytest.approx(1.5) and show.cues[0].fade == pytest.approx(2 / 3)
    assert show.character.center == (0.0, 1.0) and show.character.height == 1.0
    out = show.output
    assert (out.fps, out.offset_ms, out.display, out.size) == (24, -40.0, 1, (640, 480))
    assert isinstance(out.fps, int) and isinstance(out.offset_ms, float)


# --- [character.mouth]: drawn mouths ---------------------------------------------------

MOUTH_SHOW = (
    TRACK
    + '[[scenes]]\nname = "verse"\n[[scenes]]\nname = "chorus"\n'
    + "[character]\nmouth_width = 0.3\n"
)


def mouth_show(tmp_path: Path, table: str) -> Path:
    """A show whose [character.mouth] is `table`, next to a sheet and a folder of PNGs (the
    show file is parsed without reading them)."""
    (tmp_path / "mouths.png").write_bytes(b"png")
    (tmp_path / "mouths").mkdir(exist_ok=True)
    for name in ("rest.png", "ai.png", "o.png"):
        (tmp_path / "mouths" / name).write_bytes(b"png")
    return write(tmp_path, MOUTH_SHOW + "[character.mouth]\n" + table)


def test_a_mouth_sheet_maps_cells_to_visemes(tmp_path: Path) -> None:
    table = (
        'center = [0.4, 0.65]\nsheet = "mouths.png"\ngrid = [3, 2]\ncrossfade = 0\n'
        "[character.mouth.shapes]\nX = 0\nA = [1, 0]\nD = 4\nB = [1, 1]\n"
    )
    show = load_show(mouth_show(tmp_path, table))
    sheet = show.character.mouth_sheet
    assert sheet is not None and show.character.mouth == (0.4, 0.65)
    assert sheet.source == tmp_path / "mouths.png" and sheet.grid == (3, 2)
    assert sheet.drawings == (0, 1, 4) and sheet.crossfade == 0.0
    assert sheet.drawing_keys[1] == "character.mouth.shapes.A"
    cells = {v: sheet.drawings[sheet.drawing_for(v)] for v in Viseme}
    assert cells[Viseme.SIL] == 0 and cells[Viseme.PP] == 1 and cells[Viseme.AA] == 4
    assert cells[Viseme.SS] == 4  # B is cell 4 as well: one drawing
    assert cells[Viseme.FF] == 4  # no G: FF borrows from SS (B)
    assert sheet.used_in("verse") and sheet.used_in("chorus") and sheet.width is None


def test_a_mouth_folder_maps_files_to_visemes(tmp_path: Path) -> None:
    table = (
        'folder = "mouths"\nscenes = ["chorus"]\nwidth = 0.5\nnames = "preston-blair"\n'
        '[character.mouth.shapes]\nrest = "rest.png"\nAI = "ai.png"\nMBP = "rest.png"\n'
        'O = "o.png"\n'
    )
    show = load_show(mouth_show(tmp_path, table))
    sheet = show.character.mouth_sheet
    assert sheet is not None and sheet.grid is None and sheet.width == 0.5
    folder = tmp_path / "mouths"
    assert sheet.drawings == (folder / "rest.png", folder / "ai.png", folder / "o.png")
    assert sheet.drawings[sheet.drawing_for(Viseme.PP)] == folder / "rest.png"
    assert sheet.drawings[sheet.drawing_for(Viseme.OU)] == folder / "o.png"
    assert sheet.used_in("chorus") and not sheet.used_in("verse")
    assert show.character.mouth == (0.5, 0.7)


def test_a_mouth_table_without_drawings_places_the_vector_mouth(tmp_path: Path) -> None:
    show = load_show(mouth_show(tmp_path, "center = [0.45, 0.66]\n"))
    assert show.character.mouth == (0.45, 0.66) and show.character.mouth_sheet is None


SHEET_TABLE = 'sheet = "mouths.png"\ngrid = [3, 2]\n'


@pytest.mark.parametrize(
    "table, needle",
    [
        (
            'sheet = "lost.png"\ngrid = [3, 2]\n[character.mouth.shapes]\nX = 0\n',
            "character.mouth.sheet: {dir}/lost.png not found",
        ),
        (
            SHEET_TABLE + "[character.mouth.shapes]\nX = 0\nQ = 1\n",
            "character.mouth.shapes.Q: 'Q' is not a mouth shape name (Rhubarb: X A B C D",
        ),
        (
            SHEET_TABLE + "[character.mouth.shapes]\nX = 0\nA = 6\n",
            "character.mouth.shapes.A: cell 6 is outside the 3x2 grid (cells 0-5)",
        ),
        (
            SHEET_TABLE + "[character.mouth.shapes]\nX = [3, 0]\n",
            "character.mouth.shapes.X: cell [3, 0] is outside the 3x2 grid (columns 0-2, rows 0-1)",
        ),
        (
            SHEET_TABLE + "[character.mouth.shapes]\nX = -1\n",
            "character.mouth.shapes.X: cell -1 is outside the 3x2 grid",
        ),
        (
            SHEET_TABLE + '[character.mouth.shapes]\nX = "x.png"\n',
            "character.mouth.shapes.X: a sheet's shapes are cell numbers, got 'x.png'",
        ),
        (
            SHEET_TABLE + "[character.mouth.shapes]\nE = 0\ne = 1\n",
            "character.mouth.shapes.e: the same shape as 'E'",
        ),
        (
            SHEET_TABLE + 'names = "rhubarb"\n[character.mouth.shapes]\nAI = 0\n',
            "character.mouth.shapes.AI: 'AI' is not a rhubarb shape name",
        ),
        (
            SHEET_TABLE + 'names = "papagayo"\n[character.mouth.shapes]\nAI = 0\n',
            "character.mouth.names: expected one of auto, livesync, preston-blair, rhubarb",
        ),
        (
            'sheet = "mouths.png"\n[character.mouth.shapes]\nX = 0\n',
            "character.mouth.grid: missing (expected [columns, rows] of the sheet)",
        ),
        (
            SHEET_TABLE.replace("[3, 2]", "[0, 2]") + "[character.mouth.shapes]\nX = 0\n",
            "character.mouth.grid[0]: must be 1 or more, got 0",
        ),
        (SHEET_TABLE, "character.mouth.shapes: missing table [character.mouth.shapes]"),
        (
            SHEET_TABLE + "[character.mouth.shapes]\n",
            "character.mouth.shapes: expected a table of shape name = cell or file",
        ),
        (
            'folder = "mouths"\n[character.mouth.shapes]\nrest = "lost.png"\n',
            "character.mouth.shapes.rest: {dir}/mouths/lost.png not found",
        ),
        (
            'folder = "nowhere"\n[character.mouth.shapes]\nrest = "rest.png"\n',
            "character.mouth.folder: {dir}/nowhere is not a folder",
        ),
        (
            'folder = "mouths"\ngrid = [1, 1]\n[character.mouth.shapes]\nrest = "rest.png"\n',
            "character.mouth.grid: only a sheet has a grid, not a folder",
        ),
        (
            'folder = "mouths"\n[character.mouth.shapes]\nrest = 0\n',
            "character.mouth.shapes.rest: a folder's shapes are file names, got 0",
        ),
        (
            SHEET_TABLE + 'folder = "mouths"\n[character.mouth.shapes]\nX = 0\n',
            "character.mouth: give 'sheet' (one PNG) or 'folder' (PNGs), not both",
        ),
        (
            SHEET_TABLE + "crossfade = 0.5\n[character.mouth.shapes]\nX = 0\n",
            "character.mouth.crossfade: must be 0.25 or less, got 0.5",
        ),
        (
            SHEET_TABLE + "crossfade = -0.1\n[character.mouth.shapes]\nX = 0\n",
            "character.mouth.crossfade: must be 0 or more, got -0.1",
        ),
        (
            SHEET_TABLE + "width = 0\n[character.mouth.shapes]\nX = 0\n",
            "character.mouth.width: expected a number above 0, got 0",
        ),
        (
            SHEET_TABLE + 'scenes = ["verse", "brake"]\n[character.mouth.shapes]\nX = 0\n',
            "character.mouth.scenes[1]: no scene named 'brake' (scenes: verse, chorus)",
        ),
        (
            SHEET_TABLE + 'scenes = "verse"\n[character.mouth.shapes]\nX = 0\n',
            "character.mouth.scenes: expected a list of scene names",
        ),
        (
            SHEET_TABLE + "cell_size = 3\n[character.mouth.shapes]\nX = 0\n",
            "character.mouth.cell_size: not a mouth setting (settings: center, sheet, folder",
        ),
        (
            "crossfade = 0.1\n",
            "character.mouth.crossfade: needs the drawings: set character.mouth.sheet or",
        ),
        ("center = [0.5]\n", "character.mouth.center: expected [x, y] numbers, got [0.5]"),
    ],
)
def test_mouth_sheet_errors_name_file_and_key(tmp_path: Path, table: str, needle: str) -> None:
    path = mouth_show(tmp_path, table)
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: ")
    assert needle.format(dir=tmp_path) in str(err.value)


def test_mouth_is_a_position_or_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, TRACK + '[character]\nmouth = "big"\n')
    with pytest.raises(InputError, match=r"character.mouth: expected a list or a table"):
        load_show(path)


def test_the_demo_draws_its_mouth_sheet_in_the_chorus() -> None:
    show = load_show(demo_show())
    sheet = show.character.mouth_sheet
    assert sheet is not None and sheet.source.exists() and sheet.grid == (3, 3)
    assert [s.name for s in show.scenes if sheet.used_in(s.name)] == ["chorus"]
    assert len(sheet.drawings) == 9
    assert show.character.mouth == (0.5, 0.7)


def test_landmarks_and_puppet_style(tmp_path: Path) -> None:
    from livesync.show.puppet_style import PuppetStyle

    path = write(
        tmp_path,
        GOOD.replace(
            "[character.colors]",
            'landmarks = "faces/me.json"\n[character.puppet]\nskin = "#102030"\n'
            "line_width = 0.01\nlip_sync = false\neyes = [1, 1, 0.5]\n[character.colors]",
        ),
    )
    character = load_show(path).character
    assert character.landmarks == tmp_path / "faces" / "me.json"
    style = character.puppet
    assert style.skin == pytest.approx((16 / 255, 32 / 255, 48 / 255))
    assert style.eyes == (1.0, 1.0, 0.5)
    assert style.line_width == 0.01 and style.lip_sync is False
    assert style.line == PuppetStyle().line  # unset keys keep their defaults
    plain = load_show(write(tmp_path, GOOD)).character
    assert plain.landmarks is None and plain.puppet == PuppetStyle()


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('skin = "pink"', 'character.puppet.skin: expected a colour like "#c84455"'),
        ('skin = "#12345g"', "character.puppet.skin: expected a colour"),
        ("lips = [1, 2, 0]", "character.puppet.lips[1]"),
        ("line_width = 0.5", "character.puppet.line_width"),
        ("line_width = -1", "character.puppet.line_width"),
        ('lip_sync = "yes"', "character.puppet.lip_sync: expected true or false"),
        ("nose = 1", "character.puppet.nose: not a puppet setting"),
    ],
)
def test_puppet_style_errors_name_the_key(tmp_path: Path, table: str, needle: str) -> None:
    path = write(
        tmp_path,
        GOOD.replace("[character.colors]", f"[character.puppet]\n{table}\n[character.colors]"),
    )
    with pytest.raises(InputError, match=r"show\.toml") as info:
        load_show(path)
    assert needle in str(info.value)


@pytest.mark.parametrize(
    ("eyes", "needle"),
    [
        ("at = [[0.4, 0.5]]\nsize = [0, 0.1]", "character.eyes.size: expected sizes above 0"),
        ("at = [[0.4, nan]]", "character.eyes.at[0][1]: expected a finite number, got nan"),
        ("at = [0.4, 0.5]", "character.eyes.at[0]: expected [x, y] numbers"),
        ('at = [[0.4, 0.5]]\nlid = "skin"', "character.eyes.lid: expected a colour"),
        ("at = [[0.4, 0.5]]\nblink = 1", "character.eyes.blink: not a key of [character.eyes]"),
        ("closed = 3", "character.eyes.closed: expected the path of a picture, got 3"),
        ("size = [0.1, 0.1]", "character.eyes.at: expected a list of [x, y] eye centres"),
    ],
)
def test_eyes_errors_name_the_key(tmp_path: Path, eyes: str, needle: str) -> None:
    with pytest.raises(InputError, match=re.escape(needle)):
        load_show(write(tmp_path, GOOD.replace("[output]", f"[character.eyes]\n{eyes}\n[output]")))


def test_an_eyes_closed_picture_needs_no_eye_positions(tmp_path: Path) -> None:
    text = '[character.eyes]\nclosed = "art/shut.png"\n[output]'
    eyes = load_show(write(tmp_path, GOOD.replace("[output]", text))).character.eyes
    assert eyes is not None and eyes.at == ()
    assert eyes.closed == tmp_path / "art" / "shut.png"


def test_eyes_are_read_with_their_colours(tmp_path: Path) -> None:
    text = '[character.eyes]\nat = [[0.4, 0.5], [0.6, 0.5]]\nlid = "#ff0000"\n[output]'
    eyes = load_show(write(tmp_path, GOOD.replace("[output]", text))).character.eyes
    assert eyes is not None and eyes.at == ((0.4, 0.5), (0.6, 0.5)) and eyes.lid == (1.0, 0.0, 0.0)


@pytest.mark.parametrize("table", ["character.colors", "character.eyes", "character.puppet"])
def test_an_unknown_key_with_a_newline_is_named_on_one_line(tmp_path: Path, table: str) -> None:
    """Found by the hostile-input property: a key holding a line break broke the one-line
    promise of the tables that refuse unknown keys."""
    path = tmp_path / "show.toml"
    path.write_text(
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        f'[{table}]\n"bad\\nkey" = 1\n' + ("at = [[0.5, 0.5]]\n" if table.endswith("eyes") else "")
    )
    with pytest.raises(InputError) as info:
        load_show(path)
    assert "\n" not in str(info.value) and '"bad\\u000akey"' in str(info.value)
