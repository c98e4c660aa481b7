"""What a format module hands the registry: how to recognise its files, read them, write them.

Detection looks at content, never at the file name, and every detector sees the same
`Content`: the text with its BOM and leading blank lines removed, and the JSON value parsed
once (five formats are JSON; parsing the file five times would be wasted work).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from livesync.errors import InputError
from livesync.formats._common import Source
from livesync.lipsync.timeline import Timeline

NOT_JSON: Any = object()  # what `Content.data` holds when the text does not parse as JSON


class Content:
    """A timing file's text, as the detectors and readers see it."""

    def __init__(self, text: str, source: Source) -> None:
        self.text = text.lstrip("\ufeff \t\r\n")
        self.source = source

    @cached_property
    def first_line(self) -> str:
        """Five line-based detectors look at it; a long TextGrid is split once, not five times."""
        return self.text.split("\n", 1)[0].splitlines()[0] if self.text else ""

    @property
    def kind(self) -> Literal["json", "xml", "text"]:
        """What the first character promises: line-based formats never start with these."""
        if self.text[:1] in ("{", "["):
            return "json"
        return "xml" if self.text[:1] == "<" else "text"

    @cached_property
    def _parsed(self) -> tuple[Any, InputError | None, bool]:
        """(value or NOT_JSON, the error to report if no format claims the text, whether it
        failed as a stream of several JSON values could: Polly writes one object per line)."""
        if self.kind != "json":
            return NOT_JSON, None, False
        try:
            return json.loads(self.text), None, False
        except json.JSONDecodeError as exc:
            message = f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            return NOT_JSON, InputError(self.source, message), True
        except RecursionError:
            return NOT_JSON, InputError(self.source, "malformed JSON: nested too deeply"), False
        except ValueError:  # an integer of thousands of digits (Python's int parsing limit)
            return NOT_JSON, InputError(self.source, "malformed JSON: a number too long"), False

    @property
    def data(self) -> Any:
        """The parsed JSON value, or NOT_JSON."""
        return self._parsed[0]

    @property
    def json_error(self) -> InputError | None:
        return self._parsed[1]

    @property
    def json_stream(self) -> bool:
        """The text starts like JSON but is not one value (it may be several, one per line)."""
        return self._parsed[2]

    def data_with(self, *keys: str) -> bool:
        """The JSON value is an object holding all of `keys`."""
        data = self.data
        return isinstance(data, dict) and all(key in data for key in keys)


@dataclass(frozen=True)
class Options:
    """What a command line can add that the file does not say: the frame rate of Moho switch
    data (not stored in the file; None reads the file's own `FPS` line or 24), the sound
    file Rhubarb's metadata names, and which speaker of a multi-speaker file to read (a
    TextGrid's `<speaker> - words` tiers, a Papagayo voice; None reads the first)."""

    fps: float | None = None
    sound_file: str = ""
    speaker: str | None = None


Detect = Callable[[Content], bool]
Read = Callable[[Content, Options], Timeline]
Write = Callable[[Timeline, Options], str]


@dataclass(frozen=True)
class Format:
    """One registry entry; a format livesync only reads has no `write`."""

    name: str
    detect: Detect
    read: Read
    write: Write | None = None
