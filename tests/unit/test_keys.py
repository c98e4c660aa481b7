"""Number keys pick scenes through the same control path as OSC and MIDI, and crossfade."""

from __future__ import annotations

from livesync.control.events import SelectScene
from livesync.control.keys import KEYMAP, SCENE_KEY_FADE
from livesync.control.state import ControlState
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline


def test_number_keys_are_scene_picks_with_a_fade() -> None:
    assert KEYMAP["1"] == SelectScene(0, "key 1", fade=SCENE_KEY_FADE)
    assert KEYMAP["9"] == SelectScene(8, "key 9", fade=SCENE_KEY_FADE)
    assert KEYMAP["0"] == SelectScene(9, "key 0", fade=SCENE_KEY_FADE)


def test_a_key_pick_crossfades_where_an_osc_pick_cuts() -> None:
    song = Performance(Timeline((), (), 60.0), None, scenes=("verse", "chorus"))
    state = ControlState(scenes=("verse", "chorus"))
    key = KEYMAP["2"]
    assert isinstance(key, SelectScene)
    assert state.apply(key, at=10.0).message == "scene -> chorus (key 2)"
    halfway = song.state_at(10.0 + SCENE_KEY_FADE / 2, live=state.view()).scene
    assert halfway.current == 1 and halfway.previous == 0 and 0.0 < halfway.mix < 1.0
    assert song.state_at(10.0 + SCENE_KEY_FADE, live=state.view()).scene.mix == 1.0
    state.apply(SelectScene("verse", "osc /livesync/scene"), at=20.0)
    assert song.state_at(20.0, live=state.view()).scene.current == 0  # a cut: at once


def test_a_key_for_a_scene_the_show_lacks_is_dropped() -> None:
    state = ControlState(scenes=("verse", "chorus"))
    applied = state.apply(KEYMAP["5"], at=1.0)  # type: ignore[arg-type]
    assert not applied.ok and state.pick is None
