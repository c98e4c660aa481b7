"""Values from files the user wrote (show files, controller mappings, ISF headers, timing
files): one reader, so every file rejects the same things with the same words.

A parsed TOML or JSON value may be a bool (a number in Python), a string, or a float that is
not finite (TOML writes `nan` and `inf`; Python's JSON reads `NaN` and `Infinity`). None of
those is a time, a tempo or a range, and each is refused naming the key path, not discovered
later as a black frame or a frozen clock. Finite is not enough either: `1e308` seconds is a
number, and a render that long never ends, so times and rates have limits (below), the same
for every file and every message from outside.

A key the reader does not know is named too (`unknown_keys`): a misspelt `fsp = 60` would
otherwise leave the show at 30 frames a second with nothing said.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from livesync.errors import InputError

Source = str | Path | None

# Limits on what files and messages from outside may say, one set for every reader.
LONGEST_SONG = 24 * 3600.0  # seconds: the latest time a timeline, cue or seek may name
MAX_FPS = 240  # frames per second of a show's output (as the command line's --fps)
MAX_OFFSET_MS = 2000.0  # the largest latency offset, either way (as OSC's /livesync/offset)
MAX_PLACE = 10.0  # a position or size, as a fraction of the screen or the picture
_LONGEST_NAME = 255  # bytes in one part of a path (a file or folder name)
_LONGEST_PATH = 1024  # bytes in a path a file names: with the folder it is in, within 4096
_DEEPEST_KEY = 100  # dots in a TOML key ("a.b.c"): show files nest three or four deep

log = logging.getLogger("livesync")

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
    shown = str(value) if isinstance(value, int) else f"{value:g}"  # whole numbers exactly
    if minimum is not None and value < minimum:
        raise InputError(source, f"{where}: must be {minimum:g} or more, got {shown}")
    if maximum is not None and value > maximum:
        raise InputError(source, f"{where}: must be {maximum:g} or less, got {shown}")


def file_name(value: Any, where: str, source: Source) -> str:
    """A file name as a show writes one, that the file system can be asked about: with a NUL
    in it, or a part longer than the 255 bytes file systems allow, asking raises from the
    operating system instead of answering "not found"."""
    if not isinstance(value, str) or not value.strip():
        found = describe(value) if isinstance(value, str) else kind_of(value)
        raise InputError(source, f"{where}: expected a file name, got {found}")
    try:
        size = len(value.encode("utf-8"))
        parts = [len(p.encode("utf-8")) for p in re.split(r"[/\\]", value)]
    except UnicodeEncodeError:  # a lone surrogate: no file system name
        size, parts = 0, [_LONGEST_NAME + 1]
    if "\0" in value or max(parts) > _LONGEST_NAME or size > _LONGEST_PATH:
        raise InputError(source, f"{where}: not a usable file name: {describe(value)}")
    return value


def parse_toml(text: str, source: Source) -> dict[str, Any]:
    """A TOML file's tables (a show file, a controller preset, a MIDI mapping), or one
    InputError. tomllib raises more than its own error on hostile text: RecursionError for
    brackets nested thousands deep, ValueError for an integer of thousands of digits, and a
    dotted key thousands of parts long takes time and memory growing with its square (a
    1 MB file would take the machine), so such a key is refused before parsing."""
    for number, line in enumerate(text.splitlines(), 1):
        key = line.split("=", 1)[0]
        if key.count(".") > _DEEPEST_KEY:
            raise InputError(source, f"line {number}: a key of more than {_DEEPEST_KEY} parts")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"invalid TOML: {exc}") from None
    except RecursionError:
        raise InputError(source, "invalid TOML: nested too deeply") from None
    except ValueError:  # an integer of thousands of digits (Python's int parsing limit)
        raise InputError(source, "invalid TOML: a number too long") from None


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


# The keys a file's table may hold: each name maps to None (a value, or a table whose keys
# its own reader checks or that are the user's names) or to the keys of its sub-table, or,
# in a one-item list, to the keys of each table of an array of tables ([[scenes]]).
Keys = Mapping[str, "Keys | list[Keys] | None"]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # a key TOML writes without quotes
_MOST_WARNINGS = 20  # then one line: a file of garbage is not a screenful of warnings


def leaves(*names: str) -> dict[str, None]:
    """Keys whose values are read as they are (no sub-table to look into)."""
    return dict.fromkeys(names)


def unknown_keys(
    data: Mapping[str, Any], known: Keys, where: str = ""
) -> Iterator[tuple[str, str | None]]:
    """(key path, a known key spelt alike or None) for each key of `data`, and of its
    sub-tables, that `known` does not name: ("output.fsp", "fps"). Values of the wrong type
    are not looked into: their reader reports them."""
    for name, value in data.items():
        shown = key_text(name)
        path = f"{where}.{shown}" if where else shown
        if name not in known:
            guess = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            yield path, guess[0] if guess else None
            continue
        sub = known[name]
        if isinstance(sub, Mapping) and isinstance(value, Mapping):
            yield from unknown_keys(value, sub, path)
        elif isinstance(sub, list) and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from unknown_keys(item, sub[0], f"{path}[{i}]")


def key_text(name: str) -> str:
    """A key as an error message shows it: bare, or quoted on one printable line."""
    return name if _BARE_KEY.fullmatch(name) else _quoted_key(name)


def _quoted_key(name: str) -> str:
    """A key as TOML quotes it, short and on one printable line: "my key", "\\u0000"."""
    text = "".join(_escaped(ch) for ch in name[:30])
    return f'"{text}"' + ("..." if len(name) > 30 else "")


def _escaped(ch: str) -> str:
    if ch in '"\\':
        return "\\" + ch
    if ch.isprintable():
        return ch
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def warn_unknown_keys(data: Mapping[str, Any], known: Keys, source: Source) -> None:
    """One warning per unknown key, naming the file and the key path. A warning, not an
    error: the show still plays (a key a newer livesync knows loads in an older one)."""
    found = list(unknown_keys(data, known))
    for key, guess in found[:_MOST_WARNINGS]:
        hint = f"; did you mean {guess}?" if guess else ""
        log.warning("%s: %s: unknown key (ignored)%s", source, key, hint)
    if len(found) > _MOST_WARNINGS:
        log.warning("%s: %d more unknown keys (ignored)", source, len(found) - _MOST_WARNINGS)
