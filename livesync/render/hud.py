"""Edge: the performer's heads-up display, text drawn with pygame.font into a GL texture.

Text is re-rasterised at most a few times a second; between updates the HUD costs one quad.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import moderngl
import pygame
import pygame.font

from livesync.frame.pacing import FrameTimer
from livesync.frame.state import FrameState
from livesync.resources import shader_path

REFRESH_SECONDS = 0.25


def hud_lines(
    state: FrameState,
    timer: FrameTimer,
    playing: bool,
    scenes: tuple[str, ...] = (),
    offset: float = 0.0,
    render_scale: float | None = None,
) -> list[str]:
    """What the performer sees: is it smooth, where are we, what is on, what is being sung
    (and the scene's render scale, where it has one)."""
    p50, p99, worst = (1000 * v for v in timer.percentiles())
    minutes, seconds = divmod(max(0.0, state.time), 60.0)
    status = "" if playing else "  PAUSED"
    mix = state.scene
    scene = scenes[mix.current] if mix.current < len(scenes) else str(mix.current)
    if mix.previous is not None and mix.previous < len(scenes):
        scene = f"{scenes[mix.previous]} -> {scene} ({mix.mix:.0%})"
    return [
        f"{timer.fps:5.1f} fps   {int(minutes):02d}:{seconds:06.3f}{status}   scene: {scene}",
        f"frame ms p50 {p50:.1f}  p99 {p99:.1f}  max {worst:.1f}   dropped {timer.dropped}"
        f"   sync offset {offset * 1000:+.0f} ms"
        + ("" if render_scale is None else f"   render scale {render_scale:.1f}"),
        f"word: {state.word or '-'}   phone: {state.phone or '-'}   viseme: {state.viseme.value}",
    ]


class Hud:
    def __init__(self, ctx: Any) -> None:
        pygame.font.init()
        self.ctx = ctx
        self.visible = False
        # Where the lines go instead of the window, when a performer's screen shows them
        # (livesync.devices.performer_window): the projector's picture stays clean.
        self.elsewhere: Callable[[list[str]], None] | None = None
        self._font = pygame.font.Font(None, 26)
        self._texture: Any = None
        self._size = (1, 1)
        self._text: list[str] = []
        self._last_update = -1e9
        self.program = ctx.program(
            vertex_shader=shader_path("common/quad.vert").read_text(),
            fragment_shader=shader_path("common/image.frag").read_text(),
        )
        corners = ctx.buffer(struct.pack("8f", -1, -1, 1, -1, -1, 1, 1, 1))
        self._vao = ctx.vertex_array(self.program, [(corners, "2f", "in_corner")])

    def update(self, lines: list[str], now: float) -> None:
        if lines == self._text or now - self._last_update < REFRESH_SECONDS:
            return
        self._text = lines
        self._last_update = now
        rendered = [self._font.render(line, True, (255, 255, 255)) for line in lines]
        w = max(s.get_width() for s in rendered) + 16
        h = sum(s.get_height() for s in rendered) + 12
        panel = pygame.Surface((w, h), pygame.SRCALPHA)
        panel.fill((0, 0, 0, 170))
        y = 6
        for surface in rendered:
            panel.blit(surface, (8, y))
            y += surface.get_height()
        data = pygame.image.tobytes(panel, "RGBA", True)
        if self._texture is None or self._size != (w, h):
            if self._texture is not None:
                self._texture.release()
            self._texture = self.ctx.texture((w, h), 4, data)
            self._texture.repeat_x = self._texture.repeat_y = False
            self._size = (w, h)
        else:
            self._texture.write(data)

    def draw(self, size: tuple[int, int]) -> None:
        if not self.visible or self._texture is None:
            return
        w, h = self._size
        self.ctx.enable(moderngl.BLEND)
        self._texture.use(0)
        self.program["u_image"].value = 0
        self.program["u_resolution"].value = (float(size[0]), float(size[1]))
        self.program["u_center"].value = (12 + w / 2, size[1] - 12 - h / 2)
        self.program["u_half_size"].value = (w / 2, h / 2)
        self._vao.render(moderngl.TRIANGLE_STRIP)
