"""Edge: reading the character picture and writing PNG frames (pygame's image module).

pygame.image needs no display, so snapshots and offline renders work on a headless machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from livesync.errors import InputError


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rgba: bytes  # rows bottom-to-top, as OpenGL textures expect


def _pygame() -> Any:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    return pygame


def load_rgba(path: Path) -> Image:
    pygame = _pygame()
    if not path.exists():
        raise InputError(path, "image file not found")
    try:
        surface = pygame.image.load(str(path))
    except (pygame.error, OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the image ({exc})") from None
    w, h = surface.get_size()
    return Image(w, h, pygame.image.tobytes(surface, "RGBA", True))


def save_png(path: Path, width: int, height: int, rgb_top_down: bytes) -> None:
    pygame = _pygame()
    surface = pygame.image.frombuffer(rgb_top_down, (width, height), "RGB")
    pygame.image.save(surface, str(path))
