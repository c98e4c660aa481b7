"""The live loop: read the clock, build the frame's state, draw it, show it. Nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TextIO

from livesync.clock import Clock
from livesync.control import EventQueue
from livesync.control import SelectScene as PickScene
from livesync.frame_state import Performance
from livesync.hud import Hud, hud_lines
from livesync.live import LiveControl
from livesync.reload import LiveShow, Reloader
from livesync.transport import Action, FrameTimer, SelectScene, apply_transport
from livesync.window import Window

log = logging.getLogger("livesync")
SCENE_KEY_FADE = 0.5  # seconds: a number key crossfades rather than cuts


def run(window: Window, live: LiveShow, clock: Clock, wall: Callable[[], float],
        exit_at_end: bool = False, show_hud: bool = False, reload: bool = True,
        control: LiveControl | None = None, frame_log: TextIO | None = None,
        timer: FrameTimer | None = None) -> int:
    """Play until Esc (or the song's end with exit_at_end); returns frames drawn.

    `wall` is a monotonic time source used only for the fps readout and for pacing the
    hot-reload checks, never for the picture.
    """
    hud = Hud(window.ctx)
    hud.visible = show_hud
    reloader = Reloader(live) if reload else None
    timer = timer or FrameTimer(window.max_fps)
    frame, previous = 0, clock.now()
    queue = control.queue if control is not None else None
    while handle_input(window, hud, clock, live.performance, queue):
        if reloader is not None:
            reloader.poll(wall())
        if control is not None:
            control.update(clock)
        t = clock.now()
        if t >= live.performance.duration and clock.playing:
            if exit_at_end:
                break
            clock.pause()  # hold the last frame; Home restarts, arrows seek back
        state = live.performance.state_at(t, t - previous, frame)
        window.ctx.screen.use()
        live.renderer.render(state, window.size)
        if hud.visible:
            lines = hud_lines(state, timer, clock.playing, live.performance.scenes,
                              float(getattr(clock, "offset", 0.0)))
            if reloader is not None and reloader.error:
                lines.append(f"! {reloader.error}")
            hud.update(lines, wall())
            hud.draw(window.size)
        window.flip()
        if frame_log is not None:  # for tests and post-mortems: what each frame showed, when
            scene = live.performance.scenes[state.scene.current]
            frame_log.write(f"{frame} {t:.4f} {scene} {wall():.6f}\n")
        if frame == 0:
            log.info("first frame shown (song time %.3f s)", t)
        timer.tick(wall())
        frame, previous = frame + 1, t
    return frame


def handle_input(window: Window, hud: Hud, clock: Clock, performance: Performance,
                 queue: EventQueue | None = None) -> bool:
    """Apply the performer's keys; False when they asked to quit."""
    for action in window.actions():
        if action is Action.QUIT:
            return False
        if isinstance(action, SelectScene):
            if action.index >= len(performance.scenes):
                continue
            if queue is not None:  # through the control state, like OSC and MIDI
                queue.put(PickScene(action.index, f"key {action.index + 1}"))
            else:
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
