"""The auto render scale in the real player: a background too heavy for the refresh on this
machine's software renderer makes the player lower its render scale, says so once per step
in the log, and writes the scale in the frame log's seventh column."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).parents[1] / "data"
HEAVY = """void mainImage(out vec4 c, in vec2 p) {
    float a = 0.0;
    for (int i = 0; i < 150; i++) { a += sin(p.x * 0.013 + p.y * 0.007 + float(i) * 0.01); }
    c = vec4(fract(a), 0.2, 0.4, 1.0);
}
"""


def scales(log: Path) -> list[float]:
    """The auto render scale of each complete line of the frame log."""
    if not log.exists():
        return []
    lines = log.read_text().splitlines(keepends=True)
    return [float(line.split()[6]) for line in lines if line.endswith("\n")]


def test_a_heavy_scene_lowers_the_auto_render_scale(tmp_path: Path) -> None:
    shutil.copy(DATA / "harvard-sentences-list30.mp3", tmp_path / "song.mp3")
    shutil.copy(DATA / "forced-harvard-sentences-list30.json", tmp_path / "song.json")
    (tmp_path / "heavy.glsl").write_text(HEAVY)
    (tmp_path / "show.toml").write_text(
        '[track]\naudio = "song.mp3"\ntimeline = "song.json"\n'
        '[output]\nsize = [640, 360]\nrender_scale = "auto"\n'
        '[[scenes]]\nname = "heavy"\nbackground = "heavy.glsl"\n'
    )
    log, err = tmp_path / "frames.txt", tmp_path / "stderr.txt"
    with err.open("w") as stderr:
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "livesync",
                "play",
                str(tmp_path / "show.toml"),
                "--silent",
                "--frame-log",
                str(log),
            ],
            stderr=stderr,
            env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
        )
        try:
            deadline = time.monotonic() + 90
            while min(scales(log), default=1.0) > 0.8:
                assert child.poll() is None, err.read_text()
                assert time.monotonic() < deadline, f"the scale never went down: {err.read_text()}"
                time.sleep(0.1)
        finally:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
    text = err.read_text()
    assert "render scale -> 0.9 (lower)" in text and "Traceback" not in text, text
    seen = scales(log)
    assert seen[0] == 1.0 and min(seen) <= 0.8
    assert seen == sorted(seen, reverse=True)  # only down while it stays this heavy
