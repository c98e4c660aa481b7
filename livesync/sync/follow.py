"""A clock that follows a DAW: coarse, jittered position reports in, a steady time out.

A DAW reports its playhead a few times a second (Ableton Live through AbletonOSC about every
100 ms, Reaper on every /time message), and each report reaches us with some network or
scheduler jitter. Drawing frames straight from the last report would stutter; this clock
runs on the local monotonic time between reports and steers toward them:

- small errors (under `seek_threshold`) are corrected by slewing the rate, within
  ±`max_slew` (1%), from a low-pass filtered error, so jitter does not shake the picture;
- a report far from the estimate is a seek (or the song restarted): jump to it at once;
- between reports, and through a dropout, it freewheels at its current rate;
- transport stop freezes it; play resumes from the next report.

It is pure: the local time source is injected, and tests drive it with simulated streams.
"""

from __future__ import annotations

from dataclasses import dataclass

from livesync.sync.clock import TimeSource


@dataclass(frozen=True)
class FollowSettings:
    seek_threshold: float = 0.25  # seconds off: treat as a jump, not drift
    max_slew: float = 0.01  # the rate stays within 1 ± this
    horizon: float = 0.5  # seconds over which a measured error is worked off
    smoothing: float = 0.25  # weight of a new error measurement in the filtered error
    freewheel: float = 2.0  # seconds without reports before the rate settles to 1


class FollowClock:
    """Implements the Clock protocol; `report()` feeds it the DAW's playhead."""

    def __init__(self, time_source: TimeSource, settings: FollowSettings | None = None) -> None:
        self._source = time_source
        self.settings = settings or FollowSettings()
        self._base = 0.0  # song time at local time _base_at
        self._base_at = time_source()
        self._rate = 1.0
        self._error = 0.0  # filtered error (report - estimate)
        self._playing = False
        self._last_report_at: float | None = None
        self.seeks = 0

    def _estimate(self, at: float) -> float:
        if not self._playing:
            return self._base
        elapsed = at - self._base_at
        if self._last_report_at is not None and at - self._last_report_at > self.settings.freewheel:
            # A long dropout: stop steering, run at nominal speed from the last estimate.
            rate_until = self._last_report_at + self.settings.freewheel - self._base_at
            return self._base + self._rate * max(0.0, rate_until) + (elapsed - max(0.0, rate_until))
        return self._base + self._rate * elapsed

    def now(self) -> float:
        return self._estimate(self._source())

    @property
    def playing(self) -> bool:
        return self._playing

    def report(self, song_time: float, playing: bool = True, at: float | None = None) -> None:
        """The DAW says its playhead is at `song_time` (received at local time `at`)."""
        at = self._source() if at is None else at
        if not playing:
            self._base, self._base_at, self._playing = song_time, at, False
            self._last_report_at = at
            return
        if not self._playing:
            self._jump(song_time, at)
            return
        estimate = self._estimate(at)
        error = song_time - estimate
        if abs(error) > self.settings.seek_threshold:
            self.seeks += 1
            self._jump(song_time, at)
            return
        s = self.settings
        self._error += s.smoothing * (error - self._error)
        self._base, self._base_at = estimate, at  # continue from where we are
        correction = self._error / s.horizon
        self._rate = 1.0 + max(-s.max_slew, min(s.max_slew, correction))
        self._last_report_at = at

    def _jump(self, song_time: float, at: float) -> None:
        self._base, self._base_at = song_time, at
        self._rate, self._error = 1.0, 0.0
        self._playing = True
        self._last_report_at = at

    # The Clock protocol's transport: a followed clock obeys the DAW, not local keys, but
    # pausing locally (a performer's panic button) still freezes the picture.
    def pause(self) -> None:
        at = self._source()
        self._base, self._base_at, self._playing = self._estimate(at), at, False

    def resume(self) -> None:
        at = self._source()
        self._base_at, self._playing = at, True

    def seek(self, t: float) -> None:
        self._jump(t, self._source())
