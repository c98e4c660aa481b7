"""Scenes on screen: cues cut and crossfade at the right frames; scenes can hide the character."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.scenes import CueSheet, Scene, SceneCue
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl
SIZE = (64, 36)


def flat(tmp_path: Path, name: str, rgb: tuple[float, float, float]) -> Path:
    path = tmp_path / f"{name}.glsl"
    r, g, b = rgb
    path.write_text(f"void mainImage(out vec4 c, in vec2 p) {{ c = vec4({r}, {g}, {b}, 1.0); }}\n")
    return path


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def test_cut_and_crossfade_frames(ctx: Any, tmp_path: Path) -> None:
    scenes = [
        Scene("red", flat(tmp_path, "red", (1, 0, 0))),
        Scene("blue", flat(tmp_path, "blue", (0, 0, 1)), character=False),
    ]
    renderer = Renderer(ctx, scenes, Character(mouth=(0.5, 0.5), mouth_width=0.5))
    cues = CueSheet([SceneCue(1.0, 1), SceneCue(2.0, 0, fade=1.0)])
    perf = Performance(Timeline((), (), 4.0), None, cues=cues)
    target = OffscreenTarget(ctx, SIZE)

    def pixel(t: float, at: tuple[int, int] = (2, 2)) -> np.ndarray:
        target.use()
        renderer.render(perf.state_at(t), SIZE)
        img = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3)
        return img[at[1], at[0], :].astype(int)

    assert list(pixel(0.5)) == [255, 0, 0]
    assert list(pixel(1.0)) == [0, 0, 255]  # the cut is on its frame
    half = pixel(2.5)
    assert 100 < half[0] < 155 and 100 < half[2] < 155  # halfway through the fade
    assert list(pixel(3.5)) == [255, 0, 0]
    # The mouth (closed, at the centre) shows in the red scene only.
    centre = (SIZE[0] // 2, SIZE[1] // 2)
    assert list(pixel(0.5, centre)) != [255, 0, 0]
    assert list(pixel(1.5, centre)) == [0, 0, 255]
