"""`[character.mouth]`: the mouth's place in the picture, and the user's own mouth drawings.

A performer's drawings come as one PNG sheet cut into a grid of cells or as a folder of
PNGs, with a table naming the shape each cell or file draws in whichever naming their art
already uses (livesync.lipsync.mouth_shapes reads Rhubarb, Preston Blair and livesync names).
Everything a show file can get wrong here is found when the show loads, each as one error
naming the key path: an unknown shape name, a cell outside the grid, a missing file. What
only the picture itself can tell (unreadable, not cut evenly by the grid) is found when the
renderer or `livesync check` loads it.

    [character.mouth]
    center = [0.5, 0.70]        # the mouth's centre in the picture (0..1, y down)
    sheet = "mouths.png"        # or folder = "mouths/"
    grid = [3, 3]               # columns, rows (a sheet only)
    crossfade = 0.06            # seconds between two drawings; 0 cuts
    [character.mouth.shapes]
    X = 0                       # cell 0: top left, counted along the rows
    A = [1, 0]                  # or [column, row]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.lipsync.mouth_shapes import (
    MAX_CROSSFADE,
    VISEMES,
    Naming,
    ShapeNameError,
    assign,
    read_names,
)
from livesync.lipsync.visemes import Viseme
from livesync.values import MAX_PLACE, describe, file_name, finite, key_text, whole

KEY = "character.mouth"
DEFAULT_CENTER = (0.5, 0.7)
DEFAULT_CROSSFADE = 0.06
MAX_GRID = 64  # cells per side: far beyond any mouth set, short of a typo's 10000
KEYS = ("center", "sheet", "folder", "grid", "shapes", "crossfade", "width", "names", "scenes")

Drawing = int | Path  # a cell of the sheet (counted along the rows) or a file of the folder


@dataclass(frozen=True)
class MouthSheet:
    """A set of mouth drawings and the drawing each viseme shows. `drawings` holds each
    cell or file once, in the order the shapes table first names it; a GL texture array
    holds them in the same order."""

    source: Path  # the sheet's PNG, or the folder
    grid: tuple[int, int] | None  # (columns, rows) of a sheet; None for a folder
    drawings: tuple[Drawing, ...]
    drawing_keys: tuple[str, ...]  # the key path naming each drawing, for messages
    drawing_of: tuple[int, ...]  # per viseme, in mouth_shapes.VISEMES order
    crossfade: float = DEFAULT_CROSSFADE
    width: float | None = None  # drawn width / picture width; None: character.mouth_width
    scenes: frozenset[str] | None = None  # the scenes that draw it; None: all of them
    show: Path | None = None  # the show file that defines it

    def drawing_for(self, viseme: Viseme) -> int:
        return self.drawing_of[VISEMES.index(viseme)]

    def used_in(self, scene: str) -> bool:
        return self.scenes is None or scene in self.scenes


def parse_mouth(
    table: dict[str, Any], path: Path, scene_names: tuple[str, ...]
) -> tuple[tuple[float, float], MouthSheet | None]:
    """The `[character.mouth]` table: the mouth's centre, and its drawings if it names a
    sheet or a folder (without one the vector mouth is drawn there)."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise InputError(
            path, f"{KEY}.{key_text(unknown[0])}: not a mouth setting (settings: {', '.join(KEYS)})"
        )
    center = _pair(table, "center", path) if "center" in table else DEFAULT_CENTER
    if "sheet" in table and "folder" in table:
        raise InputError(path, f"{KEY}: give 'sheet' (one PNG) or 'folder' (PNGs), not both")
    if "sheet" not in table and "folder" not in table:
        extra = [
            k for k in ("grid", "shapes", "crossfade", "width", "names", "scenes") if k in table
        ]
        if extra:
            raise InputError(
                path, f"{KEY}.{extra[0]}: needs the drawings: set {KEY}.sheet or {KEY}.folder"
            )
        return center, None
    return center, _sheet(table, path, scene_names)


def _sheet(table: dict[str, Any], path: Path, scene_names: tuple[str, ...]) -> MouthSheet:
    # Values first, files last: a typo in a number is reported even before the art exists.
    naming = _naming(table, path)
    written = _shapes(table, path)
    crossfade, width = _crossfade(table, path), _width(table, path)
    scenes = _scenes(table, path, scene_names)
    try:
        names = read_names(list(written), naming)
    except ShapeNameError as exc:
        raise InputError(path, f"{KEY}.shapes.{exc.name}: {exc.problem}") from None
    grid, source, found = _drawings(table, written, path)
    drawings: list[Drawing] = []
    keys: list[str] = []
    index_of_name: list[int] = []
    for name, drawing in zip(written, found, strict=True):
        if drawing not in drawings:
            drawings.append(drawing)
            keys.append(f"{KEY}.shapes.{name}")
        index_of_name.append(drawings.index(drawing))
    chosen = assign(names)
    return MouthSheet(
        source=source,
        grid=grid,
        drawings=tuple(drawings),
        drawing_keys=tuple(keys),
        drawing_of=tuple(index_of_name[chosen[v]] for v in VISEMES),
        crossfade=crossfade,
        width=width,
        scenes=scenes,
        show=path,
    )


def _drawings(
    table: dict[str, Any], written: dict[str, Any], path: Path
) -> tuple[tuple[int, int] | None, Path, list[Drawing]]:
    """(grid, sheet or folder, the drawing each written name points at)."""
    base = path.parent
    if "sheet" in table:
        if "grid" not in table:
            raise InputError(path, f"{KEY}.grid: missing (expected [columns, rows] of the sheet)")
        grid = _grid(table, path)
        cells: list[Drawing] = [_cell(value, name, grid, path) for name, value in written.items()]
        source = base / _string(table, "sheet", path)
        if not source.is_file():
            raise InputError(path, f"{KEY}.sheet: {source} not found")
        return grid, source, cells
    if "grid" in table:
        raise InputError(path, f"{KEY}.grid: only a sheet has a grid, not a folder")
    source = base / _string(table, "folder", path)
    if not source.is_dir():
        raise InputError(path, f"{KEY}.folder: {source} is not a folder")
    files: list[Drawing] = [_file(value, name, source, path) for name, value in written.items()]
    return None, source, files


def _string(table: dict[str, Any], name: str, path: Path) -> str:
    return file_name(table[name], f"{KEY}.{name}", path)


def _pair(table: dict[str, Any], name: str, path: Path) -> tuple[float, float]:
    value = table[name]
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(path, f"{KEY}.{name}: expected [x, y] numbers, got {describe(value)}")
    x, y = (
        finite(v, f"{KEY}.{name}[{i}]", path, minimum=-MAX_PLACE, maximum=MAX_PLACE)
        for i, v in enumerate(value)
    )
    return x, y


def _grid(table: dict[str, Any], path: Path) -> tuple[int, int]:
    value = table["grid"]
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(path, f"{KEY}.grid: expected [columns, rows], got {describe(value)}")
    cols, rows = (
        whole(v, f"{KEY}.grid[{i}]", path, minimum=1, maximum=MAX_GRID) for i, v in enumerate(value)
    )
    return cols, rows


def _naming(table: dict[str, Any], path: Path) -> Naming:
    value = table.get("names", Naming.AUTO.value)
    choices = [n.value for n in Naming]
    if value not in choices:
        raise InputError(
            path, f"{KEY}.names: expected one of {', '.join(choices)}, got {describe(value)}"
        )
    return Naming(value)


def _shapes(table: dict[str, Any], path: Path) -> dict[str, Any]:
    shapes = table.get("shapes")
    if shapes is None:
        raise InputError(
            path, f"{KEY}.shapes: missing table [{KEY}.shapes] (shape name = cell or file)"
        )
    if not isinstance(shapes, dict) or not shapes:
        raise InputError(path, f"{KEY}.shapes: expected a table of shape name = cell or file")
    return shapes


def _cell(value: Any, name: str, grid: tuple[int, int], path: Path) -> int:
    """A cell index (along the rows from the top left) or [column, row], both from 0."""
    key = f"{KEY}.shapes.{name}"
    cols, rows = grid
    if isinstance(value, list):
        if len(value) != 2:
            raise InputError(path, f"{key}: expected a cell number or [column, row]")
        col, row = (whole(v, f"{key}[{i}]", path) for i, v in enumerate(value))
        if not (0 <= col < cols and 0 <= row < rows):
            raise InputError(
                path,
                f"{key}: cell [{col}, {row}] is outside the {cols}x{rows} grid "
                f"(columns 0-{cols - 1}, rows 0-{rows - 1})",
            )
        return row * cols + col
    if isinstance(value, str):
        raise InputError(path, f"{key}: a sheet's shapes are cell numbers, got {describe(value)}")
    cell = whole(value, key, path)
    if not 0 <= cell < cols * rows:
        raise InputError(
            path,
            f"{key}: cell {cell} is outside the {cols}x{rows} grid (cells 0-{cols * rows - 1})",
        )
    return cell


def _file(value: Any, name: str, folder: Path, path: Path) -> Path:
    key = f"{KEY}.shapes.{name}"
    if not isinstance(value, str):
        raise InputError(path, f"{key}: a folder's shapes are file names, got {describe(value)}")
    file = folder / file_name(value, key, path)
    if not file.is_file():
        raise InputError(path, f"{key}: {file} not found")
    return file


def _crossfade(table: dict[str, Any], path: Path) -> float:
    if "crossfade" not in table:
        return DEFAULT_CROSSFADE
    return finite(table["crossfade"], f"{KEY}.crossfade", path, minimum=0.0, maximum=MAX_CROSSFADE)


def _width(table: dict[str, Any], path: Path) -> float | None:
    if "width" not in table:
        return None
    width = finite(table["width"], f"{KEY}.width", path, maximum=MAX_PLACE)
    if width <= 0:
        raise InputError(path, f"{KEY}.width: expected a number above 0, got {width:g}")
    return width


def _scenes(
    table: dict[str, Any], path: Path, scene_names: tuple[str, ...]
) -> frozenset[str] | None:
    if "scenes" not in table:
        return None
    value = table["scenes"]
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise InputError(path, f"{KEY}.scenes: expected a list of scene names")
    for i, name in enumerate(value):
        if name not in scene_names:
            raise InputError(
                path,
                f"{KEY}.scenes[{i}]: no scene named {describe(name)} "
                f"(scenes: {', '.join(scene_names)})",
            )
    return frozenset(value)
