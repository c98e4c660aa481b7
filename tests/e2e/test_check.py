"""`livesync check` and `livesync snapshot --shader`, as a performer runs them before a gig."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from livesync.resources import data_dir

from .test_cli import livesync

pytestmark = pytest.mark.e2e


def demo_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "show"
    shutil.copytree(data_dir("configs") / "demo", folder)
    return folder / "demo.toml"


def test_check_passes_the_demo_and_lists_unused_files(tmp_path: Path) -> None:
    show = demo_copy(tmp_path)
    (show.parent / "old-background.glsl").write_text("void mainImage(out vec4 c, in vec2 p) {}")
    result = livesync("check", show)
    assert result.returncode == 0, result.stderr
    assert "unused file" in result.stderr and "old-background.glsl" in result.stderr
    assert "scene chorus" in result.stderr


def test_check_compiles_every_shader_and_names_the_line(tmp_path: Path) -> None:
    show = demo_copy(tmp_path)
    (show.parent / "broken.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n  c = vec4(1.0);\n  c += nope;\n}\n"
    )
    show.write_text(show.read_text().replace("backgrounds/plasma.glsl", "broken.glsl"))
    result = livesync("check", show)
    assert result.returncode == 2
    assert "broken.glsl:3:" in result.stderr and "nope" in result.stderr


def test_check_names_key_path_of_a_bad_show(tmp_path: Path) -> None:
    show = demo_copy(tmp_path)
    show.write_text(show.read_text().replace('scene = "break"', 'scene = "brake"'))
    result = livesync("check", show)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"livesync: error: {show}: cues[0].scene: no scene named 'brake' "
        "(scenes: verse, break, chorus)"
    ]


def test_snapshot_of_a_shader_alone(tmp_path: Path) -> None:
    out = tmp_path / "thumb.png"
    shader = data_dir("shaders") / "backgrounds" / "plasma.glsl"
    result = livesync("snapshot", "--shader", shader, "--at", "3", "-o", out, "--size", "96x54")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 500
    bad = tmp_path / "bad.glsl"
    bad.write_text("void mainImage(out vec4 c, in vec2 p) {\n  c = vec4(oops);\n}\n")
    result = livesync("snapshot", "--shader", bad, "-o", tmp_path / "b.png")
    assert result.returncode == 2
    assert "bad.glsl:2:" in result.stderr and "oops" in result.stderr


def test_check_passes_the_demos_mouth_sheet(tmp_path: Path) -> None:
    show = demo_copy(tmp_path)
    result = livesync("check", show)
    assert result.returncode == 0, result.stderr
    assert f"ok  mouth drawings: {show.parent / 'mouths.png'}" in result.stderr
    assert "mouths.png" not in "".join(
        line for line in result.stderr.splitlines() if line.startswith("unused")
    )


@pytest.mark.parametrize(
    "old, new, problem",
    [
        (
            'sheet = "mouths.png"',
            'sheet = "mouth.png"',
            "character.mouth.sheet: {folder}/mouth.png not found",
        ),
        (
            "H = 8",
            "Hh = 8",
            "character.mouth.shapes.Hh: 'Hh' is not a mouth shape name (Rhubarb: X A B C D E F",
        ),
        ("H = 8", "H = 9", "character.mouth.shapes.H: cell 9 is outside the 3x3 grid (cells 0-8)"),
        (
            "grid = [3, 3]",
            "grid = [7, 3]",
            "character.mouth.grid: mouths.png is 1440x1080 pixels, which 7 columns and 3 rows "
            "do not cut into equal cells",
        ),
    ],
)
def test_check_names_the_key_of_a_bad_mouth_sheet(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    show = demo_copy(tmp_path)
    text = show.read_text()
    assert old in text
    show.write_text(text.replace(old, new))
    result = livesync("check", show)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    expected = problem.format(folder=show.parent)
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"livesync: error: {show}: {expected}")


def test_an_isf_files_vertex_shader_and_imported_images_are_used(tmp_path: Path) -> None:
    """A .vs beside an ISF background and a picture it IMPORTs are part of the show, not
    'unused files' (the demo folder's own unused check lists only what nothing reads)."""
    import pygame

    show = demo_copy(tmp_path)
    folder = show.parent
    pygame.image.save(pygame.Surface((4, 4)), str(folder / "grain.png"))
    (folder / "grainy.fs").write_text(
        '/*{"ISFVSN": "2", "IMPORTED": {"grain": {"PATH": "grain.png"}}}*/\n'
        "void main() { gl_FragColor = IMG_NORM_PIXEL(grain, isf_FragNormCoord); }\n"
    )
    (folder / "grainy.vs").write_text("void main() { isf_vertShaderInit(); }\n")
    (folder / "stray.png").write_bytes((folder / "grain.png").read_bytes())
    show.write_text(show.read_text().replace("backgrounds/plasma.glsl", "grainy.fs"))
    result = livesync("check", show)
    assert result.returncode == 0, result.stderr
    unused = [line for line in result.stderr.splitlines() if line.startswith("unused file")]
    assert [Path(line.rsplit(" ", 1)[-1]).name for line in unused] == ["stray.png"]


def test_check_compiles_the_transitions_and_refuses_other_shaders_as_one(tmp_path: Path) -> None:
    show = demo_copy(tmp_path)
    text = show.read_text().replace(
        'scene = "break"\nfade = 0.4',
        'scene = "break"\nfade = 0.4\ntransition = "transitions/wipe.fs"',
    )
    assert "transitions/wipe.fs" in text
    show.write_text(text)
    good = livesync("check", show)
    assert good.returncode == 0, good.stderr
    assert "transition" in good.stderr and "wipe.fs" in good.stderr
    show.write_text(text.replace("transitions/wipe.fs", "effects/film.fs"))
    bad = livesync("check", show)
    assert bad.returncode == 2
    assert "film.fs" in bad.stderr and "is not an ISF transition" in bad.stderr


def test_check_reads_the_channel_pictures_and_counts_them_used(tmp_path: Path) -> None:
    show = demo_copy(tmp_path)
    shutil.copy(show.parent / "character.png", show.parent / "noise.png")
    text = show.read_text().replace(
        'name = "break"\n', 'name = "break"\nchannels = { iChannel1 = "noise.png" }\n', 1
    )
    assert "noise.png" in text
    show.write_text(text)
    good = livesync("check", show)
    assert good.returncode == 0, good.stderr
    assert "noise.png" in good.stderr and "unused file" not in good.stderr
    (show.parent / "noise.png").write_bytes(b"not a picture")
    bad = livesync("check", show)
    assert bad.returncode == 2
    assert "scenes[1].channels.iChannel1" in bad.stderr and "noise.png" in bad.stderr


def test_snapshot_of_a_feedback_shader_draws_its_history_first(tmp_path: Path) -> None:
    """A multipass buffer that adds 1/255 a frame: at 1.0 s and 30 fps the snapshot shows
    the 31 frames the show would have drawn by then, not the first."""
    show = demo_copy(tmp_path)
    folder = show.parent
    (folder / "count.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "  vec4 last = texture(iChannel0, p / iResolution.xy);\n"
        "  c = (iFrame == 0 ? vec4(0.0) : last) + vec4(1.0 / 255.0);\n}\n"
    )
    (folder / "show_count.glsl").write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "  c = vec4(texture(iChannel0, p / iResolution.xy).rgb, 1.0);\n}\n"
    )
    show.write_text(
        '[track]\naudio = "demo.ogg"\ntimeline = "demo.timeline.json"\n'
        '[[scenes]]\nname = "count"\nbackground = "show_count.glsl"\ncharacter = false\n'
        'buffers = { A = "count.glsl" }\nbuffer_channels = { A = { iChannel0 = "A" } }\n'
        'channels = { iChannel0 = "A" }\n[output]\nsize = [32, 18]\nfps = 30\n'
    )
    out = tmp_path / "count.png"
    result = livesync("snapshot", show, "--at", "1.0", "-o", out)
    assert result.returncode == 0, result.stderr
    import numpy as np
    import pygame

    value = int(np.median(pygame.surfarray.array3d(pygame.image.load(str(out)))[..., 0]))
    assert 28 <= value <= 33  # frames 0..30 drawn: 31 steps of 1/255
