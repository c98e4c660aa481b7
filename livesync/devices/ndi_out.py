"""Edge: NDI out, so other video software (OBS, Resolume, vMix, TouchDesigner) takes the
show's picture as a live source over the network.

cyndilib (the `ndi` extra) wraps NewTek's NDI library and its wheels carry the runtime, so
nothing else is installed. It is imported only when an NDI output is opened: without the
extra, livesync runs as before and `--ndi` says what to install.

NDI needs the picture in CPU memory, so it is read back from the GPU (livesync.devices.
video_out.Readback: without stalling, a frame late) and handed to NDI's asynchronous send,
which copies it into its own buffer and compresses it on NDI's threads. The sender does not
clock itself (a clocked NDI send sleeps to keep the rate, which would hold up the frame loop);
the frames are picked at the show's rate by `Pacer` instead.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from typing import Any

from livesync.devices.video_out import Pacer, Picture, Readback
from livesync.errors import DeviceError, one_line

log = logging.getLogger("livesync")

INSTALL = "pip install 'livesync[ndi]'"


def _cyndilib() -> Any:
    try:
        import cyndilib
    except ImportError as exc:
        raise DeviceError(
            f"NDI output needs the cyndilib package ({one_line(exc)}): {INSTALL}"
        ) from None
    except OSError as exc:  # the bundled NDI runtime did not load on this system
        raise DeviceError(f"the NDI runtime could not be loaded ({one_line(exc)})") from None
    return cyndilib


class NdiOutput:
    """Sends the show's picture as an NDI source called `name` (receivers list it as
    "HOST (name)"), at the show's frame rate and size, RGBX (opaque)."""

    def __init__(self, name: str, ctx: Any, size: tuple[int, int], fps: int) -> None:
        ndi = _cyndilib()
        self.name = name
        self.size = size
        self._pacer = Pacer(fps)
        frame = ndi.VideoSendFrame()
        frame.set_resolution(*size)
        frame.set_frame_rate(Fraction(fps, 1))
        frame.set_fourcc(ndi.FourCC.RGBX)
        self._sender = ndi.Sender(name, clock_video=False)
        try:
            self._sender.set_video_frame(frame)
            self._sender.open()
        except Exception as exc:
            raise DeviceError(f"cannot start the NDI source {name!r} ({one_line(exc)})") from None
        self._readback = Readback(ctx, size)
        source = self._sender.source
        self.source = str(source.name) if source is not None else name
        log.info("NDI out: %s, %dx%d at %d fps", self.source, size[0], size[1], fps)

    def send(self, picture: Picture, now: float) -> None:
        """Send the picture read back last frame, and start reading this one if it is due."""
        if self._readback.pending:
            self._sender.write_video_async(self._readback.collect())
        if self._pacer.due(now):
            self._readback.capture(picture)

    def close(self) -> None:
        self._sender.close()
        self._readback.release()
