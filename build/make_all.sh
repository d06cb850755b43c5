#!/usr/bin/env bash
# Every artefact of a release, reproducibly, into build/dist: the frozen console (build/build.sh, with
# its selfcheck), the console .deb, the HQ's offline wheel folder, the HQ .deb, and SHA256SUMS.
# SOURCE_DATE_EPOCH defaults to the last commit's time, so two builds of one commit agree; the
# project's own wheel is built from the committed tree (git archive), never from uncommitted files.
# The Windows installer is built by .github/workflows/windows.yml (PyInstaller cannot cross-build).
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export PYTHONHASHSEED=0
out=${1:-build/dist}
build/build.sh
rm -rf "$out"
.venv/bin/python build/make_deb.py console --out "$out"
.venv/bin/python build/make_deb.py wheels --out "$out"
.venv/bin/python build/make_deb.py hq --out "$out"
.venv/bin/python build/make_deb.py sums --out "$out"
ls -l "$out"
echo "make_all: artefacts and SHA256SUMS in $out (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
