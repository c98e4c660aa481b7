"""Edge: the face puppet, a drawn face that moves as the singer's recorded landmarks move.

Each frame the face track is sampled at the frame's time (pure: points interpolated between
the video's frames, bridged over short gaps, faded in long ones), placed on screen like the
character picture, and turned into flat fills and anti-aliased strokes: a head (the jaw line
closed by a forehead arc the landmarks do not have), cheeks, eyes with pupils that shrink as
the lids close, brows, the nose tip and the lips. The landmark polylines are coarse (five
points a brow), so each is smoothed with a Catmull-Rom spline before it is drawn.

With a timeline the lips are livesync's vector mouth (shaders/mouth/mouth.frag) driven by the
viseme pose, placed on the recorded lip line, as wide as the recorded lips and turned with
the head: the recording gives the head, eyes and brows, the timeline gives the words. The
style's `lip_sync = false` keeps the recorded lips instead.

All geometry is built with numpy in pixels and drawn in one call; lines are quads whose
fragments measure their distance to the segment, so the puppet is sharp at any size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import moderngl
import numpy as np
from numpy.typing import NDArray

from livesync.formats.landmarks import read_face_track
from livesync.frame.state import FrameState
from livesync.lipsync.face import Face, FaceTrack
from livesync.render.layers import set_uniform as _set
from livesync.render.mouth_bounds import mouth_extent
from livesync.resources import shader_path
from livesync.show.puppet_style import Color, PuppetStyle
from livesync.show.show_file import Character

Array = NDArray[np.float64]
FLOATS = 11  # per vertex: x, y, r, g, b, a, segment (ax, ay, bx, by), radius
MOUTH_QUAD_PER_WIDTH = 1.0 / 0.55  # mouth.frag's neutral mouth spans 0.55 of the half quad
# The vector mouth's corners sit inside its width: at 0.85 its neutral width matches a
# recorded mouth's corner to corner, and a wide-open mouth stays clear of the nose.
MOUTH_FIT = 0.85
AA_PIXELS = 3.0
STEPS = 4  # spline points per landmark segment


def _read(relative: str) -> str:
    return shader_path(relative).read_text(encoding="utf-8")


def spline(points: Array, closed: bool, steps: int = STEPS) -> Array:
    """A Catmull-Rom curve through the points: `steps` points per segment, ends kept."""
    n = len(points)
    if n < 3:
        return points
    if closed:
        p = np.concatenate([points[-1:], points, points[:2]])
        count = n
    else:
        p = np.concatenate([2 * points[:1] - points[1:2], points, 2 * points[-1:] - points[-2:-1]])
        count = n - 1
    t = (np.arange(steps) / steps)[None, :, None]
    p0, p1, p2, p3 = (p[k : k + count, None, :] for k in range(4))
    curve = 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
        + (3 * p1 - p0 - 3 * p2 + p3) * t**3
    )
    out = curve.reshape(-1, 2)
    return out if closed else np.concatenate([out, points[-1:]])


class Mesh:
    """Vertices in drawing order: GL blends the triangles of one draw call in that order."""

    def __init__(self) -> None:
        self.parts: list[Array] = []

    def _add(self, xy: Array, rgba: tuple[float, ...], segment: Array, radius: Array) -> None:
        n = len(xy)
        block = np.empty((n, FLOATS))
        block[:, 0:2] = xy
        block[:, 2:6] = rgba
        block[:, 6:10] = segment
        block[:, 10] = radius
        self.parts.append(block)

    def fan(self, polygon: Array, color: Color, alpha: float = 1.0) -> None:
        """A filled star-shaped polygon (head, eyes, the mouth's opening)."""
        center = polygon.mean(axis=0)
        nxt = np.roll(polygon, -1, axis=0)
        tris = np.stack([np.broadcast_to(center, polygon.shape), polygon, nxt], axis=1)
        xy = tris.reshape(-1, 2)
        self._add(xy, (*color, alpha), np.zeros((len(xy), 4)), np.full(len(xy), -1.0))

    def band(self, one: Array, two: Array, color: Color) -> None:
        """The strip between two curves of as many points (a lip: outer and inner edge)."""
        a0, a1, b0, b1 = one[:-1], one[1:], two[:-1], two[1:]
        xy = np.stack([a0, b0, a1, a1, b0, b1], axis=1).reshape(-1, 2)
        self._add(xy, (*color, 1.0), np.zeros((len(xy), 4)), np.full(len(xy), -1.0))

    def line(self, points: Array, color: Color, width: float, closed: bool = False) -> None:
        """Round-capped segments: joints need no special case, the caps overlap."""
        if closed:
            points = np.concatenate([points, points[:1]])
        self.segments(points[:-1], points[1:], color, width / 2)

    def dot(self, center: Array, color: Color, radius: float, alpha: float = 1.0) -> None:
        c = np.asarray(center, dtype=np.float64)[None, :]
        self.segments(c, c, color, radius, alpha)

    def segments(self, a: Array, b: Array, color: Color, radius: float, alpha: float = 1.0) -> None:
        if radius <= 0 or len(a) == 0:
            return
        along = b - a
        length = np.hypot(along[:, 0], along[:, 1])[:, None]
        d = np.where(length > 1e-9, along / np.maximum(length, 1e-9), [[1.0, 0.0]])
        n = np.stack([-d[:, 1], d[:, 0]], axis=1)
        e = radius + 1.5  # room for the anti-aliased edge
        corners = [a - (d + n) * e, a - (d - n) * e, b + (d + n) * e, b + (d - n) * e]
        xy = np.stack([corners[i] for i in (0, 1, 2, 0, 2, 3)], axis=1).reshape(-1, 2)
        segment = np.repeat(np.concatenate([a, b], axis=1), 6, axis=0)
        self._add(xy, (*color, alpha), segment, np.full(len(xy), radius))

    def vertices(self) -> NDArray[np.float32]:
        if not self.parts:
            return np.zeros((0, FLOATS), np.float32)
        return np.concatenate(self.parts).astype(np.float32)


def frame_box(track: FaceTrack) -> tuple[float, float, float, float]:
    """(left, top, width, height) of the picture the face lives in, in track pixels: the
    video's frame when the file says its size, else the faces' bounds with room for the
    forehead (which the landmarks stop short of) and a margin."""
    if track.size is not None:
        return 0.0, 0.0, float(track.size[0]), float(track.size[1])
    lo = np.nanmin(track.points, axis=(0, 1))
    hi = np.nanmax(track.points, axis=(0, 1))
    height = float(hi[1] - lo[1])
    top, bottom = float(lo[1]) - 0.5 * height, float(hi[1]) + 0.1 * height
    middle = float(lo[0] + hi[0]) / 2
    width = max(float(hi[0] - lo[0]) * 1.3, bottom - top)
    return middle - width / 2, top, width, bottom - top


def forehead(p: Array, up: Array, scale: float) -> Array:
    """An arc from the right end of the jaw line over the brows to its left end."""
    left, right = p[0], p[16]
    middle, half = (left + right) / 2, (right - left) / 2
    brow_top = max(float(np.dot(q - middle, up)) for q in p[17:27])
    rise = brow_top + 0.55 * scale
    theta = np.linspace(0.0, math.pi, 15)[1:-1, None]
    arc: Array = middle + half * np.cos(theta) + up * rise * np.sin(theta) ** 0.8
    return arc


def face_mesh(p: Array, style: PuppetStyle, line: float, recorded_lips: bool) -> Mesh:
    """The drawn face for dlib's 68 points `p` in screen pixels (y down); `line` is the
    outline width in pixels."""
    mesh = Mesh()
    across = p[45] - p[36]
    scale = float(np.hypot(*across)) or 1.0
    down = np.array([-across[1], across[0]]) / scale
    up = -down
    head = np.concatenate([spline(p[0:17], False), spline(forehead(p, up, scale), False)])
    mesh.fan(head, style.skin)
    side = across / scale
    for eye, out in ((p[36:42], -side), (p[42:48], side)):
        cheek = eye.mean(axis=0) + (0.62 * down + 0.08 * out) * scale
        mesh.dot(cheek, style.cheeks, 0.16 * scale, alpha=0.4)
    mesh.line(head, style.line, line, closed=True)
    for eye in (p[36:42], p[42:48]):
        _eye(mesh, eye, style, line)
    for brow in (p[17:22], p[22:27]):
        mesh.line(spline(brow, False), style.brows, 2.4 * line)
    mesh.line(spline(p[31:36], False), style.line, 0.9 * line)
    if recorded_lips:
        _lips(mesh, p, style, line)
    return mesh


def _eye(mesh: Mesh, eye: Array, style: PuppetStyle, line: float) -> None:
    shape = spline(eye, True)
    mesh.fan(shape, style.eyes)
    width = float(np.hypot(*(eye[3] - eye[0])))
    gap = (float(np.hypot(*(eye[1] - eye[5]))) + float(np.hypot(*(eye[2] - eye[4])))) / 2
    radius = min(0.24 * width, 0.55 * gap)  # a closing lid hides the pupil
    center = eye.mean(axis=0)
    mesh.dot(center, style.pupils, radius)
    mesh.dot(center + np.array([-0.35, -0.4]) * radius, style.eyes, 0.3 * radius)
    mesh.line(shape, style.line, 0.9 * line, closed=True)


def _lips(mesh: Mesh, p: Array, style: PuppetStyle, line: float) -> None:
    """The recorded lips: the opening, then each lip as a band from its outer to its inner
    edge (both run corner to corner), outlined."""
    upper_outer = p[48:55]
    lower_outer = p[[48, 59, 58, 57, 56, 55, 54]]
    upper_inner = p[[48, 60, 61, 62, 63, 64, 54]]
    lower_inner = p[[48, 60, 67, 66, 65, 64, 54]]
    opening = np.concatenate([spline(upper_inner, False), spline(lower_inner, False)[::-1]])
    mesh.fan(opening, style.mouth)
    mesh.band(spline(upper_outer, False), spline(upper_inner, False), style.lips)
    mesh.band(spline(lower_outer, False), spline(lower_inner, False), style.lips)
    mesh.line(spline(p[60:68], True), style.line, 0.6 * line, closed=True)
    outline = np.concatenate([spline(upper_outer, False), spline(lower_outer, False)[::-1]])
    mesh.line(outline, style.line, 0.8 * line, closed=True)


class Puppet:
    """The GL side: the face track, its programs and one dynamic vertex buffer."""

    def __init__(self, ctx: Any, character: Character, corners: Any) -> None:
        if character.landmarks is None:
            raise ValueError("a puppet needs character.landmarks")
        self.ctx = ctx
        self.character = character
        self.style = character.puppet
        self.track = read_face_track(character.landmarks)
        self.box = frame_box(self.track)
        self.program = ctx.program(
            vertex_shader=_read("puppet/shape.vert"), fragment_shader=_read("puppet/shape.frag")
        )
        self.buffer = ctx.buffer(reserve=4 * FLOATS * 4096, dynamic=True)
        self.vao = ctx.vertex_array(
            self.program,
            [(self.buffer, "2f 4f 4f 1f", "in_pos", "in_color", "in_segment", "in_radius")],
        )
        self.mouth = ctx.program(
            vertex_shader=_read("common/quad.vert"), fragment_shader=_read("mouth/mouth.frag")
        )
        self.mouth_vao = ctx.vertex_array(self.mouth, [(corners, "2f", "in_corner")])

    def release(self) -> None:
        for obj in (self.vao, self.buffer, self.program, self.mouth_vao, self.mouth):
            obj.release()

    def placed(self, face: Face, size: tuple[int, int]) -> Array:
        """dlib's 68 points in screen pixels (y down), the track's frame fitted as the
        character picture is: centred on `center`, `height` of the output tall."""
        w, h = size
        left, top, bw, bh = self.box
        s = self.character.height * h / bh
        cx, cy = self.character.center
        origin = np.array([cx * w - s * bw / 2 - s * left, cy * h - s * bh / 2 - s * top])
        points: Array = origin + face.to_68() * s
        return points

    def draw(
        self,
        state: FrameState,
        size: tuple[int, int],
        mouth_colors: Mapping[str, tuple[float, float, float]],
    ) -> None:
        """Draw the face at `state.time` into the bound framebuffer: nothing while the
        recording has no face to show (a long gap)."""
        sample = self.track.sample(state.time)
        if sample is None:
            return
        w, h = size
        p = self.placed(sample.face, size)
        line = max(self.style.line_width * h, 0.75)
        mesh = face_mesh(p, self.style, line, recorded_lips=not self.style.lip_sync)
        data = mesh.vertices()
        data[:, 1] = h - data[:, 1]  # GL's y points up
        data[:, 7] = h - data[:, 7]
        data[:, 9] = h - data[:, 9]
        raw = data.tobytes()
        if len(raw) > self.buffer.size:
            self.buffer.orphan(len(raw) * 2)
        self.buffer.write(raw)
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = (
            moderngl.SRC_ALPHA,
            moderngl.ONE_MINUS_SRC_ALPHA,
            moderngl.ONE,
            moderngl.ONE_MINUS_SRC_ALPHA,
        )
        _set(self.program, "u_resolution", (float(w), float(h)))
        _set(self.program, "u_opacity", sample.visibility)
        self.vao.render(moderngl.TRIANGLES, vertices=len(data))
        if self.style.lip_sync:
            self._draw_mouth(state, size, p, mouth_colors, sample.visibility)

    def _draw_mouth(
        self,
        state: FrameState,
        size: tuple[int, int],
        p: Array,
        colors: Mapping[str, tuple[float, float, float]],
        opacity: float,
    ) -> None:
        """The vector mouth on the recorded lip line, as wide as the recorded lips."""
        w, h = size
        left, right = p[48], p[54]
        middle = (left + right) / 2
        across = right - left
        width = float(np.hypot(*across))
        half = MOUTH_FIT * width * MOUTH_QUAD_PER_WIDTH / 2
        m = self.mouth
        for name, rgb in {**vars(self.character.colors), **colors}.items():
            _set(m, f"u_{name}_color", rgb)
        _set(m, "u_resolution", (float(w), float(h)))
        _set(m, "u_center", (float(middle[0]), float(h - middle[1])))
        _set(m, "u_half_size", (half, half))
        _set(m, "u_angle", -math.atan2(float(across[1]), float(across[0])))
        _set(m, "u_extent", mouth_extent(state.pose, pad=AA_PIXELS / max(half, 1.0)))
        _set(m, "u_opacity", opacity)
        for name, value in zip(
            ("open", "width", "round", "teeth", "tongue", "bite", "press"),
            state.pose.as_tuple(),
            strict=True,
        ):
            _set(m, f"u_{name}", value)
        self.mouth_vao.render(moderngl.TRIANGLE_STRIP)
