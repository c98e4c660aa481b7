"""The analysis cache next to the audio file: hit, miss when the file or version changes,
recovery from a corrupt cache or an unwritable folder, and nothing else ever written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.audio.analyser import analyse
from livesync.audio.analysis import Analysis
from livesync.devices import analysis_cache
from livesync.devices.analysis_cache import cache_path, load_or_analyse

SR = 22050


@pytest.fixture
def song(tmp_path: Path) -> tuple[Path, np.ndarray]:
    """A stand-in audio file (the cache never decodes it) and its 'decoded' samples."""
    t = np.arange(SR * 3) / SR
    samples = np.stack(
        [0.5 * np.sin(2 * np.pi * 60 * t), 0.2 * np.sin(2 * np.pi * 3000 * t)], axis=1
    ).astype(np.float32)
    samples[SR : SR + 40] += 0.8
    path = tmp_path / "song.wav"
    path.write_bytes(b"RIFF" + bytes(1000))
    return path, samples


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the real analyses load_or_analyse runs."""
    calls: list[int] = []

    def counting(samples: np.ndarray, samplerate: int) -> Analysis:
        calls.append(samplerate)
        return analyse(samples, samplerate)

    monkeypatch.setattr(analysis_cache, "analyse", counting)
    return calls


def assert_same(a: Analysis, b: Analysis) -> None:
    for name in (
        "level",
        "bass",
        "mid",
        "high",
        "onsets",
        "bass_onsets",
        "mid_onsets",
        "high_onsets",
        "spectrum",
        "waveform",
    ):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.hop, a.samplerate, a.tempo_estimate) == (b.hop, b.samplerate, b.tempo_estimate)
    assert a.features_at(1.02) == b.features_at(1.02)


def test_cache_is_written_next_to_the_audio_and_hit_next_time(
    song: tuple[Path, np.ndarray], analyses: list[int]
) -> None:
    path, samples = song
    first = load_or_analyse(path, samples, SR)
    assert cache_path(path) == path.parent / "song.wav.livesync-analysis.npz"
    assert cache_path(path).is_file()
    second = load_or_analyse(path, samples, SR)
    assert len(analyses) == 1
    assert_same(first, second)
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "song.wav",
        "song.wav.livesync-analysis.npz",
    ]


def test_changed_audio_file_is_a_miss(song: tuple[Path, np.ndarray], analyses: list[int]) -> None:
    path, samples = song
    load_or_analyse(path, samples, SR)
    path.write_bytes(b"RIFF" + bytes(2000))  # new size
    load_or_analyse(path, samples, SR)
    assert len(analyses) == 2
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # same size
    load_or_analyse(path, samples, SR)
    assert len(analyses) == 3
    load_or_analyse(path, samples, SR)
    assert len(analyses) == 3


def test_other_analysis_version_is_a_miss(
    song: tuple[Path, np.ndarray], analyses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, samples = song
    load_or_analyse(path, samples, SR)
    monkeypatch.setattr(analysis_cache, "ANALYSIS_VERSION", analysis_cache.ANALYSIS_VERSION + 1)
    load_or_analyse(path, samples, SR)
    assert len(analyses) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing_array", "bad_shape"])
def test_corrupt_cache_recovers_and_is_rewritten(
    song: tuple[Path, np.ndarray], analyses: list[int], damage: str
) -> None:
    path, samples = song
    good = load_or_analyse(path, samples, SR)
    cache = cache_path(path)
    if damage == "garbage":
        cache.write_bytes(b"not a zip file at all")
    elif damage == "truncated":
        cache.write_bytes(cache.read_bytes()[:5000])
    else:
        with np.load(cache) as data:
            arrays = {name: data[name] for name in data.files}
        if damage == "missing_array":
            del arrays["spectrum"]
        else:
            arrays["level"] = arrays["level"][:-3]
        with cache.open("wb") as f:
            np.savez(f, **arrays)
    recovered = load_or_analyse(path, samples, SR)
    assert len(analyses) == 2
    assert_same(good, recovered)
    load_or_analyse(path, samples, SR)  # rewritten: a hit again
    assert len(analyses) == 2


def test_unwritable_folder_still_analyses(
    song: tuple[Path, np.ndarray], analyses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, samples = song
    real_open = os.open

    def refuse_creating(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        """The OS refusing every new file, as a read-only folder does (root writes into
        real read-only folders, so it is simulated at the system call)."""
        if flags & os.O_CREAT:
            raise PermissionError(13, "Read-only file system")
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_creating)
    a = load_or_analyse(path, samples, SR)
    b = load_or_analyse(path, samples, SR)
    assert len(analyses) == 2 and not cache_path(path).exists()
    assert_same(a, b)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders"
)
def test_read_only_folder_still_analyses(
    song: tuple[Path, np.ndarray], analyses: list[int]
) -> None:
    path, samples = song
    path.parent.chmod(0o555)
    try:
        load_or_analyse(path, samples, SR)
        assert not cache_path(path).exists()
    finally:
        path.parent.chmod(0o755)


def test_a_failed_write_leaves_no_temporary_file(
    song: tuple[Path, np.ndarray], analyses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, samples = song

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full_disk)
    load_or_analyse(path, samples, SR)
    assert [p.name for p in path.parent.iterdir()] == ["song.wav"]


def test_something_else_at_the_cache_path_is_left_alone(
    song: tuple[Path, np.ndarray], analyses: list[int]
) -> None:
    path, samples = song
    folder = cache_path(path)
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    load_or_analyse(path, samples, SR)
    load_or_analyse(path, samples, SR)
    assert len(analyses) == 2
    assert (folder / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "song.wav",
        "song.wav.livesync-analysis.npz",
    ]


def test_missing_audio_file_just_analyses(tmp_path: Path, analyses: list[int]) -> None:
    samples = np.zeros(SR, np.float32)
    a = load_or_analyse(tmp_path / "gone.wav", samples, SR)
    assert len(analyses) == 1 and len(a.level) > 0
    assert list(tmp_path.iterdir()) == []
