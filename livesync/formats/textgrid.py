"""Praat TextGrid text files, long ("full"), short and chronological form, read into plain tiers.

Praat reads the long and short forms with one tokenizer: in the long form everything that is
not a number, a "string" or a <flag> is a label (`xmin =`, `intervals [3]:`) and is skipped,
and the short form is the same token stream without labels. Reading tokens the same way
accepts both and whatever spacing other tools (MFA, praatio, textgrid.py) write. Strings
escape `"` as `""`. Point tiers ("TextTier") are read and kept apart; aligners only write
interval tiers.

The chronological form (Praat's "Save as chronological text file") is the same tokens in a
different order: a header `"Praat chronological TextGrid text file"`, the time domain, the
tier count, each tier's class, name and time domain, then every interval or point in time
order, each as `tier-number start end "text"` (a point has one time). `!` starts a comment.

Praat's binary form ("Save as binary file") is read by `parse_binary`: after `ooBinaryFile`
and the class name as a counted string, big-endian doubles for times, a byte for "tiers
exist", 32-bit counts, tier class names as byte-counted strings, and names and labels as
16-bit-counted Latin-1 strings, or UTF-16 after a 0xFFFF marker (Praat's `binputw16`). The
registry turns it into the short text form, so every reader sees text. Any other Praat
binary object is refused in one line.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from livesync.errors import InputError
from livesync.formats._common import Source, line_of
from livesync.values import describe, parse_finite

_TOKEN = re.compile(
    r"""
    "(?P<string>(?:[^"]|"")*)"
  | (?P<flag><exists>|<absent>)
  | (?P<number>[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)(?![A-Za-z_0-9])
  | (?P<skip>\[[^\]\n]*\]|![^\n]*|[A-Za-z_][A-Za-z_0-9?]*|[=:])
  | (?P<bad>\S)
""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Tier:
    name: str
    kind: str  # "IntervalTier" or "TextTier"
    entries: tuple[tuple[float, float, str], ...]  # (start, end, label); points: start == end


@dataclass(frozen=True)
class TextGrid:
    xmin: float
    xmax: float
    tiers: tuple[Tier, ...]


CHRONOLOGICAL = "Praat chronological TextGrid text file"
BINARY_MAGIC = b"ooBinaryFile"


def looks_like(first_line: str) -> bool:
    line = first_line.strip().lstrip("\ufeff")
    return line.replace(" ", "").startswith('Filetype="ooText') or line.startswith(
        f'"{CHRONOLOGICAL}"'
    )


class _Tokens:
    def __init__(self, text: str, source: Source) -> None:
        self.text = text
        self.source = source
        self.items: list[tuple[str, str, int]] = []
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup or "bad"
            if kind == "skip":
                continue
            if kind == "bad":
                what = (
                    "an unterminated string"
                    if match.group() == '"'
                    else f"an unexpected {match.group()!r}"
                )
                raise InputError(source, f"line {line_of(text, match.start())}: {what}")
            self.items.append((kind, match.group(kind), match.start()))
        self.i = 0

    def _next(self, kind: str, what: str) -> str:
        if self.i >= len(self.items):
            raise InputError(self.source, f"the file ends early: expected {what}")
        got_kind, value, pos = self.items[self.i]
        if got_kind != kind:
            # A string may span lines (a stray quote opens one): shown escaped, on one line.
            shown = describe(value) if got_kind == "string" else value[:30]
            raise InputError(
                self.source, f"line {line_of(self.text, pos)}: expected {what}, found {shown}"
            )
        self.i += 1
        return value

    def number(self, what: str, minimum: float | None = None) -> float:
        return parse_finite(self._next("number", what), what, self.source, minimum=minimum)

    def count(self, what: str) -> int:
        value = self.number(what, minimum=0)
        if not value.is_integer():
            raise InputError(self.source, f"{what}: expected a whole number, got {value:g}")
        return int(value)

    def string(self, what: str) -> str:
        return self._next("string", what).replace('""', '"')

    def flag(self, what: str) -> str:
        return self._next("flag", what)

    def line(self) -> int:
        pos = self.items[self.i - 1][2] if self.i else 0
        return line_of(self.text, pos)


def parse(text: str, source: Source) -> TextGrid:
    tokens = _Tokens(text, source)
    if tokens.items and tokens.items[0][:2] == ("string", CHRONOLOGICAL):
        return _chronological(tokens)
    if tokens.string("the file type") != "ooTextFile":
        raise InputError(source, 'line 1: not a Praat text file (File type = "ooTextFile")')
    if tokens.string("the object class") != "TextGrid":
        raise InputError(source, "line 2: the Praat object is not a TextGrid")
    xmin = tokens.number("the TextGrid's xmin")
    xmax = tokens.number("the TextGrid's xmax")
    if tokens.flag("'tiers? <exists>'") != "<exists>":
        return TextGrid(xmin, xmax, ())
    tiers = []
    for t in range(tokens.count("the number of tiers")):
        kind = tokens.string(f"tier {t + 1}'s class")
        name = tokens.string(f"tier {t + 1}'s name")
        where = f"tier {t + 1} ({name!r})"
        tokens.number(f"{where} xmin")
        tokens.number(f"{where} xmax")
        size = tokens.count(f"{where} size")
        entries: list[tuple[float, float, str]] = []
        if kind == "IntervalTier":
            for k in range(size):
                start = tokens.number(f"{where} interval {k + 1} xmin")
                end = tokens.number(f"{where} interval {k + 1} xmax")
                label = tokens.string(f"{where} interval {k + 1} text")
                entries.append((start, end, label))
        elif kind == "TextTier":
            for k in range(size):
                at = tokens.number(f"{where} point {k + 1} time")
                entries.append((at, at, tokens.string(f"{where} point {k + 1} mark")))
        else:
            raise InputError(
                source,
                f"line {tokens.line()}: {where} has an unknown class "
                f"{kind!r} (expected IntervalTier or TextTier)",
            )
        tiers.append(Tier(name, kind, tuple(entries)))
    return TextGrid(xmin, xmax, tuple(tiers))


def _chronological(tokens: _Tokens) -> TextGrid:
    """The chronological form: tier headers first, then every entry in time order."""
    tokens.string("the file type")
    xmin = tokens.number("the TextGrid's xmin")
    xmax = tokens.number("the TextGrid's xmax")
    heads: list[tuple[str, str]] = []
    for t in range(tokens.count("the number of tiers")):
        kind = tokens.string(f"tier {t + 1}'s class")
        name = tokens.string(f"tier {t + 1}'s name")
        if kind not in ("IntervalTier", "TextTier"):
            raise InputError(
                tokens.source,
                f"line {tokens.line()}: tier {t + 1} ({name!r}) has an unknown class "
                f"{kind!r} (expected IntervalTier or TextTier)",
            )
        tokens.number(f"tier {t + 1} ({name!r}) xmin")
        tokens.number(f"tier {t + 1} ({name!r}) xmax")
        heads.append((kind, name))
    entries: list[list[tuple[float, float, str]]] = [[] for _ in heads]
    while tokens.i < len(tokens.items):
        number = tokens.count("a tier number")
        if not 1 <= number <= len(heads):
            raise InputError(
                tokens.source,
                f"line {tokens.line()}: tier number {number} (the file has {len(heads)} tiers)",
            )
        kind, name = heads[number - 1]
        where = f"tier {number} ({name!r}) entry {len(entries[number - 1]) + 1}"
        start = tokens.number(f"{where} time")
        end = start if kind == "TextTier" else tokens.number(f"{where} xmax")
        entries[number - 1].append((start, end, tokens.string(f"{where} text")))
    tiers = tuple(
        Tier(name, kind, tuple(sorted(found, key=lambda e: e[0])))
        for (kind, name), found in zip(heads, entries, strict=True)
    )
    return TextGrid(xmin, xmax, tiers)


class _Binary:
    """A cursor over a Praat binary file; running out of bytes is one InputError."""

    def __init__(self, data: bytes, source: Source) -> None:
        self.data = data
        self.pos = 0
        self.source = source

    def take(self, size: int, what: str) -> bytes:
        if self.pos + size > len(self.data):
            raise InputError(self.source, f"the binary TextGrid ends early: expected {what}")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def number(self, what: str) -> float:
        value: float = struct.unpack(">d", self.take(8, what))[0]
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(self.source, f"{what}: not a number ({value})")
        return value

    def count(self, what: str) -> int:
        value: int = struct.unpack(">i", self.take(4, what))[0]
        if value < 0:
            raise InputError(self.source, f"{what}: a negative count ({value})")
        return value

    def short_string(self, what: str) -> str:
        """A class name: one length byte, then Latin-1 bytes."""
        size = self.take(1, what)[0]
        return self.take(size, what).decode("latin-1")

    def text(self, what: str) -> str:
        """A name or label: 16-bit length and Latin-1, or 0xFFFF, 16-bit length, UTF-16."""
        (size,) = struct.unpack(">H", self.take(2, what))
        if size != 0xFFFF:
            return self.take(size, what).decode("latin-1")
        (size,) = struct.unpack(">H", self.take(2, what))
        return self.take(2 * size, what).decode("utf-16-be", errors="replace")


def parse_binary(data: bytes, source: Source) -> TextGrid:
    """A TextGrid from Praat's binary file (see the module's docstring)."""
    cursor = _Binary(data, source)
    cursor.take(len(BINARY_MAGIC), "the header")
    if cursor.short_string("the object class") != "TextGrid":
        raise InputError(source, "a Praat binary file that is not a TextGrid")
    xmin = cursor.number("the TextGrid's xmin")
    xmax = cursor.number("the TextGrid's xmax")
    if cursor.take(1, "the tiers flag") == b"\x00":
        return TextGrid(xmin, xmax, ())
    tiers = []
    for t in range(cursor.count("the number of tiers")):
        kind = cursor.short_string(f"tier {t + 1}'s class")
        name = cursor.text(f"tier {t + 1}'s name")
        where = f"tier {t + 1} ({name!r})"
        if kind not in ("IntervalTier", "TextTier"):
            raise InputError(
                source,
                f"{where} has an unknown class {kind!r} (expected IntervalTier or TextTier)",
            )
        cursor.number(f"{where} xmin")
        cursor.number(f"{where} xmax")
        entries: list[tuple[float, float, str]] = []
        for k in range(cursor.count(f"{where} size")):
            start = cursor.number(f"{where} entry {k + 1} time")
            end = start if kind == "TextTier" else cursor.number(f"{where} entry {k + 1} xmax")
            entries.append((start, end, cursor.text(f"{where} entry {k + 1} text")))
        tiers.append(Tier(name, kind, tuple(entries)))
    return TextGrid(xmin, xmax, tuple(tiers))


def short_text(grid: TextGrid) -> str:
    """`grid` in Praat's short text form, which `parse` reads back exactly (times in repr)."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    lines = ['File type = "ooTextFile"', 'Object class = "TextGrid"', ""]
    lines += [repr(grid.xmin), repr(grid.xmax), "<exists>" if grid.tiers else "<absent>"]
    if grid.tiers:
        lines.append(str(len(grid.tiers)))
    for tier in grid.tiers:
        lines += [quoted(tier.kind), quoted(tier.name), repr(grid.xmin), repr(grid.xmax)]
        lines.append(str(len(tier.entries)))
        for start, end, label in tier.entries:
            lines += [repr(start)] + ([] if tier.kind == "TextTier" else [repr(end)])
            lines.append(quoted(label))
    return "\n".join(lines) + "\n"
