"""Edge: what runs inside the output process: the sound card's stream and its callback.

This process has an interpreter, and so a GIL, of its own, and nothing in it but the callback
and a main thread asleep on the pipe to the player. However long the player's frames hold the
player's GIL, the callback runs when the device asks for a buffer. It applies the player's
latest command, copies from the shared track, and reports which sample reaches the speaker at
which moment, on the monotonic clock both processes read (CLOCK_MONOTONIC is system-wide), so
the player's clock needs no call into this process.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
from multiprocessing.connection import Connection
from time import monotonic
from typing import Any

import numpy as np
import numpy.typing as npt

from livesync.devices.audio_control import Command, ControlBlock, Report, SharedTrack
from livesync.sync.clock import SteadyDac

# How often the main thread wakes to check the stream is alive (the player's going away wakes
# it at once). Rarely: each wake takes this process's GIL, which the callback may then wait for.
_POLL_SECONDS = 0.5
_MCL_CURRENT = 1  # mlockall's flag on Linux and macOS
_NICER = -10  # asked for where allowed (root, CAP_SYS_NICE, an audio group's RLIMIT_NICE)
# Locking the output process's pages keeps the whole track in RAM; beyond this (about 1.5 h of
# 48 kHz stereo) a long recording would pin gigabytes, so its pages stay the kernel's to manage
# (a page read back from disk is then the risk, on a machine short of memory).
MAX_LOCKED_TRACK = 2 << 30


class Feed:
    """The callback and the little state it keeps: only this process's callback thread
    touches it, so it needs no lock."""

    def __init__(
        self,
        samples: npt.NDArray[np.float32],
        control: ControlBlock,
        latency: float,
        samplerate: int,
    ) -> None:
        self.samples = samples
        self.control = control
        self.latency = latency  # used when the host API gives no DAC time
        self.steady = SteadyDac(samplerate)
        self.cursor = 0
        self.playing = False
        self.gen = 0
        self.seek_gen = 0
        self.start = 0
        self.buffers = 0
        self.underflows = 0

    def apply(self, command: Command | None) -> None:
        """A new command from the player (None: it is writing one; the next buffer sees it)."""
        if command is None or command.gen == self.gen:
            return
        if command.seek_gen != self.seek_gen:
            self.seek_gen = command.seek_gen
            self.cursor = self.start = command.seek
        if command.playing and not self.playing:
            self.start = self.cursor
        self.playing = command.playing
        self.gen = command.gen

    def callback(self, out: npt.NDArray[np.float32], frames: int, time: Any, status: Any) -> None:
        self.apply(self.control.read_command())
        dac = time.outputBufferDacTime
        ahead = max(0.0, dac - time.currentTime) if dac else self.latency
        heard_at = self.steady.buffer(monotonic() + ahead, frames)
        if status.output_underflow:
            self.underflows += 1
        sample = self.cursor
        if self.playing:
            chunk = self.samples[sample : sample + frames]
            out[: len(chunk)] = chunk
            out[len(chunk) :] = 0.0
            self.cursor = sample + frames
        else:
            out.fill(0.0)
        self.buffers += 1
        self.control.write_report(
            Report(
                self.gen,
                sample,
                self.cursor,
                heard_at,
                self.playing,
                self.start,
                self.buffers,
                self.underflows,
                ahead,
            )
        )


def serve(
    conn: Connection,
    track_name: str,
    shape: tuple[int, int],
    control_name: str,
    samplerate: int,
    device: int | str | None,
    latency: float,
) -> None:
    """The output process's entry point: open the stream, say "ready" (with the latency the
    device gave) or "error" (with why) on the pipe, then play until the player says "close"
    or goes away. Ctrl+C is the player's to handle: the player closes this process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ask_for_priority()
    _no_collector_pauses()
    track = SharedTrack.attach(track_name, shape)
    control = ControlBlock.attach(control_name)
    try:
        stream = _open(conn, track, control, samplerate, device, latency)
        if stream is not None:
            try:
                _play_until_closed(conn, stream)
            finally:
                stream.abort()
                stream.close()
    finally:
        track.release()
        control.release()


def _ask_for_priority() -> None:
    """Runs this process, and the threads PortAudio starts in it, ahead of the frame loop's
    rendering threads where the system allows it, so a busy machine delays a buffer less.
    (A JACK server with realtime scheduling makes the callback's thread realtime anyway.)"""
    try:
        os.nice(_NICER)
    except OSError:
        pass


def _no_collector_pauses() -> None:
    """A full garbage collection here would walk every object this process imported (spawn
    also imports the player's main module) inside whichever callback triggered it: tens of
    milliseconds, several JACK periods. The callback makes no reference cycles (reference
    counting frees all it allocates), so the cycle collector is switched off, and what was
    imported is moved out of its reach should anything switch it back on."""
    gc.collect()
    gc.freeze()
    gc.disable()


def _open(
    conn: Connection,
    track: SharedTrack,
    control: ControlBlock,
    samplerate: int,
    device: int | str | None,
    latency: float,
) -> Any:
    try:
        import sounddevice
    except OSError as exc:  # libportaudio is missing
        conn.send(("error", f"PortAudio is not installed ({exc})"))
        return None
    assert track.samples is not None
    feed = Feed(track.samples, control, latency, samplerate)
    try:
        stream = sounddevice.OutputStream(
            samplerate=samplerate,
            channels=track.shape[1],
            dtype="float32",
            device=device,
            callback=feed.callback,
            latency=latency,
        )
        feed.latency = float(stream.latency)
        stream.start()
    except Exception as exc:  # PortAudioError, ValueError: no device, bad rate...
        conn.send(("error", str(exc)))
        return None
    if track.samples.nbytes <= MAX_LOCKED_TRACK:
        _lock_in_memory()
    conn.send(("ready", float(stream.latency)))
    return stream


def _lock_in_memory() -> None:
    """Keeps every page this process has mapped so far (the interpreter, PortAudio, the whole
    track) in memory where the system allows it (root, or RLIMIT_MEMLOCK), as realtime audio
    programs do: under memory pressure the kernel drops pages it can read back from disk, and
    a callback that faults one in from disk misses its period."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mlockall(_MCL_CURRENT)
    except (AttributeError, OSError):  # no mlockall here (Windows)
        pass


def _play_until_closed(conn: Connection, stream: Any) -> None:
    while True:
        if conn.poll(_POLL_SECONDS):
            try:
                if conn.recv() == "close":
                    return
            except EOFError:  # the player is gone: stop rather than play on unseen
                return
        if not stream.active:
            conn.send(("error", "the audio stream stopped (the device or sound server went away)"))
            return
