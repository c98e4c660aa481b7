"""Shared helpers for the format tests (no tests here): the samples, and what a valid
timeline is."""

from __future__ import annotations

import math
from pathlib import Path

from livesync.lipsync.timeline import Timeline, validate
from livesync.values import LONGEST_SONG

FORMATS_DATA = Path(__file__).resolve().parents[1] / "data" / "formats"

SAMPLES: dict[str, str] = {
    "gentle-harvard-align.csv": "gentle-csv",
    "mfa-harvard-long.TextGrid": "mfa-textgrid",
    "mfa-harvard-short.TextGrid": "mfa-textgrid",
    "mfa-harvard.json": "mfa-json",
    "rhubarb-harvard.tsv": "rhubarb-tsv",
    "rhubarb-harvard.xml": "rhubarb-xml",
    "rhubarb-harvard.json": "rhubarb-json",
    "papagayo-harvard.pgo": "papagayo",
    "papagayo-ng-fleming-dobbs.pg2": "papagayo-ng",
    "moho-harvard.dat": "moho-dat",
    "polly-harvard.marks": "polly",
}


def sample(name: str) -> str:
    return (FORMATS_DATA / name).read_text(encoding="utf-8")


def assert_valid(tl: object) -> None:
    """What every reader promises about the Timeline it returns."""
    assert isinstance(tl, Timeline)
    validate(tl, None)
    assert math.isfinite(tl.duration) and 0 <= tl.duration <= LONGEST_SONG
    prev = -math.inf
    for w in tl.words:
        assert isinstance(w.text, str)
        assert (w.start is None) == (w.end is None)
        if w.start is not None and w.end is not None:
            assert math.isfinite(w.start) and math.isfinite(w.end)
            assert 0 <= w.start <= w.end <= tl.duration + 1e-9
            assert w.start >= prev - 1e-6
            prev = w.start
    for p in tl.phones:
        assert p.phone == p.phone.upper() and not p.phone[-1:].isdigit()
        assert p.end <= tl.duration + 1e-9
    for c in tl.cues:
        assert 0 <= c.start <= c.end <= tl.duration + 1e-9
