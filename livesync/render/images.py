"""Edge: reading the character picture and writing PNG frames (pygame's image module).

pygame.image needs no display, so snapshots and offline renders work on a headless machine.
Pictures go to the GPU premultiplied (`premultiplied`): filtering then mixes only covered
colour, and a transparent pixel's stored colour (black, in most PNGs) cannot darken an edge.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pygame

from livesync.errors import InputError, check_user_file


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
    check_user_file(path, "image file")  # a FIFO or a device would block or never end
    try:
        surface = pygame.image.load(str(path))
    except (pygame.error, OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the image ({exc})") from None
    w, h = surface.get_size()
    return Image(w, h, pygame.image.tobytes(surface, "RGBA", True))


def premultiplied(image: Image) -> Image:
    """The same picture with each colour times its alpha (rounded), as blended with
    (ONE, ONE_MINUS_SRC_ALPHA)."""
    return Image(image.width, image.height, premultiply(pixels(image)).tobytes())


def pixels(image: Image) -> npt.NDArray[np.uint8]:
    """(height, width, 4) RGBA, rows bottom-to-top like `Image.rgba`."""
    return np.frombuffer(image.rgba, np.uint8).reshape(image.height, image.width, 4)


def premultiply(rgba: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    wide = rgba.astype(np.uint32)
    wide[..., :3] = (wide[..., :3] * wide[..., 3:] + 127) // 255
    return wide.astype(np.uint8)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"  # the last chunk of every complete PNG, with its CRC


def encode_png(width: int, height: int, rgb_top_down: bytes) -> bytes:
    """A frame as a complete PNG in memory, checked from its signature to its end chunk, so
    what is written to the disk (livesync.devices.files) can be checked byte for byte."""
    pygame = _pygame()
    surface = pygame.image.frombuffer(rgb_top_down, (width, height), "RGB")
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "frame.png")
    data = buffer.getvalue()
    if not (data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END)):
        raise RuntimeError(f"pygame wrote an incomplete PNG ({len(data)} bytes)")
    return data


def save_png(path: Path, width: int, height: int, rgb_top_down: bytes) -> None:
    """For scripts and benchmarks; the commands write `encode_png` through
    livesync.devices.files, all or nothing."""
    path.write_bytes(encode_png(width, height, rgb_top_down))
