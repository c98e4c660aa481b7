"""A multipass scene's files in the app: the hot reload watches its buffers and Common tab
(a saved one recompiles the background), and `livesync check` compiles them, names the
line of a mistake, and counts them as used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.app.check import check_show
from livesync.app.reload import LiveShow, Reloader
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.show_file import load_show

pytestmark = pytest.mark.gl
SIZE = (8, 8)
SHOW = """
[track]
audio = "a.wav"
timeline = "t.json"
[[scenes]]
name = "trail"
background = "image.glsl"
common = "common.glsl"
buffers = { A = "a.glsl" }
channels = { iChannel0 = "A" }
character = false
"""
IMAGE = "void mainImage(out vec4 c, in vec2 p) { c = texelFetch(iChannel0, ivec2(p), 0); }\n"
BUFFER = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 0.0, 0.0, 1.0); }}\n"
COMMON = "float level() {{ return {}; }}\n"


def folder(tmp_path: Path) -> Path:
    (tmp_path / "image.glsl").write_text(IMAGE)
    (tmp_path / "a.glsl").write_text(BUFFER.format("level()"))
    (tmp_path / "common.glsl").write_text(COMMON.format("0.2"))
    show = tmp_path / "show.toml"
    show.write_text(SHOW)
    return show


def save(path: Path, text: str, when: int) -> None:
    """Write and give the file a modification time of its own (no sleeping)."""
    path.write_text(text)
    os.utime(path, ns=(when * 10**9, when * 10**9))


def red(live: LiveShow, ctx: Any) -> int:
    target = OffscreenTarget(ctx, SIZE)
    target.use()
    live.renderer.render(live.performance.state_at(0.0), SIZE)
    value = int(np.frombuffer(target.read_rgb(), np.uint8)[0])
    target.release()
    return value


def test_saved_buffer_and_common_files_recompile(tmp_path: Path) -> None:
    ctx = create_headless_context()
    show = load_show(folder(tmp_path))
    renderer = Renderer(ctx, show.scenes, show.character)
    live = LiveShow(show, renderer, Performance(Timeline((), (), 10.0), None))
    reloader = Reloader(live)
    assert abs(red(live, ctx) - 51) <= 2
    save(tmp_path / "common.glsl", COMMON.format("0.6"), 1_000_000)
    reloader.poll(1.0)
    assert reloader.error is None and abs(red(live, ctx) - 153) <= 2
    save(tmp_path / "a.glsl", BUFFER.format("nope"), 1_000_001)
    reloader.poll(2.0)
    assert reloader.error is not None and "a.glsl:1:" in reloader.error
    assert abs(red(live, ctx) - 153) <= 2  # the last good passes stay
    save(tmp_path / "a.glsl", BUFFER.format("1.0 - level()"), 1_000_002)
    reloader.poll(3.0)
    assert reloader.error is None and abs(red(live, ctx) - 102) <= 2
    live.renderer.release()
    ctx.release()


def test_check_compiles_the_buffers_and_counts_them_used(tmp_path: Path) -> None:
    show = folder(tmp_path)
    report = check_show(show)  # the track's files are missing: only the shaders matter here
    assert [p for p in report.problems if ".glsl" in p] == []
    assert any("scene trail" in line for line in report.checked)
    assert not {p.name for p in report.unused} & {"a.glsl", "common.glsl", "image.glsl"}
    (tmp_path / "common.glsl").write_text("float level() {\n    return nope;\n}\n")
    problems = [p for p in check_show(show).problems if ".glsl" in p]
    assert len(problems) == 1 and "common.glsl:2:" in problems[0], problems
