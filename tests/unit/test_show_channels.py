"""A scene's `channels`: pictures for its shaders' image inputs, by input name, with
Shadertoy's sampler settings; every mistake is one error naming its key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.resources import data_dir
from livesync.show.channels import Channel, CharacterSource, SceneSource, host_defaults
from livesync.show.show_file import SHOW_KEYS, load_show
from livesync.values import unknown_keys

HEAD = '[track]\naudio = "a.wav"\ntimeline = "a.json"\n[[scenes]]\nname = "verse"\n'


def show_with(tmp_path: Path, channels: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(f"{HEAD}channels = {channels}\n")
    return path


def test_a_string_is_a_file_with_its_host_s_defaults(tmp_path: Path) -> None:
    path = show_with(tmp_path, '{ iChannel1 = "textures/noise.png", lookupImage = "lut.png" }')
    channels = load_show(path).scenes[0].channels
    # Shadertoy's channel dialog: mipmap, repeat, vflip; the ISF host: linear, clamped.
    assert channels["iChannel1"] == Channel(tmp_path / "textures/noise.png", "mipmap", "repeat")
    assert channels["lookupImage"] == Channel(tmp_path / "lut.png", "linear", "clamp", True)
    assert channels["iChannel1"].where == "scenes[0].channels.iChannel1"
    assert channels["iChannel1"].show == path


def test_a_table_sets_the_sampler(tmp_path: Path) -> None:
    text = (
        '{ iChannel2 = { file = "wood.jpg", filter = "nearest", wrap = "clamp", vflip = false } }'
    )
    channel = load_show(show_with(tmp_path, text)).scenes[0].channels["iChannel2"]
    assert isinstance(channel, Channel)
    assert (channel.filter, channel.wrap, channel.vflip) == ("nearest", "clamp", False)
    one = load_show(show_with(tmp_path, '{ luma = { file = "l.png", filter = "mipmap" } }'))
    assert one.scenes[0].channels["luma"] == Channel(tmp_path / "l.png", "mipmap", "clamp")


def test_files_are_found_as_shaders_are(tmp_path: Path) -> None:
    """Next to the show first, then livesync's bundled shaders folder."""
    bundled = next(p for p in data_dir("shaders").rglob("*") if p.is_file())
    name = bundled.relative_to(data_dir("shaders")).as_posix()
    scene = load_show(show_with(tmp_path, f'{{ iChannel0 = "{name}" }}')).scenes[0]
    assert scene.channels["iChannel0"] == Channel(bundled)
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_bytes(b"mine")
    scene = load_show(show_with(tmp_path, f'{{ iChannel0 = "{name}" }}')).scenes[0]
    assert scene.channels["iChannel0"] == Channel(tmp_path / name)


def test_no_channels_is_none_and_the_key_is_known(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(HEAD)
    assert load_show(path).scenes[0].channels == {}
    assert list(unknown_keys({"scenes": [{"channels": {"x": 1}}]}, SHOW_KEYS)) == []


@pytest.mark.parametrize(
    ("channels", "message"),
    [
        ('"noise.png"', "scenes[0].channels: expected a table of image inputs, got a string"),
        ("{ iChannel1 = 5 }", "scenes[0].channels.iChannel1: expected a file name or a table"),
        ('{ iChannel1 = "" }', "scenes[0].channels.iChannel1: expected a file name"),
        ('{ iChannel4 = "a.png" }', "scenes[0].channels.iChannel4: Shadertoy has iChannel0"),
        ('{ "my image" = "a.png" }', 'scenes[0].channels."my image": not an input name'),
        ('{ inputImage = "a.png" }', "scenes[0].channels.inputImage: livesync feeds this"),
        ('{ endImage = "a.png" }', "scenes[0].channels.endImage: livesync feeds this"),
        ("{ luma = { filter = 'nearest' } }", "scenes[0].channels.luma.file: missing"),
        ("{ luma = { file = 3 } }", "scenes[0].channels.luma.file: expected a file name"),
        (
            "{ luma = { file = 'a.png', filter = 'cubic' } }",
            "scenes[0].channels.luma.filter: expected one of nearest, linear, mipmap, got 'cubic'",
        ),
        (
            "{ luma = { file = 'a.png', wrap = 'mirror' } }",
            "scenes[0].channels.luma.wrap: expected one of clamp, repeat, got 'mirror'",
        ),
        ("{ luma = { file = 'a.png', wrap = [1] } }", "scenes[0].channels.luma.wrap: expected"),
        (
            "{ luma = { file = 'a.png', vflip = 'yes' } }",
            "scenes[0].channels.luma.vflip: expected true or false, got 'yes'",
        ),
        (
            "{ luma = { file = 'a.png', wrpa = 'clamp' } }",
            "scenes[0].channels.luma.wrpa: not a channel setting (file, filter, wrap, vflip)",
        ),
    ],
)
def test_each_bad_value_is_one_error_naming_its_key(
    tmp_path: Path, channels: str, message: str
) -> None:
    path = show_with(tmp_path, channels)
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: {message}"), str(err.value)
    assert "\n" not in str(err.value)


def test_host_defaults() -> None:
    assert host_defaults("iChannel3") == ("mipmap", "repeat", True)
    assert host_defaults("lookupImage") == ("linear", "clamp", True)


TWO = (
    '[track]\naudio = "a.wav"\ntimeline = "a.json"\n'
    '[[scenes]]\nname = "verse"\nchannels = {verse}\n'
    '[[scenes]]\nname = "chorus"\nchannels = {chorus}\n'
)


def two_scenes(tmp_path: Path, verse: str, chorus: str = "{}") -> Path:
    path = tmp_path / "show.toml"
    path.write_text(TWO.format(verse=verse, chorus=chorus))
    return path


def test_a_scene_s_output_or_the_character_as_a_channel(tmp_path: Path) -> None:
    show = load_show(two_scenes(tmp_path, '{ iChannel1 = { scene = "chorus" } }'))
    assert show.scenes[0].channels == {"iChannel1": SceneSource("chorus")}
    assert show.scenes[0].channels["iChannel1"].where == "scenes[0].channels.iChannel1"
    show = load_show(two_scenes(tmp_path, "{ maskImage = { character = true } }"))
    assert show.scenes[0].channels == {"maskImage": CharacterSource()}


@pytest.mark.parametrize(
    ("verse", "chorus", "message"),
    [
        (
            '{ iChannel1 = { scene = "bridge" } }',
            "{}",
            "scenes[0].channels.iChannel1.scene: no scene named 'bridge' (scenes: verse, chorus)",
        ),
        (
            '{ iChannel1 = { scene = "verse" } }',
            "{}",
            "scenes[0].channels.iChannel1.scene: scene 'verse' would read this scene's own "
            "picture (verse -> verse)",
        ),
        (
            '{ iChannel1 = { scene = "chorus" } }',
            '{ luma = { scene = "verse" } }',
            "scenes[0].channels.iChannel1.scene: scene 'chorus' would read this scene's own "
            "picture (verse -> chorus -> verse)",
        ),
        ("{ iChannel1 = { scene = 3 } }", "{}", "scenes[0].channels.iChannel1.scene: expected a"),
        (
            '{ iChannel1 = { scene = "chorus", wrap = "clamp" } }',
            "{}",
            "scenes[0].channels.iChannel1.wrap: a scene's picture takes only `scene`",
        ),
        (
            "{ iChannel1 = { character = false } }",
            "{}",
            "scenes[0].channels.iChannel1.character: expected true, got False",
        ),
        (
            '{ iChannel1 = { character = true, file = "a.png" } }',
            "{}",
            "scenes[0].channels.iChannel1.file: a character's picture takes only `character`",
        ),
    ],
)
def test_bad_drawn_channels_are_one_error_naming_the_key(
    tmp_path: Path, verse: str, chorus: str, message: str
) -> None:
    path = two_scenes(tmp_path, verse, chorus)
    with pytest.raises(InputError) as err:
        load_show(path)
    assert str(err.value).startswith(f"{path}: {message}"), str(err.value)
