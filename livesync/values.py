"""Numbers from files the user wrote (show files, controller mappings, ISF headers, timing
files): one reader, so every file rejects the same things with the same words.

A parsed TOML or JSON value may be a bool (a number in Python), a string, or a float that is
not finite (TOML writes `nan` and `inf`; Python's JSON reads `NaN` and `Infinity`). None of
those is a time, a tempo or a range, and each is refused naming the key path, not discovered
later as a black frame or a frozen clock.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from livesync.errors import InputError

Source = str | Path | None

# Twelve digits at most: a frame number or count, not a number big enough to hang a loop.
_WHOLE_TEXT = re.compile(r"[+-]?[0-9]{1,12}")


def describe(value: Any) -> str:
    """A short rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def kind_of(value: Any) -> str:
    """'a string', 'a boolean', 'a list'...: what was found where a number was expected."""
    if isinstance(value, bool):
        return "a boolean"
    names = {str: "a string", list: "a list", dict: "a table", type(None): "nothing"}
    return names.get(type(value), describe(value))


def finite(
    value: Any,
    where: str,
    source: Source,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """A parsed number (int or float, not a bool), finite, and within the bounds given."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(source, f"{where}: expected a number, got {kind_of(value)}")
    try:
        result = float(value)
    except OverflowError:  # an integer too large for a float
        result = math.inf
    if not math.isfinite(result):
        raise InputError(source, f"{where}: expected a finite number, got {describe(value)}")
    _check_bounds(result, where, source, minimum, maximum)
    return result


def parse_finite(
    text: str,
    where: str,
    source: Source,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """A finite number written as text (TSV cells, XML attributes, TextGrid fields)."""
    try:
        result = float(text)
    except (ValueError, OverflowError):
        raise InputError(source, f"{where}: expected a number, got {describe(text)}") from None
    if not math.isfinite(result):
        raise InputError(source, f"{where}: expected a finite number, got {describe(text)}")
    _check_bounds(result, where, source, minimum, maximum)
    return result


def whole(
    value: Any,
    where: str,
    source: Source,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A parsed whole number (an int, not a bool), within the bounds given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(source, f"{where}: expected a whole number, got {kind_of(value)}")
    _check_bounds(value, where, source, minimum, maximum)
    return value


def parse_whole(
    text: str,
    where: str,
    source: Source,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A whole number written as text (frame numbers and counts in line-based files); ASCII
    digits only, since `int()` would also take other scripts' digits and underscores."""
    stripped = text.strip()
    if not _WHOLE_TEXT.fullmatch(stripped):
        raise InputError(source, f"{where}: expected a whole number, got {describe(text)}")
    result = int(stripped)
    _check_bounds(result, where, source, minimum, maximum)
    return result


def _check_bounds(
    value: float, where: str, source: Source, minimum: float | None, maximum: float | None
) -> None:
    if minimum is not None and value < minimum:
        raise InputError(source, f"{where}: must be {minimum:g} or more, got {value:g}")
    if maximum is not None and value > maximum:
        raise InputError(source, f"{where}: must be {maximum:g} or less, got {value:g}")


def finite_or_none(value: Any) -> float | None:
    """`finite`'s test for a value off the wire (an OSC argument), not from a file: there a
    bad value is counted and dropped by the caller, so it is None rather than an error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        result = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return result if math.isfinite(result) else None


Colour = tuple[float, float, float]


def hex_colour(text: str) -> Colour:
    """ "#rrggbb" as 0..1 floats (for colours written in the code; user text goes through
    `colour`)."""
    return tuple(int(text[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def colour(value: Any, where: str, source: Source) -> Colour:
    """A colour as users write them: "#c84455" (as image editors show it) or [r, g, b]
    in 0..1 (as shaders take it)."""
    if isinstance(value, str):
        digits = value[1:] if value.startswith("#") else value
        if len(digits) == 6 and all(c in "0123456789abcdefABCDEF" for c in digits):
            return hex_colour("#" + digits)
        raise InputError(
            source, f'{where}: expected a colour like "#c84455", got {describe(value)}'
        )
    if isinstance(value, list) and len(value) == 3:
        red, green, blue = (
            finite(v, f"{where}[{i}]", source, minimum=0.0, maximum=1.0)
            for i, v in enumerate(value)
        )
        return red, green, blue
    problem = f'expected a colour like "#c84455" or [r, g, b] in 0..1, got {describe(value)}'
    raise InputError(source, f"{where}: {problem}")
