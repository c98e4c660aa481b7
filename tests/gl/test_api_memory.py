"""The Python API gives back what it takes: a script that renders many pictures in one
process keeps its memory (each render_png used to keep a GL context, about 22 MiB)."""

from __future__ import annotations

import ctypes
import gc
from pathlib import Path

import pytest

import livesync
from livesync.resources import demo_show

pytestmark = pytest.mark.gl


def resident_mib() -> float:
    """Resident memory after giving freed heap back to the system, so the figure moves only
    with what is still held."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_fifty_pngs_in_one_process_keep_memory_flat(tmp_path: Path) -> None:
    show = livesync.load_show(demo_show())
    readings = []
    for i in range(50):
        out = tmp_path / f"frame{i}.png"
        livesync.render_png(show, 2.0 + i / 10, out, size=(160, 90))
        assert out.stat().st_size > 0
        readings.append(resident_mib())
    warm = readings[4]
    assert max(readings[5:]) - warm < 10.0, [round(r) for r in readings]
