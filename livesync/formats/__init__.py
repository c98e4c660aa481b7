"""Timing files of neighbouring tools, in and out: one module per format holding its reader
and its writer, and `registry`, which finds a format by name or by content (see its table).
Face landmark files (RunwayML's export) are read by `landmarks` into a face track.

    from livesync.formats import load, read_face_track, write_timeline
    timeline = load("gentle.json")                  # any supported file, detected
    text = write_timeline(timeline, "rhubarb-tsv")  # any format with a writer
    face = read_face_track("face.json")             # RunwayML / face_recognition landmarks
"""

from __future__ import annotations

from livesync.formats.landmarks import parse_face_track, read_face_track
from livesync.formats.registry import load, parse_timeline, read_timeline, write_timeline

__all__ = [
    "load",
    "parse_face_track",
    "parse_timeline",
    "read_face_track",
    "read_timeline",
    "write_timeline",
]
