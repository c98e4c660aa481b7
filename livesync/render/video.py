"""Edge: offline rendering of a show to a video file with its audio (imageio-ffmpeg).

Frame n shows time n / fps exactly, whatever the render speed, so the video is the same
show as the live one, frame for frame; ffmpeg then muxes the original audio file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import imageio_ffmpeg

from livesync.frame.performance import Performance
from livesync.render.renderer import OffscreenTarget, Renderer
from livesync.sync.clock import FixedStepClock

Progress = Callable[[int, int], None]


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
    """Encode H.264 (yuv420p, plays everywhere) with the song's audio as AAC."""
    writer: Any = imageio_ffmpeg.write_frames(
        str(out),
        size,
        fps=fps,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=None,
        bitrate=None,
        macro_block_size=2,
        ffmpeg_log_level="error",
        output_params=["-crf", "18", "-preset", "veryfast", "-movflags", "+faststart"],
        audio_path=str(audio) if audio else None,
        audio_codec="aac" if audio else None,
    )
    writer.send(None)
    try:
        for n, frame in enumerate(frames, 1):
            writer.send(frame)
            if progress:
                progress(n, total)
    finally:
        writer.close()
