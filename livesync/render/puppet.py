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
fragments measure their distance to the segment, so the puppet is sharp at any size. The
splines are linear in the landmarks, so every fill vertex and segment end of the face is one
precomputed matrix applied to the frame's points, and all the line quads are one vectorised
pass over the segments.
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
from livesync.lipsync.face import Face, FaceSample, FaceTrack
from livesync.lipsync.idle import IdlePose, place
from livesync.render.layers import set_uniform as _set
from livesync.render.vector_mouth import VectorMouth
from livesync.resources import shader_path
from livesync.show.puppet_style import Color, PuppetStyle
from livesync.show.show_file import Character

Array = NDArray[np.float64]
Float32 = NDArray[np.float32]
# The vector mouth's corners sit inside its width: at 0.85 its neutral width matches a
# recorded mouth's corner to corner, and a wide-open mouth stays clear of the nose.
MOUTH_FIT = 0.85
STEPS = 4  # spline points per landmark segment


def _read(relative: str) -> str:
    return shader_path(relative).read_text(encoding="utf-8")


def spline_matrix(n: int, closed: bool, steps: int = STEPS) -> Array:
    """The (points out x n) matrix of a Catmull-Rom curve through n points: `steps` points
    per segment, ends kept. The curve is linear in its points, so `matrix @ points` is it."""
    if n < 3:
        return np.eye(n)
    # The padded control points as rows of the n points: a closed curve wraps, an open one
    # mirrors its end points (2 * p[0] - p[1] before, 2 * p[-1] - p[-2] after).
    if closed:
        pad = np.eye(n)[[n - 1, *range(n), 0, 1]]
        count = n
    else:
        eye = np.eye(n)
        pad = np.concatenate([2 * eye[:1] - eye[1:2], eye, 2 * eye[-1:] - eye[-2:-1]])
        count = n - 1
    t = (np.arange(steps) / steps)[None, :, None]
    p0, p1, p2, p3 = (pad[k : k + count, None, :] for k in range(4))
    curve = 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
        + (3 * p1 - p0 - 3 * p2 + p3) * t**3
    )
    out: Array = curve.reshape(-1, n)
    return out if closed else np.concatenate([out, np.eye(n)[-1:]])


def spline(points: Array, closed: bool, steps: int = STEPS) -> Array:
    """A Catmull-Rom curve through the points: `steps` points per segment, ends kept."""
    curve: Array = spline_matrix(len(points), closed, steps) @ points
    return curve


# The face's points, as rows of one (POINTS x 2) array each frame: dlib's 68, then the
# vectors that are not a fixed blend of them. The forehead arc's points are its middle plus
# cos(theta) times its half width (blends of the jaw's ends) plus sin(theta)^0.8 times RISE,
# the arc's height up the face; a cheek is its eye's middle, 0.08 of the eyes' span outwards
# and 0.62 of DOWN, that span turned a quarter; the pupils' highlights sit HIGHLIGHTS from
# their middles.
RISE = 68
DOWN = RISE + 1
HIGHLIGHTS = DOWN + 1  # right eye, left eye
POINTS = HIGHLIGHTS + 2
EYES = (36, 42)
THETA = np.linspace(0.0, math.pi, 15)[1:-1, None]
ARC_COS, ARC_SIN = np.cos(THETA), np.sin(THETA) ** 0.8


class _Layout:
    """The face's parts in drawing order, every position a coefficient row over the face's
    POINTS: fills (fans, bands) are fixed blends of them, and so are a line segment's ends;
    only a segment's quad (its direction and width) is worked out per frame."""

    def __init__(self) -> None:
        self.fills: list[Array] = []  # coefficient rows of fill vertices
        self.a: list[Array] = []  # segment start and end rows
        self.b: list[Array] = []
        self.widths: list[Array] = []  # a line's radius per outline width (0 for a dot)
        self.dots: list[int] = []  # segment numbers of the dots, in the order of their radii
        self.kinds: list[tuple[bool, int]] = []  # (is a fill, vertex count) in drawing order
        self.colors: list[tuple[tuple[float, ...], int]] = []

    def _part(self, fill: bool, count: int, rgba: tuple[float, ...]) -> None:
        self.kinds.append((fill, count))
        self.colors.append((rgba, count))

    def fan(self, polygon: Array, color: Color, alpha: float = 1.0) -> None:
        """A filled star-shaped polygon (head, eyes, the mouth's opening)."""
        center = polygon.mean(axis=0)
        nxt = np.roll(polygon, -1, axis=0)
        tris = np.stack([np.broadcast_to(center, polygon.shape), polygon, nxt], axis=1)
        self.fills.append(tris.reshape(-1, POINTS))
        self._part(True, 3 * len(polygon), (*color, alpha))

    def band(self, one: Array, two: Array, color: Color) -> None:
        """The strip between two curves of as many points (a lip: outer and inner edge)."""
        a0, a1, b0, b1 = one[:-1], one[1:], two[:-1], two[1:]
        self.fills.append(np.stack([a0, b0, a1, a1, b0, b1], axis=1).reshape(-1, POINTS))
        self._part(True, 6 * len(a0), (*color, 1.0))

    def line(self, points: Array, color: Color, width: float, closed: bool = False) -> None:
        """Round-capped segments: joints need no special case, the caps overlap."""
        if closed:
            points = np.concatenate([points, points[:1]])
        self._segments(points[:-1], points[1:], np.full(len(points) - 1, width / 2), color)

    def dot(self, center: Array, color: Color, alpha: float = 1.0) -> None:
        """A dot whose radius is given per frame."""
        self.dots.append(sum(len(a) for a in self.a))
        self._segments(center[None, :], center[None, :], np.zeros(1), color, alpha)

    def _segments(
        self, a: Array, b: Array, widths: Array, color: Color, alpha: float = 1.0
    ) -> None:
        self.a.append(a)
        self.b.append(b)
        self.widths.append(widths)
        self._part(False, 6 * len(a), (*color, alpha))


class FaceGeometry:
    """The drawn face for one style: a head (the jaw line closed by a forehead arc the
    landmarks do not have), cheeks, eyes with pupils, brows, the nose tip and, with
    `recorded_lips`, the lips. Its layout is built once; each frame is one matrix product
    for every point of every part, then one vectorised pass for all the line quads."""

    def __init__(self, style: PuppetStyle, recorded_lips: bool) -> None:
        rows = np.eye(POINTS)
        layout = _Layout()
        middle, half = (rows[0] + rows[16]) / 2, (rows[16] - rows[0]) / 2
        arc = middle + half * ARC_COS + rows[RISE] * ARC_SIN
        head = np.concatenate(
            [spline_matrix(17, False) @ rows[0:17], spline_matrix(13, False) @ arc]
        )
        layout.fan(head, style.skin)
        across = rows[45] - rows[36]
        for eye, out in ((36, -across), (42, across)):
            cheek = rows[eye : eye + 6].mean(axis=0) + 0.62 * rows[DOWN] + 0.08 * out
            layout.dot(cheek, style.cheeks, alpha=0.4)
        layout.line(head, style.line, 1.0, closed=True)
        for eye, highlight in zip(EYES, (HIGHLIGHTS, HIGHLIGHTS + 1), strict=True):
            shape = spline_matrix(6, True) @ rows[eye : eye + 6]
            layout.fan(shape, style.eyes)
            layout.dot(rows[eye : eye + 6].mean(axis=0), style.pupils)
            layout.dot(rows[eye : eye + 6].mean(axis=0) + rows[highlight], style.eyes)
            layout.line(shape, style.line, 0.9, closed=True)
        for brow in (17, 22):
            layout.line(spline_matrix(5, False) @ rows[brow : brow + 5], style.brows, 2.4)
        layout.line(spline_matrix(5, False) @ rows[31:36], style.line, 0.9)
        if recorded_lips:
            _lips(layout, rows, style)
        self._build(layout)

    def _build(self, layout: _Layout) -> None:
        fills = np.concatenate(layout.fills)
        a, b = np.concatenate(layout.a), np.concatenate(layout.b)
        ns = len(a)
        # Every distinct position once (the fans and outlines share their curves' points).
        self.blend, index = np.unique(np.concatenate([fills, a, b]), axis=0, return_inverse=True)
        index = index.reshape(-1)
        fill_index, self.a_index, self.b_index = np.split(index, [len(fills), len(fills) + ns])
        self.widths = np.concatenate(layout.widths)
        self.dots = np.array(layout.dots)
        # Per vertex, in drawing order: the position it starts from (a fill's point, a quad
        # corner's segment end), the row of its quad offset (-plus, -minus, plus, minus per
        # segment, then a zero row for the fills) and the row of its segment (ends, radius;
        # a last row marks fills).
        base: list[NDArray[np.intp]] = []
        offset: list[NDArray[np.intp]] = []
        segment: list[NDArray[np.intp]] = []
        filled = segments = 0
        for fill, count in layout.kinds:
            if fill:
                base.append(fill_index[filled : filled + count])
                offset.append(np.full(count, 4 * ns))
                segment.append(np.full(count, ns))
                filled += count
                continue
            k = np.arange(segments, segments + count // 6)
            ends = np.stack([self.a_index[k], self.b_index[k]], axis=1)
            base.append(ends[:, [0, 0, 1, 0, 1, 1]].reshape(-1))
            corners = np.array([0, 1, 2, 0, 2, 3]) * ns
            offset.append((k[:, None] + corners).reshape(-1))
            segment.append(np.repeat(k, 6))
            segments += count // 6
        self.base = np.concatenate(base)
        self.offset = np.concatenate(offset)
        self.segment = np.concatenate(segment)
        vertices = len(self.base)
        self.colors = np.concatenate([np.tile(c, (n, 1)) for c, n in layout.colors])
        self.colors = self.colors.astype(np.float32)
        self.points = np.empty((POINTS, 2))
        self.offsets = np.zeros((4 * ns + 1, 2))
        self.segments = np.zeros((ns + 1, 5))
        self.segments[ns, 4] = -1.0  # fills
        self.positions_out = np.empty((vertices, 2), np.float32)
        self.segments_out = np.empty((vertices, 5), np.float32)

    def vertices(self, p: Array, line: float, height: float) -> tuple[Float32, Float32]:
        """The vertices for dlib's 68 points `p` in screen pixels (y down), `line` the
        outline width in pixels, in GL's pixels (y up) for an output `height` tall: each
        one's position (x, y) and segment (ax, ay, bx, by, radius), its colour being
        `colors`. The arrays are reused: they hold the next face after the next call."""
        q = p.tolist()
        (x0, y0), (x16, y16), (x36, y36), (x45, y45) = q[0], q[16], q[36], q[45]
        ax, ay = x45 - x36, y45 - y36
        scale = math.hypot(ax, ay) or 1.0
        ux, uy = ay / scale, -ax / scale
        # The forehead arc rises 0.55 of the eyes' span above the highest brow point.
        mx, my = (x0 + x16) / 2, (y0 + y16) / 2
        rise = max((x - mx) * ux + (y - my) * uy for x, y in q[17:27]) + 0.55 * scale
        pupils = []
        for first in EYES:
            o = q[first : first + 6]
            width = math.hypot(o[3][0] - o[0][0], o[3][1] - o[0][1])
            gap = math.hypot(o[1][0] - o[5][0], o[1][1] - o[5][1])
            gap = (gap + math.hypot(o[2][0] - o[4][0], o[2][1] - o[4][1])) / 2
            pupils.append(min(0.24 * width, 0.55 * gap))  # a closing lid hides the pupil
        right, left = pupils
        points = self.points
        points[:68] = p
        points[RISE:] = (
            (ux * rise, uy * rise),
            (-ay, ax),
            (-0.35 * right, -0.4 * right),
            (-0.35 * left, -0.4 * left),
        )

        xy = self.blend @ points
        a, b = xy.take(self.a_index, axis=0), xy.take(self.b_index, axis=0)
        radius = self.widths * line
        dot = 0.16 * scale
        radius[self.dots] = (dot, dot, right, 0.3 * right, left, 0.3 * left)
        along = b - a
        length = np.hypot(along[:, 0], along[:, 1])[:, None]
        d = along / np.maximum(length, 1e-9)
        d[length[:, 0] <= 1e-9] = (1.0, 0.0)  # a dot
        n = d[:, ::-1] * (-1.0, 1.0)
        # Room for the anti-aliased edge; a dot of no size (a shut eye's pupil) is not drawn.
        e = np.where(radius > 0, radius + 1.5, 0.0)[:, None]
        ns = len(a)
        segments = self.segments
        segments[:ns, 0:2] = a
        segments[:ns, 2:4] = b
        segments[:ns, 4] = radius
        # GL's y points up: flip the positions, the segment ends and the offsets' y.
        segments[:ns, 1] = height - a[:, 1]
        segments[:ns, 3] = height - b[:, 1]
        xy[:, 1] = height - xy[:, 1]
        offsets = self.offsets
        np.multiply(d + n, e, out=offsets[2 * ns : 3 * ns])
        np.multiply(d - n, e, out=offsets[3 * ns : 4 * ns])
        offsets[2 * ns : 4 * ns, 1] *= -1.0
        np.negative(offsets[2 * ns : 4 * ns], out=offsets[: 2 * ns])
        np.add(
            xy.take(self.base, axis=0),
            offsets.take(self.offset, axis=0),
            out=self.positions_out,
            casting="same_kind",
        )
        self.segments_out[:] = segments.take(self.segment, axis=0)
        return self.positions_out, self.segments_out


def _lips(layout: _Layout, rows: Array, style: PuppetStyle) -> None:
    """The recorded lips: the opening, then each lip as a band from its outer to its inner
    edge (both run corner to corner), outlined."""
    curve = spline_matrix(7, False)
    upper_outer = curve @ rows[48:55]
    lower_outer = curve @ rows[[48, 59, 58, 57, 56, 55, 54]]
    upper_inner = curve @ rows[[48, 60, 61, 62, 63, 64, 54]]
    lower_inner = curve @ rows[[48, 60, 67, 66, 65, 64, 54]]
    layout.fan(np.concatenate([upper_inner, lower_inner[::-1]]), style.mouth)
    layout.band(upper_outer, upper_inner, style.lips)
    layout.band(lower_outer, lower_inner, style.lips)
    layout.line(spline_matrix(8, True) @ rows[60:68], style.line, 0.6, closed=True)
    layout.line(np.concatenate([upper_outer, lower_outer[::-1]]), style.line, 0.8, closed=True)


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


class Puppet:
    """The GL side: the face track, its programs, and its vertex buffers (positions and
    segments rewritten each frame, colours fixed)."""

    def __init__(self, ctx: Any, character: Character, mouth: VectorMouth) -> None:
        if character.landmarks is None:
            raise ValueError("a puppet needs character.landmarks")
        self.ctx = ctx
        self.character = character
        self.style = character.puppet
        self.track = read_face_track(character.landmarks)
        self.geometry = FaceGeometry(self.style, recorded_lips=not self.style.lip_sync)
        self.box = frame_box(self.track)
        self.program = ctx.program(
            vertex_shader=_read("puppet/shape.vert"), fragment_shader=_read("puppet/shape.frag")
        )
        # The face's vertex count is fixed: positions and segments change every frame,
        # the colours never.
        geometry = self.geometry
        count = len(geometry.colors)
        self.positions = ctx.buffer(reserve=count * 2 * 4, dynamic=True)
        self.colors = ctx.buffer(geometry.colors.tobytes())
        self.segments = ctx.buffer(reserve=count * 5 * 4, dynamic=True)
        self.vao = ctx.vertex_array(
            self.program,
            [
                (self.positions, "2f", "in_pos"),
                (self.colors, "4f", "in_color"),
                (self.segments, "4f 1f", "in_segment", "in_radius"),
            ],
        )
        self.mouth = mouth  # the character's vector mouth, which owns it
        self._sampled: tuple[float, FaceSample | None] | None = None

    def release(self) -> None:
        for obj in (
            self.vao,
            self.positions,
            self.colors,
            self.segments,
            self.program,
        ):
            obj.release()

    def placed(self, face: Face, size: tuple[int, int], idle: IdlePose | None = None) -> Array:
        """dlib's 68 points in screen pixels (y down), the track's frame fitted as the
        character picture is: centred on `center`, `height` of the output tall; then moved
        by the idle motion (bob, sway, breath) as a picture would be."""
        w, h = size
        left, top, bw, bh = self.box
        s = self.character.height * h / bh
        cx, cy = self.character.center
        origin = np.array([cx * w - s * bw / 2 - s * left, cy * h - s * bh / 2 - s * top])
        points: Array = origin + face.to_68() * s
        if idle is None:
            return points
        flip = np.array([1.0, -1.0]), np.array([0.0, float(h)])  # y down <-> y up
        up = points * flip[0] + flip[1]
        moved = place(idle, up, (cx * w, (1 - cy) * h), self.character.height * h)
        out: Array = moved * flip[0] + flip[1]
        return out

    def sample(self, t: float) -> FaceSample | None:
        """The face track at `t`, kept for the frame: the renderer asks for the opacity
        before it draws."""
        if self._sampled is None or self._sampled[0] != t:
            self._sampled = (t, self.track.sample(t))
        return self._sampled[1]

    def draw(
        self,
        state: FrameState,
        size: tuple[int, int],
        mouth_colors: Mapping[str, tuple[float, float, float]],
        solid: bool = False,
    ) -> None:
        """Draw the face at `state.time` into the bound framebuffer: nothing while the
        recording has no face to show (a long gap); fading, at its visibility unless
        `solid` (drawn whole and faded by the caller)."""
        sample = self.sample(state.time)
        if sample is None:
            return
        opacity = 1.0 if solid else sample.visibility
        w, h = size
        p = self.placed(sample.face, size, state.idle)
        line = max(self.style.line_width * h, 0.75)
        positions, segments = self.geometry.vertices(p, line, h)
        self.positions.write(positions)
        self.segments.write(segments)
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = (
            moderngl.SRC_ALPHA,
            moderngl.ONE_MINUS_SRC_ALPHA,
            moderngl.ONE,
            moderngl.ONE_MINUS_SRC_ALPHA,
        )
        _set(self.program, "u_resolution", (float(w), float(h)))
        _set(self.program, "u_opacity", opacity)
        self.vao.render(moderngl.TRIANGLES, vertices=len(positions))
        if self.style.lip_sync:
            self._draw_mouth(state, size, p, mouth_colors, opacity)

    def _draw_mouth(
        self,
        state: FrameState,
        size: tuple[int, int],
        p: Array,
        colors: Mapping[str, tuple[float, float, float]],
        opacity: float,
    ) -> None:
        """The vector mouth on the recorded lip line, as wide as the recorded lips."""
        h = size[1]
        left, right = p[48], p[54]
        middle = (left + right) / 2
        across = right - left
        self.mouth.draw(
            self.ctx,
            state.pose,
            (float(middle[0]), float(h - middle[1])),
            MOUTH_FIT * float(np.hypot(*across)),
            -math.atan2(float(across[1]), float(across[0])),
            {**vars(self.character.colors), **colors},
            size,
            opacity,
        )
