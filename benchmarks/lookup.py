"""Timeline lookup and mouth sampling on a synthetic long timeline (default 100k phones).

    python benchmarks/lookup.py                  # 1k, 10k and 100k phones, 200k calls each

Phones are ~3 per word with random durations (30-200 ms) and a pause after every ~8th word,
so lookups land in phones and in silences as they do in a real song. Times are the mean over
all calls of a Python loop (the loop itself costs about 0.02 us per call and is included).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from functools import partial

import numpy as np
from _common import machine, table

from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Phone, Timeline, Word, validate
from livesync.lipsync.visemes import ARPABET_TO_VISEME

PHONES = sorted(ARPABET_TO_VISEME)


def synthetic_timeline(n_phones: int, seed: int = 7) -> Timeline:
    """n_phones phones in n_phones / 3 words (33k words at 100k phones)."""
    rng = random.Random(seed)
    words: list[Word] = []
    phones: list[Phone] = []
    t = 0.5
    while len(phones) < n_phones:
        start, index = t, len(words)
        for _ in range(min(3, n_phones - len(phones))):
            d = rng.uniform(0.03, 0.2)
            phones.append(Phone(rng.choice(PHONES), t, t + d, index))
            t += d
        words.append(Word(f"w{index}", start, t))
        if rng.random() < 0.125:
            t += rng.uniform(0.3, 1.5)
    return validate(Timeline(tuple(words), tuple(phones), t + 1.0), None)


def per_call_us(fn: Callable[[float], object], ts: list[float], repeats: int) -> float:
    """Median over `repeats` runs of the mean time per call, in microseconds."""
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for t in ts:
            fn(t)
        runs.append((time.perf_counter() - t0) / len(ts) * 1e6)
    return float(np.median(runs))


def timed(fn: Callable[[], object], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return float(np.median(runs)) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}\n")

    rows: list[list[object]] = []
    for n in args.sizes:
        timeline = synthetic_timeline(n)
        build_ms = timed(partial(MouthTrack, timeline.phones), args.repeats)
        track = MouthTrack(timeline.phones)
        rng = random.Random(n)
        ts = [rng.uniform(0.0, timeline.duration) for _ in range(args.calls)]
        empty = per_call_us(lambda t: None, ts, args.repeats)
        rows.append(
            [
                len(timeline.phones),
                len(timeline.words),
                f"{timeline.duration / 60:.0f}",
                args.calls,
                per_call_us(timeline.lookup, ts, args.repeats),
                per_call_us(track.sample, ts, args.repeats),
                empty,
                build_ms,
            ]
        )
    print(
        table(
            [
                "phones",
                "words",
                "song (min)",
                "calls",
                "Timeline.lookup (us)",
                "MouthTrack.sample (us)",
                "empty loop (us)",
                "MouthTrack build (ms)",
            ],
            rows,
        )
    )
    print(f"\n1-min load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
