"""Does live sound survive a busy frame loop? Measured the way the stutter was found.

A JACK client in a process of its own records livesync's output port while the player's own
process draws heavy moderngl frames back to back (each holds that process's GIL for tens of
milliseconds, as the demo's chorus does on llvmpipe) and two lowest-priority busy loops keep
both cores busy. The recording is compared with the track block by block: each 512-frame
block must sit exactly as far after the one before as JACK's frame clock moved, and the
recorded song position must keep pace with that clock. Then, still under load, a seek, a
pause and a resume: how long until each is heard. And the player's clock (`now()`) against
what the recording says was heard at the same JACK frame.

Run with a JACK server up (scripts/test.sh starts one: jackd -d dummy -r 48000 -p 512).
`--which old` plays through the player as it was before the output had a process of its own
(read from git), `new` through today's; both by default, old first. The helpers (recorder,
comparison, load) are shared with the test, in tests/io/test_audio_recording.py and
tests/io/test_audio_session.py.

    python benchmarks/audio_continuity.py [--seconds 60] [--which old,new] [--no-hogs] [--app]

`--app` then plays the bundled demo once with `livesync play --demo` itself (headless, at
1280x720: the real frame loop, the demo's heavy chorus), old and new, and records it too.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from livesync.audio.decode import decode, resample  # noqa: E402
from livesync.devices.audio_out import ASKED_LATENCY, AudioPlayer  # noqa: E402
from livesync.resources import demo_show  # noqa: E402
from livesync.show.show_file import load_show  # noqa: E402
from tests.io.test_audio_recording import (  # noqa: E402
    Continuity,
    Recording,
    TrackIndex,
    continuity,
    new_output_ports,
    playback_sources,
    positions,
    recorder,
)
from tests.io.test_audio_session import (  # noqa: E402
    HeavyFrames,
    Session,
    Summary,
    play_session,
    summarize,
)

# The last commit whose player ran its PortAudio callback in the player's own process.
OLD_COMMIT = "f9a9ac7"


def old_player_class() -> Any:
    source = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:livesync/devices/audio_out.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_audio_out.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_audio_out", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AudioPlayer


def app_trial(tree: Path) -> tuple[Recording, Continuity, float]:
    """`livesync play --demo --exit-at-end` at 1280x720 (headless: SDL's offscreen driver),
    run from `tree` (today's repository or the old commit's files), its port recorded and
    placed in the demo song as the player resamples it. Returns the recording, its
    continuity from the first block of the song to the last, and the run's wall time."""
    show = load_show(demo_show())
    track = decode(show.audio)
    if track.samplerate != 48000:
        track = resample(track, 48000)
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "livesync", "play", "--demo", "--exit-at-end"]
    before = playback_sources()
    started = time.monotonic()
    app = subprocess.Popen([*command, "--size", "1280x720"], cwd=tree, env=env)
    try:
        with recorder(lambda: new_output_ports(before, 60.0), track.duration + 30.0) as stop:
            app.wait(timeout=track.duration + 120.0)
            recording = stop()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    where = positions(recording, TrackIndex(track.samples))
    located = np.nonzero(where >= 0)[0]
    result = continuity(recording, where, int(located[0]), int(located[-1]) + 1)
    return recording, result, time.monotonic() - started


def old_tree() -> Path:
    """The files of OLD_COMMIT, to run the old app as it was."""
    folder = Path(tempfile.mkdtemp(prefix="livesync-old-"))
    archive = subprocess.run(
        ["git", "archive", OLD_COMMIT], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def report_app(trials: list[tuple[str, Recording, Continuity, float]]) -> None:
    print("\n## `livesync play --demo` at 1280x720 (the demo song once, headless)\n")
    print(
        "| app | seconds recorded | blocks | repeated | skipped | other jumps | JACK's own "
        "hiccups, machine stalls (blocks off there) | recorder gaps | JACK xruns | "
        "drift at the end (ms) | "
        "drift without them (ms) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, recording, r, _ in trials:
        print(
            f"| {name} | {r.seconds:.1f} | {r.blocks} | {r.repeated} | {r.skipped} | {r.jumps} | "
            f"{r.server_hiccups}, {r.machine_stalls} ({r.at_hiccups}) | {r.recorder_gaps} | "
            f"{recording.xruns} | "
            f"{r.drift_ms:+.1f} | {r.own_drift_ms:+.1f} |"
        )


def hogs(count: int) -> list[subprocess.Popen[bytes]]:
    """Lowest-priority busy loops: the neighbours a performer's laptop always has."""
    loop = [sys.executable, "-c", "while 1: pass"]
    return [subprocess.Popen(["nice", "-n", "19", *loop]) for _ in range(count)]


def jack_server() -> str:
    """How the JACK server runs: realtime or not changes what a busy machine can do to it."""
    found = subprocess.run(["pgrep", "-a", "jackd"], capture_output=True, text=True).stdout
    return "; ".join(line.split(" ", 1)[1] for line in found.splitlines()) or "unknown"


def report(trials: list[tuple[str, Session, Summary]], seconds: float, hog_count: int) -> None:
    print(f"\n## Audio continuity under a busy frame loop ({seconds:g} s per player)\n")
    print(
        f"JACK server: `{jack_server()}`; {hog_count} `nice -n 19` busy loops; 1-minute load "
        f"average at the end {os.getloadavg()[0]:.1f}.\n"
    )
    print(
        "| player | heavy frames (ms each) | blocks | repeated | skipped | other jumps | "
        "silent | JACK's own hiccups, machine stalls (blocks off there) | recorder gaps | "
        "JACK xruns | "
        "drift at the end (ms) | drift without them (ms) | that per minute (ms) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, session, summary in trials:
        r = summary.continuity
        frame_ms = session.draw_seconds / max(1, session.frames_drawn) * 1000.0
        print(
            f"| {name} | {session.frames_drawn} ({frame_ms:.1f}) | {r.blocks} | {r.repeated} | "
            f"{r.skipped} | {r.jumps} | {r.silent} | "
            f"{r.server_hiccups}, {r.machine_stalls} ({r.at_hiccups}) | "
            f"{r.recorder_gaps} | {session.recording.xruns} | {r.drift_ms:+.1f} | "
            f"{r.own_drift_ms:+.1f} | {r.own_drift_ms_per_min:+.2f} |"
        )
    print(
        "\n| player | latency asked | latency the clock compensates | JACK playback latency | "
        "clock readings | clock - heard: median (ms) | p95 spread (ms) | max (ms) | "
        "seek heard (ms) | pause heard (ms) | resume heard (ms) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, session, s in trials:
        asked = '"low"' if name == "old" else f"{ASKED_LATENCY * 1000:.0f} ms"
        jack = session.jack_latency
        jack_ms = "?" if jack is None else f"{jack / session.recording.rate * 1000:.1f} ms"
        print(
            f"| {name} | {asked} | {session.output_latency * 1000:.1f} ms | {jack_ms} | "
            f"{s.clock_readings} | {s.clock_offset_ms:+.2f} | {s.clock_spread_ms:.2f} | "
            f"{s.clock_worst_ms:.2f} | "
            f"{_ms(s.seek_ms)} | {_ms(s.pause_ms)} | {_ms(s.resume_ms)} |"
        )


def _ms(value: float | None) -> str:
    return "never" if value is None else f"{value:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--which", default="old,new")
    parser.add_argument("--no-hogs", action="store_true")
    parser.add_argument("--iterations", type=int, default=25, help="shader loop: frame cost")
    parser.add_argument("--app", action="store_true", help="also play the demo with the app")
    args = parser.parse_args()
    players: dict[str, Callable[[], Any]] = {"old": old_player_class, "new": lambda: AudioPlayer}
    heavy = HeavyFrames(args.iterations)
    hog_count = 0 if args.no_hogs else 2
    neighbours = hogs(hog_count)
    trials, apps = [], []
    try:
        for name in args.which.split(","):
            session = play_session(players[name](), args.seconds, heavy)
            trials.append((name, session, summarize(session)))
        heavy.release()
        if args.app:
            for name in args.which.split(","):
                apps.append((name, *app_trial(old_tree() if name == "old" else ROOT)))
    finally:
        for hog in neighbours:
            hog.kill()
            hog.wait()
    report(trials, args.seconds, hog_count)
    if apps:
        report_app(apps)


if __name__ == "__main__":
    main()
