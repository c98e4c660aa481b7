"""The player and its output process talk through shared memory, with no lock: the commands,
the reports and the callback's bookkeeping, checked here without a sound card."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import pytest

from livesync.devices.audio_control import ControlBlock, Report, SharedTrack
from livesync.devices.audio_stream import Feed
from livesync.sync.clock import DevicePosition, SteadyDac


@pytest.fixture
def block() -> Iterator[ControlBlock]:
    created = ControlBlock.create()
    yield created
    created.release()


def test_commands_reach_the_other_side_whole(block: ControlBlock) -> None:
    other = ControlBlock.attach(block.shm.name)
    try:
        assert block.report() is None  # nothing played yet
        gen = block.command(True, seek=4800)
        command = other.read_command()
        assert command is not None
        assert (command.gen, command.playing, command.seek_gen, command.seek) == (gen, 1, 1, 4800)
        report = Report(gen, 4800, 5312, 12.5, True, 4800, 1, 0, 0.02)
        other.write_report(report)
        assert block.report() == report
    finally:
        other.release()


def test_a_seek_is_not_lost_when_a_resume_follows_before_the_callback(block: ControlBlock) -> None:
    block.command(False, seek=96000)
    block.command(True)  # the callback has not run in between
    feed = Feed(np.zeros((200000, 2), np.float32), block, 0.02, 48000)
    feed.apply(block.read_command())
    assert (feed.cursor, feed.playing, feed.start) == (96000, True, 96000)


def test_a_torn_read_is_refused_not_half_applied(block: ControlBlock) -> None:
    block.command(True, seek=100)
    slots = block._live()
    slots[0] += 1.0  # the player is half way through writing the next command
    assert block.read_command() is None
    slots[0] += 1.0
    assert block.read_command() is not None


def test_the_callback_plays_pauses_and_reports_when_each_buffer_is_heard(
    block: ControlBlock,
) -> None:
    track = np.arange(2000 * 2, dtype=np.float32).reshape(2000, 2)
    feed = Feed(track, block, 0.02, 48000)
    out = np.ones((512, 2), np.float32)
    when = SimpleNamespace(outputBufferDacTime=10.02, currentTime=10.0)
    status = SimpleNamespace(output_underflow=False)
    feed.callback(out, 512, when, status)
    assert not out.any()  # not playing yet: silence
    block.command(True, seek=1600)
    feed.callback(out, 512, when, status)
    assert np.array_equal(out[:400], track[1600:]) and not out[400:].any()  # the track's end
    report = block.report()
    assert report is not None
    assert (report.sample, report.end, report.playing, report.start) == (1600, 2112, True, 1600)
    assert report.ahead == pytest.approx(0.02)


def test_steady_dac_takes_out_a_late_callbacks_delay() -> None:
    steady = SteadyDac(48000, window=8)
    period = 512 / 48000
    times = [steady.buffer(100.0 + k * period + (0.007 if k == 3 else 0.0), 512) for k in range(6)]
    assert times == pytest.approx([100.0 + k * period for k in range(6)])


def test_the_clock_holds_at_a_new_stretch_until_it_is_heard() -> None:
    pos = DevicePosition(48000)
    pos.report(sample=480000, dac_time=20.0, running=True, start=480000)  # resumed at 10 s
    assert pos.heard(19.99) == pytest.approx(10.0)  # silence still in flight: hold
    assert pos.heard(20.5) == pytest.approx(10.5)


def test_a_released_track_leaves_nothing_in_shared_memory() -> None:
    track = SharedTrack.create(np.ones((10, 2), np.float32))
    other = SharedTrack.attach(track.shm.name, track.shape)
    assert other.samples is not None and other.samples.sum() == 20.0
    other.release()
    track.release()
    track.release()  # twice is harmless
    with pytest.raises(FileNotFoundError):
        SharedTrack.attach(track.shm.name, track.shape)
