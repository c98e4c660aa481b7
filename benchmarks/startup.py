"""Startup: wall time from launching `livesync play` to its first frame on screen.

    python benchmarks/startup.py [--runs 5]

Runs `python -m livesync play --demo --silent` headlessly (SDL's offscreen driver) and stops
the clock when the player logs "first frame shown" (after the first buffer swap and
ctx.finish()). Includes Python start-up, imports, decoding and analysing the song, the GL
context, shader compiles and the first draw. Target: under 2 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np


def one_run() -> float:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "livesync", "play", "--demo", "--silent"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stderr is not None
    try:
        for line in child.stderr:
            if "first frame shown" in line:
                return time.perf_counter() - started
        raise RuntimeError("the player exited before showing a frame")
    finally:
        child.kill()
        child.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = [one_run() for _ in range(args.runs)]
    print("| runs | median (s) | min (s) | max (s) |\n|---|---|---|---|")
    print(f"| {len(times)} | {np.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
