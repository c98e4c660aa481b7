"""Shared helpers for the benchmark scripts (measurement tools, not product code)."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from livesync.render.images import save_png
from livesync.show.scenes import Scene
from livesync.show.show_file import Character, Output, Show

ROOT = Path(__file__).resolve().parent.parent
GENTLE_JSON = ROOT / "tests" / "data" / "forced-harvard-sentences-list30.json"
HARVARD_MP3 = ROOT / "tests" / "data" / "harvard-sentences-list30.mp3"

# Renders the same picture as the bare baseline in frame_loop.py, in Shadertoy form.
TRIVIAL_MAIN_IMAGE = """\
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = vec4(uv, 0.5 + 0.5 * sin(iTime), 1.0);
}
"""


def demo_character(image: Path | None) -> Character:
    """Placed as in configs/demo/demo.toml, so the mouth and picture cover the same pixels."""
    return Character(
        image=image, center=(0.5, 0.57), height=0.86, mouth=(0.5, 0.70), mouth_width=0.25
    )


def character_png(folder: Path, size: int = 512) -> Path:
    """A plain face disc (opaque RGB PNG) so the renderer issues its picture draw call too."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size - 0.5
    inside = (xx * xx + yy * yy) < 0.2
    rgb = np.zeros((size, size, 3), dtype=np.uint8)
    rgb[...] = (40, 30, 60)
    rgb[inside] = (230, 190, 160)
    path = folder / "character.png"
    save_png(path, size, size, rgb.tobytes())
    return path


def harvard_show(
    background: Path, image: Path | None, size: tuple[int, int] = (1280, 720), fps: int = 30
) -> Show:
    """The real Gentle alignment of the Harvard sentences, as a show."""
    return Show(
        audio=HARVARD_MP3,
        timeline=GENTLE_JSON,
        scenes=(Scene("main", background),),
        character=demo_character(image),
        output=Output(size=size, fps=fps),
    )


def stats_ms(seconds: Sequence[float]) -> tuple[float, float]:
    """(median, p99) in milliseconds."""
    a = np.asarray(seconds) * 1e3
    return float(np.median(a)), float(np.percentile(a, 99))


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """CPU model, cores, Python and the current load, for the README's machine line."""
    import os

    model = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"1-min load average {os.getloadavg()[0]:.2f} (other jobs share the machine)"
    )
