"""Shared test fixtures: paths to the real data the suite runs on."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GENTLE_JSON = DATA / "forced-harvard-sentences-list30.json"
HARVARD_MP3 = DATA / "harvard-sentences-list30.mp3"


@pytest.fixture
def gentle_json() -> Path:
    return GENTLE_JSON
