"""Edge: MIDI ports through mido (python-rtmidi backend): controller input, LED feedback,
and MTC / MIDI clock sync, with ports re-opened by name when a controller comes back.

mido messages are converted to plain fields here and handed to the pure mapping
(livesync.control.midi_map) and sync decoders (livesync.sync.midi_decoders). Port access goes
through a small backend interface so the logic runs against an in-memory fake in tests (there
is no ALSA sequencer on CI machines); `MidoBackend` is the real one.

Ports are watched on a thread of their own: through JACK MIDI every listing of the ports opens
a JACK client, which took 0.7-4.4 s on a loaded machine, and the picture must never wait for
it (the frame loop only reads what the watcher and the backend's callbacks hand over).
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import mido

from livesync.control.events import EventQueue
from livesync.control.midi_map import MidiMapping
from livesync.quiet import c_library_output
from livesync.sync.midi_decoders import MidiClockDecoder, MtcDecoder

log = logging.getLogger("livesync")
RESCAN_SECONDS = 1.5


class Port(Protocol):
    def close(self) -> None: ...


class OutPort(Port, Protocol):
    def send(self, message: Any) -> None: ...


class MidiBackend(Protocol):
    def input_names(self) -> list[str]: ...

    def output_names(self) -> list[str]: ...

    def open_input(self, name: str, callback: Callable[[Any], None]) -> Port: ...

    def open_output(self, name: str) -> OutPort: ...

    def abandon(self, port: Port) -> None:
        """Forget a port whose MIDI system has gone away, without closing it."""


class MidoBackend:
    """mido with python-rtmidi: the real ports. ALSA (or the platform's own API) first; where
    there is no ALSA sequencer but a JACK server runs, JACK MIDI. Port errors surface as
    exceptions and are handled by MidiInput."""

    def __init__(self, api: str | None = None) -> None:
        self._mido: Any = mido.Backend(
            f"mido.backends.rtmidi/{api}" if api else "mido.backends.rtmidi"
        )
        if api is None:
            with c_library_output("MIDI (ALSA, JACK)"):
                try:
                    self._mido.get_input_names()
                except Exception:
                    jack = mido.Backend("mido.backends.rtmidi/UNIX_JACK")
                    jack.get_input_names()  # raises too if there is no JACK either
                    self._mido = jack

    def input_names(self) -> list[str]:
        return list(self._mido.get_input_names())

    def output_names(self) -> list[str]:
        return list(self._mido.get_output_names())

    def open_input(self, name: str, callback: Callable[[Any], None]) -> Port:
        port: Port = self._mido.open_input(name, callback=callback)
        return port

    def open_output(self, name: str) -> OutPort:
        port: OutPort = self._mido.open_output(name)
        return port

    def abandon(self, port: Port) -> None:
        """Closing (or freeing) a port whose JACK server has stopped crashes rtmidi's JACK
        backend (a segfault in `close_port`), so such a port is never closed: its callback
        is dropped, mido is told it is closed (so its __del__ does nothing) and the rtmidi
        object is kept alive to the end of the process. A few hundred bytes per server
        that went away."""
        any_port: Any = port
        if hasattr(any_port, "callback"):
            any_port.callback = None
        native = getattr(any_port, "_rt", None)
        if native is not None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(native))
        any_port.closed = True


def find_port(names: list[str], wanted: str) -> str | None:
    """The first port whose name contains `wanted` (case-insensitive): OS port names carry
    numbers and suffixes ("APC mini mk2 Control 20:0") that change between machines."""
    needle = wanted.lower()
    return next((n for n in names if needle in n.lower()), None)


class MidiInput:
    """One controller (and optionally its sync messages): opened by name, watched for
    unplugging, re-opened with its LEDs and init SysEx re-sent when it returns."""

    def __init__(
        self,
        backend: MidiBackend,
        wanted: str,
        mapping: MidiMapping,
        queue: EventQueue,
        time_source: Callable[[], float],
        sync: bool = False,
        label: str = "midi",
    ) -> None:
        self.backend, self.wanted, self.mapping = backend, wanted, mapping
        self.queue, self.label = queue, label
        self.sync = sync
        self.mtc = MtcDecoder()
        self.clock = MidiClockDecoder()
        # (kind, song time or None, arrival time): read by the main loop for the follow clock
        self.sync_reports: deque[tuple[str, float | None, float]] = deque(maxlen=256)
        self.dropped = 0
        self._input: Port | None = None
        self._output: OutPort | None = None
        self._name: str | None = None
        self._last_scan = -1e9
        self._leds: list[tuple[str, int, int, int]] = []
        self._time_source = time_source
        # The watcher thread opens and closes ports; the main loop sends LEDs through them.
        self._ports = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def connected(self) -> bool:
        return self._input is not None

    def watch(self) -> None:
        """Rescan the ports every RESCAN_SECONDS on a thread of its own, from now until
        close(): a slow port listing never holds up a frame."""
        if self._watcher is not None:
            return

        def rescan() -> None:
            while not self._stop.is_set():
                try:
                    self.poll(self._time_source())
                except Exception:  # the watcher must outlive any surprise from a driver
                    log.debug("MIDI port rescan failed", exc_info=True)
                self._stop.wait(RESCAN_SECONDS)

        self._watcher = threading.Thread(target=rescan, name="livesync MIDI ports", daemon=True)
        self._watcher.start()

    def poll(self, now: float) -> None:
        """Every RESCAN_SECONDS: notice a controller that vanished or (re)appeared. Called
        by the watcher thread (watch), or directly where a test drives the time."""
        if now - self._last_scan < RESCAN_SECONDS:
            return
        self._last_scan = now
        try:
            names = self.backend.input_names()
        except Exception as exc:  # rtmidi raises its own types; an unplug is never fatal
            if self._input is not None:
                # The MIDI system itself has gone (a JACK server that stopped): its ports
                # cannot even be closed safely.
                log.warning(
                    "MIDI controller %s is gone: the MIDI system stopped answering (%s); "
                    "waiting for it to return",
                    self._name,
                    exc,
                )
                self._close(abandon=True)
            elif self._name is None:
                log.debug("MIDI ports cannot be listed (%s)", exc)
            return
        present = self._name is not None and self._name in names
        if self._input is not None and not present:
            log.warning("MIDI controller %s unplugged; waiting for it to return", self._name)
            self._close()
        if self._input is None:
            name = find_port(names, self.wanted)
            if name is not None:
                self._open(name)

    def _open(self, name: str) -> None:
        with self._ports:
            self._open_locked(name)

    def _open_locked(self, name: str) -> None:
        if self._stop.is_set():  # closed while the watcher was listing
            return
        try:
            self._input = self.backend.open_input(name, self._receive)
        except Exception as exc:
            log.warning("cannot open MIDI input %s (%s)", name, exc)
            return
        self._name = name
        try:
            outputs = self.backend.output_names()
            out_name = find_port(outputs, self.wanted)
            self._output = self.backend.open_output(out_name) if out_name else None
        except Exception:
            self._output = None
        log.info("MIDI controller connected: %s", name)
        for data in self.mapping.init_sysex:
            self._send("sysex", data=list(data))
        self._send_leds()

    def _close(self, abandon: bool = False) -> None:
        with self._ports:
            for port in (self._input, self._output):
                if port is None:
                    continue
                try:
                    if abandon:
                        self.backend.abandon(port)
                    else:
                        port.close()
                except Exception:
                    pass
            self._input = self._output = None

    def close(self) -> None:
        """Stop watching and close the ports. A watcher in the middle of a slow listing is
        not waited for long: it is a daemon thread and sees the stop when it returns."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=0.5)
        self._close()

    def show_scene(self, scene_names: tuple[str, ...], active: int) -> None:
        """Light the active scene's pad; remembered and re-sent after a reconnect."""
        with self._ports:
            self._leds = self.mapping.leds(scene_names, active)
            self._send_leds()

    def _send_leds(self) -> None:
        for kind, channel, number, value in self._leds:
            if kind == "note_on":
                self._send("note_on", channel=channel, note=number, velocity=value)
            else:
                self._send("control_change", channel=channel, control=number, value=value)

    def _send(self, kind: str, **fields: Any) -> None:
        if self._output is None:
            return
        try:
            self._output.send(mido.Message(kind, **fields))
        except Exception:
            log.debug("MIDI output to %s failed", self._name, exc_info=True)

    def _receive(self, message: Any) -> None:
        """Runs on the MIDI backend's thread: convert, route, enqueue; never raise."""
        try:
            self._handle(message)
        except Exception:  # a malformed message must not kill the backend's thread
            self.dropped += 1
            log.debug("MIDI message dropped: %r", message, exc_info=True)

    def _handle(self, msg: Any) -> None:
        kind = msg.type
        if kind in ("note_on", "note_off", "control_change", "program_change"):
            a = getattr(msg, "note", getattr(msg, "control", getattr(msg, "program", 0)))
            b = getattr(msg, "velocity", getattr(msg, "value", 0))
            event = self.mapping.route(kind, msg.channel, a, b, port=self.label)
            if event is None:
                self.dropped += 1
                log.debug("MIDI %s: no mapping, dropped", msg)
            else:
                self.queue.put(event)
            return
        if not self.sync:
            return
        if kind == "quarter_frame":
            self._sync("mtc", self.mtc.quarter_frame(msg.frame_type, msg.frame_value))
        elif kind == "sysex":
            self._sync("mtc", self.mtc.full_frame(msg.data))
        elif kind == "clock":
            self.clock.clock(self._time_source())
        elif kind == "start":
            self.clock.start()
        elif kind == "stop":
            self.clock.stop()
            self._sync("stop", None)
        elif kind == "continue":
            self.clock.resume()
        elif kind == "songpos":
            self.clock.song_position(msg.pos)

    def _sync(self, what: str, value: float | None) -> None:
        if what == "mtc" and value is None:
            return
        self.sync_reports.append((what, value, self._time_source()))
