"""The little language of a pass's WIDTH and HEIGHT ("$WIDTH/2", "max(floor($WIDTH/$blur),
8)"): parsed here into a tree and evaluated by walking it, never handed to Python's eval,
because the text comes from a shader file someone downloaded."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from livesync.glsl.isf_model import IsfValue, PassSpec

MAX_TARGET_SIZE = 16384


class ExpressionError(ValueError):
    """A WIDTH/HEIGHT expression that is not plain arithmetic, or names an unknown value."""


_FUNCTIONS: dict[str, tuple[int, int, Callable[..., float]]] = {
    # name: (fewest args, most args, function)
    "max": (2, 8, max),
    "min": (2, 8, min),
    "floor": (1, 1, math.floor),
    "ceil": (1, 1, math.ceil),
    "round": (1, 1, lambda x: math.floor(x + 0.5)),
    "pow": (2, 2, math.pow),
    "abs": (1, 1, abs),
    "sqrt": (1, 1, math.sqrt),
}
_MAX_EXPRESSION = 256
_MAX_DEPTH = 32
_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<var>\$?[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/(),]))"
)

# A parsed expression is a small tree of tuples:
#   ("num", value) | ("var", name) | ("neg", node) | (op, left, right) | ("call", name, args)
_Node = tuple[Any, ...]


@dataclass(frozen=True)
class Expression:
    text: str
    tree: _Node = field(repr=False)
    names: frozenset[str] = frozenset()

    def evaluate(self, variables: Mapping[str, float]) -> float:
        """The value, with ``variables`` naming every name of ``names`` (no $). Raises
        ExpressionError for a name it is not given; arithmetic failures (a division by zero,
        sqrt of a negative) give NaN, as they do in the reference host."""
        try:
            return _eval(self.tree, variables)
        except (ZeroDivisionError, OverflowError, ValueError) as exc:
            if isinstance(exc, ExpressionError):
                raise
            return math.nan


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            return
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            col = len(text) - len(text[pos:].lstrip()) + 1
            raise ExpressionError(f"unexpected {text[col - 1]!r} at column {col}")
        kind = m.lastgroup or ""
        yield kind, m.group(kind), m.start(kind) + 1
        pos = m.end()


class _Parser:
    def __init__(self, text: str) -> None:
        # Tokens are read lazily so an error names the first thing that is wrong.
        self.stream = _tokens(text)
        self.tokens: list[tuple[str, str, int]] = []
        self.pos = 0
        self.names: set[str] = set()

    def peek(self) -> tuple[str, str, int] | None:
        if self.pos == len(self.tokens):
            token = next(self.stream, None)
            if token is None:
                return None
            self.tokens.append(token)
        return self.tokens[self.pos]

    def take(self, value: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] == value:
            self.pos += 1
            return True
        return False

    def parse(self) -> _Node:
        if self.peek() is None:
            raise ExpressionError("empty expression")
        node = self.sum(0)
        tok = self.peek()
        if tok is not None:
            raise ExpressionError(f"unexpected {tok[1]!r} at column {tok[2]}")
        return node

    def sum(self, depth: int) -> _Node:
        node = self.product(depth)
        while True:
            if self.take("+"):
                node = ("+", node, self.product(depth))
            elif self.take("-"):
                node = ("-", node, self.product(depth))
            else:
                return node

    def product(self, depth: int) -> _Node:
        node = self.unary(depth)
        while True:
            if self.take("*"):
                node = ("*", node, self.unary(depth))
            elif self.take("/"):
                node = ("/", node, self.unary(depth))
            else:
                return node

    def unary(self, depth: int) -> _Node:
        if depth > _MAX_DEPTH:
            raise ExpressionError("expression nested too deeply")
        if self.take("-"):
            return ("neg", self.unary(depth + 1))
        if self.take("+"):
            return self.unary(depth + 1)
        return self.atom(depth)

    def atom(self, depth: int) -> _Node:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("expression ends too early")
        kind, value, col = tok
        self.pos += 1
        if kind == "num":
            return ("num", float(value))
        if kind == "op" and value == "(":
            node = self.sum(depth + 1)
            if not self.take(")"):
                raise ExpressionError(f"missing ')' for the '(' at column {col}")
            return node
        if kind == "var":
            if self.take("("):
                return self.call(value, col, depth)
            name = value.lstrip("$")
            self.names.add(name)
            return ("var", name)
        raise ExpressionError(f"unexpected {value!r} at column {col}")

    def call(self, name: str, col: int, depth: int) -> _Node:
        if name not in _FUNCTIONS:
            raise ExpressionError(
                f"unknown function {name!r} at column {col} (known: "
                f"{', '.join(sorted(_FUNCTIONS))})"
            )
        args: list[_Node] = []
        if not self.take(")"):
            while True:
                args.append(self.sum(depth + 1))
                if self.take(")"):
                    break
                if not self.take(","):
                    raise ExpressionError(f"missing ')' for {name}( at column {col}")
        fewest, most, _ = _FUNCTIONS[name]
        if not fewest <= len(args) <= most:
            want = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise ExpressionError(f"{name}() takes {want} arguments, got {len(args)}")
        return ("call", name, tuple(args))


@lru_cache(maxsize=256)
def parse_expression(text: str) -> Expression:
    """Parse a pass WIDTH/HEIGHT expression: numbers, ``$NAME`` (the ``$`` is optional, as in
    the reference host), + - * /, parentheses and max min floor ceil round pow abs sqrt.
    Anything else (attributes, strings, other calls) is an ExpressionError; nothing is ever
    handed to Python's eval."""
    if len(text) > _MAX_EXPRESSION:
        raise ExpressionError(f"expression longer than {_MAX_EXPRESSION} characters")
    parser = _Parser(text)
    tree = parser.parse()
    return Expression(text, tree, frozenset(parser.names))


def _eval(node: _Node, variables: Mapping[str, float]) -> float:
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "var":
        if node[1] not in variables:
            raise ExpressionError(f"unknown name ${node[1]}")
        return float(variables[node[1]])
    if kind == "neg":
        return -_eval(node[1], variables)
    if kind == "call":
        args = [_eval(a, variables) for a in node[2]]
        if any(math.isnan(a) for a in args):
            return math.nan
        return float(_FUNCTIONS[node[1]][2](*args))
    left, right = _eval(node[1], variables), _eval(node[2], variables)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    return left / right


def _variable(value: IsfValue) -> float | None:
    """A live input value as an expression variable. Not the file reader (livesync.values):
    these values were checked when the file or the controller gave them, and a frame must
    not fail over one; bools count 0/1 as in the reference host, vectors are left out."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    return None


def pass_size(
    pass_: PassSpec, render_size: tuple[int, int], input_values: Mapping[str, IsfValue]
) -> tuple[int, int]:
    """The pixel size of a pass's target: its WIDTH/HEIGHT expressions evaluated with $WIDTH
    and $HEIGHT = ``render_size`` and the numeric ``input_values`` (bools count as 0/1),
    rounded to whole pixels and kept within 1..MAX_TARGET_SIZE (NaN gives 1, as in the
    reference host). A name missing from ``input_values`` is an ExpressionError."""
    variables = {
        name: n for name, value in input_values.items() if (n := _variable(value)) is not None
    }
    variables["WIDTH"], variables["HEIGHT"] = float(render_size[0]), float(render_size[1])

    def size(expr: str | None, whole: int) -> int:
        if expr is None:
            return max(1, min(int(whole), MAX_TARGET_SIZE))
        value = parse_expression(expr).evaluate(variables)
        if math.isnan(value):
            return 1
        # Clamped before rounding: an overflowing expression ("1e308 * 10") is infinite.
        return math.floor(min(max(value + 0.5, 1.0), float(MAX_TARGET_SIZE)))

    return size(pass_.width_expr, render_size[0]), size(pass_.height_expr, render_size[1])
