"""Timing files of neighbouring tools, in and out: one module per format holding its reader
and its writer, and `registry`, which finds a format by name or by content (see its table).

    from livesync.formats import load, write_timeline
    timeline = load("gentle.json")                  # any supported file, detected
    text = write_timeline(timeline, "rhubarb-tsv")  # any format with a writer
"""

from __future__ import annotations

from livesync.formats.registry import load, parse_timeline, read_timeline, write_timeline

__all__ = ["load", "parse_timeline", "read_timeline", "write_timeline"]
