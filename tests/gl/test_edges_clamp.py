"""Textures a shader reads past its edge clamp, as WebGL (the reference ISF host) does: an
effect that looks up beyond the top row sees the top row, never the bottom one wrapped round."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.scenes import Scene
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl
SIZE = (32, 32)
HALVES = """void mainImage(out vec4 c, in vec2 p) {
    c = p.y < iResolution.y / 2.0 ? vec4(1.0, 0.0, 0.0, 1.0) : vec4(0.0, 0.0, 1.0, 1.0);
}
"""
LOOK_UP = """/*{ "ISFVSN": "2", "INPUTS": [{ "NAME": "inputImage", "TYPE": "image" }],
     "PASSES": [{ "TARGET": "copy" }, {}] }*/
void main() {
    vec2 past = isf_FragNormCoord + vec2(0.0, 0.1);
    gl_FragColor = PASSINDEX == 0 ? IMG_NORM_PIXEL(inputImage, past)
                                  : IMG_NORM_PIXEL(copy, past);
}
"""


def test_an_effect_reading_past_the_top_edge_sees_the_top_row(tmp_path: Path) -> None:
    (tmp_path / "halves.glsl").write_text(HALVES)
    (tmp_path / "look_up.fs").write_text(LOOK_UP)
    scene = Scene(
        "one", tmp_path / "halves.glsl", character=False, effects=(tmp_path / "look_up.fs",)
    )
    renderer = Renderer(create_headless_context(), (scene,), Character())
    target = OffscreenTarget(renderer.ctx, SIZE)
    target.use()
    renderer.render(Performance(Timeline((), (), 1.0), None).state_at(0.5), SIZE)
    rows = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3)
    assert list(rows[0, SIZE[0] // 2]) == [0, 0, 255]  # top row: blue, through both passes
    assert list(rows[-1, SIZE[0] // 2]) == [255, 0, 0]
