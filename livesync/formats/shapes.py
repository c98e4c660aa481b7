"""Mouth-shape names other tools write, resolved to our visemes.

Rhubarb writes letters A-H and X; Papagayo and Moho switch files use Preston Blair names
(AI, E, O, U, etc, L, WQ, MBP, FV, rest), but Rhubarb's own .dat export writes its letters
unless asked for Preston Blair, and Papagayo-NG has a Rhubarb phoneme set too. The only name
both sets share is "E" (Preston Blair's spread E, Rhubarb's rounded E), so a file counts as
Rhubarb letters when it uses any letter Preston Blair does not have (A-D, F-H, X).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from livesync.errors import InputError
from livesync.formats._common import Source
from livesync.lipsync.visemes import FROM_PRESTON_BLAIR, FROM_RHUBARB, Viseme

_BLAIR_BY_KEY = {name.lower(): viseme for name, viseme in FROM_PRESTON_BLAIR.items()}
RHUBARB_ONLY = frozenset(FROM_RHUBARB) - {"E"}


def rhubarb(letter: str, where: str, source: Source) -> Viseme:
    """A Rhubarb shape letter (case-insensitive) -> viseme; anything else is an error."""
    viseme = FROM_RHUBARB.get(letter.strip().upper())
    if viseme is None:
        raise InputError(
            source,
            f"{where}: unknown Rhubarb mouth shape {letter.strip()!r} "
            f"(expected one of {', '.join(sorted(FROM_RHUBARB))})",
        )
    return viseme


def preston_blair(name: str, where: str, source: Source) -> Viseme:
    """A Preston Blair shape name (case-insensitive, 'etc' or 'ETC') -> viseme."""
    viseme = _BLAIR_BY_KEY.get(name.strip().lower())
    if viseme is None:
        raise InputError(
            source,
            f"{where}: unknown Preston Blair mouth shape "
            f"{name.strip()!r} (expected one of "
            f"{', '.join(FROM_PRESTON_BLAIR)})",
        )
    return viseme


def uses_rhubarb_letters(names: Iterable[str]) -> bool:
    return any(n.strip().upper() in RHUBARB_ONLY for n in names)


ShapeFn = Callable[[str, str, Source], Viseme]


def resolver(names: Iterable[str]) -> tuple[str, ShapeFn]:
    """Which naming a whole file uses: ('rhubarb' or 'preston-blair', its lookup)."""
    if uses_rhubarb_letters(names):
        return "rhubarb", rhubarb
    return "preston-blair", preston_blair
