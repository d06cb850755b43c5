#!/usr/bin/env bash
# Build the frozen client with PyInstaller and smoke-test it: the bundle must start, open an
# encrypted store and exit cleanly (`rakshak selfcheck`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
.venv/bin/python -m pip install -q --disable-pip-version-check "pyinstaller==6.22.3"
.venv/bin/pyinstaller --noconfirm --clean --distpath build/out --workpath build/work build/rakshak.spec
du -sh build/out/rakshak
# Smoke test: the frozen app starts Qt, finds its font, translations and alarm sound, and creates and
# migrates an encrypted store (ephemeral key, temporary folder).
QT_QPA_PLATFORM=offscreen build/out/rakshak/rakshak selfcheck
echo "build: frozen app passed selfcheck; bundle in build/out/rakshak"
