#!/usr/bin/env bash
# Sets up everything Rakshak needs on Debian 12: the apt packages (installed when run as root,
# otherwise printed and we stop), a virtualenv in .venv and the pinned Python packages.
# Usage: scripts/setup.sh [run|test|build]   (test adds PostgreSQL and the test tools; build adds
# what PyInstaller, the installers and their checks need)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}
case "$purpose" in run|test|build) ;; *) echo "usage: scripts/setup.sh [run|test|build]" >&2; exit 2 ;; esac

# The Debian packages of every system library the Qt files the client loads link to: the xcb platform
# plugin and its GL integrations and input contexts, QtMultimedia's FFmpeg backend (libpulse0 for
# sound), QtWidgets/QtGui. Derived with ldd over ui/selfcheck.py's QT_LIBRARY_FILES, whose
# SYSTEM_LIBRARY_PACKAGES maps each library to its package; tests/unit/test_qt_system_libs.py fails when
# a Qt file needs a library that is neither here nor one apt, dpkg or grep need themselves (libc6,
# libstdc++6, zlib1g, liblzma5, libzstd1, libsystemd0, ...: on every Debian 12). Qt's own error text
# is no guide: without libxcb-shape0 it names libxcb-cursor0.
qt_packages=(libasyncns0 libbrotli1 libbsd0 libcom-err2 libdbus-1-3 libdrm2 libegl1 libexpat1 libflac12
  libfontconfig1 libfreetype6 libgl1 libglib2.0-0 libglvnd0 libglx0 libgssapi-krb5-2 libk5crypto3
  libkeyutils1 libkrb5-3 libkrb5support0 libmp3lame0 libmpg123-0 libogg0 libopus0 libpng16-16 libpulse0
  libsndfile1 libvorbis0a libvorbisenc2 libx11-6 libx11-xcb1 libxau6 libxcb-cursor0 libxcb-glx0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxcb1 libxdmcp6
  libxext6 libxkbcommon-x11-0 libxkbcommon0 libxrandr2 libxrender1)
# python3-venv for .venv; a PulseAudio server for the alarm where the desktop has none; Xvfb so the
# demo and the build's selfcheck run on a virtual X screen when there is no display.
apt_packages=(python3-venv "${qt_packages[@]}" pulseaudio pulseaudio-utils xvfb xauth)
extras="hq"
case "$purpose" in
  # nsis: tests/unit/test_packaging.py compiles the Windows installer script with makensis.
  test) apt_packages+=(postgresql sox dovecot-imapd nsis); extras="hq,dev" ;;
  # PyInstaller reads binaries with objdump (binutils) and bundles the shared libpython; makensis
  # checks the Windows installer script; bench/bench_bundle.py starts the bundle under Xvfb with a
  # real keyring (xdotool finds its window); debootstrap makes the fresh Debian of scripts/check_deb.sh.
  build) apt_packages+=(binutils libpython3.11 nsis xdotool gnome-keyring dbus debootstrap); extras="hq,build" ;;
esac

# dpkg-query exits 1 when it knows some package not at all: that is an answer here, not an error.
installed=$({ dpkg-query -W -f='${Package} ${Status}\n' "${apt_packages[@]}" 2>/dev/null || true; } |
  awk '$4 == "installed" {print $1}')
missing=()
for p in "${apt_packages[@]}"; do
  grep -qxF "$p" <<<"$installed" || missing+=("$p")
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
stamp=".venv/.rakshak-$extras-$(cat pyproject.toml requirements-lock.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade "pip<27"
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements-lock.txt -e ".[$extras]"
  rm -f .venv/.rakshak-"$extras"-*
  touch "$stamp"
fi

# Every library the installed Qt needs must now resolve; name any that does not (a new Qt dependency).
.venv/bin/python - <<'PY'
import sys
from ui.selfcheck import missing_system_libraries
missing = missing_system_libraries()
if missing:
    sys.exit("setup: Qt still misses these system libraries (Debian package in brackets): "
             + ", ".join(f"{lib} [{pkg or 'unknown'}]" for lib, pkg in missing.items()))
PY
