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
