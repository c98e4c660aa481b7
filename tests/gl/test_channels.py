"""Pictures a scene gives its shaders' image inputs (`channels`): a Shadertoy shader reads
them as iChannel0-3 with Shadertoy's sampler settings (filter, wrap, vflip), an ISF file by
its input's name; they are uploaded with the renderer, borrowed by a reloaded show when
unchanged, and a picture that cannot be read is one error naming its key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.visemes import POSES, Viseme
from livesync.render.images import encode_png
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.channels import Channel, CharacterSource, SceneSource
from livesync.show.scenes import Scene, SceneMix
from livesync.show.show_file import Character, load_show

pytestmark = pytest.mark.gl
SIZE = (32, 32)
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
# A Shadertoy shader that shows iChannel1 over the screen `REPEAT` times.
SHOW_CHANNEL = (
    "void mainImage(out vec4 c, in vec2 p) {{\n"
    "    c = vec4(texture(iChannel{n}, p / iResolution.xy * {scale}).rgb, 1.0);\n"
    "}}\n"
)


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def png(path: Path, rows_top_down: list[list[tuple[int, int, int]]]) -> Path:
    pixels = np.array(rows_top_down, np.uint8)
    path.write_bytes(encode_png(pixels.shape[1], pixels.shape[0], pixels.tobytes()))
    return path


def quadrants(path: Path, side: int = 8) -> Path:
    """Red top left, green top right, blue bottom left, white bottom right (as seen)."""
    half = side // 2
    rows = [
        [(RED if x < half else GREEN) if y < half else (BLUE if x < half else WHITE)
         for x in range(side)]
        for y in range(side)
    ]  # fmt: skip
    return png(path, rows)


def draw(ctx: Any, renderer: Renderer, size: tuple[int, int] = SIZE, scene: int = 0) -> Any:
    """Top-down RGB ints of one frame."""
    target = OffscreenTarget(ctx, size)
    target.use()
    state = FrameState(1.0, 0.0, 0, POSES[Viseme.SIL], Viseme.SIL, "", "", scene=SceneMix(scene))
    renderer.render(state, size)
    rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(size[1], size[0], 3).astype(int)
    target.release()
    return rgb


def scene_with(tmp_path: Path, channel: Channel, n: int = 1, scale: float = 1.0) -> Scene:
    shader = tmp_path / f"show{n}.glsl"
    shader.write_text(SHOW_CHANNEL.format(n=n, scale=f"{scale:.1f}"))
    return Scene("s", shader, character=False, channels={f"iChannel{n}": channel})


def corners(rgb: Any) -> list[tuple[int, ...]]:
    """Colours at the middle of each quarter of the frame: top left, top right, bottom left,
    bottom right."""
    h, w = rgb.shape[:2]
    return [tuple(rgb[y, x]) for y in (h // 4, 3 * h // 4) for x in (w // 4, 3 * w // 4)]


def test_a_shadertoy_shader_shows_iChannel1_upright(ctx: Any, tmp_path: Path) -> None:
    picture = quadrants(tmp_path / "quad.png")
    scene = scene_with(tmp_path, Channel(picture, "nearest"))
    with Renderer(ctx, (scene,), Character()) as renderer:
        assert corners(draw(ctx, renderer)) == [RED, GREEN, BLUE, WHITE]


def test_vflip_false_stores_the_picture_top_row_first(ctx: Any, tmp_path: Path) -> None:
    """Shadertoy's vflip off: the picture's first row at t = 0, so it shows upside down."""
    picture = quadrants(tmp_path / "quad.png")
    scene = scene_with(tmp_path, Channel(picture, "nearest", vflip=False))
    with Renderer(ctx, (scene,), Character()) as renderer:
        assert corners(draw(ctx, renderer)) == [BLUE, WHITE, RED, GREEN]


def test_wrap_repeats_or_clamps(ctx: Any, tmp_path: Path) -> None:
    picture = quadrants(tmp_path / "quad.png")
    # The picture over twice the screen: repeat shows it 2x2, clamp stretches its edges.
    repeat = scene_with(tmp_path, Channel(picture, "nearest", "repeat"), scale=2.0)
    clamp = scene_with(tmp_path, Channel(picture, "nearest", "clamp"), n=2, scale=2.0)
    with Renderer(ctx, (repeat, clamp), Character()) as renderer:
        tiled = draw(ctx, renderer, (64, 64))
        # Each quarter of the screen is a whole copy.
        assert corners(tiled[:32, :32]) == [RED, GREEN, BLUE, WHITE]
        assert corners(tiled[32:, 32:]) == [RED, GREEN, BLUE, WHITE]
        clamped = draw(ctx, renderer, (64, 64), scene=1)
        # Only the bottom-left quarter holds the picture; beyond it its edges repeat.
        assert tuple(clamped[40, 8]) == RED and tuple(clamped[56, 24]) == WHITE
        assert tuple(clamped[8, 56]) == GREEN and tuple(clamped[56, 56]) == WHITE


def test_filter_nearest_linear_and_mipmap(ctx: Any, tmp_path: Path) -> None:
    """A 2x1 black-white picture stretched over the screen: nearest keeps the halves hard,
    linear blends them; a fine checker shrunk to a few pixels: mipmap averages it to grey,
    nearest picks single texels."""
    pair = png(tmp_path / "pair.png", [[(0, 0, 0), (255, 255, 255)]])
    scenes = [
        scene_with(tmp_path, Channel(pair, f, "clamp"), n=i)
        for i, f in enumerate(("nearest", "linear"))
    ]
    checker = png(
        tmp_path / "checker.png",
        [[WHITE if (x + y) % 2 else (0, 0, 0) for x in range(64)] for y in range(64)],
    )
    scenes += [
        scene_with(tmp_path, Channel(checker, f), n=2 + i)
        for i, f in enumerate(("mipmap", "nearest"))
    ]
    with Renderer(ctx, scenes, Character()) as renderer:
        nearest, linear = (draw(ctx, renderer, (32, 4), scene=i)[2, :, 0] for i in (0, 1))
        assert set(nearest.tolist()) == {0, 255}
        assert 100 < linear[16] < 155 and linear[10] < linear[16] < linear[22]
        mipmap = draw(ctx, renderer, (4, 4), scene=2)
        assert np.abs(mipmap - 128).max() < 10
        point = draw(ctx, renderer, (4, 4), scene=3)
        assert set(point.ravel().tolist()) <= {0, 255}


def test_a_picture_given_to_iChannel0_wins_over_the_song(ctx: Any, tmp_path: Path) -> None:
    picture = quadrants(tmp_path / "quad.png", side=16)
    shader = tmp_path / "res.glsl"
    shader.write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "    vec3 pic = texture(iChannel0, p / iResolution.xy).rgb;\n"
        "    vec3 size = iChannelResolution[0] / 255.0;\n"
        "    c = vec4(pic.r, size.xy, 1);\n"
        "}\n"
    )
    scene = Scene("s", shader, character=False, channels={"iChannel0": Channel(picture, "nearest")})
    with Renderer(ctx, (scene,), Character()) as renderer:
        rgb = draw(ctx, renderer)
        assert tuple(rgb[4, 4]) == (255, 16, 16)  # red, 16x16 (the song's is 512x2)


ISF_PICTURE = """/*{
  "ISFVSN": "2",
  "INPUTS": [{"NAME": "pattern", "TYPE": "image"}, {"NAME": "unused", "TYPE": "image"}]
}*/
void main() {
    gl_FragColor = vec4(IMG_NORM_PIXEL(pattern, isf_FragNormCoord).rgb, 1.0);
}
"""
ISF_EFFECT = """/*{
  "ISFVSN": "2",
  "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "mask", "TYPE": "image"}]
}*/
void main() {
    gl_FragColor = IMG_THIS_NORM_PIXEL(inputImage) * IMG_NORM_PIXEL(mask, isf_FragNormCoord);
}
"""


def test_an_isf_image_input_by_name_in_backgrounds_and_effects(ctx: Any, tmp_path: Path) -> None:
    picture = quadrants(tmp_path / "quad.png")
    mask = png(tmp_path / "mask.png", [[WHITE, (0, 0, 0)]])  # keeps the left half
    (tmp_path / "pattern.fs").write_text(ISF_PICTURE)
    (tmp_path / "mask.fs").write_text(ISF_EFFECT)
    channels = {
        "pattern": Channel(picture, "nearest", "clamp"),
        "mask": Channel(mask, "nearest", "clamp"),
    }
    bare = Scene("bare", tmp_path / "pattern.fs", character=False, channels=channels)
    masked = Scene(
        "masked",
        tmp_path / "pattern.fs",
        character=False,
        effects=(tmp_path / "mask.fs",),
        channels=channels,
    )
    with Renderer(ctx, (bare, masked), Character()) as renderer:
        assert corners(draw(ctx, renderer)) == [RED, GREEN, BLUE, WHITE]
        assert corners(draw(ctx, renderer, scene=1)) == [RED, (0, 0, 0), BLUE, (0, 0, 0)]


def test_from_a_show_file(ctx: Any, tmp_path: Path) -> None:
    (tmp_path / "textures").mkdir()
    quadrants(tmp_path / "textures" / "quad.png")
    (tmp_path / "mine.glsl").write_text(SHOW_CHANNEL.format(n=2, scale="1.0"))
    path = tmp_path / "show.toml"
    path.write_text(
        '[track]\naudio = "a.wav"\ntimeline = "a.json"\n[[scenes]]\nname = "verse"\n'
        'background = "mine.glsl"\ncharacter = false\n'
        'channels = { iChannel2 = { file = "textures/quad.png", filter = "nearest" } }\n'
    )
    show = load_show(path)
    with Renderer(ctx, show.scenes, Character()) as renderer:
        assert corners(draw(ctx, renderer)) == [RED, GREEN, BLUE, WHITE]


def test_a_picture_that_cannot_be_read_is_one_error_naming_the_key(
    ctx: Any, tmp_path: Path
) -> None:
    show = tmp_path / "show.toml"
    missing = Channel(tmp_path / "nope.png", where="scenes[0].channels.iChannel1", show=show)
    with pytest.raises(InputError) as err:
        Renderer(ctx, (scene_with(tmp_path, missing),), Character())
    assert str(err.value) == (
        f"{show}: scenes[0].channels.iChannel1: image file not found ({tmp_path / 'nope.png'})"
    )
    (tmp_path / "bad.png").write_bytes(b"not a picture")
    broken = Channel(tmp_path / "bad.png", where="scenes[0].channels.luma", show=show)
    with pytest.raises(InputError, match=r"show.toml: scenes\[0\].channels.luma: cannot read"):
        Renderer(ctx, (scene_with(tmp_path, broken),), Character())


def test_a_reloaded_show_borrows_unchanged_pictures(ctx: Any, tmp_path: Path) -> None:
    picture = quadrants(tmp_path / "quad.png")
    scene = scene_with(tmp_path, Channel(picture, "nearest"))
    first = Renderer(ctx, (scene,), Character())
    second = Renderer(ctx, (scene,), Character(), reuse=first)
    texture = first.channels.scenes[0]["iChannel1"]
    assert second.channels.scenes[0]["iChannel1"] is texture
    second.take_over(first)  # releases `first`, but not the texture `second` now owns
    assert corners(draw(ctx, second)) == [RED, GREEN, BLUE, WHITE]
    # The picture saved again (a new time): the next reload reads it anew.
    png(picture, [[BLUE] * 8] * 8)
    info = os.stat(picture)
    os.utime(picture, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    third = Renderer(ctx, (scene,), Character(), reuse=second)
    assert third.channels.scenes[0]["iChannel1"] is not texture
    third.take_over(second)
    assert corners(draw(ctx, third)) == [BLUE] * 4
    # Other settings are another texture; a build that is never taken over releases only
    # its own, so the running show keeps drawing.
    other = Renderer(
        ctx, (scene_with(tmp_path, Channel(picture, "linear")),), Character(), reuse=third
    )
    assert other.channels.scenes[0]["iChannel1"] is not third.channels.scenes[0]["iChannel1"]
    same = Renderer(ctx, (scene,), Character(), reuse=third)
    same.release()
    assert corners(draw(ctx, third)) == [BLUE] * 4
    other.release()
    third.release()


def test_a_transition_reads_the_incoming_scene_s_pictures(ctx: Any, tmp_path: Path) -> None:
    """Luma-style: a transition's own image input comes from the scene changed to."""
    (tmp_path / "luma.fs").write_text(
        '/*{"ISFVSN": "2", "INPUTS": [{"NAME": "startImage", "TYPE": "image"},'
        '{"NAME": "endImage", "TYPE": "image"}, {"NAME": "progress", "TYPE": "float"},'
        '{"NAME": "shape", "TYPE": "image"}]}*/\n'
        "void main() {\n"
        "    float edge = IMG_NORM_PIXEL(shape, isf_FragNormCoord).r;\n"
        "    gl_FragColor = edge < progress ? IMG_THIS_NORM_PIXEL(endImage)"
        " : IMG_THIS_NORM_PIXEL(startImage);\n"
        "}\n"
    )
    flat = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"
    (tmp_path / "red.glsl").write_text(flat.format("1.0, 0.0, 0.0"))
    (tmp_path / "blue.glsl").write_text(flat.format("0.0, 0.0, 1.0"))
    shape = png(tmp_path / "shape.png", [[(0, 0, 0), (255, 255, 255)]])  # left goes first
    scenes = (
        Scene("red", tmp_path / "red.glsl", character=False),
        Scene(
            "blue",
            tmp_path / "blue.glsl",
            character=False,
            transition=tmp_path / "luma.fs",
            channels={"shape": Channel(shape, "nearest", "clamp")},
        ),
    )
    with Renderer(ctx, scenes, Character(), transitions=(tmp_path / "luma.fs",)) as renderer:
        target = OffscreenTarget(ctx, SIZE)
        target.use()
        state = FrameState(
            1.0, 0.0, 0, POSES[Viseme.SIL], Viseme.SIL, "", "", scene=SceneMix(1, 0, 0.5)
        )
        renderer.render(state, SIZE)
        rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3)
        target.release()
        assert tuple(rgb[16, 4]) == BLUE and tuple(rgb[16, 28]) == RED


HALF_OF = (
    "void mainImage(out vec4 c, in vec2 p) {\n"
    "    c = vec4(texture(iChannel1, p / iResolution.xy).rgb * 0.5, 1.0);\n"
    "}\n"
)


def test_another_scene_s_picture_drawn_every_frame(ctx: Any, tmp_path: Path) -> None:
    """`{ scene = "red" }`: the scene's whole picture of this frame, read as a buffer; a
    scene can read one that reads another."""
    (tmp_path / "red.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = vec4(1.0, p.x / iResolution.x, 0, 1); }\n"
    )
    (tmp_path / "half.glsl").write_text(HALF_OF)
    scenes = (
        Scene("red", tmp_path / "red.glsl", character=False),
        Scene("half", tmp_path / "half.glsl", False, channels={"iChannel1": SceneSource("red")}),
        Scene(
            "quarter", tmp_path / "half.glsl", False, channels={"iChannel1": SceneSource("half")}
        ),
    )
    with Renderer(ctx, scenes, Character()) as renderer:
        red = draw(ctx, renderer)
        assert np.abs(draw(ctx, renderer, scene=1) - red * 0.5).max() <= 1
        assert np.abs(draw(ctx, renderer, scene=2) - red * 0.25).max() <= 2


def test_a_scene_reading_its_own_picture_is_refused(ctx: Any, tmp_path: Path) -> None:
    (tmp_path / "half.glsl").write_text(HALF_OF)
    loop = Scene("a", tmp_path / "half.glsl", False, channels={"iChannel1": SceneSource("a")})
    with pytest.raises(InputError, match="would read this scene's own picture"):
        Renderer(ctx, (loop,), Character())


def test_the_character_alone_as_a_channel(ctx: Any, tmp_path: Path) -> None:
    """`{ character = true }`: the character on transparent black, so its alpha is a mask."""
    (tmp_path / "alpha.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "    c = vec4(vec3(texture(iChannel1, p / iResolution.xy).a), 1.0);\n"
        "}\n"
    )
    scene = Scene("mask", tmp_path / "alpha.glsl", False, channels={"iChannel1": CharacterSource()})
    character = Character(mouth=(0.5, 0.5), mouth_width=0.5)
    with Renderer(ctx, (scene,), character) as renderer:
        rgb = draw(ctx, renderer, (64, 64))
        assert rgb[32, 32, 0] > 200  # the mouth, in the middle
        assert rgb[2, 2, 0] == 0 and rgb[60, 60, 0] == 0  # nothing around it
