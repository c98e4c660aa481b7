"""The pure core must import no hardware or I/O library: that keeps the layout honest."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = ["livesync", "livesync.timeline", "livesync.visemes", "livesync.mouth", "livesync.clock",
        "livesync.show", "livesync.shadertoy", "livesync.formats", "livesync.formats.gentle",
        "livesync.frame_state", "livesync.analysis", "livesync.transport", "livesync.errors",
        "livesync.resources", "livesync.scenes", "livesync.watch", "livesync.follow",
        "livesync.midi_sync", "livesync.control", "livesync.osc_map", "livesync.midi_map",
        "livesync.isf", "livesync.control_config", "livesync.learn", "livesync.align.voicing"]
FORBIDDEN = ["pygame", "moderngl", "glcontext", "sounddevice", "soundfile", "soxr", "pythonosc",
             "mido", "rtmidi", "imageio_ffmpeg"]


def test_core_imports_no_io_library() -> None:
    code = (f"import sys, json\nfor m in {CORE!r}: __import__(m)\n"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    loaded = set(json.loads(out))
    assert set(CORE) <= loaded
    leaked = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN)
    assert leaked == []
