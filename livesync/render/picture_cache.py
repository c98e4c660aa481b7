"""Decoded pictures kept for a while, so a show built again does not decode them again on
the frame loop's thread.

Building a renderer decodes and premultiplies the character's pictures and drawn mouths:
for the demo about 0.1 s of the 0.15 s a renderer takes, all of it CPU work that needs no GL.
A set list's next song has them decoded on its loading thread (`warm`), so building its
renderer in the interlude only uploads them; a show reloaded with the same pictures finds
them here too. An entry is used only while its files are unchanged on disk (size and
modification time, livesync.render.reuse), and a few entries are kept (a set's next song and
the one playing).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

from livesync.render.images import Image, load_rgba, premultiplied
from livesync.render.reuse import Stamp, stamp
from livesync.render.sprite_mouth import Drawings, load_drawings
from livesync.show.mouth_sheet import MouthSheet
from livesync.show.show_file import Character

V = TypeVar("V")


class StampedCache(Generic[V]):
    """The last `most` values made, each kept while the files it was made from are
    unchanged. Thread-safe: the loading thread fills it, the window's thread reads it."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._entries: OrderedDict[Hashable, tuple[Stamp, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, files: tuple[Path, ...], make: Callable[[], V]) -> V:
        now = stamp(files)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == now and None not in now:
                self._entries.move_to_end(key)
                return hit[1]
        value = make()  # outside the lock: decoding may take a while
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.most:
                self._entries.popitem(last=False)
        return value


_PICTURES: StampedCache[Image] = StampedCache(8)
_DRAWINGS: StampedCache[Drawings] = StampedCache(4)


def premultiplied_picture(path: Path) -> Image:
    """The picture at `path`, premultiplied (livesync.render.images)."""
    return _PICTURES.get(path, (path,), lambda: premultiplied(load_rgba(path)))


def drawings_of(sheet: MouthSheet) -> Drawings:
    """A mouth sheet's drawings, premultiplied (livesync.render.sprite_mouth)."""
    files = (sheet.source, *(d for d in sheet.drawings if isinstance(d, Path)))
    return _DRAWINGS.get(sheet, files, lambda: load_drawings(sheet))


def warm(character: Character) -> None:
    """Decode the character's pictures now (a set list's loading thread), so building its
    renderer later finds them decoded. Errors are left for the build to report."""
    try:
        if character.image is not None:
            premultiplied_picture(character.image)
        if character.eyes is not None and character.eyes.closed is not None:
            premultiplied_picture(character.eyes.closed)
        if character.mouth_sheet is not None:
            drawings_of(character.mouth_sheet)
    except Exception:  # the build reports it, with its own message
        return
