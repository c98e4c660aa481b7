"""Playing under load, as the frame loop does, and what the recording says of it: the
session helpers shared by tests/io/test_audio_continuity.py and benchmarks/audio_continuity.py
(the recorder and the comparison are in tests/io/test_audio_recording.py).

The load is moderngl frames drawn back to back in the player's own process: moderngl holds
the GIL through a draw and its ctx.finish(), as the demo's heavy scenes do on llvmpipe, so
any Python the sound depended on in that process would wait for them.
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .test_audio_recording import (
    SILENT,
    Continuity,
    FrameClock,
    Recording,
    TrackIndex,
    bracketed,
    continuity,
    first_block_after,
    new_output_ports,
    noise_track,
    playback_sources,
    position_at,
    positions,
    recorder,
)

HEAVY_SHADER = """
#version 330
uniform float t;
out vec4 color;
void main() {
    vec2 p = gl_FragCoord.xy / 720.0;
    float v = 0.0;
    for (int i = 0; i < ITERATIONS; i++) {
        v += sin(p.x * float(i) + t) * cos(p.y * float(i) - t);
    }
    color = vec4(v, v * 0.5, 1.0 - v, 1.0);
}
"""


class HeavyFrames:
    """Frames that keep this process's GIL busy as the player's frame loop does on llvmpipe:
    moderngl holds the GIL through a draw and its ctx.finish()."""

    def __init__(self, iterations: int = 60, size: tuple[int, int] = (1280, 720)) -> None:
        import moderngl

        self.ctx = moderngl.create_standalone_context(backend="egl", require=330)  # type: ignore[arg-type]
        source = HEAVY_SHADER.replace("ITERATIONS", str(iterations))
        vertex = "#version 330\nin vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0.0, 1.0); }"
        self.program = self.ctx.program(vertex_shader=vertex, fragment_shader=source)
        quad = np.array([-1, -1, 3, -1, -1, 3], dtype="f4")
        self.vao = self.ctx.vertex_array(self.program, self.ctx.buffer(quad), "pos")
        self.fbo = self.ctx.simple_framebuffer(size)
        self.t = 0.0

    def draw(self) -> None:
        self.fbo.use()
        self.program["t"] = self.t
        self.t += 0.016
        self.vao.render()
        self.ctx.finish()

    def release(self) -> None:
        self.ctx.release()


# --- a session: play under load, record, compare ------------------------------------------

SEEK_TO = 5.0  # seconds: where the transport probe seeks to


@dataclass
class Session:
    """What one player did under load, as recorded, with the player's own clock readings."""

    recording: Recording
    # (JACK frame, the player's now(), the frames between the two readings bracketing it)
    pairs: list[tuple[int, float, int]]
    marks: dict[str, int]  # the JACK frame just before the seek, the pause and the resume
    output_latency: float  # what the player says the clock compensates (seconds)
    jack_latency: int | None  # JACK's playback latency of the player's port (frames)
    frames_drawn: int
    draw_seconds: float
    track_seconds: float  # the track played: noise_track(track_seconds), at 48 kHz


def play_session(player_class: Any, seconds: float, heavy: HeavyFrames) -> Session:
    """Plays a noise track with `player_class` while `heavy` draws frames back to back in this
    process, reading the player's clock between frames as the frame loop does; then a seek,
    a pause and a resume, each followed by more heavy frames. The player is always closed."""
    from livesync.audio.decode import Audio

    track_seconds = seconds + SEEK_TO + 10.0
    track = noise_track(track_seconds)
    before = playback_sources()
    player = player_class(Audio(track, 48000))
    try:
        ports = new_output_ports(before)
        clock = FrameClock()
        try:
            with recorder(ports, seconds + 8.0) as stop:
                loop = _Loop(player, clock, heavy)
                player.resume()
                loop.run(seconds)
                for mark, act, span in (
                    ("seek", lambda: player.seek(SEEK_TO), 1.0),
                    ("pause", player.pause, 0.6),
                    ("resume", player.resume, 0.6),
                ):
                    loop.marks[mark] = clock.frame()
                    act()
                    loop.run(span)
                recording = stop()
        finally:
            clock.close()
        return Session(
            recording,
            loop.pairs,
            loop.marks,
            float(player.output_latency),
            playback_latency(ports[0]),
            loop.drawn,
            loop.draw_seconds,
            track_seconds,
        )
    finally:
        player.close()


class _Loop:
    def __init__(self, player: Any, clock: FrameClock, heavy: HeavyFrames) -> None:
        self.player, self.clock, self.heavy = player, clock, heavy
        self.pairs: list[tuple[int, float, int]] = []
        self.marks: dict[str, int] = {}
        self.drawn, self.draw_seconds = 0, 0.0

    def run(self, seconds: float) -> None:
        """Heavy frames until JACK's frame clock has moved on `seconds`."""
        end = self.clock.frame() + int(seconds * self.clock.rate)
        while self.clock.frame() < end:
            start = time.perf_counter()
            self.heavy.draw()
            self.draw_seconds += time.perf_counter() - start
            self.drawn += 1
            self.pairs.append(bracketed(self.clock, self.player.now))


def playback_latency(port: str) -> int | None:
    """JACK's playback latency of `port` in frames (jack_lsp -l), or None if unknown."""
    try:
        out = subprocess.run(
            ["jack_lsp", "-l", port], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"playback latency = \[ *(\d+) +(\d+) *\]", out)
    return int(found.group(2)) if found else None


@dataclass
class Summary:
    continuity: Continuity
    clock_offset_ms: float  # median of the clock minus what the recording says was heard
    clock_spread_ms: float  # 95th percentile of |that - its median|
    clock_worst_ms: float  # the largest |clock minus heard|
    clock_readings: int  # the readings those are of (bracketed within 1 ms, before the seek)
    seek_ms: float | None  # from asking to hearing, on JACK's frame clock
    pause_ms: float | None
    resume_ms: float | None


def summarize(session: Session) -> Summary:
    """The recording against the track (up to the seek), the clock against what was heard
    (a sample recorded at frame F is heard at F + JACK's playback latency), and how long each
    transport command took to be heard."""
    rec, rate = session.recording, session.recording.rate
    where = positions(rec, TrackIndex(noise_track(session.track_seconds)))
    first = int(np.nonzero(where >= 0)[0][0])
    # The seek may be heard in the cycle that began just before it was asked for.
    last = int(np.searchsorted(rec.frames, session.marks["seek"])) - 2
    lag = session.jack_latency
    if lag is None:
        lag = round(session.output_latency * rate)
    errors = []
    for frame, now, width in session.pairs:
        if width > rate // 1000:  # preempted between the readings: no measure of the clock
            continue
        if int(rec.frames[first]) <= frame - lag and frame < int(rec.frames[last]):
            heard = position_at(rec, where, frame - lag)
            if heard is not None:
                errors.append((now - heard / rate) * 1000.0)
    e = np.asarray(errors or [np.nan])
    target = round(SEEK_TO * rate)

    def heard_ms(mark: str, test: Any) -> float | None:
        k = first_block_after(rec, where, session.marks[mark] - rec.blocksize, test)
        if k is None:
            return None
        return (int(rec.frames[k]) + lag - session.marks[mark]) / rate * 1000.0

    return Summary(
        continuity(rec, where, first, last),
        float(np.median(e)),
        float(np.percentile(np.abs(e - np.median(e)), 95)),
        float(np.max(np.abs(e))),
        len(errors),
        heard_ms("seek", lambda p: target <= p < target + rate),
        heard_ms("pause", lambda p: p == SILENT),
        heard_ms("resume", lambda p: p >= 0),
    )
