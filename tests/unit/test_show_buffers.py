"""Show-file syntax of Shadertoy multipass scenes (`buffers`, `common`, `buffer_channels`,
channels reading "A"-"D"): what loads, and one error naming its key for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.show.channels import BufferSource, Channel
from livesync.show.scenes import all_channels, background_files
from livesync.show.show_file import load_show

HEAD = '[track]\naudio = "a.wav"\ntimeline = "a.json"\n[[scenes]]\nname = "fluid"\n'


def show(tmp_path: Path, scene: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(HEAD + scene)
    return path


def test_buffers_common_and_their_channels(tmp_path: Path) -> None:
    path = show(
        tmp_path,
        'background = "image.glsl"\ncommon = "common.glsl"\n'
        'buffers = { B = "b.glsl", A = "a.glsl" }\n'
        'buffer_channels = { A = { iChannel0 = "A", iChannel1 = "noise.png" },'
        ' B = { iChannel0 = { buffer = "A" } } }\n'
        'channels = { iChannel0 = "B", iChannel1 = "noise.png" }\n',
    )
    scene = load_show(path).scenes[0]
    assert list(scene.buffers) == ["A", "B"]  # Shadertoy's order, whatever the file's
    assert scene.common == tmp_path / "common.glsl"
    assert scene.channels["iChannel0"] == BufferSource("B")
    assert scene.buffer_channels["B"]["iChannel0"] == BufferSource("A")
    assert isinstance(all_channels(scene)["A:iChannel1"], Channel)
    assert background_files(scene) == tuple(
        tmp_path / n for n in ("image.glsl", "common.glsl", "a.glsl", "b.glsl")
    )


@pytest.mark.parametrize(
    ("scene", "message"),
    [
        ('buffers = { E = "e.glsl" }', "scenes[0].buffers.E: Shadertoy's buffers are A, B"),
        ("buffers = 3", "scenes[0].buffers: expected a table"),
        ("buffers = { A = 3 }", "scenes[0].buffers.A: expected a file name"),
        ("common = []", "scenes[0].common: expected a file name"),
        ('channels = { iChannel0 = "A" }', "scenes[0].channels.iChannel0: no buffer A"),
        (
            'buffers = { A = "a.glsl" }\nchannels = { iChannel0 = { buffer = "B" } }',
            "scenes[0].channels.iChannel0.buffer: no buffer B (the scene's buffers: A)",
        ),
        (
            'buffers = { A = "a.glsl" }\nchannels = { iChannel0 = { buffer = "A", wrap = "x" } }',
            "scenes[0].channels.iChannel0.wrap: a buffer takes only `buffer`",
        ),
        (
            'buffers = { A = "a.glsl" }\nchannels = { iChannel0 = { buffer = "Z" } }',
            "scenes[0].channels.iChannel0.buffer: expected one of A, B, C, D, got 'Z'",
        ),
        (
            'buffers = { A = "a.glsl" }\nchannels = { lookupImage = "A" }',
            "scenes[0].channels.lookupImage: buffer A feeds Shadertoy's iChannel0-3 only",
        ),
        (
            'buffers = { A = "a.glsl" }\nbuffer_channels = { B = { iChannel0 = "A" } }',
            "scenes[0].buffer_channels.B: no buffer B (the scene's buffers: A)",
        ),
        (
            'buffers = { A = "a.glsl" }\nbuffer_channels = { A = { iChannel0 = "C" } }',
            "scenes[0].buffer_channels.A.iChannel0: no buffer C",
        ),
        (
            'buffers = { A = "a.glsl" }\nbuffer_channels = { A = { luma = "x.png" } }',
            "scenes[0].buffer_channels.A.luma: a buffer reads iChannel0-3 only",
        ),
        ('buffers = { A = "a.glsl" }\nbuffer_channels = 1', "scenes[0].buffer_channels: expected"),
        (
            'background = "x.fs"\nbuffers = { A = "a.glsl" }',
            "scenes[0].buffers: Shadertoy's tabs go with a Shadertoy background",
        ),
    ],
)
def test_mistakes_name_their_key(tmp_path: Path, scene: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        load_show(show(tmp_path, scene))
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith(f"{tmp_path / 'show.toml'}: {message}"), text
