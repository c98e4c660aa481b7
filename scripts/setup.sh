#!/usr/bin/env bash
# Installs what livesync needs on a fresh Debian/Ubuntu machine, into ./.venv.
#   scripts/setup.sh          the app
#   scripts/setup.sh --test   the app, the test tools (and the landmarks extra they test),
#                             and the test-only system packages
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libportaudio2 libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri)
# python3 may come from elsewhere (pyenv, a container image): apt only when it is absent.
command -v python3 >/dev/null || packages+=(python3 python3-venv)
extra=""
if [[ "${1:-}" == "--test" ]]; then
    # jackd2: a paced audio device, and libjack for the JACK-Client recorder of the audio
    # tests; espeak-ng: pronunciations for the aligner tests
    packages+=(jackd2 espeak-ng)
    extra="[test,landmarks]"   # the landmark extraction tests run dlib for real
fi

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
apt_install() {
    echo "installing system packages: $*"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}
(( ${#missing[@]} )) && apt_install "${missing[@]}"

if [[ ! -x .venv/bin/python ]]; then
    # Debian's python3 makes venvs only with python3-venv installed.
    python3 -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; python3 -m venv .venv; }
fi
.venv/bin/python -m pip install -q -e ".${extra}"
