"""Edge: draws a FrameState with moderngl: shader background, character picture, SDF mouth.

Everything the picture depends on arrives in the FrameState, so this module only converts it
to uniforms and issues three draw calls.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from livesync import shadertoy
from livesync.errors import DeviceError, InputError, read_user_text
from livesync.frame_state import FrameState
from livesync.image_io import load_rgba
from livesync.mouth_bounds import mouth_extent
from livesync.resources import shader_path
from livesync.scenes import Scene
from livesync.show import Character

# Half the quad is this much wider than the neutral mouth (mouth.frag's contract).
MOUTH_QUAD_PER_WIDTH = 1.0 / 0.55
AA_PIXELS = 3.0

EGL_FIX = "install Mesa's EGL/GL (Debian/Ubuntu: sudo apt-get install libegl1 libgl1 " \
    "libegl-mesa0 libgl1-mesa-dri)"


def create_headless_context() -> Any:
    """An OpenGL 3.3 context with no display (EGL; Mesa's llvmpipe where there is no GPU)."""
    import moderngl

    try:
        # moderngl's stub types `backend` as a dict; the library takes the string.
        return moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    except Exception as exc:
        raise DeviceError(f"cannot create a headless OpenGL context ({exc}); {EGL_FIX}") \
            from None


def _read(relative: str) -> str:
    return shader_path(relative).read_text(encoding="utf-8")


def compile_background(ctx: Any, path: Path) -> Any:
    """Compile a Shadertoy-form shader file; InputError with file:line on failure."""
    import moderngl

    source = read_user_text(path, "shader file")
    try:
        wrapped = shadertoy.wrap(source, str(path))
        return ctx.program(vertex_shader=_read("common/fullscreen.vert"),
                           fragment_shader=wrapped.source)
    except ValueError as exc:
        raise InputError(path, str(exc).split(": ", 1)[-1]) from None
    except moderngl.Error as exc:
        message = shadertoy.first_error(str(exc), str(path))
        raise InputError(None, f"shader does not compile: {message}") from None


def _set(program: Any, name: str, value: Any) -> None:
    """Set a uniform if the shader uses it (the compiler drops unused ones). `get` is a dict
    lookup; `name in program` would walk every member on each call."""
    member = program.get(name, None)
    if member is not None:
        member.value = value


class Renderer:
    """Draws a FrameState: the scene backgrounds (cross-faded when a cue fades), then the
    character picture and the mouth, faded with the scenes that show the character."""

    def __init__(self, ctx: Any, scenes: Path | Sequence[Scene], character: Character) -> None:
        self.ctx = ctx
        self.character = character
        self.scenes = (Scene("main", scenes),) if isinstance(scenes, Path) else tuple(scenes)
        self.backgrounds = [compile_background(ctx, s.background) for s in self.scenes]
        self._bg_vaos = [ctx.vertex_array(p, []) for p in self.backgrounds]
        self._layer: Any = None
        self.layer_program = ctx.program(vertex_shader=_read("common/fullscreen.vert"),
                                         fragment_shader=_read("common/layer.frag"))
        self._layer_vao = ctx.vertex_array(self.layer_program, [])
        corners = ctx.buffer(struct.pack("8f", -1, -1, 1, -1, -1, 1, 1, 1))
        self.mouth = ctx.program(vertex_shader=_read("common/quad.vert"),
                                 fragment_shader=_read("mouth/mouth.frag"))
        self._mouth_vao = ctx.vertex_array(self.mouth, [(corners, "2f", "in_corner")])
        for name, rgb in vars(character.colors).items():
            _set(self.mouth, f"u_{name}_color", rgb)
        self.image = None
        if character.image is not None:
            picture = load_rgba(character.image)
            self.image = ctx.texture((picture.width, picture.height), 4, picture.rgba)
            self.image.build_mipmaps()
            self._image_aspect = picture.width / picture.height
            self._image_height = picture.height
            self._mipmapped: bool | None = None
            self.image_program = ctx.program(vertex_shader=_read("common/quad.vert"),
                                             fragment_shader=_read("common/image.frag"))
            self._image_vao = ctx.vertex_array(self.image_program,
                                               [(corners, "2f", "in_corner")])

    def release(self) -> None:
        """Free the GL objects (a reloaded show builds a new renderer)."""
        for obj in (*self._bg_vaos, *self.backgrounds, self._layer_vao, self.layer_program,
                    self._mouth_vao, self.mouth):
            obj.release()
        if self._layer is not None:
            self._layer.color_attachments[0].release()
            self._layer.release()
        if self.image is not None:
            for obj in (self._image_vao, self.image_program, self.image):
                obj.release()

    def replace_background(self, index: int, path: Path) -> None:
        """Recompile one scene's background; on error the old one stays (InputError raised)."""
        program = compile_background(self.ctx, path)
        old, old_vao = self.backgrounds[index], self._bg_vaos[index]
        self.backgrounds[index] = program
        self._bg_vaos[index] = self.ctx.vertex_array(program, [])
        old_vao.release()
        old.release()

    def render(self, state: FrameState, size: tuple[int, int]) -> None:
        """Draw one frame into the currently bound framebuffer."""
        self.ctx.viewport = (0, 0, size[0], size[1])
        mix = state.scene
        shown = self.scenes[mix.current].character
        if mix.previous is None or mix.mix >= 1.0:
            self._draw_background(mix.current, state, size)
            opacity = 1.0 if shown else 0.0
        else:
            self._draw_background(mix.previous, state, size)
            self._fade_in(mix.current, mix.mix, state, size)
            before = self.scenes[mix.previous].character
            opacity = mix.mix * shown + (1.0 - mix.mix) * before
        if opacity > 0.0:
            self._draw_character(state, size, opacity)

    def _draw_background(self, index: int, state: FrameState, size: tuple[int, int]) -> None:
        import moderngl

        self.ctx.disable(moderngl.BLEND)
        bg = self.backgrounds[index]
        _set(bg, "iResolution", (float(size[0]), float(size[1]), 1.0))
        _set(bg, "iTime", state.time)
        _set(bg, "iTimeDelta", state.dt)
        _set(bg, "iFrame", state.frame)
        _set(bg, "iMouse", (0.0, 0.0, 0.0, 0.0))
        _set(bg, "syn_Level", state.level)
        _set(bg, "syn_BassLevel", state.bass)
        _set(bg, "ls_MouthOpen", state.pose.open)
        self._bg_vaos[index].render(moderngl.TRIANGLES, vertices=3)

    def _fade_in(self, index: int, alpha: float, state: FrameState,
                 size: tuple[int, int]) -> None:
        """Draw a scene offscreen and lay it over the current picture with `alpha`."""
        import moderngl

        target = self.ctx.fbo
        if self._layer is None or self._layer.size != size:
            if self._layer is not None:
                self._layer.color_attachments[0].release()
                self._layer.release()
            texture = self.ctx.texture(size, 4)
            self._layer = self.ctx.framebuffer(color_attachments=[texture])
        self._layer.use()
        self._draw_background(index, state, size)
        target.use()
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        self._layer.color_attachments[0].use(0)
        _set(self.layer_program, "u_layer", 0)
        _set(self.layer_program, "u_resolution", (float(size[0]), float(size[1])))
        _set(self.layer_program, "u_alpha", alpha)
        self._layer_vao.render(moderngl.TRIANGLES, vertices=3)

    def _draw_character(self, state: FrameState, size: tuple[int, int],
                        opacity: float) -> None:
        import moderngl

        w, h = size
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA,
                               moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA)
        if self.image is not None:
            ih = self.character.height * h
            cx, cy = self.character.center
            # Trilinear filtering only where the picture is shrunk: it costs twice as much
            # on a software renderer and changes nothing when the picture is magnified.
            mipmapped = ih < 0.75 * self._image_height
            if mipmapped is not self._mipmapped:
                self.image.filter = ((moderngl.LINEAR_MIPMAP_LINEAR if mipmapped
                                      else moderngl.LINEAR), moderngl.LINEAR)
                self._mipmapped = mipmapped
            self.image.use(0)
            p = self.image_program
            _set(p, "u_image", 0)
            _set(p, "u_resolution", (float(w), float(h)))
            _set(p, "u_opacity", opacity)
            _set(p, "u_center", (cx * w, (1 - cy) * h))
            _set(p, "u_half_size", (ih * self._image_aspect / 2, ih / 2))
            self._image_vao.render(moderngl.TRIANGLE_STRIP)
        mouth_center, mouth_width = self._place(w, h)
        half = mouth_width * MOUTH_QUAD_PER_WIDTH / 2
        m = self.mouth
        _set(m, "u_resolution", (float(w), float(h)))
        _set(m, "u_opacity", opacity)
        _set(m, "u_center", mouth_center)
        _set(m, "u_half_size", (half, half))
        # Shade only the box this pose can reach, plus a few pixels of anti-aliasing.
        _set(m, "u_extent", mouth_extent(state.pose, pad=AA_PIXELS / max(half, 1.0)))
        for name, value in zip(("open", "width", "round", "teeth", "tongue", "bite", "press"),
                               state.pose.as_tuple(), strict=True):
            _set(m, f"u_{name}", value)
        self._mouth_vao.render(moderngl.TRIANGLE_STRIP)

    def _place(self, w: int, h: int) -> tuple[tuple[float, float], float]:
        """Mouth centre (pixels, y up) and width (pixels) for this output size."""
        c = self.character
        if self.image is None:
            mx, my = c.mouth
            return (mx * w, (1 - my) * h), c.mouth_width * h
        ih = c.height * h
        iw = ih * self._image_aspect
        left = c.center[0] * w - iw / 2
        top = c.center[1] * h - ih / 2
        x = left + c.mouth[0] * iw
        y = top + c.mouth[1] * ih
        return (x, h - y), c.mouth_width * iw


class OffscreenTarget:
    """A framebuffer to render into without a window, read back as top-down RGB bytes."""

    def __init__(self, ctx: Any, size: tuple[int, int]) -> None:
        self.ctx = ctx
        self.size = size
        self.fbo = ctx.simple_framebuffer(size, components=4)

    def use(self) -> None:
        self.fbo.use()

    def read_rgb(self) -> bytes:
        """Top row first, as images and video encoders expect (GL's row 0 is the bottom)."""
        import numpy as np

        w, h = self.size
        raw = self.fbo.read(components=3, alignment=1)
        return np.frombuffer(raw, dtype=np.uint8).reshape(h, w, 3)[::-1].tobytes()
