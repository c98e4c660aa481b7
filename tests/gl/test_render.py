"""Real frames from Mesa llvmpipe through EGL: the picture, not just the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.resources import data_dir
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl
SIZE = (320, 180)


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def frame(ctx: Any, renderer: Renderer, performance: Performance, t: float) -> np.ndarray:
    target = OffscreenTarget(ctx, SIZE)
    target.use()
    renderer.render(performance.state_at(t), SIZE)
    return np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3).astype(int)


def song() -> Performance:
    """Silence, then M (closed), then a long AA (open)."""
    words = (Word("ma", 1.0, 2.0),)
    phones = (Phone("M", 1.0, 1.4, 0), Phone("AA", 1.4, 2.0, 0))
    return Performance(Timeline(words, phones, 3.0), None)


def mouth_box(img: np.ndarray, character: Character) -> np.ndarray:
    h, w = img.shape[:2]
    cx, cy = character.mouth[0] * w, character.mouth[1] * h
    half = character.mouth_width * h * 0.6
    return img[int(cy - half) : int(cy + half), int(cx - half) : int(cx + half)]


def test_background_moves_and_is_not_flat(ctx: Any) -> None:
    bg = data_dir("shaders") / "backgrounds" / "aurora.glsl"
    r = Renderer(ctx, bg, Character())
    a, b = frame(ctx, r, song(), 0.5), frame(ctx, r, song(), 2.5)
    assert a.std() > 10
    assert np.abs(a - b).mean() > 1


def test_mouth_is_closed_in_silence_and_on_m_and_open_on_aa(ctx: Any) -> None:
    ch = Character(mouth=(0.5, 0.5), mouth_width=0.4)
    r = Renderer(ctx, data_dir("shaders") / "backgrounds" / "plasma.glsl", ch)
    perf = song()
    silence, m, aa = (mouth_box(frame(ctx, r, perf, t), ch) for t in (0.5, 1.2, 1.8))

    # Dark inner mouth pixels: many when open, almost none when closed.
    def dark(img: np.ndarray) -> int:
        return int(((img.sum(axis=2) < 120) & (img[..., 0] > img[..., 2])).sum())

    assert dark(aa) > 10 * max(1, dark(m))
    assert dark(aa) > 10 * max(1, dark(silence))
    assert np.abs(aa - m).mean() > 5


def test_character_image_is_composited(ctx: Any, tmp_path: Path) -> None:
    import pygame

    surface = pygame.Surface((64, 64), pygame.SRCALPHA)
    surface.fill((0, 255, 0, 255))
    path = tmp_path / "green.png"
    pygame.image.save(surface, str(path))
    ch = Character(image=path, center=(0.5, 0.5), height=0.5, mouth=(0.5, 0.9), mouth_width=0.2)
    r = Renderer(ctx, data_dir("shaders") / "backgrounds" / "plasma.glsl", ch)
    img = frame(ctx, r, song(), 0.5)
    centre = img[80:100, 150:170]
    assert (centre[..., 1] > 240).all() and (centre[..., 0] < 15).all()
    assert img[5:15, 5:15, 1].mean() < 240  # the background outside the picture


def test_every_shipped_background_compiles_and_renders(ctx: Any) -> None:
    shaders = sorted((data_dir("shaders") / "backgrounds").glob("*.glsl"))
    assert len(shaders) >= 2
    for path in shaders:
        img = frame(ctx, Renderer(ctx, path, Character()), song(), 3.7)
        assert img.std() > 8, path.name


def test_broken_shader_names_file_and_line(ctx: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.glsl"
    bad.write_text("void mainImage(out vec4 c, in vec2 p) {\n  c = vec4(nope);\n}\n")
    with pytest.raises(InputError, match=r"bad.glsl:2: .*nope"):
        Renderer(ctx, bad, Character())
    with pytest.raises(InputError, match="image file not found"):
        Renderer(
            ctx,
            data_dir("shaders") / "backgrounds" / "plasma.glsl",
            Character(image=tmp_path / "missing.png"),
        )
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not a png at all")
    with pytest.raises(InputError, match="cannot read the image"):
        Renderer(ctx, data_dir("shaders") / "backgrounds" / "plasma.glsl", Character(image=junk))


def save_rgba(path: Path, rgba: np.ndarray) -> Path:
    import pygame

    h, w = rgba.shape[:2]
    surface = pygame.image.frombuffer(np.ascontiguousarray(rgba).tobytes(), (w, h), "RGBA")
    pygame.image.save(surface, str(path))
    return path


def test_the_pictures_top_edge_does_not_take_its_bottom_row(ctx: Any, tmp_path: Path) -> None:
    """Texture wrapping filtered the bottom row (the demo's shirt) into the top edge: a
    1-pixel line over the hair. Every image is clamped to its edges."""
    rgba = np.zeros((32, 32, 4), np.uint8)
    rgba[:] = (0, 255, 0, 255)
    rgba[-1] = (255, 0, 0, 255)
    path = save_rgba(tmp_path / "picture.png", rgba)
    # Magnified 4.5x, with no mouth in the way (it sits far below, out of the frame).
    ch = Character(image=path, center=(0.5, 0.5), height=0.8, mouth=(0.5, 5.0), mouth_width=0.01)
    r = Renderer(ctx, data_dir("shaders") / "backgrounds" / "plasma.glsl", ch)
    img = frame(ctx, r, song(), 0.5)
    top, bottom = 18, 161  # the picture covers rows 18-161 (0.8 * 180 = 144 rows)
    assert img[top, 100:220, 1].min() > 200 and img[top, 100:220, 0].max() < 40
    assert img[bottom, 100:220, 0].min() > 200  # the red row is drawn, at the bottom
    r.release()


def test_the_pictures_transparent_pixels_lend_no_colour(ctx: Any, tmp_path: Path) -> None:
    """A grey disc whose transparent surround stores red, over a white background: straight
    alpha, filtered, tints the edge; the picture is premultiplied, so no pixel turns red."""
    yy, xx = np.mgrid[0:32, 0:32]
    inside = (xx - 15.5) ** 2 + (yy - 15.5) ** 2 < 12**2
    rgba = np.zeros((32, 32, 4), np.uint8)
    rgba[~inside] = (255, 0, 0, 0)
    rgba[inside] = (90, 90, 90, 255)
    path = save_rgba(tmp_path / "disc.png", rgba)
    white = tmp_path / "white.glsl"
    white.write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(1.0); }\n")
    ch = Character(image=path, center=(0.5, 0.5), height=0.8, mouth=(0.5, 5.0), mouth_width=0.01)
    r = Renderer(ctx, white, ch)
    img = frame(ctx, r, song(), 0.5)
    assert (img.max(axis=2) < 100).sum() > 5000  # the disc
    assert np.abs(img[..., 0] - img[..., 1]).max() <= 3
    assert np.abs(img[..., 1] - img[..., 2]).max() <= 3
    r.release()
