"""Control events: what OSC, MIDI and the keyboard become at the edge, and the bounded queue
that carries them to the frame loop.

The OSC and MIDI edges run on their own threads and turn whatever arrives into one of the
event types below, pushed onto a bounded `EventQueue`. Once per frame the frame loop drains
the queue into `ControlState`, so an event received before a frame starts is visible in that
frame, and nothing here waits on a socket or a port.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SelectScene:
    scene: str | int  # a name, or an index into the show's scenes
    source: str
    fade: float = 0.0  # seconds of crossfade from the scene on screen (0 is a cut)


@dataclass(frozen=True, slots=True)
class SetParam:
    name: str
    value: float  # in the parameter's own units (clamped to its range)
    source: str


@dataclass(frozen=True, slots=True)
class SetParamNormalized:
    """A knob or fader position 0..1, mapped onto the parameter's range and curve."""

    name: str
    position: float
    source: str
    control: str = ""  # which physical control, for soft takeover


@dataclass(frozen=True, slots=True)
class Transport:
    action: str  # play, pause, stop, seek
    source: str
    position: float | None = None


@dataclass(frozen=True, slots=True)
class SetOffset:
    ms: float
    source: str


@dataclass(frozen=True, slots=True)
class TriggerCue:
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class PickSong:
    """In a set list: start a song now, by name or index (0 is the first), or the next one
    (None). The set player owns where the set is; the live state has no part in it."""

    song: str | int | None
    source: str


ControlEvent = (
    SelectScene | SetParam | SetParamNormalized | Transport | SetOffset | TriggerCue | PickSong
)


class EventQueue:
    """Thread-safe, bounded: a flood drops the oldest events (counted) instead of growing."""

    def __init__(self, capacity: int = 4096) -> None:
        self._items: deque[ControlEvent] = deque()
        self._capacity = capacity
        self._lock = threading.Lock()
        self.dropped = 0

    def put(self, event: ControlEvent) -> None:
        with self._lock:
            if len(self._items) >= self._capacity:
                self._items.popleft()
                self.dropped += 1
            self._items.append(event)

    def drain(self) -> list[ControlEvent]:
        with self._lock:
            items = list(self._items)
            self._items.clear()
        return items
