"""The face puppet on Mesa llvmpipe: the lips follow the viseme track, the recording moves
the face smoothly between its frames, a long gap hides it, and the style's colours show."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.formats.landmarks import dumps, read_face_track
from livesync.frame.performance import Performance
from livesync.lipsync.face import Face, FaceTrack
from livesync.lipsync.idle import STILL, IdlePose
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.render.puppet import FaceGeometry, Puppet, spline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.puppet_style import PuppetStyle
from livesync.show.scenes import Scene
from livesync.show.show_file import Character

pytestmark = pytest.mark.gl
SAMPLE = Path(__file__).parents[1] / "data" / "landmarks" / "astronaut-runway.json"
SIZE = (480, 360)
GREY = (128, 128, 128)
GREY_SHADER = "void mainImage(out vec4 c, in vec2 p) { c = vec4(0.5, 0.5, 0.5, 1.0); }\n"
# A word sung as M-AA-M-AA-B-AE: (phone, start, end).
PHONES = [
    ("M", 0.0, 0.4),
    ("AA", 0.4, 0.9),
    ("M", 0.9, 1.3),
    ("AA", 1.3, 1.8),
    ("B", 1.8, 2.2),
    ("AE", 2.2, 2.7),
]


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def timeline() -> Timeline:
    phones = tuple(Phone(p, s, e, 0) for p, s, e in PHONES)
    return Timeline((Word("mama", 0.0, 2.7),), phones, 3.0)


def draw(
    ctx: Any,
    folder: Path,
    character: Character,
    performance: Performance,
    t: float,
    idle: IdlePose = STILL,
) -> Any:
    """The frame at `t` (with this idle pose) as top-down RGB ints, and the renderer's
    puppet."""
    grey = folder / "grey.glsl"
    grey.write_text(GREY_SHADER)
    with Renderer(ctx, (Scene("main", grey),), character) as r:
        target = OffscreenTarget(ctx, SIZE)
        target.use()
        r.render(replace(performance.state_at(t), idle=idle), SIZE)
        img = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3).astype(int)
        target.release()
        puppet = r.character_layer.puppet
        assert puppet is not None
        return img, puppet


def opening(img: Any, puppet: Puppet, t: float) -> int:
    """How many pixels the mouth's dark inside spans down the column through the middle
    of the lips (the lip line alone, when the lips meet)."""
    sample = puppet.track.sample(t)
    assert sample is not None
    p = puppet.placed(sample.face, SIZE)
    x, y = (p[48] + p[54]) / 2
    width = float(np.hypot(*(p[54] - p[48])))
    column = img[int(y - width) : int(y + width), round(float(x))]
    dark = (column[:, 0] < 110) & (column[:, 1] < 60) & (column[:, 2] < 70)
    longest = run = 0
    for is_dark in dark:  # the longest dark run: the outlines above and below are thin
        run = run + 1 if is_dark else 0
        longest = max(longest, run)
    return longest


def test_the_lips_follow_the_viseme_track(ctx: Any, tmp_path: Path) -> None:
    character = Character(landmarks=SAMPLE, height=0.9)
    performance = Performance(timeline(), None)
    closed: list[int] = []
    opened: list[int] = []
    for phone, start, end in PHONES:
        t = (start + end) / 2
        img, puppet = draw(ctx, tmp_path, character, performance, t)
        (closed if phone in ("M", "B") else opened).append(opening(img, puppet, t))
    # Closed: only the lip line (a few pixels); open vowels: a mouth a good part of the
    # lips' width deep, every time.
    assert max(closed) <= 4, (closed, opened)
    assert min(opened) >= 15, (closed, opened)


def test_without_lip_sync_the_recorded_lips_play(ctx: Any, tmp_path: Path) -> None:
    """A recording whose jaw drops (lower lip and chin moved down) shows its own opening,
    whatever the timeline sings."""
    face = read_face_track(SAMPLE).face_at(0)
    assert face is not None
    drop = np.zeros_like(face.to_68())
    drop[[*range(5, 12), *range(55, 60), *range(65, 68)]] = (0.0, 14.0)
    opened = Face.from_68(face.to_68() + drop)
    track = FaceTrack.from_faces([(0.0, face), (1.0, opened)], size=(448, 320))
    path = tmp_path / "face.json"
    path.write_text(dumps(track))
    style = PuppetStyle(lip_sync=False)
    character = Character(landmarks=path, height=0.9, puppet=style)
    performance = Performance(timeline(), None)
    shut_img, puppet = draw(ctx, tmp_path, character, performance, 0.0)
    open_img, _ = draw(ctx, tmp_path, character, performance, 1.0)
    assert opening(open_img, puppet, 1.0) >= opening(shut_img, puppet, 0.0) + 10
    # The recorded lips wear the style's colour (no vector mouth is drawn).
    lips = np.array([round(c * 255) for c in style.lips])
    assert (np.abs(shut_img - lips).sum(axis=2) < 30).sum() > 50


def moving_track(tmp_path: Path, gap: bool = False) -> Path:
    """The sample's first face moved 100 px right over 0.1 s (or over 2 s, across a gap)."""
    face = read_face_track(SAMPLE).face_at(0)
    assert face is not None
    moved = Face(face.points + np.array([100.0, 0.0]))
    frames = [(0.0, face), (2.0, moved)] if gap else [(0.0, face), (0.1, moved)]
    path = tmp_path / "moving.json"
    path.write_text(dumps(FaceTrack.from_faces(frames, size=(640, 320))))
    return path


def skin_center(img: Any) -> float:
    skin = np.array([round(c * 255) for c in PuppetStyle().skin])
    _, xs = np.nonzero(np.abs(img - skin).sum(axis=2) < 24)
    assert len(xs) > 500
    return float(xs.mean())


def test_the_face_moves_smoothly_between_frames(ctx: Any, tmp_path: Path) -> None:
    character = Character(landmarks=moving_track(tmp_path), height=1.0)
    performance = Performance(timeline(), None)
    scale = SIZE[1] / 320  # the track's frame fills the height
    xs = [skin_center(draw(ctx, tmp_path, character, performance, t)[0]) for t in (0, 0.05, 0.1)]
    assert xs[1] - xs[0] == pytest.approx(50 * scale, abs=3)
    assert xs[2] - xs[1] == pytest.approx(50 * scale, abs=3)


def test_the_puppet_moves_with_the_idle_pose(ctx: Any, tmp_path: Path) -> None:
    """Sway and breathing move a puppet as they move a picture: shifted by dx of the
    character's height, and the face's width grows with the breath's scale."""
    character = Character(landmarks=SAMPLE, height=1.0)
    performance = Performance(timeline(), None)
    still, _ = draw(ctx, tmp_path, character, performance, 0.0)
    shifted, _ = draw(ctx, tmp_path, character, performance, 0.0, IdlePose(dx=0.05))
    assert skin_center(shifted) - skin_center(still) == pytest.approx(0.05 * SIZE[1], abs=1.5)

    def width(img: Any) -> int:
        skin = np.array([round(c * 255) for c in PuppetStyle().skin])
        _, xs = np.nonzero(np.abs(img - skin).sum(axis=2) < 24)
        return int(xs.max() - xs.min())

    grown, _ = draw(ctx, tmp_path, character, performance, 0.0, IdlePose(scale=1.1))
    assert width(grown) == pytest.approx(1.1 * width(still), rel=0.03)


def test_a_long_gap_fades_the_face_out(ctx: Any, tmp_path: Path) -> None:
    character = Character(landmarks=moving_track(tmp_path, gap=True), height=1.0)
    performance = Performance(timeline(), None)
    gone, _ = draw(ctx, tmp_path, character, performance, 1.0)
    assert (np.abs(gone - GREY) <= 2).all()  # nothing but the background
    seen, _ = draw(ctx, tmp_path, character, performance, 0.1)  # fading out, still there
    assert (np.abs(seen - GREY).sum(axis=2) > 60).sum() > 1000


def test_a_fading_face_fades_as_one_picture(ctx: Any, tmp_path: Path) -> None:
    """Fading out in a gap, the whole face is laid over the background at its visibility:
    the eyes do not show the skin under them, nor the skin the background."""
    character = Character(landmarks=moving_track(tmp_path, gap=True), height=1.0)
    performance = Performance(timeline(), None)
    t = 0.15
    faded, puppet = draw(ctx, tmp_path, character, performance, t)
    sample = puppet.sample(t)
    assert sample is not None and 0.2 < sample.visibility < 0.8
    grey = tmp_path / "grey.glsl"
    with Renderer(ctx, (Scene("main", grey),), character) as r:
        target = OffscreenTarget(ctx, SIZE)
        target.use()
        ctx.viewport = (0, 0, *SIZE)
        target.fbo.clear(0.5, 0.5, 0.5, 1.0)
        r.character_layer.draw(performance.state_at(t), SIZE, r.scenes[0], solid=True)
        rgb = np.frombuffer(target.read_rgb(), np.uint8).reshape(SIZE[1], SIZE[0], 3)
        whole = rgb.astype(float)
        target.release()
    expected = GREY + sample.visibility * (whole - GREY)
    assert (np.abs(whole - GREY).sum(axis=2) > 60).sum() > 5000  # the face is there
    assert np.abs(faded - expected).max() <= 3


def test_style_colours_and_line_width(ctx: Any, tmp_path: Path) -> None:
    style = PuppetStyle(skin=(0.2, 0.8, 0.3), line=(0.0, 0.0, 1.0), line_width=0.012)
    character = replace(Character(landmarks=SAMPLE, height=0.9), puppet=style)
    img, _ = draw(ctx, tmp_path, character, Performance(timeline(), None), 0.0)
    green = (np.abs(img - (51, 204, 77)).sum(axis=2) < 24).sum()
    blue = (np.abs(img - (0, 0, 255)).sum(axis=2) < 40).sum()
    thin, _ = draw(
        ctx,
        tmp_path,
        replace(character, puppet=replace(style, line_width=0.004)),
        Performance(timeline(), None),
        0.0,
    )
    thin_blue = (np.abs(thin - (0, 0, 255)).sum(axis=2) < 40).sum()
    assert green > 5000 and blue > 300
    assert blue > 2 * thin_blue  # a line three times as wide covers far more


def test_spline_passes_through_its_points() -> None:
    points = np.array([[0.0, 0.0], [10.0, 5.0], [20.0, 0.0], [30.0, 8.0]])
    curve = spline(points, closed=False)
    assert len(curve) == 3 * 4 + 1
    assert np.allclose(curve[::4], points)
    loop = spline(points, closed=True)
    assert len(loop) == 4 * 4 and np.allclose(loop[::4], points)


def _catmull_rom(points: Any, closed: bool) -> Any:
    """The per-part spline the batched geometry replaced: 4 points a segment, ends kept."""
    if closed:
        p, count = np.concatenate([points[-1:], points, points[:2]]), len(points)
    else:
        first, last = 2 * points[:1] - points[1:2], 2 * points[-1:] - points[-2:-1]
        p, count = np.concatenate([first, points, last]), len(points) - 1
    t = (np.arange(4) / 4)[None, :, None]
    p0, p1, p2, p3 = (p[k : k + count, None, :] for k in range(4))
    curve = 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
        + (3 * p1 - p0 - 3 * p2 + p3) * t**3
    )
    out = curve.reshape(-1, 2)
    return out if closed else np.concatenate([out, points[-1:]])


class _ReferenceMesh:
    """The face built part by part as before the batching: (x, y, r, g, b, a, ax, ay, bx,
    by, radius) per vertex in drawing order, y down."""

    def __init__(self) -> None:
        self.parts: list[Any] = []

    def add(self, xy: Any, rgba: tuple[float, ...], segment: Any, radius: float) -> None:
        block = np.empty((len(xy), 11))
        block[:, 0:2], block[:, 2:6], block[:, 6:10], block[:, 10] = xy, rgba, segment, radius
        self.parts.append(block)

    def fan(self, polygon: Any, color: Any, alpha: float = 1.0) -> None:
        center = np.broadcast_to(polygon.mean(axis=0), polygon.shape)
        xy = np.stack([center, polygon, np.roll(polygon, -1, axis=0)], axis=1).reshape(-1, 2)
        self.add(xy, (*color, alpha), 0.0, -1.0)

    def band(self, one: Any, two: Any, color: Any) -> None:
        a0, a1, b0, b1 = one[:-1], one[1:], two[:-1], two[1:]
        xy = np.stack([a0, b0, a1, a1, b0, b1], axis=1).reshape(-1, 2)
        self.add(xy, (*color, 1.0), 0.0, -1.0)

    def segments(self, a: Any, b: Any, color: Any, radius: float, alpha: float = 1.0) -> None:
        if radius <= 0:
            return
        along = b - a
        length = np.hypot(along[:, 0], along[:, 1])[:, None]
        d = np.where(length > 1e-9, along / np.maximum(length, 1e-9), [[1.0, 0.0]])
        n = np.stack([-d[:, 1], d[:, 0]], axis=1)
        e = radius + 1.5
        c = [a - (d + n) * e, a - (d - n) * e, b + (d + n) * e, b + (d - n) * e]
        xy = np.stack([c[i] for i in (0, 1, 2, 0, 2, 3)], axis=1).reshape(-1, 2)
        segment = np.repeat(np.concatenate([a, b], axis=1), 6, axis=0)
        self.add(xy, (*color, alpha), segment, radius)

    def line(self, points: Any, color: Any, width: float, closed: bool = False) -> None:
        if closed:
            points = np.concatenate([points, points[:1]])
        self.segments(points[:-1], points[1:], color, width / 2)

    def dot(self, center: Any, color: Any, radius: float, alpha: float = 1.0) -> None:
        self.segments(center[None, :], center[None, :], color, radius, alpha)


def _reference_face(p: Any, style: PuppetStyle, line: float, lips: bool, height: float) -> Any:
    """The part-by-part face's vertices, y up for an output `height` tall."""
    mesh = _ReferenceMesh()
    across = p[45] - p[36]
    scale = float(np.hypot(*across)) or 1.0
    down = np.array([-across[1], across[0]]) / scale
    up = -down
    middle, half = (p[0] + p[16]) / 2, (p[16] - p[0]) / 2
    rise = max(float(np.dot(q - middle, up)) for q in p[17:27]) + 0.55 * scale
    theta = np.linspace(0.0, np.pi, 15)[1:-1, None]
    arc = middle + half * np.cos(theta) + up * rise * np.sin(theta) ** 0.8
    head = np.concatenate([_catmull_rom(p[0:17], False), _catmull_rom(arc, False)])
    mesh.fan(head, style.skin)
    side = across / scale
    for eye, out in ((p[36:42], -side), (p[42:48], side)):
        cheek = eye.mean(axis=0) + (0.62 * down + 0.08 * out) * scale
        mesh.dot(cheek, style.cheeks, 0.16 * scale, 0.4)
    mesh.line(head, style.line, line, closed=True)
    for eye in (p[36:42], p[42:48]):
        shape = _catmull_rom(eye, True)
        mesh.fan(shape, style.eyes)
        width = float(np.hypot(*(eye[3] - eye[0])))
        gap = (float(np.hypot(*(eye[1] - eye[5]))) + float(np.hypot(*(eye[2] - eye[4])))) / 2
        radius = min(0.24 * width, 0.55 * gap)
        mesh.dot(eye.mean(axis=0), style.pupils, radius)
        mesh.dot(eye.mean(axis=0) + np.array([-0.35, -0.4]) * radius, style.eyes, 0.3 * radius)
        mesh.line(shape, style.line, 0.9 * line, closed=True)
    for brow in (p[17:22], p[22:27]):
        mesh.line(_catmull_rom(brow, False), style.brows, 2.4 * line)
    mesh.line(_catmull_rom(p[31:36], False), style.line, 0.9 * line)
    if lips:
        _reference_lips(mesh, p, style, line)
    data = np.concatenate(mesh.parts)
    for column in (1, 7, 9):
        data[:, column] = height - data[:, column]
    return data


def _reference_lips(mesh: _ReferenceMesh, p: Any, style: PuppetStyle, line: float) -> None:
    upper_outer = _catmull_rom(p[48:55], False)
    lower_outer = _catmull_rom(p[[48, 59, 58, 57, 56, 55, 54]], False)
    upper_inner = _catmull_rom(p[[48, 60, 61, 62, 63, 64, 54]], False)
    lower_inner = _catmull_rom(p[[48, 60, 67, 66, 65, 64, 54]], False)
    mesh.fan(np.concatenate([upper_inner, lower_inner[::-1]]), style.mouth)
    mesh.band(upper_outer, upper_inner, style.lips)
    mesh.band(lower_outer, lower_inner, style.lips)
    mesh.line(_catmull_rom(p[60:68], True), style.line, 0.6 * line, closed=True)
    mesh.line(np.concatenate([upper_outer, lower_outer[::-1]]), style.line, 0.8 * line, True)


@pytest.mark.parametrize("lips", [False, True])
def test_the_batched_geometry_is_the_part_by_part_geometry(lips: bool) -> None:
    """Same triangles in the same drawing order, colours and widths as building each part
    on its own (fills ignore their segment columns)."""
    track = read_face_track(SAMPLE)
    style = PuppetStyle()
    geometry = FaceGeometry(style, recorded_lips=lips)
    for t in np.linspace(0.0, 2.4, 9):
        sample = track.sample(float(t))
        if sample is None:
            continue
        p = sample.face.to_68() * 2.5 + 40.0
        positions, segments = geometry.vertices(p, 5.0, 1080.0)
        got = np.concatenate([positions, geometry.colors, segments], axis=1)
        want = _reference_face(p, style, 5.0, lips, 1080.0)
        assert got.shape == want.shape
        fills = want[:, 10] < 0
        assert np.allclose(got[fills][:, :6], want[fills][:, :6], atol=1e-3)
        assert np.allclose(got[fills][:, 10], -1.0)
        assert np.allclose(got[~fills], want[~fills], atol=1e-3)
