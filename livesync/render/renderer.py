"""Edge: draws a FrameState with moderngl: each scene is a shader background (Shadertoy, a
Shadertoy multipass with its buffers (livesync.render.multipass), or ISF), the character
picture and its mouth (the SDF one, or the user's drawings through
livesync.render.sprite_mouth), then the scene's chain of post effects; a scene fading in is
drawn offscreen and laid over the one fading out.

Everything the picture depends on arrives in the FrameState, so this module only converts it
to uniforms, textures and draw calls.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import moderngl
import numpy as np

from livesync.errors import DeviceError
from livesync.frame.state import FrameState
from livesync.render.channels import ChannelTextures
from livesync.render.character import CharacterLayer
from livesync.render.layer_guard import LayerGuard
from livesync.render.layers import IsfLayer, Layer, load_layer
from livesync.render.layers import set_uniform as _set
from livesync.render.multipass import ShadertoyMultipass, load_background
from livesync.render.reuse import Stamp, character_files, stamp
from livesync.render.transitions import Transitions
from livesync.resources import shader_path
from livesync.show.channels import (
    BufferSource,
    Channel,
    CharacterSource,
    SceneSource,
    check_scene_sources,
)
from livesync.show.render_scale import scale_now
from livesync.show.scenes import Scene, all_channels, background_files
from livesync.show.show_file import Character

if TYPE_CHECKING:
    from livesync.render.in_steps import RendererInSteps

log = logging.getLogger("livesync")

WARM_SIZE = (16, 16)  # warm_steps draws this small: the compile is the cost, not the pixels
AUDIO_UNIT = 10  # first texture unit of the audio textures

EGL_FIX = (
    "install Mesa's EGL/GL (Debian/Ubuntu: sudo apt-get install libegl1 libgl1 "
    "libegl-mesa0 libgl1-mesa-dri)"
)


def create_headless_context() -> Any:
    """An OpenGL 3.3 context with no display (EGL; Mesa's llvmpipe where there is no GPU)."""
    try:
        # moderngl's stub types `backend` as a dict; the library takes the string.
        return moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
    except Exception as exc:
        raise DeviceError(f"cannot create a headless OpenGL context ({exc}); {EGL_FIX}") from None


def warm_driver(ctx: Any) -> None:
    """Pay the GL driver's one-time costs before the first frame: llvmpipe compiles its
    mipmap blits at a process's first mipmapped texture and texture array, once for small
    ones and once for large (70-100 ms each), which would otherwise land in the frame that
    builds a set list's first drawn mouth or picture."""
    for side in (8, 320):  # one of each size class
        for texture in (ctx.texture((side, side), 4), ctx.texture_array((side, side, 2), 4)):
            texture.build_mipmaps()
            texture.release()


@contextmanager
def headless_renderer(
    scenes: Sequence[Scene], character: Character, transitions: Sequence[Path] = ()
) -> Iterator[Renderer]:
    """A renderer on its own headless context, both released on leaving: scripts that render
    many pictures in one process keep their memory."""
    ctx = create_headless_context()
    try:
        with Renderer(ctx, scenes, character, transitions=transitions) as renderer:
            yield renderer
    finally:
        ctx.release()


def _read(relative: str) -> str:
    return shader_path(relative).read_text(encoding="utf-8")


class AudioTextures:
    """The song's audio as textures, updated once per frame: Shadertoy's 512x2 iChannel0
    (spectrum row, waveform row) and the one-row FFT and waveform ISF audio inputs take."""

    def __init__(self, ctx: Any) -> None:
        self.shadertoy = ctx.texture((512, 2), 1, dtype="f4")
        self.fft = ctx.texture((512, 1), 1, dtype="f4")
        self.wave = ctx.texture((512, 1), 1, dtype="f4")
        self.silence = ctx.texture((1, 1), 4, dtype="f1")
        for t in (self.shadertoy, self.fft, self.wave):
            t.filter = (ctx.NEAREST, ctx.NEAREST)
        self.update(None)

    def update(self, rows: np.ndarray | None) -> None:
        if rows is None:
            rows = np.zeros((2, 512), np.float32)
            rows[1] = 0.5  # a silent waveform sits in the middle
        rows = np.ascontiguousarray(rows, dtype=np.float32)
        self.shadertoy.write(rows.tobytes())
        self.fft.write(rows[0].tobytes())
        self.wave.write(rows[1].tobytes())

    def bindings(self) -> dict[str, Any]:
        return {
            "iChannel0": self.shadertoy,
            "iChannel1": self.silence,
            "iChannel2": self.silence,
            "iChannel3": self.silence,
            "audioFFT": self.fft,
            "audio": self.wave,
        }

    def release(self) -> None:
        for t in (self.shadertoy, self.fft, self.wave, self.silence):
            t.release()


class _Canvas:
    """An offscreen RGBA texture and its framebuffer, reallocated when the size changes."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.texture: Any = None
        self.fbo: Any = None

    def get(self, size: tuple[int, int]) -> tuple[Any, Any]:
        if self.texture is None or self.texture.size != size:
            self.release()
            self.texture = self.ctx.texture(size, 4)
            self.texture.filter = (self.ctx.LINEAR, self.ctx.LINEAR)
            self.texture.repeat_x = self.texture.repeat_y = False  # effects read it at edges
            self.fbo = self.ctx.framebuffer(color_attachments=[self.texture])
        return self.texture, self.fbo

    def release(self) -> None:
        if self.fbo is not None:
            self.fbo.release()
            self.texture.release()
        self.texture = self.fbo = None


class Renderer:
    """Draws FrameStates for a show's scenes and character."""

    def __init__(
        self,
        ctx: Any,
        scenes: Path | Sequence[Scene],
        character: Character,
        now: Callable[[], datetime] = datetime.now,
        reuse: Renderer | None = None,
        transitions: Sequence[Path] = (),
    ) -> None:
        """`reuse`: the running show's renderer, when a saved show file is reloaded: its
        layers and character whose settings and files are unchanged are borrowed instead of
        built again (livesync.render.reuse), and become this renderer's at take_over().
        `transitions`: every ISF transition the show's cues and scenes name
        (Show.transitions), compiled now."""
        for _ in self._build(ctx, scenes, character, now, reuse, transitions):
            pass

    @classmethod
    def in_steps(
        cls,
        ctx: Any,
        scenes: Sequence[Scene],
        character: Character,
        transitions: Sequence[Path] = (),
        now: Callable[[], datetime] = datetime.now,
    ) -> RendererInSteps:
        """The same renderer, built a piece at a time (livesync.render.in_steps): a set
        list builds the next song's between the interlude's frames, so no frame waits for
        the whole build."""
        from livesync.render.in_steps import RendererInSteps

        renderer = cls.__new__(cls)
        return RendererInSteps(
            renderer, renderer._build(ctx, scenes, character, now, None, transitions)
        )

    def _build(
        self,
        ctx: Any,
        scenes: Path | Sequence[Scene],
        character: Character,
        now: Callable[[], datetime],
        reuse: Renderer | None,
        transitions: Sequence[Path],
    ) -> Generator[None, None, None]:
        """The construction, pausing after each piece that compiles shaders or uploads
        pictures. Stopped early (closed), it releases what it made."""
        self.ctx = ctx
        self.character = character
        self._now = now
        self.scenes = (Scene("main", scenes),) if isinstance(scenes, Path) else tuple(scenes)
        self.backgrounds: list[Layer] = []
        self.effects: list[list[Layer]] = []
        self._made_from: dict[int, tuple[Path, Stamp]] = {}  # id(layer) -> its file, stamp
        self._borrowed: list[object] = []  # from `reuse`, owned there until take_over()
        self._lent: set[int] = set()  # ids of parts a newer renderer took over
        self.transitions = Transitions(ctx, ())
        self.channels = ChannelTextures(ctx)
        # Channels drawn each frame (another scene, the character), by scene, and where.
        check_scene_sources(
            [s.name for s in self.scenes], [all_channels(s) for s in self.scenes], None
        )
        self._index = {s.name: i for i, s in enumerate(self.scenes)}
        # A buffer's channels are named "A:iChannel0" here; buffers themselves are the
        # multipass layer's to bind.
        self._live = [
            {n: c for n, c in all_channels(s).items() if not isinstance(c, (Channel, BufferSource))}
            for s in self.scenes
        ]
        self._frame_token = 0  # counts render() calls: a multipass advances once per frame
        self._live_canvases: dict[tuple[str, int], _Canvas] = {}
        try:
            self.transitions = Transitions(ctx, transitions, now)
            yield
            self.channels = ChannelTextures(
                ctx, self.scenes, reuse.channels if reuse is not None else None
            )
            yield
            for scene in self.scenes:
                # A multipass background (buffers, Common tab) is built anew on a show
                # reload: its buffers restart, as they do when any of its files is saved.
                self.backgrounds.append(
                    load_background(ctx, scene, now)
                    if scene.multipass
                    else self._layer(scene.background, reuse)
                )
                yield
                chain: list[Layer] = []
                self.effects.append(chain)  # filled in place: a failure releases what loaded
                for effect in scene.effects:
                    chain.append(self._layer(effect, reuse))
                    yield
        except BaseException:  # GeneratorExit too: a build stopped early
            self._release_layers()
            raise
        self.audio = AudioTextures(ctx)
        self.guard = LayerGuard()
        self._canvases = [_Canvas(ctx) for _ in range(3)]  # scene, effect ping, effect pong
        self._fade = _Canvas(ctx)
        self._fade_from = _Canvas(ctx)  # the outgoing scene, for a transition
        self._character = _Canvas(ctx)  # only while the character fades
        self._scaled = _Canvas(ctx)  # a scene at its render scale, before upscaling
        self.layer_program = ctx.program(
            vertex_shader=_read("common/fullscreen.vert"),
            fragment_shader=_read("common/layer.frag"),
        )
        self._layer_vao = ctx.vertex_array(self.layer_program, [])
        self._character_stamp = stamp(character_files(character))
        self._corners: Any
        self.character_layer: CharacterLayer
        if (
            reuse is not None
            and reuse.character == character
            and reuse._character_stamp == self._character_stamp
        ):
            self._corners, self.character_layer = reuse._corners, reuse.character_layer
            self._borrowed += [self._corners, self.character_layer]
            return
        self._corners = ctx.buffer(struct.pack("8f", -1, -1, 1, -1, -1, 1, 1, 1))
        try:
            yield
            self.character_layer = CharacterLayer.__new__(CharacterLayer)
            yield from self.character_layer.build(ctx, character, self._corners)
        except BaseException:
            self._corners.release()
            self._release_layers()
            self.audio.release()
            for obj in (self._layer_vao, self.layer_program):
                obj.release()
            raise

    def _layer(self, path: Path, reuse: Renderer | None) -> Layer:
        """The layer for a shader file: the running show's, if it has one from the same,
        unchanged file that this renderer has not borrowed yet; else a new one."""
        layer = reuse._unchanged_layer(path, self._borrowed) if reuse is not None else None
        if layer is not None and reuse is not None:
            self._borrowed.append(layer)
            self._made_from[id(layer)] = reuse._made_from[id(layer)]
            return layer
        layer = load_layer(self.ctx, path, self._now)
        self._made_from[id(layer)] = (path, stamp(layer.files))
        return layer

    def _unchanged_layer(self, path: Path, taken: list[object]) -> Layer | None:
        for layer in [*self.backgrounds, *(e for chain in self.effects for e in chain)]:
            made_from = self._made_from.get(id(layer))
            if made_from is None or made_from[0] != path or any(layer is t for t in taken):
                continue
            if stamp(layer.files) == made_from[1]:
                return layer
        return None

    def take_over(self, old: Renderer) -> None:
        """Make what this renderer borrowed from `old` its own and release the rest of
        `old`: the moment a reloaded show replaces the running one."""
        old._lent.update(id(part) for part in self._borrowed)
        self._borrowed.clear()
        self.channels.take_over(old.channels)
        old.release()

    def _mine(self, part: object) -> bool:
        return id(part) not in self._lent and not any(part is b for b in self._borrowed)

    @property
    def remembers(self) -> bool:
        """True when a layer draws from its own earlier frames (a Shadertoy multipass, an
        ISF file with a PERSISTENT pass, as feedback effects are): one frame drawn alone shows
        none of the history the show would have built (livesync.api.draw_png warms it)."""
        return any(
            _remembers(layer)
            for layer in [*self.backgrounds, *(e for chain in self.effects for e in chain)]
        )

    def warm_steps(self, state: FrameState, target: Any) -> Generator[None, None, None]:
        """Draw each layer of the scene `state` shows once, tiny, a layer a step. llvmpipe
        compiles each program again for its draw state at its first draw, so a set list
        warms the next song's first scene in the interlude: about 4 ms off the demo's first
        frame (benchmarks/first_frames.py), which still costs more than later ones. The
        chain's last pass goes into a corner of `target` (the window's framebuffer, whose
        format the real frame draws into), which the next frame draws over. Layers that
        remember their frames are not drawn: a warm draw would be one of their frames. A
        layer that fails here is left to the real frame to report."""
        index = state.scene.current
        scene = self.scenes[index]
        values = {**scene.params, **state.params}
        images = self.channels.scenes[index]
        chain = self.effects[index]
        canvases = (_Canvas(self.ctx), _Canvas(self.ctx))
        first = canvases[0].get(WARM_SIZE)[1] if chain else target

        def attempt(draw: Callable[[], None]) -> None:
            try:
                self.ctx.disable(moderngl.BLEND)
                self.ctx.viewport = (0, 0, *WARM_SIZE)
                draw()
            except Exception:
                log.debug("warming scene %s: a layer failed", scene.name, exc_info=True)

        try:
            background = self.backgrounds[index]
            if not _remembers(background):
                audio = self._bind_audio()
                attempt(
                    lambda: background.draw(
                        state, WARM_SIZE, first, values, audio=audio, images=images
                    )
                )
                yield
            if scene.character:
                attempt(lambda: self._character_pass(index, state, WARM_SIZE, first))
                yield
            source = canvases[0].texture
            for n, effect in enumerate(chain):
                out_texture, out = (
                    (None, target) if n == len(chain) - 1 else canvases[1 - n % 2].get(WARM_SIZE)
                )
                if not _remembers(effect):
                    audio = self._bind_audio()
                    attempt(
                        partial(
                            effect.draw,
                            state,
                            WARM_SIZE,
                            out,
                            values,
                            source,
                            audio=audio,
                            images=images,
                        )
                    )
                    yield
                source = out_texture
            if scene.render_scale is not None:  # the upscale
                attempt(
                    lambda: self._copy(canvases[0].texture or self.audio.silence, target, WARM_SIZE)
                )
                yield
        finally:
            for canvas in canvases:
                canvas.release()

    @property
    def params(self) -> dict[str, tuple[float, float, float]]:
        """(min, max, default) of every ISF input the show's shaders expose, by name."""
        out: dict[str, tuple[float, float, float]] = {}
        for layer in [*self.backgrounds, *(e for chain in self.effects for e in chain)]:
            for spec in layer.params:
                out.setdefault(spec.name, (spec.minimum, spec.maximum, spec.default))
        return out

    def _release_layers(self) -> None:
        for layer in [*self.backgrounds, *(e for chain in self.effects for e in chain)]:
            if self._mine(layer):
                layer.release()
        self.transitions.release()
        self.channels.release()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Free the GL objects (a reloaded show builds a new renderer)."""
        self._release_layers()
        self.audio.release()
        for canvas in (
            *self._canvases,
            self._fade,
            self._fade_from,
            self._character,
            self._scaled,
            *self._live_canvases.values(),
        ):
            canvas.release()
        for obj in (self._layer_vao, self.layer_program):
            obj.release()
        for part in (self.character_layer, self._corners):
            if self._mine(part):
                part.release()

    def reload(self, path: Path) -> bool:
        """Recompile every layer made from `path` (a multipass background when `path` is
        any of its tabs: its buffers restart). All or nothing: on a compile error the old
        layers stay and the InputError propagates. True if any layer used the file."""
        if self.transitions.reload(path):
            self.guard.forget(("transition", path))
            return True
        fresh: list[tuple[int, int, Layer]] = []  # (scene, -1 for background or effect, new)
        try:
            for i, scene in enumerate(self.scenes):
                if path in background_files(scene):
                    fresh.append((i, -1, load_background(self.ctx, scene, self._now)))
                for k, effect in enumerate(scene.effects):
                    if effect == path:
                        fresh.append((i, k, load_layer(self.ctx, path, self._now)))
        except Exception:
            for _, _, layer in fresh:
                layer.release()
            raise
        for i, k, layer in fresh:
            chain = self.backgrounds if k < 0 else self.effects[i]
            slot = i if k < 0 else k
            if self._mine(chain[slot]):
                chain[slot].release()
            chain[slot] = layer
            if not isinstance(layer, ShadertoyMultipass):  # never reused (see __init__)
                self._made_from[id(layer)] = (path, stamp(layer.files))
            self.guard.forget((i, k))
        return bool(fresh)

    def render(
        self, state: FrameState, size: tuple[int, int], auto_scale: float | None = None
    ) -> None:
        """Draw one frame into the currently bound framebuffer. `auto_scale`: the live
        auto render scale (livesync.frame.render_scale); None, offline, draws every scene
        that has a render scale at full size (a video has no refresh to keep)."""
        target = self.ctx.fbo
        self.guard.next_frame()
        self._frame_token += 1
        self.audio.update(state.audio_texture)
        mix = state.scene
        if mix.previous is None or mix.mix >= 1.0:
            self._draw_scene(mix.current, state, size, target, auto_scale)
            return
        path = mix.transition or self.scenes[mix.current].transition
        transition = self.transitions.get(path) if path is not None else None
        if transition is None:
            self._draw_scene(mix.previous, state, size, target, auto_scale)
            texture, fbo = self._fade.get(size)
            self._draw_scene(mix.current, state, size, fbo, auto_scale)
            target.use()
            self._lay_over(texture, mix.mix, size, premultiplied=False)
            return
        start, start_fbo = self._fade_from.get(size)
        self._draw_scene(mix.previous, state, size, start_fbo, auto_scale)
        end, end_fbo = self._fade.get(size)
        pictures = self._draw_scene(mix.current, state, size, end_fbo, auto_scale)
        values = {**self.scenes[mix.current].params, **state.params, "progress": mix.mix}
        self.ctx.disable(moderngl.BLEND)
        self.ctx.viewport = (0, 0, *size)
        # The incoming scene's pictures feed the transition's other image inputs (Luma
        # Transition's luma), as its transition is the one a change to it takes.
        images = {**pictures, "startImage": start, "endImage": end}
        draw = partial(transition.draw, state, size, target, values, images=images)
        if not self.guard.run(("transition", path), f"transition {path}", draw):
            self._copy(start, target, size)  # a failing transition: the plain crossfade
            self._lay_over(end, mix.mix, size, premultiplied=False)

    def _lay_over(
        self, texture: Any, alpha: float, size: tuple[int, int], premultiplied: bool
    ) -> None:
        """An offscreen layer over the bound framebuffer at `alpha`."""
        self.ctx.viewport = (0, 0, *size)
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = (
            (moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA)
            if premultiplied
            else (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA)
        )
        texture.use(0)
        p = self.layer_program
        _set(p, "u_layer", 0)
        _set(p, "u_resolution", (float(size[0]), float(size[1])))
        _set(p, "u_alpha", alpha)
        _set(p, "u_premultiplied", premultiplied)
        self._layer_vao.render(moderngl.TRIANGLES, vertices=3)

    def _draw_scene(
        self, index: int, state: FrameState, size: tuple[int, int], target: Any, auto: float | None
    ) -> dict[str, Any]:
        """Background, character and the scene's effects (each effect reads the last). With
        a render scale the background and effects are drawn at the scaled size and
        upscaled, and the character is drawn over them, sharp. Returns the pictures its
        channels had (a transition into it reads them too)."""
        scene = self.scenes[index]
        images = self._pictures(index, state, size, auto)  # first: they use the canvases
        values = {**scene.params, **state.params}
        scale = scale_now(scene.render_scale, auto)
        if scale is None:
            first = target if not self.effects[index] else self._canvases[0].get(size)[1]
            self._draw_background(index, state, size, first, values, images)
            if scene.character:
                self._character_pass(index, state, size, first)
            self._draw_effects(index, state, size, target, values, images)
            return images
        small = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
        texture, out = (None, target) if small == size else self._scaled.get(small)
        first = out if not self.effects[index] else self._canvases[0].get(small)[1]
        self._draw_background(index, state, small, first, values, images)
        self._draw_effects(index, state, small, out, values, images)
        if texture is not None:
            self._copy(texture, target, size)  # upscaled, filtered
        if scene.character:
            target.use()
            self._character_pass(index, state, size, target)
        return images

    def _pictures(
        self, index: int, state: FrameState, size: tuple[int, int], auto: float | None
    ) -> dict[str, Any]:
        """The scene's channels by input name: its picture files' textures, and the
        pictures drawn for this frame (another scene, the character) on canvases of their
        own, drawn completely before the scene starts. The show refuses a scene that would
        read its own picture, so this ends."""
        files = self.channels.scenes[index]
        if not self._live[index]:
            return files
        images = dict(files)
        for name, source in self._live[index].items():
            if isinstance(source, SceneSource):
                key = ("scene", self._index[source.scene])
            else:
                key = ("character", index)
            canvas = self._live_canvases.setdefault(key, _Canvas(self.ctx))
            texture, fbo = canvas.get(size)
            fbo.use()
            fbo.clear(0.0, 0.0, 0.0, 0.0)
            if isinstance(source, CharacterSource):
                self._character_pass(index, state, size, fbo)
            else:
                self._draw_scene(key[1], state, size, fbo, auto)
            images[name] = texture
        return images

    def _draw_background(
        self,
        index: int,
        state: FrameState,
        size: tuple[int, int],
        target: Any,
        values: dict[str, float],
        images: dict[str, Any],
    ) -> None:
        scene, background = self.scenes[index], self.backgrounds[index]
        if isinstance(background, ShadertoyMultipass):
            background.token = self._frame_token
        audio = self._bind_audio()
        self.ctx.disable(moderngl.BLEND)
        self.ctx.viewport = (0, 0, *size)
        if not self.guard.run(
            (index, -1),
            f"scene {scene.name}: {scene.background}",
            lambda: background.draw(state, size, target, values, audio=audio, images=images),
        ):
            target.use()
            target.clear(0.0, 0.0, 0.0, 1.0)

    def _character_pass(
        self, index: int, state: FrameState, size: tuple[int, int], target: Any
    ) -> None:
        scene = self.scenes[index]
        target.use()
        self.ctx.viewport = (0, 0, *size)
        self.guard.run(
            (index, "character"),
            f"scene {scene.name}: the character",
            lambda: self._draw_character(state, size, scene, target),
        )

    def _draw_effects(
        self,
        index: int,
        state: FrameState,
        size: tuple[int, int],
        target: Any,
        values: dict[str, float],
        images: dict[str, Any],
    ) -> None:
        """The scene's effects in order, from the first canvas into `target`."""
        scene = self.scenes[index]
        source = self._canvases[0].texture
        for n, effect in enumerate(self.effects[index]):
            last = n == len(self.effects[index]) - 1
            out_texture, out = (None, target) if last else self._canvases[1 + n % 2].get(size)
            self.ctx.disable(moderngl.BLEND)
            audio = self._bind_audio()
            self.ctx.viewport = (0, 0, *size)
            if not self.guard.run(
                (index, n),
                f"scene {scene.name}: {scene.effects[n]}",
                partial(effect.draw, state, size, out, values, source, audio=audio, images=images),
            ):
                self._copy(source, out, size)  # the picture so far, without this effect
            source = out_texture

    def _draw_character(
        self, state: FrameState, size: tuple[int, int], scene: Scene, target: Any
    ) -> None:
        """The character over the background; one that is fading (a face puppet in a long
        gap of its recording) is drawn whole offscreen and laid over at its opacity, so its
        overlapping parts do not show through each other."""
        layer = self.character_layer
        opacity = layer.opacity(state)
        if opacity >= 1.0:
            layer.draw(state, size, scene)
            return
        if opacity <= 0.0:
            return
        texture, fbo = self._character.get(size)
        fbo.use()
        fbo.clear(0.0, 0.0, 0.0, 0.0)
        layer.draw(state, size, scene, solid=True)
        target.use()
        self._lay_over(texture, opacity, size, premultiplied=True)

    def _copy(self, texture: Any, target: Any, size: tuple[int, int]) -> None:
        target.use()
        self.ctx.viewport = (0, 0, *size)
        self.ctx.disable(moderngl.BLEND)
        texture.use(0)
        _set(self.layer_program, "u_layer", 0)
        _set(self.layer_program, "u_resolution", (float(size[0]), float(size[1])))
        _set(self.layer_program, "u_alpha", 1.0)
        self._layer_vao.render(moderngl.TRIANGLES, vertices=3)

    def _bind_audio(self) -> dict[str, int]:
        """Audio textures sit on high texture units (layers bind theirs from unit 0); the
        names map to the units, for the layers' samplers."""
        units = {}
        for unit, (name, texture) in enumerate(self.audio.bindings().items(), start=AUDIO_UNIT):
            texture.use(unit)
            units[name] = unit
        return units


def _remembers(layer: Layer) -> bool:
    """A layer that draws from its own earlier frames (feedback)."""
    if isinstance(layer, ShadertoyMultipass):
        return True
    return isinstance(layer, IsfLayer) and any(p.persistent for p in layer.shader.passes)


class OffscreenTarget:
    """A framebuffer to render into without a window, read back as top-down RGB bytes."""

    def __init__(self, ctx: Any, size: tuple[int, int]) -> None:
        self.ctx = ctx
        self.size = size
        self.fbo = ctx.simple_framebuffer(size, components=4)

    def use(self) -> None:
        self.fbo.use()

    def release(self) -> None:
        self.fbo.release()

    def read_rgb(self) -> bytes:
        """Top row first, as images and video encoders expect (GL's row 0 is the bottom)."""
        import numpy as np

        w, h = self.size
        raw = self.fbo.read(components=3, alignment=1)
        return np.frombuffer(raw, dtype=np.uint8).reshape(h, w, 3)[::-1].tobytes()
