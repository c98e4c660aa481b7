"""A long show: the demo played on `--loop` for hours with OSC, MIDI and a hot reload a minute.

    python benchmarks/soak.py [--minutes 120] [--window 5] [--clock auto|jack|silent]
        [--no-midi] [--keep DIR]

Runs `livesync play SHOW --loop --frame-log FILE` headless (SDL's offscreen driver) on a copy
of the demo show whose song is noise of the demo's length at 48 kHz (so what the player sends
to JACK can be placed in the track exactly: tests/io/test_audio_recording.py), and meanwhile:

- OSC at about 20 messages a second: parameter sweeps, a scene pick every 10 s, the named cue
  every 30 s, and a message for a parameter the show lacks (counted and dropped);
- MIDI, when a JACK server runs: a virtual JACK MIDI port the show opens as an APC mini mk2,
  a fader sweep 10 times a second and a scene pad every 10 s;
- a hot reload every minute: the show file saved with a parameter changed.

It compares a window at the start (after the first minute) with one at the end: the player's
resident memory, frame-time p50/p99/max (reload stalls included), how far each frame's song
time is from the moment it was shown (deviation from the run's median, as
benchmarks/flip_sync.py), the song clock's rate against the shown times, and on JACK the
audio as recorded from the player's output port: repeated, skipped or silent blocks and drift
against JACK's frame clock within each pass through the song. `--clock auto` uses JACK when a
jackd runs, else the wall clock (`--silent`: then no audio and no MIDI).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import itertools
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import machine, table  # noqa: E402
from pythonosc.udp_client import SimpleUDPClient  # noqa: E402

from tests.e2e.test_live_control import free_port, rss_mb  # noqa: E402
from tests.e2e.test_soak import save_again, soak_show  # noqa: E402

MIDI_PORT = "livesync soak pad"
RSS_EVERY = 10.0
RELOAD_EVERY = 60.0


@dataclass
class Window:
    """One stretch of the run that the report compares with another."""

    name: str
    start: float  # seconds since the first frame
    end: float
    rss: list[float] = field(default_factory=list)
    audio: dict[str, float] | None = None


class Traffic(threading.Thread):
    """OSC (and MIDI when there is a port) at a steady rate until stopped."""

    def __init__(self, osc_port: int, midi: Any) -> None:
        super().__init__(daemon=True)
        self.osc = SimpleUDPClient("127.0.0.1", osc_port)
        self.midi = midi
        self.stop = threading.Event()
        self.osc_sent = self.midi_sent = 0

    def run(self) -> None:
        tick = 0
        while not self.stop.wait(0.1):
            tick += 1
            self.osc.send_message("/livesync/param/intensity", (tick % 20) / 20)
            self.osc.send_message("/livesync/param/no_such_param", 1.0)
            self.osc_sent += 2
            if tick % 100 == 0:
                self.osc.send_message("/livesync/scene", ["verse", "chorus"][tick // 100 % 2])
                self.osc_sent += 1
            if tick % 300 == 150:
                self.osc.send_message("/livesync/cue", "break")
                self.osc_sent += 1
            if self.midi is not None:
                self._midi(tick)

    def _midi(self, tick: int) -> None:
        import mido

        self.midi.send(mido.Message("control_change", control=48, value=tick * 5 % 128))
        self.midi_sent += 1
        if tick % 100 == 50:
            pad = tick // 100 % 3
            self.midi.send(mido.Message("note_on", note=pad, velocity=100))
            self.midi.send(mido.Message("note_off", note=pad))
            self.midi_sent += 2


def jack_running() -> bool:
    return subprocess.run(["pgrep", "-x", "jackd"], capture_output=True).returncode == 0


def open_midi() -> Any:
    """A virtual JACK MIDI output for the player to open as its controller, or None."""
    import mido

    try:
        return mido.Backend("mido.backends.rtmidi/UNIX_JACK").open_output(MIDI_PORT, virtual=True)
    except Exception as exc:
        print(f"no JACK MIDI ({exc}): the soak runs without MIDI", file=sys.stderr)
        return None


def read_log(log: Path) -> npt.NDArray[np.float64]:
    """(song time, shown time) per complete frame-log line."""
    rows = [
        line.split() for line in log.read_text().splitlines(keepends=True) if line.endswith("\n")
    ]
    return np.array([(float(r[1]), float(r[3])) for r in rows], dtype=np.float64)


def frame_figures(frames: npt.NDArray[np.float64], first: float, w: Window) -> dict[str, float]:
    """Frame pacing, flip sync and the song clock's rate inside a window (seconds after the
    first frame, `first` on the shown clock)."""
    shown = frames[:, 1] - first
    inside = frames[(shown >= w.start) & (shown < w.end)]
    song, at = inside[:, 0], inside[:, 1]
    intervals = np.diff(at) * 1e3
    error = song - at
    loops = np.nonzero(np.diff(song) < -1.0)[0] + 1  # the song went back to the start
    rates, deviations = [], []
    for part in np.split(np.arange(len(song)), loops):
        if len(part) > 30:
            rates.append(np.polyfit(at[part], song[part], 1)[0])
            deviations.append(np.abs(error[part] - np.median(error[part])) * 1e3)
    deviation = np.concatenate(deviations) if deviations else np.zeros(1)
    return {
        "frames": float(len(inside)),
        "fps": len(inside) / (w.end - w.start),
        "p50": float(np.median(intervals)),
        "p99": float(np.percentile(intervals, 99)),
        "max": float(intervals.max()),
        "dev_p50": float(np.median(deviation)),
        "dev_p99": float(np.percentile(deviation, 99)),
        "rate": float(np.mean(rates)) if rates else float("nan"),
        "loops": float(len(loops)),
    }


def audio_figures(recording: Any, track: npt.NDArray[np.float32]) -> dict[str, float]:
    """The recording placed in the track; continuity within each pass through the song."""
    from tests.io.test_audio_recording import TrackIndex, continuity, positions

    where = positions(recording, TrackIndex(track))
    located = np.nonzero(where >= 0)[0]
    kinds = ("repeated", "skipped", "jumps", "silent", "unknown", "gaps", "hiccups", "stalls")
    totals = dict.fromkeys(kinds, 0.0)
    drifts: list[float] = []
    if len(located) == 0:
        return {**totals, "passes": 0.0, "drift": float("nan"), "xruns": recording.xruns}
    starts = [located[0]]
    ends: list[int] = []
    for previous, k in itertools.pairwise(located):
        if where[k] < where[previous]:  # back to the start of the song: a new pass
            ends.append(int(previous) + 1)
            starts.append(k)
    ends.append(int(located[-1]) + 1)
    for first, last in zip(starts, ends, strict=True):
        if last - first < 20:
            continue
        c = continuity(recording, where, int(first), int(last))
        totals["repeated"] += c.repeated
        totals["skipped"] += c.skipped
        totals["jumps"] += c.jumps
        totals["silent"] += c.silent
        totals["unknown"] += c.unknown
        totals["gaps"] += c.recorder_gaps
        totals["hiccups"] += c.server_hiccups
        totals["stalls"] += c.machine_stalls
        drifts.append(c.own_drift_ms_per_min)
    worst = max(drifts, key=abs) if drifts else float("nan")
    return {**totals, "passes": float(len(drifts)), "drift": worst, "xruns": recording.xruns}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=120.0)
    parser.add_argument("--window", type=float, help="minutes compared (default: a quarter)")
    parser.add_argument("--clock", choices=("auto", "jack", "silent"), default="auto")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--no-midi", action="store_true", help="no MIDI controller, even on JACK")
    parser.add_argument("--keep", type=Path, help="keep the show, frame log and log in this folder")
    args = parser.parse_args()
    total = args.minutes * 60
    span = 60 * args.window if args.window else min(300.0, total / 4)
    jack = args.clock == "jack" or (args.clock == "auto" and jack_running())
    windows = [Window("start", min(60.0, total / 4), min(60.0, total / 4) + span)]
    windows.append(Window("end", total - span, total))
    print(machine())
    with contextlib.ExitStack() as stack:
        folder = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        run(folder, total, windows, jack, args.size, midi=jack and not args.no_midi)


def run(
    folder: Path, total: float, windows: list[Window], jack: bool, size: str, midi: bool
) -> None:
    import soundfile

    pad = open_midi() if midi else None
    show = soak_show(folder / "show", midi_port=MIDI_PORT if pad is not None else None)
    track, _ = soundfile.read(folder / "show" / "soak.wav", dtype="float32", always_2d=True)
    port, log, err = free_port(), folder / "frames.txt", folder / "stderr.txt"
    command = [sys.executable, "-m", "livesync", "play", str(show), "--loop", "--size", size]
    command += ["--osc-port", str(port), "--frame-log", str(log)]
    command += [] if jack else ["--silent"]
    audio: Any = None
    before: set[str] = set()
    if jack:  # the recording tools the audio tests use
        audio = importlib.import_module("tests.io.test_audio_recording")
        before = audio.playback_sources()
    with err.open("w") as stderr:
        player = subprocess.Popen(
            command, stderr=stderr, env={**os.environ, "SDL_VIDEODRIVER": "offscreen"}
        )
    traffic = Traffic(port, pad)
    try:
        deadline = time.monotonic() + 60
        while not log.exists() or not log.read_text():
            if player.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the player did not start:\n{err.read_text()[-2000:]}")
            time.sleep(0.1)
        first = time.monotonic()
        ports: list[str] = audio.new_output_ports(before) if audio is not None else []
        traffic.start()
        soak(player, show, first, total, windows, ports, track, audio)
    finally:
        traffic.stop.set()
        player.terminate()
        player.wait(timeout=60)
        if pad is not None:
            pad.close()
    report(read_log(log), err.read_text(), windows, total, traffic, jack)


def soak(
    player: subprocess.Popen[bytes],
    show: Path,
    first: float,
    total: float,
    windows: list[Window],
    ports: list[str],
    track: npt.NDArray[np.float32],
    audio: Any,
) -> None:
    """The schedule: memory every RSS_EVERY, a reload every RELOAD_EVERY, and the recording
    of each window's sound."""
    reloads, next_rss, next_reload = 0, 0.0, RELOAD_EVERY
    with contextlib.ExitStack() as recording:
        stop: Any = None
        current: Window | None = None
        while (now := time.monotonic() - first) < total:
            if player.poll() is not None:
                raise RuntimeError(f"the player exited ({player.returncode}) at {now:.0f} s")
            if current is None:
                current = next((w for w in windows if w.start <= now < w.end), None)
                if current is not None:
                    stop = start_recording(recording, audio, ports, current, now)
            if current is not None and now >= current.end:
                if stop is not None:
                    current.audio = recorded(stop, track, current)
                    recording.close()
                    stop = None
                current = None
            if now >= next_rss:
                for w in windows:
                    if w.start <= now < w.end:
                        w.rss.append(rss_mb(player.pid))
                next_rss += RSS_EVERY
            if now >= next_reload:
                reloads += 1
                save_again(show, reloads)
                next_reload += RELOAD_EVERY
            time.sleep(0.2)
        if current is not None and stop is not None:
            current.audio = recorded(stop, track, current)


def start_recording(
    stack: contextlib.ExitStack[Any], audio: Any, ports: list[str], window: Window, now: float
) -> Any:
    """Records the player's port until the window ends; None (said on stderr) if it cannot."""
    if not ports:
        return None
    try:
        return stack.enter_context(audio.recorder(ports, window.end - now + 5))
    except Exception as exc:  # the show goes on; the window has no sound figures
        print(f"recording the {window.name} window failed: {exc!r}", file=sys.stderr)
        return None


def recorded(stop: Any, track: npt.NDArray[np.float32], window: Window) -> dict[str, float] | None:
    """The window's sound figures, or None (said on stderr) if the recording failed."""
    try:
        return audio_figures(stop(), track)
    except Exception as exc:
        print(f"recording the {window.name} window failed: {exc!r}", file=sys.stderr)
        return None


def report(
    frames: npt.NDArray[np.float64],
    log: str,
    windows: list[Window],
    total: float,
    traffic: Traffic,
    jack: bool,
) -> None:
    first = frames[0, 1]
    rows: list[list[object]] = []
    for w in windows:
        f = frame_figures(frames, first, w)
        rss = w.rss or [float("nan")]
        rows.append(
            [
                f"{w.name} ({w.start / 60:.1f}-{w.end / 60:.1f} min)",
                f"{rss[0]:.0f} -> {rss[-1]:.0f}",
                int(f["frames"]),
                f"{f['fps']:.1f}",
                f"{f['p50']:.1f} / {f['p99']:.1f} / {f['max']:.0f}",
                f"{f['dev_p50']:.2f} / {f['dev_p99']:.1f}",
                f"{f['rate']:.5f}",
                int(f["loops"]),
            ]
        )
    header = [
        "window",
        "RSS (MB)",
        "frames",
        "fps",
        "frame ms p50 / p99 / max",
        "flip deviation ms p50 / p99",
        "song s per shown s",
        "loops",
    ]
    print(table(header, rows))
    if jack:
        audio_rows = []
        for w in windows:
            a = w.audio or {}
            audio_rows.append(
                [w.name]
                + [
                    int(a.get(k, -1))
                    for k in (
                        "passes",
                        "repeated",
                        "skipped",
                        "jumps",
                        "silent",
                        "xruns",
                        "hiccups",
                        "stalls",
                    )
                ]
                + [f"{a.get('drift', float('nan')):.3f}"]
            )
        print()
        print(
            table(
                [
                    "window",
                    "song passes recorded",
                    "repeated blocks",
                    "skipped blocks",
                    "jumps",
                    "silent blocks",
                    "JACK xruns",
                    "JACK's own hiccups",
                    "machine stalls",
                    "worst drift, own (ms/min)",
                ],
                audio_rows,
            )
        )
    counts = {
        "loops": log.count("playing it again from the start"),
        "reloads": log.count("reloaded show"),
        "OSC applied": len(re.findall(r"\(osc ", log)),
        "MIDI applied": len(re.findall(r"\(midi ", log)),
        "errors": len(re.findall(r"error|Traceback", log, re.IGNORECASE)),
    }
    print(
        f"\n{total / 60:.0f} min played; sent {traffic.osc_sent} OSC and {traffic.midi_sent} "
        f"MIDI messages; " + ", ".join(f"{k}: {v}" for k, v in counts.items())
    )


if __name__ == "__main__":
    main()
