#!/usr/bin/env bash
# Installs what livesync needs on a fresh Debian/Ubuntu machine, into ./.venv.
#   scripts/setup.sh          the app
#   scripts/setup.sh --test   the app, the test tools and the test-only system packages
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(python3 python3-venv python3-pip libportaudio2 libegl1 libgl1 libegl-mesa0
          libgl1-mesa-dri)
extra=""
if [[ "${1:-}" == "--test" ]]; then
    packages+=(jackd2)
    extra="[test]"
fi

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
# python3 may come from elsewhere (pyenv, a container image): only ask apt for what is absent.
if command -v python3 >/dev/null && python3 -c "import venv, ensurepip" 2>/dev/null; then
    missing=("${missing[@]/python3}"); missing=("${missing[@]/python3-venv}")
    missing=("${missing[@]/python3-pip}")
fi
read -r -a missing <<< "${missing[*]:-}"
if (( ${#missing[@]} )); then
    sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
    echo "installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
fi

[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extra}"
