"""Long audio: `livesync snapshot` of a show whose song is hours long, time and peak memory.

    python benchmarks/long_audio.py [--hours 6] [--minutes 4] [--samplerate 48000]
                                    [--folder DIR] [--source DIR]

Writes a stand-in song for each length (16-bit stereo WAV: a synthetic band at 120 BPM with
the Harvard sentences sung over it, so every band, the onsets and the spectrum move as in
music; written a few seconds at a time, so making a 4 GB file takes little memory), then runs
`python -m livesync snapshot` on a show of it twice, as a fresh process each time: "cold"
analyses the song and writes the analysis cache beside it, "warm" reads that cache. Peak RSS
is the child's own maximum resident set (wait4's ru_maxrss), wall time includes Python start,
the analysis, the GL context and one frame at `--at` (default: the middle of the song).

`--source DIR` runs livesync from another checkout (e.g. `git archive` of an older commit
unpacked in DIR) for a before/after comparison on the same files: give both runs the same
`--folder`, which keeps the songs (and reuses them; delete it yourself). Without `--folder`
the songs are written to a temporary folder and deleted at the end. A 6-hour song needs
4.1 GB of disk (written in about 10 minutes here) and about 1.1 GB of memory to snapshot;
before the analysis streamed, a 1-hour one took 4.2 GB and a 6-hour one more than the
23 GB of this machine. A run with the defaults takes about 15 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile
from _common import GENTLE_JSON, HARVARD_MP3, machine, table

from livesync.audio.decode import decode, resample

CHUNK_SECONDS = 10.0


def speech_at(samplerate: int) -> npt.NDArray[np.float32]:
    """The Harvard sentences as mono float32 at `samplerate`, to loop over the band."""
    audio = decode(HARVARD_MP3)
    if audio.samplerate != samplerate:
        audio = resample(audio, samplerate)
    return audio.samples[:, 0].copy()


def band(start: float, seconds: float, samplerate: int, seed: int) -> npt.NDArray[np.float64]:
    """Kick, bass, a chord that changes every bar and noisy hats, at 120 BPM (mono)."""
    rng = np.random.default_rng(seed)
    t = start + np.arange(round(seconds * samplerate)) / samplerate
    beat = (t * 2.0) % 1.0
    kick = 0.5 * np.sin(2 * np.pi * 50 * t) * np.exp(-beat * 12)
    roots = np.array([55.0, 73.4, 61.7, 82.4])
    root = roots[(t // 2).astype(int) % len(roots)]
    bass = 0.2 * np.sin(2 * np.pi * root * t)
    chord = 0.06 * sum(np.sin(2 * np.pi * root * m * t) for m in (8, 10, 12))
    hats = 0.06 * rng.standard_normal(len(t)) * np.exp(-((t * 4.0) % 1.0) * 30)
    mixed: npt.NDArray[np.float64] = kick + bass + chord + hats
    return mixed


def write_song(path: Path, seconds: float, samplerate: int) -> None:
    """The stand-in song, written CHUNK_SECONDS at a time (bounded memory)."""
    voice = speech_at(samplerate)
    done = 0
    total = round(seconds * samplerate)
    with soundfile.SoundFile(str(path), "w", samplerate, 2, "PCM_16") as f:
        while done < total:
            n = min(round(CHUNK_SECONDS * samplerate), total - done)
            music = band(done / samplerate, n / samplerate, samplerate, seed=done)
            sung = voice[(done + np.arange(n)) % len(voice)] * 0.8
            left, right = music + sung, 0.8 * music + sung
            f.write(np.clip(np.stack([left, right], axis=1), -1.0, 1.0).astype(np.float32))
            done += n


def write_show(folder: Path, song: Path) -> Path:
    background = folder / "bg.glsl"
    background.write_text(
        "void mainImage(out vec4 c, in vec2 p) {\n"
        "    c = vec4(texture(iChannel0, vec2(p.x / iResolution.x, 0.25)).xxx, 1.0);\n"
        "}\n"
    )
    show = folder / f"{song.stem}.toml"
    show.write_text(
        f'[track]\naudio = "{song}"\ntimeline = "{GENTLE_JSON}"\n'
        f'[[scenes]]\nname = "main"\nbackground = "{background}"\n'
    )
    return show


def snapshot(show: Path, at: float, out: Path, source: Path | None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `livesync snapshot` process."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    command = [sys.executable, "-m", "livesync", "snapshot", str(show)]
    command += ["--at", f"{at:.3f}", "-o", str(out), "--force", "--size", "320x180"]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"snapshot failed ({child.returncode}): {errors.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=6.0, help="the long song")
    parser.add_argument("--minutes", type=float, default=4.0, help="a song-sized one too")
    parser.add_argument("--samplerate", type=int, default=48000)
    parser.add_argument("--at", type=float, help="song time of the snapshot (default: middle)")
    parser.add_argument(
        "--folder", type=Path, help="write the songs here and keep them for the next run"
    )
    parser.add_argument("--source", type=Path, help="run livesync from this checkout")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"livesync from: {args.source or 'this checkout'}\n")

    folder = args.folder or Path(tempfile.mkdtemp(prefix="livesync-long-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[list[object]] = []
    try:
        for seconds in sorted({args.minutes * 60.0, args.hours * 3600.0}):
            if seconds <= 0:
                continue
            song = folder / f"song-{seconds / 60:g}min-{args.samplerate}.wav"
            started = time.perf_counter()
            if not song.exists():  # a --folder keeps its songs for the next run
                write_song(song, seconds, args.samplerate)
            made = time.perf_counter() - started
            show = write_show(folder, song)
            cache = song.with_name(song.name + ".livesync-analysis.npz")
            cache.unlink(missing_ok=True)
            at = seconds / 2 if args.at is None else args.at
            gigabytes = song.stat().st_size / 1e9
            length = f"{seconds / 60:g} min ({gigabytes:.2f} GB WAV, written in {made:.0f} s)"
            for run in ("cold", "warm"):
                wall, rss = snapshot(show, at, folder / "frame.png", args.source)
                cache_mb = cache.stat().st_size / 1e6 if cache.exists() else 0.0
                rows.append([length, run, wall, round(rss), cache_mb, cache_mb / (seconds / 60.0)])
                print(table(HEADER, rows[-1:]).splitlines()[-1], flush=True)
            cache.unlink(missing_ok=True)
    finally:
        if args.folder is None:
            for path in sorted(folder.iterdir()):
                path.unlink()
            folder.rmdir()
    print()
    print(table(HEADER, rows))


HEADER = ["song", "run", "wall (s)", "peak RSS (MB)", "cache (MB)", "cache (MB per min)"]

if __name__ == "__main__":
    main()
