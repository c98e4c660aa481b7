"""The live loop: read the clock, build the frame's state, draw it, show it. Nothing else.

A show on stage never ends because of one bad frame: an exception while building or drawing
a frame is logged once (again only if it changes or after it went away), the last good state
is drawn instead where there is one, and the loop goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TextIO

from livesync.app.live import LiveControl, quiet
from livesync.app.reload import LiveShow, Reloader
from livesync.control.events import SelectScene
from livesync.control.keys import Action, apply_transport
from livesync.frame.pacing import FrameTimer
from livesync.frame.state import FrameState
from livesync.render.hud import Hud, hud_lines
from livesync.render.window import Window
from livesync.sync.clock import Clock

log = logging.getLogger("livesync")


class OnceLog:
    """Logs a recurring failure once, not once per frame, and says when it has cleared."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.standing: str | None = None

    def failed(self, exc: Exception) -> None:
        message = f"{type(exc).__name__}: {exc}"
        if message != self.standing:
            log.error(
                "%s failed (%s); the show goes on",
                self.what,
                message,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            self.standing = message

    def ok(self) -> None:
        if self.standing is not None:
            log.info("%s works again", self.what)
            self.standing = None


def run(
    window: Window,
    live: LiveShow,
    clock: Clock,
    wall: Callable[[], float],
    exit_at_end: bool = False,
    show_hud: bool = False,
    reload: bool = True,
    control: LiveControl | None = None,
    frame_log: TextIO | None = None,
    timer: FrameTimer | None = None,
) -> int:
    """Play until Esc (or the song's end with exit_at_end); returns frames drawn.

    `wall` is a monotonic time source used only for the fps readout and for pacing the
    hot-reload checks, never for the picture.
    """
    hud = Hud(window.ctx)
    hud.visible = show_hud
    control = control or quiet(live.show, live.renderer.params, wall)
    reloader = Reloader(live, control=control) if reload else None
    timer = timer or FrameTimer(window.max_fps)
    drawing = OnceLog("drawing a frame")
    frame, previous = 0, clock.now()
    last_good: FrameState | None = None
    while handle_input(window, hud, clock, live, control):
        if reloader is not None:
            reloader.poll(wall())
        control.update(clock)
        t = clock.now()
        if t >= live.performance.duration and clock.playing:
            if exit_at_end:
                break
            clock.pause()  # hold the last frame; Home restarts, arrows seek back
        try:
            state = live.performance.state_at(t, t - previous, frame, control.view())
            draw(window, live, state, hud, timer, clock, reloader, wall)
            last_good = state
            drawing.ok()
        except Exception as exc:
            drawing.failed(exc)
            redraw(window, live, last_good)
        window.flip()
        if frame_log is not None:  # for tests and post-mortems: what each frame showed, when
            shown = last_good.scene.current if last_good is not None else 0
            scene = live.performance.scenes[min(shown, len(live.performance.scenes) - 1)]
            frame_log.write(f"{frame} {t:.4f} {scene} {wall():.6f}\n")
        if frame == 0:
            log.info("first frame shown (song time %.3f s)", t)
        timer.tick(wall())
        frame, previous = frame + 1, t
    return frame


def draw(
    window: Window,
    live: LiveShow,
    state: FrameState,
    hud: Hud,
    timer: FrameTimer,
    clock: Clock,
    reloader: Reloader | None,
    wall: Callable[[], float],
) -> None:
    window.ctx.screen.use()
    live.renderer.render(state, window.size)
    if hud.visible:
        lines = hud_lines(
            state,
            timer,
            clock.playing,
            live.performance.scenes,
            float(getattr(clock, "offset", 0.0)),
        )
        if reloader is not None and reloader.error:
            lines.append(f"! {reloader.error}")
        lines.extend(f"! {failing}" for failing in live.renderer.guard.failing)
        hud.update(lines, wall())
        hud.draw(window.size)


def redraw(window: Window, live: LiveShow, state: FrameState | None) -> None:
    """After a failed frame: the last good state again, else black."""
    window.ctx.screen.use()
    try:
        if state is None:
            raise LookupError("no frame drawn yet")
        live.renderer.render(state, window.size)
    except Exception:
        window.ctx.screen.clear(0.0, 0.0, 0.0, 1.0)


def handle_input(
    window: Window, hud: Hud, clock: Clock, live: LiveShow, control: LiveControl
) -> bool:
    """Apply the performer's keys; False when they asked to quit. A number key is a scene
    pick through the control path, like OSC and MIDI."""
    for action in window.actions():
        if action is Action.QUIT:
            return False
        if isinstance(action, SelectScene):
            control.queue.put(action)
        elif action is Action.TOGGLE_FULLSCREEN:
            window.toggle_fullscreen()
        elif action is Action.TOGGLE_HUD:
            hud.visible = not hud.visible
        else:
            apply_transport(action, clock, live.performance.duration)
    return True
