"""Loading a set list's next song while the current part plays.

Everything but the GL objects is loaded on a thread of its own (show file, timeline, audio,
analysis, the sound output opened paused); the renderer, which needs the window's thread, is
built a piece a frame by `Preload.build_step` from the frame loop's tick, in the interlude,
so neither the switch nor any frame around it waits for a whole build.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from livesync.app.live import open_player
from livesync.app.prepare import prepare
from livesync.devices.audio_out import AudioPlayer
from livesync.errors import DeviceError, InputError
from livesync.frame.performance import Performance
from livesync.render.in_steps import RendererInSteps
from livesync.render.picture_cache import warm
from livesync.render.renderer import Renderer
from livesync.show.set_list import SongEntry
from livesync.show.show_file import Show, load_show

log = logging.getLogger("livesync")


@dataclass
class Prepared:
    index: int
    show: Show
    performance: Performance
    player: AudioPlayer | None
    renderer: Renderer | None = None  # built on the window's thread, before the switch


class Preload:
    """One song loaded on a thread: everything but the GL objects, which need the window's
    thread. `failed` holds the one-line reason a song cannot be played."""

    def __init__(self, index: int, entry: SongEntry, adjust: Callable[[Show], Show], silent: bool):
        self.index = index
        self.result: Prepared | None = None
        self.failed: str | None = None
        self._done = threading.Event()
        self._steps: RendererInSteps | None = None  # the renderer, while it is being built
        self._warm: Generator[None, None, None] | None = None  # then its first scene warmed
        self._warmed = False
        self._thread = threading.Thread(
            target=self._load,
            args=(entry, adjust, silent),
            name=f"livesync preload {entry.name}",
            daemon=True,
        )
        self._thread.start()

    def _load(self, entry: SongEntry, adjust: Callable[[Show], Show], silent: bool) -> None:
        try:
            show = adjust(load_show(entry.show))
            performance, audio = prepare(show)
            warm(show.character)  # its pictures decoded here, not on the window's thread
            player = open_player(show, audio, silent)
            self.result = Prepared(self.index, show, performance, player)
            log.debug("song %s loaded", entry.name)
        except (InputError, DeviceError) as exc:
            self.failed = str(exc)
        except Exception as exc:  # a bug must not take the set down: the song is skipped
            log.debug("loading song %d failed", self.index, exc_info=True)
            self.failed = f"{type(exc).__name__}: {exc}"
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def ready(self) -> bool:
        """Loaded and its renderer built, or failed: the song can be taken."""
        return self.done and (self.result is None or self.result.renderer is not None)

    def build_step(self, ctx: Any, screen: Any = None) -> None:
        """One piece of the song's renderer (a shader, the character), on the window's
        thread (GL), once loaded: a piece a frame in the interlude keeps every frame to a
        few milliseconds more than usual (livesync.render.in_steps). Once built, with the
        window's `screen`, its first scene is warmed a layer a step (Renderer.warm_steps).
        A shader that does not compile makes the song unplayable, as a broken file does."""
        result = self.result
        if not self.done or result is None:
            return
        if result.renderer is not None:
            self._warm_step(result, screen)
            return
        show = result.show
        try:
            if self._steps is None:
                self._steps = Renderer.in_steps(
                    ctx, show.scenes, show.character, transitions=show.transitions
                )
            if self._steps.step():
                result.renderer = self._steps.renderer
                self._steps = None
        except (InputError, DeviceError) as exc:
            self._steps = None
            self.failed = str(exc)
            self.result = None
            if result.player is not None:
                result.player.close()

    def _warm_step(self, result: Prepared, screen: Any) -> None:
        if screen is None or self._warmed or result.renderer is None:
            return
        if self._warm is None:
            first = result.performance.state_at(0.0, 1.0 / 60)
            self._warm = result.renderer.warm_steps(first, screen)
        try:
            next(self._warm)
        except StopIteration:
            self._warm, self._warmed = None, True

    def stop_warming(self) -> None:
        """Taken (or dropped) before its warming finished: release the warm canvases."""
        if self._warm is not None:
            self._warm.close()
            self._warm = None

    def build(self, ctx: Any) -> None:
        """The rest of the song's renderer at once: it must start now (a DAW's playhead
        already in it)."""
        while self.done and self.result is not None and self.result.renderer is None:
            self.build_step(ctx)

    def discard(self) -> None:
        """Not played after all: free its renderer now (this is the window's thread) and
        close its sound output once it is loaded."""
        self.stop_warming()
        if self._steps is not None:
            self._steps.cancel()
            self._steps = None
        if self.done and self.result is not None and self.result.renderer is not None:
            self.result.renderer.release()
            self.result.renderer = None

        def close() -> None:
            self._done.wait()
            if self.result is not None and self.result.player is not None:
                self.result.player.close()

        threading.Thread(target=close, name="livesync preload discard", daemon=True).start()
