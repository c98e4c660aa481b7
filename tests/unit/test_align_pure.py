"""The aligner's decisions are pure: importing it loads neither pocketsphinx nor audio I/O
(only livesync.align.sphinx imports pocketsphinx, lazily, when an alignment runs)."""

from __future__ import annotations

import json
import subprocess
import sys

MODULES = [
    "livesync.align",
    "livesync.align.lyrics",
    "livesync.align.numbers",
    "livesync.align.plan",
    "livesync.align.pronounce",
    "livesync.align.assemble",
    "livesync.align.g2p",
    "livesync.align.pipeline",
    "livesync.align.sphinx",
]
FORBIDDEN = ["pocketsphinx", "soundfile", "soxr", "sounddevice", "pygame", "moderngl"]


def test_align_imports_no_engine_or_io_library() -> None:
    code = (
        f"import sys, json\nfor m in {MODULES!r}: __import__(m)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    assert set(MODULES) <= loaded
    assert sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN) == []
