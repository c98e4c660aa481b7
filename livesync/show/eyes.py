"""Where a picture's eyes are, so a blink can close lids over them (`[character.eyes]`).

[character.eyes]
at = [[0.388, 0.505], [0.612, 0.505]]   # eye centres in the picture (0..1, y down)
size = [0.1, 0.124]                     # one eye's width and height (of the picture's)
lid = "#f7cba6"                         # the skin around the eyes
line = "#4a2e2a"                        # the lash line along a closing lid

A picture is flat, so livesync cannot find its eyes; the show says where they are, read off
the picture as the mouth position is. Or the artist draws the blink: `closed = "closed.png"`
is the same picture with its eyes shut (same size), shown instead of the picture while the
lids are more than half closed, a hard swap as in cartoon rigs; `at` is then not needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.values import Colour, colour, describe, file_name, finite, hex_colour, key_text

KEY = "character.eyes"
KEYS = ("at", "size", "lid", "line", "closed")
BLINK_SWAP = 0.5  # an eyes-closed picture replaces the picture from this far closed
LID = hex_colour("#f7cba6")
LINE = hex_colour("#4a2e2a")


@dataclass(frozen=True)
class Eyes:
    at: tuple[tuple[float, float], ...]
    size: tuple[float, float]
    lid: Colour = LID
    line: Colour = LINE
    closed: Path | None = None  # the picture with its eyes shut, instead of drawn lids


def parse_eyes(table: dict[str, Any], path: Path) -> Eyes | None:
    """`[character.eyes]` (the character table's `eyes`), or None without one."""
    if not table:
        return None
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise InputError(
            path, f"{KEY}.{key_text(unknown[0])}: not a key of [{KEY}] ({', '.join(KEYS)})"
        )
    closed = table.get("closed")
    if closed is not None and (not isinstance(closed, str) or not closed):
        raise InputError(
            path, f"{KEY}.closed: expected the path of a picture, got {describe(closed)}"
        )
    at = table.get("at", [] if closed is not None else None)
    if not isinstance(at, list) or (not at and closed is None) or len(at) > 4:
        raise InputError(path, f"{KEY}.at: expected a list of [x, y] eye centres")
    centres = tuple(_pair(p, f"{KEY}.at[{i}]", path) for i, p in enumerate(at))
    size = _pair(table.get("size", [0.1, 0.12]), f"{KEY}.size", path)
    if min(size) <= 0:
        raise InputError(path, f"{KEY}.size: expected sizes above 0, got {list(size)}")
    lid = colour(table["lid"], f"{KEY}.lid", path) if "lid" in table else LID
    line = colour(table["line"], f"{KEY}.line", path) if "line" in table else LINE
    picture = None if closed is None else path.parent / file_name(closed, f"{KEY}.closed", path)
    return Eyes(centres, size, lid, line, picture)


def _pair(value: Any, where: str, path: Path) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(path, f"{where}: expected [x, y] numbers")
    x, y = (finite(v, f"{where}[{i}]", path, minimum=0.0, maximum=1.0) for i, v in enumerate(value))
    return x, y
