"""Drawn mouths: which of a user's drawings shows each viseme, and how one drawing gives way
to the next.

Mouth art arrives named the way the tool it was drawn for names it: Rhubarb's letters (A-H
and X), the Preston Blair set as Papagayo and Moho spell it (AI, E, O, U, etc, FV, L, MBP,
WQ, rest), or livesync's own viseme names. A set seldom draws all 16 visemes, so a viseme it
lacks borrows the nearest drawing it has (FALLBACK, then the nearest pose): a drawn mouth
never vanishes because the artist skipped a shape.

A drawing cannot be blended like a pose, so a drawn mouth shows one drawing at a time and
cross-fades around each moment the dominant viseme changes. Those moments come from the
mouth track once (`ShapeSwitches`), and `sprite_mix` turns the few around a frame into the
two drawings to show and their mix, a pure function of the time like the rest of a frame.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from livesync.lipsync.mouth import MouthTrack, build_spans
from livesync.lipsync.visemes import (
    FROM_PRESTON_BLAIR,
    FROM_RHUBARB,
    POSES,
    TO_PRESTON_BLAIR,
    TO_RHUBARB,
    Viseme,
)

VISEMES: tuple[Viseme, ...] = tuple(Viseme)
_INDEX = {v: i for i, v in enumerate(VISEMES)}

# Longest cross-fade between two drawings a show may ask for, in seconds. Longer ones look
# like a dissolve rather than a mouth, and the bound keeps the switches a frame needs few.
MAX_CROSSFADE = 0.25
# A frame needs the switches this far around it: a fade window is cf/2 on each side of its
# switch, shortened by a neighbour switch up to cf away.
SWITCH_REACH = 1.5 * MAX_CROSSFADE


class Naming(StrEnum):
    """How a set names its drawings; AUTO tells from the names themselves."""

    AUTO = "auto"
    LIVESYNC = "livesync"
    PRESTON_BLAIR = "preston-blair"
    RHUBARB = "rhubarb"


# When a name belongs to several sets, the first of these reads it: "E" is the spread
# mouth of livesync and Preston Blair, Rhubarb's rounded E only in a Rhubarb set.
SCHEMES: tuple[Naming, ...] = (Naming.LIVESYNC, Naming.PRESTON_BLAIR, Naming.RHUBARB)

_NAMES: dict[Naming, dict[str, str]] = {
    Naming.LIVESYNC: {v.value.lower(): v.value for v in Viseme},
    Naming.PRESTON_BLAIR: {n.lower(): n for n in FROM_PRESTON_BLAIR},
    Naming.RHUBARB: {n.lower(): n for n in FROM_RHUBARB},
}

# The nearest other visemes, nearest first: a viseme a set does not draw shows the first of
# these the set draws (docs/visemes.md reproduces the table). Closed shapes lean on closed
# ones, vowels on vowels; Rhubarb's basic six (A-F) get X from A and L from C, as Rhubarb
# itself substitutes them.
FALLBACK: dict[Viseme, tuple[Viseme, ...]] = {
    Viseme.SIL: (Viseme.PP, Viseme.NN, Viseme.SS),
    Viseme.PP: (Viseme.SIL, Viseme.NN, Viseme.SS),
    Viseme.FF: (Viseme.SS, Viseme.DD, Viseme.PP),
    Viseme.TH: (Viseme.DD, Viseme.LL, Viseme.NN, Viseme.SS),
    Viseme.DD: (Viseme.NN, Viseme.TH, Viseme.SS, Viseme.LL),
    Viseme.KK: (Viseme.DD, Viseme.EH, Viseme.AA),
    Viseme.CH: (Viseme.SS, Viseme.RR, Viseme.OU),
    Viseme.SS: (Viseme.IH, Viseme.CH, Viseme.DD),
    Viseme.NN: (Viseme.DD, Viseme.SS, Viseme.SIL),
    Viseme.LL: (Viseme.EH, Viseme.DD, Viseme.TH, Viseme.AA),
    Viseme.RR: (Viseme.OU, Viseme.CH, Viseme.OH),
    Viseme.AA: (Viseme.EH, Viseme.OH, Viseme.KK),
    Viseme.EH: (Viseme.AA, Viseme.IH, Viseme.KK),
    Viseme.IH: (Viseme.EH, Viseme.SS),
    Viseme.OH: (Viseme.OU, Viseme.AA, Viseme.RR),
    Viseme.OU: (Viseme.OH, Viseme.RR, Viseme.CH),
}


class ShapeNameError(ValueError):
    """A name in a shapes table that no set uses, or a shape named twice. `name` is the key
    as written, so the caller can name the key path."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(problem)
        self.name = name
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ShapeName:
    """One name of a shapes table, read in its set: the visemes its drawing stands for."""

    written: str
    scheme: Naming
    name: str  # as the set spells it
    visemes: frozenset[Viseme]

    def ranks(self, viseme: Viseme) -> bool:
        """True when the set's own table maps `viseme` to this name (Preston Blair draws
        `ou` as U; WQ only stands in for it)."""
        if self.scheme is Naming.LIVESYNC:
            return True
        table = TO_RHUBARB if self.scheme is Naming.RHUBARB else TO_PRESTON_BLAIR
        return table[viseme] == self.name


def known_names(scheme: Naming) -> list[str]:
    """The names a set uses, as it spells them (for error messages and docs)."""
    if scheme is Naming.AUTO:
        return [n for s in SCHEMES for n in known_names(s)]
    return list(_NAMES[scheme].values())


def read_names(written: Sequence[str], naming: Naming = Naming.AUTO) -> list[ShapeName]:
    """Each written name in its set (case does not matter). AUTO reads every name in the
    first set that has them all, else each in the first set that has it."""
    lowered = [w.lower() for w in written]
    if naming is Naming.AUTO:
        whole = [s for s in SCHEMES if all(n in _NAMES[s] for n in lowered)]
        schemes = [whole[0] if whole else _first_scheme(w) for w in written]
    else:
        schemes = [naming] * len(written)
    out: list[ShapeName] = []
    seen: dict[tuple[Naming, str], str] = {}
    for text, low, scheme in zip(written, lowered, schemes, strict=True):
        if low not in _NAMES[scheme]:
            raise ShapeNameError(text, _unknown(text, naming))
        name = _NAMES[scheme][low]
        if (scheme, name) in seen:
            raise ShapeNameError(text, f"the same shape as {seen[scheme, name]!r}")
        seen[scheme, name] = text
        out.append(ShapeName(text, scheme, name, _drawn_for(scheme, name)))
    return out


def _first_scheme(written: str) -> Naming:
    low = written.lower()
    for scheme in SCHEMES:
        if low in _NAMES[scheme]:
            return scheme
    raise ShapeNameError(written, _unknown(written, Naming.AUTO))


def _unknown(written: str, naming: Naming) -> str:
    if naming is Naming.AUTO:
        return (
            f"{written!r} is not a mouth shape name (Rhubarb: {' '.join(FROM_RHUBARB)}; "
            f"Preston Blair: {' '.join(FROM_PRESTON_BLAIR)}; "
            f"livesync: {' '.join(v.value for v in Viseme)})"
        )
    return f"{written!r} is not a {naming.value} shape name ({' '.join(known_names(naming))})"


def _drawn_for(scheme: Naming, name: str) -> frozenset[Viseme]:
    if scheme is Naming.LIVESYNC:
        return frozenset({Viseme(name)})
    to, back = (
        (TO_RHUBARB, FROM_RHUBARB)
        if scheme is Naming.RHUBARB
        else (TO_PRESTON_BLAIR, FROM_PRESTON_BLAIR)
    )
    return frozenset({v for v, n in to.items() if n == name} | {back[name]})


def assign(shapes: Sequence[ShapeName]) -> dict[Viseme, int]:
    """For every viseme, the index in `shapes` of the drawing that shows it.

    A viseme several names draw takes the name its set maps it to, then the name drawn for
    the fewest visemes (livesync's `SS` before Rhubarb's B), then the first written. A
    viseme no name draws borrows from its FALLBACK row, then from the drawn viseme with the
    nearest pose.
    """
    if not shapes:
        raise ValueError("a mouth set needs at least one drawing")
    drawn: dict[Viseme, int] = {}
    for viseme in VISEMES:
        ranked = [
            (not s.ranks(viseme), len(s.visemes), i)
            for i, s in enumerate(shapes)
            if viseme in s.visemes
        ]
        if ranked:
            drawn[viseme] = min(ranked)[2]
    out = dict(drawn)
    for viseme in VISEMES:
        if viseme not in out:
            out[viseme] = drawn[borrowed_from(viseme, set(drawn))]
    return out


def borrowed_from(viseme: Viseme, drawn: set[Viseme] | frozenset[Viseme]) -> Viseme:
    """The drawn viseme whose drawing `viseme` shows (itself when drawn)."""
    if viseme in drawn:
        return viseme
    for other in FALLBACK[viseme]:
        if other in drawn:
            return other
    pose = POSES[viseme].as_tuple()
    return min(
        (v for v in VISEMES if v in drawn),
        key=lambda v: math.dist(pose, POSES[v].as_tuple()),
    )


@dataclass(frozen=True, slots=True)
class ShapeSwitch:
    """The dominant viseme changes from `before` to `after` at `time` (seconds)."""

    time: float
    before: Viseme
    after: Viseme


class ShapeSwitches:
    """Every change of the mouth track's dominant viseme: the middle of each cross-fade,
    where MouthSample.viseme flips. Built once per song; `around` is a binary search."""

    def __init__(self, track: MouthTrack) -> None:
        self.switches = tuple(
            ShapeSwitch((span.start + span.end) / 2, span.a, span.b)
            for span in build_spans(track.segments, track.rules)
            if span.a is not span.b
        )
        self._times = [s.time for s in self.switches]

    def around(self, t: float, reach: float = SWITCH_REACH) -> tuple[ShapeSwitch, ...]:
        """The switches within `reach` seconds of t, in time order."""
        lo = bisect.bisect_left(self._times, t - reach)
        hi = bisect.bisect_right(self._times, t + reach)
        return self.switches[lo:hi]


def sprite_mix(
    t: float,
    viseme: Viseme,
    switches: Sequence[ShapeSwitch],
    drawing_of: Sequence[int],
    crossfade: float,
) -> tuple[int, int, float]:
    """(drawing fading out, drawing fading in, mix 0..1) at time t.

    `drawing_of` gives a drawing per viseme, in VISEMES order; switches between visemes that
    share a drawing are no change. Each change fades over `crossfade` seconds centred on it,
    cut short to meet a neighbouring change half-way, so at most two drawings show at once
    and nothing pops. With crossfade 0 the drawing cuts where the dominant viseme flips.
    """
    index = _INDEX
    changes = [
        (s.time, drawing_of[index[s.before]], drawing_of[index[s.after]])
        for s in switches
        if drawing_of[index[s.before]] != drawing_of[index[s.after]]
    ]
    if not changes:
        shown = drawing_of[index[viseme]]
        return shown, shown, 0.0
    k = bisect.bisect_right([c[0] for c in changes], t)  # changes[:k] are at or before t
    half = crossfade / 2
    for j in (k - 1, k):
        if not 0 <= j < len(changes):
            continue
        time, before, after = changes[j]
        lo = time - min(half, (time - changes[j - 1][0]) / 2 if j > 0 else half)
        hi = time + min(half, (changes[j + 1][0] - time) / 2 if j + 1 < len(changes) else half)
        if lo <= t < hi:
            return before, after, (t - lo) / (hi - lo)
    shown = changes[k - 1][2] if k > 0 else changes[0][1]
    return shown, shown, 0.0
