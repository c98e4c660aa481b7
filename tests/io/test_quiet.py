"""C-library chatter (ALSA, JACK, PortAudio's probing) stays off the console: what a C library
writes to descriptor 2 inside `c_library_output` is logged at DEBUG instead."""

from __future__ import annotations

import logging
import os

import pytest

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
