"""Offline render throughput: the whole song at the show's size and fps (demo: 1280x720, 30).

    python benchmarks/render.py                      # the bundled demo show
    python benchmarks/render.py --wait-minutes 30    # wait for the demo's media to appear
    python benchmarks/render.py --harvard            # Harvard sentences, demo look and placement

Three passes over the same show:
  render_video  - livesync.api.render_video: decode, analyse, GL, readback, H.264 + AAC (ffmpeg)
  render_frames - livesync.render.video.render_frames consumed and dropped: GL + readback,
                  no encoding
  GL only       - Performance.state_at + Renderer.render + ctx.finish(), no readback
CPU is os.times() user+sys of this process and its finished children (ffmpeg).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import character_png, harvard_show, machine, table

from livesync.api import render_video
from livesync.app.prepare import prepare
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.render.video import frame_count, render_frames
from livesync.resources import demo_show, shader_path
from livesync.show.show_file import Show, load_show


def demo_ready() -> Show | None:
    """The bundled demo show, once every file it names exists."""
    try:
        show = load_show(demo_show())
    except Exception:
        return None
    files = [show.audio, show.timeline, show.scenes[0].background]
    if show.character.image is not None:
        files.append(show.character.image)
    return show if all(f.exists() for f in files) else None


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(run: Callable[[], int]) -> tuple[int, float, float]:
    w0, c0 = time.perf_counter(), cpu()
    frames = run()
    return frames, time.perf_counter() - w0, cpu() - c0


def video_pass(show: Show, out: Path, first: list[float]) -> int:
    def progress(n: int, total: int) -> None:
        if n == 1:
            first.append(time.perf_counter())

    return render_video(show, out, progress)


def frames_pass(show: Show) -> int:
    performance, _ = prepare(show)
    renderer = Renderer(create_headless_context(), show.scenes, show.character)
    size, fps = show.output.size, show.output.fps
    total = frame_count(performance.duration, fps)
    return sum(1 for _ in render_frames(renderer, performance, size, fps, total))


def gl_pass(show: Show) -> int:
    performance, _ = prepare(show)
    ctx = create_headless_context()
    renderer = Renderer(ctx, show.scenes, show.character)
    size, fps = show.output.size, show.output.fps
    total = frame_count(performance.duration, fps)
    target = OffscreenTarget(ctx, size)
    target.use()
    for n in range(total):
        renderer.render(performance.state_at(n / fps, 1.0 / fps, n), size)
        ctx.finish()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--wait-minutes",
        type=float,
        default=0.0,
        help="poll this long for the demo's media before falling back",
    )
    parser.add_argument("--harvard", action="store_true", help="skip the demo, use Harvard")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        deadline = time.monotonic() + args.wait_minutes * 60
        show = None if args.harvard else demo_ready()
        while show is None and not args.harvard and time.monotonic() < deadline:
            time.sleep(30)
            show = demo_ready()
        if show is None:
            name = "Harvard sentences (demo background and placement, generated picture)"
            bg = shader_path("backgrounds/neon_grid.glsl")
            show = harvard_show(bg, character_png(Path(tmp)))
        else:
            name = "bundled demo (configs/demo/demo.toml)"
        performance, _ = prepare(show)
        duration = performance.duration
        ctx = create_headless_context()
        print(f"GL_RENDERER: {ctx.info['GL_RENDERER']}  |  machine: {machine()}")
        ctx.release()
        print(
            f"show: {name}, {duration:.1f} s, {show.output.size[0]}x{show.output.size[1]} "
            f"@ {show.output.fps} fps, background {show.scenes[0].background.name}\n"
        )

        out = Path(tmp) / "render.mp4"
        first: list[float] = []
        start = time.perf_counter()
        rows: list[list[object]] = []
        passes = [
            ("render_video (mp4, H.264 + AAC)", lambda: video_pass(show, out, first)),
            ("render_frames (GL + readback, no encoding)", lambda: frames_pass(show)),
            ("GL only (state_at + render + finish)", lambda: gl_pass(show)),
        ]
        for label, run in passes:
            frames, wall, used = timed(run)
            rows.append([label, frames, wall, frames / wall, duration / wall, used / wall])
        print(
            table(
                ["pass", "frames", "wall (s)", "frames/s", "real-time factor", "CPU cores busy"],
                rows,
            )
        )
        print(f"\n1-min load average at the end: {os.getloadavg()[0]:.2f}")
        print(
            f"render_video: setup to first frame {first[0] - start:.2f} s (decode, analysis, "
            f"context, shaders), mp4 {out.stat().st_size / 1e6:.1f} MB. Real-time factor = "
            "song seconds per wall second."
        )


if __name__ == "__main__":
    main()
