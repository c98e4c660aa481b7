"""`livesync render SET.toml -o OUT.mp4`: a whole set as one video, the music video of the gig.

The parts follow each other as on stage: the interlude (the walk-in), the first song, the
interlude, the next song... and the interlude after the last, each interlude
`interlude_seconds` long (no trigger to wait for offline). Each song is drawn exactly as
`render` draws it alone, frame n of a part at n / fps of that part, and the sound track is the
songs' audio laid end to end with silence under the interludes, each part padded to its own
frame count, so picture and sound stay together however many songs there are.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from livesync.app.prepare import prepare
from livesync.app.set_interlude import interlude_performance, interlude_show
from livesync.audio.channels import fit_channels
from livesync.audio.decode import decode, resample
from livesync.devices.files import staged
from livesync.errors import InputError
from livesync.frame.performance import Performance
from livesync.render.renderer import Renderer, create_headless_context
from livesync.render.video import Progress, frame_count, render_frames, write_video
from livesync.show.scenes import Tempo
from livesync.show.set_list import SetList
from livesync.show.show_file import Show, load_show

log = logging.getLogger("livesync")
RATE = 48000  # the set's sound track: every song resampled to it
CHANNELS = 2


@dataclass(frozen=True)
class Part:
    name: str
    show: Show
    frames: int
    song: bool  # False: the interlude


def plan(set_list: SetList, adjust: Callable[[Show], Show], fps: int) -> list[Part]:
    """The parts in order; a song whose show does not read stops the render, naming it (a
    video with a song missing is not what anyone wants to find out about afterwards)."""
    shows = []
    for entry in set_list.songs:
        try:
            shows.append((entry.name, adjust(load_show(entry.show))))
        except InputError as exc:
            raise InputError(set_list.path, f"song {entry.name}: {exc}") from None
    interlude = adjust(interlude_show(set_list, shows[0][1]))
    pause = Part("interlude", interlude, round(set_list.interlude_seconds * fps), False)
    parts = [pause]
    for name, show in shows:
        parts += [Part(name, show, 0, True), pause]
    return [p for p in parts if p.song or p.frames > 0]


def render_set(
    set_list: SetList,
    out: Path,
    adjust: Callable[[Show], Show],
    progress: Progress | None = None,
) -> int:
    """Render the set to `out` (written only when complete); returns the frames written."""
    first = adjust(load_show(set_list.songs[0].show)) if set_list.songs else None
    if first is None:
        raise InputError(set_list.path, "songs: the set has no songs")
    size, fps = first.output.size, first.output.fps
    parts = plan(set_list, adjust, fps)
    with tempfile.TemporaryDirectory() as folder:
        track = Path(folder) / "set.wav"
        performances, parts = _sound_track(parts, fps, track, set_list.interlude_tempo)
        total = sum(p.frames for p in parts)
        ctx = create_headless_context()
        try:
            frames = _frames(ctx, parts, performances, size, fps)
            with staged(out, suffix=out.suffix or ".mp4") as partial:
                try:
                    write_video(partial, frames, size, fps, total, track, progress)
                except (OSError, RuntimeError) as exc:
                    text = str(exc).strip()
                    first_line = text.splitlines()[0] if text else type(exc).__name__
                    raise InputError(out, f"could not write the video ({first_line})") from None
        finally:
            ctx.release()
    return total


def _sound_track(
    parts: list[Part], fps: int, track: Path, tempo: Tempo | None
) -> tuple[list[Performance], list[Part]]:
    """Write the set's audio part by part (one song decoded at a time) and prepare each
    part's performance; a song's part is as many frames as its song needs."""
    performances: list[Performance] = []
    sized: list[Part] = []
    with soundfile.SoundFile(str(track), "w", RATE, CHANNELS, "PCM_16") as sink:
        for part in parts:
            if not part.song:
                performances.append(interlude_performance(tempo))
                sized.append(part)
                sink.write(np.zeros((round(part.frames / fps * RATE), CHANNELS), np.float32))
                continue
            performance, _ = prepare(part.show)
            frames = frame_count(performance.duration, fps)
            audio = fit_channels(resample(decode(part.show.audio), RATE), CHANNELS)
            samples = audio.samples
            if samples.shape[1] == 1:
                samples = np.repeat(samples, CHANNELS, axis=1)
            length = round(frames / fps * RATE)
            padded = np.zeros((length, CHANNELS), np.float32)
            padded[: min(length, len(samples))] = samples[:length]
            sink.write(padded)
            performances.append(performance)
            sized.append(Part(part.name, part.show, frames, True))
    return performances, sized


def _frames(
    ctx: object,
    parts: list[Part],
    performances: list[Performance],
    size: tuple[int, int],
    fps: int,
) -> Iterator[bytes]:
    for part, performance in zip(parts, performances, strict=True):
        show = part.show
        log.info("render: %s", part.name)
        with Renderer(ctx, show.scenes, show.character, transitions=show.transitions) as r:
            yield from render_frames(r, performance, size, fps, part.frames)
