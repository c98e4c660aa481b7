"""SIGTERM and SIGHUP stop a command the way Ctrl-C does.

Python dies of SIGTERM or SIGHUP at once, with no `finally`: a render left its partial video
behind and an orphaned ffmpeg finishing it, a player left its audio process. Raising an
exception instead (a KeyboardInterrupt, so everything that cleans up after Ctrl-C cleans up
after these too) runs the same cleanup. The first signal restores the default action, so a
second one ends a cleanup that hangs; a signal the caller ignores (nohup) stays ignored.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """The command was asked to stop by `signum`; the exit status is 128 + signum."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs (in the main thread), SIGTERM and SIGHUP raise `Stopped`."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a library caller keeps its own
        return
    # A signal already ignored stays ignored: `nohup livesync render ...` survives a hangup.
    before = {s: signal.getsignal(s) for s in SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}

    def stop(signum: int, frame: FrameType | None) -> None:
        for each in before:
            signal.signal(each, signal.SIG_DFL)
        raise Stopped(signum)

    for signum in before:
        signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
