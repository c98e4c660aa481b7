"""Rhubarb Lip Sync's three text outputs (`-f tsv`, `-f xml`, `-f json`), as mouth cues.

Rhubarb picks the mouth shapes itself (A-F basic, G H X extended), so these files become
`Timeline.cues` that drive the mouth directly, through `visemes.FROM_RHUBARB`.

- TSV: one `start<TAB>shape` line per cue; a cue ends where the next starts, and the last
  line (Rhubarb always writes X there) only marks the end of the animation.
- XML: `<rhubarbResult><metadata><soundFile/><duration/></metadata><mouthCues>
  <mouthCue start=".." end="..">X</mouthCue>...`.
- JSON: `{"metadata": {"soundFile": .., "duration": ..}, "mouthCues": [{"start", "end",
  "value"}]}`.

Written the way Rhubarb's own exporters write them (`rhubarb/src/exporters/*-exporter.cpp`):
times with two decimals, the TSV closed by an `<end>\tX` row, the JSON hand-formatted with one
cue per line. A phone timeline is written as its mouth track (see `shapes`).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from livesync.errors import InputError
from livesync.formats import shapes
from livesync.formats._common import Source, build, cues_from_starts, merge_cues
from livesync.formats.spec import Format, Options
from livesync.lipsync.timeline import Cue, Timeline
from livesync.lipsync.visemes import TO_RHUBARB, Viseme
from livesync.values import finite, parse_finite

STEP = 0.01  # Rhubarb's times have two decimals

_TSV_LINE = re.compile(r"^\s*[0-9]+(?:\.[0-9]*)?\t\s*[A-Za-z]\s*$")


def looks_like_tsv(first_line: str) -> bool:
    return bool(_TSV_LINE.match(first_line))


def looks_like_json(data: Any) -> bool:
    return isinstance(data, dict) and "mouthCues" in data


def parse_tsv(text: str, source: Source) -> Timeline:
    starts: list[tuple[float, Viseme, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"line {number}"
        parts = line.strip().split("\t") if "\t" in line else line.split()
        if len(parts) != 2:
            raise InputError(source, f"{where}: expected 'time<TAB>shape', got {line[:40]!r}")
        start = parse_finite(parts[0], f"{where} time", source, minimum=0)
        starts.append((start, shapes.rhubarb(parts[1], where, source), where))
    if not starts:
        raise InputError(source, "no mouth cues")
    # The last line is the end marker: it holds no time of its own.
    end = starts[-1][0]
    cues = cues_from_starts(starts, end, source)
    return build(source, "rhubarb-tsv", cues=merge_cues(cues), duration=end)


def parse_json(data: dict[str, Any], source: Source) -> Timeline:
    raw = data["mouthCues"]
    if not isinstance(raw, list):
        raise InputError(source, "'mouthCues' must be a list")
    cues: list[Cue] = []
    for i, entry in enumerate(raw):
        where = f"mouthCues[{i}]"
        if not isinstance(entry, dict):
            raise InputError(source, f"{where} must be an object")
        for key in ("start", "end", "value"):
            if key not in entry:
                raise InputError(source, f"{where} has no '{key}'")
        start = finite(entry["start"], f"{where}.start", source, minimum=0)
        end = finite(entry["end"], f"{where}.end", source, minimum=0)
        if end < start:
            raise InputError(source, f"{where} ends before it starts ({start} to {end})")
        if not isinstance(entry["value"], str):
            raise InputError(source, f"{where}.value must be a shape letter")
        cues.append(Cue(shapes.rhubarb(entry["value"], f"{where}.value", source), start, end))
    duration = 0.0
    meta = data.get("metadata")
    extra: dict[str, str] = {}
    if meta is not None:
        if not isinstance(meta, dict):
            raise InputError(source, "'metadata' must be an object")
        if meta.get("duration") is not None:
            duration = finite(meta["duration"], "metadata.duration", source, minimum=0)
        if isinstance(meta.get("soundFile"), str):
            extra["sound_file"] = meta["soundFile"]
    _check_order(cues, "mouthCues[{}]", 0, source)
    return build(source, "rhubarb-json", cues=merge_cues(cues), duration=duration, extra=extra)


def parse_xml(text: str, source: Source) -> Timeline:
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError) as exc:
        raise InputError(source, f"malformed XML ({exc})") from None
    if root.tag != "rhubarbResult":
        raise InputError(
            source,
            f"XML root is <{root.tag}>, expected <rhubarbResult> (Rhubarb Lip Sync's XML output)",
        )
    container = root.find("mouthCues")
    if container is None:
        raise InputError(source, "<rhubarbResult> has no <mouthCues>")
    cues: list[Cue] = []
    for i, element in enumerate(container.findall("mouthCue")):
        where = f"mouthCue {i + 1}"
        start_text, end_text = element.get("start"), element.get("end")
        if start_text is None or end_text is None:
            raise InputError(source, f"{where} needs 'start' and 'end' attributes")
        start = parse_finite(start_text, f"{where} start", source, minimum=0)
        end = parse_finite(end_text, f"{where} end", source, minimum=0)
        if end < start:
            raise InputError(source, f"{where} ends before it starts ({start} to {end})")
        cues.append(Cue(shapes.rhubarb(element.text or "", where, source), start, end))
    duration = 0.0
    extra: dict[str, str] = {}
    meta = root.find("metadata")
    if meta is not None:
        duration_text = meta.findtext("duration")
        if duration_text is not None and duration_text.strip():
            duration = parse_finite(duration_text, "metadata duration", source, minimum=0)
        sound = meta.findtext("soundFile")
        if sound:
            extra["sound_file"] = sound
    _check_order(cues, "mouthCue {}", 1, source)
    return build(source, "rhubarb-xml", cues=merge_cues(cues), duration=duration, extra=extra)


def _check_order(cues: list[Cue], what: str, base: int, source: Source) -> None:
    for i in range(1, len(cues)):
        if cues[i].start < cues[i - 1].end - 1e-6:
            raise InputError(
                source,
                f"{what.format(i + base)} starts at "
                f"{cues[i].start:.3f} s, before the previous cue ends "
                f"({cues[i - 1].end:.3f} s)",
            )


def write_json(timeline: Timeline, options: Options) -> str:
    cues = shapes.on_grid(timeline, TO_RHUBARB, STEP) or [(0.0, 0.0, "X")]
    lines = [
        "{",
        '  "metadata": {',
        f'    "soundFile": {json.dumps(options.sound_file)},',
        f'    "duration": {shapes.snap(timeline.duration, STEP):.2f}',
        "  },",
        '  "mouthCues": [',
        ",\n".join(
            f'    {{ "start": {s:.2f}, "end": {e:.2f}, "value": "{v}" }}' for s, e, v in cues
        ),
        "  ]",
        "}",
    ]
    return "\n".join(lines) + "\n"


def write_tsv(timeline: Timeline, options: Options) -> str:
    cues = shapes.on_grid(timeline, TO_RHUBARB, STEP)
    end = cues[-1][1] if cues else 0.0
    return "".join(f"{s:.2f}\t{v}\n" for s, _, v in cues) + f"{end:.2f}\tX\n"


def write_xml(timeline: Timeline, options: Options) -> str:
    cues = shapes.on_grid(timeline, TO_RHUBARB, STEP) or [(0.0, 0.0, "X")]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<rhubarbResult>",
        "  <metadata>",
        f"    <soundFile>{escape(options.sound_file)}</soundFile>",
        f"    <duration>{shapes.snap(timeline.duration, STEP):.2f}</duration>",
        "  </metadata>",
        "  <mouthCues>",
    ]
    lines += [
        f"    <mouthCue start={quoteattr(f'{s:.2f}')} end={quoteattr(f'{e:.2f}')}>{v}</mouthCue>"
        for s, e, v in cues
    ]
    lines += ["  </mouthCues>", "</rhubarbResult>"]
    return "\n".join(lines) + "\n"


JSON = Format(
    "rhubarb-json",
    detect=lambda content: looks_like_json(content.data),
    read=lambda content, _options: parse_json(content.data, content.source),
    write=write_json,
)
TSV = Format(
    "rhubarb-tsv",
    detect=lambda content: content.kind == "text" and looks_like_tsv(content.first_line),
    read=lambda content, _options: parse_tsv(content.text, content.source),
    write=write_tsv,
)
XML = Format(
    "rhubarb-xml",
    detect=lambda content: content.kind == "xml",
    read=lambda content, _options: parse_xml(content.text, content.source),
    write=write_xml,
)
