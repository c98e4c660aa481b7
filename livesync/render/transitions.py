"""A show's ISF transitions: compiled with the show, drawn between two scenes' pictures.

An ISF transition (the ISF spec's third kind, after generators and filters) has the image
inputs `startImage` and `endImage` and the float `progress`; the official collection has 68
(wipes, dissolves, zooms, page curls...). A cue or a scene names one with `transition =
"FILE.fs"`; the scene change is then drawn through it, the outgoing scene as startImage and
the incoming one as endImage, with progress following the fade. Every transition the show
names is compiled before the show starts (Show.transitions): the first change must not stall
the picture for a compile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.render.layers import IsfLayer, Layer, load_layer

NOT_A_TRANSITION = (
    "is not an ISF transition: it needs the inputs startImage and endImage (image) and "
    "progress (float); a background or an effect goes in `background` or `effects`"
)


def load_transition(ctx: Any, path: Path, now: Callable[[], datetime] = datetime.now) -> Layer:
    """The transition in `path`; InputError if it does not compile or is not a transition."""
    layer = load_layer(ctx, path, now)
    if isinstance(layer, IsfLayer) and layer.shader.kind == "transition":
        return layer
    layer.release()
    raise InputError(path, NOT_A_TRANSITION)


class Transitions:
    """The transitions by file, each compiled once however many cues name it."""

    def __init__(
        self, ctx: Any, paths: Sequence[Path], now: Callable[[], datetime] = datetime.now
    ) -> None:
        self.ctx, self._now = ctx, now
        self._layers: dict[Path, Layer] = {}
        try:
            for path in paths:
                if path not in self._layers:
                    self._layers[path] = load_transition(ctx, path, now)
        except Exception:
            self.release()
            raise

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(self._layers)

    def get(self, path: Path) -> Layer | None:
        return self._layers.get(path)

    def reload(self, path: Path) -> bool:
        """Recompile a saved transition; on an error the old one stays and it propagates."""
        if path not in self._layers:
            return False
        fresh = load_transition(self.ctx, path, self._now)
        self._layers[path].release()
        self._layers[path] = fresh
        return True

    def release(self) -> None:
        for layer in self._layers.values():
            layer.release()
        self._layers.clear()
