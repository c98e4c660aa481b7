#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs the whole test suite, headless:
# OpenGL on Mesa through EGL, windows through SDL's offscreen driver, and sound through
# jackd's dummy driver (a real output device, paced at real speed, with no sound card).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# A paced output device without a sound card. If a JACK server already runs, this one exits
# at once and the tests use that one.
JACK_NO_AUDIO_RESERVATION=1 jackd --no-realtime -d dummy -r 48000 -p 512 \
    >"${TMPDIR:-/tmp}/livesync-jackd.log" 2>&1 &
jack_pid=$!
trap 'kill "$jack_pid" 2>/dev/null || true' EXIT
sleep 2

export LIVESYNC_REQUIRE_AUDIO=1
.venv/bin/ruff check livesync tests tools benchmarks
.venv/bin/ruff format --check livesync tests tools benchmarks
.venv/bin/mypy
.venv/bin/lint-imports   # the tiers: wiring -> edges -> core, and no device library in the core
.venv/bin/python -m pytest -q "$@"
