"""Loading a set list's next song while the current part plays.

Everything but the GL objects is loaded on a thread of its own (show file, timeline, audio,
analysis, the sound output opened paused); the renderer, which needs the window's thread, is
built by `Preload.build` from the frame loop's tick, in the interlude, so the switch itself
costs an ordinary frame.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from livesync.app.live import open_player
from livesync.app.prepare import prepare
from livesync.devices.audio_out import AudioPlayer
from livesync.errors import DeviceError, InputError
from livesync.frame.performance import Performance
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

    def build(self, ctx: object) -> None:
        """The song's renderer, on the window's thread (GL), once loaded: compiling its
        shaders then, in the interlude, keeps the switch itself to one ordinary frame. A
        shader that does not compile makes the song unplayable, as a broken file does."""
        result = self.result
        if result is None or result.renderer is not None:
            return
        show = result.show
        try:
            result.renderer = Renderer(
                ctx, show.scenes, show.character, transitions=show.transitions
            )
        except (InputError, DeviceError) as exc:
            self.failed = str(exc)
            self.result = None
            if result.player is not None:
                result.player.close()

    def discard(self) -> None:
        """Not played after all: free its renderer now (this is the window's thread) and
        close its sound output once it is loaded."""
        if self.done and self.result is not None and self.result.renderer is not None:
            self.result.renderer.release()
            self.result.renderer = None

        def close() -> None:
            self._done.wait()
            if self.result is not None and self.result.player is not None:
                self.result.player.close()

        threading.Thread(target=close, name="livesync preload discard", daemon=True).start()
