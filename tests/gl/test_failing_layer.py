"""A layer that raises while drawing costs that layer, never the show: the renderer draws
the scene without it and logs it once; the frame loop keeps presenting frames.

The failure is injected by replacing one layer's `draw` with a function that raises, as a
driver error or a bug in one layer would.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.show_file import load_show

pytestmark = pytest.mark.gl
SIZE = (16, 16)
BACKGROUND = "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.0, 0.0, 1.0, 1.0); }\n"
INVERT = """/*{ "ISFVSN": "2", "INPUTS": [{ "NAME": "inputImage", "TYPE": "image" }] }*/
void main() { vec4 c = IMG_THIS_PIXEL(inputImage); gl_FragColor = vec4(1.0 - c.rgb, 1.0); }
"""
SHOW = """[track]
audio = "a.wav"
timeline = "t.json"
[[scenes]]
name = "one"
background = "bg.glsl"
effects = ["invert.fs"]
character = false
"""


def boom(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the driver lost the texture")


@pytest.fixture
def show_file(tmp_path: Path) -> Path:
    (tmp_path / "bg.glsl").write_text(BACKGROUND)
    (tmp_path / "invert.fs").write_text(INVERT)
    (tmp_path / "show.toml").write_text(SHOW)
    return tmp_path / "show.toml"


def test_a_failing_effect_is_skipped_logged_once_and_retried(
    show_file: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    show = load_show(show_file)
    renderer = Renderer(create_headless_context(), show.scenes, show.character)
    performance = Performance(Timeline((), (), 10.0), None)
    target = OffscreenTarget(renderer.ctx, SIZE)

    def frame() -> list[int]:
        target.use()
        renderer.render(performance.state_at(1.0), SIZE)
        return list(np.frombuffer(target.read_rgb(), np.uint8)[:3])

    assert frame() == [255, 255, 0]  # blue, inverted
    effect = renderer.effects[0][0]
    monkeypatch.setattr(effect, "draw", boom)
    with caplog.at_level(logging.INFO, logger="livesync"):
        pictures = [frame() for _ in range(renderer.guard.retry_frames + 5)]
    assert all(p == [0, 0, 255] for p in pictures)  # the background, without the effect
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "invert.fs" in errors[0] and "lost the texture" in errors[0]
    assert renderer.guard.failing

    monkeypatch.undo()  # the layer heals: the next retry draws it again
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="livesync"):
        pictures = [frame() for _ in range(renderer.guard.retry_frames + 1)]
    assert pictures[-1] == [255, 255, 0]
    assert any("draws again" in r.getMessage() for r in caplog.records)
    assert not renderer.guard.failing


def test_a_failing_background_draws_black_under_the_effects(
    show_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show = load_show(show_file)
    renderer = Renderer(create_headless_context(), show.scenes, show.character)
    monkeypatch.setattr(renderer.backgrounds[0], "draw", boom)
    target = OffscreenTarget(renderer.ctx, SIZE)
    target.use()
    renderer.render(Performance(Timeline((), (), 10.0), None).state_at(1.0), SIZE)
    assert list(np.frombuffer(target.read_rgb(), np.uint8)[:3]) == [255, 255, 255]


FRAME_LOOP = """
import itertools, sys
from pathlib import Path

from livesync.app.frame_loop import run
from livesync.app.logs import configure
from livesync.app.reload import LiveShow
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import Renderer
from livesync.render.window import Window
from livesync.show.show_file import load_show
from livesync.sync.clock import WallClock


def boom(*args, **kwargs):
    raise RuntimeError("the driver lost the texture")


class Flaky(Performance):
    calls = itertools.count()

    def state_at(self, *args, **kwargs):
        if next(self.calls) in (3, 4, 5):  # three frames whose state cannot be built
            raise ValueError("a bad sample")
        return super().state_at(*args, **kwargs)


configure()
ticks = itertools.count()
wall = lambda: next(ticks) / 400.0  # each reading moves time on a little: no real time
show = load_show(Path(sys.argv[1]))
window = Window((64, 36))
renderer = Renderer(window.ctx, show.scenes, show.character)
renderer.effects[0][0].draw = boom
live = LiveShow(show, renderer, Flaky(Timeline((), (), 0.5), None))
print(run(window, live, WallClock(wall), wall, exit_at_end=True, reload=False))
window.close()
"""


def test_the_frame_loop_keeps_playing_through_a_failing_layer_and_a_failing_frame(
    show_file: Path, tmp_path: Path
) -> None:
    """In its own process: an SDL window's GL context is not found reliably in a process
    that has made headless EGL contexts before (the other tests here)."""
    script = tmp_path / "loop.py"
    script.write_text(FRAME_LOOP)
    result = subprocess.run(
        [sys.executable, str(script), str(show_file)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 20  # it played to the end of the song
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "lost the texture" in line]) == 1
    assert len([line for line in lines if "a bad sample" in line]) == 1
    assert any("drawing a frame works again" in line for line in lines)
    assert "Traceback" not in result.stderr
