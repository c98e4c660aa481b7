"""Edge: `livesync learn`, the interactive part of MIDI learn (prompts, a real port)."""

from __future__ import annotations

import queue
import sys
import time
from pathlib import Path
from typing import Any

from livesync.control.learn import LearnSession, Target
from livesync.errors import DeviceError, InputError
from livesync.show.show_file import Show


def learn(show: Show, out: Path, port: str | None, timeout: float) -> int:
    from livesync.devices.files import write_text
    from livesync.devices.midi_ports import MidoBackend, find_port

    wanted = port or show.control.midi.port
    if not wanted:
        raise InputError(show.path, "no MIDI port: give --port NAME (see `livesync devices`)")
    try:
        backend = MidoBackend()
        name = find_port(backend.input_names(), wanted)
    except Exception as exc:
        raise DeviceError(f"MIDI is not available here ({exc})") from None
    if name is None:
        raise DeviceError(f"no MIDI input matching {wanted!r} (`livesync devices` lists them)")
    targets = [Target("scene", s.name) for s in show.scenes] + [
        Target("param", p.name) for p in show.control.params
    ]
    session = LearnSession(targets)
    messages: queue.SimpleQueue[Any] = queue.SimpleQueue()
    device = backend.open_input(name, messages.put)
    try:
        while session.current is not None:
            target = session.current
            what = "press the pad or button" if target.kind == "scene" else "move the knob or fader"
            print(
                f"{target.kind} {target.name!r}: {what} (skipped after {timeout:g} s)",
                file=sys.stderr,
                flush=True,
            )
            deadline = time.monotonic() + timeout
            while session.current is target:
                left = deadline - time.monotonic()
                if left <= 0:
                    print(f"  skipped {target.name!r}", file=sys.stderr)
                    session.skip()
                    break
                try:
                    msg = messages.get(timeout=left)
                except queue.Empty:
                    continue
                number = getattr(msg, "note", getattr(msg, "control", None))
                value = getattr(msg, "velocity", getattr(msg, "value", 0))
                if number is not None and session.offer(msg.type, msg.channel, number, value):
                    print(
                        f"  {target.name!r} <- {msg.type} {number} (channel {msg.channel + 1})",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        device.close()
    write_text(out, session.to_toml())  # all or nothing: the old mapping stays on a failure
    print(
        f'{out}: {len(session.learned)} controls; add  mapping = "{out.name}"  to the '
        f"show's [midi] table",
        file=sys.stderr,
    )
    return 0
