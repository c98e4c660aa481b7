#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and plays the bundled demo in a window.
# Without a screen it says so; then render it instead: scripts/demo.sh --render demo.mp4
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/livesync demo "$@"
