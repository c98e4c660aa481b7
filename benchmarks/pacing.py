"""Frame pacing of the live player: frame-time percentiles and dropped refreshes.

    python benchmarks/pacing.py [--seconds 10] [--size 1280x720]

Runs the real player loop (livesync.app.frame_loop.run) on the bundled demo show in an SDL window
(the offscreen driver here, so no vsync: the window paces itself to 60 Hz), on the wall
clock, and reports what the HUD shows a performer: fps, frame-time p50/p99/max and refreshes
missed, per scene background as the demo's cues change them. On llvmpipe the heavier
backgrounds cannot hold 60 Hz at 720p; on a GPU all of them do.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from livesync.app.frame_loop import run
from livesync.app.prepare import prepare
from livesync.app.reload import LiveShow
from livesync.frame.pacing import FrameTimer
from livesync.frame.performance import Performance
from livesync.render.renderer import Renderer
from livesync.render.window import Window
from livesync.resources import demo_show
from livesync.show.show_file import load_show
from livesync.sync.clock import WallClock


class Recorder(FrameTimer):
    """A FrameTimer that keeps every interval, to report the whole run."""

    def __init__(self, refresh_hz: float) -> None:
        super().__init__(refresh_hz, window=1_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    show = load_show(demo_show())
    performance, _ = prepare(show)
    performance = Performance(
        performance.timeline,
        performance.analysis,
        performance.mouth,
        min(performance.duration, args.seconds),
        performance.cues,
        performance.scenes,
        performance.tempo,
    )
    window = Window((w, h))
    renderer = Renderer(window.ctx, show.scenes, show.character)
    timer = Recorder(window.max_fps)
    try:
        started = time.perf_counter()
        frames = run(
            window,
            LiveShow(show, renderer, performance),
            WallClock(time.perf_counter),
            time.perf_counter,
            exit_at_end=True,
            reload=False,
            timer=timer,
        )
        took = time.perf_counter() - started
    finally:
        window.close()
    p50, p99, worst = (1000 * v for v in timer.percentiles())
    print(
        f"| size | seconds | frames | fps | frame p50 (ms) | p99 (ms) | max (ms) | "
        f"dropped refreshes (at {window.max_fps} Hz) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {w}x{h} | {took:.1f} | {frames} | {frames / took:.1f} | {p50:.1f} | {p99:.1f} | "
        f"{worst:.1f} | {timer.dropped} |"
    )


if __name__ == "__main__":
    main()
