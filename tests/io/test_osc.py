"""OSC input over real UDP on 127.0.0.1 (port 0): routing, garbage, strangers, floods."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from pythonosc.udp_client import SimpleUDPClient

from livesync.control.events import EventQueue, SelectScene, SetParam
from livesync.control.osc_map import OscRouter, SyncReport
from livesync.devices.osc_socket import OscInput


def wait_for(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for OSC")
        time.sleep(0.005)


class RecordingOscInput(OscInput):
    """An OscInput on a free port that keeps the DAW sync reports it is handed."""

    def __init__(self) -> None:
        self.syncs: list[SyncReport] = []
        super().__init__(EventQueue(), OscRouter("reaper"), port=0, on_sync=self.syncs.append)


@pytest.fixture
def server() -> Iterator[RecordingOscInput]:
    osc = RecordingOscInput()
    yield osc
    osc.close()


def test_events_and_daw_reports_arrive(server: RecordingOscInput) -> None:
    client = SimpleUDPClient(*server.address)
    client.send_message("/livesync/scene", "chorus")
    client.send_message("/livesync/param/speed", 0.25)
    client.send_message("/time", 42.5)
    events: list[object] = []

    def both_arrived() -> bool:
        events.extend(server.queue.drain())
        return len(events) == 2

    wait_for(both_arrived)
    assert events == [
        SelectScene("chorus", "osc /livesync/scene"),
        SetParam("speed", 0.25, "osc /livesync/param/speed"),
    ]
    wait_for(lambda: len(server.syncs) == 1)
    assert server.syncs[0].song_time == 42.5


def test_garbage_is_counted_and_dropped(server: RecordingOscInput) -> None:
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for junk in (
        b"",
        b"garbage",
        b"/livesync/scene\x00",
        b"#bundle\x00" + b"\xff" * 20,
        bytes(range(256)),
    ):
        raw.sendto(junk, server.address)
    client = SimpleUDPClient(*server.address)
    client.send_message("/not/ours", 1)
    client.send_message("/livesync/scene", [1, 2, 3])  # wrong arguments
    client.send_message("/livesync/scene", 1)  # still works afterwards
    wait_for(lambda: server.stats.received >= 8)
    wait_for(lambda: server.queue.drain() == [SelectScene(1, "osc /livesync/scene")])
    assert server.stats.unknown >= 2  # /not/ours and the wrong arguments
    assert server.stats.malformed + server.stats.unknown >= 7
    raw.close()


def test_allow_list_refuses_strangers() -> None:
    osc = OscInput(EventQueue(), OscRouter(), port=0, allow=["10.1.2.3"])
    try:
        SimpleUDPClient(*osc.address).send_message("/livesync/scene", "x")
        wait_for(lambda: osc.stats.refused == 1)
        assert osc.queue.drain() == []
    finally:
        osc.close()


def test_a_flood_is_bounded() -> None:
    """20,000 messages as fast as one sender can: the queue stays bounded, nothing raises,
    and the newest events are the ones kept."""
    osc = OscInput(EventQueue(capacity=1000), OscRouter(), port=0)
    try:
        client = SimpleUDPClient(*osc.address)
        for i in range(20_000):
            client.send_message("/livesync/param/speed", float(i))
        settled = [-1]

        def quiet() -> bool:  # the kernel drops what overflows its buffer: wait until idle
            time.sleep(0.25)
            seen, settled[0] = settled[0], osc.stats.received
            return seen == settled[0]

        wait_for(quiet, seconds=10)
        events = osc.queue.drain()
        assert osc.stats.received > 1000
        assert len(events) <= 1000
        assert osc.queue.dropped + len(events) == osc.stats.routed
        assert isinstance(events[-1], SetParam) and events[-1].value > 15_000
    finally:
        osc.close()


def test_busy_port_is_a_clear_device_error() -> None:
    from livesync.errors import DeviceError

    first = OscInput(EventQueue(), OscRouter(), port=0)
    try:
        with pytest.raises(DeviceError, match="--osc-port"):
            OscInput(EventQueue(), OscRouter(), port=first.address[1])
    finally:
        first.close()


def nested_bundle(depth: int) -> bytes:
    """An OSC bundle holding a bundle holding ... `depth` deep, a message at the bottom."""
    packet = b"/livesync/scene\x00,s\x00\x00x\x00\x00\x00"
    for _ in range(depth):
        packet = b"#bundle\x00" + b"\x00" * 7 + b"\x01" + len(packet).to_bytes(4, "big") + packet
    return packet


def test_a_deeply_nested_bundle_is_dropped_and_the_listener_lives(
    server: RecordingOscInput,
) -> None:
    """400 bundles deep made python-osc recurse until RecursionError, which killed the OSC
    thread: OSC was deaf for the rest of the show."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    raw.sendto(nested_bundle(400), server.address)
    raw.sendto(nested_bundle(2), server.address)  # a sane bundle still works
    SimpleUDPClient(*server.address).send_message("/livesync/scene", "after")
    events: list[object] = []

    def arrived() -> bool:
        events.extend(server.queue.drain())
        return len(events) == 2

    wait_for(arrived)
    assert events == [
        SelectScene("x", "osc /livesync/scene"),
        SelectScene("after", "osc /livesync/scene"),
    ]
    assert server.stats.malformed == 1
    raw.close()


def test_listening_on_the_network_warns_unless_senders_are_listed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    warning = "OSC is open to the network"
    for host, allow, warned in (
        ("127.0.0.1", [], False),
        ("0.0.0.0", ["10.1.2.3"], False),
        ("0.0.0.0", [], True),
    ):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="livesync"):
            osc = OscInput(EventQueue(), OscRouter(), host=host, port=0, allow=allow)
            osc.close()
        assert any(warning in r.getMessage() for r in caplog.records) is warned, host
