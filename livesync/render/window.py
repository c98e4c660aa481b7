"""Edge: the pygame window with an OpenGL 3.3 core context, vsync, fullscreen and keys.

Keys become `Action`s here and nothing else about pygame leaves this module.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import moderngl
import pygame

from livesync.control.keys import KEYMAP, Action, Command
from livesync.errors import DeviceError
from livesync.frame.flip import Flip, FlipPlan
from livesync.quiet import c_library_output

NO_DISPLAY = (
    "no display available ({}); on a machine without a screen render instead: "
    "livesync demo --render demo.mp4"
)


class Window:
    def __init__(
        self,
        size: tuple[int, int],
        fullscreen: bool = False,
        display: int = 0,
        title: str = "livesync",
    ) -> None:
        self._pg = pygame
        try:
            with c_library_output("display (SDL)"):
                pygame.display.init()
        except pygame.error as exc:
            raise DeviceError(NO_DISPLAY.format(exc)) from None
        driver = pygame.display.get_driver()
        if driver in ("offscreen", "dummy") and os.environ.get("SDL_VIDEODRIVER") != driver:
            # SDL falls back to an invisible window when there is no screen: say so instead.
            pygame.display.quit()
            raise DeviceError(NO_DISPLAY.format("no screen or X/Wayland session found"))
        count = pygame.display.get_num_displays()
        if not 0 <= display < count:
            raise DeviceError(
                f"display {display} does not exist (this machine has {count}: "
                f"0..{count - 1}; `livesync devices` lists them)"
            )
        pygame.display.gl_set_attribute(pygame.GL_CONTEXT_MAJOR_VERSION, 3)
        pygame.display.gl_set_attribute(pygame.GL_CONTEXT_MINOR_VERSION, 3)
        pygame.display.gl_set_attribute(
            pygame.GL_CONTEXT_PROFILE_MASK, pygame.GL_CONTEXT_PROFILE_CORE
        )
        pygame.display.set_caption(title)
        flags = pygame.OPENGL | pygame.DOUBLEBUF
        if fullscreen:
            flags |= pygame.FULLSCREEN
            size = pygame.display.get_desktop_sizes()[display]
        self.vsync = driver not in ("offscreen", "dummy")
        try:
            pygame.display.set_mode(size, flags, display=display, vsync=1)
        except pygame.error:
            self.vsync = False
            try:  # some drivers refuse vsync; a tearing picture beats no picture
                pygame.display.set_mode(size, flags, display=display)
            except pygame.error as exc:
                raise DeviceError(
                    NO_DISPLAY.format(f"cannot open an OpenGL 3.3 window: {exc}")
                ) from None
        self.ctx: Any = moderngl.create_context(require=330)
        self.fullscreen = fullscreen
        self.max_fps = _refresh_rate(pygame, display)
        self.quit_requested = False  # Esc, Q or the window closed: a set list stops too

    @property
    def size(self) -> tuple[int, int]:
        w, h = self._pg.display.get_window_size()
        return int(w), int(h)

    def actions(self) -> list[Command]:
        """Drain the window's events into actions."""
        pg = self._pg
        out: list[Command] = []
        for event in pg.event.get():
            if event.type == pg.QUIT:
                out.append(Action.QUIT)
            elif event.type == pg.KEYDOWN:
                action = KEYMAP.get(pg.key.name(event.key))
                if action is not None:
                    out.append(action)
        return out

    def toggle_fullscreen(self) -> None:
        try:
            self._pg.display.toggle_fullscreen()
            self.fullscreen = not self.fullscreen
        except self._pg.error:
            pass  # the video driver cannot switch live; keep playing as we are

    def flip(self, wall: Callable[[], float], plan: FlipPlan) -> Flip:
        """Show the frame when its plan says (never before it is drawn), and say when, on
        the caller's monotonic `wall` (the flip plan learns from what this returns).

        The GPU finishes the frame first (`ready`: what drawing cost), the window waits for
        the plan's slot, then the buffers swap and the GPU is waited for again. One frame in
        flight keeps control latency to a frame and stops a driver without vsync from
        queueing frames without bound."""
        self.ctx.finish()
        ready = wall()
        slot = plan.swap_at(ready)
        if slot > ready:
            time.sleep(slot - ready)
        self._pg.display.flip()
        self.ctx.finish()
        return Flip(ready, slot, wall())

    def close(self) -> None:
        self._pg.display.quit()


def _refresh_rate(pygame: Any, display: int) -> int:
    try:
        rates = pygame.display.get_desktop_refresh_rates()
        rate = int(rates[display])
    except (AttributeError, IndexError, pygame.error):
        rate = 0
    return rate if 24 <= rate <= 500 else 60
