"""A non-editable install carries its shaders, show files and demo: build the wheel, install
it into an empty folder, and render the demo from there, away from the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_data_and_runs_the_demo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(dist.glob("livesync-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "livesync/shaders/mouth/mouth.frag",
        "livesync/shaders/backgrounds/aurora.glsl",
        "livesync/configs/demo/demo.toml",
        "livesync/configs/demo/demo.ogg",
        "livesync/configs/demo/demo.timeline.json",
        "livesync/py.typed",  # type checkers read the package's hints
        "livesync/render/renderer.py",  # the tiers' subpackages are all shipped
        "livesync/app/frame_loop.py",
    ):
        assert needed in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import livesync; print(livesync.__file__)"],
        cwd=run_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "livesync",
            "snapshot",
            "--demo",
            "--at",
            "3",
            "-o",
            "f.png",
            "--size",
            "160x90",
        ],
        cwd=run_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (run_dir / "f.png").stat().st_size > 1000
