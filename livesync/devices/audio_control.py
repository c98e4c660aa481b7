"""Edge: the memory the player and its output process share: the track, and a small control
block with commands one way and position reports the other, read and written without locks.

Why no locks: the output process's callback must never wait for the player, whose frame loop
may hold the player's GIL for 30 ms at a time; a lock the player held across such a pause would
starve the callback just as the GIL did. Each side is the only writer of its own half, and a
sequence counter (a seqlock: odd while a write is under way) lets the reader tell a torn read
from a whole one. A torn read is simply retried: the callback tries again on its next buffer,
the player a few times at once and then keeps its last whole report.
"""

from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.shared_memory import SharedMemory

import numpy as np
import numpy.typing as npt

# Command half (the player writes it): sequence, command generation, playing, seek
# generation, seek target (a sample index).
_C_SEQ, _C_GEN, _C_PLAYING, _C_SEEK_GEN, _C_SEEK = range(5)
_COMMAND = slice(1, 5)
# Report half (the output process writes it), see Report.
_R_SEQ = 8
_REPORT = slice(9, 18)
_SLOTS = 18
_READ_TRIES = 100


@dataclass(frozen=True)
class Command:
    """What the player wants: playing or not, and the latest seek (a new seek_gen is a new
    seek, so a seek is never lost when a resume follows it before the callback runs)."""

    gen: int
    playing: bool
    seek_gen: int
    seek: int


@dataclass(frozen=True)
class Report:
    """What the output process did with its latest buffer."""

    gen: int  # the last command generation it applied
    sample: int  # the track sample at the start of the buffer (the cursor, when paused)
    end: int  # the sample after the last one handed to the device
    dac: float  # the monotonic time at which `sample` reaches the speaker
    playing: bool
    start: int  # the sample this stretch of playing began at (after a resume or a seek)
    buffers: int  # buffers filled so far
    underflows: int  # buffers PortAudio flagged as an output underflow
    ahead: float  # seconds from the callback to the DAC: the latency the clock compensates


class SharedTrack:
    """The track's float32 frames in shared memory: copied once, read in place by the output
    process, so no sample crosses a pipe while the song plays."""

    def __init__(self, shm: SharedMemory, shape: tuple[int, int], owner: bool) -> None:
        self.shm = shm
        self.shape = shape
        self._owner = owner
        self.samples: npt.NDArray[np.float32] | None = np.ndarray(
            shape, dtype=np.float32, buffer=shm.buf
        )

    @classmethod
    def create(cls, samples: npt.NDArray[np.float32]) -> SharedTrack:
        shape = (int(samples.shape[0]), int(samples.shape[1]))
        shm = SharedMemory(create=True, size=max(1, samples.nbytes))
        track = cls(shm, shape, owner=True)
        assert track.samples is not None
        track.samples[...] = samples
        return track

    @classmethod
    def attach(cls, name: str, shape: tuple[int, int]) -> SharedTrack:
        return cls(SharedMemory(name=name), shape, owner=False)

    def release(self) -> None:
        """Unmaps the memory; the creating side also removes it from the system. Safe twice."""
        self.samples = None
        _release(self.shm, self._owner)
        self._owner = False


class ControlBlock:
    """The commands and reports, 18 float64 slots in shared memory (sample indices stay exact
    up to 2**53)."""

    def __init__(self, shm: SharedMemory, owner: bool) -> None:
        self.shm = shm
        self._owner = owner
        self._slots: npt.NDArray[np.float64] | None = np.ndarray(
            (_SLOTS,), dtype=np.float64, buffer=shm.buf
        )
        self._command = Command(0, False, 0, 0)

    @classmethod
    def create(cls) -> ControlBlock:
        block = cls(SharedMemory(create=True, size=_SLOTS * 8), owner=True)
        block._live()[:] = 0.0
        return block

    @classmethod
    def attach(cls, name: str) -> ControlBlock:
        return cls(SharedMemory(name=name), owner=False)

    def _live(self) -> npt.NDArray[np.float64]:
        if self._slots is None:
            raise RuntimeError("the audio control block is closed")
        return self._slots

    # The player's side.
    def command(self, playing: bool, seek: int | None = None) -> int:
        """Publishes a new command; returns its generation (reports carry the generation
        they applied, so the player can ignore reports from before it)."""
        last = self._command
        self._command = Command(
            gen=last.gen + 1,
            playing=playing,
            seek_gen=last.seek_gen + (seek is not None),
            seek=last.seek if seek is None else max(0, seek),
        )
        c = self._command
        _write(self._live(), _C_SEQ, _COMMAND, (c.gen, c.playing, c.seek_gen, c.seek))
        return c.gen

    def report(self) -> Report | None:
        """The latest whole report, or None while none has been written (or every try tore)."""
        values = _read(self._live(), _R_SEQ, _REPORT, _READ_TRIES)
        if values is None or values[6] == 0.0:  # no buffer filled yet
            return None
        gen, sample, end, dac, playing, start, buffers, underflows, ahead = values
        return Report(
            int(gen),
            int(sample),
            int(end),
            float(dac),
            bool(playing),
            int(start),
            int(buffers),
            int(underflows),
            float(ahead),
        )

    # The output process's side.
    def read_command(self) -> Command | None:
        """The player's latest command, or None if the player is writing one right now."""
        values = _read(self._live(), _C_SEQ, _COMMAND, 1)
        if values is None:
            return None
        gen, playing, seek_gen, seek = values
        return Command(int(gen), bool(playing), int(seek_gen), int(seek))

    def write_report(self, r: Report) -> None:
        fields = (
            r.gen,
            r.sample,
            r.end,
            r.dac,
            r.playing,
            r.start,
            r.buffers,
            r.underflows,
            r.ahead,
        )
        _write(self._live(), _R_SEQ, _REPORT, fields)

    def release(self) -> None:
        """Unmaps the block; the creating side also removes it from the system. Safe twice."""
        self._slots = None
        _release(self.shm, self._owner)
        self._owner = False


def _write(
    slots: npt.NDArray[np.float64], seq: int, fields: slice, values: tuple[float, ...]
) -> None:
    slots[seq] += 1.0  # odd: a write is under way
    slots[fields] = values
    slots[seq] += 1.0


def _read(
    slots: npt.NDArray[np.float64], seq: int, fields: slice, tries: int
) -> list[float] | None:
    for _ in range(tries):
        before = slots[seq]
        values = slots[fields].copy()
        if before % 2.0 == 0.0 and slots[seq] == before:
            return [float(v) for v in values]
    return None


def _release(shm: SharedMemory, owner: bool) -> None:
    try:
        shm.close()
    except BufferError:  # a view is still alive somewhere: the unmap waits for its collection
        pass
    if owner:
        try:
            shm.unlink()
        except FileNotFoundError:
            pass
