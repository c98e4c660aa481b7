"""Mouth-shape names other tools write, resolved to our visemes.

Rhubarb writes letters A-H and X; Papagayo and Moho switch files use Preston Blair names
(AI, E, O, U, etc, L, WQ, MBP, FV, rest), but Rhubarb's own .dat export writes its letters
unless asked for Preston Blair, and Papagayo-NG saves whichever of its four phoneme sets the
user picked: Preston Blair, Rhubarb (A-H and `rest`), Fleming-Dobbs (MBP NLTDR FV TH GK SH O
EHSZ AA IY rest) or CMU 39 (ARPAbet phones and `rest`). Names are shared between sets ("E"
is Preston Blair's spread E and Rhubarb's rounded E; "O", "FV", "MBP" are in two), so a
whole file is resolved at once: the first set, in that order, that knows every name it uses.
A file no set covers is read with the set that knows most of its names, so the error names
the first shape that set does not know.

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
from livesync.lipsync.visemes import (
    ARPABET_TO_VISEME,
    FROM_FLEMING_DOBBS,
    FROM_PRESTON_BLAIR,
    FROM_RHUBARB,
    Viseme,
)

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


ShapeFn = Callable[[str, str, Source], Viseme]


# Each naming a file may use, in the order they are tried: (name, label for messages, table).
NAMINGS: tuple[tuple[str, str, dict[str, Viseme]], ...] = (
    ("preston-blair", "Preston Blair", FROM_PRESTON_BLAIR),
    ("rhubarb", "Rhubarb", {**FROM_RHUBARB, "rest": Viseme.SIL}),
    ("fleming-dobbs", "Fleming-Dobbs", FROM_FLEMING_DOBBS),
    ("cmu-39", "CMU 39", {**ARPABET_TO_VISEME, "rest": Viseme.SIL}),
)


def resolver(names: Iterable[str]) -> tuple[str, ShapeFn]:
    """Which naming a whole file uses ('preston-blair', 'rhubarb', 'fleming-dobbs' or
    'cmu-39') and its lookup: the first that knows every name, else the one that knows most
    (so an unknown name is reported against the set the rest of the file uses)."""
    keys = [name.strip().lower() for name in names]
    best, best_known = NAMINGS[0], -1
    for entry in NAMINGS:
        table = {key.lower() for key in entry[2]}
        known = sum(key in table for key in keys)
        if known == len(keys):
            return entry[0], lookup(entry[0])
        if known > best_known:
            best, best_known = entry, known
    return best[0], lookup(best[0])


def lookup(naming: str) -> ShapeFn:
    """The shape lookup of one naming (a `NAMINGS` name); an unknown name is an error."""
    _, label, entries = next(entry for entry in NAMINGS if entry[0] == naming)
    table = {name.lower(): viseme for name, viseme in entries.items()}

    def shape(name: str, where: str, source: Source) -> Viseme:
        viseme = table.get(name.strip().lower())
        if viseme is None:
            raise InputError(
                source,
                f"{where}: unknown {label} mouth shape {name.strip()!r} "
                f"(expected one of {', '.join(entries)})",
            )
        return viseme

    return shape


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
