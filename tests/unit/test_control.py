"""Control state: scenes, parameters with smoothing and soft takeover, transport, the queue."""

from __future__ import annotations

import threading

import pytest

from livesync.control.events import (
    EventQueue,
    SelectScene,
    SetOffset,
    SetParam,
    SetParamNormalized,
    Transport,
    TriggerCue,
)
from livesync.control.state import ControlState, ParamSpec


def state() -> ControlState:
    return ControlState(
        scenes=("verse", "break", "chorus"),
        params={
            "speed": ParamSpec("speed", 0.0, 2.0, 1.0),
            "glow": ParamSpec("glow", 0.0, 1.0, 0.0, curve="exp", smoothing=0.0),
        },
        cues={"drop": "chorus"},
    )


def test_scenes_by_name_index_and_cue() -> None:
    s = state()
    assert (
        s.apply(SelectScene("chorus", "osc /livesync/scene")).message
        == "scene -> chorus (osc /livesync/scene)"
    )
    assert s.scene == 2
    assert s.apply(SelectScene(1, "midi note 37")).ok and s.scene == 1
    assert not s.apply(SelectScene("nope", "osc")).ok and s.scene == 1
    assert not s.apply(SelectScene(7, "osc")).ok
    assert s.apply(TriggerCue("drop", "osc")).ok and s.scene == 2
    assert not s.apply(TriggerCue("intro", "osc")).ok


def test_params_clamp_and_smooth() -> None:
    s = state()
    assert s.apply(SetParam("speed", 5.0, "osc")).message == "param speed -> 2 (osc)"
    s.step(0.05)  # one time constant
    assert s.values["speed"] == pytest.approx(1.0 + (2.0 - 1.0) * 0.632, abs=0.01)
    s.step(1.0)
    assert s.values["speed"] == pytest.approx(2.0, abs=1e-6)
    assert not s.apply(SetParam("speed", float("nan"), "osc")).ok
    assert not s.apply(SetParam("missing", 1.0, "osc")).ok


def test_knob_curve_and_soft_takeover() -> None:
    s = state()
    knob = "cc 21"
    # glow is at 0.0; a knob first seen at 0.5 has not reached it: ignored...
    assert not s.apply(SetParamNormalized("glow", 0.5, "midi", knob)).ok
    assert s.targets["glow"] == 0.0
    s.apply(SetParamNormalized("glow", 0.02, "midi", knob))  # ...until it is near
    assert s.targets["glow"] == pytest.approx(0.02**2)
    s.apply(SetParamNormalized("glow", 0.5, "midi", knob))  # now it follows
    assert s.targets["glow"] == pytest.approx(0.25)  # exp curve
    s.apply(SetParam("glow", 1.0, "osc"))  # moved elsewhere
    assert not s.apply(SetParamNormalized("glow", 0.6, "midi", knob)).ok
    assert s.targets["glow"] == 1.0
    s.apply(SetParamNormalized("glow", 0.99, "midi", knob))  # within the window
    assert s.targets["glow"] == pytest.approx(0.99**2)


def test_knob_that_jumps_across_the_value_picks_it_up() -> None:
    s = state()
    s.apply(SetParamNormalized("speed", 0.2, "midi", "cc 1"))  # far below 0.5
    assert s.targets["speed"] == 1.0
    s.apply(SetParamNormalized("speed", 0.7, "midi", "cc 1"))  # crossed 0.5
    assert s.targets["speed"] == pytest.approx(1.4)


def test_transport_and_offset() -> None:
    s = state()
    assert s.apply(Transport("seek", "osc", 12.5)).message == "transport seek 12.500 s (osc)"
    assert not s.apply(Transport("seek", "osc", None)).ok
    assert not s.apply(Transport("rewind", "osc")).ok
    assert [t.action for t in s.take_transport()] == ["seek"]
    assert s.take_transport() == []
    assert s.apply(SetOffset(40, "osc")).ok and s.offset_ms == 40
    assert not s.apply(SetOffset(9999, "osc")).ok


def test_queue_is_bounded_and_thread_safe() -> None:
    q = EventQueue(capacity=1000)

    def flood() -> None:
        for i in range(5000):
            q.put(SetParam("speed", float(i), "osc"))

    threads = [threading.Thread(target=flood) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = q.drain()
    assert len(events) == 1000 and q.dropped == 19000
    assert q.drain() == []


def test_presets_address_parameters_by_position() -> None:
    s = state()
    assert s.apply(SetParam("$1", 1.5, "midi")).message == "param speed -> 1.5 (midi)"
    assert s.apply(SetParamNormalized("$2", 0.0, "midi", "cc 2")).ok  # glow is at 0
    assert not s.apply(SetParam("$3", 1.0, "midi")).ok
