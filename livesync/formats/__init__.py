"""Readers for the timing files neighbouring tools write, detected from content, not name.

Users rename files freely (`gentle.json`, `align.txt`, `out`), so the first bytes decide.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from livesync.errors import InputError, read_user_text
from livesync.formats import gentle
from livesync.timeline import FORMAT_KEY, Timeline, from_json


def read_timeline(path: Path) -> Timeline:
    """Load a canonical timeline or any importable format; InputError names what is wrong."""
    return parse_timeline(read_user_text(path, "timing file"), path)


def parse_timeline(text: str, source: str | Path) -> Timeline:
    if not text.strip():
        raise InputError(source, "the file is empty")
    data = _json(text, source)
    if isinstance(data, dict) and FORMAT_KEY in data:
        return from_json(data, source)
    if gentle.looks_like(data):
        return gentle.parse(data, source)
    raise InputError(source, "unrecognised timing format (expected a livesync timeline or "
                     "Gentle JSON with 'words' and 'transcript')")


def _json(text: str, source: str | Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"malformed JSON at line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg}") from None
