"""Moho switch data (`.dat`), as Papagayo, Rhubarb and OpenToonz write it.

    MohoSwitch1
    1 rest
    7 MBP
    9 AI

Each line switches the mouth to a shape at a frame; frames are 1-based, so frame n starts at
(n - 1) / fps. The frame rate is not in the file (it is the Moho document's), hence the `fps`
parameter (24 by default, Moho's and Papagayo's default); an optional `FPS n` line, which
some Synfig-bound tools add, overrides it. Shapes are Preston Blair names, or Rhubarb letters
when Rhubarb wrote the file without `--datUsePrestonBlair` (see `shapes`). A frame may repeat
(the later line wins); frames going backwards are an error. A last "rest" closes the mouth and
marks the end (Rhubarb writes one); any other last shape is shown for one frame, since nothing
in the file says for how long.

Written as Rhubarb's `dat-exporter.cpp` writes it: Preston Blair names, one line per shape
change at 1-based frames, and a closing rest.
"""

from __future__ import annotations

from livesync.errors import InputError
from livesync.formats import shapes
from livesync.formats._common import (
    Source,
    build,
    cues_from_starts,
    frame_rate,
    merge_cues,
    parse_frame_rate,
)
from livesync.formats.spec import Format, Options
from livesync.lipsync.timeline import Timeline
from livesync.lipsync.visemes import TO_PRESTON_BLAIR, Viseme
from livesync.values import parse_whole

HEADER = "MohoSwitch1"
DEFAULT_FPS = 24.0


def looks_like(first_line: str) -> bool:
    return first_line.strip() == HEADER


def parse(text: str, source: Source, fps: float | None = None) -> Timeline:
    rate = DEFAULT_FPS if fps is None else frame_rate(fps, "the frame rate", source)
    lines = text.splitlines()
    if not lines or lines[0].strip().lstrip("\ufeff") != HEADER:
        raise InputError(source, f"line 1: expected the header {HEADER!r}")
    rows: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines[1:], 2):
        parts = line.split()
        if not parts:
            continue
        where = f"line {number}"
        if parts[0].upper() == "FPS" and len(parts) == 2:
            if fps is None:
                rate = parse_frame_rate(parts[1], f"{where} frame rate", source)
            continue
        if len(parts) != 2:
            raise InputError(source, f"{where}: expected 'frame shape', got {line[:40]!r}")
        rows.append((parse_whole(parts[0], f"{where} frame", source, minimum=1), parts[1], where))
    if not rows:
        raise InputError(source, "no mouth shapes after the header")
    naming, shape = shapes.resolver(name for _, name, _ in rows)
    starts: list[tuple[float, Viseme, str]] = [
        ((frame - 1) / rate, shape(name, where, source), where) for frame, name, where in rows
    ]
    # A closing rest (Rhubarb and livesync write one) marks the end; any other last shape
    # is shown for one frame.
    end = starts[-1][0] + (0.0 if starts[-1][1] is Viseme.SIL else 1.0 / rate)
    cues = cues_from_starts(starts, end, source)
    return build(
        source,
        "moho-dat",
        cues=merge_cues(cues),
        duration=end,
        extra={"fps": f"{rate:g}", "shapes": naming},
    )


def write(timeline: Timeline, options: Options) -> str:
    fps = DEFAULT_FPS if options.fps is None else frame_rate(options.fps, "the frame rate", None)
    step = 1.0 / fps
    lines = [HEADER]
    last_frame = 0
    for start, _, name in shapes.on_grid(timeline, TO_PRESTON_BLAIR, step):
        frame = 1 + round(start * fps)
        if frame == last_frame:
            continue
        lines.append(f"{frame} {name}")
        last_frame = frame
    # Like Rhubarb: close the mouth at the end (a frame later if that frame is taken).
    end_frame = max(1 + round(shapes.snap(timeline.duration, step) * fps), last_frame + 1)
    lines.append(f"{end_frame} {TO_PRESTON_BLAIR[Viseme.SIL]}")
    return "\n".join(lines) + "\n"


FORMAT = Format(
    "moho-dat",
    detect=lambda content: content.kind == "text" and looks_like(content.first_line),
    read=lambda content, options: parse(content.text, content.source, options.fps),
    write=write,
)
