#!/usr/bin/env bash
# Sets up everything Rakshak needs on Debian 12: the apt packages (installed when run as root,
# otherwise printed and we stop), a virtualenv in .venv and the pinned Python packages.
# Usage: scripts/setup.sh [run|test]   (test adds PostgreSQL and the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}

apt_packages=(python3-venv libpulse0 pulseaudio pulseaudio-utils libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0
  libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 xvfb xauth)
if [ "$purpose" = test ]; then
  apt_packages+=(postgresql sox)
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing. Install them, then run this again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras="hq"
[ "$purpose" = test ] && extras="hq,dev"
stamp=".venv/.rakshak-$extras-$(cat pyproject.toml requirements-lock.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade "pip<27"
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements-lock.txt -e ".[$extras]"
  rm -f .venv/.rakshak-"$extras"-*
  touch "$stamp"
fi
