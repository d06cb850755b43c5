#!/usr/bin/env bash
# Build the frozen client with PyInstaller and smoke-test it: the bundle must start Qt on the platform
# a user gets (xcb: on this display, or on a virtual X screen when there is none), open an encrypted
# store and exit cleanly (`rakshak selfcheck`). As root it installs what it needs (Debian packages:
# binutils, libpython3.11, the Qt libraries, Xvfb; see scripts/setup.sh build); otherwise it names them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
# Reproducible: file times from the last commit, a fixed hash seed for the compiled Python.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export PYTHONHASHSEED=0
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath build/out --workpath build/work build/rakshak.spec
du -sh build/out/rakshak
# Smoke test: the frozen app finds every system library Qt needs, starts Qt on xcb, finds its font,
# translations and alarm sound, and creates and migrates an encrypted store (ephemeral key, temporary
# folder). The offscreen run checks the same without a screen.
QT_QPA_PLATFORM=offscreen build/out/rakshak/rakshak selfcheck
if [ -n "${DISPLAY:-}" ]; then
  env -u QT_QPA_PLATFORM build/out/rakshak/rakshak selfcheck
else
  env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x800x24" build/out/rakshak/rakshak selfcheck
fi
echo "build: frozen app passed selfcheck on xcb and offscreen; bundle in build/out/rakshak"
