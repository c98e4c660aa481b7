"""Memory of a script that renders many pictures with the Python API in one process.

    python benchmarks/api_memory.py [--renders 50] [--size 320x180]

Calls `livesync.render_png` on the bundled demo show again and again and prints the resident
memory after each call, after a garbage collection and `malloc_trim(0)` (so freed heap goes
back to the system and the figure moves only with what is still held). The API must give back
what each call takes: growth after warm-up within 10 MiB over 50 renders.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import tempfile
import time
from pathlib import Path

import livesync
from livesync.resources import demo_show


def resident_mib() -> float:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--size", default="320x180")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    show = livesync.load_show(demo_show())
    readings, took = [], []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.renders):
            started = time.perf_counter()
            livesync.render_png(show, 2.0 + i / 10, Path(folder) / f"f{i}.png", size=(w, h))
            took.append(time.perf_counter() - started)
            readings.append(resident_mib())
    warm = readings[min(4, len(readings) - 1)]
    print(
        "| renders | size | RSS after 1st (MiB) | after 5th | after last | growth after warm-up |"
        " median render (s) |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.renders} | {w}x{h} | {readings[0]:.1f} | {warm:.1f} | {readings[-1]:.1f} | "
        f"{max(readings[4:]) - warm:+.1f} MiB | {sorted(took)[len(took) // 2]:.3f} |"
    )


if __name__ == "__main__":
    main()
