"""The fitted mouth box (livesync/mouth_bounds.py) never clips the mouth: drawing only the box
gives the same picture as drawing the whole quad, for poses the fit never saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import livesync.render.vector_mouth as vector_mouth
from livesync.frame.state import FrameState
from livesync.lipsync.visemes import MouthPose, Viseme
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl


def draw(renderer: Renderer, pose: MouthPose, size: tuple[int, int]) -> np.ndarray:
    target = OffscreenTarget(renderer.ctx, size)
    target.use()
    state = FrameState(0.0, 0.0, 0, pose, Viseme.SIL, "", "")
    renderer.render(state, size)
    return np.frombuffer(target.read_rgb(), np.uint8).reshape(size[1], size[0], 3).astype(int)


@pytest.mark.parametrize("size, mouth_width", [((256, 256), 0.5), ((96, 96), 0.35)])
def test_tight_box_draws_the_same_mouth(
    tmp_path: Path, monkeypatch: Any, size: tuple[int, int], mouth_width: float
) -> None:
    flat = tmp_path / "flat.glsl"
    flat.write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(0.2, 0.5, 0.3, 1.0); }\n")
    renderer = Renderer(
        create_headless_context(), flat, Character(mouth=(0.5, 0.5), mouth_width=mouth_width)
    )
    rng = np.random.default_rng(2024)
    poses = [MouthPose(*map(float, p)) for p in rng.random((60, 7))]
    poses += [MouthPose(1, 1, 1, 1, 1, 1, 1), MouthPose(1, 0, 1, 0, 1, 0, 0), MouthPose()]
    tight = [draw(renderer, pose, size) for pose in poses]
    monkeypatch.setattr(vector_mouth, "mouth_extent", lambda pose, pad: (-1.0, -1.0, 1.0, 1.0))
    for pose, image in zip(poses, tight, strict=True):
        full = draw(renderer, pose, size)
        assert (full != (51, 128, 76)).any()  # the mouth was drawn at all
        assert np.abs(full - image).max() <= 2, pose
