"""Every timing format by name: the one place `livesync import`, `export` and `align` look a
format up, so adding a format is adding an entry, not another branch in each command.

Users rename files freely (`gentle.json`, `align.txt`, `out`), so content decides, never the
name. Each entry's `detect` is tried in the order of `FORMATS`:

| content                                              | format                    |
|------------------------------------------------------|---------------------------|
| JSON object with "livesync_timeline"                 | livesync's own timeline   |
| JSON object with "mouthCues"                         | Rhubarb JSON              |
| first line `<seconds><TAB><letter>`                  | Rhubarb TSV               |
| XML (starts with "<")                                | Rhubarb XML               |
| first line `MohoSwitch1`                             | Moho switch data .dat     |
| JSON object with a "tiers" object                    | MFA JSON                  |
| JSON object with a "voices" list and "fps"           | Papagayo-NG .pg2          |
| JSON objects with "time" and "type", one per line    | Amazon Polly speech marks |
| JSON object with "words" and "transcript" or "case"  | Gentle JSON               |
| first line `File type = "ooTextFile"` (or chronological) | TextGrid (MFA, Praat...) |
| (bytes `ooBinaryFile` + TextGrid: decoded to text first)  | Praat binary TextGrid     |
| first line `lipsync version 1`                       | Papagayo .pgo             |
| first line `word,alignedWord,start,end` (csv)        | Gentle CSV                |

Only the order among JSON formats matters (a file could hold several of their keys; the
most specific key wins); line-based detectors only see text that starts with neither "{",
"[" nor "<", and their first lines exclude each other except the TextGrid header, which also
reads as CSV and so comes first. The order also lists the formats livesync writes the way
`livesync export --help` shows them. Every failure is an `InputError` naming the file and
the line or key.

Face landmark files (RunwayML's Face Landmarks export, livesync's own face track) are not
timing files and give no Timeline: `detect_kind` tells them apart first, so `livesync
import` takes either, and `formats.landmarks` reads them into a `FaceTrack`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from livesync.errors import InputError, read_user_bytes
from livesync.formats import (
    canonical,
    gentle,
    gentle_csv,
    landmarks,
    mfa,
    moho,
    papagayo,
    polly,
    rhubarb,
    textgrid,
)
from livesync.formats._common import check_span
from livesync.formats.spec import Content, Format, Options
from livesync.lipsync.timeline import Timeline, validate

FORMATS: tuple[Format, ...] = (
    canonical.FORMAT,
    rhubarb.JSON,
    rhubarb.TSV,
    rhubarb.XML,
    moho.FORMAT,
    mfa.JSON,
    papagayo.PG2,
    polly.FORMAT,
    gentle.FORMAT,
    mfa.TEXTGRID,
    papagayo.FORMAT,
    gentle_csv.FORMAT,
)
CANONICAL = canonical.FORMAT
DEFAULT_FPS = moho.DEFAULT_FPS
_BY_NAME = {f.name: f for f in FORMATS}


def get(name: str) -> Format:
    """The entry called `name`; an unknown name is an InputError (names come from users)."""
    found = _BY_NAME.get(name)
    if found is None:
        raise InputError(None, f"unknown format {name!r} (expected one of {', '.join(_BY_NAME)})")
    return found


def export_formats() -> list[str]:
    """What `livesync export` writes: every format with a writer, other than livesync's own
    timeline (that is what `livesync import` writes)."""
    return [f.name for f in FORMATS if f.write is not None and f is not CANONICAL]


def detect(content: Content) -> Format:
    """The first entry that claims `content`; InputError if none does."""
    for fmt in FORMATS:
        if fmt.detect(content):
            return fmt
    if content.json_error is not None:
        raise content.json_error
    if content.kind == "json":
        raise InputError(
            content.source,
            "unrecognised timing format (expected a livesync timeline or "
            "Gentle JSON with 'words' and 'transcript', Rhubarb JSON with "
            "'mouthCues', MFA JSON with 'tiers', Papagayo-NG .pg2 or Polly speech marks)",
        )
    raise InputError(
        content.source,
        "unrecognised timing format (expected a livesync timeline, "
        "Gentle JSON/CSV, MFA TextGrid/JSON, Rhubarb TSV/XML/JSON, Papagayo .pgo, "
        "Moho .dat or Polly speech marks)",
    )


def detect_kind(content: Content) -> Literal["timeline", "face"]:
    """What a file `livesync import` was given holds: face landmarks or timings. Landmark
    JSON is a list of frames (or livesync's face track), which no timing format is."""
    return "face" if landmarks.detect(content) else "timeline"


def read_content(path: str | Path) -> Content:
    """A file's text as the detectors see it; InputError if it is unreadable or empty."""
    path = Path(path)
    return _content(_read_text(path), path)


def timeline_of(
    content: Content, *, fps: float | None = None, speaker: str | None = None
) -> Timeline:
    """The timeline of a timing file's content, its format detected."""
    return detect(content).read(content, Options(fps=fps, speaker=speaker))


def parse_timeline(
    text: str, source: str | Path | None, *, fps: float | None = None, speaker: str | None = None
) -> Timeline:
    """Detect the format of `text` from its content and read it. `fps` is the frame rate of
    Moho switch files, which do not store it (default 24); `speaker` picks a speaker of a
    multi-speaker file (TextGrid speaker tiers, Papagayo voices; default the first)."""
    return timeline_of(_content(text, source), fps=fps, speaker=speaker)


def _content(text: str, source: str | Path | None) -> Content:
    if not isinstance(text, str):
        raise InputError(source, "expected text")
    content = Content(text, source)
    if not content.text.strip():
        raise InputError(source, "the file is empty")
    return content


def read_timeline(
    path: str | Path, *, fps: float | None = None, speaker: str | None = None
) -> Timeline:
    """Load a timing file in any supported format; InputError names what is wrong."""
    path = Path(path)
    return parse_timeline(_read_text(path), path, fps=fps, speaker=speaker)


def load(path: str | Path) -> Timeline:
    """`livesync.load`: a timeline from any supported file (detected from its content)."""
    return read_timeline(path)


def write_timeline(
    timeline: Timeline, fmt: str, *, fps: float = DEFAULT_FPS, sound_file: str = ""
) -> str:
    """The text of `timeline` in format `fmt`. `fps` is the frame rate of Moho switch data;
    `sound_file` goes into Rhubarb's metadata. An unknown format or a bad frame rate (both
    come from the command line) is an InputError, and so is a timeline whose times are not
    a song's (one built in Python, not read): no writer sees NaN, infinity or 1e308 s, so
    none writes `Infinity` into a JSON file or loops to the end of time."""
    entry = _BY_NAME.get(fmt)
    if entry is None or entry.write is None:
        writable = [f.name for f in FORMATS if f.write is not None]
        raise InputError(
            None, f"unknown export format {fmt!r} (expected one of {', '.join(writable)})"
        )
    check_span(validate(timeline, "timeline"), "timeline")
    return entry.write(timeline, Options(fps=fps, sound_file=sound_file))


def _read_text(path: Path) -> str:
    """The text of a timing file, decoded as the tools that wrote it read it back.

    UTF-8 (with or without BOM), or UTF-16 with a BOM (Praat saves TextGrids holding IPA
    or other non-Latin-1 labels as UTF-16). A file that is not UTF-8 but is plain text is
    Windows Latin-1 (cp1252): Papagayo saves its projects in the system's 8-bit code page
    (its own Spanish tutorial samples are Latin-1, and Papagayo-NG reads them), and Praat
    reads any text that is not UTF-8 as Latin-1 too. A Praat binary TextGrid becomes its
    short text form; any other Praat binary object, and anything else that is not text, is
    refused with the reason."""
    data = read_user_bytes(path, "timing file")
    return decode(data, path)


def decode(data: bytes, source: str | Path | None) -> str:
    """`data` as text (see `_read_text`), or one InputError saying what it is."""
    if data.startswith(textgrid.BINARY_MAGIC):
        if data[12:21] != b"\x08TextGrid":
            raise InputError(
                source,
                "a Praat binary file that is not a TextGrid: livesync reads TextGrids "
                "(binary or text) for timings",
            )
        return textgrid.short_text(textgrid.parse_binary(data, source))
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc.reason
    if data[:2] not in (b"\xff\xfe", b"\xfe\xff") and not _CONTROL.search(data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    raise InputError(source, f"cannot read the timing file (not UTF-8 text: {utf8_error})")


# Bytes no text file holds (NUL and other C0 controls but tab, line feed, form feed and
# carriage return): their presence means binary data, not an 8-bit encoding.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
