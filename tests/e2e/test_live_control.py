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
from collections.abc import Callable
from pathlib import Path

import pytest
from pythonosc.udp_client import SimpleUDPClient

from livesync.resources import data_dir

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def frames_of(log: Path) -> list[list[str]]:
    """The frame log's complete lines: frame, song time, scene, shown time, ..."""
    if not log.exists():
        return []
    return [line.split() for line in log.read_text().splitlines(keepends=True) if "\n" in line]


def wait_for(
    what: str, done: Callable[[], bool], child: subprocess.Popen[str], within: float
) -> None:
    """Waits until `done()` while the player runs; fails naming `what` after `within` s."""
    deadline = time.monotonic() + within
    while not done():
        assert child.poll() is None, f"the player exited while waiting for {what}"
        assert time.monotonic() < deadline, f"no {what} within {within} s"
        time.sleep(0.05)


class Daw:
    """A DAW playing: its playhead runs with real time from where it was put, and it sends
    it as Reaper does (/time, about ten times a second)."""

    def __init__(self, client: SimpleUDPClient) -> None:
        self.client = client
        self.at, self.since = 0.0, time.monotonic()

    def locate(self, song_time: float) -> None:
        self.at, self.since = song_time, time.monotonic()

    def playhead(self) -> float:
        return self.at + time.monotonic() - self.since

    def play_until(self, done: Callable[[], bool], child: subprocess.Popen[str]) -> None:
        """Keeps sending its playhead until `done()` (or the player has quit: done too)."""
        deadline = time.monotonic() + 60
        while not done() and child.poll() is None:
            assert time.monotonic() < deadline, "the player never got there"
            self.client.send_message("/time", self.playhead())
            time.sleep(0.1)


def test_osc_scene_and_reaper_time_drive_the_show(tmp_path: Path) -> None:
    folder = tmp_path / "show"
    shutil.copytree(data_dir("configs") / "demo", folder)
    show = folder / "demo.toml"
    show.write_text(show.read_text() + '\n[sync]\nsource = "osc"\ndaw = "reaper"\n')
    port, log = free_port(), tmp_path / "frames.txt"
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
            str(log),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    try:
        wait_for("first frame", lambda: bool(frames_of(log)), child, within=60)
        client = SimpleUDPClient("127.0.0.1", port)
        client.send_message("/livesync/scene", "break")
        client.send_message("/garbage/on/the/port", [1, "x"])
        daw = Daw(client)

        def drawn_early() -> bool:
            """Two frames drawn between 2.5 and 3.4 s: the pick has had a frame to land."""
            if daw.playhead() > 3.5:
                daw.locate(2.0)  # the DAW loops the bar until the picture has been there
            return sum(2.5 <= float(r[1]) <= 3.4 for r in frames_of(log)) >= 2

        daw.locate(2.0)  # the DAW plays from 2.0 s...
        daw.play_until(drawn_early, child)
        daw.locate(12.0)  # ...then the performer jumps ahead, and the song runs to its end
        daw.play_until(lambda: False, child)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "scene -> break (osc /livesync/scene)" in err
    assert "Traceback" not in err
    rows = frames_of(log)
    times = [float(r[1]) for r in rows]
    scenes = [r[2] for r in rows]
    # The picture followed the DAW: 2-3.5 s while it played there, then 12 s on to the end.
    assert any(2.0 <= t <= 3.6 for t in times) and times[-1] >= 12.0
    assert max(b - a for a, b in itertools.pairwise(times)) > 8  # the jump
    early = [s for t, s in zip(times, scenes, strict=True) if 2.5 <= t <= 3.4]
    assert early and all(s == "break" for s in early)  # OSC picked it, no cue overrode it
    assert scenes[-1] == "verse"  # the cue at 10.5 s took over


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_an_osc_flood_neither_stalls_frames_nor_grows_memory(tmp_path: Path) -> None:
    """60,000 messages at up to 20,000 a second at the running player: frames keep coming
    while they arrive, and the memory stays put. Lenient bounds, no rates (a shared CI
    machine); benchmarks/control.py measures."""
    port, log = free_port(), tmp_path / "frames.txt"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "livesync",
            "play",
            "--demo",
            "--silent",
            "--loop",
            "--size",
            "320x180",
            "--osc-port",
            str(port),
            "--frame-log",
            str(log),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    try:
        wait_for("30 frames", lambda: len(frames_of(log)) >= 30, child, within=60)
        memory = rss_mb(child.pid)
        client = SimpleUDPClient("127.0.0.1", port)
        start, sent, before = time.monotonic(), 0, len(frames_of(log))
        deadline = start + 60
        while sent < 60_000:
            assert time.monotonic() < deadline, f"only {sent} messages sent in 60 s"
            due = int((time.monotonic() - start) * 20_000)
            while sent < min(due, 60_000):
                client.send_message("/livesync/param/speed", float(sent))
                sent += 1
            time.sleep(0.001)
        during = len(frames_of(log)) - before
        # Every message is handled (or dropped, counted) and the loop draws on afterwards.
        after = len(frames_of(log))
        wait_for("frames after the flood", lambda: len(frames_of(log)) >= after + 10, child, 60)
        grown = rss_mb(child.pid) - memory
    finally:
        child.kill()
        _, err = child.communicate()
    assert during >= 10, during  # frames kept coming through the flood (60 a second unloaded)
    assert grown < 40, grown
    assert "Traceback" not in err
