"""Layers in the renderer: ISF backgrounds and their inputs as parameters, post-effect
chains, and the audio reaching shaders as uniforms and Shadertoy's iChannel0."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.audio.analysis import AudioFeatures
from livesync.frame.state import FrameState
from livesync.lipsync.visemes import MouthPose, Viseme
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.scenes import Scene
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl
SIZE = (48, 32)
ISF = Path(__file__).parent.parent / "data" / "isf"
FLAT = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"
INVERT = """/*{"ISFVSN": "2", "CATEGORIES": ["Filter"],
  "INPUTS": [{"NAME": "inputImage", "TYPE": "image"},
             {"NAME": "amount", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 1.0}]}*/
void main() {
    vec4 c = IMG_THIS_PIXEL(inputImage);
    gl_FragColor = vec4(mix(c.rgb, 1.0 - c.rgb, amount), 1.0);
}
"""
STATE = FrameState(1.0, 1 / 30, 30, MouthPose(), Viseme.SIL, "", "")
NO_CHARACTER = Character()


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def draw(ctx: Any, scenes: list[Scene], state: FrameState = STATE) -> np.ndarray:
    renderer = Renderer(ctx, [replace(s, character=False) for s in scenes], NO_CHARACTER)
    target = OffscreenTarget(ctx, SIZE)
    target.use()
    renderer.render(state, SIZE)
    renderer.release()
    return np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3).astype(int)


def test_isf_background_and_its_inputs(ctx: Any) -> None:
    scene = Scene("isf", ISF / "generator.fs")
    base = draw(ctx, [scene])
    assert base.std() > 20
    renderer = Renderer(ctx, [scene], NO_CHARACTER)
    assert renderer.params["rings"][:2] == (1.0, 40.0)  # ISF inputs become parameters
    renderer.release()
    more = draw(ctx, [replace(scene, params={"rings": 30.0})])
    assert np.abs(base - more).mean() > 5
    live = draw(ctx, [scene], replace(STATE, params={"rings": 30.0}))
    assert np.abs(live - more).max() <= 1  # a live value, same picture


def test_effect_chains_apply_in_order(ctx: Any, tmp_path: Path) -> None:
    red = tmp_path / "red.glsl"
    red.write_text(FLAT.format("1.0, 0.0, 0.0"))
    invert = tmp_path / "invert.fs"
    invert.write_text(INVERT)
    once = draw(ctx, [Scene("a", red, effects=(invert,))])
    assert list(once[5, 5]) == [0, 255, 255]
    twice = draw(ctx, [Scene("a", red, effects=(invert, invert))])
    assert list(twice[5, 5]) == [255, 0, 0]
    half = draw(ctx, [Scene("a", red, effects=(invert,), params={"amount": 0.5})])
    assert all(abs(v - 128) <= 2 for v in half[5, 5])


def test_audio_uniforms_and_ichannel0(ctx: Any, tmp_path: Path) -> None:
    shader = tmp_path / "audio.glsl"
    shader.write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "  float fft = texture(iChannel0, vec2(0.5, 0.25)).x;\n"
        "  float wave = texture(iChannel0, vec2(0.5, 0.75)).x;\n"
        "  c = vec4(fft, wave, syn_BassHits, 1.0);\n}\n"
    )
    rows = np.zeros((2, 512), np.float32)
    rows[0] = 0.25
    rows[1] = 0.75
    state = replace(STATE, audio=AudioFeatures(bass_hits=0.5), audio_texture=rows)
    px = draw(ctx, [Scene("a", shader)], state)[5, 5]
    assert abs(px[0] - 64) <= 2 and abs(px[1] - 191) <= 2 and abs(px[2] - 128) <= 2
    silent = draw(ctx, [Scene("a", shader)])[5, 5]
    assert silent[0] == 0 and abs(silent[1] - 128) <= 2  # silence: flat waveform


def test_an_effect_that_does_not_compile_names_its_line(ctx: Any, tmp_path: Path) -> None:
    from livesync.errors import InputError

    red = tmp_path / "red.glsl"
    red.write_text(FLAT.format("1.0, 0.0, 0.0"))
    broken = tmp_path / "broken.fs"
    broken.write_text(INVERT.replace("1.0 - c.rgb", "1.0 - c.rgbz"))
    with pytest.raises(InputError, match=r"broken.fs:6:"):
        Renderer(ctx, [Scene("a", red, effects=(broken,))], NO_CHARACTER)


def test_persistent_isf_buffers_carry_over_between_frames(ctx: Any) -> None:
    """tests/data/isf/trails.fs: a half-size pass and a persistent float buffer; a moving
    dot must leave a growing trail when the renderer draws frame after frame."""
    renderer = Renderer(ctx, [Scene("t", ISF / "trails.fs", character=False)], NO_CHARACTER)
    target = OffscreenTarget(ctx, (64, 64))
    lit = []
    for n in range(8):
        target.use()
        renderer.render(replace(STATE, time=n * 0.15, frame=n), (64, 64))
        img = np.frombuffer(target.read_rgb(), np.uint8).reshape(64, 64, 3)
        lit.append(int((img[..., 2] > 40).sum()))
    renderer.release()
    assert lit[0] > 0 and lit[-1] > 2 * lit[0]


def test_a_scene_can_recolour_the_mouth(ctx: Any, tmp_path: Path) -> None:
    grey = tmp_path / "grey.glsl"
    grey.write_text(FLAT.format("0.5, 0.5, 0.5"))
    character = Character(mouth=(0.5, 0.5), mouth_width=0.6)

    def greens(scene: Scene) -> int:
        renderer = Renderer(ctx, [scene], character)
        target = OffscreenTarget(ctx, SIZE)
        target.use()
        renderer.render(STATE, SIZE)
        renderer.release()
        img = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3)
        return int((img[..., 1].astype(int) > img[..., 0].astype(int) + 30).sum())

    assert greens(Scene("a", grey)) == 0
    assert greens(Scene("a", grey, mouth_colors={"lip": (0.0, 1.0, 0.0)})) > 5


def test_an_isf_image_input_with_no_source_reads_black(ctx: Any, tmp_path: Path) -> None:
    shader = tmp_path / "uses_image.fs"
    shader.write_text(
        '/*{"ISFVSN": "2", "INPUTS": [{"NAME": "logo", "TYPE": "image"}]}*/\n'
        "void main() { gl_FragColor = vec4(IMG_THIS_NORM_PIXEL(logo).rgb + "
        "vec3(0.0, 0.0, 0.5), 1.0); }\n"
    )
    px = draw(ctx, [Scene("a", shader)])[5, 5]
    assert px[0] == 0 and px[1] == 0 and abs(px[2] - 128) <= 1


def test_shadertoy_time_uniforms_old_and_new(ctx: Any, tmp_path: Path) -> None:
    """iGlobalTime (iTime's name before 2017), iChannelTime and iFrameRate, as pasted code
    uses them."""
    shader = tmp_path / "old.glsl"
    shader.write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "  c = vec4(iGlobalTime / 4.0, iChannelTime[0] / 4.0 + iChannelTime[1],\n"
        "           iFrameRate / 100.0, 1.0);\n}\n"
    )
    px = draw(ctx, [Scene("a", shader)], replace(STATE, time=2.0, dt=1 / 50))[5, 5]
    assert abs(px[0] - 128) <= 2 and abs(px[1] - 128) <= 2 and abs(px[2] - 128) <= 2
    still = draw(ctx, [Scene("a", shader)], replace(STATE, dt=0.0))[5, 5]
    assert abs(still[2] - 153) <= 2  # 60 frames a second while no time passes
    # Reading one element leaves the compiler an array of one: it must still be set.
    shader.write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "  c = vec4(iChannelResolution[0].x / 1024.0, iChannelTime[0] / 4.0, 0.0, 1.0);\n}\n"
    )
    px = draw(ctx, [Scene("a", shader)], replace(STATE, time=2.0))[5, 5]
    assert abs(px[0] - 128) <= 2 and abs(px[1] - 128) <= 2


def test_an_effect_whose_last_pass_has_a_target_shows_its_buffer(ctx: Any, tmp_path: Path) -> None:
    """Official filters such as Bloom and Fast Blur end with a TARGET pass."""
    red = tmp_path / "red.glsl"
    red.write_text(FLAT.format("1.0, 0.0, 0.0"))
    blur = tmp_path / "targeted.fs"
    blur.write_text(
        INVERT.replace('"CATEGORIES"', '"PASSES": [{"TARGET": "result"}], "CATEGORIES"')
    )
    px = draw(ctx, [Scene("a", red, effects=(blur,))])[5, 5]
    assert list(px) == [0, 255, 255]
