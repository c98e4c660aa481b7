"""Clocks: the single source of a frame's time, passed in rather than read from the OS.

The renderer never asks the operating system what time it is; it asks a `Clock`. Playing with
sound, that is the audio device's position; in silent mode, a wall clock built on an injected
time source; offline, the frame number over the frame rate. Tests drive all of them by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

TimeSource = Callable[[], float]


class Clock(Protocol):
    """Song time in seconds, plus the transport controls the player's keys need."""

    def now(self) -> float: ...

    @property
    def playing(self) -> bool: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def seek(self, t: float) -> None: ...


class FixedStepClock:
    """Offline rendering: frame n is shown at exactly n / fps, however long it took to draw."""

    def __init__(self, fps: float, frame: int = 0) -> None:
        self.fps = fps
        self.frame = frame

    def now(self) -> float:
        return self.frame / self.fps

    @property
    def playing(self) -> bool:
        return True

    def advance(self) -> None:
        self.frame += 1

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def seek(self, t: float) -> None:
        self.frame = max(0, round(t * self.fps))


class WallClock:
    """Song time from a monotonic time source: silent mode, and the base of other clocks."""

    def __init__(self, time_source: TimeSource, start: float = 0.0) -> None:
        self._source = time_source
        self._origin = time_source() - start
        self._paused_at: float | None = None

    def now(self) -> float:
        if self._paused_at is not None:
            return self._paused_at
        return self._source() - self._origin

    @property
    def playing(self) -> bool:
        return self._paused_at is None

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self.now()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._origin = self._source() - self._paused_at
            self._paused_at = None

    def seek(self, t: float) -> None:
        t = max(0.0, t)
        if self._paused_at is not None:
            self._paused_at = t
        else:
            self._origin = self._source() - t


class OffsetClock:
    """Shifts another clock by the user's latency offset: a projector that shows frames 40 ms
    late needs frames drawn for 40 ms ahead (offset +0.04 s)."""

    def __init__(self, inner: Clock, offset: float) -> None:
        self.inner = inner
        self.offset = offset

    def now(self) -> float:
        return self.inner.now() + self.offset

    @property
    def playing(self) -> bool:
        return self.inner.playing

    def pause(self) -> None:
        self.inner.pause()

    def resume(self) -> None:
        self.inner.resume()

    def seek(self, t: float) -> None:
        self.inner.seek(t - self.offset)


class DevicePosition:
    """What the listener hears now, from the audio callback's reports (pure arithmetic).

    The sound card reports, for each buffer it asks for, the sample index at the buffer's start
    and the device time at which that sample will reach the speaker (the DAC time; PortAudio
    knows the output latency). Between callbacks, time runs on at the device's rate, so
    heard(t) = sample/rate + (t - dac_time). This is exact to the device's own clock, which is
    why the audio device, not the wall clock, picks the frame's time.
    """

    def __init__(self, samplerate: float) -> None:
        self.samplerate = samplerate
        self._sample = 0
        self._dac_time: float | None = None
        self._running = False
        self._start = 0

    def report(self, sample: int, dac_time: float, running: bool, start: int = 0) -> None:
        """`start` is the sample the current stretch of playing began at (after a resume or a
        seek): until it reaches the speaker the listener hears silence or the old place, and
        the clock holds there instead of running back by the output latency."""
        self._sample = sample
        self._dac_time = dac_time
        self._running = running
        self._start = start

    def heard(self, device_now: float) -> float:
        base = self._sample / self.samplerate
        if self._dac_time is None or not self._running:
            return base
        return max(0.0, self._start / self.samplerate, base + (device_now - self._dac_time))


class SteadyDac:
    """When each buffer really reaches the speaker, freed of the callback's wake-up jitter.

    A device plays its buffers back to back: the buffer after `n` frames reaches the speaker
    at t0 + n / rate, t0 fixed by the device. Some host APIs derive a buffer's DAC time from
    the moment its callback happened to run (PortAudio's JACK host adds a fixed latency to the
    time of the call), so a callback woken late by a busy scheduler reports its buffer late by
    as much, and the clock would stutter with it; none runs early. So the earliest t0 seen over
    the last `window` buffers is the device's own timing, and it follows the device's clock
    (its drift against the monotonic clock is parts per million) as the window slides.
    """

    def __init__(self, samplerate: float, window: int = 64) -> None:
        self.samplerate = samplerate
        self._window = window
        self._origins: list[float] = []
        self._frames = 0

    def buffer(self, dac_time: float, frames: int) -> float:
        """The steady DAC time of the buffer reported at `dac_time`, `frames` long."""
        elapsed = self._frames / self.samplerate
        self._origins.append(dac_time - elapsed)
        if len(self._origins) > self._window:
            del self._origins[0]
        self._frames += frames
        return min(self._origins) + elapsed
