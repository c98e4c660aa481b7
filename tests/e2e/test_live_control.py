"""`livesync play` at a gig, headless: OSC picks scenes, a Reaper-style /time stream drives
the clock, and the console log and the frames drawn follow (real UDP on 127.0.0.1)."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pythonosc.udp_client import SimpleUDPClient

from livesync.resources import data_dir

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_osc_scene_and_reaper_time_drive_the_show(tmp_path: Path) -> None:
    folder = tmp_path / "show"
    shutil.copytree(data_dir("configs") / "demo", folder)
    show = folder / "demo.toml"
    show.write_text(show.read_text() + '\n[sync]\nsource = "osc"\ndaw = "reaper"\n')
    port, frames = free_port(), tmp_path / "frames.txt"
    child = subprocess.Popen(
        [sys.executable, "-m", "livesync", "play", str(show), "--exit-at-end",
         "--osc-port", str(port), "--frame-log", str(frames)],
        stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"})
    try:
        deadline = time.monotonic() + 30
        while not frames.exists() or not frames.read_text():
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        client = SimpleUDPClient("127.0.0.1", port)
        client.send_message("/livesync/scene", "break")
        client.send_message("/garbage/on/the/port", [1, "x"])
        song = 2.0                                      # the DAW plays from 2.0 s, at 10 Hz
        for _ in range(15):
            client.send_message("/time", song)
            time.sleep(0.1)
            song += 0.1
        client.send_message("/time", 12.0)              # the performer jumps ahead...
        song = 12.0
        while song < 14.8:                              # ...and the song runs to its end
            time.sleep(0.1)
            song += 0.1
            client.send_message("/time", song)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "scene -> break (osc /livesync/scene)" in err
    assert "Traceback" not in err
    rows = [line.split() for line in frames.read_text().splitlines()]
    times = [float(r[1]) for r in rows]
    scenes = [r[2] for r in rows]
    # The picture followed the DAW: times near 2-3.5 s while it played there, then 12+.
    assert any(2.0 <= t <= 3.6 for t in times) and times[-1] >= 14.4
    assert max(b - a for a, b in itertools.pairwise(times)) > 8     # the seek
    early = [s for t, s in zip(times, scenes, strict=True) if 2.5 <= t <= 3.4]
    assert early and all(s == "break" for s in early)   # OSC picked it, no cue overrode it
    assert scenes[-1] == "verse"                         # the cue at 10.5 s took over
