"""Mouth-shape names other tools write, resolved to our visemes.

Rhubarb writes letters A-H and X; Papagayo and Moho switch files use Preston Blair names
(AI, E, O, U, etc, L, WQ, MBP, FV, rest), but Rhubarb's own .dat export writes its letters
unless asked for Preston Blair, and Papagayo-NG has a Rhubarb phoneme set too. The only name
both sets share is "E" (Preston Blair's spread E, Rhubarb's rounded E), so a file counts as
Rhubarb letters when it uses any letter Preston Blair does not have (A-D, F-H, X).

Writing goes the other way. Mouth-cue formats need one shape per stretch of time. A cue
timeline (Rhubarb, Moho, Papagayo, Polly) writes its cues as they are; a phone timeline writes
the targets of its mouth track (`MouthTrack.for_timeline(t).segments`), which already absorbs
flicker consonants, holds P/B/M closed and holds or relaxes pauses, rather than one shape per
phone. Shapes are then named (`TO_RHUBARB`, `TO_PRESTON_BLAIR`), put on the format's time
grid (10 ms for Rhubarb, a frame for Moho) and equal neighbours merged; silence is written as
X / rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from livesync.errors import InputError
from livesync.formats._common import Source, merge_cues
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Cue, Timeline
from livesync.lipsync.visemes import FROM_PRESTON_BLAIR, FROM_RHUBARB, Viseme

_BLAIR_BY_KEY = {name.lower(): viseme for name, viseme in FROM_PRESTON_BLAIR.items()}
RHUBARB_ONLY = frozenset(FROM_RHUBARB) - {"E"}

Shape = tuple[float, float, str]  # start, end, shape name


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


def mouth_cues(timeline: Timeline) -> list[Cue]:
    """One viseme per stretch of time, covering 0..duration (rest where nothing sounds)."""
    if timeline.cues and not timeline.phones:
        cues: Sequence[Cue] = timeline.cues
    else:
        end = timeline.duration
        cues = [
            Cue(s.viseme, max(0.0, s.start), min(end, s.end))
            for s in MouthTrack.for_timeline(timeline).segments
            if s.end > 0 and s.start < end
        ]
    return merge_cues(cues, fill_to=timeline.duration)


def on_grid(timeline: Timeline, table: dict[Viseme, str], step: float) -> list[Shape]:
    """Mouth cues as shape names on a time grid of `step` seconds, equal neighbours merged."""
    out: list[Shape] = []
    for cue in mouth_cues(timeline):
        start, end = snap(cue.start, step), snap(cue.end, step)
        name = table[cue.viseme]
        if out and out[-1][1] < start:
            out.append((out[-1][1], start, table[Viseme.SIL]))
        if end <= start:
            continue
        if out and out[-1][2] == name:
            out[-1] = (out[-1][0], end, name)
        else:
            out.append((start, end, name))
    return out


def snap(t: float, step: float) -> float:
    """`t` on the grid, with the float noise of the multiplication rounded away."""
    return round(round(t / step) * step, 9)
