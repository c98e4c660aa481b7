"""Eyelids drawn over a picture's eyes when the character blinks (shaders/character/lids.frag).

A picture cannot close its own eyes; a lid in the skin's colour, coming down from the top of
each eye with a lash line along its edge, reads as a blink at any size.
"""

from __future__ import annotations

from typing import Any

import moderngl

from livesync.lipsync.idle import IdlePose
from livesync.render.layers import set_uniform as _set
from livesync.resources import shader_path
from livesync.show.eyes import Eyes

MARGIN = 1.25  # a lid also covers the eye's drawn outline
LINE_WIDTH = 0.12  # the lash line, in the eye's local units


class Lids:
    def __init__(self, ctx: Any, corners: Any) -> None:
        self.program = ctx.program(
            vertex_shader=shader_path("common/quad.vert").read_text(encoding="utf-8"),
            fragment_shader=shader_path("character/lids.frag").read_text(encoding="utf-8"),
        )
        self.vao = ctx.vertex_array(self.program, [(corners, "2f", "in_corner")])

    def draw(
        self,
        eyes: Eyes,
        idle: IdlePose,
        placed: list[tuple[tuple[float, float], float]],
        eye_size: tuple[float, float],
        size: tuple[int, int],
    ) -> None:
        """`placed`: each eye's centre (pixels, y up) and scale after the idle motion;
        `eye_size`: one eye's width and height in pixels. Blending is premultiplied."""
        p = self.program
        _set(p, "u_resolution", (float(size[0]), float(size[1])))
        _set(p, "u_closed", idle.lids)
        _set(p, "u_lid", eyes.lid)
        _set(p, "u_line", eyes.line)
        _set(p, "u_line_width", LINE_WIDTH)
        _set(p, "u_angle", idle.angle)
        for centre, scale in placed:
            _set(p, "u_center", centre)
            _set(
                p,
                "u_half_size",
                (MARGIN * scale * eye_size[0] / 2, MARGIN * scale * eye_size[1] / 2),
            )
            self.vao.render(moderngl.TRIANGLE_STRIP)

    def release(self) -> None:
        self.vao.release()
        self.program.release()
