"""Edge: shader layers the renderer stacks — a Shadertoy background, or an ISF shader (a
background generator or a post effect) with its passes, persistent buffers, inputs and the
vertex shader (NAME.vs) next to it.

Both kinds draw a FrameState into a framebuffer they are given; an effect also reads the
picture drawn so far as its `inputImage`. Sources are turned into GLSL by the pure modules
(livesync.glsl.shadertoy, livesync.glsl.isf_*); this module owns only GL objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import moderngl

from livesync.audio.analysis import SYN_UNIFORMS
from livesync.control.state import ParamSpec
from livesync.errors import InputError, read_user_text
from livesync.frame.state import FrameState
from livesync.glsl import shadertoy
from livesync.glsl.isf_expr import pass_size
from livesync.glsl.isf_glsl import (
    VERTEX_NAME_SUFFIXES,
    map_error_line,
    to_glsl330,
    vertex_glsl330,
)
from livesync.glsl.isf_header import parse_isf
from livesync.glsl.isf_model import IsfInput, IsfShader, VertexSource, date_value
from livesync.lipsync.visemes import Viseme
from livesync.resources import shader_path

Values = Mapping[str, Any]
_ISF_HEADER = re.compile(r"\A\s*/\*\s*\{")


def set_uniform(program: Any, name: str, value: Any) -> None:
    """Set a uniform if the shader uses it (the compiler drops unused ones). `get` is a dict
    lookup; `name in program` would walk every member on each call."""
    member = program.get(name, None)
    if member is not None:
        member.value = value


def set_array_uniform(program: Any, name: str, values: list[Any]) -> None:
    """Set a uniform array if the shader uses it. The compiler keeps only the elements up to
    the last one the code reads (``iChannelResolution[0]`` alone leaves an array of 1), and
    GL refuses more values than that; moderngl takes an array of one as a plain value."""
    member = program.get(name, None)
    if member is not None:
        length = member.array_length
        member.value = values[0] if length == 1 else values[:length]


def set_frame_uniforms(program: Any, state: FrameState) -> None:
    """livesync's audio and mouth uniforms, shared by both kinds of layer."""
    for uniform, attr in SYN_UNIFORMS.items():
        set_uniform(program, uniform, getattr(state.audio, attr))
    set_uniform(program, "ls_MouthOpen", state.pose.open)
    bpm, beat_phase, bar_phase = state.beat
    set_uniform(program, "ls_BPM", bpm)
    set_uniform(program, "ls_BeatPhase", beat_phase)
    set_uniform(program, "ls_BarPhase", bar_phase)
    set_uniform(program, "ls_Viseme", float(list(Viseme).index(state.viseme)))


class Layer(Protocol):
    name: str
    params: tuple[ParamSpec, ...]
    files: tuple[Path, ...]  # every file it was made from (`livesync check` counts them used)

    def draw(
        self,
        state: FrameState,
        size: tuple[int, int],
        target: Any,
        values: Values,
        source: Any = None,
        audio: Mapping[str, int] | None = None,
        images: Mapping[str, Any] | None = None,
    ) -> None: ...

    def release(self) -> None: ...


def is_isf(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".fs" or bool(_ISF_HEADER.match(text))


def load_layer(ctx: Any, path: Path, now: Callable[[], datetime] = datetime.now) -> Layer:
    """A Shadertoy or ISF layer from a file (the content decides); InputError names the file
    and line when it is missing, malformed or does not compile. An ISF file's vertex shader
    is the ``.vs`` of the same name next to it, as the reference hosts look for it."""
    text = read_user_text(path, "shader file")
    if is_isf(path, text):
        shader = parse_isf(text, str(path))
        vertex = isf_vertex_path(path)
        if vertex is not None:
            source = VertexSource(str(vertex), read_user_text(vertex, "ISF vertex shader"))
            shader = replace(shader, vertex=source)
        return IsfLayer(ctx, shader, path, now)
    return ShadertoyLayer(ctx, text, path, now)


def isf_vertex_path(path: Path) -> Path | None:
    """The vertex shader file that goes with the ISF file ``path`` (NAME.vs, or NAME.vert as
    VVISF also accepts), or None."""
    for suffix in VERTEX_NAME_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _compile(ctx: Any, vertex: str, fragment: str, explain: Callable[[str], str]) -> Any:
    try:
        return ctx.program(vertex_shader=vertex, fragment_shader=fragment)
    except moderngl.Error as exc:
        raise InputError(None, f"shader does not compile: {explain(str(exc))}") from None


class ShadertoyLayer:
    """Single-pass Shadertoy code: `mainImage` over a full-screen triangle."""

    params: tuple[ParamSpec, ...] = ()

    def __init__(
        self,
        ctx: Any,
        source: str,
        path: Path,
        now: Callable[[], datetime] = datetime.now,
        common: tuple[Path, str] | None = None,
        buffer: bool = False,
    ) -> None:
        """`common`: the Common tab's file and text, prepended (errors in it name that
        file); `buffer`: a Buffer A-D pass of a multipass shader (its alpha is kept)."""
        self.name, self._now = str(path), now
        self.files: tuple[Path, ...] = (path,) if common is None else (path, common[0])
        common_name = None if common is None else str(common[0])
        try:
            wrapped = shadertoy.wrap(
                source, self.name, None if common is None else common[1], buffer
            )
        except ValueError as exc:
            raise InputError(path, str(exc).split(": ", 1)[-1]) from None
        self.program = _compile(
            ctx,
            shader_path("common/fullscreen.vert").read_text(),
            wrapped.source,
            lambda log: shadertoy.first_error(log, self.name, common_name),
        )
        self._vao = ctx.vertex_array(self.program, [])

    def draw(
        self,
        state: FrameState,
        size: tuple[int, int],
        target: Any,
        values: Values,
        source: Any = None,
        audio: Mapping[str, int] | None = None,
        images: Mapping[str, Any] | None = None,
        frame: int | None = None,
    ) -> None:
        """`images`: the scene's pictures by channel name (iChannel0-3), on texture units
        0-3; a channel without one is the song's (`audio`: iChannel0 the audio texture, the
        others black), so a picture the show gives iChannel0 wins over the song. `frame`:
        iFrame, when not the show's frame number (a multipass shader counts its own)."""
        target.use()
        p = self.program
        sizes = [(512.0, 2.0, 1.0)] + [(1.0, 1.0, 1.0)] * 3
        times = [state.time, 0.0, 0.0, 0.0]  # the song's playback time; pictures have none
        for n in range(4):
            name = f"iChannel{n}"
            picture = images.get(name) if images else None
            if picture is not None:
                picture.use(n)
                set_uniform(p, name, n)
                sizes[n] = (float(picture.size[0]), float(picture.size[1]), 1.0)
                times[n] = 0.0
            elif audio and name in audio:
                set_uniform(p, name, audio[name])
        set_array_uniform(p, "iChannelResolution", sizes)
        set_uniform(p, "iSampleRate", 44100.0)
        set_uniform(p, "iResolution", (float(size[0]), float(size[1]), 1.0))
        set_uniform(p, "iTime", state.time)
        set_uniform(p, "iGlobalTime", state.time)
        set_array_uniform(p, "iChannelTime", times)
        set_uniform(p, "iTimeDelta", state.dt)
        set_uniform(p, "iFrameRate", 1.0 / state.dt if state.dt > 0 else shadertoy.FRAME_RATE)
        set_uniform(p, "iFrame", state.frame if frame is None else frame)
        set_uniform(p, "iMouse", (0.0, 0.0, 0.0, 0.0))
        set_uniform(p, "iDate", date_value(self._now()))
        set_frame_uniforms(p, state)
        for name, value in values.items():
            set_uniform(p, name, value)
        self._vao.render(moderngl.TRIANGLES, vertices=3)

    def release(self) -> None:
        self._vao.release()
        self.program.release()


class IsfLayer:
    """An ISF v2 shader: passes drawn in order into their targets (ping-pong textures, so a
    pass can read its own persistent buffer), an untargeted pass into `target`; when the last
    pass has a TARGET, that buffer is painted to `target`, as the reference host does."""

    def __init__(
        self,
        ctx: Any,
        shader: IsfShader,
        path: Path,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        from livesync.render.images import load_rgba

        self.ctx, self.shader, self.name, self._now = ctx, shader, str(path), now
        vertex = () if shader.vertex is None else (Path(shader.vertex.name),)
        self.files = (path, *vertex, *(path.parent / i.path for i in shader.imported))
        self.program = _compile(
            ctx,
            vertex_glsl330(shader),
            to_glsl330(shader),
            lambda log: map_error_line(log, shader),
        )
        self._vao = ctx.vertex_array(self.program, [])
        self.params = tuple(
            _param(i) for i in shader.controls if i.type in ("float", "long", "bool", "event")
        )
        self._targets: dict[str, list[Any]] = {}  # name -> [texture, framebuffer]
        self._images: dict[str, Any] = {}
        for image in shader.imported:
            picture = load_rgba(path.parent / image.path)
            texture = ctx.texture((picture.width, picture.height), 4, picture.rgba)
            texture.filter = (ctx.LINEAR, ctx.LINEAR)
            texture.repeat_x = texture.repeat_y = False  # no wrap bleeding at the edges
            self._images[image.name] = texture
        # Image inputs with no source yet (only IMPORTED images and an effect's inputImage
        # are fed) read transparent black rather than whatever texture unit 0 holds.
        self._blank = ctx.texture((1, 1), 4, bytes(4))
        self._painter: tuple[Any, Any] | None = None
        if shader.passes[-1].target is not None:
            painter = ctx.program(
                vertex_shader=shader_path("common/fullscreen.vert").read_text(encoding="utf-8"),
                fragment_shader=shader_path("common/layer.frag").read_text(encoding="utf-8"),
            )
            self._painter = (painter, ctx.vertex_array(painter, []))
        self._frame = 0

    def _target(self, name: str, size: tuple[int, int], is_float: bool) -> list[Any]:
        slot = self._targets.get(name)
        if slot is None or slot[0].size != size:
            if slot is not None:
                slot[1].release()
                slot[0].release()
            texture = self.ctx.texture(size, 4, dtype="f4" if is_float else "f1")
            texture.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
            # Clamped, as WebGL (and so the reference ISF host) clamps: a blur at the edge
            # must not fetch the opposite edge.
            texture.repeat_x = texture.repeat_y = False
            fbo = self.ctx.framebuffer(color_attachments=[texture])
            fbo.clear(0.0, 0.0, 0.0, 0.0)
            slot = [texture, fbo]
            self._targets[name] = slot
        return slot

    def _set_values(
        self, state: FrameState, values: Values, audio: Mapping[str, int] | None
    ) -> dict[str, Any]:
        """Every uniform that is the same for all passes of the frame; the inputs' values."""
        p = self.program
        for item in self.shader.inputs:
            if item.type in ("audio", "audioFFT") and audio and item.type in audio:
                set_uniform(p, item.name, audio[item.type])
                _set_image_helpers(p, item.name, (512, 1))
        merged: dict[str, Any] = {
            **self.shader.default_values(),
            **{k: v for k, v in values.items() if k in {i.name for i in self.shader.inputs}},
        }
        for name, value in merged.items():
            set_uniform(p, name, _uniform_value(value))
        set_uniform(p, "TIME", state.time)
        set_uniform(p, "TIMEDELTA", state.dt)
        set_uniform(p, "FRAMEINDEX", self._frame)
        set_uniform(p, "DATE", date_value(self._now()))
        set_frame_uniforms(p, state)
        return merged

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
        """`source` is a filter's inputImage; `images` feeds other image inputs by name (a
        transition's startImage and endImage)."""
        p = self.program
        merged = self._set_values(state, values, audio)
        bound = {i.name: self._blank for i in self.shader.inputs if i.type == "image"}
        bound.update(self._images)
        if source is not None:
            bound["inputImage"] = source
        bound.update({k: v for k, v in (images or {}).items() if k in bound})
        # A vertex shader of the file's own may not cover the whole target (3d Rotate): what
        # it leaves is transparent black, as in the reference hosts, not an older frame.
        clear = self.shader.vertex is not None
        for index, spec in enumerate(self.shader.passes):
            out_size = pass_size(spec, size, merged) if spec.target else size
            if spec.target is None:
                fbo = target
            else:
                old = self._target(spec.target, out_size, spec.float)
                # Draw into a fresh buffer, keep last frame's readable: swap after the pass.
                new = self._target(f"{spec.target}\0next", out_size, spec.float)
                fbo = new[1]
                bound[spec.target] = old[0]
            fbo.use()
            self.ctx.viewport = (0, 0, *out_size)
            if clear:
                fbo.clear(0.0, 0.0, 0.0, 0.0)
            for unit, (name, texture) in enumerate(bound.items()):
                texture.use(unit)
                set_uniform(p, name, unit)
                _set_image_helpers(p, name, texture.size)
            set_uniform(p, "PASSINDEX", index)
            set_uniform(p, "RENDERSIZE", (float(out_size[0]), float(out_size[1])))
            self._vao.render(moderngl.TRIANGLE_STRIP, vertices=4)
            if spec.target is not None:
                key = f"{spec.target}\0next"
                self._targets[spec.target], self._targets[key] = (
                    self._targets[key],
                    self._targets[spec.target],
                )
                bound[spec.target] = self._targets[spec.target][0]
        last = self.shader.passes[-1].target
        if last is not None:
            self._paint(self._targets[last][0], size, target)
        self._frame += 1

    def _paint(self, texture: Any, size: tuple[int, int], target: Any) -> None:
        """The last pass's buffer onto the output, scaled to it, colour and alpha as drawn."""
        assert self._painter is not None  # made in __init__ for a last pass with a TARGET
        painter, vao = self._painter
        target.use()
        self.ctx.viewport = (0, 0, *size)
        texture.use(0)
        set_uniform(painter, "u_layer", 0)
        set_uniform(painter, "u_resolution", (float(size[0]), float(size[1])))
        set_uniform(painter, "u_alpha", 1.0)
        set_uniform(painter, "u_premultiplied", True)  # with u_alpha 1: an exact copy
        vao.render(moderngl.TRIANGLES, vertices=3)

    def buffer(self, name: str) -> Any:
        """The texture a pass TARGET holds after the last frame, which the next frame's passes
        read as ``name``: its size and type are what PASSES asked for, so a test can check
        them on the product's own buffers rather than on a copy of this runner."""
        return self._targets[name][0]

    def release(self) -> None:
        for texture, fbo in self._targets.values():
            fbo.release()
            texture.release()
        for texture in (*self._images.values(), self._blank):
            texture.release()
        if self._painter is not None:
            self._painter[1].release()
            self._painter[0].release()
        self._vao.release()
        self.program.release()


def _set_image_helpers(program: Any, name: str, size: tuple[int, int]) -> None:
    """An image's helper uniforms (isf_model.image_uniforms): livesync's textures are whole
    pictures the right way up."""
    set_uniform(program, f"_{name}_imgSize", (float(size[0]), float(size[1])))
    set_uniform(program, f"_{name}_imgRect", (0.0, 0.0, 1.0, 1.0))
    set_uniform(program, f"_{name}_flip", False)


def _param(item: IsfInput) -> ParamSpec:
    lo = float(item.min) if isinstance(item.min, (int, float)) else 0.0
    hi = (
        float(item.max)
        if isinstance(item.max, (int, float))
        else (float(len(item.values) - 1) if item.values else 1.0)
    )
    if item.type == "long" and item.values:
        lo, hi = float(min(item.values)), float(max(item.values))
    default = item.default if isinstance(item.default, (int, float)) else 0.0
    return ParamSpec(item.name, lo, hi, float(default))


def _uniform_value(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        return tuple(float(v) for v in value)
    return value
