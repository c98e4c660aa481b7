"""What each post effect adds to a frame, through the renderer (livesync.render.layers.IsfLayer).

    python benchmarks/effects.py [--frames 30]

At 1280x720 on this machine's GL: a trivial background with no effect, then the same with
each shipped effect (shaders/effects/*.fs) alone; the difference is the effect's cost.
Every frame ends with ctx.finish(). Flags any effect over 3x the median.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from livesync.frame.state import FrameState
from livesync.lipsync.visemes import MouthPose, Viseme
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.resources import shader_path
from livesync.show.scenes import Scene
from livesync.show.show_file import Character

SIZE = (1280, 720)
TRIVIAL = "void mainImage(out vec4 c, in vec2 p) { c = vec4(p / iResolution.xy, 0.5, 1.0); }\n"


def frame_ms(ctx: object, scene: Scene, frames: int) -> float:
    renderer = Renderer(ctx, [scene], Character())
    target = OffscreenTarget(ctx, SIZE)
    times = []
    for n in range(frames + 3):
        state = FrameState(n / 60, 1 / 60, n, MouthPose(), Viseme.SIL, "", "")
        target.use()
        start = time.perf_counter()
        renderer.render(state, SIZE)
        ctx.finish()  # type: ignore[attr-defined]
        if n >= 3:
            times.append(time.perf_counter() - start)
    renderer.release()
    return float(np.median(times)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=30)
    args = parser.parse_args()
    ctx = create_headless_context()
    print(f"GL_RENDERER: {ctx.info['GL_RENDERER']}\n")
    with tempfile.TemporaryDirectory() as tmp:
        bg = Path(tmp) / "trivial.glsl"
        bg.write_text(TRIVIAL)
        base = frame_ms(ctx, Scene("base", bg), args.frames)
        rows = []
        for effect in sorted(shader_path("effects").glob("*.fs")):
            ms = frame_ms(ctx, Scene("fx", bg, effects=(effect,)), args.frames)
            rows.append((effect.name, ms, ms - base))
    median = float(np.median([r[2] for r in rows]))
    print("| effect | frame ms (with the character) | effect adds ms | flag |\n|---|---|---|---|")
    print(f"| (none) | {base:.1f} | 0 | |")
    for name, ms, extra in rows:
        flag = "SLOW (>3x median)" if extra > 3 * median else ""
        print(f"| {name} | {ms:.1f} | {extra:.1f} | {flag} |")


if __name__ == "__main__":
    main()
