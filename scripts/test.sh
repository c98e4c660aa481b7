#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs the whole test suite, headless:
# OpenGL on Mesa through EGL, windows through SDL's offscreen driver, and sound through
# jackd's dummy driver (a real output device, paced at real speed, with no sound card).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# A paced output device without a sound card. If a JACK server already runs, this one exits
# at once and the tests use that one. JACK is meant to run with realtime scheduling: without
# it, other busy work on the machine can delay the server's own cycles, which no client can
# make up for. So realtime where the machine allows it (root, or an audio group's rtprio).
realtime=--no-realtime
chrt -f 1 true 2>/dev/null && realtime=--realtime
jack_log="${TMPDIR:-/tmp}/livesync-jackd.log"
JACK_NO_AUDIO_RESERVATION=1 jackd "$realtime" -d dummy -r 48000 -p 512 >"$jack_log" 2>&1 &
jack_pid=$!
trap 'kill "$jack_pid" 2>/dev/null || true' EXIT
# Wait until the server answers, not a fixed time; a server that never comes up is an error.
if ! jack_wait --wait --timeout 15 >/dev/null 2>&1; then
    echo "error: the JACK server did not come up within 15 s; its log ($jack_log):" >&2
    cat "$jack_log" >&2
    exit 1
fi

export LIVESYNC_REQUIRE_AUDIO=1
.venv/bin/ruff check livesync tests tools benchmarks
.venv/bin/ruff format --check livesync tests tools benchmarks
.venv/bin/mypy
.venv/bin/lint-imports   # the tiers: wiring -> edges -> core, and no device library in the core
.venv/bin/python -m pytest -q "$@"
