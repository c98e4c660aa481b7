"""Hot reload: a saved shader or show file takes effect during the show; a broken one does not.

A performer tweaks a shader between songs (or during one). A shader that fails to compile
leaves the last good one on screen and puts the compiler's file:line message in the HUD and
the log; a show file with an error leaves the running show as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from livesync.errors import InputError
from livesync.frame_state import Performance
from livesync.gl_renderer import Renderer
from livesync.scenes import CueSheet
from livesync.show import Show, load_show
from livesync.watch import FileWatcher

log = logging.getLogger("livesync")
POLL_SECONDS = 0.5


@dataclass
class LiveShow:
    """What the player draws with; the reloader swaps its parts when edits compile."""

    show: Show
    renderer: Renderer
    performance: Performance


class Reloader:
    def __init__(self, live: LiveShow, watcher: FileWatcher | None = None) -> None:
        self.live = live
        self.watcher = watcher or FileWatcher(self._paths())
        self.errors: dict[Path, str] = {}
        self._last_poll = -1e9

    def _paths(self) -> list[Path]:
        show = self.live.show
        shaders = {p for s in show.scenes for p in (s.background, *s.effects)}
        return [*sorted(shaders), *([show.path] if show.path else [])]

    def poll(self, now: float) -> None:
        """Check for saved files at most every POLL_SECONDS of `now` (a wall time)."""
        if now - self._last_poll < POLL_SECONDS:
            return
        self._last_poll = now
        for path in self.watcher.poll():
            if path == self.live.show.path:
                self._reload_show(path)
            else:
                self._reload_shader(path)

    @property
    def error(self) -> str | None:
        """The newest problem still standing, for the HUD."""
        return next(reversed(self.errors.values()), None)

    def _reload_shader(self, path: Path) -> None:
        try:
            self.live.renderer.reload(path)
        except InputError as exc:
            self._fail(path, f"{exc} (keeping the last good version)")
            return
        self.errors.pop(path, None)
        log.info("reloaded %s", path)

    def _reload_show(self, path: Path) -> None:
        old = self.live.show
        try:
            show = load_show(path)
            renderer = Renderer(self.live.renderer.ctx, show.scenes, show.character)
        except InputError as exc:
            self._fail(path, f"{exc} (the show goes on as it was)")
            return
        if (show.audio, show.timeline) != (old.audio, old.timeline):
            log.warning("%s: the track changed; restart to play the new one", path)
        self.live.show = show
        self.live.renderer.release()
        self.live.renderer = renderer
        self.live.performance.cues = CueSheet(show.cues)
        self.live.performance.scenes = tuple(s.name for s in show.scenes)
        self.watcher.watch(self._paths())
        self.errors.clear()
        log.info("reloaded show %s", path)

    def _fail(self, path: Path, message: str) -> None:
        if self.errors.get(path) != message:
            log.error("%s", message)
        self.errors[path] = message

