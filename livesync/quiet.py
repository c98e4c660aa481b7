"""C libraries that talk on the terminal, kept off the performer's console (for the edges:
sound, MIDI and the SDL display).

ALSA prints `ALSA lib seq_hw.c:... failed` when there is no sequencer, JACK prints `Cannot
connect to server socket` when no server runs, SDL probing for a display prints `XDG_RUNTIME_DIR
is invalid`: eight lines before livesync's own first one, none of them a problem livesync has
not already handled. They write to file descriptor 2 directly, so Python's logging cannot
filter them; while such a library is probed, descriptor 2 points at a temporary file, and
what it caught is logged at DEBUG (`--verbose` shows it).

Only wrap the C calls themselves: livesync's own log lines written meanwhile go to the same
place and would only show with --verbose.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("livesync")


@contextmanager
def c_library_output(what: str) -> Iterator[None]:
    """Run the block with the process's stderr captured; its lines go to the DEBUG log."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no descriptor 2 (a service), nothing to keep quiet
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            for line in sink.read().decode("utf-8", "replace").splitlines():
                if line.strip():
                    log.debug("%s: %s", what, line.strip())
