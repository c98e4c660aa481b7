"""The DAW-following clock, driven by simulated report streams (no real time passes)."""

from __future__ import annotations

import random

import pytest

from livesync.sync.follow import FollowClock


class Local:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def run(
    clock: FollowClock,
    local: Local,
    seconds: float,
    song_start: float,
    jitter: float = 0.005,
    rate: float = 1.0,
    every: float = 0.1,
    seed: int = 1,
) -> list[float]:
    """Feed 10 Hz reports with uniform arrival jitter; return |error| at each 60 Hz frame."""
    rng = random.Random(seed)
    start = local.t
    next_report = start
    errors = []
    frame = 1 / 60
    steps = int(seconds / frame)
    pending: list[tuple[float, float]] = []
    for n in range(1, steps + 1):
        now = start + n * frame
        while next_report <= now:
            arrival = next_report + rng.uniform(0, 2 * jitter)
            pending.append((arrival, song_start + (next_report - start) * rate))
            next_report += every
        for arrival, song in sorted(p for p in pending if p[0] <= now):
            local.t = arrival
            clock.report(song)
            pending.remove((arrival, song))
        local.t = now
        errors.append(abs(clock.now() - (song_start + (now - start) * rate)))
    return errors


def test_smooths_jittered_reports_within_a_frame() -> None:
    local = Local()
    clock = FollowClock(local)
    errors = run(clock, local, 30.0, song_start=12.0)
    settled = errors[60:]  # after the first second
    assert sum(settled) / len(settled) < 0.006
    assert max(settled) < 1 / 60


def test_follows_a_daw_running_slightly_fast() -> None:
    local = Local()
    clock = FollowClock(local)
    errors = run(clock, local, 30.0, song_start=0.0, rate=1.002)
    assert max(errors[600:]) < 0.01


def test_a_seek_jumps_at_once_and_small_errors_never_jump() -> None:
    local = Local()
    clock = FollowClock(local)
    run(clock, local, 5.0, song_start=0.0)
    assert clock.seeks == 0
    clock.report(60.0)  # the performer jumped to the chorus
    assert clock.now() == pytest.approx(60.0)
    assert clock.seeks == 1
    before = clock.now()
    local.t += 0.1
    clock.report(before + 0.1 + 0.05)  # 50 ms off: slewed, not jumped
    assert clock.now() == pytest.approx(before + 0.1, abs=0.001)


def test_freewheels_through_a_dropout_and_stops_on_stop() -> None:
    local = Local()
    clock = FollowClock(local)
    run(clock, local, 3.0, song_start=0.0)
    t = clock.now()
    local.t += 5.0  # no reports for 5 s
    assert clock.now() == pytest.approx(t + 5.0, abs=0.06)
    clock.report(clock.now(), playing=False)
    frozen = clock.now()
    local.t += 1.0
    assert clock.now() == frozen and not clock.playing
    clock.report(frozen)  # play again
    local.t += 0.5
    assert clock.now() == pytest.approx(frozen + 0.5)


def test_time_never_runs_backwards_while_following() -> None:
    local = Local()
    clock = FollowClock(local)
    rng = random.Random(3)
    last = -1.0
    song = 0.0
    for _ in range(2000):
        local.t += 1 / 60
        song += 1 / 60
        if rng.random() < 0.1:
            clock.report(song + rng.uniform(-0.005, 0.005))
        t = clock.now()
        assert t >= last
        last = t
