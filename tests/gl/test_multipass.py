"""Shadertoy multipass backgrounds (Buffer A-D, the Common tab): buffers drawn in order each
frame, then Image; a pass reads an earlier buffer as drawn this frame and itself as drawn the
frame before; iFrame is 0 on the first frame; float buffers keep values above 1; errors name
the buffer's or the common file's line; a saved buffer recompiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.visemes import POSES, Viseme
from livesync.render.images import encode_png
from livesync.render.multipass import ShadertoyMultipass
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.channels import BufferSource, Channel, SceneSource
from livesync.show.scenes import Scene, SceneMix
from livesync.show.show_file import Character, load_show

pytestmark = pytest.mark.gl
SIZE = (16, 16)
# Image: shows iChannel0's red channel divided by `scale`, so float values above 1 show.
SHOW_RED = (
    "void mainImage(out vec4 c, in vec2 p) {{\n"
    "    c = vec4(texelFetch(iChannel0, ivec2(p), 0).r / {scale:.1f}, 0.0, 0.0, 1.0);\n"
    "}}\n"
)
# A buffer that reads itself and adds 0.1 each frame.
ACCUMULATE = (
    "void mainImage(out vec4 c, in vec2 p) {\n"
    "    c = texelFetch(iChannel0, ivec2(p), 0) + vec4(0.1, 0.0, 0.0, 0.0);\n"
    "}\n"
)


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def write(folder: Path, files: dict[str, str]) -> dict[str, Path]:
    out = {}
    for name, text in files.items():
        out[name] = folder / name
        out[name].write_text(text)
    return out


def red(ctx: Any, renderer: Renderer, frames: int, size: tuple[int, int] = SIZE) -> list[int]:
    """The red value (0-255) in the middle of each of `frames` frames."""
    target = OffscreenTarget(ctx, size)
    values = []
    for frame in range(frames):
        target.use()
        state = FrameState(
            frame / 30, 1 / 30, frame, POSES[Viseme.SIL], Viseme.SIL, "", "", scene=SceneMix(0)
        )
        renderer.render(state, size)
        rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(size[1], size[0], 3)
        values.append(int(rgb[size[1] // 2, size[0] // 2, 0]))
    target.release()
    return values


def accumulating(folder: Path) -> Scene:
    """Buffer A adds 0.1 to itself each frame; the Image shows A's red divided by 4."""
    files = write(folder, {"image.glsl": SHOW_RED.format(scale=4), "a.glsl": ACCUMULATE})
    return Scene(
        "s",
        files["image.glsl"],
        character=False,
        buffers={"A": files["a.glsl"]},
        buffer_channels={"A": {"iChannel0": BufferSource("A")}},
        channels={"iChannel0": BufferSource("A")},
    )


def test_a_buffer_reading_itself_accumulates_in_float(ctx: Any, tmp_path: Path) -> None:
    scene = accumulating(tmp_path)
    with Renderer(ctx, (scene,), Character()) as renderer:
        seen = red(ctx, renderer, 20)
    # Frame n shows (n + 1) * 0.1 / 4: the count goes on past 1.0 (a float buffer).
    expected = [round(min(1.0, (n + 1) * 0.1 / 4) * 255) for n in range(20)]
    assert max(abs(a - b) for a, b in zip(seen, expected, strict=True)) <= 2, seen


def test_a_feeds_b_feeds_image_in_the_same_frame(ctx: Any, tmp_path: Path) -> None:
    """A writes iFrame / 10; B copies A; Image shows B: this frame's, not last frame's. C
    reads D (drawn after it): last frame's."""
    files = write(
        tmp_path,
        {
            "image.glsl": (
                "void mainImage(out vec4 c, in vec2 p) {\n"
                "    c = vec4(texelFetch(iChannel0, ivec2(p), 0).r,"
                " texelFetch(iChannel1, ivec2(p), 0).r, 0.0, 1.0);\n"
                "}\n"
            ),
            "a.glsl": "void mainImage(out vec4 c, in vec2 p) { c = vec4(float(iFrame) / 10.0); }",
            "copy.glsl": "void mainImage(out vec4 c, in vec2 p) {"
            " c = texelFetch(iChannel0, ivec2(p), 0); }",
        },
    )
    scene = Scene(
        "s",
        files["image.glsl"],
        character=False,
        buffers={"A": files["a.glsl"], "B": files["copy.glsl"], "C": files["copy.glsl"],
                 "D": files["a.glsl"]},
        buffer_channels={
            "B": {"iChannel0": BufferSource("A")},
            "C": {"iChannel0": BufferSource("D")},
        },
        channels={"iChannel0": BufferSource("B"), "iChannel1": BufferSource("C")},
    )  # fmt: skip
    target = OffscreenTarget(ctx, SIZE)
    with Renderer(ctx, (scene,), Character()) as renderer:
        for frame in range(4):
            target.use()
            state = FrameState(0.0, 0.0, frame, POSES[Viseme.SIL], Viseme.SIL, "", "")
            renderer.render(state, SIZE)
            rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(16, 16, 3)
            r, g = int(rgb[8, 8, 0]), int(rgb[8, 8, 1])
            assert abs(r - frame * 25.5) <= 2, (frame, r)  # this frame's A, through B
            assert abs(g - max(0, frame - 1) * 25.5) <= 2, (frame, g)  # D of the frame before
    target.release()


def test_iframe_is_0_on_the_first_frame_and_after_a_resize(ctx: Any, tmp_path: Path) -> None:
    """A seeds 0.5 on iFrame 0 and keeps it: without the seed it would stay black."""
    files = write(
        tmp_path,
        {
            "image.glsl": SHOW_RED.format(scale=1),
            "a.glsl": (
                "void mainImage(out vec4 c, in vec2 p) {\n"
                "    if (iFrame == 0) { c = vec4(0.5); return; }\n"
                "    c = texelFetch(iChannel0, ivec2(p), 0) * 0.5;\n"
                "}\n"
            ),
        },
    )
    scene = Scene(
        "s",
        files["image.glsl"],
        character=False,
        buffers={"A": files["a.glsl"]},
        buffer_channels={"A": {"iChannel0": BufferSource("A")}},
        channels={"iChannel0": BufferSource("A")},
    )
    with Renderer(ctx, (scene,), Character()) as renderer:
        assert red(ctx, renderer, 3) == pytest.approx([128, 64, 32], abs=2)
        # A new size clears the buffers and starts iFrame again.
        assert red(ctx, renderer, 2, (8, 8)) == pytest.approx([128, 64], abs=2)


def test_common_code_is_shared_and_errors_name_their_file(ctx: Any, tmp_path: Path) -> None:
    files = write(
        tmp_path,
        {
            "common.glsl": "// shared\nfloat level() { return 0.25; }\n",
            "image.glsl": (
                "void mainImage(out vec4 c, in vec2 p) {\n"
                "    c = vec4(texelFetch(iChannel0, ivec2(p), 0).r + level(), 0.0, 0.0, 1.0);\n"
                "}\n"
            ),
            "a.glsl": "void mainImage(out vec4 c, in vec2 p) { c = vec4(level()); }\n",
            "bad.glsl": "void mainImage(out vec4 c, in vec2 p) {\n    c = vec4(nope);\n}\n",
            "bad_common.glsl": "float level() { return 0.25; }\nfloat broken() { return x; }\n",
        },
    )
    scene = Scene(
        "s",
        files["image.glsl"],
        character=False,
        common=files["common.glsl"],
        buffers={"A": files["a.glsl"]},
        channels={"iChannel0": BufferSource("A")},
    )
    with Renderer(ctx, (scene,), Character()) as renderer:
        assert red(ctx, renderer, 1) == pytest.approx([128], abs=2)  # 0.25 + 0.25
    with pytest.raises(InputError, match=r"bad\.glsl:2: .*nope"):
        ShadertoyMultipass(ctx, Scene("s", files["image.glsl"], buffers={"A": files["bad.glsl"]},
                                      common=files["common.glsl"]))  # fmt: skip
    with pytest.raises(InputError, match=r"bad_common\.glsl:2: .*x"):
        ShadertoyMultipass(ctx, Scene("s", files["image.glsl"], common=files["bad_common.glsl"]))


def test_a_saved_buffer_recompiles_and_a_broken_one_keeps_the_last(
    ctx: Any, tmp_path: Path
) -> None:
    files = write(
        tmp_path,
        {
            "image.glsl": SHOW_RED.format(scale=1),
            "a.glsl": "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.2); }\n",
        },
    )
    scene = Scene(
        "s",
        files["image.glsl"],
        character=False,
        buffers={"A": files["a.glsl"]},
        channels={"iChannel0": BufferSource("A")},
    )
    with Renderer(ctx, (scene,), Character()) as renderer:
        assert red(ctx, renderer, 1) == pytest.approx([51], abs=2)
        files["a.glsl"].write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(0.6); }\n")
        assert renderer.reload(files["a.glsl"])
        assert red(ctx, renderer, 1) == pytest.approx([153], abs=2)
        files["a.glsl"].write_text("void mainImage(out vec4 c, in vec2 p) { c = oops; }\n")
        with pytest.raises(InputError, match=r"a\.glsl:1"):
            renderer.reload(files["a.glsl"])
        assert red(ctx, renderer, 1) == pytest.approx([153], abs=2)


def test_a_show_file_with_buffers_draws_them(ctx: Any, tmp_path: Path) -> None:
    """The show-file syntax end to end: `buffers`, `buffer_channels` ("A" for a buffer,
    a picture file next to it) and the Image tab's `channels`."""
    write(tmp_path, {"image.glsl": SHOW_RED.format(scale=4), "a.glsl": ACCUMULATE})
    show = tmp_path / "show.toml"
    show.write_text(
        '[track]\naudio = "a.wav"\ntimeline = "a.json"\n'
        '[[scenes]]\nname = "trail"\nbackground = "image.glsl"\ncharacter = false\n'
        'buffers = { A = "a.glsl" }\n'
        'buffer_channels = { A = { iChannel0 = "A" } }\n'
        'channels = { iChannel0 = { buffer = "A" } }\n'
    )
    scenes = load_show(show).scenes
    with Renderer(ctx, scenes, Character()) as renderer:
        seen = red(ctx, renderer, 5)
    assert seen == pytest.approx([round((n + 1) * 0.1 / 4 * 255) for n in range(5)], abs=2)


def test_buffers_are_at_the_drawn_size_and_advance_once_a_frame(ctx: Any, tmp_path: Path) -> None:
    """Under a render scale the buffers are the small picture's size; a scene that is shown
    and read by another scene in the same frame advances its buffers once."""
    files = write(tmp_path, {"image.glsl": SHOW_RED.format(scale=4), "a.glsl": ACCUMULATE})
    trail = Scene(
        "trail",
        files["image.glsl"],
        character=False,
        render_scale=0.5,
        buffers={"A": files["a.glsl"]},
        buffer_channels={"A": {"iChannel0": BufferSource("A")}},
        channels={"iChannel0": BufferSource("A")},
    )
    reader = tmp_path / "reader.glsl"
    reader.write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = texture(iChannel1, p / iResolution.xy); }"
    )
    mirror = Scene("mirror", reader, character=False, channels={"iChannel1": SceneSource("trail")})
    target = OffscreenTarget(ctx, SIZE)
    with Renderer(ctx, (trail, mirror), Character()) as renderer:
        for frame in range(3):
            target.use()
            # Half way from trail to mirror: trail is drawn as itself and for mirror's channel.
            mix = SceneMix(1, 0, 0.5)
            state = FrameState(0.0, 0.0, frame, POSES[Viseme.SIL], Viseme.SIL, "", "", scene=mix)
            renderer.render(state, SIZE, auto_scale=1.0)
        multipass = renderer.backgrounds[0]
        assert isinstance(multipass, ShadertoyMultipass)
        assert multipass.buffer("A").size == (8, 8)
        assert multipass.frame == 2
        rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(16, 16, 3)
        assert abs(int(rgb[8, 8, 0]) - round(0.3 / 4 * 255)) <= 2  # three frames of 0.1
    target.release()


def test_a_buffer_reads_a_picture_and_a_show_reload_rebuilds(ctx: Any, tmp_path: Path) -> None:
    """A buffer's own channel table feeds it a picture file; a renderer built for a
    reloaded show (reuse) builds the multipass anew, and the old one's release leaves it."""
    files = write(
        tmp_path,
        {
            "image.glsl": SHOW_RED.format(scale=1),
            "a.glsl": "void mainImage(out vec4 c, in vec2 p) {"
            " c = texture(iChannel1, vec2(0.5)); }",
        },
    )
    picture = tmp_path / "red.png"
    picture.write_bytes(encode_png(2, 2, bytes([200, 0, 0] * 4)))
    scene = Scene(
        "s",
        files["image.glsl"],
        character=False,
        buffers={"A": files["a.glsl"]},
        buffer_channels={"A": {"iChannel1": Channel(picture)}},
        channels={"iChannel0": BufferSource("A")},
    )
    old = Renderer(ctx, (scene,), Character())
    assert red(ctx, old, 1) == pytest.approx([200], abs=2)
    new = Renderer(ctx, (scene,), Character(), reuse=old)
    new.take_over(old)
    assert new.backgrounds[0] is not old.backgrounds[0]
    assert red(ctx, new, 2) == pytest.approx([200, 200], abs=2)
    new.release()
