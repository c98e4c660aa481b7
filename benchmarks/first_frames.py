"""A new renderer's first frames of the demo against its later ones, warmed or not.

    python benchmarks/first_frames.py [--size 640x360] [--runs 8] [--frames 6]

A set list cuts into a song with a renderer built in the interlude (livesync.app.set_player);
this measures what that song's opening frames cost with no set list at all, so a switch's
cost can be told from the song's own. Each run is a fresh process (llvmpipe keeps compiled
programs per process): one renderer drawn and released first (the interlude's, as in a set),
then a new one for the demo, warmed with Renderer.warm_steps (`warm`) or not (`cold`), and
its first frames drawn headlessly with ctx.finish() after each. Medians per frame over runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table

CHILD = """
import sys, time
from livesync.app.prepare import prepare
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context, warm_driver
from livesync.resources import data_dir
from livesync.show.show_file import load_show

mode, w, h, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ctx = create_headless_context()
warm_driver(ctx)
show = load_show(data_dir("configs") / "demo" / "demo.toml")
performance, _ = prepare(show)
size = (w, h)
target = OffscreenTarget(ctx, size)
target.use()
before = Renderer(ctx, show.scenes, show.character, transitions=show.transitions)
before.render(performance.state_at(5.0, 1 / 60), size)
before.release()
renderer = Renderer(ctx, show.scenes, show.character, transitions=show.transitions)
ctx.finish()
if mode == "warm":
    for _ in renderer.warm_steps(performance.state_at(0.0, 1 / 60), target.fbo):
        ctx.finish()
target.use()
out = []
for n in range(frames):
    state = performance.state_at(n / 60, 1 / 60, n)
    start = time.perf_counter()
    renderer.render(state, size)
    ctx.finish()
    out.append((time.perf_counter() - start) * 1000)
print(" ".join(f"{ms:.2f}" for ms in out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--frames", type=int, default=6)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    print(f"machine: {machine()}\n")
    rows = []
    for mode in ("cold", "warm"):
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, mode, str(w), str(h), str(args.frames)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append([float(v) for v in done.stdout.split()])
        medians = np.median(np.array(runs), axis=0)
        rows.append([mode, *(f"{m:.1f}" for m in medians)])
    print(f"## the demo's first {args.frames} frames at {args.size}, median of {args.runs} runs\n")
    print(table(["renderer", *(f"frame {n} (ms)" for n in range(args.frames))], rows))


if __name__ == "__main__":
    main()
