"""Gentle's CSV (`/transcriptions/<id>/align.csv`): one `word,alignedWord,start,end` row per
transcript word, no header, written by Python's csv module.

Words Gentle could not find in the audio keep their row with empty times (`wonderful,,,`);
out-of-vocabulary words align as `<unk>`. The CSV has no phones, so the timeline has words
only: useful for the HUD and lyrics, while the mouth needs phones or cues from elsewhere.
"""

from __future__ import annotations

import csv
import re

from livesync.errors import InputError
from livesync.formats._common import Source, build
from livesync.formats.spec import Format
from livesync.lipsync.timeline import Timeline, Word
from livesync.values import parse_finite

_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)?"
_ROW = re.compile(rf"^.*,.*,\s*{_NUMBER}\s*,\s*{_NUMBER}\s*$")


def looks_like(first_line: str) -> bool:
    """Four comma-separated fields, the last two numbers (or both empty)."""
    if not _ROW.match(first_line.strip()):
        return False
    try:
        row = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return False
    return len(row) == 4 and (row[2].strip() == "") == (row[3].strip() == "")


def parse(text: str, source: Source) -> Timeline:
    words: list[Word] = []
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise InputError(source, f"malformed CSV ({exc})") from None
    for number, row in enumerate(rows, 1):
        if not row or all(not cell.strip() for cell in row):
            continue
        where = f"line {number}"
        if len(row) != 4:
            raise InputError(
                source,
                f"{where}: expected 4 columns (word, alignedWord, start, end), got {len(row)}",
            )
        word, _aligned, start_text, end_text = row
        if not start_text.strip() and not end_text.strip():
            words.append(Word(word, None, None))
            continue
        start = parse_finite(start_text, f"{where} start", source, minimum=0)
        end = parse_finite(end_text, f"{where} end", source, minimum=0)
        if end < start:
            raise InputError(source, f"{where}: word {word!r} ends before it starts")
        words.append(Word(word, start, end))
    if not words:
        raise InputError(source, "no words")
    return build(source, "gentle-csv", words=words)


FORMAT = Format(
    "gentle-csv",
    detect=lambda content: content.kind == "text" and looks_like(content.first_line),
    read=lambda content, _options: parse(content.text, content.source),
)
