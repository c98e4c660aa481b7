"""Switching songs in a set list: the frame interval at each switch against the run's median.

    python benchmarks/set_switch.py [--size 640x360] [--songs 3]

Plays a set list of copies of the bundled demo (each starting by itself after 1 s of
interlude) with `livesync play SET.toml --silent --exit-at-end --frame-log FILE` in a
subprocess, headless (SDL's offscreen driver, paced at 60 Hz), and reads the frame log: for
every switch (the scene column changing between the interlude and a song), the interval
between the last frame of one part and the first of the next, against the median interval of
the frames around it (the 60 frames before and after), and the largest interval in the part
the switch starts. The next song's show, audio and analysis are loaded during the part before
and its renderer is built a piece a frame in the interlude (livesync.app.set_player), so a
switch should cost no more than an ordinary frame, and the interlude's frames little more.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table

from livesync.resources import data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--songs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(data_dir("configs") / "demo", folder / "demo")
        songs = "".join(
            f'[[songs]]\nshow = "demo/demo.toml"\nname = "demo {n + 1}"\npause = 1\n'
            for n in range(args.songs)
        )
        (folder / "set.toml").write_text(songs)
        log = folder / "frames.txt"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "livesync",
                "play",
                str(folder / "set.toml"),
                "--silent",
                "--exit-at-end",
                "--size",
                args.size,
                "--frame-log",
                str(log),
            ],
            check=True,
            env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
            stderr=subprocess.DEVNULL,
        )
        rows = [line.split() for line in log.read_text().splitlines() if line.strip()]
    shown = np.array([float(r[3]) for r in rows])
    intervals = np.diff(shown) * 1000
    scenes = [r[2] for r in rows]
    out = []
    switches = [
        i
        for i in range(1, len(rows))
        if (scenes[i] == "interlude") != (scenes[i - 1] == "interlude")
    ]  # not a scene change within a song
    for n, i in enumerate(switches):
        end = switches[n + 1] - 1 if n + 1 < len(switches) else len(intervals)
        within = intervals[i:end]  # the part this switch starts, after its first frame
        largest = f"{float(within.max()):.1f}" if within.size else "-"
        around = np.concatenate([intervals[max(0, i - 61) : i - 1], intervals[i : i + 60]])
        median = float(np.median(around))
        kind = "interlude -> song" if scenes[i] != "interlude" else "song -> interlude"
        at_switch = float(intervals[i - 1])
        out.append(
            [kind, i, f"{at_switch:.1f}", f"{median:.1f}", f"{at_switch / median:.2f}", largest]
        )
    print(f"## {args.songs} songs at {args.size}, {len(rows)} frames\n")
    header = [
        "switch",
        "frame",
        "interval at the switch (ms)",
        "median around (ms)",
        "ratio",
        "largest interval in the part after (ms)",
    ]
    print(table(header, out))


if __name__ == "__main__":
    main()
