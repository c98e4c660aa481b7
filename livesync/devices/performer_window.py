"""Edge: the performer's screen, a second window showing the show small with the HUD, while
the main window (the projector's) shows the clean picture.

The picture is drawn once: the frame loop offers it to this output like any other
(livesync.devices.video_out), it is scaled on the GPU and read back a frame late without
stalling, and a process of its own shows it with the HUD's lines under it. A process, not a
second window here: SDL and pygame drive one window per process, and a performer's screen that
stutters must never be able to hold the projector's up (the two share nothing but a block of
shared memory and a pipe of text). If the performer's window cannot open, the show goes on
without it, with one warning.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from multiprocessing import shared_memory
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from livesync.devices.spawn import no_main_module
from livesync.devices.video_out import Pacer, Picture, Readback
from livesync.errors import DeviceError

log = logging.getLogger("livesync")
PERFORMER_FPS = 30  # plenty for a monitor on the floor; half the readback of 60
HUD_HEIGHT = 160  # pixels under the picture for six of the HUD's lines
_START_SECONDS = 20.0


class PerformerWindow:
    """A second window with the picture at `size` and the HUD's lines under it."""

    name = "performer window"

    def __init__(
        self, ctx: Any, size: tuple[int, int], display: int = 0, fullscreen: bool = False
    ) -> None:
        self.size = size
        # The picture, then a frame counter the window's process watches: a frame never
        # waits on a pipe the other process may be too busy to empty.
        self._frame_bytes = size[0] * size[1] * 4
        self._memory = shared_memory.SharedMemory(create=True, size=self._frame_bytes + 8)
        self._counter = np.ndarray((1,), np.uint64, self._memory.buf, self._frame_bytes)
        self._sending = threading.Lock()  # the pipe: the HUD's thread and `shown`
        self._hud_wanted = threading.Event()
        self._closing = False
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, self._memory.name, size, display, fullscreen),
            name="livesync-performer-window",
            daemon=True,
        )
        with no_main_module():
            self._process.start()
        child.close()
        try:
            if not self._conn.poll(_START_SECONDS):
                raise DeviceError("the performer's window did not open in time")
            kind, value = self._conn.recv()
            if kind != "ready":
                raise DeviceError(f"cannot open the performer's window ({value})")
        except (DeviceError, EOFError, OSError) as exc:
            self.close()
            raise DeviceError(str(exc)) from None
        self._pacer = Pacer(PERFORMER_FPS)
        self._readback = Readback(ctx, size)
        self._lines: list[str] = []
        self._hud = threading.Thread(target=self._send_hud, name="livesync performer HUD")
        self._hud.daemon = True
        self._hud.start()
        log.info("performer window: %dx%d on display %d", size[0], size[1], display)

    def status(self, lines: list[str]) -> None:
        """The HUD's lines, shown under the picture: the newest only, sent by a thread of
        this output's, so a window process that falls behind never holds a frame up."""
        if lines != self._lines:
            self._lines = list(lines)
            self._hud_wanted.set()

    def _send_hud(self) -> None:
        while self._hud_wanted.wait() and not self._closing:
            self._hud_wanted.clear()
            try:
                with self._sending:
                    self._conn.send(("hud", self._lines))
            except (OSError, ValueError):  # the window's process is gone
                return

    def send(self, picture: Picture, now: float) -> None:
        if self._readback.pending:
            pixels = self._readback.collect()
            target = np.ndarray((len(pixels),), np.uint8, self._memory.buf)
            target[:] = pixels
            self._counter[0] += 1
        if self._pacer.due(now):
            self._readback.capture(picture)

    def shown(self) -> tuple[int, Any]:
        """(frames shown, the window's picture as (height, width, 3) pixels): what the
        performer sees, for tests and for a snapshot of the performer's screen."""
        with self._sending:
            self._conn.send(("look", None))
            while True:
                kind, value = self._conn.recv()
                if kind == "look":
                    return value  # type: ignore[no-any-return]

    def close(self) -> None:
        self._closing = True
        self._hud_wanted.set()
        try:
            with self._sending:
                self._conn.send(("quit", None))
        except (OSError, ValueError):
            pass
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        if hasattr(self, "_readback"):
            self._readback.release()
        self._conn.close()
        self._memory.close()
        self._memory.unlink()


def _serve(
    conn: Connection, memory: str, size: tuple[int, int], display: int, fullscreen: bool
) -> None:
    """The performer window's process: show each new frame (the counter after the picture
    moved on), the HUD's newest lines under it; answer `look`; end on `quit` or when the
    player is gone."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    shared = shared_memory.SharedMemory(name=memory)
    try:
        pygame.display.init()
        pygame.font.init()
        flags = pygame.FULLSCREEN if fullscreen else 0
        screen = pygame.display.set_mode((size[0], size[1] + HUD_HEIGHT), flags, display=display)
        pygame.display.set_caption("livesync: performer")
    except Exception as exc:  # no display, no such display
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", None))
    font = pygame.font.Font(None, 24)
    lines: list[str] = []
    shown = 0
    pixels = np.ndarray((size[1], size[0], 4), np.uint8, shared.buf)
    counter = np.ndarray((1,), np.uint64, shared.buf, size[0] * size[1] * 4)
    drawn = int(counter[0])
    try:
        while True:
            pygame.event.pump()
            message: tuple[str, Any] = conn.recv() if conn.poll(0.005) else ("", None)
            kind, value = message
            if kind == "quit":
                break
            if kind == "hud":
                lines = list(value)
            elif kind == "look":
                picture = pygame.surfarray.array3d(screen).swapaxes(0, 1).copy()
                conn.send(("look", (shown, picture)))
            if int(counter[0]) != drawn:
                drawn = int(counter[0])
                frame = pygame.image.frombuffer(
                    np.ascontiguousarray(pixels[:, :, :3]).tobytes(), size, "RGB"
                )
                screen.fill((0, 0, 0))
                screen.blit(frame, (0, 0))
                for n, line in enumerate(lines[:6]):
                    text = font.render(line, True, (230, 230, 230))
                    screen.blit(text, (8, size[1] + 6 + 25 * n))
                pygame.display.flip()
                shown += 1
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the player is gone
    finally:
        del pixels, counter
        shared.close()
        pygame.display.quit()
