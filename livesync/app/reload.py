"""Hot reload: a saved shader or show file takes effect during the show; a broken one does not.

A performer tweaks a shader between songs (or during one). A shader that fails to compile
leaves the last good one on screen and puts the compiler's file:line message in the HUD and
the log. A saved show file is built completely first (show, renderer, song); only then is it
swapped in between frames, with the live state reconciled. Whatever goes wrong while
building, of any kind, leaves the running show as it was and frees what the build made.
Parts whose settings and files did not change are carried over, not rebuilt
(livesync.render.reuse), so saving the show file to move a cue does not stall the picture.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from livesync.app.live import LiveControl
from livesync.devices.file_watch import FileWatcher
from livesync.errors import InputError
from livesync.frame.performance import Performance
from livesync.render.channels import channel_files
from livesync.render.layers import isf_vertex_path
from livesync.render.renderer import Renderer
from livesync.show.scenes import CueSheet, background_files
from livesync.show.show_file import Show, load_show

log = logging.getLogger("livesync")
POLL_SECONDS = 0.5


@dataclass
class LiveShow:
    """What the frame loop draws with; the reloader swaps all three together."""

    show: Show
    renderer: Renderer
    performance: Performance


class Reloader:
    def __init__(
        self, live: LiveShow, watcher: FileWatcher | None = None, control: LiveControl | None = None
    ) -> None:
        self.live = live
        self.control = control
        self._vertex_of: dict[Path, Path] = {}  # a vertex shader -> its ISF file
        self._pictures: set[Path] = set()  # channel pictures: saving one reloads the show
        paths = self._paths()
        self.watcher = watcher or FileWatcher(paths)
        self.errors: dict[Path, str] = {}
        self._last_poll = -1e9

    def _paths(self) -> list[Path]:
        """The show file, its shaders, the vertex stage of any ISF file that has one
        (NAME.vs: saving it reloads NAME.fs) and the scenes' channel pictures (saving one
        reloads the show, which rebuilds only that picture's texture)."""
        show = self.live.show
        # A multipass background's buffer and Common files too: saving one recompiles it.
        shaders = {p for s in show.scenes for p in (*background_files(s), *s.effects)}
        shaders.update(show.transitions)
        self._vertex_of = {v: p for p in shaders if (v := isf_vertex_path(p)) is not None}
        self._pictures = set(channel_files(show.scenes)) - shaders
        return [
            *sorted(shaders),
            *sorted(self._vertex_of),
            *sorted(self._pictures),
            *([show.path] if show.path else []),
        ]

    def poll(self, now: float) -> None:
        """Check for saved files at most every POLL_SECONDS of `now` (a wall time)."""
        if now - self._last_poll < POLL_SECONDS:
            return
        self._last_poll = now
        for path in self.watcher.poll():
            show = self.live.show.path
            if path == show or (path in self._pictures and show is not None):
                self._reload_show(show)
            else:
                self._reload_shader(self._vertex_of.get(path, path))

    @property
    def error(self) -> str | None:
        """The newest problem still standing, for the HUD."""
        return next(reversed(self.errors.values()), None)

    def _reload_shader(self, path: Path) -> None:
        try:
            self.live.renderer.reload(path)
        except Exception as exc:  # InputError from the compiler, or any GL failure
            self._fail(path, f"{_describe(exc)} (keeping the last good version)")
            return
        self.errors.pop(path, None)
        log.info("reloaded %s", path)

    def _reload_show(self, path: Path) -> None:
        old = self.live.show
        renderer: Renderer | None = None
        try:
            show = load_show(path)
            renderer = Renderer(
                self.live.renderer.ctx,
                show.scenes,
                show.character,
                reuse=self.live.renderer,
                transitions=show.transitions,
            )
            performance = replace_song(self.live.performance, show)
        except Exception as exc:  # any failure to build: the running show stays
            if renderer is not None:
                renderer.release()
            self._fail(path, f"{_describe(exc)} (the show goes on as it was)")
            return
        if (show.audio, show.timeline) != (old.audio, old.timeline):
            log.warning("%s: the track changed; restart to play the new one", path)
        elif (show.vocals, show.life.style) != (old.vocals, old.life.style):
            log.warning("%s: the mouth style or vocal stem changed; restart to apply it", path)
        if self.control is not None:
            self.control.adopt(show, renderer.params)
        renderer.take_over(self.live.renderer)
        self.live.show, self.live.renderer, self.live.performance = show, renderer, performance
        self.watcher.watch(self._paths())
        self.errors.clear()
        log.info("reloaded show %s", path)

    def _fail(self, path: Path, message: str) -> None:
        if self.errors.get(path) != message:
            log.error("%s", message)
        self.errors[path] = message


def replace_song(performance: Performance, show: Show) -> Performance:
    """The same prepared track with a reloaded show's scenes, cues and tempo."""
    return performance.with_show(
        CueSheet(show.cues), tuple(s.name for s in show.scenes), show.tempo, show.life.idle
    )


def _describe(exc: Exception) -> str:
    return str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
