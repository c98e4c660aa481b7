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
        [
            sys.executable,
            "-m",
            "livesync",
            "play",
            str(show),
            "--exit-at-end",
            "--osc-port",
            str(port),
            "--frame-log",
            str(frames),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    try:
        deadline = time.monotonic() + 30
        while not frames.exists() or not frames.read_text():
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        client = SimpleUDPClient("127.0.0.1", port)
        client.send_message("/livesync/scene", "break")
        client.send_message("/garbage/on/the/port", [1, "x"])
        song = 2.0  # the DAW plays from 2.0 s, at 10 Hz
        for _ in range(15):
            client.send_message("/time", song)
            time.sleep(0.1)
            song += 0.1
        client.send_message("/time", 12.0)  # the performer jumps ahead...
        song = 12.0
        while song < 14.8:  # ...and the song runs to its end
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
    assert max(b - a for a, b in itertools.pairwise(times)) > 8  # the seek
    early = [s for t, s in zip(times, scenes, strict=True) if 2.5 <= t <= 3.4]
    assert early and all(s == "break" for s in early)  # OSC picked it, no cue overrode it
    assert scenes[-1] == "verse"  # the cue at 10.5 s took over


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_an_osc_flood_neither_stalls_frames_nor_grows_memory(tmp_path: Path) -> None:
    """20,000 messages a second for 3 s (bounded count and time) at the running player. The
    bounds are generous on purpose (a shared CI machine); benchmarks/control.py measures."""
    port, frames = free_port(), tmp_path / "frames.txt"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "livesync",
            "play",
            "--demo",
            "--silent",
            "--size",
            "320x180",
            "--osc-port",
            str(port),
            "--frame-log",
            str(frames),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    try:
        while not frames.exists() or len(frames.read_text().splitlines()) < 30:
            assert child.poll() is None
            time.sleep(0.05)

        def shown() -> int:
            return len(frames.read_text().splitlines())

        before = shown()
        time.sleep(2.0)
        quiet = shown() - before
        memory = rss_mb(child.pid)
        client = SimpleUDPClient("127.0.0.1", port)
        start, sent, before = time.monotonic(), 0, shown()
        while sent < 60_000 and time.monotonic() - start < 6.0:
            due = int((time.monotonic() - start) * 20_000)
            while sent < min(due, 60_000):
                client.send_message("/livesync/param/speed", float(sent))
                sent += 1
            time.sleep(0.001)
        elapsed = time.monotonic() - start
        during = (shown() - before) / elapsed * 2.0  # frames per 2 s, as `quiet`
        grown = rss_mb(child.pid) - memory
    finally:
        child.kill()
        _, err = child.communicate()
    assert sent == 60_000
    assert during > 0.5 * quiet, (quiet, during)
    assert grown < 40, grown
    assert "Traceback" not in err
