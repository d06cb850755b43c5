#!/usr/bin/env bash
# Install the HQ .deb and the offline wheel folder on a fresh Debian 12 with no package registry
# configured for pip, and check what a chroot allows (systemd cannot run there). As root on the host:
#   scripts/check_hq_deb.sh ROOTDIR
# ROOTDIR: a Debian 12 chroot made (or reused) by ../shared/tools/newcomer.sh. Uses build/dist (from
# build/make_all.sh). The steps inside: scripts/check_hq_deb_inside.sh. Slow: not in the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:?usage: scripts/check_hq_deb.sh ROOTDIR}
newcomer=${NEWCOMER:-../../shared/tools/newcomer.sh}
[ -x "$newcomer" ] || newcomer=/work/shared/tools/newcomer.sh
deb=$(ls build/dist/rakshak-hq_*.deb | head -n 1)
wheels=$(ls -d build/dist/rakshak-hq-wheels-* | head -n 1)
if [ ! -x "$root/usr/bin/python3" ]; then
  "$newcomer" "$root" . 'true'
fi
rm -rf "$root/var/tmp/rakshak-hq-check"
mkdir -p "$root/var/tmp/rakshak-hq-check"
cp -r "$deb" "$wheels" "$root/var/tmp/rakshak-hq-check/"
"$newcomer" "$root" . "scripts/check_hq_deb_inside.sh /var/tmp/rakshak-hq-check/$(basename "$deb") /var/tmp/rakshak-hq-check/$(basename "$wheels")"
echo "check_hq_deb: passed"
