"""Clocks driven by hand: no test waits for real time here."""

from __future__ import annotations

import pytest

from livesync.control.keys import Action, apply_transport
from livesync.frame.pacing import FrameTimer
from livesync.sync.clock import DevicePosition, FixedStepClock, OffsetClock, WallClock


class FakeTime:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_wall_clock_runs_pauses_and_seeks() -> None:
    src = FakeTime()
    clock = WallClock(src)
    src.t += 2.5
    assert clock.now() == pytest.approx(2.5)
    clock.pause()
    src.t += 10
    assert clock.now() == pytest.approx(2.5)
    assert not clock.playing
    clock.resume()
    src.t += 1
    assert clock.now() == pytest.approx(3.5)
    clock.seek(40.0)
    src.t += 0.5
    assert clock.now() == pytest.approx(40.5)
    clock.seek(-3)
    assert clock.now() == 0.0


def test_fixed_step_clock_is_frame_exact() -> None:
    clock = FixedStepClock(30)
    for _ in range(90):
        clock.advance()
    assert clock.now() == 3.0
    clock.seek(1.0)
    assert clock.frame == 30


def test_offset_clock_shifts_time_but_seeks_to_song_time() -> None:
    src = FakeTime()
    clock = OffsetClock(WallClock(src), -0.05)
    src.t += 1.0
    assert clock.now() == pytest.approx(0.95)
    clock.seek(10.0)
    assert clock.now() == pytest.approx(10.0)


def test_device_position_extrapolates_from_the_dac_time() -> None:
    pos = DevicePosition(48000)
    pos.report(sample=48000, dac_time=20.0, running=True)  # sample 1 s is heard at t=20
    assert pos.heard(20.0) == pytest.approx(1.0)
    assert pos.heard(20.25) == pytest.approx(1.25)
    assert pos.heard(19.99) == pytest.approx(0.99)  # output latency: not heard yet
    pos.report(sample=48000, dac_time=20.0, running=False)
    assert pos.heard(25.0) == pytest.approx(1.0)  # paused: frozen


def test_transport_keys() -> None:
    src = FakeTime()
    clock = WallClock(src, start=20.0)
    apply_transport(Action.SEEK_FORWARD, clock, duration=22.0)
    assert clock.now() == pytest.approx(22.0)  # clamped to the song
    apply_transport(Action.SEEK_BACK, clock, duration=22.0)
    assert clock.now() == pytest.approx(17.0)
    apply_transport(Action.TOGGLE_PAUSE, clock, 22.0)
    assert not clock.playing
    apply_transport(Action.TOGGLE_PAUSE, clock, 22.0)
    assert clock.playing
    apply_transport(Action.RESTART, clock, 22.0)
    assert clock.now() == pytest.approx(0.0)


def test_frame_timer_counts_frames_in_the_last_second() -> None:
    timer = FrameTimer(refresh_hz=60)
    for i in range(121):
        timer.tick(i / 60)
    assert timer.fps == pytest.approx(60.0)
    assert timer.dropped == 0
    assert timer.percentiles()[0] == pytest.approx(1 / 60)


def test_frame_timer_counts_missed_refreshes_and_percentiles() -> None:
    timer = FrameTimer(refresh_hz=60)
    t = 0.0
    for i in range(200):
        t += 3 / 60 if i == 100 else 1 / 60  # one frame took three refreshes
        timer.tick(t)
    assert timer.dropped == 2
    p50, _, worst = timer.percentiles()
    assert p50 == pytest.approx(1 / 60) and worst == pytest.approx(3 / 60)
