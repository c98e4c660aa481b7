"""C-library chatter (ALSA, JACK, PortAudio's probing) stays off the console: what a C library
writes to descriptor 2 inside `c_library_output` is logged at DEBUG instead."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from livesync.app.logs import ConsoleHandler
from livesync.quiet import c_library_output


def test_what_a_c_library_prints_goes_to_the_debug_log(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="livesync"):
        with c_library_output("ALSA"):
            os.write(2, b"ALSA lib seq_hw.c:466:(snd_seq_hw_open) open /dev/snd/seq failed\n")
        os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.DEBUG, "ALSA: ALSA lib seq_hw.c:466:(snd_seq_hw_open) open /dev/snd/seq failed")
    ]


def test_stderr_comes_back_when_the_library_raises(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), c_library_output("rtmidi"):
        os.write(2, b"noise\n")
        raise RuntimeError("no sequencer")
    os.write(2, b"visible\n")
    assert capfd.readouterr().err == "visible\n"


def test_captures_on_two_threads_share_one_and_stderr_comes_back(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A song loading in a set list decodes (libsndfile) while the MIDI watcher lists ports:
    their captures overlap and end in either order. Each saving and restoring descriptor 2
    on its own left it pointing at a closed temporary file: every later line was lost."""
    entered, first_out = threading.Event(), threading.Event()

    def other() -> None:
        with c_library_output("libsndfile"):
            entered.set()
            os.write(2, b"from the other thread\n")
            first_out.wait(10)  # this one leaves last

    with caplog.at_level(logging.DEBUG, logger="livesync"):
        thread = threading.Thread(target=other)
        with c_library_output("ALSA"):
            thread.start()
            assert entered.wait(10)
            os.write(2, b"from this thread\n")
        first_out.set()
        thread.join(10)
        os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
    caught = sorted(r.getMessage().split(": ", 1)[1] for r in caplog.records)
    assert caught == ["from the other thread", "from this thread"]


def test_a_log_line_written_during_a_capture_reaches_the_console(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """`song -> NAME` logged by the frame loop while a loading thread decodes must still be
    on the console (it is the set list's contract), not in the capture's DEBUG lines."""
    logger = logging.getLogger("livesync.test_quiet")
    handler = ConsoleHandler(os.fdopen(2, "w", closefd=False))
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with c_library_output("libsndfile"):
            logger.warning("song -> Second")
            os.write(2, b"chatter\n")
        logger.warning("after")
    finally:
        logger.removeHandler(handler)
    assert capfd.readouterr().err == "song -> Second\nafter\n"
