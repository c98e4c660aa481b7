"""Show files: defaults, paths, and errors that name the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.resources import demo_show
from livesync.show.show_file import load_show

GOOD = """
[track]
audio = "song.wav"
timeline = "song.timeline.json"
[character]
image = "me.png"
mouth = [0.4, 0.6]
[character.colors]
lip = "#ff0000"
[output]
size = [1920, 1080]
fps = 60
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(text)
    return path


def test_good_show(tmp_path: Path) -> None:
    show = load_show(write(tmp_path, GOOD))
    assert show.audio == tmp_path / "song.wav"
    assert show.character.image == tmp_path / "me.png"
    assert show.character.mouth == (0.4, 0.6)
    assert show.character.colors.lip == (1.0, 0.0, 0.0)
    assert show.output.size == (1920, 1080) and show.output.fps == 60
    assert show.background.name == "aurora.glsl" and show.background.exists()


@pytest.mark.parametrize(
    "change, needle",
    [
        (("[track]\naudio", "[trackx]\naudio"), "track: missing table [track]"),
        (('timeline = "song.timeline.json"', ""), "track.timeline: missing"),
        (("fps = 60", 'fps = "fast"'), "output.fps: expected an integer or a number"),
        (("size = [1920, 1080]", "size = [1920]"), "output.size: expected [width, height]"),
        (("mouth = [0.4, 0.6]", "mouth = 3"), "character.mouth: expected a list"),
        (('lip = "#ff0000"', 'lip = "red"'), "character.colors.lip: expected a colour"),
        (("fps = 60", "fps = 60\nfps = 30"), "invalid TOML"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, change: tuple[str, str], needle: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: ")
    assert needle in str(err.value)


def test_bundled_demo_show_is_valid() -> None:
    show = load_show(demo_show())
    assert show.audio.exists() and show.timeline.exists() and show.background.exists()
    assert show.character.image is not None and show.character.image.exists()


def test_scene_mouth_colours(tmp_path: Path) -> None:
    text = GOOD + '[[scenes]]\nname = "a"\n[scenes.mouth_colors]\nlip = "#00ff00"\n'
    show = load_show(write(tmp_path, text))
    assert show.scenes[0].mouth_colors == {"lip": (0.0, 1.0, 0.0)}
    bad = GOOD + '[[scenes]]\nname = "a"\n[scenes.mouth_colors]\nnose = "#00ff00"\n'
    with pytest.raises(InputError, match=r"scenes\[0\].mouth_colors.nose: not a mouth part"):
        load_show(write(tmp_path, bad))
