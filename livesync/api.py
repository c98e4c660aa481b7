"""The small public API the CLI is built on, for people who script their own videos.

from livesync import load_show, render_video
render_video(load_show(Path("show.toml")), Path("video.mp4"))
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from livesync.app.prepare import prepare, prepare_picture
from livesync.devices.files import open_log, staged, write_bytes
from livesync.errors import InputError
from livesync.frame.performance import Performance
from livesync.render.images import encode_png
from livesync.render.renderer import OffscreenTarget, Renderer, headless_renderer
from livesync.render.video import Progress, frame_count, render_frames, write_video
from livesync.show.scenes import Scene
from livesync.show.set_list import SetList
from livesync.show.show_file import Character, Show

WARM_SECONDS = 2.0  # a snapshot of a feedback shader: this much of its history drawn first


def render_png(show: Show, at: float, out: Path, size: tuple[int, int] | None = None) -> None:
    """Write the frame shown at song time `at` as a PNG, headlessly; the file is replaced only
    by a complete PNG (a full disk leaves the old one). The song is analysed (or its cached
    analysis read), never decoded whole."""
    performance = prepare_picture(show)
    draw_png(
        performance,
        show.scenes,
        show.character,
        at,
        out,
        size or show.output.size,
        show.output.fps,
        show.transitions,
    )


def draw_png(
    performance: Performance,
    scenes: Sequence[Scene],
    character: Character,
    at: float,
    out: Path,
    size: tuple[int, int],
    fps: int = 30,
    transitions: Sequence[Path] = (),
) -> None:
    """A frame of a performance prepared elsewhere, as a PNG: a script's own, or a face
    puppet's that has no song (livesync.app.prepare.prepare_without_audio). Shaders that
    build on their own earlier frames (feedback, multipass buffers) are first drawn for the
    WARM_SECONDS before `at`, so the picture shows what the show would show there."""
    with headless_renderer(scenes, character, transitions) as renderer:
        target = OffscreenTarget(renderer.ctx, size)
        try:
            target.use()
            if renderer.remembers:
                first = max(0, round((at - WARM_SECONDS) * fps))
                for n in range(first, round(at * fps)):
                    renderer.render(performance.state_at(n / fps, 1.0 / fps, n - first), size)
            renderer.render(performance.state_at(at, 1.0 / fps), size)
            rgb = target.read_rgb()
        finally:
            target.release()
    write_bytes(out, encode_png(size[0], size[1], rgb))  # checked to its last byte on disk


def render_video(show: Show, out: Path, progress: Progress | None = None) -> int:
    """Render the whole song to `out` with its audio; returns the number of frames.

    The file appears only when complete: a failed or interrupted render (Ctrl-C, SIGTERM)
    leaves no half video and the old file, if any, as it was. A device or FIFO (`/dev/null`)
    is written into, a symlink through. The song is analysed (or its cached analysis read),
    never decoded whole: ffmpeg reads the audio file itself.
    """
    performance = prepare_picture(show)
    with headless_renderer(show.scenes, show.character, show.transitions) as renderer:
        return _render_video(show, out, renderer, performance, progress)


def _render_video(
    show: Show,
    out: Path,
    renderer: Renderer,
    performance: Performance,
    progress: Progress | None,
) -> int:
    size, fps = show.output.size, show.output.fps
    total = frame_count(performance.duration, fps)
    # a unique temporary file beside `out` (ffmpeg picks the container by its suffix)
    with staged(out, suffix=out.suffix or ".mp4") as partial:
        try:
            write_video(
                partial,
                render_frames(renderer, performance, size, fps, total),
                size,
                fps,
                total,
                show.audio,
                progress,
            )
        except (OSError, RuntimeError) as exc:  # ffmpeg failed: disk full, unwritable folder
            text = str(exc).strip()
            first_line = text.splitlines()[0] if text else type(exc).__name__
            raise InputError(out, f"could not write the video ({first_line})") from None
    return total


def play(
    show: Show,
    silent: bool = False,
    exit_at_end: bool = False,
    hud: bool = False,
    osc_host: str | None = None,
    osc_port: int | None = None,
    frame_log: Path | None = None,
    loop: bool = False,
    live_vocal: bool = False,
    vocal_input: int | str | None = None,
    ndi: str | None = None,
) -> int:
    """Open the window and play the show with sound (or on the wall clock if `silent`),
    listening to OSC and MIDI as the show says; with `loop`, again from the start each time
    it ends; with `live_vocal`, the mouth follows the input `vocal_input` (None: the default
    one) as it is sung; with `ndi`, the picture is also an NDI source of that name, at the
    show's size and frame rate (the `ndi` extra). Returns the number of frames drawn."""
    from livesync.app.frame_loop import run
    from livesync.app.live import Overrides, open_performer_window, open_player, start
    from livesync.app.reload import LiveShow
    from livesync.devices.ndi_out import NdiOutput
    from livesync.devices.video_out import VideoOutput
    from livesync.render.hud import Hud
    from livesync.render.window import Window

    performance, audio = prepare(show)
    player = open_player(show, audio, silent)
    control = window = None
    outputs: list[VideoOutput] = []
    try:
        window = Window(show.output.size, show.output.fullscreen, show.output.display)
        if ndi is not None:
            outputs.append(NdiOutput(ndi, window.ctx, show.output.size, show.output.fps))
        heads_up = Hud(window.ctx)
        heads_up.visible = hud
        performer = open_performer_window(window, show.output.performer)
        if performer is not None:
            outputs.append(performer)
            heads_up.elsewhere = performer.status
            heads_up.visible = True  # the performer's screen is for the HUD: on at start
        renderer = Renderer(window.ctx, show.scenes, show.character, transitions=show.transitions)
        control, clock = start(
            show,
            renderer.params,
            player,
            Overrides(osc_host, osc_port, silent, live_vocal, vocal_input),
            time.perf_counter,
        )
        if player is not None:
            player.resume()
        live = LiveShow(show, renderer, performance)
        with open_log(frame_log) if frame_log else contextlib.nullcontext() as log_file:
            return run(
                window,
                live,
                clock,
                time.perf_counter,
                exit_at_end,
                hud,
                control=control,
                frame_log=log_file,
                loop=loop,
                outputs=outputs,
                hud=heads_up,
            )
    finally:
        for output in outputs:
            output.close()
        if control is not None:
            control.close()
        if player is not None:
            player.close()
        if window is not None:
            window.close()


def play_set(
    set_list: SetList,
    silent: bool = False,
    hud: bool = False,
    osc_host: str | None = None,
    osc_port: int | None = None,
    frame_log: Path | None = None,
    exit_at_end: bool = False,
    adjust: Callable[[Show], Show] | None = None,
    ndi: str | None = None,
) -> int:
    """Play a set list (livesync.show.set_list.load_set_list) in one window until the
    performer quits, or with `exit_at_end` after the last song; `adjust` changes each song's
    show before it plays (a script's size or offset); `ndi` sends every part's picture as an
    NDI source of that name. Returns the frames drawn."""
    from livesync.app.set_player import play_set as play_the_set

    with open_log(frame_log) if frame_log else contextlib.nullcontext() as log_file:
        return play_the_set(
            set_list,
            adjust or (lambda show: show),
            silent=silent,
            hud=hud,
            osc_host=osc_host,
            osc_port=osc_port,
            frame_log=log_file,
            exit_at_end=exit_at_end,
            ndi=ndi,
        )


def render_set(
    set_list: SetList,
    out: Path,
    progress: Progress | None = None,
    adjust: Callable[[Show], Show] | None = None,
) -> int:
    """Render a whole set list to one video, each interlude `interlude_seconds` long; the
    file appears only when complete. Returns the frames written."""
    from livesync.app.set_render import render_set as render_the_set

    return render_the_set(set_list, out, adjust or (lambda show: show), progress)
