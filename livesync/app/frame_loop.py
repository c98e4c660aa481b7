"""The live loop: read the clock, build the frame's state for the moment it will be seen,
draw it, show it. Nothing else.

A show on stage never ends because of one bad frame: an exception while building or drawing
a frame is logged once (again only if it changes or after it went away), the last good state
is drawn instead where there is one, and the loop goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TextIO

from livesync.app.live import LiveControl, quiet
from livesync.app.reload import LiveShow, Reloader
from livesync.control.events import PickSong, SelectScene
from livesync.control.keys import Action, apply_transport
from livesync.devices.video_out import Picture, VideoOutput
from livesync.frame.flip import Flip, FlipPredictor
from livesync.frame.pacing import FrameTimer
from livesync.frame.render_scale import AutoScale
from livesync.frame.state import FrameState
from livesync.render.hud import Hud, hud_lines
from livesync.render.window import Window
from livesync.show.render_scale import AUTO, scale_now
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
    loop: bool = False,
    hud: Hud | None = None,
    tick: Callable[[], bool] | None = None,
    first_frame: int = 0,
    outputs: Sequence[VideoOutput] = (),
) -> int:
    """Play until Esc (or the song's end with exit_at_end); returns frames drawn. At the end
    the last frame holds, or with `loop` the song plays again from the start.

    `wall` is the monotonic time source of the window's flips (to draw each frame for the
    moment it is seen), the fps readout and the hot-reload checks; the song's time is the
    clock's. A set list plays each song and interlude through here in one window
    (livesync.app.set_player): it passes its HUD, numbers the frames on from `first_frame`,
    and `tick`, called between frames, ends this part of the set when it returns True.
    Each of `outputs` (NDI) is offered every finished picture, just before it is shown.
    """
    if hud is None:
        hud = Hud(window.ctx)
        hud.visible = show_hud
    control = control or quiet(live.show, live.renderer.params, wall)
    if loop and control.follow is not None:
        log.warning("--loop is ignored while following the DAW: the DAW decides where it plays")
        loop = False
    reloader = Reloader(live, control=control) if reload else None
    timer = timer or FrameTimer(window.max_fps)
    flips = FlipPredictor(1.0 / window.max_fps, window.vsync)
    scaler = AutoScale(1.0 / window.max_fps)
    drawing = OnceLog("drawing a frame")
    frame, previous = first_frame, clock.now()
    last_good: FrameState | None = None
    sending = [OnceLog(f"sending to {output.name}") for output in outputs]
    while handle_input(window, hud, clock, live, control):
        if reloader is not None:
            reloader.poll(wall())
        control.update(clock)
        if tick is not None and tick():  # after the update: it sees this frame's events
            break
        if not at_end(clock, live.performance.duration, exit_at_end, loop):
            break
        start = wall()
        plan = flips.plan(start)
        t = clock.now() + (plan.lead(start) if clock.playing else 0.0)  # paused: exact
        try:
            state = live.performance.state_at(t, t - previous, frame, control.view())
            draw(window, live, state, hud, timer, clock, reloader, wall, scaler.scale, control)
            last_good = state
            drawing.ok()
        except Exception as exc:
            drawing.failed(exc)
            redraw(window, live, last_good, scaler.scale)
        send_out(outputs, sending, window, wall())
        flip = window.flip(wall, plan)
        flips.shown(start, flip)
        if frame_log is not None:
            log_frame(frame_log, frame, t, live, last_good, flip, plan.shown, scaler.scale)
        adapt(scaler, live, flip.shown, flip.ready - start)
        if frame == 0:
            log.info("first frame shown (song time %.3f s)", t)
        timer.tick(flip.shown)
        frame, previous = frame + 1, t
    return frame - first_frame


def send_out(
    outputs: Sequence[VideoOutput], failing: Sequence[OnceLog], window: Window, now: float
) -> None:
    """Offer the finished picture to each output. An output that fails (a network error in
    NDI) is logged once and skipped for this frame: the window's show goes on."""
    if not outputs:
        return
    picture = Picture(window.ctx, window.ctx.screen, window.size)
    for output, log_once in zip(outputs, failing, strict=True):
        try:
            output.send(picture, now)
            log_once.ok()
        except Exception as exc:
            log_once.failed(exc)


def at_end(clock: Clock, duration: float, exit_at_end: bool, loop: bool) -> bool:
    """At the song's end: False to quit, else hold the last frame (Home restarts, arrows
    seek back) or, looping, play again from the start. The end is the song time heard now,
    not the frame's, so a loop never cuts the song's last moments."""
    if not clock.playing or clock.now() < duration:
        return True
    if exit_at_end:
        return False
    if loop:
        clock.seek(0.0)
        log.info("the show ended: playing it again from the start")
    else:
        clock.pause()
    return True


def adapt(scaler: AutoScale, live: LiveShow, shown: float, work: float) -> None:
    """Feed the auto render scale one frame's drawing cost, if the show uses it (a show
    without it leaves the scale at full size for a reload that adds it); say when it changes."""
    if not any(s.render_scale == AUTO for s in live.show.scenes):
        return
    before = scaler.scale
    after = scaler.update(shown, work)
    if after != before:
        log.info("render scale -> %.1f (%s)", after, "lower" if after < before else "higher")


def log_frame(
    out: TextIO,
    frame: int,
    t: float,
    live: LiveShow,
    state: FrameState | None,
    flip: Flip,
    predicted: float,
    auto_scale: float,
) -> None:
    """For tests, benchmarks and post-mortems, one line per frame: its number, the song time
    drawn, the scene and the monotonic time it was shown; then the flip time it was drawn
    for, the time its drawing was done and the auto render scale. New columns only ever go
    at the end."""
    shown = state.scene.current if state is not None else 0
    scene = live.performance.scenes[min(shown, len(live.performance.scenes) - 1)]
    out.write(
        f"{frame} {t:.4f} {scene} {flip.shown:.6f} {predicted:.6f} {flip.ready:.6f}"
        f" {auto_scale:.2f}\n"
    )


def draw(
    window: Window,
    live: LiveShow,
    state: FrameState,
    hud: Hud,
    timer: FrameTimer,
    clock: Clock,
    reloader: Reloader | None,
    wall: Callable[[], float],
    auto_scale: float,
    control: LiveControl,
) -> None:
    window.ctx.screen.use()
    live.renderer.render(state, window.size, auto_scale)
    if not hud.visible:
        if hud.elsewhere is not None:
            hud.elsewhere([])  # H hid it: on the performer's screen too
        return
    scenes = live.renderer.scenes
    lines = hud_lines(
        state,
        timer,
        clock.playing,
        live.performance.scenes,
        float(getattr(clock, "offset", 0.0)),
        scale_now(scenes[min(state.scene.current, len(scenes) - 1)].render_scale, auto_scale),
    )
    lines.extend(control.status_lines(1.0 / window.max_fps))
    if reloader is not None and reloader.error:
        lines.append(f"! {reloader.error}")
    lines.extend(f"! {failing}" for failing in live.renderer.guard.failing)
    if hud.elsewhere is not None:
        hud.elsewhere(lines)  # the performer's screen: the projector's stays clean
        return
    hud.update(lines, wall())
    hud.draw(window.size)


def redraw(window: Window, live: LiveShow, state: FrameState | None, auto_scale: float) -> None:
    """After a failed frame: the last good state again, else black."""
    window.ctx.screen.use()
    try:
        if state is None:
            raise LookupError("no frame drawn yet")
        live.renderer.render(state, window.size, auto_scale)
    except Exception:
        window.ctx.screen.clear(0.0, 0.0, 0.0, 1.0)


def handle_input(
    window: Window, hud: Hud, clock: Clock, live: LiveShow, control: LiveControl
) -> bool:
    """Apply the performer's keys; False when they asked to quit. A number key is a scene
    pick through the control path, like OSC and MIDI."""
    for action in window.actions():
        if action is Action.QUIT:
            window.quit_requested = True
            return False
        if isinstance(action, (SelectScene, PickSong)):
            control.queue.put(action)
        elif action is Action.TOGGLE_FULLSCREEN:
            window.toggle_fullscreen()
        elif action is Action.TOGGLE_HUD:
            hud.visible = not hud.visible
        else:
            apply_transport(action, clock, live.performance.duration)
    return True
