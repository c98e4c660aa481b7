"""The per-frame control wiring (livesync.app.live), driven by hand: events become scene
changes, parameter values, transport and offset; DAW reports move the follow clock."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from livesync.app.live import LiveControl, control_state
from livesync.app.logs import Throttle
from livesync.control.events import EventQueue, SelectScene, SetOffset, SetParam, Transport
from livesync.control.osc_map import SyncReport
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.show.scenes import Scene, SceneCue
from livesync.show.show_file import Show
from livesync.sync.clock import OffsetClock, WallClock
from livesync.sync.follow import FollowClock


class Wall:
    def __init__(self) -> None:
        self.t = 50.0

    def __call__(self) -> float:
        return self.t


def setup(
    shader_params: dict[str, tuple[float, float, float]] | None = None,
) -> tuple[LiveControl, Performance, Wall]:
    scenes = (Scene("verse", Path("a.glsl")), Scene("chorus", Path("b.glsl")))
    show = Show(Path("a.wav"), Path("t.json"), scenes, cues=(SceneCue(30.0, 1, 0, "drop"),))
    perf = Performance(Timeline((), (), 60.0), None, scenes=("verse", "chorus"))
    wall = Wall()
    live = LiveControl(show, control_state(show, shader_params or {}), EventQueue(), wall)
    return live, perf, wall


def test_events_steer_the_show_and_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    live, perf, wall = setup({"glow": (0.0, 1.0, 0.2)})
    clock = WallClock(wall)
    live.offset = OffsetClock(clock, 0.0)
    for event in (
        SelectScene("chorus", "osc /livesync/scene"),
        SetParam("glow", 0.9, "osc"),
        Transport("seek", "osc", 12.0),
        SetOffset(40, "osc"),
        SelectScene("nope", "osc"),
    ):
        live.queue.put(event)
    with caplog.at_level(logging.DEBUG, logger="livesync"):
        live.update(clock)
    messages = [r.getMessage() for r in caplog.records]
    assert "scene -> chorus (osc /livesync/scene)" in messages
    assert any(m.startswith("param glow -> 0.9") for m in messages)
    assert "dropped: unknown scene 'nope'" in messages
    assert perf.state_at(clock.now(), live=live.view()).scene.current == 1  # in this frame
    assert clock.now() == pytest.approx(12.0)
    assert live.offset.offset == pytest.approx(0.04)
    wall.t += 1.0
    live.update(clock)
    assert live.view().params["glow"] == pytest.approx(0.9, abs=0.01)  # smoothed into place


def test_daw_reports_drive_the_follow_clock() -> None:
    live, _, wall = setup()
    live.follow = follow = FollowClock(wall)
    for i in range(20):
        wall.t += 0.1
        live.on_osc_sync(SyncReport("reaper /time", song_time=5.0 + i * 0.1))
        live.update(follow)
    assert follow.now() == pytest.approx(6.9, abs=0.01)
    live.on_osc_sync(SyncReport("reaper /stop", playing=False))
    live.update(follow)
    frozen = follow.now()
    wall.t += 1.0
    live.update(follow)
    assert follow.now() == frozen and not follow.playing
    live.on_osc_sync(SyncReport("reaper /time", song_time=30.0))  # moved while stopped
    live.update(follow)
    assert follow.now() == pytest.approx(30.0) and not follow.playing
    live.on_osc_sync(SyncReport("reaper /play", playing=True))
    live.on_osc_sync(SyncReport("reaper /time", song_time=30.0))
    live.update(follow)
    wall.t += 0.5
    assert follow.now() == pytest.approx(30.5, abs=0.01)


def test_a_link_session_sets_the_beat_uniforms() -> None:
    """A stand-in for livesync.devices.link.LinkSource (joining a real Link session would
    announce itself on the network): its state reaches the frame's beat values."""
    from livesync.devices.link import LinkState

    class FakeLink:
        def state(self) -> LinkState:
            return LinkState(bpm=128.0, beat=17.25, phase=1.25, quantum=4.0, peers=1)

        def close(self) -> None:
            pass

    live, perf, wall = setup()
    live.link = FakeLink()  # type: ignore[assignment]
    live.update(WallClock(wall))
    assert perf.state_at(3.0, live=live.view()).beat == (128.0, 0.25, 1.25 / 4)


def test_a_flood_of_applied_events_is_a_few_lines_and_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    live, _, wall = setup({"glow": (0.0, 1.0, 0.2)})
    clock = WallClock(wall)
    with caplog.at_level(logging.INFO, logger="livesync"):
        for _ in range(30):  # 30 frames of 1000 messages each, 0.5 s apart
            for i in range(1000):
                live.queue.put(SetParam("glow", i / 1000, "osc"))
            live.update(clock)
            wall.t += 0.5
        live.update(clock)  # the flood is over: its last count
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) < 400  # not 30,000
    counts = [m for m in messages if m.startswith("... and ")]
    assert counts and all(
        m.endswith("more control messages applied (not each logged)") for m in counts
    )
    shown = sum(1 for m in messages if m.startswith("param glow"))
    total = shown + sum(int(m.split()[2]) for m in counts)
    assert total == 30_000  # every applied message is a line or in a count


def test_throttle_lets_bursts_through_and_counts_the_rest() -> None:
    throttle = Throttle(burst=3, window=1.0)
    assert [throttle.allow(0.1 * i) for i in range(5)] == [True, True, True, False, False]
    assert throttle.summary(0.5) is None  # the window is still open
    assert throttle.summary(1.2) == "... and 2 more control messages applied (not each logged)"
    assert throttle.summary(5.0) is None
    assert throttle.allow(5.0)
