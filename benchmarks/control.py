"""Live control: event-to-frame latency, OSC ingest rate, and the frame loop under a flood.

    python benchmarks/control.py [--flood-seconds 10]

Starts `livesync play --demo --silent` headlessly (SDL offscreen, which paces itself to
60 Hz), with --frame-log: every frame's scene and the monotonic time it was shown.
1. Latency: sends /livesync/scene alternating between two scenes, 40 times at random
   moments, and measures from the send to the first frame showing that scene (both
   processes read the same CLOCK_MONOTONIC through time.perf_counter on Linux).
2. Ingest: the OSC input alone (livesync.devices.osc_socket.OscInput) fed as fast as one sender
   can for 2 s: datagrams handled per second.
3. Flood: 20,000 messages a second (paced) for --flood-seconds at the running player; the
   frame rate during the flood against the seconds before it, and the player's memory.
Nothing is asserted: the figures go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

from livesync.control.events import EventQueue
from livesync.control.osc_map import OscRouter
from livesync.devices.osc_socket import OscInput


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def frames(log: Path) -> list[tuple[str, float]]:
    rows = [line.split() for line in log.read_text().splitlines()]
    return [(r[2], float(r[3])) for r in rows if len(r) >= 4]


def ingest_rate(seconds: float = 2.0) -> float:
    osc = OscInput(EventQueue(capacity=100_000), OscRouter(), port=0)
    client = SimpleUDPClient(*osc.address)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        client.send_message("/livesync/param/speed", 0.5)
    time.sleep(0.3)
    osc.close()
    return osc.stats.received / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flood-seconds", type=float, default=10.0)
    parser.add_argument("--size", default="640x360", help="player window size")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "frames.txt"
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "livesync",
                "play",
                "--demo",
                "--silent",
                "--size",
                args.size,
                "--osc-port",
                str(port),
                "--frame-log",
                str(log),
            ],
            stderr=subprocess.DEVNULL,
            env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
        )
        try:
            while not log.exists() or len(log.read_text().splitlines()) < 30:
                time.sleep(0.05)
            client = SimpleUDPClient("127.0.0.1", port)
            rng = random.Random(5)
            latencies = []
            for i in range(40):
                scene = ("verse", "chorus")[i % 2]
                time.sleep(rng.uniform(0.05, 0.12))
                sent = time.perf_counter()
                client.send_message("/livesync/scene", scene)
                while True:
                    arrived = [w for s, w in frames(log) if s == scene and w >= sent]
                    if arrived:
                        latencies.append(arrived[0] - sent)
                        break
                    time.sleep(0.002)
            quiet_start = time.perf_counter()
            time.sleep(2.0)
            quiet_end = time.perf_counter()
            rss_before = rss_mb(child.pid)
            flood_start = time.perf_counter()
            sent_count = 0
            while time.perf_counter() - flood_start < args.flood_seconds:
                target = int((time.perf_counter() - flood_start) * 20_000)
                while sent_count < target:
                    client.send_message("/livesync/param/nothing", float(sent_count))
                    sent_count += 1
                time.sleep(0.001)
            flood_end = time.perf_counter()
            rss_after = rss_mb(child.pid)
            shown = frames(log)
        finally:
            child.kill()
            child.wait()

    def fps(a: float, b: float) -> float:
        return sum(1 for _, w in shown if a <= w < b) / (b - a)

    lat = np.array(latencies) * 1000
    walls = [w for _, w in shown if quiet_start <= w < quiet_end]
    period = float(np.median(np.diff(walls))) * 1000 if len(walls) > 2 else float("nan")
    print(f"player window {args.size}, demo show\n")
    print("| measure | value |\n|---|---|")
    print(
        f"| event-to-frame latency, median / p90 / max (ms, {len(lat)} scene changes) | "
        f"{np.median(lat):.1f} / {np.percentile(lat, 90):.1f} / {lat.max():.1f} |"
    )
    print(
        f"| the same in frame periods ({period:.1f} ms each) | {np.median(lat) / period:.2f} / "
        f"{np.percentile(lat, 90) / period:.2f} / {lat.max() / period:.2f} |"
    )
    print(f"| OSC ingest, one sender flat out (datagrams/s handled) | {ingest_rate():.0f} |")
    print(f"| flood sent (messages/s, paced) | {sent_count / (flood_end - flood_start):.0f} |")
    print(
        f"| frame rate before / during the flood (fps) | {fps(quiet_start, quiet_end):.1f} / "
        f"{fps(flood_start, flood_end):.1f} |"
    )
    print(
        f"| player memory before / after the flood (MB RSS) | {rss_before:.0f} / {rss_after:.0f} |"
    )


if __name__ == "__main__":
    main()
