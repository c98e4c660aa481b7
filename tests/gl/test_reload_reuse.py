"""A reloaded show keeps the running show's GL parts whose settings and files are unchanged
(livesync.render.reuse), so saving the show file does not stall the picture; a changed file
is rebuilt, and a build that fails leaves the running show whole."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.lipsync.visemes import Viseme
from livesync.render.renderer import Renderer, create_headless_context
from livesync.show.scenes import Scene
from tests.gl.test_sprite_mouth import RHUBARB_TABLE, colour_sheet, draw, sprite_character, state

pytestmark = pytest.mark.gl
FLAT = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def shader(path: Path, rgb: str) -> Path:
    path.write_text(FLAT.format(rgb))
    return path


def touch(path: Path) -> None:
    """A save that changes nothing but the file's time, as an editor's save does."""
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


def build(ctx: Any, tmp_path: Path, reuse: Renderer | None = None) -> Renderer:
    character = sprite_character(tmp_path, RHUBARB_TABLE)
    scenes = (
        Scene("a", tmp_path / "red.glsl", effects=(tmp_path / "dim.fs",)),
        Scene("b", tmp_path / "green.glsl"),
    )
    return Renderer(ctx, scenes, character, reuse=reuse)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    colour_sheet(tmp_path)
    shader(tmp_path / "red.glsl", "0.8, 0.0, 0.0")
    shader(tmp_path / "green.glsl", "0.0, 0.8, 0.0")
    (tmp_path / "dim.fs").write_text(
        '/*{"ISFVSN": "2", "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
        "void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * 0.5; }\n"
    )
    return tmp_path


def test_an_unchanged_show_is_carried_over_and_still_draws(ctx: Any, folder: Path) -> None:
    old = build(ctx, folder)
    before = draw(ctx, old, state(Viseme.AA))
    new = build(ctx, folder, reuse=old)
    assert new.backgrounds[0] is old.backgrounds[0] and new.effects[0][0] is old.effects[0][0]
    assert new.character_layer is old.character_layer
    new.take_over(old)  # releases the rest of the old renderer
    after = draw(ctx, new, state(Viseme.AA))
    np.testing.assert_array_equal(after, before)
    assert before.max() > 0
    new.release()


def test_a_saved_shader_or_picture_is_built_again(ctx: Any, folder: Path) -> None:
    old = build(ctx, folder)
    touch(folder / "green.glsl")
    touch(folder / "sheet.png")
    new = build(ctx, folder, reuse=old)
    assert new.backgrounds[0] is old.backgrounds[0]
    assert new.backgrounds[1] is not old.backgrounds[1]
    assert new.character_layer is not old.character_layer
    new.take_over(old)
    assert draw(ctx, new, state(Viseme.AA)).max() > 0
    new.release()


def test_two_scenes_on_one_shader_each_keep_their_own_layer(ctx: Any, folder: Path) -> None:
    character = sprite_character(folder, RHUBARB_TABLE)
    scenes = (Scene("a", folder / "red.glsl"), Scene("b", folder / "red.glsl"))
    old = Renderer(ctx, scenes, character)
    new = Renderer(ctx, scenes, character, reuse=old)
    assert {id(layer) for layer in new.backgrounds} == {id(layer) for layer in old.backgrounds}
    assert new.backgrounds[0] is not new.backgrounds[1]
    new.take_over(old)
    new.release()


def test_a_build_that_fails_after_borrowing_leaves_the_running_show_whole(
    ctx: Any, folder: Path
) -> None:
    old = build(ctx, folder)
    before = draw(ctx, old, state(Viseme.AA))
    shader(folder / "green.glsl", "this is not GLSL")
    with pytest.raises(InputError):
        build(ctx, folder, reuse=old)  # borrowed red.glsl's layer, then failed on green
    np.testing.assert_array_equal(draw(ctx, old, state(Viseme.AA)), before)
    old.release()


def test_a_renderer_never_taken_over_frees_only_what_it_built(ctx: Any, folder: Path) -> None:
    """A reload that fails after the renderer is built (the song, the live state) releases
    the new renderer; what it borrowed still belongs to the running show."""
    old = build(ctx, folder)
    before = draw(ctx, old, state(Viseme.AA))
    touch(folder / "green.glsl")
    build(ctx, folder, reuse=old).release()
    np.testing.assert_array_equal(draw(ctx, old, state(Viseme.AA)), before)
    old.release()


def test_a_saved_channel_picture_reloads_the_show(ctx: Any, tmp_path: Path) -> None:
    """A picture a scene's channels read is watched like the show's files: saving it
    rebuilds the show, and only that picture's texture is new."""
    from livesync.app.reload import LiveShow, Reloader
    from livesync.frame.performance import Performance
    from livesync.lipsync.timeline import Timeline
    from livesync.show.show_file import load_show
    from tests.gl.test_sprite_mouth import png

    png(tmp_path / "tex.png", np.full((4, 4, 4), (200, 0, 0, 255), np.uint8))
    (tmp_path / "bg.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = texture(iChannel1, p / iResolution.xy); }\n"
    )
    show_file = tmp_path / "show.toml"
    show_file.write_text(
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        '[[scenes]]\nname = "main"\nbackground = "bg.glsl"\ncharacter = false\n'
        'channels = { iChannel1 = "tex.png" }\n'
    )
    show = load_show(show_file)
    renderer = Renderer(ctx, show.scenes, show.character)
    live = LiveShow(show, renderer, Performance(Timeline((), (), 10.0), None))
    reloader = Reloader(live)
    assert draw(ctx, live.renderer, state(Viseme.SIL))[0, 0].tolist() == [200, 0, 0]
    png(tmp_path / "tex.png", np.full((4, 4, 4), (0, 0, 200, 255), np.uint8))
    touch(tmp_path / "tex.png")
    reloader.poll(100.0)
    assert live.renderer is not renderer  # the show was rebuilt...
    assert live.renderer.backgrounds[0] is renderer.backgrounds[0]  # ...keeping its shader
    assert draw(ctx, live.renderer, state(Viseme.SIL))[0, 0].tolist() == [0, 0, 200]
    live.renderer.release()
