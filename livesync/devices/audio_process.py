"""Edge: the output process, seen from the player: start it, watch it, stop it, leave nothing.

The sound card is fed from a process of its own (livesync.devices.audio_stream), started with
the spawn method so it shares no lock, thread or GL state with the player. Everything it is
given is in shared memory (the track and the control block) or on one pipe (a "ready" or
"error" message at start, "close" at the end). A process that dies is noticed on the next
call and raised as OutputFailed, never waited on; close(), and the finalizer that runs if
nobody calls it (an exception, the interpreter's exit), stop the process and remove the shared
memory.
"""

from __future__ import annotations

import multiprocessing
import weakref
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import numpy as np
import numpy.typing as npt

from livesync.devices.audio_control import ControlBlock, SharedTrack
from livesync.devices.audio_stream import serve
from livesync.devices.spawn import no_main_module

START_SECONDS = 20.0  # spawn + numpy + PortAudio on a loaded machine; a healthy start is ~0.5 s
_STOP_SECONDS = 2.0


class OutputFailed(Exception):
    """The output process could not open the device, or stopped; the message says why."""


class OutputProcess:
    def __init__(
        self,
        samples: npt.NDArray[np.float32],
        samplerate: int,
        device: int | str | None,
        latency: float,
        start_seconds: float = START_SECONDS,
    ) -> None:
        self.track = SharedTrack.create(samples)
        self.control = ControlBlock.create()
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(
            target=serve,
            args=(
                child_conn,
                self.track.shm.name,
                self.track.shape,
                self.control.shm.name,
                samplerate,
                device,
                latency,
            ),
            name="livesync-audio-output",
            daemon=True,
        )
        self._close = weakref.finalize(
            self, _stop, self._process, self._conn, self.track, self.control
        )
        try:
            with no_main_module():
                self._process.start()
            child_conn.close()  # the child's end lives in the child only: its death is EOF here
            self.latency = self._handshake(start_seconds)
        except BaseException:
            self.close()
            raise

    def _handshake(self, seconds: float) -> float:
        if not self._conn.poll(seconds):
            raise OutputFailed(f"the audio output process did not start within {seconds:g} s")
        kind, value = self._receive()
        if kind != "ready" or not isinstance(value, float):
            raise OutputFailed(str(value))
        return value

    def _receive(self) -> tuple[str, object]:
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            self._process.join(_STOP_SECONDS)
            return "died", f"the audio output process died (exit code {self._process.exitcode})"
        return str(kind), value

    def check(self) -> None:
        """Raises OutputFailed if the output process has stopped (one waitpid, no waiting)."""
        if not self._close.alive:
            raise OutputFailed("the audio output is closed")
        if self._process.exitcode is None:
            return
        reason = f"the audio output process stopped (exit code {self._process.exitcode})"
        if not self._conn.closed and self._conn.poll(0):
            kind, value = self._receive()
            if kind == "error":
                reason = str(value)
        raise OutputFailed(reason)

    @property
    def alive(self) -> bool:
        return self._close.alive and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def close(self) -> None:
        self._close()


def _stop(
    process: BaseProcess, conn: Connection, track: SharedTrack, control: ControlBlock
) -> None:
    """Stops the process (asked, then terminated, then killed) and frees the shared memory."""
    if process.pid is not None:
        if process.is_alive():
            try:
                conn.send("close")
            except (OSError, ValueError):
                pass
            process.join(_STOP_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
    conn.close()
    track.release()
    control.release()
