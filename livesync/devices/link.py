"""Edge: Ableton Link as a tempo and beat-phase source (the optional `aalink` package).

Link shares a tempo and a beat grid between programs on the local network (Live, Bitwig,
Traktor, phone apps). livesync joins the session and reads tempo, beat and phase once per
frame; it never sets them. aalink needs an asyncio loop, so the session lives on a small
thread of its own. Joining announces livesync on the local network (Link's multicast
discovery), which is why it is opt-in (`[sync] link = true`) and not exercised by the test
suite; the per-frame use of its state is tested with a stand-in.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

from livesync.errors import DeviceError

try:  # optional: pip install 'livesync[link]'
    import aalink
except ImportError:
    aalink = None


@dataclass(frozen=True, slots=True)
class LinkState:
    bpm: float
    beat: float
    phase: float  # 0..quantum: where in the bar (quantum beats) the session is
    quantum: float
    peers: int


class LinkSource:
    def __init__(self, quantum: float = 4.0, start_bpm: float = 120.0) -> None:
        if aalink is None:
            raise DeviceError("Ableton Link needs the aalink package: pip install 'livesync[link]'")
        self._aalink = aalink
        self._quantum = quantum
        self._start_bpm = start_bpm
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.link: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="livesync-link", daemon=True)
        self._thread.start()
        self._ready.wait(5.0)
        if self._error is not None or self.link is None:
            raise DeviceError(f"cannot join an Ableton Link session ({self._error})")

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def join() -> None:
            link = self._aalink.Link(self._start_bpm)
            link.quantum = self._quantum
            link.enabled = True
            self.link = link

        try:
            loop.run_until_complete(join())
        except Exception as exc:  # a Link that cannot start: reported by the constructor
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()
        loop.close()

    def state(self) -> LinkState:
        link = self.link
        return LinkState(
            float(link.tempo),
            float(link.beat),
            float(link.phase),
            float(link.quantum),
            int(link.num_peers),
        )

    def close(self) -> None:
        if self._loop is not None and self.link is not None:
            self.link.enabled = False
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=2.0)
