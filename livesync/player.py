"""The live loop: read the clock, build the frame's state, draw it, show it. Nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable

from livesync.clock import Clock
from livesync.frame_state import Performance
from livesync.gl_renderer import Renderer
from livesync.hud import Hud, hud_lines
from livesync.transport import Action, FrameTimer, SelectScene, apply_transport
from livesync.window import Window

log = logging.getLogger("livesync")
SCENE_KEY_FADE = 0.5  # seconds: a number key crossfades rather than cuts


def run(window: Window, renderer: Renderer, performance: Performance, clock: Clock,
        wall: Callable[[], float], exit_at_end: bool = False, show_hud: bool = False) -> int:
    """Play until Esc (or the song's end with exit_at_end); returns frames drawn.

    `wall` is a monotonic time source used only for the fps readout, never for the picture.
    """
    hud = Hud(window.ctx)
    hud.visible = show_hud
    timer = FrameTimer()
    frame, previous = 0, clock.now()
    while handle_input(window, hud, clock, performance):
        t = clock.now()
        if t >= performance.duration and clock.playing:
            if exit_at_end:
                break
            clock.pause()  # hold the last frame; Home restarts, arrows seek back
        state = performance.state_at(t, t - previous, frame)
        window.ctx.screen.use()
        renderer.render(state, window.size)
        if hud.visible:
            hud.update(hud_lines(state, timer.fps, clock.playing, performance.scenes), wall())
            hud.draw(window.size)
        window.flip()
        if frame == 0:
            log.info("first frame shown (song time %.3f s)", t)
        timer.tick(wall())
        frame, previous = frame + 1, t
    return frame


def handle_input(window: Window, hud: Hud, clock: Clock, performance: Performance) -> bool:
    """Apply the performer's keys; False when they asked to quit."""
    for action in window.actions():
        if action is Action.QUIT:
            return False
        if isinstance(action, SelectScene):
            if action.index < len(performance.scenes):
                performance.select_scene(action.index, clock.now(), SCENE_KEY_FADE)
                log.info("scene -> %s (key %d)", performance.scenes[action.index],
                         action.index + 1)
        elif action is Action.TOGGLE_FULLSCREEN:
            window.toggle_fullscreen()
        elif action is Action.TOGGLE_HUD:
            hud.visible = not hud.visible
        else:
            apply_transport(action, clock, performance.duration)
    return True
