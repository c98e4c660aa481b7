"""Conformance: every file of the official VIDVOX ISF collection loads, compiles and draws
through the product's own layers (load_layer, IsfLayer.draw), and the number that draw a
picture (not one flat colour) never goes down.

The collection (MIT) lives outside the repository, in ../shared/data/isf-files/ISF (or where
LIVESYNC_ISF_COLLECTION points); CI runs on a machine that has it, so a missing folder fails
the test with a message instead of skipping it. Generators draw as a scene background does,
filters as a post effect over a moving test picture, a few frames from TIME 0 (as the
reference host starts a shader), at 64x36; image inputs of their own (Color Relookup's
lookupImage, Luma Transition's luma) get a second test picture as a show's `channels` give
one. The cost is compiling 321 programs, split over two processes. docs/shaders.md reports
the counts and says why each exception draws nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.gl

ROOT = Path(__file__).resolve().parents[2]
# Beside the checkout (../shared), or the machine's shared data folder for a clone made
# elsewhere (CI clones the repository into a folder of its own on the same machine).
PLACES = [
    ROOT.parent / "shared" / "data" / "isf-files" / "ISF",
    Path("/work/shared/data/isf-files/ISF"),
]
COLLECTION = Path(
    os.environ.get("LIVESYNC_ISF_COLLECTION", next((p for p in PLACES if p.is_dir()), PLACES[0]))
)
SIZE = (64, 36)
FRAMES = 4
# A picture is flat when fewer than this share of its pixels differ (by more than 8 of 255 in
# a channel) from its most common colour: a stray dot is not a picture.
LIT_SHARE = 0.005
# Measured with this harness: generators and filters that draw a picture. Raise it when a
# change makes more of them draw; it must never go down.
NON_FLAT = 245
# Generators and filters that draw one flat colour here, and why (docs/shaders.md lists them).
EXCEPTIONS: dict[str, str] = {
    "Solid Color.fs": "one colour, by design",
    "Show Alpha.fs": "shows the input's alpha: an opaque picture (every scene here) is white",
    "Random Shape.fs": "divides isf_FragNormCoord by RENDERSIZE: every pixel is the same point",
    "Color Organ Polyphonic.fs": "black until one of its note inputs is on (a MIDI note)",
    "Circle Trails.fs": "draws behind its point input, only once the point moves (a mouse)",
    "Doodler.fs": "draws where its pen point goes (a mouse): at rest, one dot",
    "Etch-a-Sketch.fs": "draws where its pen point goes (a mouse): at rest, one dot",
    "Vertex Manipulator.fs": "its default corners collapse the quad to a line (as in VDMX)",
}
# Transitions drawn between two test pictures (livesync.render.transitions): measured with
# this harness, the number that show startImage at progress 0, endImage at 1, and neither at
# 0.5. Raise it when a change makes more of them work; it must never go down.
TRANSITIONS_OK = 66
CLOSE = 4.0  # mean difference, of 255, that counts as showing a picture
TRANSITION_EXCEPTIONS: dict[str, str] = {
    "Butterfly Wave Scrawler.fs": "takes acos() of values outside -1..1 (undefined in GLSL): "
    "NaN, so black, on Mesa",
    "Doom Screen Transition.fs": "with its default amplitude every bar has fallen before "
    "progress 0.5: the end picture by then, by design",
}
NOW = datetime(2026, 1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Outcome:
    """What one file did: ``kind`` is generator/filter/transition ('' when the header does
    not read), ``problem`` the one-line error when it did not load or draw."""

    name: str
    kind: str
    problem: str = ""
    flat: bool = True
    vertex: bool = False  # drawn with the .vs next to it
    # A transition: mean difference (0-255) from startImage at progress 0, from endImage at
    # progress 1, and the smaller of the two at progress 0.5.
    at_start: float = 0.0
    at_end: float = 0.0
    between: float = 0.0


def _test_picture(frame: int) -> np.ndarray:
    """RGBA, bottom row first: gradients and a checker, moving 2 pixels a frame, so filters
    that need detail or motion (edges, optical flow, feedback) have both."""
    h, w = SIZE[1], SIZE[0]
    y, x = np.mgrid[0:h, 0:w]
    x = (x - 2 * frame) % w
    picture = np.empty((h, w, 4), np.uint8)
    picture[..., 0] = x * 255 // w
    picture[..., 1] = y * 255 // h
    picture[..., 2] = ((x // 8 + y // 8) % 2) * 200
    picture[..., 3] = 255
    return picture


def _end_picture() -> np.ndarray:
    """A transition's endImage: unlike the test picture everywhere (stripes, other colours)."""
    h, w = SIZE[1], SIZE[0]
    y, x = np.mgrid[0:h, 0:w]
    picture = np.empty((h, w, 4), np.uint8)
    picture[..., 0] = 255 - y * 255 // h
    picture[..., 1] = ((x // 4) % 2) * 160 + 40
    picture[..., 2] = 230 - x * 200 // w
    picture[..., 3] = 255
    return picture


def is_flat(rgb: np.ndarray) -> bool:
    """True when almost every pixel has the picture's most common colour."""
    pixels = rgb.reshape(-1, 3).astype(int)
    packed = (pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    common = values[counts.argmax()]
    mode = np.array([(common >> 16) & 255, (common >> 8) & 255, common & 255])
    differ = (np.abs(pixels - mode) > 8).any(axis=1).mean()
    return bool(differ < LIT_SHARE)


def render_files(paths: list[str]) -> list[Outcome]:
    """Runs in a worker process with a headless context of its own: each file loaded by
    load_layer and drawn FRAMES frames, with the renderer's audio textures bound."""
    from livesync.errors import InputError
    from livesync.frame.state import FrameState
    from livesync.lipsync.visemes import MouthPose, Viseme
    from livesync.render.channels import ChannelTextures
    from livesync.render.images import encode_png
    from livesync.render.layers import IsfLayer, load_layer
    from livesync.render.renderer import AUDIO_UNIT, AudioTextures, create_headless_context
    from livesync.show.channels import FED, Channel, host_defaults
    from livesync.show.scenes import Scene

    ctx = create_headless_context()
    audio = AudioTextures(ctx)
    rows = np.empty((2, 512), np.float32)
    rows[0] = np.linspace(0.9, 0.1, 512)  # a falling spectrum
    rows[1] = 0.5 + 0.4 * np.sin(np.arange(512) / 9.0)  # a sine wave
    audio.update(rows)
    units = {}
    for unit, (name, texture) in enumerate(audio.bindings().items(), start=AUDIO_UNIT):
        texture.use(unit)
        units[name] = unit
    source = ctx.texture(SIZE, 4, _test_picture(0).tobytes())
    source.filter = (ctx.LINEAR, ctx.LINEAR)
    source.repeat_x = source.repeat_y = False
    end = ctx.texture(SIZE, 4, _end_picture().tobytes())
    end.filter = (ctx.LINEAR, ctx.LINEAR)
    end.repeat_x = end.repeat_y = False
    output = ctx.simple_framebuffer(SIZE, components=4)
    # The picture a show would give the other image inputs (`channels`): the end picture as a
    # PNG, read through the show's own path (livesync.render.channels).
    folder = Path(tempfile.mkdtemp(prefix="isf-channels-"))
    picture = folder / "channel.png"
    rgb = np.ascontiguousarray(_end_picture()[::-1, :, :3])
    picture.write_bytes(encode_png(SIZE[0], SIZE[1], rgb.tobytes()))

    def channels(layer: IsfLayer) -> ChannelTextures:
        """Textures for every image input the host does not feed (not inputImage, startImage,
        endImage or an IMPORTED picture), as a scene's `channels` table gives them."""
        imported = {i.name for i in layer.shader.imported}
        names = [
            i.name
            for i in layer.shader.inputs
            if i.type == "image" and i.name not in FED and i.name not in imported
        ]
        given = {n: Channel(picture, *host_defaults(n)) for n in names}
        return ChannelTextures(ctx, [Scene("s", path, channels=given)])

    def read() -> np.ndarray:
        raw = output.read(components=3, alignment=1)
        return np.frombuffer(raw, np.uint8).reshape(SIZE[1], SIZE[0], 3).astype(int)

    outcomes = []
    for text in paths:
        path = Path(text)
        try:
            layer = load_layer(ctx, path, lambda: NOW)
        except InputError as exc:
            outcomes.append(Outcome(path.name, "", str(exc)))
            continue
        assert isinstance(layer, IsfLayer)  # the content decides: these are ISF files
        kind = layer.shader.kind
        given = channels(layer)
        images = given.scenes[0]
        try:
            if kind == "transition":
                source.write(_test_picture(0).tobytes())
                pictures = {**images, "startImage": source, "endImage": end}
                seen = []
                for progress in (0.0, 0.5, 1.0):
                    output.use()
                    output.clear(0.0, 0.0, 0.0, 1.0)
                    ctx.viewport = (0, 0, *SIZE)
                    state = FrameState(1.0, 1 / 30, 30, MouthPose(), Viseme.SIL, "", "")
                    values = {"progress": progress}
                    layer.draw(state, SIZE, output, values, audio=units, images=pictures)
                    seen.append(read())
                start_rgb = _test_picture(0)[..., :3].astype(int)
                end_rgb = _end_picture()[..., :3].astype(int)

                def off(a: np.ndarray, b: np.ndarray) -> float:
                    return float(np.abs(a - b).mean())

                outcomes.append(
                    Outcome(
                        path.name,
                        kind,
                        flat=is_flat(seen[1].astype(np.uint8)),
                        at_start=off(seen[0], start_rgb),
                        at_end=off(seen[2], end_rgb),
                        between=min(off(seen[1], start_rgb), off(seen[1], end_rgb)),
                    )
                )
                continue
            for frame in range(FRAMES):
                source.write(_test_picture(frame).tobytes())
                output.use()
                output.clear(0.0, 0.0, 0.0, 1.0)
                ctx.viewport = (0, 0, *SIZE)
                state = FrameState(frame / 30, 1 / 30, frame, MouthPose(), Viseme.SIL, "", "")
                layer.draw(
                    state,
                    SIZE,
                    output,
                    {},
                    source=source if kind == "filter" else None,
                    audio=units,
                    images=images,
                )
            raw = output.read(components=3, alignment=1)
            rgb = np.frombuffer(raw, np.uint8).reshape(SIZE[1], SIZE[0], 3)
            vertex = layer.shader.vertex is not None
            outcomes.append(Outcome(path.name, kind, flat=is_flat(rgb), vertex=vertex))
        except Exception as exc:  # one line per file, as the show's layer guard logs it
            outcomes.append(Outcome(path.name, kind, f"{type(exc).__name__}: {exc}"))
        finally:
            layer.release()
            given.release()
    shutil.rmtree(folder, ignore_errors=True)
    return outcomes


def test_flatness_measure() -> None:
    picture = np.zeros((36, 64, 3), np.uint8)
    assert is_flat(picture)
    picture[3, 4] = 255  # one dot
    assert is_flat(picture)
    picture[10:14, 10:14] = (200, 30, 30)  # a small square: 16 pixels of 2304
    assert not is_flat(picture)
    assert not is_flat(_test_picture(0)[..., :3])


def test_the_official_isf_collection_renders() -> None:
    if not COLLECTION.is_dir():
        pytest.fail(
            f"the official ISF collection is not at {COLLECTION}: put VIDVOX's ISF files "
            "there (github.com/Vidvox/ISF-Files, folder ISF) or point LIVESYNC_ISF_COLLECTION "
            "at them"
        )
    files = sorted(str(p) for p in COLLECTION.glob("*.fs"))
    assert files, f"no .fs files in {COLLECTION}"
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        outcomes = [o for part in pool.map(render_files, [files[0::2], files[1::2]]) for o in part]
    assert len(outcomes) == len(files)
    paired = sorted(p.stem for p in COLLECTION.glob("*.vs"))
    assert sorted(o.name[:-3] for o in outcomes if o.vertex) == paired  # every .vs is used
    transitions = [o for o in outcomes if o.kind == "transition"]
    others = [o for o in outcomes if o.kind != "transition"]
    drawn = [o for o in others if not o.problem and not o.flat]
    unexplained = [
        f"{o.name}: {o.problem or 'one flat colour'}"
        for o in others
        if (o.problem or o.flat) and o.name not in EXCEPTIONS
    ]
    assert not unexplained, "drew nothing, and EXCEPTIONS does not say why:\n" + "\n".join(
        unexplained
    )
    stale = sorted(o.name for o in drawn if o.name in EXCEPTIONS)
    assert not stale, (
        f"now draw a picture: take them out of EXCEPTIONS and docs/shaders.md: {stale}"
    )
    # Transitions, as a cue draws them: the outgoing picture at progress 0, the incoming one
    # at 1, something between at 0.5.
    working = [
        o
        for o in transitions
        if not o.problem and o.at_start < CLOSE and o.at_end < CLOSE and o.between > 2 * CLOSE
    ]
    failing = [
        f"{o.name}: {o.problem or f'off start {o.at_start:.1f}, end {o.at_end:.1f}, '}"
        f"{'' if o.problem else f'between {o.between:.1f}'}"
        for o in transitions
        if o not in working and o.name not in TRANSITION_EXCEPTIONS
    ]
    assert not failing, "transitions that do not go from start to end:\n" + "\n".join(failing)
    stale = sorted(o.name for o in working if o.name in TRANSITION_EXCEPTIONS)
    assert not stale, f"now work: take them out of TRANSITION_EXCEPTIONS and docs: {stale}"
    assert len(drawn) >= NON_FLAT, f"{len(drawn)} files draw a picture, {NON_FLAT} did before"
    assert len(working) >= TRANSITIONS_OK, f"{len(working)} transitions work, {TRANSITIONS_OK} did"
    print(
        f"\n{len(files)} files: {len(drawn)} of {len(others)} generators and filters draw a "
        f"picture, {len(others) - len(drawn)} exceptions; {len(working)} of {len(transitions)} "
        "transitions go from start to end"
    )
