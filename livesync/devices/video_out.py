"""Edge: outputs that hand the window's finished picture to other video software (NDI now;
Syphon on macOS and Spout on Windows would be the same shape, see docs/outputs.md).

The frame loop knows only `VideoOutput`: once per frame, after drawing and before the flip,
it passes the `Picture` still on the GPU and the loop's monotonic time. Each output takes the
picture at its own rate and size and must never hold the frame loop up.

Outputs that need the pixels in CPU memory (NDI) read them back through `Readback`: the
picture is read into a pixel buffer object without waiting for it (scaled on the GPU first
when the window's size is not the output's, as in fullscreen), and collected one loop frame
later, when the GPU has long finished it, in one copy that also turns the rows right way up
(GL's first row is the bottom one, video's the top). So the loop never stalls on
glReadPixels, at the cost of one frame of extra latency on the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import moderngl
import numpy as np
import numpy.typing as npt

# Scaling a picture of another size to the output's: one triangle covering the target,
# sampled with linear filtering, alpha opaque.
_VERTEX = """
#version 330
out vec2 uv;
void main() {
    uv = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
    gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
}
"""
_FRAGMENT = """
#version 330
uniform sampler2D picture;
in vec2 uv;
out vec4 color;
void main() {
    color = vec4(texture(picture, uv).rgb, 1.0);
}
"""


@dataclass(frozen=True)
class Picture:
    """The window's finished picture, still on the GPU: the context, the framebuffer it is
    in (the window's own) and its size in pixels."""

    ctx: Any
    framebuffer: Any
    size: tuple[int, int]


class VideoOutput(Protocol):
    """Somewhere the show's picture goes besides the window."""

    name: str

    def send(self, picture: Picture, now: float) -> None:
        """Offer this frame's picture at monotonic time `now`; the output decides whether
        it is due at its own frame rate. Must return quickly: the frame loop waits for it."""

    def close(self) -> None:
        """Stop sending and release what the output holds (GL objects, the network)."""


class Pacer:
    """Picks the frames to send for an output's own frame rate from a loop that may run
    faster (a 60 Hz display sending 30 fps): a frame is due when its time has come, within a
    quarter of a period so the display's frame-to-frame jitter never skips one. A loop slower
    than the rate sends every frame."""

    def __init__(self, fps: int) -> None:
        self.period = 1.0 / fps
        self._next: float | None = None

    def due(self, now: float) -> bool:
        if self._next is not None and now < self._next - self.period / 4:
            return False
        if self._next is None or now > self._next + self.period:  # a period behind: resync
            self._next = now
        self._next += self.period  # on the schedule, not on `now`: late frames do not drift
        return True


class Readback:
    """The window's picture as top-down RGBX bytes of a fixed size, a frame late and without
    stalling the GPU (see the module docstring). One pixel buffer object is enough: the frame
    loop waits for the GPU at every flip, so last frame's read is always complete."""

    def __init__(self, ctx: Any, size: tuple[int, int]) -> None:
        self.ctx = ctx
        self.size = size
        self._copy: Any = None  # the window-sized texture the screen is copied into
        self._texture = ctx.texture(size, 4)
        self._target = ctx.framebuffer([self._texture])
        self._program = ctx.program(vertex_shader=_VERTEX, fragment_shader=_FRAGMENT)
        self._vao = ctx.vertex_array(self._program, [])
        self._pbo = ctx.buffer(reserve=size[0] * size[1] * 4, dynamic=True)
        self._pixels: npt.NDArray[np.uint8] = np.empty(size[0] * size[1] * 4, np.uint8)
        self.pending = False

    def capture(self, picture: Picture) -> None:
        """Start reading this picture back; `collect` gives it (call it next frame)."""
        if picture.size == self.size:
            picture.framebuffer.read_into(self._pbo, components=4)  # to the buffer: no wait
        else:
            self._scale(picture)
            self._target.read_into(self._pbo, components=4)
            picture.framebuffer.use()  # the loop goes on drawing where it drew
        self.pending = True

    def _scale(self, picture: Picture) -> None:
        ctx = self.ctx
        if self._copy is None or self._copy.size != picture.size:
            if self._copy is not None:
                self._copy.release()
            self._copy = ctx.texture(picture.size, 4)
            self._copy.filter = (moderngl.LINEAR, moderngl.LINEAR)
        ctx.copy_framebuffer(self._copy, picture.framebuffer)
        with ctx.scope(self._target, enable_only=0):  # no blending or depth from the renderer
            self._target.viewport = (0, 0, *self.size)
            self._copy.use(0)
            self._program["picture"] = 0
            self._vao.render(moderngl.TRIANGLES, vertices=3)

    def collect(self) -> npt.NDArray[np.uint8]:
        """The picture `capture` started, as one flat array of RGBX rows, top row first
        (reused: copy it before the next collect if it is to be kept)."""
        row = self.size[0] * 4
        rows = self.size[1]
        self._pbo.read_chunks_into(self._pixels, row, (rows - 1) * row, -row, rows)
        self.pending = False
        return self._pixels

    def release(self) -> None:
        for obj in (self._vao, self._program, self._target, self._texture, self._pbo):
            obj.release()
        if self._copy is not None:
            self._copy.release()
