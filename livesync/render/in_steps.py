"""A renderer built a piece at a time, between frames.

Building a song's renderer compiles every shader it draws and uploads its pictures: 30-50 ms
for the demo on llvmpipe, two or three refreshes if it happens in one frame. A set list
builds the next song's renderer in the interlude, one piece (a shader, the character) per
frame, so each frame carries only a few milliseconds of it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from livesync.render.renderer import Renderer


class RendererInSteps:
    """Advance with step() until done; `renderer` is the finished one. cancel() releases
    what was built so far; a piece that fails (a shader that does not compile) raises from
    step(), with what was built released, as the whole build would."""

    def __init__(self, renderer: Renderer, steps: Generator[None, None, None]) -> None:
        self._renderer = renderer
        self._steps: Generator[None, None, None] | None = steps
        self.renderer: Renderer | None = None
        self.pieces = 0  # built so far, for logs and tests

    @property
    def done(self) -> bool:
        return self.renderer is not None

    def step(self) -> bool:
        """Build the next piece; True once the renderer is finished."""
        if self._steps is None:
            return self.done
        try:
            next(self._steps)
            self.pieces += 1
        except StopIteration:
            self._steps = None
            self.renderer = self._renderer
        except BaseException:
            self._steps = None  # the build released its pieces on the way out
            raise
        return self.done

    def cancel(self) -> None:
        """Not wanted after all: release what was built (this is the GL thread)."""
        if self._steps is not None:
            self._steps.close()
            self._steps = None
        elif self.renderer is not None:
            self.renderer.release()
            self.renderer = None
