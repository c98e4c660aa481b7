"""Hearing what livesync really plays: a JACK client of the test's own records livesync's
output port, and the recording is compared with the track block by block.

Shared by tests/io/test_audio_continuity.py and benchmarks/audio_continuity.py; the tests here
check the comparison itself on made-up recordings (no JACK needed).

The recorder runs in a process of its own: JACK-Client's process callback is Python, and in
the player's process it would wait for the same GIL whose stalls it is there to catch. Each
JACK cycle it stores the block of the player's port and the cycle's frame time (JACK's own
frame clock), so every recorded sample has a known device time.

Sound goes through PortAudio and JACK as float32 untouched (no conversion, no dither), so a
recorded block is bit for bit a stretch of the track: `locate` finds it exactly through an
index of each track sample's bits with its neighbour's (the track is noise, so every pair is
unique), with no cross-correlation to tune.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

SILENT = -1  # a block of digital silence (paused, or past the end)
UNKNOWN = -2  # a block that is no stretch of the track


def noise_track(seconds: float, rate: int = 48000, seed: int = 7) -> npt.NDArray[np.float32]:
    """Stereo white noise at about -20 dBFS: every 512-sample block is unique."""
    rng = np.random.default_rng(seed)
    return (0.1 * rng.standard_normal((int(seconds * rate), 2))).astype(np.float32)


# --- the recorder -------------------------------------------------------------------------


@dataclass
class Recording:
    blocks: npt.NDArray[np.float32]  # (n, blocksize, channels)
    frames: npt.NDArray[np.int64]  # JACK frame time at the start of each block's cycle
    xruns: int  # xruns JACK reported while recording (any client's)
    rate: int
    # The cycles JACK ran at all: the frame times seen by a second client that depends on
    # nobody (the recorder depends on the player, so a late player also delays the recorder).
    cycles: npt.NDArray[np.int64]
    # When the machine itself stood still (a processor taken away from this virtual machine,
    # seen by a watcher per processor), as (first, last) JACK frames.
    stalls: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))

    @property
    def blocksize(self) -> int:
        return int(self.blocks.shape[1])


def _record(conn: Connection, max_seconds: float) -> None:
    """The recorder process: waits for the names of the ports to record (it is ready before
    they exist), records them until told "stop", then sends the Recording. A second client,
    connected to nothing, notes every cycle JACK runs, so a cycle the server itself missed (a
    machine too busy for JACK) is told from one the player missed."""
    import jack  # type: ignore[import-untyped]

    client = jack.Client("livesync-recorder", no_start_server=True)
    reference = jack.Client("livesync-reference", no_start_server=True)
    ports: list[str] = conn.recv()
    # A full garbage collection of all this process imported (pytest, the player's modules)
    # inside a callback would make the recorder, not the player, late: a recorded block of
    # the wrong cycle. The callbacks make no reference cycles.
    gc.collect()
    gc.freeze()
    gc.disable()
    size, rate = client.blocksize, client.samplerate
    count = int(max_seconds * rate / size) + 1
    blocks = np.zeros((count, size, len(ports)), dtype=np.float32)
    frames = np.zeros(count, dtype=np.int64)
    cycles = np.zeros(count, dtype=np.int64)
    cycle_times = np.zeros(count, dtype=np.float64)
    state = {"n": 0, "xruns": 0, "cycles": 0}
    inports = [client.inports.register(f"in_{i}") for i in range(len(ports))]

    @reference.set_process_callback  # type: ignore[untyped-decorator]
    def tick(nframes: int) -> None:
        n = state["cycles"]
        if n < count:
            cycles[n] = reference.last_frame_time
            cycle_times[n] = time.monotonic()
            state["cycles"] = n + 1

    @client.set_process_callback  # type: ignore[untyped-decorator]
    def process(nframes: int) -> None:
        n = state["n"]
        if n < count and nframes == size:
            for c, port in enumerate(inports):
                blocks[n, :, c] = port.get_array()
            frames[n] = client.last_frame_time
            state["n"] = n + 1

    @client.set_xrun_callback  # type: ignore[untyped-decorator]
    def xrun(delay: float) -> None:
        state["xruns"] += 1

    with reference, client, _StallWatch() as watch:
        for source, port in zip(ports, inports, strict=True):
            client.connect(source, port)
        conn.send("recording")
        conn.recv()
        client.deactivate()
        reference.deactivate()
    n, m = state["n"], state["cycles"]
    stalls = np.array(
        [np.interp(span, cycle_times[:m], cycles[:m]) for span in watch.stalls] or np.zeros((0, 2))
    ).astype(np.int64)
    conn.send(
        Recording(blocks[:n].copy(), frames[:n].copy(), state["xruns"], rate, cycles[:m], stalls)
    )


class _StallWatch:
    """A thread per processor, pinned to it at the highest realtime priority where allowed,
    waking every millisecond: one that wakes more than STALL_SECONDS late found its processor
    stopped. On a virtual machine the host takes processors away for tens of milliseconds
    (steal time); a JACK client on one then misses its cycle, whatever it is written in."""

    STALL_SECONDS = 0.005

    def __init__(self) -> None:
        self.stalls: list[tuple[float, float]] = []
        self._stop = threading.Event()
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
        self._threads = [threading.Thread(target=self._watch, args=(c,), daemon=True) for c in cpus]

    def __enter__(self) -> _StallWatch:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5.0)

    def _watch(self, cpu: int) -> None:
        try:
            os.sched_setaffinity(0, {cpu})  # this thread only
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(80))
        except (OSError, AttributeError):  # not allowed here: a plain thread still sees most
            pass
        while not self._stop.is_set():
            before = time.monotonic()
            time.sleep(0.001)
            after = time.monotonic()
            if after - before > 0.001 + self.STALL_SECONDS:
                self.stalls.append((before, after))


@contextmanager
def recorder(ports: list[str] | Callable[[], list[str]], max_seconds: float) -> Iterator[Any]:
    """Records `ports` from entering until the yielded function is called; that function
    returns the Recording. `ports` may be a function that waits for them to appear: the
    recorder process starts meanwhile, so it misses nothing of a player that starts at once.
    The recorder process is always stopped."""
    context = multiprocessing.get_context("spawn")
    conn, child = context.Pipe()
    process = context.Process(target=_record, args=(child, max_seconds), daemon=True)
    process.start()
    child.close()
    try:
        conn.send(ports() if callable(ports) else ports)
        if not conn.poll(30.0) or conn.recv() != "recording":
            raise RuntimeError("the JACK recorder did not start")

        def stop() -> Recording:
            conn.send("stop")
            if not conn.poll(60.0):
                raise RuntimeError("the JACK recorder did not answer")
            recording: Recording = conn.recv()
            return recording

        yield stop
    finally:
        conn.close()
        process.join(10.0)
        if process.is_alive():
            process.kill()
            process.join()


def playback_sources() -> set[str]:
    """The output ports now connected to the first playback port (PortAudio connects its
    outputs there), to tell the player's new ports from what was there before."""
    import jack

    with jack.Client("livesync-probe", no_start_server=True) as client:
        playback = client.get_ports(is_physical=True, is_input=True, is_audio=True)
        if not playback:
            return set()
        return {port.name for port in client.get_all_connections(playback[0])}


def new_output_ports(before: set[str], deadline: float = 10.0) -> list[str]:
    """The output ports of the stream that opened since `before` was taken (all channels)."""
    import jack

    end = time.monotonic() + deadline
    with jack.Client("livesync-probe", no_start_server=True) as client:
        while time.monotonic() < end:
            new = playback_sources() - before
            clients = {name.split(":")[0] for name in new}
            if len(clients) == 1:
                owner = clients.pop()
                return sorted(p.name for p in client.get_ports(f"^{owner}:", is_output=True))
            if len(clients) > 1:
                raise RuntimeError(f"more than one new JACK output: {sorted(new)}")
            time.sleep(0.02)
    raise RuntimeError("the player's JACK output did not appear")


class FrameClock:
    """JACK's frame clock read from the player's process (an open, inactive client: reading
    the frame time needs no callback, so it does not compete for the GIL)."""

    def __init__(self) -> None:
        import jack

        self._client = jack.Client("livesync-frame-clock", no_start_server=True)
        self.rate = int(self._client.samplerate)

    def frame(self) -> int:
        return int(self._client.frame_time)

    def close(self) -> None:
        self._client.close()


def paired(frame_clock: FrameClock, read: Any, tries: int = 20) -> tuple[int, float]:
    """(JACK frame, read()) taken together: bracketed by two frame readings less than 1 ms
    apart, so a preemption between them cannot pass for a clock error."""
    frame, value, _ = bracketed(frame_clock, read, tries)
    return frame, value


def bracketed(frame_clock: FrameClock, read: Any, tries: int = 20) -> tuple[int, float, int]:
    """As paired(), with the width of the bracket in frames: the narrowest of `tries`, which a
    loaded machine may leave wider than 1 ms (then the pair says little)."""
    best: tuple[int, int, float] | None = None
    for _ in range(tries):
        before = frame_clock.frame()
        value = read()
        after = frame_clock.frame()
        if best is None or after - before < best[1] - best[0]:
            best = (before, after, value)
        if after - before < frame_clock.rate // 1000:
            break
    assert best is not None
    return (best[0] + best[1]) // 2, best[2], best[1] - best[0]


# --- the comparison -----------------------------------------------------------------------


class TrackIndex:
    """Finds where a recorded block sits in the track, exactly."""

    def __init__(self, track: npt.NDArray[np.float32]) -> None:
        self.track = track
        self._keys, self._order = _sorted_pair_keys(track[:, 0])

    def locate(self, block: npt.NDArray[np.float32], hint: int | None = None) -> int:
        """Where `block` starts in the track; `hint` (where it should start) is tried first,
        so a stretch a song repeats bit for bit is placed where it was due."""
        if not block.any():
            return SILENT
        if hint is not None and 0 <= hint and self._matches(block, hint):
            return hint
        key = _pair_keys(block[:2, 0])[0]
        i = int(np.searchsorted(self._keys, key))
        while i < len(self._keys) and self._keys[i] == key:
            start = int(self._order[i])
            if self._matches(block, start):
                return start
            i += 1
        return UNKNOWN

    def _matches(self, block: npt.NDArray[np.float32], start: int) -> bool:
        stretch = self.track[start : start + len(block)]
        n = len(stretch)
        return n > 0 and np.array_equal(stretch, block[:n]) and not block[n:].any()


def _pair_keys(channel: npt.NDArray[np.float32]) -> npt.NDArray[np.uint64]:
    bits = np.ascontiguousarray(channel).view(np.uint32).astype(np.uint64)
    return (bits[:-1] << np.uint64(32)) | bits[1:]


def _sorted_pair_keys(
    channel: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    keys = _pair_keys(channel)
    order = np.argsort(keys, kind="stable")
    return keys[order], order.astype(np.int64)


@dataclass
class Continuity:
    """How a recording follows the track over a window of blocks. A discontinuity next to a
    cycle that JACK itself ran off its clock (seen by the reference client), or to a moment the
    machine stood still (seen by the stall watch), is counted apart: no client can make up for
    either."""

    blocks: int  # blocks compared
    seconds: float
    repeated: int  # blocks' worth of JACK cycles in which the track did not advance
    skipped: int  # blocks' worth of the track that never came out
    jumps: int  # other discontinuities (by part of a block)
    silent: int  # blocks of silence while playing
    unknown: int  # blocks that are no stretch of the track
    recorder_gaps: int  # JACK cycles the recorder missed (a late player delays it too)
    server_hiccups: int  # cycles JACK ran off its frame clock (missed, late or doubled)
    machine_stalls: int  # moments a processor stood still for more than 5 ms
    at_hiccups: int  # blocks' worth of discontinuity next to either (not counted above)
    drift_ms: float  # recorded position minus JACK's frame clock, end minus start
    drift_ms_per_min: float  # the slope of that over the window (least squares)
    own_drift_ms: float  # the same without what happened at hiccups and stalls
    own_drift_ms_per_min: float  # the slope of that over the window (least squares)
    worst_ms: float  # the largest |position - frame clock| from the start, anywhere

    @property
    def clean(self) -> bool:
        return not (self.repeated or self.skipped or self.jumps or self.silent or self.unknown)


def positions(recording: Recording, index: TrackIndex) -> npt.NDArray[np.int64]:
    """Each block's place in the track (or SILENT, UNKNOWN), each tried first where the one
    before it says it is due."""
    found = np.full(len(recording.blocks), UNKNOWN, dtype=np.int64)
    hint: int | None = None
    for k, block in enumerate(recording.blocks):
        found[k] = index.locate(block, hint)
        hint = None
        if found[k] >= 0 and k + 1 < len(found):
            hint = int(found[k] + recording.frames[k + 1] - recording.frames[k])
    return found


def continuity(
    recording: Recording, where: npt.NDArray[np.int64], first: int, last: int
) -> Continuity:
    """Compares blocks first..last-1: each must sit as far after the one before on the track
    as JACK's frame clock moved between them."""
    size, rate = recording.blocksize, recording.rate
    p, frames = where[first:last], recording.frames[first:last]
    located = p >= 0
    lp, lf = p[located], frames[located]
    steps = np.diff(lp) - np.diff(lf)  # 0 when the track advanced as JACK's frame clock did
    hiccup = _near_hiccups(recording, lf)
    own = steps[~hiccup]
    whole = own % size == 0
    drift = np.concatenate([[0], np.cumsum(steps)])
    own_drift = np.concatenate([[0], np.cumsum(np.where(hiccup, 0, steps))])
    minutes = (lf - lf[0]) / rate / 60.0
    slope, own_slope = (
        (float(np.polyfit(minutes, d, 1)[0]) for d in (drift, own_drift))
        if len(lf) > 2
        else (0.0, 0.0)
    )
    return Continuity(
        blocks=len(p),
        seconds=len(p) * size / rate,
        repeated=int(np.sum(-own[whole & (own < 0)]) // size),
        skipped=int(np.sum(own[whole & (own > 0)]) // size),
        jumps=int(np.sum(~whole)),
        silent=int(np.sum(p == SILENT)),
        unknown=int(np.sum(p == UNKNOWN)),
        recorder_gaps=int(np.sum(np.diff(frames) != size)),
        server_hiccups=len(_hiccups(recording, int(frames[0]), int(frames[-1]))),
        machine_stalls=int(
            np.sum((recording.stalls[:, 1] >= frames[0]) & (recording.stalls[:, 0] <= frames[-1]))
        ),
        at_hiccups=int(np.sum(np.abs(steps[hiccup])) // size),
        drift_ms=float(drift[-1]) / rate * 1000.0,
        drift_ms_per_min=slope / rate * 1000.0,
        own_drift_ms=float(own_drift[-1]) / rate * 1000.0,
        own_drift_ms_per_min=own_slope / rate * 1000.0,
        worst_ms=float(np.max(np.abs(drift))) / rate * 1000.0,
    )


def _hiccups(recording: Recording, start: int, end: int) -> npt.NDArray[np.int64]:
    """The frame times of reference cycles that did not follow the one before by one block."""
    c = recording.cycles
    odd = np.nonzero(np.diff(c) != recording.blocksize)[0] + 1
    found = c[odd]
    return found[(found >= start) & (found <= end)]


def _near_hiccups(recording: Recording, frames: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For each step between consecutive located blocks: is a server hiccup or a machine
    stall within a block of it?"""
    if len(frames) < 2:
        return np.zeros(0, dtype=bool)
    size = recording.blocksize
    odd = _hiccups(recording, int(frames[0]) - size, int(frames[-1]) + 2 * size)
    spans = np.concatenate([np.stack([odd, odd], axis=1), recording.stalls]).astype(np.int64)
    lo, hi = frames[:-1] - size, frames[1:] + 2 * size
    near = np.zeros(len(lo), dtype=bool)
    for first, last in spans:
        near |= (first <= hi) & (last >= lo)
    return near


def position_at(recording: Recording, where: npt.NDArray[np.int64], frame: int) -> int | None:
    """The track sample recorded at JACK frame `frame` (None: silence or not recorded)."""
    k = int(np.searchsorted(recording.frames, frame, side="right")) - 1
    if k < 0 or k >= len(where) or where[k] < 0:
        return None
    offset = frame - int(recording.frames[k])
    return int(where[k]) + offset if offset < recording.blocksize else None


def first_block_after(
    recording: Recording, where: npt.NDArray[np.int64], frame: int, test: Any
) -> int | None:
    """The first block recorded at or after `frame` whose position passes `test`."""
    for k in np.nonzero(recording.frames >= frame)[0]:
        if test(int(where[k])):
            return int(k)
    return None


# --- tests of the comparison itself -------------------------------------------------------


def _fake(track: npt.NDArray[np.float32], starts: list[int], size: int = 512) -> Recording:
    blocks = np.zeros((len(starts), size, 2), dtype=np.float32)
    for k, s in enumerate(starts):
        if s >= 0:
            blocks[k] = track[s : s + size]
    frames = np.arange(len(starts), dtype=np.int64) * size + 1000
    return Recording(blocks, frames, 0, 48000, frames.copy())


def test_a_continuous_recording_is_clean_with_no_drift() -> None:
    track = noise_track(2.0)
    rec = _fake(track, [512 * k + 100 for k in range(150)])
    where = positions(rec, TrackIndex(track))
    result = continuity(rec, where, 0, len(where))
    assert result.clean and result.blocks == 150
    assert result.drift_ms == 0.0 and result.worst_ms == 0.0


def test_repeated_and_missing_blocks_are_counted_and_drift_shows_them() -> None:
    track = noise_track(2.0)
    starts = [512 * k for k in range(40)]
    starts[10] = starts[9]  # a repeated buffer: the song falls one block behind
    starts = starts[:20] + [s + 1024 for s in starts[20:]]  # two blocks never played
    starts[30] = SILENT
    rec = _fake(track, starts)
    where = positions(rec, TrackIndex(track))
    result = continuity(rec, where, 0, len(where))
    assert (result.repeated, result.skipped, result.silent, result.jumps) == (1, 3, 1, 0)
    assert result.drift_ms == pytest.approx(2 * 512 / 48.0)  # behind 1, ahead 3: +2 blocks


def test_a_block_lost_while_the_machine_stood_still_is_counted_apart() -> None:
    track = noise_track(1.0)
    starts = [512 * k for k in range(40)]
    starts[20] = starts[19]  # repeated, while a processor stood still
    rec = _fake(track, starts)
    rec.stalls = np.array([[int(rec.frames[19]) + 100, int(rec.frames[19]) + 700]])
    result = continuity(rec, positions(rec, TrackIndex(track)), 0, 40)
    assert result.clean and result.machine_stalls == 1 and result.at_hiccups == 2
    assert result.own_drift_ms == 0.0 and result.drift_ms == 0.0


def test_position_at_a_frame_and_the_first_block_after_one() -> None:
    track = noise_track(1.0)
    rec = _fake(track, [0, 512, SILENT, 4096])
    where = positions(rec, TrackIndex(track))
    assert position_at(rec, where, 1000 + 600) == 600
    assert position_at(rec, where, 1000 + 1100) is None
    assert first_block_after(rec, where, 1000, lambda p: p == SILENT) == 2
    assert first_block_after(rec, where, 1001, lambda p: p >= 4096) == 3
