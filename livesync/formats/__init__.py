"""Readers for the timing files neighbouring tools write, detected from content, not name.

Users rename files freely (`gentle.json`, `align.txt`, `out`), so the first bytes decide:

| content                                              | format                    |
|------------------------------------------------------|---------------------------|
| JSON object with "livesync_timeline"                 | livesync's own timeline   |
| JSON object with "mouthCues"                         | Rhubarb JSON              |
| JSON object with a "tiers" object                    | MFA JSON                  |
| JSON objects with "time" and "type", one per line    | Amazon Polly speech marks |
| JSON object with "words" and "transcript" or "case"  | Gentle JSON               |
| XML (starts with "<")                                | Rhubarb XML               |
| first line `File type = "ooTextFile"`                | MFA TextGrid (Praat)      |
| first line `lipsync version 1`                       | Papagayo .pgo             |
| first line `MohoSwitch1`                             | Moho switch data .dat     |
| first line `<seconds><TAB><letter>`                  | Rhubarb TSV               |
| first line `word,alignedWord,start,end` (csv)        | Gentle CSV                |

Every failure is an `InputError` naming the file and the line or key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from livesync.errors import InputError, read_user_text
from livesync.formats import gentle, gentle_csv, mfa, moho, papagayo, polly, rhubarb, textgrid
from livesync.lipsync.timeline import FORMAT_KEY, Timeline, from_json

IMPORT_FORMATS = (
    "livesync",
    "gentle",
    "gentle-csv",
    "mfa-textgrid",
    "mfa-json",
    "rhubarb-tsv",
    "rhubarb-xml",
    "rhubarb-json",
    "papagayo",
    "moho-dat",
    "polly",
)


def read_timeline(path: Path, *, fps: float | None = None) -> Timeline:
    """Load a canonical timeline or any importable format; InputError names what is wrong.
    `fps` is the frame rate of Moho switch files, which do not store it (default 24)."""
    return parse_timeline(_read_text(Path(path)), path, fps=fps)


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with a BOM: Praat saves TextGrids holding
    IPA or other non-Latin-1 labels as UTF-16."""
    try:
        with path.open("rb") as f:
            bom = f.read(2)
    except OSError:
        return read_user_text(path, "timing file")  # raises the clear error
    if bom in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return path.read_bytes().decode("utf-16")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot read the timing file as UTF-16 ({exc})") from None
    return read_user_text(path, "timing file")


def parse_timeline(text: str, source: str | Path, *, fps: float | None = None) -> Timeline:
    """Detect the format of `text` from its content and read it (see the module table)."""
    if not isinstance(text, str):
        raise InputError(source, "expected text")
    body = text.lstrip("\ufeff \t\r\n")
    if not body.strip():
        raise InputError(source, "the file is empty")
    first = body.splitlines()[0]
    if body[0] in "{[":
        return _parse_json_text(body, source)
    if body[0] == "<":
        return rhubarb.parse_xml(body, source)
    if textgrid.looks_like(first):
        return mfa.parse_textgrid(body, source)
    if papagayo.looks_like(first):
        return papagayo.parse(body, source)
    if moho.looks_like(first):
        return moho.parse(body, source, fps)
    if rhubarb.looks_like_tsv(first):
        return rhubarb.parse_tsv(body, source)
    if gentle_csv.looks_like(first):
        return gentle_csv.parse(body, source)
    raise InputError(
        source,
        "unrecognised timing format (expected a livesync timeline, "
        "Gentle JSON/CSV, MFA TextGrid/JSON, Rhubarb TSV/XML/JSON, Papagayo .pgo, "
        "Moho .dat or Polly speech marks)",
    )


def _parse_json_text(text: str, source: str | Path) -> Timeline:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if polly.looks_like(text):
            return polly.parse(text, source)
        raise InputError(
            source, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(source, "malformed JSON: nested too deeply") from None
    return _parse_json(data, text, source)


def _parse_json(data: Any, text: str, source: str | Path) -> Timeline:
    if isinstance(data, dict) and FORMAT_KEY in data:
        return from_json(data, source)
    if rhubarb.looks_like_json(data):
        return rhubarb.parse_json(data, source)
    if mfa.looks_like_json(data):
        return mfa.parse_json(data, source)
    if isinstance(data, dict) and "time" in data and "type" in data:
        return polly.parse(text, source)
    if gentle.looks_like(data):
        return gentle.parse(data, source)
    raise InputError(
        source,
        "unrecognised timing format (expected a livesync timeline or "
        "Gentle JSON with 'words' and 'transcript', Rhubarb JSON with "
        "'mouthCues', MFA JSON with 'tiers' or Polly speech marks)",
    )
