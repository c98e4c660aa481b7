"""MIDI learn: the next suitable control touched is mapped, and the TOML reads back."""

from __future__ import annotations

import tomllib

from livesync.control.learn import LearnSession, Target
from livesync.control.midi_map import parse_mapping


def test_learn_scenes_and_params_and_read_them_back() -> None:
    session = LearnSession(
        [Target("scene", "verse"), Target("scene", "chorus"), Target("param", "speed")]
    )
    assert not session.offer("note_on", 0, 36, 0)  # a release is not a press
    assert not session.offer("pitchwheel", 0, 0, 0)
    assert session.offer("note_on", 0, 36, 100)
    assert session.offer("control_change", 1, 33, 127)  # a CC button works for scenes
    assert not session.offer("note_on", 0, 40, 100)  # a parameter needs a knob
    assert session.offer("control_change", 0, 21, 64)
    assert session.current is None and not session.offer("control_change", 0, 1, 1)
    mapping = parse_mapping(tomllib.loads(session.to_toml())["midi"])
    assert mapping.route("note_on", 0, 36, 90) is not None
    assert mapping.route("control_change", 1, 33, 127) is not None
    assert mapping.route("control_change", 0, 21, 10) is not None


def test_skipping_leaves_a_target_out() -> None:
    session = LearnSession([Target("scene", "a"), Target("scene", "b")])
    session.skip()
    session.offer("note_on", 0, 1, 1)
    assert [t.name for t, *_ in session.learned] == ["b"]
