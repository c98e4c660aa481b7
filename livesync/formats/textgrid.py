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

Praat's binary TextGrid (`ooBinaryFile`) is not read: the registry refuses it with one line
saying to save it as text in Praat, which every Praat version can do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livesync.errors import InputError
from livesync.formats._common import Source, line_of
from livesync.values import parse_finite

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
            shown = f'"{value}"' if got_kind == "string" else value
            raise InputError(
                self.source, f"line {line_of(self.text, pos)}: expected {what}, found {shown[:30]}"
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
