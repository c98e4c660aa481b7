"""ISF shaders compile and draw on Mesa llvmpipe through EGL, drawn by the product's own
layer (livesync.render.layers.IsfLayer): its passes, targets sized by pass_size, persistent
buffers kept across frames and audio inputs bound the way the renderer binds them.

The harness below only makes a frame state, an output framebuffer and reads the picture
back; every pass is run by IsfLayer.draw.
"""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.glsl.isf_model import IsfValue
from livesync.lipsync.visemes import MouthPose, Viseme
from livesync.render.layers import IsfLayer, load_layer
from livesync.render.renderer import AUDIO_UNIT, AudioTextures, create_headless_context

pytestmark = pytest.mark.gl
DATA = Path(__file__).parent.parent / "data" / "isf"
SIZE = (64, 64)


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def layer_of(ctx: Any, path: Path) -> IsfLayer:
    layer = load_layer(ctx, path)
    assert isinstance(layer, IsfLayer)  # the content decides: these are ISF files
    return layer


class Frames:
    """Draws an ISF layer frame after frame into a 64x64 RGBA picture."""

    def __init__(self, ctx: Any, path: Path, audio: dict[str, int] | None = None) -> None:
        self.layer = layer_of(ctx, path)
        self.output = ctx.simple_framebuffer(SIZE, components=4)
        self.audio = audio
        self.frame = 0

    def draw(self, values: dict[str, IsfValue], time: float = 0.0) -> np.ndarray:
        """One frame (all passes); the output as a (h, w, 4) array, bottom row first."""
        state = FrameState(time, 0.0, self.frame, MouthPose(), Viseme.SIL, "", "")
        self.layer.draw(state, SIZE, self.output, values, audio=self.audio)
        self.frame += 1
        raw = self.output.read(components=4, alignment=1)
        return np.frombuffer(raw, np.uint8).reshape(SIZE[1], SIZE[0], 4).astype(int)


@pytest.mark.parametrize("name", ["generator.fs", "trails.fs", "spectrum.fs", "imported.fs"])
def test_examples_compile_and_link(ctx: Any, name: str) -> None:
    layer = layer_of(ctx, DATA / name)
    assert layer.program.get("isf_FragNormCoord", None) is None  # a varying, not a uniform
    layer.release()


def test_generator_draws_a_picture_its_inputs_change(ctx: Any) -> None:
    runner = Frames(ctx, DATA / "generator.fs")
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


def test_isf_frag_norm_coord_runs_bottom_left_to_top_right(ctx: Any, tmp_path: Path) -> None:
    path = tmp_path / "coords.fs"
    path.write_text(
        '/*{"ISFVSN": "2"}*/\nvoid main() { gl_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0); }\n'
    )
    picture = Frames(ctx, path).draw({})
    assert picture[0, 0, 0] < 4 and picture[0, 0, 1] < 4  # row 0 is the bottom
    assert picture[-1, -1, 0] > 250 and picture[-1, -1, 1] > 250
    assert abs(picture[0, 32, 0] - 130) < 3  # (32 + 0.5) / 64 of 255


def test_multi_pass_with_a_half_size_pass_and_persistent_trails(ctx: Any) -> None:
    runner = Frames(ctx, DATA / "trails.fs")
    first = runner.draw({}, time=0.0)
    assert runner.layer.buffer("dotLayer").size == (32, 32)
    assert runner.layer.buffer("trails").size == (64, 64)
    assert runner.layer.buffer("trails").dtype == "f4"
    assert runner.layer.buffer("dotLayer").dtype == "f1"
    for step in range(1, 8):
        last = runner.draw({}, time=step * 0.15)
    lit_first = (first[..., 2] > 40).sum()
    lit_last = (last[..., 2] > 40).sum()
    assert lit_first > 0
    assert lit_last > 2 * lit_first  # the dot moved and left a trail behind
    no_memory = Frames(ctx, DATA / "trails.fs")
    no_memory.draw({"decay": 0.0}, time=0.0)
    assert ((no_memory.draw({"decay": 0.0}, time=7 * 0.15)[..., 2] > 40).sum()) < lit_last


def test_audio_fft_input_draws_bars(ctx: Any) -> None:
    """The renderer's own FFT texture (one row of 512 bins) on the renderer's audio unit."""
    path = DATA / "spectrum.fs"
    assert layer_of(ctx, path).shader.input("fft").max == 64
    rows = np.zeros((2, 512), np.float32)
    rows[0] = np.linspace(0.0, 1.0, 512)  # a rising spectrum
    audio = AudioTextures(ctx)
    audio.update(rows)
    audio.fft.use(AUDIO_UNIT)
    units = {"audioFFT": AUDIO_UNIT}
    picture = Frames(ctx, path, units).draw({})
    lit = (picture[..., 1] > 100).sum(axis=0)  # lit pixels per column
    assert lit[2] < 8 and lit[61] > 56
    assert (np.diff(lit) >= 0).all()
    louder = Frames(ctx, path, units).draw({"gain": 4.0})
    assert (louder[..., 1] > 100).sum() > (picture[..., 1] > 100).sum()
    audio.release()


def test_imported_image_is_sampled(ctx: Any) -> None:
    path = DATA / "imported.fs"
    runner = Frames(ctx, path)
    shader = runner.layer.shader
    assert [(i.name, i.path) for i in shader.imported] == [("logo", "logo.png")]
    png = (DATA / shader.imported[0].path).read_bytes()
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (8, 8)
    out = runner.draw({"tiles": 2.0})  # the layer loads logo.png next to the file itself
    colours = {tuple(int(c) // 32 for c in px) for px in out[..., :3].reshape(-1, 3)}
    red, blue = (230 // 32, 60 // 32, 40 // 32), (30 // 32, 40 // 32, 200 // 32)
    assert red in colours and blue in colours


def test_compile_errors_point_at_the_users_line(ctx: Any) -> None:
    path = DATA / "broken.fs"
    marked = next(
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "ERROR HERE" in line
    )
    with pytest.raises(InputError) as info:
        load_layer(ctx, path)
    message = info.value.problem
    assert message.startswith(f"shader does not compile: {path}:{marked}: ")
    assert "undefinedBrightness" in message


def test_a_vs_file_next_to_the_fs_is_its_vertex_stage(ctx: Any) -> None:
    """shifted.vs: varyings of its own, computed on the hosts' quad (corners -1..1), so a
    value that is not linear in the position (a clamp) interpolates as its author saw it."""
    runner = Frames(ctx, DATA / "shifted.fs")
    assert runner.layer.shader.vertex is not None
    assert runner.layer.shader.vertex.name == str(DATA / "shifted.vs")
    picture = runner.draw({})
    red, green = picture[..., 0], picture[..., 1]
    # clampedRight: 0.25 at the quad's left corners, 1.0 at its right ones.
    assert abs(green[32, 0] - 0.25 * 255) < 6 and green[32, -1] > 248
    assert abs(red[32, 0] - 0) < 6 and red[32, -1] > 248  # fract(x), x = 0..1
    shifted = runner.draw({"shift": 0.5})
    assert abs(shifted[32, 0, 0] - 128) < 6  # fract(0 + 0.5)
    assert shifted[32, 31, 0] > 245 and shifted[32, 33, 0] < 10  # wraps in the middle


def test_a_vertex_stage_error_names_the_vs_file_and_line(ctx: Any, tmp_path: Path) -> None:
    (tmp_path / "moved.fs").write_text(
        (DATA / "shifted.fs").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "moved.vs").write_text(
        "varying vec2 shifted;\nvarying vec2 clampedRight;\nvoid main() {\n"
        "    isf_vertShaderInit();\n    shifted = undefinedShift;\n}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_layer(ctx, tmp_path / "moved.fs")
    assert info.value.problem.startswith(f"shader does not compile: {tmp_path / 'moved.vs'}:5: ")


def test_a_last_pass_with_a_target_is_painted_to_the_output(ctx: Any, tmp_path: Path) -> None:
    """As the reference host does: the output is the last pass's buffer, scaled to the
    output, colour and alpha as the pass drew them."""
    path = tmp_path / "targeted.fs"
    path.write_text(
        '/*{"ISFVSN": "2", "PASSES": [{"TARGET": "small", "WIDTH": "$WIDTH/2"},'
        ' {"TARGET": "last", "PERSISTENT": true}]}*/\n'
        "void main() {\n"
        "    if (PASSINDEX == 0) gl_FragColor = vec4(isf_FragNormCoord.x, 0.5, 0.0, 1.0);\n"
        "    else gl_FragColor = vec4(IMG_THIS_PIXEL(small).rg, 1.0, 0.5);\n"
        "}\n",
        encoding="utf-8",
    )
    picture = Frames(ctx, path).draw({})
    assert abs(picture[10, 2, 0] - 255 * 2.5 / 64) < 8 and picture[10, -3, 0] > 240
    assert (np.abs(picture[..., 1] - 128) <= 2).all()
    assert (picture[..., 2] == 255).all() and (np.abs(picture[..., 3] - 128) <= 1).all()


def test_image_helpers_and_texture_coordinates_of_the_reference_hosts(ctx: Any) -> None:
    """_imgRect, _flip and _normTexCoord, as files written for VDMX read them."""
    shader = replace(
        layer_of(ctx, DATA / "imported.fs").shader,
        body=(
            "void main() {\n"
            "    vec4 rect = _logo_imgRect;\n"
            "    bool flipped = _logo_flip;\n"
            "    vec2 uv = _logo_normTexCoord;\n"
            "    gl_FragColor = flipped ? vec4(1.0) : vec4(rect.x + uv.x, rect.yzw);\n"
            "}\n"
        ),
    )
    layer = IsfLayer(ctx, shader, DATA / "imported.fs")
    output = ctx.simple_framebuffer(SIZE, components=4)
    layer.draw(FrameState(0.0, 0.0, 0, MouthPose(), Viseme.SIL, "", ""), SIZE, output, {})
    raw = output.read(components=4, alignment=1)
    picture = np.frombuffer(raw, np.uint8).reshape(SIZE[1], SIZE[0], 4).astype(int)
    assert picture[5, 0, 0] < 4 and picture[5, -1, 0] > 250  # x runs 0..1: rect.x is 0
    assert (picture[..., 1] == 0).all() and (picture[..., 2:] == 255).all()  # (0, 0, 1, 1)
    layer.release()


def test_implicit_conversions_desktop_isf_hosts_accept_compile(ctx: Any, tmp_path: Path) -> None:
    """`return 0;` in a float function and int-to-uint initialisers (3 official files)."""
    path = tmp_path / "lenient.fs"
    path.write_text(
        '/*{"ISFVSN": "2"}*/\n'
        "float zero() { return 0; }\n"
        "void main() {\n"
        "    uint code = 95;\n"
        "    if (code > 90) code = 7;\n"
        "    gl_FragColor = vec4(float(code) / 7.0, zero(), 0.0, 1.0);\n"
        "}\n",
        encoding="utf-8",
    )
    picture = Frames(ctx, path).draw({})
    assert (picture[..., 0] == 255).all() and (picture[..., 1] == 0).all()
