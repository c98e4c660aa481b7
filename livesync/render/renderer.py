"""Edge: draws a FrameState with moderngl: each scene is a shader background (Shadertoy or
ISF), the character picture and its mouth (the SDF one, or the user's drawings through
livesync.render.sprite_mouth), then the scene's chain of post effects; a scene fading in is
drawn offscreen and laid over the one fading out.

Everything the picture depends on arrives in the FrameState, so this module only converts it
to uniforms, textures and draw calls.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import moderngl
import numpy as np

from livesync.errors import DeviceError
from livesync.frame.state import FrameState
from livesync.render.images import load_rgba, premultiplied
from livesync.render.layer_guard import LayerGuard
from livesync.render.layers import Layer, load_layer
from livesync.render.layers import set_uniform as _set
from livesync.render.lids import Lids
from livesync.render.mouth_bounds import mouth_extent
from livesync.render.puppet import Puppet
from livesync.render.sprite_mouth import SpriteMouth
from livesync.resources import shader_path
from livesync.show.scenes import Scene
from livesync.show.show_file import Character

# Half the quad is this much wider than the neutral mouth (mouth.frag's contract).
MOUTH_QUAD_PER_WIDTH = 1.0 / 0.55
AA_PIXELS = 3.0
AUDIO_UNIT = 10  # first texture unit of the audio textures

EGL_FIX = (
    "install Mesa's EGL/GL (Debian/Ubuntu: sudo apt-get install libegl1 libgl1 "
    "libegl-mesa0 libgl1-mesa-dri)"
)


def create_headless_context() -> Any:
    """An OpenGL 3.3 context with no display (EGL; Mesa's llvmpipe where there is no GPU)."""
    try:
        # moderngl's stub types `backend` as a dict; the library takes the string.
        return moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    except Exception as exc:
        raise DeviceError(f"cannot create a headless OpenGL context ({exc}); {EGL_FIX}") from None


@contextmanager
def headless_renderer(scenes: Sequence[Scene], character: Character) -> Iterator[Renderer]:
    """A renderer on its own headless context, both released on leaving: scripts that render
    many pictures in one process keep their memory."""
    ctx = create_headless_context()
    try:
        with Renderer(ctx, scenes, character) as renderer:
            yield renderer
    finally:
        ctx.release()


def _read(relative: str) -> str:
    return shader_path(relative).read_text(encoding="utf-8")


class AudioTextures:
    """The song's audio as textures, updated once per frame: Shadertoy's 512x2 iChannel0
    (spectrum row, waveform row) and the one-row FFT and waveform ISF audio inputs take."""

    def __init__(self, ctx: Any) -> None:
        self.shadertoy = ctx.texture((512, 2), 1, dtype="f4")
        self.fft = ctx.texture((512, 1), 1, dtype="f4")
        self.wave = ctx.texture((512, 1), 1, dtype="f4")
        self.silence = ctx.texture((1, 1), 4, dtype="f1")
        for t in (self.shadertoy, self.fft, self.wave):
            t.filter = (ctx.NEAREST, ctx.NEAREST)
        self.update(None)

    def update(self, rows: np.ndarray | None) -> None:
        if rows is None:
            rows = np.zeros((2, 512), np.float32)
            rows[1] = 0.5  # a silent waveform sits in the middle
        rows = np.ascontiguousarray(rows, dtype=np.float32)
        self.shadertoy.write(rows.tobytes())
        self.fft.write(rows[0].tobytes())
        self.wave.write(rows[1].tobytes())

    def bindings(self) -> dict[str, Any]:
        return {
            "iChannel0": self.shadertoy,
            "iChannel1": self.silence,
            "iChannel2": self.silence,
            "iChannel3": self.silence,
            "audioFFT": self.fft,
            "audio": self.wave,
        }

    def release(self) -> None:
        for t in (self.shadertoy, self.fft, self.wave, self.silence):
            t.release()


class _Canvas:
    """An offscreen RGBA texture and its framebuffer, reallocated when the size changes."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.texture: Any = None
        self.fbo: Any = None

    def get(self, size: tuple[int, int]) -> tuple[Any, Any]:
        if self.texture is None or self.texture.size != size:
            self.release()
            self.texture = self.ctx.texture(size, 4)
            self.texture.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
            self.texture.repeat_x = self.texture.repeat_y = False  # effects read it at edges
            self.fbo = self.ctx.framebuffer(color_attachments=[self.texture])
        return self.texture, self.fbo

    def release(self) -> None:
        if self.fbo is not None:
            self.fbo.release()
            self.texture.release()
        self.texture = self.fbo = None


class Renderer:
    """Draws FrameStates for a show's scenes and character."""

    def __init__(
        self,
        ctx: Any,
        scenes: Path | Sequence[Scene],
        character: Character,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.ctx = ctx
        self.character = character
        self._now = now
        self.scenes = (Scene("main", scenes),) if isinstance(scenes, Path) else tuple(scenes)
        self.backgrounds: list[Layer] = []
        self.effects: list[list[Layer]] = []
        try:
            for scene in self.scenes:
                self.backgrounds.append(load_layer(ctx, scene.background, now))
                self.effects.append([load_layer(ctx, e, now) for e in scene.effects])
        except Exception:
            self._release_layers()
            raise
        self.audio = AudioTextures(ctx)
        self.guard = LayerGuard()
        self._canvases = [_Canvas(ctx) for _ in range(3)]  # scene, effect ping, effect pong
        self._fade = _Canvas(ctx)
        self.layer_program = ctx.program(
            vertex_shader=_read("common/fullscreen.vert"),
            fragment_shader=_read("common/layer.frag"),
        )
        self._layer_vao = ctx.vertex_array(self.layer_program, [])
        corners = ctx.buffer(struct.pack("8f", -1, -1, 1, -1, -1, 1, 1, 1))
        self.mouth = ctx.program(
            vertex_shader=_read("common/quad.vert"), fragment_shader=_read("mouth/mouth.frag")
        )
        self._mouth_vao = ctx.vertex_array(self.mouth, [(corners, "2f", "in_corner")])
        for name, rgb in vars(character.colors).items():
            _set(self.mouth, f"u_{name}_color", rgb)
        self.image: Any = None
        self.sprite: SpriteMouth | None = None
        self.puppet: Puppet | None = None
        try:
            if character.landmarks is not None:
                self.puppet = Puppet(ctx, character, corners)
            if character.mouth_sheet is not None:
                self.sprite = SpriteMouth(ctx, character.mouth_sheet, corners)
            if character.image is not None:
                self._load_picture(character.image, corners)
        except Exception:
            self.release()
            raise

    def _load_picture(self, path: Path, corners: Any) -> None:
        """The picture, premultiplied and clamped to its edges: wrapping, linear filtering
        at the top edge pulled in the bottom row (a 1-pixel line of shirt over the hair)."""
        ctx = self.ctx
        picture = premultiplied(load_rgba(path))
        self._image_aspect = picture.width / picture.height
        self._image_height = picture.height
        self._mipmapped: bool | None = None
        self.image_program = ctx.program(
            vertex_shader=_read("common/quad.vert"), fragment_shader=_read("common/image.frag")
        )
        _set(self.image_program, "u_premultiplied", True)
        self._image_vao = ctx.vertex_array(self.image_program, [(corners, "2f", "in_corner")])
        image = ctx.texture((picture.width, picture.height), 4, picture.rgba)
        image.repeat_x = image.repeat_y = False
        image.build_mipmaps()
        self.image = image
        self.lids = Lids(ctx, corners)

    @property
    def params(self) -> dict[str, tuple[float, float, float]]:
        """(min, max, default) of every ISF input the show's shaders expose, by name."""
        out: dict[str, tuple[float, float, float]] = {}
        for layer in [*self.backgrounds, *(e for chain in self.effects for e in chain)]:
            for spec in layer.params:
                out.setdefault(spec.name, (spec.minimum, spec.maximum, spec.default))
        return out

    def _release_layers(self) -> None:
        for layer in [*self.backgrounds, *(e for chain in self.effects for e in chain)]:
            layer.release()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Free the GL objects (a reloaded show builds a new renderer)."""
        self._release_layers()
        self.audio.release()
        for canvas in (*self._canvases, self._fade):
            canvas.release()
        for obj in (self._layer_vao, self.layer_program, self._mouth_vao, self.mouth):
            obj.release()
        if self.image is not None:
            for obj in (self._image_vao, self.image_program, self.image):
                obj.release()
            self.lids.release()
        if self.sprite is not None:
            self.sprite.release()
        if self.puppet is not None:
            self.puppet.release()

    def reload(self, path: Path) -> bool:
        """Recompile every layer made from `path`. All or nothing: on a compile error the
        old layers stay and the InputError propagates. True if any layer used the file."""
        fresh: list[tuple[int, int, Layer]] = []  # (scene, -1 for background or effect, new)
        try:
            for i, scene in enumerate(self.scenes):
                if scene.background == path:
                    fresh.append((i, -1, load_layer(self.ctx, path, self._now)))
                for k, effect in enumerate(scene.effects):
                    if effect == path:
                        fresh.append((i, k, load_layer(self.ctx, path, self._now)))
        except Exception:
            for _, _, layer in fresh:
                layer.release()
            raise
        for i, k, layer in fresh:
            chain = self.backgrounds if k < 0 else self.effects[i]
            slot = i if k < 0 else k
            chain[slot].release()
            chain[slot] = layer
            self.guard.forget((i, k))
        return bool(fresh)

    def render(self, state: FrameState, size: tuple[int, int]) -> None:
        """Draw one frame into the currently bound framebuffer."""
        target = self.ctx.fbo
        self.guard.next_frame()
        self.audio.update(state.audio_texture)
        mix = state.scene
        if mix.previous is None or mix.mix >= 1.0:
            self._draw_scene(mix.current, state, size, target)
            return
        self._draw_scene(mix.previous, state, size, target)
        texture, fbo = self._fade.get(size)
        self._draw_scene(mix.current, state, size, fbo)
        target.use()
        self.ctx.viewport = (0, 0, *size)
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        texture.use(0)
        _set(self.layer_program, "u_layer", 0)
        _set(self.layer_program, "u_resolution", (float(size[0]), float(size[1])))
        _set(self.layer_program, "u_alpha", mix.mix)
        self._layer_vao.render(moderngl.TRIANGLES, vertices=3)

    def _draw_scene(
        self, index: int, state: FrameState, size: tuple[int, int], target: Any
    ) -> None:
        """Background and character, then the scene's effects (each reads the last)."""
        scene, effects = self.scenes[index], self.effects[index]
        values = {**scene.params, **state.params}
        first = target if not effects else self._canvases[0].get(size)[1]
        audio = self._bind_audio()
        self.ctx.disable(moderngl.BLEND)
        self.ctx.viewport = (0, 0, *size)
        background = self.backgrounds[index]
        if not self.guard.run(
            (index, -1),
            f"scene {scene.name}: {scene.background}",
            lambda: background.draw(state, size, first, values, audio=audio),
        ):
            first.use()
            first.clear(0.0, 0.0, 0.0, 1.0)
        first.use()
        self.ctx.viewport = (0, 0, *size)
        if scene.character:
            self.guard.run(
                (index, "character"),
                f"scene {scene.name}: the character",
                lambda: (
                    self._draw_character(state, size, scene)
                    if self.puppet is None  # a face puppet draws instead of the picture
                    else self.puppet.draw(state, size, scene.mouth_colors)
                ),
            )
        source = self._canvases[0].texture
        for n, effect in enumerate(effects):
            last = n == len(effects) - 1
            out_texture, out = (None, target) if last else self._canvases[1 + n % 2].get(size)
            self.ctx.disable(moderngl.BLEND)
            audio = self._bind_audio()
            self.ctx.viewport = (0, 0, *size)
            if not self.guard.run(
                (index, n),
                f"scene {scene.name}: {scene.effects[n]}",
                partial(effect.draw, state, size, out, values, source=source, audio=audio),
            ):
                self._copy(source, out, size)  # the picture so far, without this effect
            source = out_texture

    def _copy(self, texture: Any, target: Any, size: tuple[int, int]) -> None:
        target.use()
        self.ctx.viewport = (0, 0, *size)
        self.ctx.disable(moderngl.BLEND)
        texture.use(0)
        _set(self.layer_program, "u_layer", 0)
        _set(self.layer_program, "u_resolution", (float(size[0]), float(size[1])))
        _set(self.layer_program, "u_alpha", 1.0)
        self._layer_vao.render(moderngl.TRIANGLES, vertices=3)

    def _bind_audio(self) -> dict[str, int]:
        """Audio textures sit on high texture units (layers bind theirs from unit 0); the
        names map to the units, for the layers' samplers."""
        units = {}
        for unit, (name, texture) in enumerate(self.audio.bindings().items(), start=AUDIO_UNIT):
            texture.use(unit)
            units[name] = unit
        return units

    def _draw_character(self, state: FrameState, size: tuple[int, int], scene: Scene) -> None:
        w, h = size
        self.ctx.enable(moderngl.BLEND)
        if self.image is not None:
            self.ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA  # premultiplied
            ih = self.character.height * h
            cx, cy = self.character.center
            # Trilinear filtering only where the picture is shrunk: it costs twice as much
            # on a software renderer and changes nothing when the picture is magnified.
            mipmapped = ih < 0.75 * self._image_height
            if mipmapped is not self._mipmapped:
                self.image.filter = (
                    (moderngl.LINEAR_MIPMAP_LINEAR if mipmapped else moderngl.LINEAR),
                    moderngl.LINEAR,
                )
                self._mipmapped = mipmapped
            self.image.use(0)
            p = self.image_program
            _set(p, "u_image", 0)
            _set(p, "u_resolution", (float(w), float(h)))
            (x, y), scale = self._idle_place((cx * w, (1 - cy) * h), state, size)
            _set(p, "u_center", (x, y))
            _set(p, "u_half_size", (scale * ih * self._image_aspect / 2, scale * ih / 2))
            _set(p, "u_angle", state.idle.angle)
            self._image_vao.render(moderngl.TRIANGLE_STRIP)
            self._draw_lids(state, size, ih)
        mouth_center, mouth_width = self._place(w, h)
        mouth_center, scale = self._idle_place(mouth_center, state, size)
        if self.sprite is not None and self.sprite.sheet.used_in(scene.name):
            width = scale * self._sprite_width(w, h)
            self.sprite.draw(self.ctx, state, mouth_center, width, size)
            return
        self._draw_vector_mouth(state, size, mouth_center, scale * mouth_width, scene.mouth_colors)

    def _draw_lids(self, state: FrameState, size: tuple[int, int], picture_h: float) -> None:
        """Lids over the picture's eyes while it blinks, moving with the idle motion."""
        eyes = self.character.eyes
        if eyes is None or state.idle.lids <= 0.0:
            return
        w, h = size
        picture_w = picture_h * self._image_aspect
        left = self.character.center[0] * w - picture_w / 2
        top = self.character.center[1] * h - picture_h / 2
        placed = [
            self._idle_place((left + x * picture_w, h - (top + y * picture_h)), state, size)
            for x, y in eyes.at
        ]
        eye_size = (eyes.size[0] * picture_w, eyes.size[1] * picture_h)
        self.lids.draw(eyes, state.idle, placed, eye_size, size)

    def _idle_place(
        self, point: tuple[float, float], state: FrameState, size: tuple[int, int]
    ) -> tuple[tuple[float, float], float]:
        """Where a point of the character (pixels, y up) is after the frame's idle motion
        (head bob, sway, breathing), and the scale to draw at: the whole character moves as
        one, turned and scaled about the picture's centre."""
        w, h = size
        idle, c = state.idle, self.character
        reference = c.height * h  # idle offsets are fractions of the character's height
        cx, cy = c.center[0] * w, (1 - c.center[1]) * h
        ux, uy = (point[0] - cx) * idle.scale, (point[1] - cy) * idle.scale
        cos, sin = math.cos(idle.angle), math.sin(idle.angle)  # counter-clockwise, as quad.vert
        x = cx + cos * ux - sin * uy + idle.dx * reference
        y = cy + sin * ux + cos * uy - idle.dy * reference
        return (x, y), idle.scale

    def _draw_vector_mouth(
        self,
        state: FrameState,
        size: tuple[int, int],
        mouth_center: tuple[float, float],
        mouth_width: float,
        colors: Mapping[str, tuple[float, float, float]],
    ) -> None:
        w, h = size
        self.ctx.blend_func = (
            moderngl.SRC_ALPHA,
            moderngl.ONE_MINUS_SRC_ALPHA,
            moderngl.ONE,
            moderngl.ONE_MINUS_SRC_ALPHA,
        )
        half = mouth_width * MOUTH_QUAD_PER_WIDTH / 2
        m = self.mouth
        for name, rgb in {**vars(self.character.colors), **colors}.items():
            _set(m, f"u_{name}_color", rgb)
        _set(m, "u_resolution", (float(w), float(h)))
        _set(m, "u_center", mouth_center)
        _set(m, "u_angle", state.idle.angle)
        _set(m, "u_half_size", (half, half))
        # Shade only the box this pose can reach, plus a few pixels of anti-aliasing.
        _set(m, "u_extent", mouth_extent(state.pose, pad=AA_PIXELS / max(half, 1.0)))
        for name, value in zip(
            ("open", "width", "round", "teeth", "tongue", "bite", "press"),
            state.pose.as_tuple(),
            strict=True,
        ):
            _set(m, f"u_{name}", value)
        self._mouth_vao.render(moderngl.TRIANGLE_STRIP)

    def _sprite_width(self, w: int, h: int) -> float:
        """Pixels across a drawing: the sheet's own width, else the mouth width, of the
        picture's width (of the screen height without a picture)."""
        c = self.character
        sheet = c.mouth_sheet
        fraction = sheet.width if sheet is not None and sheet.width is not None else c.mouth_width
        if self.image is None:
            return fraction * h
        return fraction * c.height * h * self._image_aspect

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

    def release(self) -> None:
        self.fbo.release()

    def read_rgb(self) -> bytes:
        """Top row first, as images and video encoders expect (GL's row 0 is the bottom)."""
        import numpy as np

        w, h = self.size
        raw = self.fbo.read(components=3, alignment=1)
        return np.frombuffer(raw, dtype=np.uint8).reshape(h, w, 3)[::-1].tobytes()
