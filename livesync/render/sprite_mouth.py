"""Edge: draws the user's own mouth drawings (a MouthSheet) at the mouth's place.

The drawings go to the GPU as one texture array, a layer per cell or file: a sheet's cells
cannot bleed into each other when filtered or mipmapped, as they would from an atlas, and
every edge is clamped. Layers are premultiplied (livesync.render.images), so a cross-fade
is a plain mix of two layers and no edge takes the colour of transparent pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import moderngl
import numpy as np
import numpy.typing as npt

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.mouth_shapes import sprite_mix
from livesync.render.images import load_rgba, pixels, premultiply
from livesync.render.layers import set_uniform as _set
from livesync.resources import shader_path
from livesync.show.mouth_sheet import KEY, MouthSheet

MAX_SIDE = 4096  # pixels per side of one drawing: more is no mouth, and may exceed the GPU's


@dataclass(frozen=True)
class Drawings:
    """Every drawing of a set at one size, premultiplied RGBA, rows bottom-to-top:
    shape (count, height, width, 4)."""

    layers: npt.NDArray[np.uint8]

    @property
    def size(self) -> tuple[int, int]:
        return int(self.layers.shape[2]), int(self.layers.shape[1])


def load_drawings(sheet: MouthSheet) -> Drawings:
    """The set's drawings, in `sheet.drawings` order; one InputError naming the show file,
    the key and the picture for anything wrong with a picture."""
    if sheet.grid is not None:
        cells = _cut(sheet, sheet.grid)
    else:
        cells = _files(sheet)
    width, height = cells[0].shape[1], cells[0].shape[0]
    if width > MAX_SIDE or height > MAX_SIDE:
        raise InputError(
            sheet.show,
            f"{sheet.drawing_keys[0]}: a drawing of {width}x{height} pixels is too large "
            f"(at most {MAX_SIDE} on a side)",
        )
    return Drawings(premultiply(np.stack(cells)))


def _load(path: Path, key: str, sheet: MouthSheet) -> npt.NDArray[np.uint8]:
    try:
        return pixels(load_rgba(path))
    except InputError as exc:
        raise InputError(sheet.show, f"{key}: {exc}") from None


def _cut(sheet: MouthSheet, grid: tuple[int, int]) -> list[npt.NDArray[np.uint8]]:
    picture = _load(sheet.source, f"{KEY}.sheet", sheet)[::-1]  # top row first, as drawn
    cols, rows = grid
    height, width = picture.shape[:2]
    if width % cols or height % rows:
        raise InputError(
            sheet.show,
            f"{KEY}.grid: {sheet.source.name} is {width}x{height} pixels, which {cols} "
            f"columns and {rows} rows do not cut into equal cells",
        )
    cw, ch = width // cols, height // rows
    out = []
    for cell in sheet.drawings:
        assert isinstance(cell, int)
        row, col = divmod(cell, cols)
        out.append(picture[row * ch : (row + 1) * ch, col * cw : (col + 1) * cw][::-1])
    return out


def _files(sheet: MouthSheet) -> list[npt.NDArray[np.uint8]]:
    """Each file of a folder, centred on a canvas as large as the largest: files drawn to
    one scale stay at that scale."""
    loaded = []
    for drawing, key in zip(sheet.drawings, sheet.drawing_keys, strict=True):
        assert isinstance(drawing, Path)
        loaded.append(_load(drawing, key, sheet))
    height = max(p.shape[0] for p in loaded)
    width = max(p.shape[1] for p in loaded)
    out = []
    for p in loaded:
        canvas = np.zeros((height, width, 4), np.uint8)
        y, x = (height - p.shape[0]) // 2, (width - p.shape[1]) // 2
        canvas[y : y + p.shape[0], x : x + p.shape[1]] = p
        out.append(canvas)
    return out


class SpriteMouth:
    """The drawings on the GPU and the pass that draws two of them cross-faded."""

    def __init__(self, ctx: Any, sheet: MouthSheet, corners: Any) -> None:
        from livesync.render.picture_cache import drawings_of  # it imports this module

        drawings = drawings_of(sheet)
        self.sheet = sheet
        self.size = drawings.size
        width, height = self.size
        count = drawings.layers.shape[0]
        self.texture = ctx.texture_array((width, height, count), 4, drawings.layers.tobytes())
        self.texture.repeat_x = self.texture.repeat_y = False
        self.texture.build_mipmaps()
        self._mipmapped: bool | None = None
        self.program = ctx.program(
            vertex_shader=shader_path("common/quad.vert").read_text(encoding="utf-8"),
            fragment_shader=shader_path("mouth/sprite.frag").read_text(encoding="utf-8"),
        )
        self._vao = ctx.vertex_array(self.program, [(corners, "2f", "in_corner")])

    def draw(
        self, ctx: Any, state: FrameState, center: tuple[float, float], width: float, size: Any
    ) -> None:
        """The drawing(s) for this frame, `width` pixels wide, centred at `center` (pixels,
        y up); the blend is left set for premultiplied colour."""
        sheet = self.sheet
        before, after, mix = sprite_mix(
            state.time, state.viseme, state.shape_switches, sheet.drawing_of, sheet.crossfade
        )
        cell_w, cell_h = self.size
        half = (width / 2, width * cell_h / cell_w / 2)
        # Trilinear only where the drawings are shrunk, as for the picture.
        mipmapped = 2 * half[1] < 0.75 * cell_h
        if mipmapped is not self._mipmapped:
            self.texture.filter = (
                moderngl.LINEAR_MIPMAP_LINEAR if mipmapped else moderngl.LINEAR,
                moderngl.LINEAR,
            )
            self._mipmapped = mipmapped
        ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        self.texture.use(0)
        p = self.program
        _set(p, "u_drawings", 0)
        _set(p, "u_resolution", (float(size[0]), float(size[1])))
        _set(p, "u_center", center)
        _set(p, "u_half_size", half)
        _set(p, "u_angle", state.idle.angle)  # the head's sway turns the drawing with it
        _set(p, "u_from", float(before))
        _set(p, "u_to", float(after))
        _set(p, "u_mix", mix)
        self._vao.render(moderngl.TRIANGLE_STRIP)

    def release(self) -> None:
        for obj in (self._vao, self.program, self.texture):
            obj.release()
