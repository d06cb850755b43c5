#!/usr/bin/env bash
# One command: set everything up, then run lint, type checks and the whole test suite.
# The suite starts its own PostgreSQL cluster, PulseAudio null sink and loopback HQ servers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
# Two worker processes (pytest-xdist), each with its own PostgreSQL cluster, PulseAudio daemon and HQ
# servers; a test file stays on one worker so its module-scoped fixtures start once. Most of the
# suite waits on sockets, subprocesses and fsync, so two workers pay off even on two cores.
# RAKSHAK_TEST_WORKERS=0 runs everything in this one process (arguments after it still apply).
echo "== pytest"; exec .venv/bin/python -m pytest -n "${RAKSHAK_TEST_WORKERS:-2}" --dist loadfile "$@"
