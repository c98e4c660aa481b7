"""The frame loop draws each frame for the moment it is planned to be seen, headless.

On the wall clock (`--silent`) the song time is the monotonic time minus an origin, so a frame
drawn for its planned flip has song time minus planned flip time (frame log columns 2 and 5)
the same for every frame. Paused, the picture is the exact still: every frame the same time.
Nothing here depends on how fast the machine is; benchmarks/flip_sync.py measures how close
the plans come to the real flips.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from tests.e2e.test_live_control import frames_of, free_port

pytestmark = pytest.mark.e2e


def test_frames_are_drawn_for_their_planned_flip_and_a_pause_is_exact(tmp_path: Path) -> None:
    port, log, err = free_port(), tmp_path / "frames.txt", tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "livesync", "play", "--demo", "--silent", "--loop"]
    command += ["--size", "320x180", "--osc-port", str(port), "--frame-log", str(log)]
    with err.open("w") as stderr:
        child = subprocess.Popen(
            command, stderr=stderr, env={**os.environ, "SDL_VIDEODRIVER": "offscreen"}
        )

    def wait_for(what: str, done: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 60
        while not done():
            assert child.poll() is None, f"the player exited waiting for {what}"
            assert time.monotonic() < deadline, f"no {what} within 60 s"
            time.sleep(0.05)

    client = SimpleUDPClient("127.0.0.1", port)
    try:
        wait_for("60 frames", lambda: len(frames_of(log)) >= 60)
        playing = frames_of(log)
        client.send_message("/livesync/transport/pause", [])
        wait_for("the pause", lambda: "transport pause" in err.read_text())
        paused_from = len(frames_of(log))
        wait_for("paused frames", lambda: len(frames_of(log)) >= paused_from + 20)
        paused = frames_of(log)[paused_from + 1 :]
        client.send_message("/livesync/transport/play", [])
        wait_for("the resume", lambda: "transport play" in err.read_text())
        resumed_from = len(frames_of(log))
        wait_for("frames after", lambda: len(frames_of(log)) >= resumed_from + 20)
        resumed = frames_of(log)[resumed_from + 1 :]
    finally:
        child.terminate()
        child.wait(timeout=30)
    song = np.array([float(r[1]) for r in playing[1:]])
    planned = np.array([float(r[4]) for r in playing[1:]])
    drawn_for = song - planned  # the clock's origin, if drawn for the planned flip
    near = np.abs(drawn_for - np.median(drawn_for)) < 0.001
    assert near.mean() > 0.9, drawn_for
    assert len({r[1] for r in paused}) == 1, [r[1] for r in paused]  # one still, exactly
    times = [float(r[1]) for r in resumed]
    assert times[-1] > times[0]  # and it plays on
