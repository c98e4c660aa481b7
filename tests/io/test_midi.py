"""MIDI ports: routing, LED feedback, unplug and replug, MTC sync.

There is no ALSA sequencer on these machines, so ports are an in-memory FAKE at the hardware
edge (the backend interface MidiInput talks to); messages are real mido messages built from
the bytes a controller sends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mido
import pytest

from livesync.control.events import ControlEvent, EventQueue, SelectScene, SetParamNormalized
from livesync.control.midi_map import parse_mapping
from livesync.devices.midi_ports import MidiInput, Port, find_port


class FakePort:
    def __init__(self, name: str, callback: Callable[[Any], None] | None = None) -> None:
        self.name, self.callback = name, callback
        self.sent: list[Any] = []
        self.closed = False

    def send(self, message: Any) -> None:
        self.sent.append(message)

    def close(self) -> None:
        self.closed = True


class FakeBackend:
    """Ports that appear and vanish like USB controllers."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.inputs: list[FakePort] = []
        self.outputs: list[FakePort] = []
        self.abandoned: list[FakePort] = []

    def input_names(self) -> list[str]:
        return list(self.names)

    def output_names(self) -> list[str]:
        return list(self.names)

    def open_input(self, name: str, callback: Callable[[Any], None]) -> FakePort:
        port = FakePort(name, callback)
        self.inputs.append(port)
        return port

    def open_output(self, name: str) -> FakePort:
        port = FakePort(name)
        self.outputs.append(port)
        return port

    def abandon(self, port: Port) -> None:
        assert isinstance(port, FakePort)
        self.abandoned.append(port)

    def play(self, raw: list[int]) -> None:
        parser = mido.Parser()
        parser.feed(raw)
        for msg in parser:
            callback = self.inputs[-1].callback
            assert callback is not None
            callback(msg)


MAPPING = parse_mapping(
    {
        "init_sysex": [[0, 32, 41, 2, 12, 14, 1]],
        "scenes": [
            {"note": 11, "scene": "verse", "led": 21},
            {"note": 12, "scene": "chorus", "led": 21},
        ],
        "params": [{"cc": 21, "param": "speed"}],
    }
)


def make(backend: FakeBackend, sync: bool = False) -> tuple[MidiInput, EventQueue]:
    queue = EventQueue()
    clock = iter(i * 0.01 for i in range(10_000))
    return MidiInput(
        backend, "launchpad", MAPPING, queue, lambda: next(clock), sync=sync, label="lpx"
    ), queue


def test_find_port_by_substring() -> None:
    assert (
        find_port(["Midi Through 14:0", "Launchpad X LPX MIDI 20:0"], "LPX MIDI")
        == "Launchpad X LPX MIDI 20:0"
    )
    assert find_port(["Midi Through"], "apc") is None


def test_routes_pads_and_knobs_and_drops_the_rest() -> None:
    backend = FakeBackend(["Launchpad X 20:0"])
    midi, queue = make(backend)
    midi.poll(0.0)
    assert midi.connected
    backend.play([0x90, 12, 127, 0x80, 12, 0, 0xB0, 21, 127, 0x90, 99, 127, 0xE0, 0, 64])
    assert queue.drain() == [
        SelectScene("chorus", "lpx note 12"),
        SetParamNormalized("speed", 1.0, "lpx cc 21", control="lpx/0/cc21"),
    ]
    assert midi.dropped >= 2  # note 99 has no mapping; the note-off is not a press


def test_leds_init_sysex_and_replug() -> None:
    backend = FakeBackend(["Launchpad X 20:0"])
    midi, _ = make(backend)
    midi.poll(0.0)
    out = backend.outputs[-1]
    assert out.sent[0].type == "sysex" and list(out.sent[0].data) == [0, 32, 41, 2, 12, 14, 1]
    midi.show_scene(("verse", "chorus"), active=1)
    lit = {(m.note, m.velocity) for m in out.sent if m.type == "note_on"}
    assert lit == {(11, 0), (12, 21)}
    backend.names = []  # unplugged
    midi.poll(1.0)  # too soon: not rescanned yet
    assert midi.connected
    midi.poll(2.0)
    assert not midi.connected and backend.inputs[-1].closed
    backend.names = ["Launchpad X 21:0"]  # back, on another port number
    midi.poll(4.0)
    assert midi.connected and len(backend.inputs) == 2
    again = backend.outputs[-1].sent
    assert again[0].type == "sysex"  # programmer mode again...
    assert (12, 21) in {(m.note, m.velocity) for m in again if m.type == "note_on"}  # ...LEDs


def test_mtc_and_clock_reach_the_sync_reports() -> None:
    backend = FakeBackend(["Launchpad X"])
    midi, _ = make(backend, sync=True)
    midi.poll(0.0)
    raw: list[int] = []
    for piece, value in enumerate([0, 0, 5, 0, 1, 0, 0, 3 << 1]):  # 00:01:05:00 at 30 fps
        raw += [0xF1, (piece << 4) | value]
    backend.play(raw + [0xFA] + [0xF8] * 30 + [0xFC])
    kinds: list[tuple[str, object]] = [(k, v) for k, v, _ in midi.sync_reports]
    assert kinds[0] == ("mtc", pytest.approx(65 + 2 / 30))
    assert kinds[-1] == ("stop", None)
    assert midi.clock.state().beats == pytest.approx(30 / 24)


def test_a_backend_without_midi_is_not_fatal() -> None:
    class Broken(FakeBackend):
        def input_names(self) -> list[str]:
            raise OSError("ALSA lib seq_hw.c: cannot open /dev/snd/seq")

    midi, _ = make(Broken([]))
    midi.poll(0.0)
    assert not midi.connected


def test_a_midi_system_that_stops_answering_leaves_its_ports_unclosed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A stopped JACK server makes listing fail; closing its ports would crash rtmidi, so
    they are abandoned (the real backend's abandon is tested against a real server below)."""

    class Stoppable(FakeBackend):
        running = True

        def input_names(self) -> list[str]:
            if not self.running:
                raise SystemError("MidiInJack::initialize: JACK server not running?")
            return super().input_names()

    backend = Stoppable(["Launchpad X 20:0"])
    midi, _ = make(backend)
    midi.poll(0.0)
    assert midi.connected
    backend.running = False
    midi.poll(2.0)
    assert not midi.connected
    assert backend.abandoned == [backend.inputs[0], backend.outputs[0]]
    assert not backend.inputs[0].closed and not backend.outputs[0].closed
    assert "stopped answering" in caplog.text
    backend.running = True  # the server is back
    midi.poll(4.0)
    assert midi.connected and len(backend.inputs) == 2
    midi.close()
    assert backend.inputs[1].closed


def test_the_watcher_lists_ports_off_the_caller_s_thread() -> None:
    """Listing ports may take seconds (JACK MIDI opens a client for it): with watch() the
    listing runs on its own thread, and the main loop's LED updates do not wait for it."""
    listing = threading.Event()
    release = threading.Event()

    class Slow(FakeBackend):
        def input_names(self) -> list[str]:
            listing.set()
            release.wait(10)
            return super().input_names()

    backend = Slow(["Launchpad X 20:0"])
    queue = EventQueue()
    clock = iter(float(i) for i in range(10_000))
    midi = MidiInput(backend, "launchpad", MAPPING, queue, lambda: next(clock))
    midi.watch()
    try:
        assert listing.wait(10)
        lit = threading.Thread(target=midi.show_scene, args=(("verse", "chorus"), 0))
        lit.start()
        lit.join(5)
        assert not lit.is_alive()  # not blocked behind the listing
        assert not midi.connected
        release.set()
        deadline = time.monotonic() + 10
        while not midi.connected and time.monotonic() < deadline:
            time.sleep(0.01)
        assert midi.connected  # opened by the watcher, LEDs sent on connect
        assert (11, 21) in {
            (m.note, m.velocity) for m in backend.outputs[-1].sent if m.type == "note_on"
        }
    finally:
        release.set()
        midi.close()
    assert backend.inputs[-1].closed


def test_a_real_port_through_jack_midi() -> None:
    """Port to port through JACK MIDI (jackd runs in the test command): a virtual
    'controller' output, opened by name as the controller's input, and its notes arrive."""
    import os
    import time

    from livesync.devices.midi_ports import MidoBackend

    try:
        backend = MidoBackend("UNIX_JACK")
        controller = mido.Backend("mido.backends.rtmidi/UNIX_JACK").open_output(
            "livesync test pad", virtual=True
        )
    except Exception as exc:
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip(f"no JACK server here: {exc}")
    queue = EventQueue()
    midi = MidiInput(backend, "livesync test pad", MAPPING, queue, time.perf_counter)
    try:
        midi.poll(0.0)
        assert midi.connected
        controller.send(mido.Message("note_on", note=11, velocity=90))
        deadline = time.monotonic() + 2
        events: list[ControlEvent] = []
        while not events and time.monotonic() < deadline:
            events = queue.drain()
            time.sleep(0.01)
        assert events == [SelectScene("verse", "midi note 11")]
    finally:
        midi.close()
        controller.close()


PAD = """
import sys, mido
port = mido.Backend("mido.backends.rtmidi/UNIX_JACK").open_output("gone pad", virtual=True)
print("ready", flush=True)
sys.stdin.read()
"""
GONE = """
import sys, time
from livesync.control.events import EventQueue
from livesync.control.midi_map import MidiMapping
from livesync.devices.midi_ports import MidiInput, MidoBackend
midi = MidiInput(MidoBackend("UNIX_JACK"), "gone pad", MidiMapping(), EventQueue(), time.monotonic)
midi.poll(0.0)
print("connected" if midi.connected else "not connected", flush=True)
sys.stdin.readline()  # the test stops the JACK server here
midi.poll(10.0)
print("connected" if midi.connected else "not connected", flush=True)
midi.close()
print("closed", flush=True)
"""


def test_a_jack_server_that_stops_does_not_crash_the_player(tmp_path: Path) -> None:
    """A real JACK server of its own (a private server name, so the suite's server is not
    touched) stops while a controller port is open through it: the player notices, does
    not close the dead port (rtmidi segfaults on that) and exits cleanly."""
    name = f"livesync-gone-{os.getpid()}"
    env = {**os.environ, "JACK_DEFAULT_SERVER": name, "JACK_NO_AUDIO_RESERVATION": "1"}
    try:
        server = subprocess.Popen(
            ["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "1024"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip("jackd is not installed here")
    pad: subprocess.Popen[str] | None = None
    try:
        up = subprocess.run(["jack_wait", "--wait", "--timeout", "15"], env=env, check=False)
        assert up.returncode == 0, "the private JACK server did not come up"
        pad = subprocess.Popen(  # the controller, a process of its own as a device would be
            [sys.executable, "-c", PAD],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert pad.stdout is not None and pad.stdout.readline().strip() == "ready"
        player = subprocess.Popen(
            [sys.executable, "-c", GONE],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert player.stdout is not None and player.stdin is not None
        assert player.stdout.readline().strip() == "connected"
        server.terminate()
        server.wait(15)
        player.stdin.write("\n")
        player.stdin.flush()
        out, err = player.communicate(timeout=60)
        assert player.returncode == 0, err[-2000:]
        assert out.split() == ["not", "connected", "closed"]
        assert "stopped answering" in err
    finally:
        for process in (server, pad):
            if process is not None:
                process.kill()
                process.wait()
