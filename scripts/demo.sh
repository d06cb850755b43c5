#!/usr/bin/env bash
# One command: set everything up, then launch the desktop client against an embedded demo HQ.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "demo: no display found; running on a virtual X screen (xvfb-run). Screenshots: see scripts/screenshots.py" >&2
  exec xvfb-run -a -s "-screen 0 1366x800x24" .venv/bin/python main.py --demo "$@"
fi
exec .venv/bin/python main.py --demo "$@"
