#!/usr/bin/env bash
# Install the console .deb on a fresh Debian 12 and prove it works, then remove it and prove the
# operators' data is left alone. Runs on the build host as root:
#   scripts/check_deb.sh ROOTDIR [build/dist/rakshak_*.deb]
# ROOTDIR is a Debian 12 chroot made (or reused) by ../shared/tools/newcomer.sh; the steps inside run
# from a clean clone of the committed tree (scripts/check_deb_inside.sh). Slow (apt, a minute or two):
# not part of the test suite. Output: the log on stdout, the screenshot in build/dist/check-console.png.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:?usage: scripts/check_deb.sh ROOTDIR [DEB]}
deb=${2:-$(ls build/dist/rakshak_*.deb | head -n 1)}
newcomer=${NEWCOMER:-../../shared/tools/newcomer.sh}
[ -x "$newcomer" ] || newcomer=/work/shared/tools/newcomer.sh
[ -f "$deb" ] || { echo "check_deb: no package $deb (build/make_all.sh builds it)" >&2; exit 2; }
if [ ! -x "$root/usr/bin/python3" ]; then
  "$newcomer" "$root" . 'true'
fi
rm -rf "$root/var/tmp/rakshak-check"
mkdir -p "$root/var/tmp/rakshak-check"
cp "$deb" "$root/var/tmp/rakshak-check/"
"$newcomer" "$root" . "scripts/check_deb_inside.sh /var/tmp/rakshak-check/$(basename "$deb")"
cp "$root/var/tmp/rakshak-check/check-console.png" build/dist/check-console.png
echo "check_deb: passed; screenshot in build/dist/check-console.png"
