"""ISF shaders compile and draw on Mesa llvmpipe through EGL with livesync's vertex stage.

A tiny pass runner here executes PASSES the way the spec describes (targets sized by
pass_size, persistent buffers kept across frames), which is what the renderer has to do.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.glsl.isf import (
    CUSTOM_VERTEX_COUNT,
    VERTEX_SHADER,
    IsfShader,
    IsfValue,
    map_error_line,
    parse_isf,
    pass_size,
    to_glsl330,
    vertex_glsl330,
)

pytestmark = pytest.mark.gl
DATA = Path(__file__).parent.parent / "data" / "isf"
SIZE = (64, 64)


@pytest.fixture(scope="module")
def ctx() -> Any:
    import moderngl

    return moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]


def load(name: str) -> IsfShader:
    path = DATA / name
    return parse_isf(path.read_text(encoding="utf-8"), str(path))


def program(ctx: Any, shader: IsfShader, vertex_source: str | None = None) -> Any:
    return ctx.program(
        vertex_shader=vertex_glsl330(shader, vertex_source), fragment_shader=to_glsl330(shader)
    )


def set_uniform(prog: Any, name: str, value: Any) -> None:
    member = prog.get(name, None)  # the compiler drops what the shader does not use
    if member is not None:
        member.value = value


class Runner:
    """Draws every pass of an ISF shader, frame after frame, into a 64x64 RGBA picture."""

    def __init__(
        self,
        ctx: Any,
        shader: IsfShader,
        textures: dict[str, Any] | None = None,
        vertex_source: str | None = None,
    ):
        self.ctx, self.shader = ctx, shader
        self.prog = program(ctx, shader, vertex_source)
        self.vertices = 3 if vertex_source is None else CUSTOM_VERTEX_COUNT
        self.vao = ctx.vertex_array(self.prog, [])
        self.textures: dict[str, Any] = dict(textures or {})
        self.output = ctx.simple_framebuffer(SIZE, components=4)
        self.frame = 0

    def target(self, name: str, size: tuple[int, int], is_float: bool) -> Any:
        texture = self.textures.get(name)
        if texture is None or texture.size != size:
            texture = self.ctx.texture(size, 4, dtype="f4" if is_float else "f1")
            texture.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
            self.ctx.framebuffer(color_attachments=[texture]).clear(0.0, 0.0, 0.0, 0.0)
            self.textures[name] = texture
        return texture

    def draw(self, values: dict[str, IsfValue], time: float = 0.0) -> np.ndarray:
        """Run all passes for one frame; the output as a (h, w, 4) array, bottom row first."""
        merged = {**self.shader.default_values(), **values}
        for name, value in merged.items():
            set_uniform(self.prog, name, value)
        set_uniform(self.prog, "TIME", time)
        set_uniform(self.prog, "FRAMEINDEX", self.frame)
        for index, spec in enumerate(self.shader.passes):
            size = pass_size(spec, SIZE, merged) if spec.target else SIZE
            if spec.target is None:
                self.output.use()
            else:
                # A pass may read its own persistent buffer: draw into a fresh texture, then
                # swap it in (ping-pong), as a renderer must.
                old = self.target(spec.target, size, spec.float)
                new = self.ctx.texture(size, 4, dtype="f4" if spec.float else "f1")
                new.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
                fbo = self.ctx.framebuffer(color_attachments=[new])
                fbo.use()
            self.ctx.viewport = (0, 0, *size)
            unit = 0
            for name, texture in self.textures.items():
                texture.use(unit)
                set_uniform(self.prog, name, unit)
                set_uniform(self.prog, f"_{name}_imgSize", tuple(float(v) for v in texture.size))
                unit += 1
            set_uniform(self.prog, "PASSINDEX", index)
            set_uniform(self.prog, "RENDERSIZE", (float(size[0]), float(size[1])))
            self.vao.render(vertices=self.vertices)
            if spec.target is not None:
                self.textures[spec.target] = new
                old.release()
        self.frame += 1
        raw = self.output.read(components=4, alignment=1)
        return np.frombuffer(raw, np.uint8).reshape(SIZE[1], SIZE[0], 4).astype(int)


@pytest.mark.parametrize("name", ["generator.fs", "trails.fs", "spectrum.fs", "imported.fs"])
def test_examples_compile_and_link(ctx: Any, name: str) -> None:
    prog = program(ctx, load(name))
    assert VERTEX_SHADER in vertex_glsl330(load(name))
    assert prog.get("isf_FragNormCoord", None) is None  # a varying, not a uniform


def test_a_files_own_vertex_shader_drives_the_fragment_stage(ctx: Any) -> None:
    shader = load("shifted.fs")
    vertex = (DATA / "shifted.vs").read_text(encoding="utf-8")
    runner = Runner(ctx, shader, vertex_source=vertex)
    picture = runner.draw({})
    x = (np.arange(64) + 0.5) / 64
    assert np.abs(picture[10, :, 0] - x * 255).max() <= 2  # shifted = isf_FragNormCoord
    # The clamped varying interpolates between the quad's corners, as in the reference host.
    assert np.abs(picture[10, :, 1] - (0.25 + 0.75 * x) * 255).max() <= 2
    moved = runner.draw({"shift": 0.5})
    assert np.abs(moved[10, :, 0] - np.modf(x + 0.5)[0] * 255).max() <= 3


def test_generator_draws_a_picture_its_inputs_change(ctx: Any) -> None:
    runner = Runner(ctx, load("generator.fs"))
    base = runner.draw({})
    assert base[..., :3].std() > 20  # rings, not a flat colour
    assert (base[..., 3] == 255).all()
    more_rings = runner.draw({"rings": 20.0})
    assert np.abs(base - more_rings).mean() > 10
    assert np.abs(runner.draw({}) - base).max() == 0  # same inputs, same picture
    inverted = runner.draw({"invert": True})
    assert np.abs((255 - base[..., :3]) - inverted[..., :3]).max() <= 2
    squares = runner.draw({"shape": 1})
    assert np.abs(base - squares).mean() > 5
    tinted = runner.draw({"tint": (0.0, 0.0, 1.0, 1.0)})
    assert tinted[..., 0].max() == 0 and tinted[..., 2].max() > 200
    flash = runner.draw({"flash": True})
    assert (flash[..., :3] == 255).all()
    moved = runner.draw({"center": (0.1, 0.9)})
    assert np.abs(base - moved).mean() > 10


def test_isf_frag_norm_coord_runs_bottom_left_to_top_right(ctx: Any) -> None:
    body = "void main() { gl_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0); }\n"
    shader = parse_isf('/*{"ISFVSN": "2"}*/\n' + body, "coords.fs")
    picture = Runner(ctx, shader).draw({})
    assert picture[0, 0, 0] < 4 and picture[0, 0, 1] < 4  # row 0 is the bottom
    assert picture[-1, -1, 0] > 250 and picture[-1, -1, 1] > 250
    assert abs(picture[0, 32, 0] - 130) < 3  # (32 + 0.5) / 64 of 255


def test_multi_pass_with_a_half_size_pass_and_persistent_trails(ctx: Any) -> None:
    runner = Runner(ctx, load("trails.fs"))
    first = runner.draw({}, time=0.0)
    assert runner.textures["dotLayer"].size == (32, 32)
    assert runner.textures["trails"].size == (64, 64)
    assert runner.textures["trails"].dtype == "f4"
    for step in range(1, 8):
        last = runner.draw({}, time=step * 0.15)
    lit_first = (first[..., 2] > 40).sum()
    lit_last = (last[..., 2] > 40).sum()
    assert lit_first > 0
    assert lit_last > 2 * lit_first  # the dot moved and left a trail behind
    no_memory = Runner(ctx, load("trails.fs"))
    no_memory.draw({"decay": 0.0}, time=0.0)
    assert ((no_memory.draw({"decay": 0.0}, time=7 * 0.15)[..., 2] > 40).sum()) < lit_last


def test_audio_fft_input_draws_bars(ctx: Any) -> None:
    shader = load("spectrum.fs")
    assert shader.input("fft").max == 64
    levels = np.linspace(0.0, 1.0, 64, dtype="f4")  # a rising spectrum: one row, 64 bins
    fft = ctx.texture((64, 1), 1, levels.tobytes(), dtype="f4")
    fft.filter = (ctx.NEAREST, ctx.NEAREST)
    picture = Runner(ctx, shader, {"fft": fft}).draw({})
    lit = (picture[..., 1] > 100).sum(axis=0)  # lit pixels per column
    assert lit[2] < 8 and lit[61] > 56
    assert (np.diff(lit) >= 0).all()
    louder = Runner(ctx, shader, {"fft": fft}).draw({"gain": 4.0})
    assert (louder[..., 1] > 100).sum() > (picture[..., 1] > 100).sum()


def test_imported_image_is_sampled(ctx: Any) -> None:
    shader = load("imported.fs")
    assert [(i.name, i.path) for i in shader.imported] == [("logo", "logo.png")]
    png = (DATA / shader.imported[0].path).read_bytes()
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (8, 8)
    from livesync.render.images import load_rgba

    picture = load_rgba(DATA / shader.imported[0].path)
    logo = ctx.texture((picture.width, picture.height), 4, picture.rgba)
    logo.filter = (ctx.NEAREST, ctx.NEAREST)
    out = Runner(ctx, shader, {"logo": logo}).draw({"tiles": 2.0})
    colours = {tuple(int(c) // 32 for c in px) for px in out[..., :3].reshape(-1, 3)}
    red, blue = (230 // 32, 60 // 32, 40 // 32), (30 // 32, 40 // 32, 200 // 32)
    assert red in colours and blue in colours


def test_compile_errors_point_at_the_users_line(ctx: Any) -> None:
    import moderngl

    shader = load("broken.fs")
    marked = next(
        number
        for number, line in enumerate(shader.source.splitlines(), start=1)
        if "ERROR HERE" in line
    )
    with pytest.raises(moderngl.Error) as info:
        program(ctx, shader)
    message = map_error_line(str(info.value), shader)
    assert message.startswith(f"{shader.name}:{marked}: ")
    assert "undefinedBrightness" in message


def test_vertex_shader_errors_point_at_the_vs_file(ctx: Any) -> None:
    import moderngl

    shader = load("shifted.fs")
    vertex = (
        "varying vec2 shifted;\nvarying vec2 clampedRight;\nvoid main() {\n"
        "    isf_vertShaderInit();\n    shifted = notDeclared;\n}\n"
    )
    with pytest.raises(moderngl.Error) as info:
        program(ctx, shader, vertex)
    assert map_error_line(str(info.value), shader, "shifted.vs").startswith("shifted.vs:5: ")
