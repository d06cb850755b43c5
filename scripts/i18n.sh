#!/usr/bin/env bash
# Translation pipeline: extract UI strings into .ts sources, compile .qm files.
#
#   scripts/i18n.sh            update resources/i18n/rakshak_<lang>.ts from ui/ and compile .qm
#   scripts/i18n.sh --check    fail if a .ts is out of date with ui/ or a .qm is older than its .ts (CI)
#
# Translators edit the .ts (Qt Linguist: .venv/bin/pyside6-linguist, or any text editor), then
# run this script again and commit both the .ts and the .qm.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
LANGS=(hi)
OUT=resources/i18n
mkdir -p "$OUT"
mapfile -t SOURCES < <(find ui -name '*.py' -not -path '*/__pycache__/*' | LC_ALL=C sort)

update() {
    for lang in "${LANGS[@]}"; do
        ts="$OUT/rakshak_${lang}.ts"
        "$BIN/pyside6-lupdate" -silent -locations none -target-language "$lang" "${SOURCES[@]}" -ts "$ts"
        "$BIN/pyside6-lrelease" -silent "$ts" -qm "$OUT/rakshak_${lang}.qm"
        unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
        echo "$ts: $unfinished string(s) without a translation (shown in English)"
    done
}

if [[ "${1:-}" == "--check" ]]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    status=0
    for lang in "${LANGS[@]}"; do
        ts="$OUT/rakshak_${lang}.ts"
        cp "$ts" "$tmp/check.ts"
        "$BIN/pyside6-lupdate" -silent -locations none -target-language "$lang" "${SOURCES[@]}" -ts "$tmp/check.ts"
        if ! cmp -s "$ts" "$tmp/check.ts"; then
            echo "$ts is out of date with ui/: run scripts/i18n.sh" >&2
            status=1
        fi
        "$BIN/pyside6-lrelease" -silent "$ts" -qm "$tmp/check.qm"
        if ! cmp -s "$OUT/rakshak_${lang}.qm" "$tmp/check.qm"; then
            echo "$OUT/rakshak_${lang}.qm does not match $ts: run scripts/i18n.sh" >&2
            status=1
        fi
    done
    exit $status
fi
update
