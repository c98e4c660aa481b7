"""Edge: offline rendering of a show to a video file with its audio (imageio-ffmpeg's ffmpeg).

Frame n shows time n / fps exactly, whatever the render speed, so the video is the same
show as the live one, frame for frame; ffmpeg then muxes the original audio file.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import imageio_ffmpeg

from livesync.frame.performance import Performance
from livesync.render.renderer import OffscreenTarget, Renderer
from livesync.sync.clock import FixedStepClock

Progress = Callable[[int, int], None]
log = logging.getLogger("livesync")
_CONTEXT = re.compile(r"^(\[[^]]*\] *)+")  # ffmpeg's "[out#0/mp4 @ 0x55...] " before a message


def frame_count(duration: float, fps: int) -> int:
    """Enough frames to cover the song; the last one starts before the audio ends."""
    return max(1, math.ceil(duration * fps - 1e-9))


def render_frames(
    renderer: Renderer, performance: Performance, size: tuple[int, int], fps: int, frames: int
) -> Iterator[bytes]:
    """Top-down RGB frames at times 0, 1/fps, 2/fps, ..."""
    target = OffscreenTarget(renderer.ctx, size)
    clock = FixedStepClock(fps)
    try:
        for n in range(frames):
            clock.frame = n
            target.use()
            renderer.render(performance.state_at(clock.now(), 1.0 / fps, n), size)
            yield target.read_rgb()
    finally:
        target.release()


def write_video(
    out: Path,
    frames: Iterator[bytes],
    size: tuple[int, int],
    fps: int,
    total: int,
    audio: Path | None,
    progress: Progress | None = None,
) -> None:
    """Encode H.264 (yuv420p, plays everywhere) with the song's audio as AAC.

    ffmpeg (imageio-ffmpeg's binary) is a child this function owns: its exit status decides
    success (a full disk at the moment ffmpeg closes the file is a failure, not a truncated
    video), its messages are kept for the error instead of cluttering the terminal, and any
    interruption (an error, Ctrl-C, SIGTERM) kills it at once rather than letting it finish a
    file nobody will keep. RuntimeError names ffmpeg's last line when it fails."""
    with tempfile.TemporaryFile() as messages:
        process = subprocess.Popen(
            _command(out, size, fps, audio),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=messages,
            start_new_session=True,  # the terminal's Ctrl-C is ours to handle, not ffmpeg's
        )
        assert process.stdin is not None
        try:
            with contextlib.suppress(BrokenPipeError):  # ffmpeg stopped: its status says why
                for n, frame in enumerate(frames, 1):
                    process.stdin.write(frame)
                    if progress:
                        progress(n, total)
                process.stdin.close()
            status = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()
        messages.seek(0)
        said = messages.read().decode("utf-8", "replace").strip()
    if said:
        log.debug("ffmpeg: %s", said)
    if status != 0:
        last = said.splitlines()[-1] if said else f"exit status {status}"
        raise RuntimeError("ffmpeg: " + _CONTEXT.sub("", last))


def _command(out: Path, size: tuple[int, int], fps: int, audio: Path | None) -> list[str]:
    w, h = size
    even = ["-vf", f"scale={w + w % 2}:{h + h % 2}"] if w % 2 or h % 2 else []  # yuv420p
    sound = ["-map", "1:a:0", "-c:a", "aac"] if audio else ["-an"]
    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-y",
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{w}x{h}",
        "-r",
        str(fps),
        "-i",
        "-",
        *(["-i", str(audio)] if audio else []),
        "-map",
        "0:v:0",
        *sound,
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        *even,
        "-crf",
        "18",
        "-preset",
        "veryfast",
        "-movflags",
        "+faststart",
        str(out),
    ]
