"""What a reloaded show may keep from the running one: GL parts whose files are unchanged.

A performer saves the show file to move a cue or change a parameter, and the picture must not
stall for it. Rebuilding everything took 0.15-0.25 s on a quiet machine and about 1 s on a
loaded one (decoding and premultiplying the character's pictures, translating and compiling
every shader, then compiling each again for the CPU rasteriser at its first draw), and it left
memory behind each time. A part built from the same settings and the same files, unchanged
on disk, is handed to the new renderer instead (livesync.render.renderer).

A file is "unchanged" when its size and modification time (in nanoseconds) are: the same test
the hot reload's watcher makes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from livesync.show.show_file import Character

Stamp = tuple[tuple[int, int] | None, ...]


def stamp(paths: Iterable[Path]) -> Stamp:
    """(size, mtime_ns) of each file, None for one that cannot be read now."""
    out: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            out.append(None)
        else:
            out.append((info.st_size, info.st_mtime_ns))
    return tuple(out)


def character_files(character: Character) -> tuple[Path, ...]:
    """Every file the character's GL parts are made from. A new file-valued setting of the
    character must be listed here, or editing that file would not rebuild the character on
    a show reload (the shader reload does not watch it either)."""
    files = [character.image, character.landmarks]
    if character.eyes is not None:
        files.append(character.eyes.closed)
    sheet = character.mouth_sheet
    if sheet is not None:
        files.append(sheet.source)
        files.extend(d for d in sheet.drawings if isinstance(d, Path))
    return tuple(f for f in files if f is not None)
