"""Formats from the command line: import any tool's file, export for the others, and a
Rhubarb file driving the mouth directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import DATA, GENTLE_JSON, HARVARD_MP3
from .test_cli import livesync

pytestmark = pytest.mark.e2e
FORMATS = DATA / "formats"


def test_export_round_trips_through_import(tmp_path: Path) -> None:
    tsv = tmp_path / "mouth.tsv"
    result = livesync("export", GENTLE_JSON, "--format", "rhubarb-tsv", "-o", tsv)
    assert result.returncode == 0, result.stderr
    assert tsv.read_text().startswith("0.00\tX\n")
    back = tmp_path / "back.json"
    assert livesync("import", tsv, "-o", back).returncode == 0
    cues = json.loads(back.read_text())["cues"]
    assert cues[0]["viseme"] == "sil" and any(c["viseme"] == "PP" for c in cues)
    again = livesync("export", GENTLE_JSON, "--format", "rhubarb-tsv", "-o", tsv)
    assert again.returncode == 2 and "--force" in again.stderr


def test_moho_fps_and_unknown_format(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    r24 = livesync("import", FORMATS / "moho-harvard.dat", "-o", out)
    d24 = json.loads(out.read_text())["duration"]
    r12 = livesync("import", FORMATS / "moho-harvard.dat", "-o", out, "--fps", "12", "--force")
    assert r24.returncode == r12.returncode == 0
    assert json.loads(out.read_text())["duration"] == pytest.approx(2 * d24, rel=0.01)
    bad = livesync("export", GENTLE_JSON, "--format", "flash", "-o", tmp_path / "x")
    assert bad.returncode == 2


def test_a_rhubarb_file_drives_the_mouth(tmp_path: Path) -> None:
    import numpy as np
    import pygame

    def frame(at: float) -> np.ndarray:
        out = tmp_path / f"f{at}.png"
        result = livesync(
            "snapshot",
            HARVARD_MP3,
            "--timeline",
            FORMATS / "rhubarb-harvard.json",
            "--at",
            str(at),
            "-o",
            out,
            "--size",
            "160x90",
        )
        assert result.returncode == 0, result.stderr
        return (
            np.frombuffer(pygame.image.tobytes(pygame.image.load(str(out)), "RGB"), np.uint8)
            .reshape(90, 160, 3)
            .astype(int)
        )

    cues = json.loads((FORMATS / "rhubarb-harvard.json").read_text())["mouthCues"]
    closed = next(c for c in cues if c["value"] == "A" and c["end"] - c["start"] >= 0.08)
    wide = next(c for c in cues if c["value"] == "D" and c["end"] - c["start"] >= 0.08)

    def inner_mouth(img: np.ndarray) -> int:
        """Dark red pixels around the default mouth position (0.5, 0.7)."""
        box = img[50:80, 60:100]
        return int(((box.sum(axis=2) < 150) & (box[..., 0] > box[..., 2] + 10)).sum())

    a = frame((closed["start"] + closed["end"]) / 2)
    d = frame((wide["start"] + wide["end"]) / 2)
    assert inner_mouth(d) > 3 * max(1, inner_mouth(a))


def test_import_turns_landmark_json_into_a_face_track(tmp_path: Path) -> None:
    """RunwayML's landmark JSON goes through the same `import`, detected from its content,
    into livesync's face track, which imports again to the same file."""
    runway = DATA / "landmarks" / "astronaut-runway.json"
    out = tmp_path / "face.track.json"
    result = livesync("import", runway, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "face track, 20/25 frames with a face, 2.40 s" in result.stderr
    track = json.loads(out.read_text())
    assert track["livesync_face"] == 1 and len(track["frames"]) == 25
    assert track["frames"][10] == {"time": 1.0}
    assert set(track["frames"][0]["landmarks"]) >= {"chin", "top_lip", "bottom_lip"}
    again = tmp_path / "again.json"
    assert livesync("import", out, "-o", again).returncode == 0
    assert again.read_text() == out.read_text()
    refused = livesync("import", runway, "-o", out)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "--force" in refused.stderr and json.loads(out.read_text()) == track


def test_bad_landmark_json_is_one_line_naming_frame_and_key(tmp_path: Path) -> None:
    frames = json.loads((DATA / "landmarks" / "astronaut-runway.json").read_text())
    del frames[3]["landmarks"][0]["nose_tip"]
    bad = tmp_path / "face.json"
    bad.write_text(json.dumps(frames))
    result = livesync("import", bad, "-o", tmp_path / "out.json")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "face.json: frame 3: landmarks[0].nose_tip: missing" in result.stderr
    other = livesync(
        "import",
        DATA / "landmarks" / "astronaut-runway.json",
        "-o",
        tmp_path / "out.json",
        "--face",
        "1",
    )
    assert other.returncode == 2 and "no face in any of the 25 frames" in other.stderr
    assert not (tmp_path / "out.json").exists()


def test_analyze_writes_a_timeline_that_exports_and_draws(tmp_path: Path) -> None:
    """`livesync analyze AUDIO -o OUT.json`: mouth cues from the sound alone, which export to
    Rhubarb and Moho and draw in a snapshot; unreadable audio is one line, exit 2."""
    out = tmp_path / "voice.json"
    done = livesync("analyze", HARVARD_MP3, "-o", out)
    assert done.returncode == 0, done.stderr
    cues = json.loads(out.read_text())["cues"]
    assert len(cues) > 50 and {c["viseme"] for c in cues} > {"sil"}
    for fmt, name in (("rhubarb-json", "v.rh.json"), ("moho-dat", "v.dat")):
        exported = livesync("export", out, "--format", fmt, "-o", tmp_path / name)
        assert exported.returncode == 0, exported.stderr
    png = tmp_path / "frame.png"
    drawn = livesync("snapshot", "--demo", "--timeline", out, "--at", "2", "-o", png)
    assert drawn.returncode == 0 and png.stat().st_size > 0, drawn.stderr
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....WAVEjunk")
    bad = livesync("analyze", junk, "-o", tmp_path / "no.json")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "junk.wav" in bad.stderr
    assert not (tmp_path / "no.json").exists()
