"""Per-frame cost of livesync's loop against a bare moderngl full-screen triangle loop.

Both loops draw the same trivial shader into a framebuffer of the same size in the same headless
EGL context, and end every frame with ctx.finish() (without it llvmpipe's work is not counted).
They run interleaved in blocks so drifts in machine load hit both alike.

    python benchmarks/frame_loop.py              # tables for 1920x1080 and 1280x720
    python benchmarks/frame_loop.py --profile    # plus cProfile of the livesync loop at 1080p

Columns: wall = perf_counter per frame; process CPU = time.process_time (all threads, so it
includes llvmpipe's rasteriser threads); main-thread CPU = time.thread_time (Python, moderngl
and the driver's front end, not rasterisation); submit = wall time before ctx.finish() (the
Python-side work of the frame: for livesync, state_at + Renderer.render).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import moderngl
import numpy as np
from _common import (
    TRIVIAL_MAIN_IMAGE,
    character_png,
    harvard_show,
    machine,
    stats_ms,
    table,
)

from livesync.app.prepare import prepare
from livesync.frame.performance import Performance
from livesync.render.renderer import Renderer
from livesync.resources import shader_path

BARE_VERT = """#version 330 core
const vec2 corners[3] = vec2[3](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
void main() { gl_Position = vec4(corners[gl_VertexID], 0.0, 1.0); }
"""
BARE_FRAG = """#version 330 core
uniform vec3 iResolution;
uniform float iTime;
out vec4 color;
void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    color = vec4(uv, 0.5 + 0.5 * sin(iTime), 1.0);
}
"""
FPS = 60
Frame = Callable[[int], None]  # does a frame's work up to (not including) ctx.finish()


class Samples:
    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.thread: list[float] = []
        self.submit: list[float] = []


def measure(ctx: Any, frame: Frame, start: int, count: int, out: Samples | None) -> None:
    clock, cpu, thread = time.perf_counter, time.process_time, time.thread_time
    for n in range(start, start + count):
        w0, c0, t0 = clock(), cpu(), thread()
        frame(n)
        w1 = clock()
        ctx.finish()
        w2, c2, t2 = clock(), cpu(), thread()
        if out is not None:
            out.wall.append(w2 - w0)
            out.cpu.append(c2 - c0)
            out.thread.append(t2 - t0)
            out.submit.append(w1 - w0)


def bare_loop(ctx: Any, size: tuple[int, int]) -> Frame:
    program = ctx.program(vertex_shader=BARE_VERT, fragment_shader=BARE_FRAG)
    program["iResolution"].value = (float(size[0]), float(size[1]), 1.0)
    vao = ctx.vertex_array(program, [])
    time_uniform = program["iTime"]

    def frame(n: int) -> None:
        ctx.disable(moderngl.BLEND)  # livesync's mouth pass leaves blending on in the shared ctx
        time_uniform.value = n / FPS
        vao.render(moderngl.TRIANGLES, vertices=3)

    return frame


def livesync_loop(renderer: Renderer, performance: Performance, size: tuple[int, int]) -> Frame:
    duration = performance.duration

    def frame(n: int) -> None:
        state = performance.state_at((n / FPS) % duration, 1.0 / FPS, n)
        renderer.render(state, size)

    return frame


def compare(
    ctx: Any, loops: dict[str, Frame], size: tuple[int, int], frames: int, block: int
) -> list[list[object]]:
    """Run the loops interleaved in blocks; rows of medians/p99s, then ratios to the first."""
    fbo = ctx.simple_framebuffer(size, components=4)
    samples = {name: Samples() for name in loops}
    for frame in loops.values():  # warm up: shader JIT, first-use allocations
        fbo.use()
        measure(ctx, frame, 0, 30, None)
    for b in range(frames // block):
        for name, frame in loops.items():
            fbo.use()
            measure(ctx, frame, b * block, block, samples[name])
    fbo.release()
    label = f"{size[0]}x{size[1]}"
    rows: list[list[object]] = []
    for name, s in samples.items():
        rows.append(
            [
                label,
                name,
                len(s.wall),
                *stats_ms(s.wall),
                *stats_ms(s.cpu),
                *stats_ms(s.thread),
                *stats_ms(s.submit),
            ]
        )
    base_name = next(iter(samples))
    med = {
        name: {k: float(np.median(getattr(s, k))) for k in ("wall", "cpu", "thread", "submit")}
        for name, s in samples.items()
    }
    for name in list(samples)[1:]:
        r = {k: f"{med[name][k] / med[base_name][k]:.2f}x" for k in med[name]}
        rows.append(
            [
                label,
                f"ratio {name} / {base_name}",
                "",
                r["wall"],
                "",
                r["cpu"],
                "",
                r["thread"],
                "",
                r["submit"],
                "",
            ]
        )
    # If livesync's extra draws cost the rasteriser nothing (nearly so on a GPU, which runs
    # them in parallel with the CPU), a frame would cost the bare frame plus livesync's extra
    # main-thread CPU: the ratio of livesync's own work alone.
    own = med["livesync"]["thread"] - med[base_name]["thread"]
    rows.append(
        [
            label,
            "derived: (bare wall + livesync's extra main-thread CPU) / bare wall",
            "",
            f"{(med[base_name]['wall'] + own) / med[base_name]['wall']:.3f}x",
            "",
            "",
            "",
            f"+{own * 1e3:.3f} ms",
            "",
            "",
            "",
        ]
    )
    return rows


def pure_python(performance: Performance, calls: int) -> list[list[object]]:
    """state_at and its three parts, mean microseconds per call at random song times."""
    rng = random.Random(1)
    ts = [rng.uniform(0.0, performance.duration) for _ in range(calls)]
    analysis = performance.analysis
    assert analysis is not None
    parts: dict[str, Callable[[float], object]] = {
        "Performance.state_at": performance.state_at,
        "  MouthTrack.sample": performance.mouth.sample,
        "  Timeline.lookup": performance.timeline.lookup,
        "  Analysis.features_at": analysis.features_at,
        "  Analysis.audio_texture_at": analysis.audio_texture_at,
    }
    rows: list[list[object]] = []
    for name, fn in parts.items():
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            for t in ts:
                fn(t)
            runs.append((time.perf_counter() - t0) / calls * 1e6)
        rows.append([name, calls, float(np.median(runs)), min(runs)])
    return rows


def backgrounds(
    ctx: Any, performance: Performance, image: Path, trivial: Path, frames: int
) -> list[list[object]]:
    size = (1280, 720)
    fbo = ctx.simple_framebuffer(size, components=4)
    fbo.use()
    rows: list[list[object]] = []
    shaders = [trivial, *sorted(shader_path("backgrounds").glob("*.glsl"))]
    for path in shaders:
        renderer = Renderer(ctx, path, harvard_show(path, image).character)
        frame = livesync_loop(renderer, performance, size)
        measure(ctx, frame, 0, 5, None)
        s = Samples()
        measure(ctx, frame, 300, frames, s)  # from t = 5 s: the song is under way
        wall = stats_ms(s.wall)
        name = "trivial (benchmark)" if path == trivial else path.name
        rows.append([name, frames, *wall, stats_ms(s.cpu)[0], 1e3 / wall[0]])
    fbo.release()
    # Flag any shipped shader slower than 3x the median of the shipped ones (the project's target).
    shipped = [float(r[2]) for r in rows[1:]]  # type: ignore[arg-type]
    median = float(np.median(shipped)) if shipped else 0.0
    for row in rows:
        slow = row is not rows[0] and float(row[2]) > 3 * median  # type: ignore[arg-type]
        row.append("SLOW (>3x median)" if slow else "")
    return rows


def profile(ctx: Any, renderer: Renderer, performance: Performance, frames: int) -> str:
    size = (1920, 1080)
    fbo = ctx.simple_framebuffer(size, components=4)
    fbo.use()
    frame = livesync_loop(renderer, performance, size)
    measure(ctx, frame, 0, 30, None)
    profiler = cProfile.Profile()
    profiler.enable()
    measure(ctx, frame, 0, frames, None)
    profiler.disable()
    fbo.release()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=600, help="frames per loop and size")
    parser.add_argument("--block", type=int, default=50, help="frames per interleaved block")
    parser.add_argument("--bg-frames", type=int, default=60, help="frames per shipped shader")
    parser.add_argument("--profile", action="store_true", help="cProfile the livesync loop")
    args = parser.parse_args()

    # (moderngl's stub types **settings wrongly; this is the call livesync itself makes)
    ctx = moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    print(f"GL_RENDERER: {ctx.info['GL_RENDERER']}  |  GL_VERSION: {ctx.info['GL_VERSION']}")
    print(f"machine: {machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.glsl"
        trivial.write_text(TRIVIAL_MAIN_IMAGE, encoding="utf-8")
        image = character_png(Path(tmp))
        show = harvard_show(trivial, image)
        performance, _ = prepare(show)
        renderer = Renderer(ctx, trivial, show.character)
        # Attribution: the same loop with the mouth quad shrunk to a few pixels, then also
        # without the picture: the last draws the same pixels as the bare loop.
        no_mouth = replace(show.character, mouth_width=0.002)
        tiny_mouth = Renderer(ctx, trivial, no_mouth)
        bg_only = Renderer(ctx, trivial, replace(no_mouth, image=None))

        rows: list[list[object]] = []
        for size in ((1920, 1080), (1280, 720)):
            loops = {
                "bare": bare_loop(ctx, size),
                "livesync": livesync_loop(renderer, performance, size),
                "livesync, mouth ~0 px": livesync_loop(tiny_mouth, performance, size),
                "livesync, no picture, mouth ~0 px": livesync_loop(bg_only, performance, size),
            }
            rows += compare(ctx, loops, size, args.frames, args.block)
        print("## Per-frame cost, same trivial shader, ms (median / p99)\n")
        print(
            table(
                [
                    "size",
                    "loop",
                    "frames",
                    "wall med",
                    "wall p99",
                    "process CPU med",
                    "process CPU p99",
                    "main-thread CPU med",
                    "main-thread CPU p99",
                    "submit med",
                    "submit p99",
                ],
                rows,
            )
        )

        print("\n## Pure Python per frame (no GL), us per call at random t\n")
        print(
            table(
                ["call", "calls", "median of 3 runs (us)", "best run (us)"],
                pure_python(performance, 100_000),
            )
        )

        print("\n## livesync loop with each shipped background, 1280x720, ms\n")
        print(
            table(
                [
                    "background",
                    "frames",
                    "wall med",
                    "wall p99",
                    "process CPU med",
                    "fps (1 / wall med)",
                    "flag",
                ],
                backgrounds(ctx, performance, image, trivial, args.bg_frames),
            )
        )

        if args.profile:
            print("\n## cProfile, livesync loop at 1920x1080, 300 frames (by tottime)\n")
            print("```\n" + profile(ctx, renderer, performance, 300).strip() + "\n```")
    print(f"\n1-min load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
