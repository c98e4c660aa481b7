"""The bundled post effects (shaders/effects/*.fs) parse, compile and do what they say on
Mesa llvmpipe through EGL.

Each effect is an ISF v2 filter: it reads the composed frame as ``inputImage``. It is drawn
here by the product's own layer (livesync.render.layers.IsfLayer, loaded with load_layer as
the renderer loads it), at any size, over a synthetic test card; the harness only uploads
the card, makes the frame state and reads the picture back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.audio.analysis import AudioFeatures
from livesync.frame.state import FrameState
from livesync.glsl.isf_header import parse_isf
from livesync.glsl.isf_model import IsfShader, IsfValue
from livesync.lipsync.visemes import MouthPose, Viseme
from livesync.render.layers import IsfLayer, load_layer
from livesync.render.renderer import create_headless_context

pytestmark = pytest.mark.gl
EFFECTS = Path(__file__).resolve().parents[2] / "shaders" / "effects"
NAMES = sorted(path.name for path in EFFECTS.glob("*.fs"))
SIZE = (128, 72)


@pytest.fixture(scope="module")
def ctx() -> Any:
    return create_headless_context()


def load(name: str) -> IsfShader:
    path = EFFECTS / name
    return parse_isf(path.read_text(encoding="utf-8"), str(path))


def make_card(width: int, height: int) -> np.ndarray:
    """An RGBA test card, bottom row first: colour ramps, a bright disc, dark stripes."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = (x + 0.5) / width, (y + 0.5) / height
    rgb = np.stack([u, v, 0.5 + 0.5 * np.sin(u * 12.0)], axis=-1) * 0.6
    rgb[(np.floor(x / 8) % 2 == 0) & (v < 0.25)] = 0.05  # dark bars along the bottom
    disc = ((u - 0.62) * width / height) ** 2 + (v - 0.55) ** 2 < 0.15**2
    rgb[disc] = (1.0, 0.95, 0.85)  # a bright spot for the bloom to find
    rgba = np.concatenate([rgb, np.ones((height, width, 1), np.float32)], axis=-1)
    card: np.ndarray = (np.clip(rgba, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    return card


class EffectRunner:
    """An effect's IsfLayer drawn frame after frame over ``source`` (an RGBA texture, as the
    renderer hands it the picture so far) into an RGBA picture of ``size``."""

    def __init__(self, ctx: Any, name: str, size: tuple[int, int] = SIZE) -> None:
        layer = load_layer(ctx, EFFECTS / name)
        assert isinstance(layer, IsfLayer)
        self.ctx, self.layer, self.shader, self.size = ctx, layer, layer.shader, size
        self.source: Any = None
        self.output = ctx.simple_framebuffer(size, components=4)
        self.frame = 0

    def set_source(self, pixels: np.ndarray) -> None:
        """Upload an (h, w, 4) uint8 picture, bottom row first, as inputImage."""
        h, w = pixels.shape[:2]
        if self.source is None or self.source.size != (w, h):
            self.source = self.ctx.texture((w, h), 4)
            self.source.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
        self.source.write(np.ascontiguousarray(pixels, np.uint8).tobytes())

    def render(
        self,
        values: Mapping[str, IsfValue] | None = None,
        time: float = 0.0,
        dt: float = 0.0,
        bass: float = 0.0,
        level: float = 0.0,
    ) -> None:
        """Draw one frame (all passes, by the layer) into the output framebuffer."""
        audio = AudioFeatures(level=level, bass=bass)
        state = FrameState(time, dt, self.frame, MouthPose(), Viseme.SIL, "", "", audio=audio)
        self.layer.draw(state, self.size, self.output, values or {}, source=self.source)
        self.frame += 1

    def read(self) -> np.ndarray:
        """The output as an (h, w, 4) int array, bottom row first."""
        raw = self.output.read(components=4, alignment=1)
        return np.frombuffer(raw, np.uint8).reshape(self.size[1], self.size[0], 4).astype(int)

    def draw(self, values: Mapping[str, IsfValue] | None = None, **frame: float) -> np.ndarray:
        self.render(values, **frame)
        return self.read()


def card_runner(ctx: Any, name: str) -> tuple[EffectRunner, np.ndarray]:
    runner = EffectRunner(ctx, name)
    card = make_card(*SIZE)
    runner.set_source(card)
    return runner, card.astype(int)


def diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a[..., :3] - b[..., :3]).mean())


# --------------------------------------------------------------------------- every effect


def test_there_are_six_effects() -> None:
    assert NAMES == [
        "bloom.fs",
        "color_grade.fs",
        "film.fs",
        "glitch.fs",
        "kaleidoscope.fs",
        "trails.fs",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_effect_header_is_a_livesync_filter(name: str) -> None:
    shader = load(name)
    assert shader.kind == "filter"
    assert shader.input("inputImage").type == "image"
    assert shader.credit == "livesync" and shader.description
    assert shader.categories[0] == "Filter"
    assert shader.source.lstrip().startswith("/*{")
    controls = shader.controls
    assert 1 <= len(controls) <= 4
    header = json.loads(shader.source[shader.source.index("/*") + 2 : shader.source.index("*/")])
    header_inputs = {entry["NAME"]: entry for entry in header["INPUTS"]}
    for item in controls:
        assert item.type in ("float", "bool", "color")
        assert item.label and item.label != item.name  # a LABEL for the controller/HUD
        raw = header_inputs[item.name]
        assert "LABEL" in raw and "DEFAULT" in raw
        if item.type == "float":
            assert "MIN" in raw and "MAX" in raw
            assert raw["MIN"] <= raw["DEFAULT"] <= raw["MAX"] and raw["MIN"] < raw["MAX"]


@pytest.mark.parametrize("name", NAMES)
def test_effect_changes_the_card_and_keeps_detail(ctx: Any, name: str) -> None:
    runner, card = card_runner(ctx, name)
    values: dict[str, IsfValue] = {}
    frame = {"time": 1.3, "dt": 1 / 60}
    if name == "glitch.fs":
        frame["bass"] = 0.9  # the glitch waits for the bass
    if name == "film.fs":
        values = {"letterbox": 2.39}
    if name == "trails.fs":  # a still picture has no trails: drift it into a tunnel
        values = {"zoomDrift": 0.03, "spinDrift": 0.02, "ghost": True}
    if name == "bloom.fs":  # the card's one bright disc is small
        values = {"intensity": 2.5}
    out = runner.draw(values, **frame)
    for _ in range(7):  # a few frames, for the feedback
        out = runner.draw(values, **frame)
    assert out[..., :3].std() > 20  # a picture, not a flat colour
    assert (out[..., 3] == 255).all()
    assert diff(out, card) > 3.0


# --------------------------------------------------------------------------- per effect


def moving_dot(step: int) -> np.ndarray:
    w, h = SIZE
    y, x = np.mgrid[0:h, 0:w]
    cx, cy = 20 + 10 * step, 36
    picture = np.zeros((h, w, 4), np.uint8)
    picture[..., 3] = 255
    picture[(x - cx) ** 2 + (y - cy) ** 2 <= 16] = (255, 255, 255, 255)
    return picture


def lit(picture: np.ndarray, level: int = 40) -> int:
    return int((picture[..., :3].max(axis=-1) > level).sum())


@pytest.mark.parametrize("ghost", [False, True])
def test_trails_keep_a_moving_dot(ctx: Any, ghost: bool) -> None:
    runner = EffectRunner(ctx, "trails.fs")
    for step in range(8):
        runner.set_source(moving_dot(step))
        out = runner.draw({"ghost": ghost}, time=step / 60, dt=1 / 60)
    alone = lit(moving_dot(7))
    # The dot left a trail behind it. A ghost echo shows the moving dot itself at only
    # 1 - trail length (as video feedback does), so its trail is fainter.
    level = 12 if ghost else 40
    assert lit(out, level) > 3 * alone
    behind = out[36, 20 + 10 * 5 - 2 : 20 + 10 * 5 + 3, :3].max()
    assert behind > (15 if ghost else 60)  # two frames back, the dot is still there
    # No history, no trails: the last dot alone.
    runner = EffectRunner(ctx, "trails.fs")
    for step in range(8):
        runner.set_source(moving_dot(step))
        out = runner.draw({"trailLength": 0.0, "ghost": ghost}, time=step / 60, dt=1 / 60)
    assert abs(lit(out, level) - alone) <= alone // 2


def test_trails_first_frame_is_the_input(ctx: Any) -> None:
    runner, card = card_runner(ctx, "trails.fs")
    first = runner.draw({"ghost": True})  # the buffer starts empty: nothing to fade from
    assert np.abs(first[..., :3] - card[..., :3]).max() <= 2


def test_trails_decay_is_per_time_not_per_frame(ctx: Any) -> None:
    """Half a second of trails looks the same at 30 and at 60 frames per second."""

    def after(fps: int) -> np.ndarray:
        runner = EffectRunner(ctx, "trails.fs")
        runner.set_source(moving_dot(0))
        values: dict[str, IsfValue] = {"zoomDrift": 0.0, "trailLength": 0.97}
        runner.draw(values, dt=0.0)
        runner.set_source(moving_dot(99))  # the dot leaves the frame
        for i in range(1, fps // 2 + 1):
            out = runner.draw(values, time=i / fps, dt=1 / fps)
        return out

    at30, at60 = after(30), after(60)
    assert at60[36, 20, 0] > 10
    assert abs(at30[36, 20, 0] - at60[36, 20, 0]) <= 4


def test_bloom_glows_around_bright_parts_only(ctx: Any) -> None:
    runner, card = card_runner(ctx, "bloom.fs")
    assert [p.width_expr for p in runner.shader.passes[:3]] == ["$WIDTH/4"] * 3
    # One quarter-size buffer through three passes (bright pass, blur x, blur y): it is
    # PERSISTENT so that a pass may read it while drawing it (the host ping-pongs it).
    assert [(p.target, p.persistent) for p in runner.shader.passes] == [("glow", True)] * 3 + [
        (None, False)
    ]
    out = runner.draw({})
    assert runner.layer.buffer("glow").size == (32, 18)
    gained = out[..., :3].sum(axis=-1) - card[..., :3].sum(axis=-1)
    assert (gained >= -3).all()  # glow only adds
    # Just outside the bright disc it glows; far from it nothing changes.
    cx, cy, r = int(0.62 * 128), int(0.55 * 72), int(0.15 * 72)
    assert gained[cy, cx + r + 3] > 30
    assert np.abs(gained[5:15, 5:25]).max() <= 3
    off = runner.draw({"intensity": 0.0})
    assert np.abs(off[..., :3] - card[..., :3]).max() <= 2
    wide = runner.draw({"radius": 3.0})
    far = np.s_[cy - 3 : cy + 4, cx + r + 24 : cx + r + 32]  # at the default glow's fringe
    wide_gain = wide[..., :3].sum(axis=-1) - card[..., :3].sum(axis=-1)
    assert wide_gain[far].sum() > gained[far].sum() + 100


def test_color_grade_neutral_is_identity_and_knobs_act(ctx: Any) -> None:
    runner, card = card_runner(ctx, "color_grade.fs")
    neutral = {"contrast": 1.0, "saturation": 1.0, "temperature": 0.0, "vignette": 0.0}
    assert np.abs(runner.draw(neutral)[..., :3] - card[..., :3]).max() <= 2
    grey = runner.draw({**neutral, "saturation": 0.0})
    assert np.abs(grey[..., 0] - grey[..., 2]).max() <= 2
    warm = runner.draw({**neutral, "temperature": 1.0})
    assert (warm[..., 0] - warm[..., 2]).mean() > (card[..., 0] - card[..., 2]).mean() + 8
    flat = runner.draw({**neutral, "contrast": 0.5})
    assert flat[..., :3].std() < card[..., :3].std()
    dark = runner.draw({**neutral, "vignette": 1.0})
    assert dark[0, 0, :3].sum() < card[0, 0, :3].sum() * 0.6
    assert abs(dark[36, 64, :3].sum() - card[36, 64, :3].sum()) <= 6  # the centre is kept


def test_glitch_is_still_when_the_bass_is_quiet(ctx: Any) -> None:
    runner, card = card_runner(ctx, "glitch.fs")
    for t in (0.0, 0.5, 1.0, 7.25):  # defaults, no bass: the frame as it is
        assert np.abs(runner.draw({}, time=t, bass=0.0)[..., :3] - card[..., :3]).max() <= 1
    assert np.abs(runner.draw({}, time=1.0, bass=0.1)[..., :3] - card[..., :3]).max() <= 1
    loud = [runner.draw({}, time=t, bass=0.9) for t in (0.0, 0.5, 1.0)]
    assert all(diff(frame, card) > 3.0 for frame in loud)
    assert diff(loud[0], loud[1]) > 1.0  # the pattern moves with time
    # Louder bass, more glitch; amount 0 switches it off.
    medium = runner.draw({}, time=1.0, bass=0.45)
    assert diff(card, medium) < diff(card, loud[2])
    off = runner.draw({"amount": 0.0}, time=1.0, bass=1.0)
    assert np.abs(off[..., :3] - card[..., :3]).max() <= 1
    # The floor glitches without any bass.
    assert diff(runner.draw({"glitchFloor": 1.0}, time=1.0), card) > 3.0


def test_glitch_never_flashes_the_frame(ctx: Any) -> None:
    runner, card = card_runner(ctx, "glitch.fs")
    brightness = card[..., :3].mean()
    for i in range(24):
        out = runner.draw({"amount": 1.0}, time=i / 24, bass=1.0)
        assert abs(out[..., :3].mean() - brightness) < 0.2 * brightness


def test_kaleidoscope_mix_zero_is_the_input(ctx: Any) -> None:
    runner, card = card_runner(ctx, "kaleidoscope.fs")
    assert np.abs(runner.draw({"mixAmount": 0.0}, time=3.0)[..., :3] - card[..., :3]).max() <= 1
    full = runner.draw({}, time=0.0)
    half = runner.draw({"mixAmount": 0.5}, time=0.0)
    assert diff(half, card) < diff(full, card)
    # Mirror symmetry: with 4 segments and no spin, the picture is symmetric about the
    # vertical through the centre.
    four = runner.draw({"segments": 4.0, "spin": 0.0}, time=0.0)
    assert np.abs(four[:, :64, :3] - four[:, 64:, :3][:, ::-1]).mean() < 4


def test_film_grain_moves_and_letterbox_is_black(ctx: Any) -> None:
    runner, card = card_runner(ctx, "film.fs")
    a = runner.draw({}, time=0.0)
    b = runner.draw({}, time=0.5)
    assert diff(a, b) > 2.0  # the grain is animated
    assert abs(a[..., :3].mean() - card[..., :3].mean()) < 12  # no brightness shift
    assert a[..., :3].max(axis=(0, 1)).min() > 0  # no bars by default on 16:9
    scope = runner.draw({"letterbox": 2.39}, time=0.0)
    bar = round(72 * (1 - (128 / 72) / 2.39) / 2)
    assert bar >= 8
    assert scope[: bar - 1, :, :3].max() == 0 and scope[-bar + 1 :, :, :3].max() == 0
    assert scope[36, :, :3].mean() > 20
    clean = runner.draw({"grain": 0.0, "weave": 0.0, "softVignette": 0.0}, time=0.0)
    assert np.abs(clean[..., :3] - card[..., :3]).max() <= 2


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("end", ["min", "max"])
def test_every_knob_at_its_ends_still_draws_a_picture(ctx: Any, name: str, end: str) -> None:
    """MIDI faders go to the ends: every control at MIN (or MAX) together still renders."""
    runner, _ = card_runner(ctx, name)
    shader = runner.shader
    values: dict[str, IsfValue] = {}
    for item in shader.controls:
        value = item.min if end == "min" else item.max
        assert value is not None
        values[item.name] = value
    for step in range(4):
        out = runner.draw(values, time=2.0 + step / 60, dt=1 / 60, bass=1.0, level=1.0)
    assert (out[..., 3] == 255).all()
    assert out[..., :3].std() > 10
    assert out[..., :3].mean() > 10
