"""Console logging for the command line: one plain line per event on stderr.

A performer watches the console during a show, so applied actions and milestones are INFO
lines without timestamps or module paths; library users configure logging themselves.
"""

from __future__ import annotations

import logging
import sys


def configure(verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("livesync: %(message)s"))
    root = logging.getLogger("livesync")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    # Some libraries (python-osc) warn on the root logger for every bad packet; a flood of
    # garbage must not flood the performer's console: they are counted and logged at debug.
    logging.getLogger().addHandler(logging.NullHandler())
