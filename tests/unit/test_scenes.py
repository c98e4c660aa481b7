"""Scenes and cues are decided from the time alone; a hand-picked scene is one more cue."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.show.scenes import CueSheet, SceneCue, SceneMix, Tempo
from livesync.show.show_file import load_show


def test_cuts_and_crossfades() -> None:
    sheet = CueSheet([SceneCue(10.0, 1), SceneCue(20.0, 2, fade=2.0)], first_scene=0)
    assert sheet.at(5.0) == SceneMix(0)
    assert sheet.at(10.0) == SceneMix(1)  # a cut lands exactly on its time
    assert sheet.at(19.99) == SceneMix(1)
    mid = sheet.at(21.0)
    fields: tuple[object, ...] = (mid.current, mid.previous, mid.mix)
    assert fields == (2, 1, pytest.approx(0.5))
    early = sheet.at(20.2)
    assert 0.0 < early.mix < 0.1  # smooth start, no jump
    assert sheet.at(22.0) == SceneMix(2)


def test_a_hand_picked_scene_holds_until_the_next_cue() -> None:
    sheet = CueSheet([SceneCue(10.0, 1), SceneCue(30.0, 2)])
    manual = SceneCue(15.0, 3, fade=1.0)
    assert sheet.at(14.0, manual) == SceneMix(1)  # before it was picked
    assert sheet.at(15.5, manual) == SceneMix(3, 1, 0.5)
    assert sheet.at(25.0, manual) == SceneMix(3)
    assert sheet.at(31.0, manual) == SceneMix(2)  # the next cue takes over


def test_tempo_places_bars_and_beats() -> None:
    tempo = Tempo(bpm=120, downbeat=1.5, beats_per_bar=4)
    assert tempo.bar_start(1) == 1.5
    assert tempo.bar_start(3) == pytest.approx(5.5)
    assert tempo.beats(4) == pytest.approx(2.0)


SHOW = """
[track]
audio = "a.wav"
timeline = "t.json"
bpm = 120
downbeat = 1.0
[[scenes]]
name = "intro"
background = "backgrounds/aurora.glsl"
[[scenes]]
name = "chorus"
background = "backgrounds/plasma.glsl"
character = false
[[cues]]
bar = 3
scene = "chorus"
fade_beats = 2
[[cues]]
at = 20.5
scene = "intro"
"""


def test_show_scenes_and_cues(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(SHOW)
    show = load_show(path)
    assert [s.name for s in show.scenes] == ["intro", "chorus"]
    assert not show.scenes[1].character
    assert show.cues == (SceneCue(5.0, 1, 1.0), SceneCue(20.5, 0, 0.0))


@pytest.mark.parametrize(
    "change, needle",
    [
        (('scene = "chorus"', 'scene = "verse"'), "cues[0].scene: no scene named 'verse'"),
        (("bpm = 120\n", ""), "cues[0].bar: needs the tempo"),
        (("at = 20.5", "at = 20.5\nbar = 2"), "cues[1]: give exactly one of"),
        (('name = "chorus"', 'name = "intro"'), "scenes[1].name: scene 'intro' is defined twice"),
    ],
)
def test_bad_scenes_and_cues(tmp_path: Path, change: tuple[str, str], needle: str) -> None:
    path = tmp_path / "show.toml"
    path.write_text(SHOW.replace(*change))
    with pytest.raises(InputError) as err:
        load_show(path)
    assert needle in str(err.value)


def test_beat_and_bar_phase_follow_the_tempo() -> None:
    from livesync.frame.performance import Performance
    from livesync.lipsync.timeline import Timeline

    perf = Performance(Timeline((), (), 10.0), None, tempo=Tempo(bpm=120, downbeat=1.0))
    bpm, beat, bar = perf.state_at(1.0 + 0.5 * 5 + 0.25).beat  # 5.5 beats after bar 1
    assert bpm == 120 and beat == pytest.approx(0.5) and bar == pytest.approx(1.5 / 4)
    assert Performance(Timeline((), (), 1.0), None).state_at(0.3).beat == (0.0, 0.0, 0.0)
