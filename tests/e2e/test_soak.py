"""A long show in short: `livesync play --loop` plays a short show twice through while OSC
arrives and the show file is saved again and again (hot reloads), headless.

It asserts what must hold however busy the machine is: the song time goes back to the start
at the end and plays on, each reload is taken, OSC is applied, nothing raises, and memory
does not keep growing from reload to reload. benchmarks/soak.py is the long version, with
the figures. Every wait has a deadline; nothing here measures speed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pythonosc.udp_client import SimpleUDPClient

from livesync.resources import data_dir
from tests.e2e.test_live_control import free_port, rss_mb

pytestmark = pytest.mark.e2e
DEMO_SECONDS = 14.5


def soak_show(
    folder: Path, seconds: float = DEMO_SECONDS, rate: int = 48000, midi_port: str | None = None
) -> Path:
    """The demo show in `folder`, playing `seconds` of noise at `rate` instead of its song.

    Noise, because every stretch of it is unique: a recording of what the player sent to
    the sound card can be placed in the track exactly (tests/io/test_audio_recording.py).
    Shorter than the demo, its timeline and cues are cut to fit. With `midi_port`, an APC
    mini mk2 is expected on that port (notes 0-2 pick the scenes, faders drive parameters).
    """
    shutil.copytree(data_dir("configs") / "demo", folder)
    noise = np.random.default_rng(11).standard_normal((int(seconds * rate), 2))
    soundfile.write(folder / "soak.wav", (0.1 * noise).astype(np.float32), rate, "FLOAT")
    timeline = json.loads((folder / "demo.timeline.json").read_text())
    timeline["duration"] = seconds
    for key in ("words", "phones"):
        timeline[key] = [item for item in timeline[key] if item["end"] <= seconds]
    (folder / "soak.timeline.json").write_text(json.dumps(timeline))
    show = folder / "demo.toml"
    text = show.read_text()
    text = text.replace('audio = "demo.ogg"', 'audio = "soak.wav"')
    text = text.replace('timeline = "demo.timeline.json"', 'timeline = "soak.timeline.json"')
    if midi_port is not None:
        text += f'\n[midi]\ncontroller = "apc-mini-mk2"\nport = "{midi_port}"\n'
    show.write_text(text)
    return show


def save_again(show: Path, n: int) -> None:
    """Saves the show with the verse's intensity changed, as a performer tweaking it would:
    the player reloads the whole show."""
    text = show.read_text()
    value = f"{0.5 + 0.1 * (n % 4):.1f}"
    show.write_text(re.sub(r"intensity = [0-9.]+", f"intensity = {value}", text, count=1))


def song_times(log: Path) -> list[float]:
    """Column 2 of the frame log's complete lines."""
    if not log.exists():
        return []
    lines = log.read_text().splitlines(keepends=True)
    return [float(line.split()[1]) for line in lines if line.endswith("\n")]


def wraps(times: list[float], length: float) -> list[int]:
    """Frames where the song went back from its last second to its first."""
    return [
        i
        for i in range(1, len(times))
        if times[i - 1] >= length - 1.0 and times[i] <= 1.0 and times[i] < times[i - 1]
    ]


def test_a_looping_show_survives_reloads_and_osc(tmp_path: Path) -> None:
    seconds = 6.0
    show = soak_show(tmp_path / "show", seconds)
    port, log, err = free_port(), tmp_path / "frames.txt", tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "livesync", "play", str(show), "--silent", "--loop"]
    command += ["--size", "320x180", "--osc-port", str(port), "--frame-log", str(log)]
    with err.open("w") as stderr:
        child = subprocess.Popen(
            command, stderr=stderr, env={**os.environ, "SDL_VIDEODRIVER": "offscreen"}
        )
    client = SimpleUDPClient("127.0.0.1", port)
    sent = 0

    def wait_for(what: str, done: Callable[[], bool]) -> None:
        """Sends OSC while waiting, as a control surface would; fails after a deadline."""
        nonlocal sent
        deadline = time.monotonic() + 90
        while not done():
            assert child.poll() is None, f"the player exited waiting for {what}"
            assert time.monotonic() < deadline, f"no {what} within 90 s"
            client.send_message("/livesync/param/intensity", float(sent % 10) / 10)
            client.send_message("/livesync/param/no_such_param", 1.0)  # counted, dropped
            if sent % 40 == 0:
                client.send_message("/livesync/scene", ["verse", "chorus"][sent // 40 % 2])
            sent += 2
            time.sleep(0.05)

    def reloads() -> int:
        return err.read_text().count("reloaded show")

    try:
        wait_for("first frame", lambda: bool(song_times(log)))
        memory: list[float] = []
        for n in range(4):
            save_again(show, n)
            wait_for(f"reload {n + 1}", lambda n=n: reloads() > n)  # type: ignore[misc]
            memory.append(rss_mb(child.pid))
        wait_for("two loops", lambda: len(wraps(song_times(log), seconds)) >= 2)
        shown = len(song_times(log))
        wait_for("frames after the loops", lambda: len(song_times(log)) >= shown + 10)
        memory.append(rss_mb(child.pid))
        print("memory (MB) after each reload and at the end:", memory)
    finally:
        child.terminate()
        child.wait(timeout=30)
    stderr_text = err.read_text()
    assert "Traceback" not in stderr_text
    assert "error" not in stderr_text.lower(), stderr_text
    times = song_times(log)
    for i in wraps(times, seconds):  # it played on from the start, not stuck there
        assert times[i + 1] > times[i]
    assert stderr_text.count("playing it again from the start") >= 2
    assert "param intensity -> " in stderr_text
    # Memory settles after the first reloads: later ones add next to nothing.
    assert memory[-1] - memory[1] < 40, memory


def test_a_show_following_the_daw_does_not_loop_on_its_own(tmp_path: Path) -> None:
    """The DAW decides where a followed song plays: --loop says it is ignored, once."""
    folder = tmp_path / "show"
    shutil.copytree(data_dir("configs") / "demo", folder)
    show = folder / "demo.toml"
    show.write_text(show.read_text() + '\n[sync]\nsource = "osc"\ndaw = "reaper"\n')
    err = tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "livesync", "play", str(show), "--loop"]
    command += ["--size", "320x180", "--osc-port", str(free_port())]
    with err.open("w") as stderr:
        child = subprocess.Popen(
            command, stderr=stderr, env={**os.environ, "SDL_VIDEODRIVER": "offscreen"}
        )
    try:
        deadline = time.monotonic() + 60
        while "first frame shown" not in err.read_text():
            assert child.poll() is None and time.monotonic() < deadline, err.read_text()
            time.sleep(0.05)
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert err.read_text().count("--loop is ignored while following the DAW") == 1
