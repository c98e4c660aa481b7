"""Draw the bundled example mouth set: configs/demo/mouths.png, Rhubarb's nine shapes.

Why this exists: a show with drawn mouths needs a set to show how one is laid out and named,
and the project ships nothing it did not make. These mouths are drawn for the demo head
(tools/make_demo.py's character.png) in its style: flat colours, the same ink outline, signed
distance fields anti-aliased over one pixel. The sheet is a 3x3 grid of 480x360 cells in
Rhubarb's order, X A B / C D E / F G H, each mouth centred on its cell with a transparent
margin; configs/demo/demo.toml maps the names to the cells:

    X rest            A closed, pressed (M B P)   B clenched teeth (most consonants)
    C open (EH)       D wide open (AA)            E rounded (AO ER)
    F puckered (UW W) G teeth on lower lip (F V)  H tongue up (L)

    python tools/make_mouth_sheet.py            # refuses to overwrite; --force to redo it

The output is deterministic (no randomness, a fixed PNG writer), so re-running it reproduces
the committed file byte for byte.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from make_demo import Canvas, arc_points, sd_ellipse, sd_polyline, smin, write_png

UNITS = (320, 240)  # a cell in drawing units (every length below is in these)
SCALE = 1.5  # pixels per unit: 480x360 cells, about their size in a 1080p frame
CELL = (round(UNITS[0] * SCALE), round(UNITS[1] * SCALE))  # pixels
GRID = (3, 3)
ORDER = ("X", "A", "B", "C", "D", "E", "F", "G", "H")  # along the rows, from the top left

# The demo head's colours (tools/make_demo.py) and the mouth's own.
INK = "#4a2e2a"
INSIDE = "#7c2636"
THROAT = "#5a1826"
TEETH = "#fffaf0"
TONGUE = "#e27480"
TONGUE_SHADE = "#c65a68"
LIP = "#e48a80"
LINE = 6.5  # outline width in cell pixels (the head's outline, at the scale the sheet is shown)
CX, LIP_Y = 160.0, 104.0  # the mouth's centre line: openings hang from it, as a jaw drops


class CellCanvas(Canvas):
    """make_demo's canvas on one cell, in drawing units (the head is drawn in 0..1 units);
    edges still ramp over one pixel."""

    def __init__(self, width: int, height: int, scale: float) -> None:
        self.size = width
        self.px = 1.0 / scale
        self.x, self.y = np.meshgrid(
            (np.arange(width) + 0.5) / scale, (np.arange(height) + 0.5) / scale
        )
        self.rgb = np.zeros((height, width, 3))
        self.alpha = np.zeros((height, width))


Field = np.ndarray


def opening(cv: CellCanvas, top: float, bottom: float, half_width: float, flat: float) -> Field:
    """A mouth opening from the lip line down: a bowl for the jaw under a flatter arc for
    the upper lip, meeting in pointed corners. `flat` (0..1) flattens the top arc."""
    x, y = cv.x, cv.y
    depth = bottom - top
    bowl = sd_ellipse(x, y, CX, bottom - depth, half_width, depth)
    cap_ry = depth * (1.2 + 2.0 * flat)
    cap = sd_ellipse(x, y, CX, top + cap_ry, half_width * (1.25 + 0.6 * flat), cap_ry)
    field: Field = np.maximum(bowl, cap)
    return field


def below(cv: CellCanvas, edge: Field, amount: float, reach: float = 1e3) -> Field:
    """The part of a shape within `amount` pixels of its top edge and `reach` of the middle
    (teeth under the lip, stopping short of the corners)."""
    rows = round(amount / cv.px)
    shifted = np.roll(edge, rows, axis=0) + 0.0
    shifted[:rows] = 1e3
    band = np.maximum(edge, -shifted)
    rounded: Field = -smin(-band, reach - np.abs(cv.x - CX), 10.0)  # a smooth intersection
    return rounded


def draw_open(
    cv: CellCanvas,
    mouth: Field,
    half_width: float,
    upper_teeth: float,
    lower_teeth: float = 0.0,
    tongue: tuple[float, float, float, float] | None = None,
) -> None:
    """Ink rim, dark inside, a shadow at the back, teeth, tongue: all clipped to `mouth`."""
    cv.paint(mouth - LINE, INK)
    cv.paint(mouth, INSIDE)
    x, y = cv.x, cv.y
    cv.paint(np.maximum(mouth + 6.0, sd_ellipse(x, y, CX, LIP_Y - 10, 200, 60)), THROAT)
    if tongue is not None:
        tx, ty, rx, ry = tongue
        body = np.maximum(sd_ellipse(x, y, tx, ty, rx, ry), mouth)
        cv.paint(body, TONGUE_SHADE)
        cv.paint(np.maximum(body + 3.0, sd_ellipse(x, y, tx, ty + 4, rx * 0.9, ry)), TONGUE)
    reach = 0.62 * half_width
    if upper_teeth > 0:
        cv.paint(below(cv, mouth, upper_teeth, reach) - 2.0, TEETH, soft=1.5)
    if lower_teeth > 0:
        band = below(cv, mouth[::-1], lower_teeth, 0.45 * half_width)[::-1]
        cv.paint(np.maximum(band - 2.0, mouth), TEETH, soft=1.5)
    # The rim over the teeth and tongue again, so they tuck under the lips.
    cv.paint(np.maximum(-mouth, mouth - LINE), INK)


def stroke(cv: CellCanvas, points: list[tuple[float, float]], width: float = LINE) -> None:
    cv.paint(sd_polyline(cv.x, cv.y, points) - width / 2, INK)


def corners(cv: CellCanvas, half_width: float, y: float, lift: float = 0.0) -> None:
    """Small ticks at the lip corners (the cheeks pushing in): the cartoon shorthand that
    makes a line read as a mouth."""
    for side in (-1, 1):
        x0 = CX + side * half_width
        stroke(cv, [(x0 - side * 1, y - 8 - lift), (x0 + side * 6, y + 4)], LINE * 0.8)


def corners_of(cv: CellCanvas, mouth: Field) -> None:
    """Corner ticks where an opening's outline ends on each side."""
    inside = np.nonzero((mouth - LINE < 0).any(axis=0))[0]
    half_width = (cv.x[0, inside[-1]] - cv.x[0, inside[0]]) / 2
    column = mouth[:, inside[0]]
    y = float(cv.y[int(np.argmin(column)), 0])
    corners(cv, half_width + 1, y - 2)


def lower_lip(cv: CellCanvas, y: float, half_width: float) -> None:
    """A short arc under an opening: the lower lip's shadow."""
    stroke(cv, arc_points(CX, y - 12, half_width, 12, math.pi * 0.3, math.pi * 0.7, 16), 5.0)


def shape_x(cv: CellCanvas) -> None:
    """Rest: a relaxed line with the faintest smile."""
    stroke(cv, arc_points(CX, LIP_Y - 22, 62, 30, math.pi * 0.22, math.pi * 0.78))
    corners(cv, 58, LIP_Y - 2, lift=2)


def shape_a(cv: CellCanvas) -> None:
    """M B P: lips pressed, a flat line with a slight pout above and below."""
    stroke(cv, [(CX - 56, LIP_Y + 2), (CX, LIP_Y + 5), (CX + 56, LIP_Y + 2)], LINE * 1.15)
    stroke(cv, arc_points(CX, LIP_Y + 40, 26, 18, math.pi * 1.25, math.pi * 1.75, 12), 4.5)
    corners(cv, 58, LIP_Y + 3)


def shape_b(cv: CellCanvas) -> None:
    """Most consonants: a wide, narrow opening filled with clenched teeth."""
    mouth = opening(cv, LIP_Y - 8, LIP_Y + 26, 74, 0.8)
    cv.paint(mouth - LINE, INK)
    cv.paint(mouth, TEETH)
    gap = sd_polyline(cv.x, cv.y, [(CX - 80, LIP_Y + 6), (CX + 80, LIP_Y + 6)]) - 1.6
    cv.paint(np.maximum(gap, mouth + 2.0), INK)
    cv.paint(np.maximum(-mouth, mouth - LINE), INK)
    corners_of(cv, mouth)
    lower_lip(cv, LIP_Y + 46, 34)


def shape_c(cv: CellCanvas) -> None:
    """EH: open and spread, upper teeth and a little of the lower."""
    mouth = opening(cv, LIP_Y - 10, LIP_Y + 52, 78, 0.5)
    draw_open(cv, mouth, 78, 17, 9, (CX, LIP_Y + 52, 46, 20))
    corners_of(cv, mouth)
    lower_lip(cv, LIP_Y + 74, 38)


def shape_d(cv: CellCanvas) -> None:
    """AA: the jaw dropped, wide open, teeth on top and the tongue at the bottom."""
    mouth = opening(cv, LIP_Y - 14, LIP_Y + 86, 76, 0.35)
    draw_open(cv, mouth, 76, 18, 0, (CX, LIP_Y + 84, 50, 30))
    corners_of(cv, mouth)
    lower_lip(cv, LIP_Y + 108, 36)


def shape_e(cv: CellCanvas) -> None:
    """AO ER: rounded, medium open, the corners drawn in."""
    x, y = cv.x, cv.y
    mouth = smin(
        sd_ellipse(x, y, CX, LIP_Y + 24, 44, 40), sd_ellipse(x, y, CX, LIP_Y + 10, 50, 24), 12
    )
    draw_open(cv, mouth, 48, 12, 0, (CX, LIP_Y + 62, 32, 18))
    lower_lip(cv, LIP_Y + 86, 26)


def shape_f(cv: CellCanvas) -> None:
    """UW W: lips pushed out round a small opening."""
    x, y = cv.x, cv.y
    lips = sd_ellipse(x, y, CX, LIP_Y + 12, 40, 36)
    cv.paint(lips - LINE, INK)
    cv.paint(lips, LIP)
    cv.paint(sd_ellipse(x, y, CX - 12, LIP_Y - 6, 12, 6, angle=-0.5), "#f2b0a4")  # shine
    hole = sd_ellipse(x, y, CX, LIP_Y + 14, 17, 19)
    cv.paint(hole - LINE * 0.8, INK)
    cv.paint(hole, THROAT)
    for angle in (0.8, 2.35, 3.9, 5.5):  # pucker creases, just outside the lips
        c, s = math.cos(angle), math.sin(angle)
        inner, outer = (CX + 50 * c, LIP_Y + 12 + 46 * s), (CX + 60 * c, LIP_Y + 12 + 55 * s)
        stroke(cv, [inner, outer], 4.0)


def shape_g(cv: CellCanvas) -> None:
    """F V: the upper teeth resting on the tucked-in lower lip."""
    x, y = cv.x, cv.y
    mouth = opening(cv, LIP_Y - 8, LIP_Y + 30, 66, 0.7)
    cv.paint(mouth - LINE, INK)
    cv.paint(mouth, INSIDE)
    cv.paint(below(cv, mouth, 20), TEETH)
    lip = np.maximum(sd_ellipse(x, y, CX, LIP_Y + 30, 60, 16), y - (LIP_Y + 60))
    cv.paint(lip - LINE, INK)
    cv.paint(lip, LIP)
    cv.paint(sd_ellipse(x, y, CX + 10, LIP_Y + 24, 18, 4), "#f2b0a4")  # shine
    cv.paint(np.maximum(-mouth, np.maximum(mouth - LINE, y - (LIP_Y + 14))), INK)
    corners_of(cv, mouth)


def shape_h(cv: CellCanvas) -> None:
    """L: open, the tongue tip raised behind the upper teeth."""
    x, y = cv.x, cv.y
    mouth = opening(cv, LIP_Y - 10, LIP_Y + 60, 70, 0.45)
    draw_open(cv, mouth, 70, 15, 0, None)
    tongue = np.maximum(
        smin(
            sd_ellipse(x, y, CX, LIP_Y + 52, 44, 22),
            sd_ellipse(x, y, CX, LIP_Y + 24, 22, 22),
            14,
        ),
        mouth,
    )
    cv.paint(tongue, TONGUE_SHADE)
    cv.paint(np.maximum(tongue + 3.0, sd_ellipse(x, y, CX, LIP_Y + 40, 40, 30)), TONGUE)
    cv.paint(below(cv, mouth, 15, 0.62 * 70) - 2.0, TEETH, soft=1.5)
    cv.paint(np.maximum(-mouth, mouth - LINE), INK)
    corners_of(cv, mouth)
    lower_lip(cv, LIP_Y + 82, 34)


SHAPES: dict[str, Callable[[CellCanvas], None]] = {
    "X": shape_x,
    "A": shape_a,
    "B": shape_b,
    "C": shape_c,
    "D": shape_d,
    "E": shape_e,
    "F": shape_f,
    "G": shape_g,
    "H": shape_h,
}


def draw_sheet() -> np.ndarray:
    """All nine cells on one transparent sheet, uint8 RGBA (straight alpha, as PNGs are)."""
    cw, ch = CELL
    cols, rows = GRID
    sheet = np.zeros((ch * rows, cw * cols, 4), np.uint8)
    for i, name in enumerate(ORDER):
        cv = CellCanvas(cw, ch, SCALE)
        SHAPES[name](cv)
        cell = cv.to_uint8()
        if cell[:3].any() or cell[-3:].any() or cell[:, :3].any() or cell[:, -3:].any():
            raise SystemExit(f"shape {name} reaches the edge of its cell")
        row, col = divmod(i, cols)
        sheet[row * ch : (row + 1) * ch, col * cw : (col + 1) * cw] = cell
    return sheet


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", type=Path, default=here / "configs" / "demo" / "mouths.png")
    ap.add_argument("--force", action="store_true", help="overwrite an existing sheet")
    args = ap.parse_args(argv)
    if args.out.exists() and not args.force:
        print(f"refusing to overwrite (use --force): {args.out}", file=sys.stderr)
        return 1
    write_png(args.out, draw_sheet())
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
