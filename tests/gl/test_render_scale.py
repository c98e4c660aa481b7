"""A render scale draws the background and effects smaller and upscales them; the character
stays sharp at full size, over the effects. Rendered on llvmpipe and read back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.show_file import load_show

pytestmark = pytest.mark.gl
SIZE = (200, 200)
CHECKER = (  # one-pixel red and black checks: any resampling turns them into a blend
    "void mainImage(out vec4 c, in vec2 p) {"
    " c = vec4(mod(floor(p.x) + floor(p.y), 2.0), 0.0, 0.0, 1.0); }\n"
)
INVERT = (
    '/*{"ISFVSN": "2", "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
    "void main() { gl_FragColor = vec4(1.0 - IMG_THIS_PIXEL(inputImage).rgb, 1.0); }\n"
)


def show(tmp_path: Path, scale: str | None, effects: bool = False) -> Path:
    import pygame

    square = pygame.Surface((64, 64), pygame.SRCALPHA)
    square.fill((255, 255, 255, 255))
    pygame.image.save(square, str(tmp_path / "square.png"))
    (tmp_path / "checker.glsl").write_text(CHECKER)
    (tmp_path / "invert.fs").write_text(INVERT)
    text = (
        '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
        '[character]\nimage = "square.png"\nheight = 0.5\nmouth_width = 0.001\n'
        '[[scenes]]\nname = "one"\nbackground = "checker.glsl"\n'
    )
    if effects:
        text += 'effects = ["invert.fs"]\n'
    if scale is not None:
        text += f"[output]\nrender_scale = {scale}\n"
    path = tmp_path / "show.toml"
    path.write_text(text)
    return path


def frame(path: Path, auto: float | None) -> np.ndarray:
    loaded = load_show(path)
    ctx = create_headless_context()
    with Renderer(ctx, loaded.scenes, loaded.character) as renderer:
        target = OffscreenTarget(ctx, SIZE)
        target.use()
        state = Performance(Timeline((), (), 10.0), None).state_at(1.0)
        renderer.render(state, SIZE, auto)
        rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3)
        target.release()
    ctx.release()
    return rgb.astype(int)


def test_the_background_is_drawn_smaller_and_the_character_stays_sharp(tmp_path: Path) -> None:
    path = show(tmp_path, '"auto"')
    full, half = frame(path, 1.0), frame(path, 0.5)
    corner = (slice(0, 40), slice(0, 40))
    assert set(np.unique(full[corner][..., 0])) == {0, 255}  # the checks, untouched
    blended = (half[corner][..., 0] > 40) & (half[corner][..., 0] < 215)
    assert blended.mean() > 0.9  # drawn at half size and upscaled: a blur of the checks
    # The square covers rows and columns 50..149 at full size, edge sharp in both frames.
    for image in (full, half):
        assert (image[60:140, 50:150] == 255).all()
        assert not (image[100, 45:49] == 255).all(axis=1).any()


def test_with_a_render_scale_the_effects_go_under_the_character(tmp_path: Path) -> None:
    """Without one the effects apply to the whole picture (the inverted square is black);
    with one, at any scale, the character is drawn over them (white)."""
    plain = frame(show(tmp_path, None, effects=True), 0.5)
    assert (plain[100, 100] == 0).all()
    for auto in (1.0, 0.6):
        scaled = frame(show(tmp_path, '"auto"', effects=True), auto)
        assert (scaled[100, 100] == 255).all()
    fixed = frame(show(tmp_path, "0.5", effects=True), 0.9)
    assert (fixed[100, 100] == 255).all()
    corner = fixed[0:40, 0:40, 0]
    assert ((corner > 40) & (corner < 215)).mean() > 0.9  # a number is a number, whatever auto


def test_offline_renders_draw_every_scene_at_full_size(tmp_path: Path) -> None:
    offline = frame(show(tmp_path, "0.5"), None)
    assert set(np.unique(offline[0:40, 0:40, 0])) == {0, 255}
