"""A renderer built a piece at a time (livesync.render.in_steps) and a scene warmed a layer a
step (Renderer.warm_steps): what a set list does between the interlude's frames, so no frame
waits for a whole song's shaders."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from moderngl import InvalidObject

from livesync.app.song_preload import Preload
from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.visemes import POSES, Viseme
from livesync.render.renderer import WARM_SIZE, OffscreenTarget, Renderer, create_headless_context
from livesync.show.scenes import Scene
from livesync.show.set_list import SongEntry
from livesync.show.show_file import Character
from tests.e2e.test_set_list import song
from tests.gl.test_multipass import accumulating, red
from tests.gl.test_reload_reuse import shader
from tests.gl.test_sprite_mouth import RHUBARB_TABLE, colour_sheet, draw, sprite_character, state

pytestmark = pytest.mark.gl
DIM = (
    '/*{"ISFVSN": "2", "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
    "void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * 0.5; }\n"
)


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


@pytest.fixture
def scenes(tmp_path: Path) -> tuple[Scene, ...]:
    colour_sheet(tmp_path)
    (tmp_path / "dim.fs").write_text(DIM)
    return (
        Scene("a", shader(tmp_path / "red.glsl", "0.8, 0.0, 0.0"), effects=(tmp_path / "dim.fs",)),
        Scene("b", shader(tmp_path / "green.glsl", "0.0, 0.8, 0.0")),
    )


def test_a_renderer_built_in_steps_draws_what_one_built_at_once(
    ctx: Any, tmp_path: Path, scenes: tuple[Scene, ...]
) -> None:
    character = sprite_character(tmp_path, RHUBARB_TABLE)
    whole = Renderer(ctx, scenes, character)
    expected = draw(ctx, whole, state(Viseme.AA))
    whole.release()
    build = Renderer.in_steps(ctx, scenes, character)
    steps = 1
    while not build.step():
        assert build.renderer is None
        steps += 1
    # Transitions, channels, two backgrounds, the effect, the vector mouth, the drawings.
    assert build.pieces >= 7 and steps == build.pieces + 1
    assert build.renderer is not None
    np.testing.assert_array_equal(draw(ctx, build.renderer, state(Viseme.AA)), expected)
    assert expected.max() > 0
    build.renderer.release()


def test_a_build_stopped_halfway_releases_what_it_made(
    ctx: Any, tmp_path: Path, scenes: tuple[Scene, ...]
) -> None:
    build = Renderer.in_steps(ctx, scenes, sprite_character(tmp_path, RHUBARB_TABLE))
    made = build._renderer  # the renderer being built, to look at its parts
    build.step()
    while len(made.backgrounds) < 2:
        build.step()
    programs = [cast(Any, layer).program for layer in made.backgrounds]
    assert not any(isinstance(p.mglo, InvalidObject) for p in programs)
    build.cancel()
    assert all(isinstance(p.mglo, InvalidObject) for p in programs)
    assert build.renderer is None and build.step() is False  # nothing more to build


def test_a_shader_that_does_not_compile_fails_its_step(ctx: Any, tmp_path: Path) -> None:
    good = shader(tmp_path / "red.glsl", "0.8, 0.0, 0.0")
    bad = tmp_path / "bad.glsl"
    bad.write_text("void mainImage(out vec4 c, in vec2 p) { c = nope; }\n")
    build = Renderer.in_steps(ctx, (Scene("a", good), Scene("b", bad)), Character())
    made = build._renderer
    with pytest.raises(InputError, match=r"bad\.glsl"):
        while not build.step():
            pass
    assert isinstance(
        cast(Any, made.backgrounds[0]).program.mglo, InvalidObject
    )  # released on failure
    assert build.renderer is None


def test_warming_draws_in_a_corner_and_changes_no_frame(
    ctx: Any, tmp_path: Path, scenes: tuple[Scene, ...]
) -> None:
    character = sprite_character(tmp_path, RHUBARB_TABLE)
    size = (64, 48)
    cold = Renderer(ctx, scenes, character)
    expected = draw(ctx, cold, state(Viseme.AA), size)
    cold.release()
    warmed = Renderer(ctx, scenes, character)
    screen = OffscreenTarget(ctx, size)
    screen.fbo.clear(0.0, 0.0, 1.0, 1.0)
    steps = sum(1 for _ in warmed.warm_steps(state(Viseme.AA), screen.fbo))
    assert steps == 3  # background, character, effect
    seen = np.frombuffer(screen.read_rgb(), np.uint8).reshape(size[1], size[0], 3)
    w, h = WARM_SIZE
    corner = seen[size[1] - h :, :w]  # GL's bottom left, read top-down
    rest = seen.copy()
    rest[size[1] - h :, :w] = (0, 0, 255)
    assert (rest == (0, 0, 255)).all()  # nothing outside the corner
    assert (corner != (0, 0, 255)).any(axis=-1).all()  # the scene's last pass went there
    screen.release()
    np.testing.assert_array_equal(draw(ctx, warmed, state(Viseme.AA), size), expected)
    warmed.release()


def test_warming_leaves_a_feedback_shader_at_its_first_frame(ctx: Any, tmp_path: Path) -> None:
    with Renderer(ctx, (accumulating(tmp_path),), Character()) as renderer:
        first = FrameState(0.0, 0.0, 0, POSES[Viseme.SIL], Viseme.SIL, "", "")
        screen = OffscreenTarget(ctx, (32, 32))
        assert sum(1 for _ in renderer.warm_steps(first, screen.fbo)) == 0
        screen.release()
        assert red(ctx, renderer, 3) == pytest.approx([6, 13, 19], abs=2)  # 0.1, 0.2, 0.3 / 4


def loaded(tmp_path: Path, background: str) -> Preload:
    song(tmp_path, "one", 1.0, background)
    preload = Preload(0, SongEntry("one", tmp_path / "one" / "show.toml"), lambda s: s, True)
    deadline = time.monotonic() + 60
    while not preload.done:
        assert time.monotonic() < deadline, "the song did not load in 60 s"
        time.sleep(0.02)
    assert preload.result is not None and not preload.ready  # loaded, not built
    return preload


def test_a_set_lists_next_song_is_built_a_piece_a_call(ctx: Any, tmp_path: Path) -> None:
    preload = loaded(tmp_path, "backgrounds/plasma.glsl")
    screen = OffscreenTarget(ctx, (64, 36))
    calls = 0
    while not preload.ready:
        preload.build_step(ctx, screen.fbo)
        calls += 1
        assert calls < 50
    assert calls >= 4 and preload.result is not None and preload.result.renderer is not None
    for _ in range(5):  # then its first scene is warmed; taking it stops that
        preload.build_step(ctx, screen.fbo)
    preload.stop_warming()
    preload.result.renderer.release()
    screen.release()


def test_a_song_whose_shader_does_not_compile_is_reported_not_played(
    ctx: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.glsl"
    bad.write_text("void mainImage(out vec4 c, in vec2 p) { c = nope; }\n")
    preload = loaded(tmp_path, str(bad))
    for _ in range(50):
        preload.build_step(ctx)
        if preload.ready:
            break
    assert preload.ready and preload.result is None
    assert preload.failed is not None and "bad.glsl" in preload.failed
