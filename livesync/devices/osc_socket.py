"""Edge: the OSC input, a UDP socket read on its own thread; python-osc parses the packets.

Each datagram is checked against the sender allow-list, parsed, routed (livesync.control.osc_map)
and pushed onto the event queue; DAW transport reports go to a sync callback. Malformed packets,
unknown addresses and strangers are counted and dropped, never raised: a flood or garbage on
the port must not stall a frame. One thread, one socket, no thread per datagram.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pythonosc.osc_packet import OscPacket, ParseError
from pythonosc.udp_client import SimpleUDPClient

from livesync.control.events import EventQueue
from livesync.control.osc_map import OscRouter, SyncReport

log = logging.getLogger("livesync")
MAX_DATAGRAM = 65536


@dataclass
class OscStats:
    received: int = 0
    routed: int = 0
    malformed: int = 0
    unknown: int = 0
    refused: int = 0
    senders: set[str] = field(default_factory=set)


class OscInput:
    def __init__(
        self,
        queue: EventQueue,
        router: OscRouter,
        host: str = "127.0.0.1",
        port: int = 9000,
        allow: Iterable[str] = (),
        on_sync: Callable[[SyncReport], None] | None = None,
    ) -> None:
        self.queue = queue
        self.router = router
        self.allow = set(allow)
        self.on_sync = on_sync
        self.stats = OscStats()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            from livesync.errors import DeviceError

            raise DeviceError(
                f"cannot listen for OSC on {host}:{port} ({exc}); pick another port with --osc-port"
            ) from None
        self._sock.settimeout(0.2)
        self.address: tuple[str, int] = self._sock.getsockname()
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="livesync-osc", daemon=True)
        self._thread.start()
        log.info("listening for OSC on %s:%d", *self.address)
        if not _loopback(host) and not self.allow:
            log.warning(
                "OSC is open to the network on %s:%d: anyone who can reach this machine can "
                "switch scenes and seek the show; list the senders you trust in the show's "
                "[osc] allow, or listen on 127.0.0.1",
                *self.address,
            )

    def _serve(self) -> None:
        while self._running:
            try:
                data, (sender, _port) = self._sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                if self._running:
                    log.debug("OSC socket error", exc_info=True)
                continue
            try:
                self.handle(data, sender)
            except Exception:  # the listener must outlive any datagram
                self.stats.malformed += 1
                log.debug("OSC packet from %s failed to parse", sender, exc_info=True)

    def handle(self, data: bytes, sender: str) -> None:
        """One datagram; public so the parsing path can be exercised without a socket."""
        self.stats.received += 1
        if self.allow and sender not in self.allow:
            self.stats.refused += 1
            if sender not in self.stats.senders:
                log.info("OSC from %s refused (not in the show's allow-list)", sender)
                self.stats.senders.add(sender)
            return
        try:
            messages = [m.message for m in OscPacket(data).messages]
        except (
            ParseError,
            ValueError,
            IndexError,
            TypeError,
            UnicodeDecodeError,
            RecursionError,  # bundles nested hundreds deep: python-osc parses them recursively
        ):
            self.stats.malformed += 1
            log.debug("malformed OSC packet from %s dropped", sender)
            return
        for message in messages:
            routed = self.router.route(message.address, list(message.params))
            if routed is None:
                self.stats.unknown += 1
                log.debug(
                    "OSC %s %r: not a livesync address, dropped", message.address, message.params
                )
            elif isinstance(routed, SyncReport):
                self.stats.routed += 1
                if self.on_sync is not None:
                    self.on_sync(routed)
            else:
                self.stats.routed += 1
                self.queue.put(routed)

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=1.0)
        self._sock.close()


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


class OscFeedback:
    """Sends state to a control surface (TouchOSC, Open Stage Control) and DAW requests."""

    def __init__(self, host: str, port: int) -> None:
        self._client = SimpleUDPClient(host, port)

    def send(self, address: str, *args: Any) -> None:
        try:
            self._client.send_message(address, list(args))
        except OSError:
            log.debug("OSC feedback to %s failed", address, exc_info=True)
