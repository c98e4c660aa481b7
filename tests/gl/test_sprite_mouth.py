"""Drawn mouths on Mesa llvmpipe: the right cell for a viseme, cross-fades, no fringes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pygame
import pytest

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.mouth_shapes import ShapeSwitch
from livesync.lipsync.visemes import POSES, Viseme
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.render.sprite_mouth import load_drawings
from livesync.show.mouth_sheet import parse_mouth
from livesync.show.scenes import Scene, SceneMix
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl
SIZE = (320, 180)
CELL = (40, 30)
# One opaque colour per cell of a 3x2 sheet, each inside a transparent margin.
COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]
GREY_SHADER = "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.5, 0.5, 0.5, 1.0); }\n"


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def png(path: Path, rgba: np.ndarray) -> Path:
    """Save (height, width, 4) top-down RGBA as a PNG."""
    h, w = rgba.shape[:2]
    surface = pygame.image.frombuffer(
        np.ascontiguousarray(rgba, np.uint8).tobytes(), (w, h), "RGBA"
    )
    pygame.image.save(surface, str(path))
    return path


def colour_sheet(folder: Path, margin: int = 5) -> Path:
    cols, rows = 3, 2
    sheet = np.zeros((rows * CELL[1], cols * CELL[0], 4), np.uint8)
    for i, rgb in enumerate(COLOURS):
        row, col = divmod(i, cols)
        y, x = row * CELL[1], col * CELL[0]
        sheet[y + margin : y + CELL[1] - margin, x + margin : x + CELL[0] - margin] = (*rgb, 255)
    return png(folder / "sheet.png", sheet)


def sprite_character(folder: Path, table: str, **kw: Any) -> Character:
    data = {"center": [0.5, 0.5], **tomllib.loads(table)}  # the middle of the screen
    path = folder / "show.toml"
    center, sheet = parse_mouth(data, path, ("main", "plain"))
    # No picture: the mouth sits at `center` of the screen, a drawing mouth_width * height wide.
    return Character(mouth=center, mouth_width=kw.pop("mouth_width", 0.5), mouth_sheet=sheet, **kw)


def renderer(ctx: Any, folder: Path, character: Character) -> Renderer:
    grey = folder / "grey.glsl"
    grey.write_text(GREY_SHADER)
    return Renderer(ctx, (Scene("main", grey), Scene("plain", grey)), character)


def draw(ctx: Any, r: Renderer, state: FrameState, size: tuple[int, int] = SIZE) -> np.ndarray:
    """The frame as top-down RGB ints."""
    target = OffscreenTarget(ctx, size)
    target.use()
    r.render(state, size)
    img = np.frombuffer(target.read_rgb(), np.uint8).reshape(size[1], size[0], 3).astype(int)
    target.release()
    return img


def state(viseme: Viseme, t: float = 1.0, switches: tuple[ShapeSwitch, ...] = ()) -> FrameState:
    return FrameState(t, 0.0, 0, POSES[viseme], viseme, "", "", shape_switches=switches)


RHUBARB_TABLE = """
sheet = "sheet.png"
grid = [3, 2]
crossfade = 0.2
[shapes]
X = 0
A = 1
D = [2, 0]
E = 3
F = [1, 1]
"""


def test_each_viseme_shows_its_cell(ctx: Any, tmp_path: Path) -> None:
    colour_sheet(tmp_path)
    r = renderer(ctx, tmp_path, sprite_character(tmp_path, RHUBARB_TABLE))
    centre = (SIZE[1] // 2, SIZE[0] // 2)
    for viseme, cell in [
        (Viseme.SIL, 0),
        (Viseme.PP, 1),
        (Viseme.AA, 2),
        (Viseme.OH, 3),
        (Viseme.OU, 4),
        (Viseme.FF, 1),  # no G: FF's fallback row (SS, DD, PP) finds A
    ]:
        img = draw(ctx, r, state(viseme))
        assert np.abs(img[centre] - COLOURS[cell]).max() <= 2, viseme
    # Away from the mouth the background shows: the drawing is the cell's size, not more.
    assert np.abs(draw(ctx, r, state(Viseme.AA))[10, 10] - 128).max() <= 2
    r.release()


def test_a_crossfade_mixes_two_cells(ctx: Any, tmp_path: Path) -> None:
    colour_sheet(tmp_path)
    r = renderer(ctx, tmp_path, sprite_character(tmp_path, RHUBARB_TABLE))
    switches = (ShapeSwitch(1.0, Viseme.SIL, Viseme.AA),)
    centre = (SIZE[1] // 2, SIZE[0] // 2)
    red, blue = np.array(COLOURS[0]), np.array(COLOURS[2])
    for t, mix in ((0.85, 0.0), (0.95, 0.25), (1.0, 0.5), (1.05, 0.75), (1.15, 1.0)):
        viseme = Viseme.SIL if t < 1.0 else Viseme.AA
        pixel = draw(ctx, r, state(viseme, t, switches))[centre]
        assert np.abs(pixel - (red * (1 - mix) + blue * mix)).max() <= 3, t
    r.release()


def test_crossfade_zero_cuts(ctx: Any, tmp_path: Path) -> None:
    colour_sheet(tmp_path)
    r = renderer(ctx, tmp_path, sprite_character(tmp_path, RHUBARB_TABLE.replace("0.2", "0")))
    switches = (ShapeSwitch(1.0, Viseme.SIL, Viseme.AA),)
    centre = (SIZE[1] // 2, SIZE[0] // 2)
    before = draw(ctx, r, state(Viseme.SIL, 0.99, switches))[centre]
    after = draw(ctx, r, state(Viseme.AA, 1.0, switches))[centre]
    assert np.abs(before - COLOURS[0]).max() <= 2 and np.abs(after - COLOURS[2]).max() <= 2
    r.release()


def test_a_folder_of_pngs_of_different_sizes(ctx: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mouths"
    folder.mkdir()
    big = np.zeros((40, 60, 4), np.uint8)
    big[:] = (0, 255, 0, 255)
    small = np.zeros((20, 30, 4), np.uint8)
    small[:] = (255, 0, 0, 255)
    png(folder / "rest.png", big)
    png(folder / "ai.png", small)
    table = 'folder = "mouths"\n[shapes]\nrest = "rest.png"\nAI = "ai.png"\n'
    ch = sprite_character(tmp_path, table, mouth_width=0.6)
    r = renderer(ctx, tmp_path, ch)
    rest, ai = draw(ctx, r, state(Viseme.SIL)), draw(ctx, r, state(Viseme.AA))
    green = (np.abs(rest - (0, 255, 0)).max(axis=2) <= 2).sum()
    red = (np.abs(ai - (255, 0, 0)).max(axis=2) <= 2).sum()
    # The drawing is 0.6 * 180 = 108 px wide: the small file, centred, a quarter of the area.
    assert green == pytest.approx(108 * 72, rel=0.06)
    assert red == pytest.approx(green / 4, rel=0.1)
    r.release()


def test_scenes_not_listed_draw_the_vector_mouth(ctx: Any, tmp_path: Path) -> None:
    colour_sheet(tmp_path)
    table = RHUBARB_TABLE.replace("[shapes]", 'scenes = ["main"]\n[shapes]')
    r = renderer(ctx, tmp_path, sprite_character(tmp_path, table))
    centre = (SIZE[1] // 2, SIZE[0] // 2)
    sprite = draw(ctx, r, state(Viseme.AA))
    vector = draw(ctx, r, FrameState(1.0, 0.0, 0, POSES[Viseme.AA], Viseme.AA, "", "", SceneMix(1)))
    assert np.abs(sprite[centre] - COLOURS[2]).max() <= 2
    assert np.abs(vector[centre] - COLOURS[2]).max() > 100  # the SDF mouth's dark inside
    r.release()


def test_no_drawing_takes_its_bottom_row_or_its_neighbours_colour(ctx: Any, tmp_path: Path) -> None:
    """A cell filled to its edges, with a red bottom row and a blue cell to its right: the
    drawn cell's top row and right column must stay green (wrapping or an atlas bleeds)."""
    sheet = np.zeros((CELL[1], 2 * CELL[0], 4), np.uint8)
    sheet[:, : CELL[0]] = (0, 255, 0, 255)
    sheet[-1, : CELL[0]] = (255, 0, 0, 255)
    sheet[:, CELL[0] :] = (0, 0, 255, 255)
    png(tmp_path / "sheet.png", sheet)
    table = 'sheet = "sheet.png"\ngrid = [2, 1]\n[shapes]\nX = 0\nA = 1\n'
    r = renderer(ctx, tmp_path, sprite_character(tmp_path, table, mouth_width=1.0))
    img = draw(ctx, r, state(Viseme.SIL))
    rows, cols = np.nonzero(np.abs(img - 128).max(axis=2) > 8)  # everything not background
    top, bottom, left, right = rows.min(), rows.max(), cols.min(), cols.max()
    assert (bottom - top + 1, right - left + 1) == (135, 180)  # magnified 4.5x
    # Wrapping would mix the red bottom row into the top row; an atlas, blue into the right.
    assert img[top, left : right + 1, 0].max() < 40
    assert img[top + 1 : bottom - 6, right, 2].max() < 40
    assert img[bottom, (left + right) // 2, 0] > 150  # the red row is drawn, at the bottom
    r.release()


def test_transparent_pixels_lend_no_colour_to_the_edges(ctx: Any, tmp_path: Path) -> None:
    """A white disc whose transparent surround stores red (PNGs may keep any colour there;
    most keep black), over grey. Straight alpha, filtered linearly, tints the edge with the
    hidden colour (red here, a dark ring with black); premultiplied keeps every pixel grey."""
    yy, xx = np.mgrid[0:30, 0:40]
    inside = (xx - 19.5) ** 2 + (yy - 14.5) ** 2 < 10**2
    cell = np.zeros((30, 40, 4), np.uint8)
    cell[~inside] = (255, 0, 0, 0)
    cell[inside] = (255, 255, 255, 255)
    png(tmp_path / "sheet.png", cell)
    table = 'sheet = "sheet.png"\ngrid = [1, 1]\n[shapes]\nX = 0\n'
    r = renderer(ctx, tmp_path, sprite_character(tmp_path, table, mouth_width=1.0))
    img = draw(ctx, r, state(Viseme.SIL))
    assert (img.min(axis=2) > 250).sum() > 2000  # the disc
    assert np.abs(img[..., 0] - img[..., 1]).max() <= 3
    assert np.abs(img[..., 1] - img[..., 2]).max() <= 3
    r.release()


def test_bad_pictures_name_the_key(ctx: Any, tmp_path: Path) -> None:
    colour_sheet(tmp_path)
    uneven = sprite_character(tmp_path, RHUBARB_TABLE.replace("[3, 2]", "[7, 2]"))
    assert uneven.mouth_sheet is not None
    with pytest.raises(InputError, match=r"character.mouth.grid: sheet.png is 120x60 pixels"):
        load_drawings(uneven.mouth_sheet)
    (tmp_path / "sheet.png").write_bytes(b"not a png")
    broken = sprite_character(tmp_path, RHUBARB_TABLE)
    assert broken.mouth_sheet is not None
    with pytest.raises(InputError) as err:
        renderer(ctx, tmp_path, broken)
    assert str(err.value).startswith(f"{tmp_path / 'show.toml'}: character.mouth.sheet: ")
    assert "cannot read the image" in str(err.value)
