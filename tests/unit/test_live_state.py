"""The live state reconciled into a reloaded show (pure: no files, no GL)."""

from __future__ import annotations

import pytest

from livesync.control.events import SelectScene, SetParam
from livesync.control.state import ControlState, ParamSpec, ScenePick


def spec(name: str, default: float = 0.5) -> ParamSpec:
    return ParamSpec(name, 0.0, 10.0, default, smoothing=0.0)


def test_a_pick_follows_its_scene_by_name() -> None:
    state = ControlState(scenes=("a", "b", "c"))
    state.apply(SelectScene("c", "osc"), at=4.0)
    assert state.reconcile(("c", "a"), {}, {}) == []
    assert state.pick == ScenePick(0, 4.0, 0.0)


def test_a_pick_whose_scene_is_gone_gives_way_to_the_cue_sheet() -> None:
    state = ControlState(scenes=("a", "b", "c"))
    state.apply(SelectScene(2, "midi note 38"), at=4.0)
    state.scene_changed = False
    lost = state.reconcile(("a", "b"), {}, {})
    assert lost == ["picked scene 'c' is gone; the cue sheet decides"]
    assert state.pick is None and state.scene == 0
    assert state.scene_changed  # controller LEDs follow
    assert not state.apply(SelectScene(2, "osc"), at=5.0).ok


def test_parameters_keep_values_drop_and_start_at_defaults() -> None:
    state = ControlState(scenes=("a",), params={"speed": spec("speed"), "glow": spec("glow")})
    state.apply(SetParam("speed", 9.0, "osc"))
    state.apply(SetParam("glow", 3.0, "osc"))
    state.step(0.1)
    lost = state.reconcile(("a",), {"speed": spec("speed"), "size": spec("size", 2.0)}, {})
    assert lost == ["parameter 'glow' is gone"]
    assert state.view().params == {"speed": pytest.approx(9.0)}  # only what was set live
    assert state.values["size"] == 2.0
    assert not state.apply(SetParam("glow", 1.0, "osc")).ok


def test_only_parameters_set_live_reach_the_frame() -> None:
    """Untouched parameters leave each scene's own values on screen, as a render shows them."""
    state = ControlState(scenes=("a",), params={"speed": spec("speed"), "glow": spec("glow")})
    assert state.view().params == {}
    state.apply(SetParam("glow", 3.0, "osc"))
    state.step(0.1)
    assert state.view().params == {"glow": 3.0}


def test_a_narrower_range_clamps_a_kept_value() -> None:
    state = ControlState(scenes=("a",), params={"speed": spec("speed")})
    state.apply(SetParam("speed", 9.0, "osc"))
    state.step(0.1)
    state.reconcile(("a",), {"speed": ParamSpec("speed", 0.0, 4.0, 1.0, smoothing=0.0)}, {})
    assert state.view().params["speed"] == 4.0


def test_cues_are_replaced() -> None:
    state = ControlState(scenes=("a", "b"), cues={"drop": "b"})
    state.reconcile(("a", "b"), {}, {"intro": "a"})
    assert state.cues == {"intro": "a"}
