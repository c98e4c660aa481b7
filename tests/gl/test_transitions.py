"""Scene changes through ISF transitions: named by a cue or by the scene changed to, drawn
between the two scenes' pictures as the fade runs, compiled with the show, reloaded when
saved; anything else is the plain crossfade."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.visemes import POSES, Viseme
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.resources import shader_path
from livesync.show.scenes import CueSheet, Scene, SceneCue, SceneMix
from livesync.show.show_file import Character, load_show

pytestmark = pytest.mark.gl
SIZE = (32, 16)
FLAT = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"
WIPE = shader_path("transitions/wipe.fs")


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


@pytest.fixture
def scenes(tmp_path: Path) -> tuple[Scene, ...]:
    for name, rgb in (("red", "1.0, 0.0, 0.0"), ("blue", "0.0, 0.0, 1.0")):
        (tmp_path / f"{name}.glsl").write_text(FLAT.format(rgb))
    return (
        Scene("red", tmp_path / "red.glsl", character=False),
        Scene("blue", tmp_path / "blue.glsl", character=False),
    )


def draw(ctx: Any, renderer: Renderer, mix: SceneMix) -> np.ndarray:
    """Top-down RGB ints of the frame with this scene mix."""
    target = OffscreenTarget(ctx, SIZE)
    target.use()
    state = FrameState(1.0, 0.0, 0, POSES[Viseme.SIL], Viseme.SIL, "", "", scene=mix)
    renderer.render(state, SIZE)
    rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3).astype(int)
    target.release()
    return rgb


def test_a_cue_s_transition_is_drawn_between_the_scenes(
    ctx: Any, scenes: tuple[Scene, ...]
) -> None:
    with Renderer(ctx, scenes, Character(), transitions=(WIPE,)) as renderer:
        half = draw(ctx, renderer, SceneMix(1, 0, 0.5, WIPE))
        # The wipe goes left to right: the incoming blue on the left, the red still right.
        assert half[:, :6].mean(axis=(0, 1)).tolist() == pytest.approx([0, 0, 255], abs=2)
        assert half[:, -6:].mean(axis=(0, 1)).tolist() == pytest.approx([255, 0, 0], abs=2)
        start = draw(ctx, renderer, SceneMix(1, 0, 0.0, WIPE))
        assert start.mean(axis=(0, 1)).tolist() == pytest.approx([255, 0, 0], abs=2)
        # Without a transition the same mix is the plain crossfade: purple everywhere.
        fade = draw(ctx, renderer, SceneMix(1, 0, 0.5))
        assert fade[:, :6].mean(axis=(0, 1)).tolist() == pytest.approx([128, 0, 128], abs=3)


def test_the_scene_s_own_transition_serves_live_picks(ctx: Any, scenes: tuple[Scene, ...]) -> None:
    red, blue = scenes
    with_wipe = (red, Scene(blue.name, blue.background, character=False, transition=WIPE))
    with Renderer(ctx, with_wipe, Character(), transitions=(WIPE,)) as renderer:
        picked = draw(ctx, renderer, SceneMix(1, 0, 0.5))  # a live pick names none
        assert picked[:, :6, 2].mean() > 250 and picked[:, -6:, 0].mean() > 250


def test_a_file_that_is_not_a_transition_is_refused(ctx: Any, scenes: tuple[Scene, ...]) -> None:
    with pytest.raises(InputError, match="is not an ISF transition"):
        Renderer(ctx, scenes, Character(), transitions=(scenes[0].background,))


def test_a_saved_transition_reloads(ctx: Any, scenes: tuple[Scene, ...], tmp_path: Path) -> None:
    mine = tmp_path / "mine.fs"
    mine.write_text(WIPE.read_text())
    with Renderer(ctx, scenes, Character(), transitions=(mine,)) as renderer:
        mine.write_text(WIPE.read_text().replace("radians(angle)", "radians(nothing)"))  # broken
        with pytest.raises(InputError):
            renderer.reload(mine)
        assert draw(ctx, renderer, SceneMix(1, 0, 0.5, mine))[:, :6, 2].mean() > 250  # kept
        flipped = WIPE.read_text().replace(
            '"DEFAULT": 0.0},\n    {"NAME": "softness"',
            '"DEFAULT": 180.0},\n    {"NAME": "softness"',
        )
        mine.write_text(flipped)
        assert renderer.reload(mine)
        reversed_wipe = draw(ctx, renderer, SceneMix(1, 0, 0.5, mine))  # right to left now
        assert reversed_wipe[:, -6:, 2].mean() > 250 and reversed_wipe[:, :6, 0].mean() > 250


def test_show_files_name_transitions_on_cues_and_scenes(tmp_path: Path) -> None:
    (tmp_path / "song.wav").write_bytes(b"")
    (tmp_path / "t.json").write_text("{}")
    (tmp_path / "mine.fs").write_text(WIPE.read_text())
    show = tmp_path / "show.toml"
    show.write_text(
        '[track]\naudio = "song.wav"\ntimeline = "t.json"\n'
        '[[scenes]]\nname = "a"\nbackground = "backgrounds/plasma.glsl"\n'
        '[[scenes]]\nname = "b"\nbackground = "backgrounds/plasma.glsl"\n'
        'transition = "transitions/iris.fs"\n'
        '[[cues]]\nat = 2\nscene = "b"\nfade = 1\ntransition = "mine.fs"\n'
        '[[cues]]\nat = 5\nscene = "a"\nfade = 1\ntransition = "mine.fs"\n'
    )
    loaded = load_show(show)
    assert loaded.scenes[1].transition == shader_path("transitions/iris.fs")
    assert loaded.cues[0].transition == tmp_path / "mine.fs"
    assert loaded.transitions == (shader_path("transitions/iris.fs"), tmp_path / "mine.fs")
    mix = CueSheet(loaded.cues).at(2.5)
    assert (mix.current, mix.previous, mix.transition) == (1, 0, tmp_path / "mine.fs")
    assert CueSheet((SceneCue(0.0, 1, 1.0),)).at(0.5).transition is None
