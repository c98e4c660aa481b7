"""Edge: livesync's own mouth, a signed-distance drawing (shaders/mouth/mouth.frag) of a
viseme pose, for a picture's mouth and for a face puppet's lips alike.

Only the box the pose can reach is shaded (livesync.render.mouth_bounds), plus a few pixels
for anti-aliasing: on a software renderer the mouth would otherwise cost as much as the
whole quad around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import moderngl

from livesync.lipsync.visemes import MouthPose
from livesync.render.layers import set_uniform as _set
from livesync.render.mouth_bounds import mouth_extent
from livesync.resources import shader_path

# Half the quad is this much wider than the neutral mouth (mouth.frag's contract).
MOUTH_QUAD_PER_WIDTH = 1.0 / 0.55
AA_PIXELS = 3.0
POSE_UNIFORMS = ("open", "width", "round", "teeth", "tongue", "bite", "press")


class VectorMouth:
    def __init__(self, ctx: Any, corners: Any) -> None:
        self.program = ctx.program(
            vertex_shader=shader_path("common/quad.vert").read_text(encoding="utf-8"),
            fragment_shader=shader_path("mouth/mouth.frag").read_text(encoding="utf-8"),
        )
        self.vao = ctx.vertex_array(self.program, [(corners, "2f", "in_corner")])

    def draw(
        self,
        ctx: Any,
        pose: MouthPose,
        center: tuple[float, float],
        width: float,
        angle: float,
        colors: Mapping[str, tuple[float, float, float]],
        size: tuple[int, int],
        opacity: float = 1.0,
    ) -> None:
        """The pose `width` pixels wide (the neutral mouth's corners) at `center` (pixels,
        y up), turned by `angle` (radians, counter-clockwise); colours by part name (lip,
        inner, teeth, tongue). Leaves straight-alpha blending set."""
        ctx.blend_func = (
            moderngl.SRC_ALPHA,
            moderngl.ONE_MINUS_SRC_ALPHA,
            moderngl.ONE,
            moderngl.ONE_MINUS_SRC_ALPHA,
        )
        half = width * MOUTH_QUAD_PER_WIDTH / 2
        m = self.program
        for name, rgb in colors.items():
            _set(m, f"u_{name}_color", rgb)
        _set(m, "u_resolution", (float(size[0]), float(size[1])))
        _set(m, "u_center", center)
        _set(m, "u_angle", angle)
        _set(m, "u_half_size", (half, half))
        _set(m, "u_extent", mouth_extent(pose, pad=AA_PIXELS / max(half, 1.0)))
        _set(m, "u_opacity", opacity)
        for name, value in zip(POSE_UNIFORMS, pose.as_tuple(), strict=True):
            _set(m, f"u_{name}", value)
        self.vao.render(moderngl.TRIANGLE_STRIP)

    def release(self) -> None:
        self.vao.release()
        self.program.release()
