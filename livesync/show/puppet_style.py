"""`[character.puppet]`: how the face puppet drawn from landmarks looks.

The puppet is a drawn face, not a photograph: flat fills under one outline colour, so its
look belongs to the show like the vector mouth's colours do. Defaults give a warm, friendly
face that reads on every bundled background (a dark outline, light skin).

    [character]
    landmarks = "face.json"     # RunwayML landmark JSON or a livesync face track
    [character.puppet]
    line = "#2b1d1a"            # outline colour
    line_width = 0.006          # outline width / output height
    skin = "#f2c9a0"
    lips = "#c84455"            # recorded lips (the timeline's mouth uses [character.colors])
    lip_sync = true             # false: the lips play as recorded, even with a timeline
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.values import colour, describe, finite, hex_colour, key_text

KEY = "character.puppet"
MAX_LINE_WIDTH = 0.05  # of the output height: thicker reads as a blot, not a line

Color = tuple[float, float, float]


def _hex(text: str) -> Color:
    return hex_colour(text)


_LINE = _hex("#2b1d1a")
_SKIN = _hex("#f2c9a0")
_CHEEKS = _hex("#ee8f7e")
_LIPS = _hex("#c84455")
_MOUTH = _hex("#4a1420")
_EYES = _hex("#fffdf8")
_PUPILS = _hex("#3b2a22")
_BROWS = _hex("#4a3226")


@dataclass(frozen=True)
class PuppetStyle:
    line: Color = _LINE
    line_width: float = 0.006
    skin: Color = _SKIN
    cheeks: Color = _CHEEKS
    lips: Color = _LIPS
    mouth: Color = _MOUTH  # inside the recorded lips
    eyes: Color = _EYES
    pupils: Color = _PUPILS
    brows: Color = _BROWS
    lip_sync: bool = True


COLORS = tuple(f.name for f in fields(PuppetStyle) if f.name not in ("line_width", "lip_sync"))
KEYS = (*COLORS, "line_width", "lip_sync")


def parse_puppet_style(table: dict[str, Any], path: Path) -> PuppetStyle:
    """The `[character.puppet]` table; every mistake is one InputError naming the key."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise InputError(
            path,
            f"{KEY}.{key_text(unknown[0])}: not a puppet setting (settings: {', '.join(KEYS)})",
        )
    default = PuppetStyle()
    values: dict[str, Any] = {
        name: _color(table[name], f"{KEY}.{name}", path) for name in COLORS if name in table
    }
    if "line_width" in table:
        values["line_width"] = finite(
            table["line_width"], f"{KEY}.line_width", path, minimum=0.0, maximum=MAX_LINE_WIDTH
        )
    if "lip_sync" in table:
        if not isinstance(table["lip_sync"], bool):
            raise InputError(
                path, f"{KEY}.lip_sync: expected true or false, got {describe(table['lip_sync'])}"
            )
        values["lip_sync"] = table["lip_sync"]
    return PuppetStyle(**{**vars(default), **values})


def _color(value: Any, key: str, path: Path) -> Color:
    return colour(value, key, path)
