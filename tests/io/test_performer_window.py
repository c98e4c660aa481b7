"""The performer's screen: a second window (a process of its own, SDL's offscreen driver here)
showing the show's picture small with the HUD's lines under it, fed from the GPU picture the
frame loop offers every output."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.devices.performer_window import HUD_HEIGHT, PerformerWindow
from livesync.devices.video_out import Picture
from livesync.render.renderer import create_headless_context

pytestmark = pytest.mark.gl
SIZE = (64, 36)


def quadrants(ctx: Any, size: tuple[int, int]) -> Any:
    """A framebuffer whose left half is red and right half blue."""
    fbo = ctx.simple_framebuffer(size, components=4)
    fbo.use()
    fbo.clear(1.0, 0.0, 0.0, 1.0)
    ctx.scissor = (size[0] // 2, 0, size[0] // 2, size[1])
    fbo.clear(0.0, 0.0, 1.0, 1.0)
    ctx.scissor = None
    return fbo


def test_the_picture_and_the_hud_reach_the_performer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "offscreen")  # the window's process inherits it
    ctx = create_headless_context()
    fbo = quadrants(ctx, (128, 72))  # the window's picture, larger: scaled on the GPU
    screen = PerformerWindow(ctx, SIZE)
    try:
        screen.status(["song: Opener", "scene: verse"])
        now = 0.0
        shown, picture = 0, None
        deadline = time.monotonic() + 30
        while shown < 2 and time.monotonic() < deadline:
            screen.send(Picture(ctx, fbo, (128, 72)), now)
            now += 1 / 30
            time.sleep(0.02)
            shown, picture = screen.shown()
        assert shown >= 2 and picture is not None
        assert picture.shape == (SIZE[1] + HUD_HEIGHT, SIZE[0], 3)
        left, right = picture[10, 5].tolist(), picture[10, SIZE[0] - 5].tolist()
        assert left == pytest.approx([255, 0, 0], abs=8)
        assert right == pytest.approx([0, 0, 255], abs=8)
        assert picture[SIZE[1] :].max() > 100  # the HUD's text under the picture
    finally:
        screen.close()
        fbo.release()
        ctx.release()


@pytest.mark.e2e
def test_play_opens_the_performer_s_screen(tmp_path: Path) -> None:
    import json

    import soundfile

    soundfile.write(str(tmp_path / "a.wav"), np.zeros(12000, np.float32), 24000)
    (tmp_path / "t.json").write_text(
        json.dumps({"livesync_timeline": 1, "words": [], "phones": []})
    )
    (tmp_path / "show.toml").write_text(
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        "[output]\nsize = [160, 90]\n[output.performer]\nsize = [96, 54]\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "livesync",
            "play",
            str(tmp_path / "show.toml"),
            "--silent",
            "--exit-at-end",
            "--osc-port",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "performer window: 96x54 on display 0" in result.stderr
    assert "Traceback" not in result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text((tmp_path / "show.toml").read_text().replace("[96, 54]", "[96]"))
    refused = subprocess.run(
        [sys.executable, "-m", "livesync", "check", str(bad)], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "output.performer.size" in refused.stderr
