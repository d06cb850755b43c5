#!/usr/bin/env bash
# One command: set everything up, then run lint, type checks and the whole test suite.
# The suite starts its own PostgreSQL cluster, PulseAudio null sink and loopback HQ servers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; exec .venv/bin/python -m pytest "$@"
