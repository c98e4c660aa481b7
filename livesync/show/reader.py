"""Typed access to a parsed show file that names the key path on every mistake.

The numbers go through livesync.values, so a show file refuses the same things in the same
words as every other file a user writes; this adds what a show file's tables need on top:
required and optional keys, tables, pairs, colours and file names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.values import colour, describe, file_name, finite, whole


class Reader:
    """Reads values out of one show file's tables; `path` names the file in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def table(self, data: dict[str, Any], key: str, required: bool = True) -> dict[str, Any]:
        name = key.rsplit(".", 1)[-1]
        value = data.get(name)
        if value is None:
            if required:
                raise InputError(self.path, f"{key}: missing table [{key}]")
            return {}
        if not isinstance(value, dict):
            raise InputError(self.path, f"{key}: expected a table, got {type(value).__name__}")
        return value

    def get(self, data: dict[str, Any], key: str, kind: Any, default: Any = ...) -> Any:
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            if default is ...:
                raise InputError(self.path, f"{key}: missing (expected {_kind_name(kind)})")
            return default
        value = data[name]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise InputError(
                self.path, f"{key}: expected {_kind_name(kind)}, got {describe(value)}"
            )
        return value

    def file(self, data: dict[str, Any], key: str, default: str | None = None) -> str:
        """A file name (relative to the show), `default` when the key is missing ("" for an
        optional file not given); without a default the key must be set."""
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            if default is None:
                raise InputError(self.path, f"{key}: missing (expected a file name)")
            return default
        return file_name(data[name], key, self.path)

    def number(
        self,
        data: dict[str, Any],
        key: str,
        default: float | None = None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        """A finite number (livesync.values' rules) within the bounds given; without a
        default, the key must be set."""
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            if default is None:
                raise InputError(self.path, f"{key}: missing (expected a number)")
            return float(default)
        return finite(data[name], key, self.path, minimum=minimum, maximum=maximum)

    def positive(self, data: dict[str, Any], key: str, default: float, maximum: float) -> float:
        value = self.number(data, key, default, maximum=maximum)
        if value <= 0:
            raise InputError(self.path, f"{key}: expected a number above 0, got {value:g}")
        return value

    def count(self, data: dict[str, Any], key: str, default: int, maximum: int) -> int:
        """A whole number from 1 to `maximum` (frames per second, beats per bar); 29.97 fps
        is written as 30, never cut to 0."""
        value = self.number(data, key, default, maximum=maximum)
        if value < 1:
            raise InputError(self.path, f"{key}: expected 1 or more, got {value:g}")
        return round(value)

    def integer(self, data: dict[str, Any], key: str, default: int, maximum: int) -> int:
        """A whole number from 0 to `maximum`."""
        value = data.get(key.rsplit(".", 1)[-1], default)
        return whole(value, key, self.path, minimum=0, maximum=maximum)

    def pair(
        self, data: dict[str, Any], key: str, default: tuple[float, float], limit: float
    ) -> tuple[float, float]:
        """[x, y], each within -limit..limit."""
        value = self.get(data, key, list, list(default))
        if len(value) != 2:
            raise InputError(self.path, f"{key}: expected [x, y] numbers, got {describe(value)}")
        x, y = (
            finite(v, f"{key}[{i}]", self.path, minimum=-limit, maximum=limit)
            for i, v in enumerate(value)
        )
        return x, y

    def color(
        self, data: dict[str, Any], key: str, default: tuple[float, float, float]
    ) -> tuple[float, float, float]:
        name = key.rsplit(".", 1)[-1]
        return colour(data[name], key, self.path) if name in data else default


def _kind_name(kind: Any) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return str(names.get(kind, kind.__name__))
