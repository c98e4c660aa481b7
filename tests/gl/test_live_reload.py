"""A show file saved while it plays, with control events arriving in the same frames: the
reload swaps in a complete new show, the live state (picked scene, parameter values) is
reconciled into it, and every frame still draws.

Events come from the product's own converters (OscRouter for OSC addresses, a MidiMapping
for MIDI notes and CCs) into the real queue; files are saved with fake modification times so
nothing sleeps. Each scene paints a flat colour, so the pixel says which scene is on screen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.app.live import LiveControl, control_state
from livesync.app.reload import LiveShow, Reloader
from livesync.control.events import EventQueue
from livesync.control.midi_map import parse_mapping
from livesync.control.osc_map import OscRouter
from livesync.devices.file_watch import FileWatcher
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.scenes import CueSheet
from livesync.show.show_file import load_show
from livesync.sync.clock import WallClock

pytestmark = pytest.mark.gl
SIZE = (16, 16)
COLOURS = {"red": "1.0, 0.0, 0.0", "green": "0.0, 1.0, 0.0", "blue": "0.0, 0.0, 1.0"}
SHADER = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"
MIDI = parse_mapping(
    {
        "scenes": [{"note": 36 + i, "scene": i} for i in range(3)],
        "params": [{"cc": 48, "param": "$1"}],
    }
)


def show_text(scenes: list[str], params: list[str], cues: int = 0) -> str:
    text = '[track]\naudio = "a.wav"\ntimeline = "t.json"\n'
    for name in scenes:
        text += f'[[scenes]]\nname = "{name}"\nbackground = "{name}.glsl"\ncharacter = false\n'
    for name in params:
        text += f'[[params]]\nname = "{name}"\nmin = 0\nmax = 10\ndefault = 5\n'
    for i in range(cues):
        text += f'[[cues]]\nat = {50 + i}\nscene = "{scenes[i % len(scenes)]}"\n'
    return text


class Stage:
    """A running show: files on disk, renderer, live control and reloader, one frame at a
    time on a hand-driven wall clock."""

    def __init__(self, tmp_path: Path, scenes: list[str], params: list[str]) -> None:
        self.times: dict[Path, float] = {}
        for name, rgb in COLOURS.items():
            self.save(tmp_path / f"{name}.glsl", SHADER.format(rgb))
        self.path = tmp_path / "show.toml"
        self.save(self.path, show_text(scenes, params))
        show = load_show(self.path)
        self.ctx = create_headless_context()
        renderer = Renderer(self.ctx, show.scenes, show.character)
        performance = Performance(
            Timeline((), (), 600.0),
            None,
            cues=CueSheet(show.cues),
            scenes=tuple(s.name for s in show.scenes),
        )
        self.live = LiveShow(show, renderer, performance)
        self.wall = 100.0
        self.clock = WallClock(lambda: self.wall)
        self.control = LiveControl(
            show, control_state(show, renderer.params), EventQueue(), lambda: self.wall
        )
        watcher = FileWatcher(
            [*(tmp_path / f"{n}.glsl" for n in COLOURS), self.path], stat=self.times.get
        )
        self.reloader = Reloader(self.live, watcher, control=self.control)
        self.target = OffscreenTarget(self.ctx, SIZE)
        self.osc = OscRouter()

    def save(self, path: Path, text: str) -> None:
        path.write_text(text)
        self.times[path] = self.times.get(path, 0.0) + 1.0

    def send_osc(self, address: str, *args: Any) -> None:
        event = self.osc.route(address, list(args))
        assert event is not None
        self.control.queue.put(event)  # type: ignore[arg-type]

    def send_midi(self, kind: str, number: int, value: int = 127) -> None:
        event = MIDI.route(kind, 0, number, value)
        assert event is not None
        self.control.queue.put(event)

    def frame(self) -> str:
        """One pass of the frame loop's body; the name of the colour on screen."""
        self.wall += 1 / 60
        self.reloader.poll(self.wall)
        self.control.update(self.clock)
        state = self.live.performance.state_at(self.clock.now(), 1 / 60, 0, self.control.view())
        self.target.use()
        self.live.renderer.render(state, SIZE)
        pixel = np.frombuffer(self.target.read_rgb(), np.uint8)[:3]
        for name, rgb in COLOURS.items():
            if list(pixel) == [round(255 * float(v)) for v in rgb.split(",")]:
                return name
        raise AssertionError(f"unexpected colour {pixel}")


def test_a_reload_that_removes_the_picked_scene_falls_back_to_the_cue_sheet(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stage = Stage(tmp_path, ["red", "green", "blue"], [])
    assert stage.frame() == "red"
    stage.send_osc("/livesync/scene", "blue")
    assert stage.frame() == "blue"
    stage.save(stage.path, show_text(["red", "green"], []))
    stage.wall += 1.0
    stage.send_osc("/livesync/scene", 2)  # arrive with the reload: no such scene any more
    stage.send_midi("note_on", 38)
    with caplog.at_level(logging.DEBUG, logger="livesync"):
        assert stage.frame() == "red"  # the cue sheet's scene
    messages = [r.getMessage() for r in caplog.records]
    assert any("picked scene 'blue' is gone" in m for m in messages)
    assert "dropped: unknown scene 2" in messages
    stage.send_midi("note_on", 37)  # MIDI still picks what exists
    assert stage.frame() == "green"


def test_a_picked_scene_follows_its_name_and_a_renamed_one_gives_way(tmp_path: Path) -> None:
    stage = Stage(tmp_path, ["red", "green", "blue"], [])
    stage.send_midi("note_on", 38)
    assert stage.frame() == "blue"
    stage.save(stage.path, show_text(["blue", "red"], []))  # reordered: blue is now first
    stage.wall += 1.0
    stage.send_osc("/livesync/param/nothing", 1.0)
    assert stage.frame() == "blue"
    assert stage.control.state.pick is not None and stage.control.state.pick.scene == 0
    renamed = show_text(["blue", "red"], []).replace('name = "blue"', 'name = "azure"')
    stage.save(stage.path, renamed)
    stage.wall += 1.0
    stage.send_midi("control_change", 48, 64)
    assert stage.frame() == "blue"  # scene 0 by the cue sheet, now named azure
    assert stage.control.state.pick is None


def test_parameters_keep_their_values_vanish_or_start_at_their_defaults(tmp_path: Path) -> None:
    stage = Stage(tmp_path, ["red"], ["speed", "glow"])
    stage.send_osc("/livesync/param/speed", 9.0)
    stage.send_osc("/livesync/param/glow", 1.0)
    for _ in range(60):
        stage.frame()
    stage.save(stage.path, show_text(["red"], ["speed", "size"]))
    stage.wall += 1.0
    stage.send_osc("/livesync/param/glow", 2.0)  # in the same frame as the reload
    stage.send_midi("control_change", 48, 127)  # $1 is speed: soft takeover re-armed
    assert stage.frame() == "red"
    assert set(stage.control.view().params) == {"speed"}  # glow is gone; size untouched
    assert stage.control.view().params["speed"] == pytest.approx(9.0, abs=0.05)
    assert stage.control.state.values["size"] == pytest.approx(5.0)


def test_changing_the_number_of_cues_swaps_the_cue_sheet(tmp_path: Path) -> None:
    stage = Stage(tmp_path, ["red", "green", "blue"], [])
    stage.send_osc("/livesync/scene", "green")
    assert stage.frame() == "green"
    stage.save(stage.path, show_text(["red", "green", "blue"], [], cues=3))
    stage.wall += 1.0
    stage.send_midi("note_on", 38)
    assert stage.frame() == "blue"
    assert len(stage.live.performance.cues.cues) == 3
    stage.wall = 100.0 + 50.5  # past the first new cue (red at 50 s)
    assert stage.frame() == "red"
    stage.save(stage.path, show_text(["red", "green", "blue"], [], cues=0))
    stage.wall += 1.0
    assert stage.frame() == "blue"  # no cue after the pick any more: the pick stands
    assert stage.live.performance.cues.cues == []


def test_a_show_that_fails_to_build_leaves_the_live_state_alone(tmp_path: Path) -> None:
    stage = Stage(tmp_path, ["red", "green"], ["speed"])
    stage.send_osc("/livesync/scene", "green")
    stage.frame()
    show, renderer = stage.live.show, stage.live.renderer
    broken = show_text(["red", "green"], ["speed"]).replace("green.glsl", "missing.glsl")
    stage.save(stage.path, broken)
    stage.wall += 1.0
    assert stage.frame() == "green"
    assert stage.live.show is show and stage.live.renderer is renderer
    assert stage.reloader.error is not None and "missing.glsl" in stage.reloader.error


LEVEL = (
    "uniform float level;\n"
    "void mainImage(out vec4 c, in vec2 p) { c = vec4(level, 0.0, 0.0, 1.0); }\n"
)
LEVEL_SHOW = """[track]
audio = "a.wav"
timeline = "t.json"
[[params]]
name = "level"
default = 1.0
smoothing = 0
[[scenes]]
name = "own"
background = "level.glsl"
character = false
params = { level = 0.5 }
[[scenes]]
name = "plain"
background = "level.glsl"
character = false
"""


def test_scene_values_hold_live_until_a_control_sets_the_parameter(tmp_path: Path) -> None:
    """Live and offline draw the same picture until the performer moves something: a scene's
    own value, else the show's declared default; then the live value, in every scene."""
    (tmp_path / "level.glsl").write_text(LEVEL)
    (tmp_path / "show.toml").write_text(LEVEL_SHOW)
    show = load_show(tmp_path / "show.toml")
    ctx = create_headless_context()
    renderer = Renderer(ctx, show.scenes, show.character)
    song = Performance(Timeline((), (), 60.0), None, scenes=("own", "plain"))
    control = LiveControl(show, control_state(show, renderer.params), EventQueue(), lambda: 0.0)
    target = OffscreenTarget(ctx, SIZE)
    clock = WallClock(lambda: 1.0)

    def red(scene: str | None = None) -> int:
        if scene is not None:
            control.queue.put(OscRouter().route("/livesync/scene", [scene]))  # type: ignore[arg-type]
        control.update(clock)
        target.use()
        renderer.render(song.state_at(1.0, live=control.view()), SIZE)
        return int(np.frombuffer(target.read_rgb(), np.uint8)[0])

    offline = OffscreenTarget(ctx, SIZE)
    offline.use()
    renderer.render(song.state_at(1.0), SIZE)
    assert red() == np.frombuffer(offline.read_rgb(), np.uint8)[0] == 128  # the scene's 0.5
    assert red("plain") == 255  # the show's default
    control.queue.put(OscRouter().route("/livesync/param/level", [0.0]))  # type: ignore[arg-type]
    assert red() == 0
    assert red("own") == 0  # a live value holds in every scene


def test_a_changed_mouth_style_reloads_the_rest_and_says_to_restart(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The mouth is prepared from the track when the show starts (a singing mouth reads the
    vocal stem): a style change cannot apply live, so it is one warning, and the rest of
    the saved show (here other scenes) still applies."""
    stage = Stage(tmp_path, ["red", "green"], [])
    assert stage.frame() == "red"
    text = show_text(["blue"], []).replace(
        'timeline = "t.json"\n', 'timeline = "t.json"\n[character]\nstyle = "singing"\n'
    )
    stage.save(stage.path, text)
    stage.wall += 1.0
    with caplog.at_level(logging.WARNING, logger="livesync"):
        assert stage.frame() == "blue"
    assert [r.getMessage() for r in caplog.records] == [
        f"{stage.path}: the mouth style or vocal stem changed; restart to apply it"
    ]
