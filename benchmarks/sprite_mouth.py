"""Drawn mouths against the vector mouth at 1080p, in the same run and the same GL context.

    python benchmarks/sprite_mouth.py

The demo's head (configs/demo/character.png) and its drawn mouths (configs/demo/mouths.png,
480x360 cells drawn 446 px wide at 1080p) as demo.toml places them, over a trivial background:

1. the mouth pass alone (draw + ctx.finish()): the vector mouth through the box the renderer
   fits to each viseme's pose, against one drawing held and two drawings cross-fading;
2. whole frames (Performance.state_at + Renderer.render + ctx.finish()) on the demo song,
   one renderer drawing the vector mouth and one the drawings, interleaved in blocks of 50
   so load drifts hit both alike;
3. the Python a drawn mouth adds per frame: ShapeSwitches.around and sprite_mix.
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
from livesync.frame.state import FrameState
from livesync.lipsync.mouth_shapes import ShapeSwitch, sprite_mix
from livesync.lipsync.visemes import POSES, Viseme
from livesync.render.renderer import Renderer
from livesync.resources import demo_show
from livesync.show.show_file import load_show

SIZE = (1920, 1080)
REPEATS = 30
BLOCK, BLOCKS = 50, 12  # whole frames: 600 per renderer


def pass_ms(ctx: Any, draws: dict[str, Any]) -> dict[str, float]:
    """Median ms of each draw + ctx.finish(), the draws alternating."""
    times: dict[str, list[float]] = {name: [] for name in draws}
    for _ in range(REPEATS):
        for name, draw in draws.items():
            t0 = time.perf_counter()
            draw()
            ctx.finish()
            times[name].append(time.perf_counter() - t0)
    return {name: float(np.median(t)) * 1e3 for name, t in times.items()}


def mouth_pass(ctx: Any, vector: Renderer, sprite: Renderer) -> list[list[object]]:
    w, h = SIZE
    fbo = ctx.simple_framebuffer(SIZE, components=4)
    fbo.use()
    ctx.viewport = (0, 0, w, h)
    ctx.enable(moderngl.BLEND)
    center, width = vector.character_layer.place(w, h)  # the placement render() uses
    drawn = sprite.character_layer.sprite_width(w, h)
    drawing = sprite.character_layer.sprite
    assert drawing is not None
    colors = vars(vector.character.colors)
    mouth = vector.character_layer.mouth
    held = FrameState(1.0, 0.0, 0, POSES[Viseme.AA], Viseme.AA, "", "")
    fading = replace(held, shape_switches=(ShapeSwitch(1.0, Viseme.SIL, Viseme.AA),))
    rows: list[list[object]] = []
    for viseme, pose in POSES.items():
        state = FrameState(1.0, 0.0, 0, pose, viseme, "", "")
        ms = pass_ms(
            ctx,
            {
                "vector": lambda s=state: mouth.draw(ctx, s.pose, center, width, 0.0, colors, SIZE),
                "held": lambda s=state: drawing.draw(ctx, s, center, drawn, SIZE),
                "fading": lambda: drawing.draw(ctx, fading, center, drawn, SIZE),
            },
        )
        rows.append([viseme.value, ms["vector"], ms["held"], ms["fading"]])
    fbo.release()
    return rows


def whole_frames(ctx: Any, renderers: dict[str, Renderer], perf: Performance) -> dict[str, Any]:
    fbo = ctx.simple_framebuffer(SIZE, components=4)
    wall: dict[str, list[float]] = {name: [] for name in renderers}
    thread: dict[str, list[float]] = {name: [] for name in renderers}
    sung = np.linspace(1.5, 13.0, BLOCK * BLOCKS)
    for block in range(-1, BLOCKS):  # block -1 warms up
        for name, r in renderers.items():
            for n in range(BLOCK):
                t = float(sung[max(block, 0) * BLOCK + n])
                w0, c0 = time.perf_counter(), time.thread_time()
                fbo.use()
                r.render(perf.state_at(t, 1 / 60, n), SIZE)
                c1 = time.thread_time()
                ctx.finish()
                if block >= 0:
                    wall[name].append(time.perf_counter() - w0)
                    thread[name].append(c1 - c0)
    fbo.release()
    return {name: (*stats_ms(wall[name]), stats_ms(thread[name])[0]) for name in renderers}


def python_cost(perf: Performance, drawing_of: tuple[int, ...], crossfade: float) -> list[float]:
    """µs per call of ShapeSwitches.around and sprite_mix, at random times in the song."""
    rng = np.random.default_rng(1)
    times = [float(t) for t in rng.uniform(0.0, perf.duration, 100_000)]
    t0 = time.perf_counter()
    near = [perf.switches.around(t) for t in times]
    t1 = time.perf_counter()
    for t, switches in zip(times, near, strict=True):
        sprite_mix(t, Viseme.AA, switches, drawing_of, crossfade)
    t2 = time.perf_counter()
    return [(t1 - t0) / len(times) * 1e6, (t2 - t1) / len(times) * 1e6]


def main() -> None:
    ctx = moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    print(f"GL_RENDERER: {ctx.info['GL_RENDERER']}  |  machine: {machine()}\n")
    show = load_show(demo_show())
    sheet = show.character.mouth_sheet
    assert sheet is not None
    everywhere = replace(show.character, mouth_sheet=replace(sheet, scenes=None))
    without = replace(show.character, mouth_sheet=None)
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.glsl"
        trivial.write_text(TRIVIAL_MAIN_IMAGE, encoding="utf-8")
        vector = Renderer(ctx, trivial, without)
        sprite = Renderer(ctx, trivial, everywhere)
    perf = Performance(load(show.timeline), None)

    rows = mouth_pass(ctx, vector, sprite)
    w, h = SIZE
    print(f"## Mouth pass alone at {w}x{h} (draw + ctx.finish(), median of {REPEATS}, ms)\n")
    header = ["viseme", "vector (fitted box)", "drawn, one drawing", "drawn, cross-fading"]
    print(table(header, rows))
    medians = [float(np.median([float(r[k]) for r in rows])) for k in (1, 2, 3)]  # type: ignore[arg-type]
    print(
        f"\nmedian over visemes: vector {medians[0]:.2f} ms, drawn {medians[1]:.2f} ms, "
        f"cross-fading {medians[2]:.2f} ms\n"
    )

    frames = whole_frames(ctx, {"vector mouth": vector, "drawn mouth": sprite}, perf)
    print(
        f"## Whole frames at {w}x{h}: trivial background, picture, mouth "
        f"({BLOCK * BLOCKS} frames each, ms)\n"
    )
    print(
        table(
            ["mouth", "wall median", "wall p99", "main-thread CPU median"],
            [[name, *values] for name, values in frames.items()],
        )
    )
    around, mix = python_cost(perf, sheet.drawing_of, sheet.crossfade)
    print(
        f"\nPython per frame (100k calls): ShapeSwitches.around {around:.2f} µs, "
        f"sprite_mix {mix:.2f} µs"
    )
    vector.release()
    sprite.release()


if __name__ == "__main__":
    main()
