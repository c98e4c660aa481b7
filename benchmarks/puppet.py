"""The face puppet against today's vector mouth at 1080p, in the same run and GL context.

    python benchmarks/puppet.py

The puppet draws the real landmark sample (tests/data/landmarks/astronaut-runway.json, a
moving head, 10 fps) placed as demo.toml places its picture, its lips the vector mouth on the
demo song's visemes; the other renderer is the demo's character as it is today (picture and
vector mouth). Over a trivial background:

1. the character pass alone (draw + ctx.finish()): the vector mouth alone, the picture with
   its vector mouth, and the puppet (face sampled, geometry built, drawn, with its mouth);
2. whole frames (Performance.state_at + Renderer.render + ctx.finish()) on the demo song,
   interleaved in blocks of 50 so load drifts hit both alike;
3. the puppet's Python per frame: sampling the track and building its geometry.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import moderngl
import numpy as np
from _common import TRIVIAL_MAIN_IMAGE, machine, stats_ms, table

from livesync.formats import load
from livesync.frame.performance import Performance
from livesync.render.renderer import Renderer
from livesync.resources import demo_show
from livesync.show.scenes import Scene
from livesync.show.show_file import load_show

SIZE = (1920, 1080)
REPEATS = 30
BLOCK, BLOCKS = 50, 12  # whole frames: 600 per renderer
SAMPLE = Path(__file__).parents[1] / "tests" / "data" / "landmarks" / "astronaut-runway.json"


def pass_ms(ctx: Any, draws: dict[str, Any], times_at: list[float]) -> dict[str, float]:
    """Median ms of each draw(t) + ctx.finish(), the draws alternating."""
    times: dict[str, list[float]] = {name: [] for name in draws}
    for k in range(REPEATS):
        t = times_at[k % len(times_at)]
        for name, draw in draws.items():
            t0 = time.perf_counter()
            draw(t)
            ctx.finish()
            times[name].append(time.perf_counter() - t0)
    return {name: float(np.median(v)) * 1e3 for name, v in times.items()}


def whole_frames(ctx: Any, renderers: dict[str, Renderer], perf: Performance) -> dict[str, Any]:
    fbo = ctx.simple_framebuffer(SIZE, components=4)
    wall: dict[str, list[float]] = {name: [] for name in renderers}
    thread: dict[str, list[float]] = {name: [] for name in renderers}
    sung = np.linspace(0.0, 2.4, BLOCK * BLOCKS)  # the landmark sample's span
    for block in range(-1, BLOCKS):  # block -1 warms up
        for name, r in renderers.items():
            for n in range(BLOCK):
                t = float(sung[max(block, 0) * BLOCK + n]) + 1.5  # sung part of the demo
                w0, c0 = time.perf_counter(), time.thread_time()
                fbo.use()
                r.render(perf.state_at(t - 1.5 if name == "puppet" else t, 1 / 60, n), SIZE)
                c1 = time.thread_time()
                ctx.finish()
                if block >= 0:
                    wall[name].append(time.perf_counter() - w0)
                    thread[name].append(c1 - c0)
    fbo.release()
    return {name: (*stats_ms(wall[name]), stats_ms(thread[name])[0]) for name in renderers}


def main() -> None:
    ctx = moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    print(f"GL_RENDERER: {ctx.info['GL_RENDERER']}  |  machine: {machine()}\n")
    show = load_show(demo_show())
    today = replace(show.character, mouth_sheet=None)
    puppet_character = replace(today, landmarks=SAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.glsl"
        trivial.write_text(TRIVIAL_MAIN_IMAGE, encoding="utf-8")
        scenes = (Scene("main", trivial),)
        vector = Renderer(ctx, scenes, today)
        puppet_renderer = Renderer(ctx, scenes, puppet_character)
    perf = Performance(load(show.timeline), None)
    puppet = puppet_renderer.character_layer.puppet
    assert puppet is not None

    w, h = SIZE
    fbo = ctx.simple_framebuffer(SIZE, components=4)
    fbo.use()
    ctx.viewport = (0, 0, w, h)
    ctx.enable(moderngl.BLEND)
    center, width = vector.character_layer.place(w, h)
    mouth = vector.character_layer.mouth
    colors = vars(today.colors)
    at = [float(t) for t in np.linspace(0.1, 2.3, REPEATS)]
    ms = pass_ms(
        ctx,
        {
            "vector mouth alone": lambda t: mouth.draw(
                ctx, perf.state_at(t + 1.5).pose, center, width, 0.0, colors, SIZE
            ),
            "picture + vector mouth (today)": lambda t: vector.character_layer.draw(
                perf.state_at(t + 1.5), SIZE, scenes[0]
            ),
            "puppet (with the vector mouth)": lambda t: puppet.draw(perf.state_at(t), SIZE, {}),
        },
        at,
    )
    fbo.release()
    print(f"## Character pass alone at {w}x{h} (draw + ctx.finish(), median of {REPEATS}, ms)\n")
    print(table(["character", "ms"], [[name, value] for name, value in ms.items()]))

    frames = whole_frames(ctx, {"picture + vector mouth": vector, "puppet": puppet_renderer}, perf)
    print(f"\n## Whole frames at {w}x{h}, trivial background ({BLOCK * BLOCKS} frames each, ms)\n")
    print(
        table(
            ["character", "wall median", "wall p99", "main-thread CPU median"],
            [[name, *values] for name, values in frames.items()],
        )
    )
    n = 2000
    t0 = time.perf_counter()
    samples = [puppet.track.sample(float(t)) for t in np.linspace(0.0, 2.4, n)]
    t1 = time.perf_counter()
    faces = [s.face for s in samples if s is not None]  # none in the middle of the gap
    t_build = time.perf_counter()
    for face in faces:
        puppet.geometry.vertices(puppet.placed(face, SIZE), 6.5, SIZE[1])
    t2 = time.perf_counter()
    print(
        f"\nPuppet Python per frame ({n} frames): FaceTrack.sample {(t1 - t0) / n * 1e6:.1f} µs, "
        f"placing and building the geometry {(t2 - t_build) / len(faces) * 1e6:.1f} µs"
    )
    vector.release()
    puppet_renderer.release()


if __name__ == "__main__":
    main()
