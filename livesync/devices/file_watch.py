"""Noticing edited files during a show (hot reload), with the file-system query injected.

Polling modification times every half second is plenty for a performer saving a shader and
needs no platform-specific watcher; injecting `stat` keeps the logic testable without files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

Stat = Callable[[Path], float | None]


def mtime(path: Path) -> float | None:
    """Modification time, or None while the file is missing (editors save by replacing)."""
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


class FileWatcher:
    """Reports which of a set of files changed since the last poll."""

    def __init__(self, paths: Iterable[Path], stat: Stat = mtime) -> None:
        self._stat = stat
        self._seen: dict[Path, float | None] = {}
        self.watch(paths)

    def watch(self, paths: Iterable[Path]) -> None:
        """Replace the watched set (a reloaded show may name other shaders)."""
        self._seen = {p: self._seen.get(p, self._stat(p)) for p in paths}

    def poll(self) -> list[Path]:
        changed = []
        for path, before in self._seen.items():
            now = self._stat(path)
            if now != before:
                self._seen[path] = now
                if now is not None:  # a file that vanished is reported when it is back
                    changed.append(path)
        return changed
