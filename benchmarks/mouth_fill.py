"""Where the frame goes on llvmpipe: the mouth pass's fragment cost, full quad vs a tight quad.

    python benchmarks/mouth_fill.py              # 1920x1080, every viseme's pose

The renderer draws mouth.frag over a square quad 1.82x the mouth's width; the mouth covers a
fraction of it, but a software rasteriser shades every pixel of the quad. This times the
mouth draw alone (+ ctx.finish()) for each viseme pose, then the same shader through a vertex
shader that shrinks the quad to the pose's drawn area (found here by reading the pixels back,
plus 4 px), and checks the picture is unchanged (alpha-premultiplied, as it is blended).
The renderer itself draws the box livesync/mouth_bounds.py fits to the pose (no read-back):
the "fitted" column times that, next to the read-back ideal.
"""

from __future__ import annotations

import struct
import tempfile
import time
from pathlib import Path
from typing import Any

import moderngl
import numpy as np
from _common import TRIVIAL_MAIN_IMAGE, character_png, demo_character, machine, table

from livesync.lipsync.visemes import POSES, MouthPose
from livesync.render.mouth_bounds import mouth_extent
from livesync.render.renderer import Renderer
from livesync.render.vector_mouth import AA_PIXELS, MOUTH_QUAD_PER_WIDTH
from livesync.resources import shader_path

TIGHT_VERT = """#version 330 core
in vec2 in_corner;
uniform vec2 u_center;
uniform vec2 u_half_size;
uniform vec2 u_resolution;
uniform vec2 u_extent;  // the part of the square quad to cover, 0..1 on each axis
out vec2 v_local;
out vec2 v_uv;
void main() {
    vec2 c = in_corner * u_extent;
    v_local = c;
    v_uv = c * 0.5 + 0.5;
    gl_Position = vec4((u_center + c * u_half_size) / u_resolution * 2.0 - 1.0, 0.0, 1.0);
}
"""
SIZE = (1920, 1080)
REPEATS = 15


def set_uniforms(program: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in program:
            program[name].value = value


def image(ctx: Any, fbo: Any, vao: Any) -> np.ndarray:
    """The pass drawn alone on transparent black, alpha-premultiplied as it is blended."""
    fbo.clear(0.0, 0.0, 0.0, 0.0)
    vao.render(moderngl.TRIANGLE_STRIP)
    ctx.finish()
    rgba = np.frombuffer(fbo.read(components=4), np.uint8).reshape(SIZE[1], SIZE[0], 4)
    img = rgba.astype(np.int32)
    img[..., :3] = img[..., :3] * img[..., 3:] // 255
    return img


def median_ms(ctx: Any, vaos: list[Any]) -> list[float]:
    """Median ms of draw + finish for each vao, alternating them so load drifts hit all alike."""
    times: list[list[float]] = [[] for _ in vaos]
    for _ in range(REPEATS):
        for vao, out in zip(vaos, times, strict=True):
            t0 = time.perf_counter()
            vao.render(moderngl.TRIANGLE_STRIP)
            ctx.finish()
            out.append(time.perf_counter() - t0)
    return [float(np.median(t)) * 1e3 for t in times]


def main() -> None:
    ctx = moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    print(f"GL_RENDERER: {ctx.info['GL_RENDERER']}  |  machine: {machine()}\n")
    w, h = SIZE
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.glsl"
        trivial.write_text(TRIVIAL_MAIN_IMAGE, encoding="utf-8")
        renderer = Renderer(ctx, trivial, demo_character(character_png(Path(tmp))))
    center, mouth_width = renderer.character_layer.place(w, h)  # the placement render() uses
    half = mouth_width * MOUTH_QUAD_PER_WIDTH / 2
    program = renderer.character_layer.mouth.program
    frag = shader_path("mouth/mouth.frag").read_text(encoding="utf-8")
    tight = ctx.program(vertex_shader=TIGHT_VERT, fragment_shader=frag)
    corners = ctx.buffer(struct.pack("8f", -1, -1, 1, -1, -1, 1, 1, 1))
    vaos = {
        "full": ctx.vertex_array(program, [(corners, "2f", "in_corner")]),
        "tight": ctx.vertex_array(tight, [(corners, "2f", "in_corner")]),
    }
    colors = {f"u_{k}_color": v for k, v in vars(renderer.character.colors).items()}
    fbo = ctx.simple_framebuffer(SIZE, components=4)
    fbo.use()
    ctx.disable(moderngl.BLEND)

    rows: list[list[object]] = []
    for viseme, pose in POSES.items():
        values = {
            "u_resolution": (float(w), float(h)),
            "u_center": center,
            "u_half_size": (half, half),
            "u_extent": (-1.0, -1.0, 1.0, 1.0),
            **colors,
            **pose_uniforms(pose),
        }
        set_uniforms(program, values)
        full = image(ctx, fbo, vaos["full"])
        ys, xs = np.nonzero(full[..., 3])
        ex = min(1.0, (np.abs(xs - center[0]).max() + 4) / half)
        ey = min(1.0, (np.abs(ys - center[1]).max() + 4) / half)
        set_uniforms(tight, {**values, "u_extent": (ex, ey)})
        small = image(ctx, fbo, vaos["tight"])
        full_ms, tight_ms = median_ms(ctx, [vaos["full"], vaos["tight"]])
        set_uniforms(
            program,
            {"u_extent": mouth_extent(pose, AA_PIXELS / half)},
        )
        fitted = image(ctx, fbo, vaos["full"])
        fitted_ms = median_ms(ctx, [vaos["full"]])[0]
        rows.append(
            [
                viseme.value,
                round((2 * half) ** 2),
                len(xs),
                f"{ex:.2f} x {ey:.2f}",
                full_ms,
                fitted_ms,
                tight_ms,
                int(max(np.abs(full - small).max(), np.abs(full - fitted).max())),
            ]
        )
    print(f"## Mouth pass alone at {w}x{h} (draw + ctx.finish(), median of {REPEATS}, ms)\n")
    print(
        table(
            [
                "viseme",
                "quad px",
                "drawn px",
                "tight extent",
                "full quad ms",
                "fitted box ms (livesync)",
                "read-back ideal ms",
                "max diff (0-255)",
            ],
            rows,
        )
    )
    full_med, fitted_med, tight_med = (
        float(np.median([float(r[k]) for r in rows]))  # type: ignore[arg-type]
        for k in (4, 5, 6)
    )
    print(
        f"\nmedian over poses: full {full_med:.2f} ms, fitted {fitted_med:.2f} ms, "
        f"ideal {tight_med:.2f} ms"
    )


def pose_uniforms(pose: MouthPose) -> dict[str, float]:
    names = ("open", "width", "round", "teeth", "tongue", "bite", "press")
    return {f"u_{n}": v for n, v in zip(names, pose.as_tuple(), strict=True)}


if __name__ == "__main__":
    main()
