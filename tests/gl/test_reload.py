"""Hot reload on real GL: saved edits apply, broken ones keep the last good picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.app.reload import LiveShow, Reloader
from livesync.devices.file_watch import FileWatcher
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.render.renderer import OffscreenTarget, Renderer, create_headless_context
from livesync.show.show_file import load_show

pytestmark = pytest.mark.gl
SIZE = (32, 32)
SHADER = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"
SHOW = """
[track]
audio = "a.wav"
timeline = "t.json"
[[scenes]]
name = "one"
background = "bg.glsl"
"""


class Clock:
    """Fake modification times: each save bumps the file's time (no sleeping)."""

    def __init__(self) -> None:
        self.times: dict[Path, float] = {}

    def save(self, path: Path, text: str) -> None:
        path.write_text(text)
        self.times[path] = self.times.get(path, 0.0) + 1.0

    def stat(self, path: Path) -> float | None:
        return self.times.get(path)


def colour(live: LiveShow, ctx: Any) -> list[int]:
    target = OffscreenTarget(ctx, SIZE)
    target.use()
    live.renderer.render(live.performance.state_at(0.0), SIZE)
    return list(np.frombuffer(target.read_rgb(), np.uint8)[:3])


def test_shader_and_show_reload(tmp_path: Path) -> None:
    ctx = create_headless_context()
    files = Clock()
    bg, show_path = tmp_path / "bg.glsl", tmp_path / "show.toml"
    files.save(bg, SHADER.format("1.0, 0.0, 0.0"))
    files.save(show_path, SHOW)
    show = load_show(show_path)
    live = LiveShow(
        show, Renderer(ctx, show.scenes, show.character), Performance(Timeline((), (), 10.0), None)
    )
    reloader = Reloader(live, FileWatcher([bg, show_path], stat=files.stat))
    assert colour(live, ctx) == [255, 0, 0]

    files.save(bg, SHADER.format("0.0, nope, 0.0"))  # a typo on line 1
    reloader.poll(1.0)
    assert reloader.error is not None and "bg.glsl:1:" in reloader.error
    assert colour(live, ctx) == [255, 0, 0]  # last good one stays

    files.save(bg, SHADER.format("0.0, 1.0, 0.0"))
    reloader.poll(2.0)
    assert reloader.error is None
    assert colour(live, ctx) == [0, 255, 0]

    files.save(show_path, SHOW + "[[cues]]\nat = 1\nscene = 'missing'\n")
    reloader.poll(3.0)
    assert reloader.error is not None and "no scene named 'missing'" in reloader.error
    assert live.show is show  # the show goes on

    other = tmp_path / "other.glsl"
    files.save(other, SHADER.format("0.0, 0.0, 1.0"))
    files.save(show_path, SHOW.replace("bg.glsl", "other.glsl"))
    reloader.poll(4.0)
    assert reloader.error is None and live.show is not show
    assert colour(live, ctx) == [0, 0, 255]
    files.save(other, SHADER.format("1.0, 1.0, 1.0"))  # the new shader is watched
    reloader.poll(5.0)
    assert colour(live, ctx) == [255, 255, 255]
    reloader.poll(5.1)  # paced: no check this soon


def test_a_show_that_fails_to_build_releases_every_layer_it_loaded(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A scene whose second effect is missing: the background and the first effect had
    loaded, and must be released (an effect chain cut short leaked them on every save)."""
    from livesync.render.layers import load_layer as real_load

    loaded: list[Any] = []
    released: list[Any] = []

    def spying_load(*args: Any) -> Any:
        layer = real_load(*args)
        real_release = layer.release
        loaded.append(layer)

        def release() -> None:
            released.append(layer)
            real_release()

        monkeypatch.setattr(layer, "release", release)
        return layer

    monkeypatch.setattr("livesync.render.renderer.load_layer", spying_load)
    (tmp_path / "bg.glsl").write_text(SHADER.format("1.0, 0.0, 0.0"))
    (tmp_path / "fx.glsl").write_text(SHADER.format("0.0, 1.0, 0.0"))
    (tmp_path / "show.toml").write_text(SHOW + 'effects = ["fx.glsl", "missing.fs"]\n')
    show = load_show(tmp_path / "show.toml")
    with pytest.raises(Exception, match=r"missing\.fs"):
        Renderer(create_headless_context(), show.scenes, show.character)
    assert len(loaded) == 2 and released == loaded


def test_saving_an_isf_vertex_shader_reloads_its_file(tmp_path: Path) -> None:
    """NAME.vs is NAME.fs's vertex stage: saving it recompiles the layer, and a broken one
    keeps the last good picture with the .vs file's line in the message."""
    ctx = create_headless_context()
    files = Clock()
    fs, vs, show_path = tmp_path / "bg.fs", tmp_path / "bg.vs", tmp_path / "show.toml"
    red = "void main() { gl_FragColor = vec4(1.0, 0.0, 0.0, 1.0); }\n"
    files.save(fs, '/*{"ISFVSN": "2"}*/\n' + red)
    whole = "void main() { isf_vertShaderInit(); }\n"
    files.save(vs, whole)
    files.save(show_path, SHOW.replace("bg.glsl", "bg.fs"))
    show = load_show(show_path)
    live = LiveShow(
        show, Renderer(ctx, show.scenes, show.character), Performance(Timeline((), (), 10.0), None)
    )
    reloader = Reloader(live, FileWatcher([fs, vs, show_path], stat=files.stat))
    assert colour(live, ctx) == [255, 0, 0]
    # Half size: the quad covers the middle of the frame, pixel (0, 0) is left clear.
    files.save(vs, "void main() { isf_vertShaderInit(); gl_Position.xy *= 0.5; }\n")
    reloader.poll(1.0)
    assert reloader.error is None
    assert colour(live, ctx) != [255, 0, 0]
    files.save(vs, "void main() { isf_vertShaderInit(); oops; }\n")
    reloader.poll(2.0)
    assert reloader.error is not None and "bg.vs:1" in reloader.error
    files.save(vs, whole)
    reloader.poll(3.0)
    assert reloader.error is None and colour(live, ctx) == [255, 0, 0]
