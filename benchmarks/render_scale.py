"""The render scale on the live player: the bundled demo played with and without
`[output] render_scale = "auto"`, frame time per scene.

    python benchmarks/render_scale.py [--size 1280x720] [--runs 1]

Each run plays `livesync play SHOW --silent --exit-at-end --frame-log FILE` in a subprocess
(SDL's offscreen driver: no vsync, the window paces itself to 60 Hz) on a copy of the demo,
once as shipped and once with the auto render scale, interleaved. From the frame log: the
interval between frames shown, per scene (the scene each frame showed), as p50/p99, frames
per second and refreshes missed (an interval over 1.5 periods misses
round(interval / period) - 1), and the auto scale each scene settled at.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

from _common import machine, table

from livesync.resources import data_dir

PERIOD = 1 / 60


def play(show: Path, log: Path) -> list[list[str]]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "livesync",
            "play",
            str(show),
            "--silent",
            "--exit-at-end",
            "--frame-log",
            str(log),
        ],
        check=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
        stderr=subprocess.DEVNULL,
    )
    return [line.split() for line in log.read_text().splitlines() if line.strip()]


def per_scene(rows: list[list[str]]) -> dict[str, dict[str, float]]:
    intervals: dict[str, list[float]] = defaultdict(list)
    scales: dict[str, list[float]] = defaultdict(list)
    for before, row in itertools.pairwise(rows):
        intervals[row[2]].append(float(row[3]) - float(before[3]))
        if len(row) >= 7:
            scales[row[2]].append(float(row[6]))
    out = {}
    for scene, gaps in intervals.items():
        g = np.array(gaps)
        missed = int(sum(round(x / PERIOD) - 1 for x in g if x > 1.5 * PERIOD))
        out[scene] = {
            "frames": float(len(g)),
            "p50": float(np.percentile(g, 50)) * 1e3,
            "p99": float(np.percentile(g, 99)) * 1e3,
            "fps": len(g) / float(g.sum()),
            "missed": float(missed),
            "scale": float(np.median(scales[scene][-30:])) if scales[scene] else 1.0,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    print(f"machine: {machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        shutil.copytree(data_dir("configs") / "demo", folder)
        text = (folder / "demo.toml").read_text()
        # The demo's own [output] table, at this size and 60 fps.
        text = text.replace("size = [1280, 720]\nfps = 30", f"size = [{w}, {h}]\nfps = 60")
        assert f"size = [{w}, {h}]\nfps = 60" in text, "the demo's [output] table changed"
        output = ""
        shows = {
            "full size": folder / "plain.toml",
            'render_scale = "auto"': folder / "auto.toml",
        }
        shows["full size"].write_text(text + output)
        shows['render_scale = "auto"'].write_text(
            text.replace("[output]\n", '[output]\nrender_scale = "auto"\n') + output
        )
        results: dict[str, list[dict[str, dict[str, float]]]] = defaultdict(list)
        for _ in range(args.runs):
            for name, show in shows.items():
                results[name].append(per_scene(play(show, Path(tmp) / "frames.txt")))
    rows = []
    for name, runs in results.items():
        for scene in runs[0]:
            values = {
                key: float(np.median([run[scene][key] for run in runs if scene in run]))
                for key in ("frames", "p50", "p99", "fps", "missed", "scale")
            }
            rows.append(
                [
                    name,
                    scene,
                    int(values["frames"]),
                    f"{values['p50']:.1f}",
                    f"{values['p99']:.1f}",
                    f"{values['fps']:.1f}",
                    int(values["missed"]),
                    f"{values['scale']:.1f}" if "auto" in name else "1 (not set)",
                ]
            )
    print(f"## The demo at {w}x{h}, 60 Hz pacing ({args.runs} run(s) each, median)\n")
    header = ["show", "scene", "frames", "p50 ms", "p99 ms", "fps", "missed", "scale (end)"]
    print(table(header, rows))


if __name__ == "__main__":
    main()
