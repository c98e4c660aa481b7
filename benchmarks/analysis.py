"""Precomputed audio analysis of a 5-minute song: build time, table memory, per-frame reads.

    python benchmarks/analysis.py                 # 5 minutes, stereo, 44.1 kHz
    python benchmarks/analysis.py --minutes 1 --samplerate 48000

The song is synthetic and busy on purpose: a bass line, a chord pad, a kick on every beat at
120 BPM, hats on the off-beats and a little noise, so onset detection has peaks to pick.
`analyse` is timed from the decoded float32 samples (decoding is not included); the cache
rows time `load_or_analyse` writing, then reading, the .npz next to a stand-in audio file.
Per-call times are the mean over random song times in a Python loop (the empty loop is shown).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _common import machine, table

from livesync.audio.analyser import analyse
from livesync.audio.analysis import Analysis
from livesync.devices.analysis_cache import cache_path, load_or_analyse


def synthetic_song(minutes: float, samplerate: int, seed: int = 5) -> np.ndarray:
    """(frames, 2) float32 in -1..1."""
    rng = np.random.default_rng(seed)
    n = round(minutes * 60 * samplerate)
    t = np.arange(n, dtype=np.float64) / samplerate
    beat = 0.5
    bass_f = np.where((t // (4 * beat)) % 2 == 0, 55.0, 73.4)
    left = 0.25 * np.sin(2 * np.pi * np.cumsum(bass_f) / samplerate)
    for f in (220.0, 277.2, 329.6):
        left += 0.05 * np.sin(2 * np.pi * f * t)
    right = left.copy()
    kick_t = np.arange(round(0.2 * samplerate)) / samplerate
    kick = 0.6 * np.sin(2 * np.pi * 60 * kick_t) * np.exp(-kick_t / 0.05)
    hat_t = np.arange(round(0.03 * samplerate)) / samplerate
    for k in range(int(minutes * 60 / beat)):
        i = round(k * beat * samplerate)
        m = min(len(kick), n - i)
        left[i : i + m] += kick[:m]
        right[i : i + m] += kick[:m]
        j = round((k + 0.5) * beat * samplerate)
        m = min(len(hat_t), n - j)
        if m > 0:
            hat = 0.15 * np.diff(rng.standard_normal(m + 1)) * np.exp(-hat_t[:m] / 0.01)
            left[j : j + m] += hat
            right[j : j + m] += 0.7 * hat
    noise = 0.01 * rng.standard_normal((n, 2))
    return np.clip(np.stack([left, right], axis=1) + noise, -1, 1).astype(np.float32)


def per_call_us(fn: Callable[[float], object], ts: list[float], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for t in ts:
            fn(t)
        runs.append((time.perf_counter() - t0) / len(ts) * 1e6)
    return float(np.median(runs))


def memory_rows(a: Analysis) -> list[list[object]]:
    rows: list[list[object]] = []
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
        array = getattr(a, name)
        rows.append([name, f"{array.dtype} {array.shape}", array.nbytes / 1e6])
    rows.append(["total", "", a.nbytes / 1e6])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--samplerate", type=int, default=44100)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")

    samples = synthetic_song(args.minutes, args.samplerate)
    build = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        a = analyse(samples, args.samplerate)
        build.append(time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as folder:
        audio = Path(folder) / "song.wav"
        audio.write_bytes(b"stand-in")
        t0 = time.perf_counter()
        load_or_analyse(audio, samples, args.samplerate)
        miss = time.perf_counter() - t0
        hits = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            load_or_analyse(audio, samples, args.samplerate)
            hits.append(time.perf_counter() - t0)
        cache_mb = cache_path(audio).stat().st_size / 1e6

    rng = random.Random(1)
    ts = [rng.uniform(0.0, a.duration) for _ in range(args.calls)]
    out = np.empty((2, 512), np.float32)
    calls: list[tuple[str, Callable[[float], object]]] = [
        ("Analysis.features_at", a.features_at),
        ("Analysis.audio_texture_at", a.audio_texture_at),
        ("Analysis.audio_texture_at(t, out)", lambda t: a.audio_texture_at(t, out)),
        ("empty loop", lambda t: None),
    ]
    song = f"{args.minutes:g} min stereo {args.samplerate / 1000:g} kHz"
    print(
        table(
            [
                "song",
                "analyse (s)",
                "load_or_analyse miss (s)",
                "load_or_analyse hit (s)",
                "cache file (MB)",
                "onsets found",
                "tempo estimate (BPM)",
            ],
            [
                [
                    song,
                    float(np.median(build)),
                    miss,
                    float(np.median(hits)),
                    cache_mb,
                    len(a.onsets),
                    f"{a.tempo_estimate:.1f}" if a.tempo_estimate else "none",
                ]
            ],
        )
    )
    print()
    print(table(["table", "dtype and shape", "MB"], memory_rows(a)))
    print()
    print(
        table(
            ["call", "us per call"],
            [[name, per_call_us(fn, ts, args.repeats)] for name, fn in calls],
        )
    )
    print(f"\n1-min load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
