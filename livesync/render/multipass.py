"""Edge: a Shadertoy multipass background: Buffer A-D drawn in order each frame, then Image.

As on Shadertoy, each buffer is a float RGBA texture the size of the picture, kept from frame
to frame: a pass reads an earlier buffer as drawn this frame and itself (or a later buffer)
as drawn the frame before, which is how feedback (trails, fluids, game-of-life) works. Each
buffer is two textures: a pass draws into the back one while every pass reads the front
ones, and the two swap when the pass is done. Buffers start cleared to 0 and are cleared
again when the size changes (a window resized, a render scale picked); iFrame counts the
frames since then, so code that seeds its state on `iFrame == 0` does so again.

The passes are ShadertoyLayers (livesync.render.layers) with the Common tab prepended; this
module owns only the buffers and the order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from livesync.control.state import ParamSpec
from livesync.errors import read_user_text
from livesync.frame.state import FrameState
from livesync.render.layers import Layer, ShadertoyLayer, Values, load_layer
from livesync.show.channels import BufferSource
from livesync.show.scenes import Scene

CHANNELS = tuple(f"iChannel{n}" for n in range(4))


def load_background(ctx: Any, scene: Scene, now: Callable[[], datetime] = datetime.now) -> Layer:
    """The layer of a scene's background: a ShadertoyMultipass when the scene has buffers
    or a Common tab, else the plain layer of its file."""
    if not scene.multipass:
        return load_layer(ctx, scene.background, now)
    return ShadertoyMultipass(ctx, scene, now)


class ShadertoyMultipass:
    """Buffer A-D and the Image pass of one scene (Scene.buffers, common, buffer_channels)."""

    params: tuple[ParamSpec, ...] = ()

    def __init__(self, ctx: Any, scene: Scene, now: Callable[[], datetime] = datetime.now) -> None:
        self.ctx = ctx
        self.name = str(scene.background)
        common = None
        if scene.common is not None:
            common = (scene.common, read_user_text(scene.common, "Shadertoy common file"))
        self._buffers: dict[str, list[tuple[Any, Any]]] = {}  # letter -> [front, back]
        self._size: tuple[int, int] | None = None
        self.passes: list[tuple[str, ShadertoyLayer]] = []  # (letter or "Image", layer)
        # Which channels of each pass are buffers: pass -> {iChannelN: letter}.
        self._reads: dict[str, dict[str, str]] = {}
        try:
            for letter, path in scene.buffers.items():
                text = read_user_text(path, "Shadertoy buffer")
                layer = ShadertoyLayer(ctx, text, path, now, common, buffer=True)
                self.passes.append((letter, layer))
                self._reads[letter] = _buffer_reads(scene.buffer_channels.get(letter, {}))
            text = read_user_text(scene.background, "shader file")
            self.passes.append(("Image", ShadertoyLayer(ctx, text, scene.background, now, common)))
            self._reads["Image"] = _buffer_reads(scene.channels)
        except Exception:
            self.release()
            raise
        self.files: tuple[Path, ...] = tuple(
            dict.fromkeys(f for _, layer in self.passes for f in layer.files)
        )
        self.frame = 0  # iFrame of the frame last drawn: frames since the buffers were cleared
        self._next = 0  # the next frame's
        # The renderer's frame number (Renderer.render sets it): a scene drawn twice in one
        # frame (shown and read by another scene) advances its buffers once. None: every
        # draw is a new frame.
        self.token: int | None = None
        self._drawn_token: int | None = None

    def _allocate(self, size: tuple[int, int]) -> None:
        """Float buffers of `size`, cleared to 0 (transparent black), read linear and
        clamped as Shadertoy's default sampler reads them."""
        self._release_buffers()
        for letter, _ in self.passes[:-1]:
            pair = []
            for _ in range(2):
                texture = self.ctx.texture(size, 4, dtype="f4")
                texture.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
                texture.repeat_x = texture.repeat_y = False
                fbo = self.ctx.framebuffer(color_attachments=[texture])
                fbo.clear(0.0, 0.0, 0.0, 0.0)
                pair.append((texture, fbo))
            self._buffers[letter] = pair
        self._size = size
        self._next = 0

    def buffer(self, letter: str) -> Any:
        """The texture holding buffer `letter` as last drawn (for tests and inspection)."""
        return self._buffers[letter][0][0]

    def draw(
        self,
        state: FrameState,
        size: tuple[int, int],
        target: Any,
        values: Values,
        source: Any = None,
        audio: Mapping[str, int] | None = None,
        images: Mapping[str, Any] | None = None,
    ) -> None:
        """Every buffer in order, then the Image pass into `target`. `images`: the scene's
        pictures by channel name, a buffer's as "A:iChannel0" (Scene's all_channels)."""
        images = images or {}
        fresh = size != self._size  # a new size: cleared buffers, drawn even if redrawn
        if fresh:
            self._allocate(size)
        if fresh or self.token is None or self.token != self._drawn_token:
            self._drawn_token = self.token
            self.frame, self._next = self._next, self._next + 1
            viewport = self.ctx.viewport
            for letter, layer in self.passes[:-1]:
                own = {n: images[f"{letter}:{n}"] for n in CHANNELS if f"{letter}:{n}" in images}
                own.update(self._bound(letter))
                pair = self._buffers[letter]
                self.ctx.viewport = (0, 0, *size)
                layer.draw(
                    state, size, pair[1][1], values, audio=audio, images=own, frame=self.frame
                )
                pair[0], pair[1] = pair[1], pair[0]  # drawn: the front one from now on
            self.ctx.viewport = viewport
        pictures = {n: images[n] for n in CHANNELS if n in images}
        pictures.update(self._bound("Image"))
        image = self.passes[-1][1]
        image.draw(state, size, target, values, audio=audio, images=pictures, frame=self.frame)

    def _bound(self, name: str) -> dict[str, Any]:
        """The buffers pass `name` reads, by channel: each buffer's front texture (this
        frame's for a buffer drawn already, else the last frame's)."""
        return {
            channel: self._buffers[letter][0][0] for channel, letter in self._reads[name].items()
        }

    def _release_buffers(self) -> None:
        for pair in self._buffers.values():
            for texture, fbo in pair:
                fbo.release()
                texture.release()
        self._buffers.clear()
        self._size = None

    def release(self) -> None:
        self._release_buffers()
        for _, layer in self.passes:
            layer.release()
        self.passes.clear()


def _buffer_reads(channels: Mapping[str, object]) -> dict[str, str]:
    return {n: c.buffer for n, c in channels.items() if isinstance(c, BufferSource)}
