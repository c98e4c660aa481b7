"""C libraries that talk on the terminal, kept off the performer's console (for the edges:
sound, MIDI and the SDL display).

ALSA prints `ALSA lib seq_hw.c:... failed` when there is no sequencer, JACK prints `Cannot
connect to server socket` when no server runs, SDL probing for a display prints `XDG_RUNTIME_DIR
is invalid`: eight lines before livesync's own first one, none of them a problem livesync has
not already handled. They write to file descriptor 2 directly, so Python's logging cannot
filter them; while such a library is probed, descriptor 2 points at a temporary file, and
what it caught is logged at DEBUG (`--verbose` shows it).

Only wrap the C calls themselves. The capture is shared: threads that probe at once (a song
loading in a set list decodes its audio while the MIDI watcher lists ports) share one
redirect, and the last one out puts descriptor 2 back, so no interleaving can leave it
pointing at a closed temporary file. livesync's own log lines written meanwhile, from any
thread, go to the real console (`write_console`), not into the capture.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

log = logging.getLogger("livesync")

_lock = threading.Lock()
_depth = 0  # blocks inside c_library_output, on every thread
_saved: int | None = None  # the real descriptor 2 while it is captured
_sink: IO[bytes] | None = None
_what: list[str] = []


@contextmanager
def c_library_output(what: str) -> Iterator[None]:
    """Run the block with the process's stderr captured; its lines go to the DEBUG log."""
    if not _enter(what):  # no descriptor 2 (a service): nothing to keep quiet
        yield
        return
    try:
        yield
    finally:
        _leave()


def _enter(what: str) -> bool:
    global _depth, _saved, _sink
    with _lock:
        if _depth == 0:
            try:
                sys.stderr.flush()
                saved = os.dup(2)
            except (OSError, ValueError):
                return False
            sink = tempfile.TemporaryFile()
            os.dup2(sink.fileno(), 2)
            _saved, _sink = saved, sink
        _depth += 1
        if what not in _what:
            _what.append(what)
        return True


def _leave() -> None:
    global _depth, _saved, _sink
    with _lock:
        _depth -= 1
        if _depth > 0:
            return
        assert _saved is not None and _sink is not None
        os.dup2(_saved, 2)
        os.close(_saved)
        sink, what = _sink, "/".join(_what)
        _saved, _sink = None, None
        _what.clear()
    with sink:
        sink.seek(0)
        caught = sink.read().decode("utf-8", "replace")
    for line in caught.splitlines():
        if line.strip():
            log.debug("%s: %s", what, line.strip())


def write_console(text: str, otherwise: Callable[[], None]) -> None:
    """Write to the real stderr if descriptor 2 is captured right now, else call
    `otherwise` (write to stderr as usual); no capture starts or ends in between."""
    with _lock:
        if _saved is None:
            otherwise()
        else:
            os.write(_saved, text.encode("utf-8", "backslashreplace"))
