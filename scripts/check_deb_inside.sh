#!/usr/bin/env bash
# The steps of scripts/check_deb.sh, run as root inside a fresh Debian 12 chroot:
#   scripts/check_deb_inside.sh /path/to/rakshak_VERSION_ARCH.deb
# 1. apt installs the package from the file: its Depends must bring every system library it needs.
# 2. Every ELF file of the bundle resolves all its libraries (ldd, with the bundle's own folders).
# 3. `rakshak selfcheck` as an ordinary user, on xcb under Xvfb and offscreen.
# 4. The window under Xvfb, with a real keyring, long enough for a screenshot (check-console.png).
# 5. apt removes the package (then purges it): the program is gone, the user's data is unchanged.
set -euo pipefail
deb=${1:?usage: check_deb_inside.sh DEB}
out=$(dirname "$deb")
export DEBIAN_FRONTEND=noninteractive
step() { echo "== $*"; }
present() { for p; do [ -e "$p" ] || { echo "missing: $p"; exit 1; }; done; }
absent() { for p; do [ ! -e "$p" ] || { echo "still there: $p"; exit 1; }; done; }

step "install $deb with apt (Depends from the package)"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
dpkg -s rakshak | grep -E '^(Status|Version|Installed-Size):'
present /opt/rakshak/rakshak /usr/bin/rakshak /usr/share/applications/rakshak.desktop \
  /usr/share/icons/hicolor/scalable/apps/rakshak.svg /etc/rakshak/policy.json

step "every library of every ELF file in /opt/rakshak resolves"
libdirs=$(find /opt/rakshak -name '*.so*' -printf '%h\n' | sort -u | paste -sd:)
missing=$(find /opt/rakshak -type f \( -name '*.so*' -o -name rakshak \) -print0 |
  xargs -0 env LD_LIBRARY_PATH="$libdirs" ldd 2>/dev/null | grep 'not found' | sort -u || true)
if [ -n "$missing" ]; then echo "unresolved libraries:"; echo "$missing"; exit 1; fi
echo "all resolved ($(find /opt/rakshak -type f -name '*.so*' | wc -l) libraries)"

step "test tools (not dependencies of the package): Xvfb, keyring, screenshot"
apt-get install -y -qq --no-install-recommends xvfb xauth xdotool imagemagick gnome-keyring dbus-user-session \
  dbus-x11 >/dev/null
id dutyop >/dev/null 2>&1 || useradd -m -s /bin/bash dutyop
as_op() { runuser -u dutyop -- env HOME=/home/dutyop XDG_RUNTIME_DIR=/tmp/op-run "$@"; }
install -d -o dutyop -m 700 /tmp/op-run

step "rakshak selfcheck on xcb (Xvfb) and offscreen, as an ordinary user"
as_op xvfb-run -a -s "-screen 0 1280x800x24" rakshak selfcheck | tee /tmp/selfcheck-xcb.json
grep -q '"ok": true' /tmp/selfcheck-xcb.json
grep -q '"qt": "xcb"' /tmp/selfcheck-xcb.json
as_op env QT_QPA_PLATFORM=offscreen rakshak selfcheck | grep -q '"ok": true'
echo "selfcheck ok on xcb and offscreen"

step "the window under Xvfb (first start: the sign-in dialog), screenshot"
# Xvfb started and stopped here (xvfb-run was seen to hang at exit in a chroot); every step bounded.
as_op sh -c 'Xvfb :71 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & echo $! >/tmp/op-run/xvfb.pid'
sleep 2
timeout -k 5 180 runuser -u dutyop -- env HOME=/home/dutyop XDG_RUNTIME_DIR=/tmp/op-run DISPLAY=:71 \
  dbus-run-session -- sh -c '
  echo -n check-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  rakshak --lang hi & pid=$!
  for i in $(seq 1 600); do xdotool search --onlyvisible --pid $pid --name . >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 2
  import -window root /tmp/check-console.png
  xdotool search --onlyvisible --pid $pid --name . getwindowname
  kill $pid
  # At the sign-in dialog the client logs SIGTERM but does not exit (the dialog runs its own event loop).
  sleep 5; kill -9 $pid 2>/dev/null || true; wait $pid || true'
kill "$(cat /tmp/op-run/xvfb.pid)" || true
cp /tmp/check-console.png "$out/check-console.png"
data=/home/dutyop/.local/share/rakshak
present "$data"
ls -la "$data"
before=$(cd "$data" && find . -type f -print0 | sort -z | xargs -0 sha256sum)

step "apt remove, then purge: program gone, user data unchanged"
apt-get remove -y -qq rakshak >/dev/null
absent /opt/rakshak /usr/bin/rakshak /usr/share/applications/rakshak.desktop
present /etc/rakshak/policy.json   # a conffile stays until purge
apt-get purge -y -qq rakshak >/dev/null
absent /etc/rakshak/policy.json
after=$(cd "$data" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
[ "$before" = "$after" ] || { echo "user data changed by removal"; exit 1; }
echo "$after"
echo "check_deb_inside: all steps passed"
