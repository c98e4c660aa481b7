"""Starting a helper process of livesync's own (the audio output, the performer's window).

Both are started with multiprocessing's spawn method, a fresh interpreter that imports only
what its target needs.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_main_module() -> Iterator[None]:
    """Starts the process without the player's main module. Spawn imports it in the child by
    default, which would run again an unguarded script that plays a song (livesync is a
    library too), fails for a script read from stdin, and costs startup time for nothing: the
    child needs only its target's module."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main
