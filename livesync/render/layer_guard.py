"""One layer's failure costs that layer, not the show.

A shader can compile and still fail while drawing (a driver error, a framebuffer the GPU
refuses, a bug of ours in one layer). On stage the picture must go on: the failing layer is
logged once, skipped, and tried again now and then, so a passing glitch heals by itself and
a fixed shader (hot reload) takes its place at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable

log = logging.getLogger("livesync")
RETRY_FRAMES = 120  # about two seconds at 60 fps between attempts at a failing layer


class LayerGuard:
    def __init__(self, retry_frames: int = RETRY_FRAMES) -> None:
        self.retry_frames = retry_frames
        self._frame = 0
        self._broken: dict[Hashable, tuple[str, int]] = {}  # key -> (message, retry frame)

    def next_frame(self) -> None:
        self._frame += 1

    def run(self, key: Hashable, name: str, draw: Callable[[], None]) -> bool:
        """Draw with `draw`; False (and nothing raised) if the layer is failing."""
        broken = self._broken.get(key)
        if broken is not None and self._frame < broken[1]:
            return False
        try:
            draw()
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            if broken is None or broken[0] != message:
                log.error("%s failed while drawing (%s); drawn without it", name, message)
            self._broken[key] = (message, self._frame + self.retry_frames)
            return False
        if broken is not None:
            log.info("%s draws again", name)
            del self._broken[key]
        return True

    def forget(self, key: Hashable) -> None:
        """A replaced layer (hot reload) gets a fresh start."""
        self._broken.pop(key, None)

    @property
    def failing(self) -> list[str]:
        """Messages of the layers skipped now, for the HUD."""
        return [message for message, _ in self._broken.values()]
