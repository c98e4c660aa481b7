"""The hot-reload watcher, driven by a fake file system (no sleeping, no real files)."""

from __future__ import annotations

from pathlib import Path

from livesync.devices.file_watch import FileWatcher


def test_reports_each_save_once_and_waits_out_a_replace() -> None:
    times: dict[Path, float | None] = {Path("a.glsl"): 1.0, Path("b.glsl"): 1.0}
    watcher = FileWatcher(times, stat=times.get)
    assert watcher.poll() == []
    times[Path("a.glsl")] = 2.0
    assert watcher.poll() == [Path("a.glsl")]
    assert watcher.poll() == []
    times[Path("b.glsl")] = None  # an editor removed it to write it anew
    assert watcher.poll() == []
    times[Path("b.glsl")] = 3.0
    assert watcher.poll() == [Path("b.glsl")]
    watcher.watch([Path("b.glsl"), Path("c.glsl")])
    times[Path("c.glsl")] = 5.0
    assert watcher.poll() == [Path("c.glsl")]
