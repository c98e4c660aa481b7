"""The character's life, wired end to end: a show's `[character] style` and `[character.idle]`
reach the prepared song, every frame carries its idle pose, live idle_* parameters override
the show's amounts, and the renderer moves the whole character with it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from livesync.app.live import control_state
from livesync.app.prepare import prepare
from livesync.control.events import SetParam
from livesync.errors import InputError
from livesync.frame.performance import Performance
from livesync.frame.state import FrameState
from livesync.lipsync.idle import IdleAmounts, IdlePose
from livesync.lipsync.singing import MouthStyle, SingingMouth
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.scenes import Tempo
from livesync.show.show_file import load_show

DATA = Path(__file__).parents[1] / "data"
SHOW = """[track]
audio = "song.mp3"
timeline = "song.json"
vocals = "vocals.mp3"
bpm = 120
[character]
style = "singing"
[character.idle]
bob = 1.5
breath = 0
[[scenes]]
name = "one"
background = "bg.glsl"
"""


@pytest.fixture
def show_path(tmp_path: Path) -> Path:
    shutil.copy(DATA / "harvard-sentences-list30.mp3", tmp_path / "song.mp3")
    shutil.copy(DATA / "harvard-sentences-list30.mp3", tmp_path / "vocals.mp3")
    shutil.copy(DATA / "forced-harvard-sentences-list30.json", tmp_path / "song.json")
    (tmp_path / "bg.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.0, 0.0, 0.0, 1.0); }\n"
    )
    (tmp_path / "show.toml").write_text(SHOW)
    return tmp_path / "show.toml"


def test_a_singing_show_prepares_a_singing_mouth_from_its_stem(show_path: Path) -> None:
    show = load_show(show_path)
    assert show.life.style is MouthStyle.SINGING and show.vocals == show_path.parent / "vocals.mp3"
    assert show.life.idle.bob == 1.5 and show.life.idle.breath == 0.0
    performance, _ = prepare(show)
    assert isinstance(performance.mouth, SingingMouth)
    assert performance.mouth.loudness is not None  # the stem's envelope was used
    assert performance.idle == show.life.idle


def test_frames_carry_the_idle_pose_and_live_parameters_override_it(show_path: Path) -> None:
    show = load_show(show_path)
    performance, _ = prepare(show)
    half_beat = show.tempo.downbeat + 0.25 if show.tempo else 0.25  # beat phase 0.5: bob peaks
    assert performance.state_at(half_beat).idle.dy < 0  # the head rises between beats
    state = control_state(show, {})
    assert {"idle_blink", "idle_bob", "idle_sway", "idle_breath"} <= set(state.params)
    state.apply(SetParam("idle_bob", 0.0, "osc /livesync/param/idle_bob"))
    state.step(1.0)
    assert performance.state_at(half_beat, live=state.view()).idle.dy == pytest.approx(
        0.0, abs=1e-6
    )


def test_the_renderer_moves_the_whole_character_with_the_idle_pose(tmp_path: Path) -> None:
    """A white square for a picture on black: its top edge sits higher on the half beat."""
    import pygame

    picture = pygame.Surface((64, 64), pygame.SRCALPHA)
    picture.fill((255, 255, 255, 255))
    pygame.image.save(picture, str(tmp_path / "square.png"))
    (tmp_path / "bg.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.0, 0.0, 0.0, 1.0); }\n"
    )
    (tmp_path / "show.toml").write_text(
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        '[character]\nimage = "square.png"\nheight = 0.5\n'
        '[[scenes]]\nname = "one"\nbackground = "bg.glsl"\n'
    )
    show = load_show(tmp_path / "show.toml")
    size = (200, 200)
    renderer = Renderer(create_headless_context(), show.scenes, show.character)
    target = OffscreenTarget(renderer.ctx, size)

    def top_row(performance: Performance, t: float) -> int:
        target.use()
        renderer.render(performance.state_at(t), size)
        pixels = np.frombuffer(target.read_rgb(), np.uint8).reshape(size[1], size[0], 3)
        return int(np.argmax(pixels[:, size[0] // 3, 0] > 128))

    still = Performance(Timeline((), (), 10.0), None, tempo=Tempo(120.0))
    bobbing = Performance(
        Timeline((), (), 10.0), None, tempo=Tempo(120.0), idle=IdleAmounts(0.0, 2.0, 0.0, 0.0)
    )
    assert top_row(still, 0.25) == top_row(bobbing, 0.0) == 50  # on the beat: at rest
    assert top_row(bobbing, 0.25) < 50 - 1  # between beats: raised (2 x 1.2% of 100 px)


def pixel(
    renderer: Renderer, state: FrameState, size: tuple[int, int], at: tuple[int, int]
) -> list[int]:
    """The RGB of one pixel (row, column from the top left) of the frame drawn offscreen."""
    target = OffscreenTarget(renderer.ctx, size)
    target.use()
    renderer.render(state, size)
    pixels = np.frombuffer(target.read_rgb(), np.uint8).reshape(size[1], size[0], 3)
    target.release()
    return [int(v) for v in pixels[at]]


def test_a_blink_closes_lids_over_the_pictures_eyes(tmp_path: Path) -> None:
    """A black eye in a white picture; a red lid: shut, it covers the eye; open, nothing."""
    import pygame

    picture = pygame.Surface((64, 64), pygame.SRCALPHA)
    picture.fill((255, 255, 255, 255))
    pygame.draw.circle(picture, (0, 0, 0, 255), (32, 32), 5)
    pygame.image.save(picture, str(tmp_path / "face.png"))
    (tmp_path / "bg.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.0, 0.0, 0.0, 1.0); }\n"
    )
    (tmp_path / "show.toml").write_text(
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        '[character]\nimage = "face.png"\nheight = 0.5\n'
        '[character.eyes]\nat = [[0.5, 0.5]]\nsize = [0.2, 0.2]\nlid = "#ff0000"\n'
        '[[scenes]]\nname = "one"\nbackground = "bg.glsl"\n'
    )
    show = load_show(tmp_path / "show.toml")
    size = (200, 200)
    renderer = Renderer(create_headless_context(), show.scenes, show.character)
    state = Performance(Timeline((), (), 10.0), None).state_at(1.0)

    def centre(lids: float) -> list[int]:
        return pixel(renderer, replace(state, idle=IdlePose(lids=lids)), size, (100, 100))

    assert centre(0.0) == [0, 0, 0]  # the eye
    assert centre(1.0) == [255, 0, 0]  # the lid over it
    half = centre(0.3)  # a third of the way down: the middle of the eye still shows
    assert half == [0, 0, 0]


def test_an_eyes_closed_picture_replaces_the_picture_in_a_blink(tmp_path: Path) -> None:
    """White picture, its eyes-closed twin red: the red one is shown from half closed on,
    no drawn lids over it; a twin of another size is one clear error."""
    import pygame

    for name, colour in (("face.png", (255, 255, 255, 255)), ("shut.png", (255, 0, 0, 255))):
        picture = pygame.Surface((64, 64), pygame.SRCALPHA)
        picture.fill(colour)
        pygame.image.save(picture, str(tmp_path / name))
    (tmp_path / "bg.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.0, 0.0, 0.0, 1.0); }\n"
    )
    show_text = (
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        '[character]\nimage = "face.png"\nheight = 0.5\n'
        '[character.eyes]\nclosed = "shut.png"\nlid = "#00ff00"\n'
        '[[scenes]]\nname = "one"\nbackground = "bg.glsl"\n'
    )
    (tmp_path / "show.toml").write_text(show_text)
    show = load_show(tmp_path / "show.toml")
    size = (200, 200)
    ctx = create_headless_context()
    renderer = Renderer(ctx, show.scenes, show.character)
    state = Performance(Timeline((), (), 10.0), None).state_at(1.0)

    def centre(lids: float) -> list[int]:  # above the mouth
        return pixel(renderer, replace(state, idle=IdlePose(lids=lids)), size, (70, 100))

    assert [centre(lids) for lids in (0.0, 0.4, 0.5, 1.0)] == [
        [255, 255, 255],
        [255, 255, 255],
        [255, 0, 0],
        [255, 0, 0],
    ]
    renderer.release()
    small = pygame.Surface((32, 64), pygame.SRCALPHA)
    pygame.image.save(small, str(tmp_path / "shut.png"))
    with pytest.raises(InputError, match=r"shut\.png: the eyes-closed picture is 32x64"):
        Renderer(ctx, show.scenes, show.character)
