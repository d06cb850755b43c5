#!/usr/bin/env bash
# The steps of scripts/check_hq_deb.sh, run as root inside a fresh Debian 12 chroot:
#   scripts/check_hq_deb_inside.sh HQ_DEB WHEEL_FOLDER
# pip has no registry here: /etc/pip.conf is removed and PIP_* cleared, and the installs that must work
# offline run with no network at all (`unshare -n`: a network namespace without even loopback up).
set -euo pipefail
deb=${1:?HQ .deb}; wheels=${2:?wheel folder}
export DEBIAN_FRONTEND=noninteractive
for v in $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
rm -f /etc/pip.conf /root/.config/pip/pip.conf /root/.pip/pip.conf
step() { echo "== $*"; }
present() { for p; do [ -e "$p" ] || { echo "missing: $p"; exit 1; }; done; }
absent() { for p; do [ ! -e "$p" ] || { echo "still there: $p"; exit 1; }; done; }
health() {  # GET /api/v1/health on loopback, retried while the server starts
  python3 - "$1" <<'PY'
import json, sys, time, urllib.request
for _ in range(100):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/health", timeout=2) as r:
            print(json.load(r)); sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("no answer from HQ")
PY
}

offline() { unshare -n "$@"; }

step "no network: an ordinary pip install fails"
rm -rf /tmp/no-registry /tmp/offline; python3 -m venv /tmp/no-registry
if offline /tmp/no-registry/bin/pip install --quiet --no-cache-dir --timeout 5 --retries 0 fastapi >/dev/null 2>&1; then
  echo "pip reached a registry: this check would prove nothing"; exit 1
fi
echo "ok: pip install fastapi fails without network"

step "offline wheel folder: a venv from $wheels with --no-index --require-hashes"
python3 -m venv /tmp/offline
offline /tmp/offline/bin/pip install --quiet --no-cache-dir --no-index --no-deps --require-hashes --find-links "$wheels/wheels" \
  -r "$wheels/requirements.txt"
/tmp/offline/bin/python -m hq backup --help >/dev/null
/tmp/offline/bin/python -m hq admin --data-dir /tmp/offline-data migrate
echo "ok: $(ls "$wheels/wheels" | wc -l) wheels installed offline"

step "apt install $deb (PostgreSQL comes as a dependency)"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$deb" >/tmp/apt.log 2>&1 || { tail -n 30 /tmp/apt.log; exit 1; }
grep 'rakshak-hq' /tmp/apt.log || true
# In a chroot the cluster is not started by systemd: start it by hand, then configure again so the
# postinst creates the role and the database and runs the migrations.
pg_ctlcluster 15 main start || true
# Configured again with no network: the postinst rebuilds the virtualenv from the package's wheels.
offline dpkg-reconfigure rakshak-hq
present /opt/rakshak-hq/venv/bin/python /usr/bin/rakshak-hq /lib/systemd/system/rakshak-hq.service \
  /lib/systemd/system/rakshak-hq-tipline-relay.service /etc/rakshak-hq/hq.env /etc/rakshak-hq/signing/hq-signing.pem /var/lib/rakshak-hq
getent passwd rakshak-hq
stat -c '%U %a %n' /etc/rakshak-hq/signing /etc/rakshak-hq/signing/hq-signing.pem /var/lib/rakshak-hq
runuser -u rakshak-hq -- psql -XtAc "SELECT version_num FROM alembic_version" rakshak_hq

step "the unit: systemd-analyze verify (systemd installed for the check only; it cannot run here)"
apt-get install -y -qq --no-install-recommends systemd >/dev/null
systemd-analyze verify /lib/systemd/system/rakshak-hq.service /lib/systemd/system/rakshak-hq-tipline-relay.service \
  && echo "verify: no complaints"
systemd-analyze security --offline=true /lib/systemd/system/rakshak-hq.service 2>/dev/null | tail -n 1 || true

step "the service started by hand as rakshak-hq, with the unit's command line and environment"
set -a; . /etc/rakshak-hq/hq.env; set +a
# shellcheck disable=SC2086  # split as systemd splits $RAKSHAK_HQ_SERVE_ARGS
runuser -u rakshak-hq -- env RAKSHAK_HQ_SIGNING_KEY="$RAKSHAK_HQ_SIGNING_KEY" /usr/bin/rakshak-hq serve \
  $RAKSHAK_HQ_SERVE_ARGS >/tmp/hq.log 2>&1 &
hq=$!
health 8443
rakshak-hq admin create-district LKO Lucknow
rakshak-hq admin list-districts | grep -q LKO

step "backup (pg_dump as the HQ role), a later change, restore (HQ stopped): the change is gone, new epoch"
rakshak-hq backup /var/backups/rakshak-hq/check.dump
rakshak-hq admin create-district KNP Kanpur
kill "$hq"; wait "$hq" || true
before=$(rakshak-hq admin migrate | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
rakshak-hq restore /var/backups/rakshak-hq/check.dump
after=$(rakshak-hq admin migrate | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
[ "$before" != "$after" ] || { echo "epoch not rotated"; exit 1; }
rakshak-hq admin list-districts | grep -q LKO
if rakshak-hq admin list-districts | grep -q KNP; then echo "restore kept a later change"; exit 1; fi
echo "ok: epoch $before -> $after, LKO back, KNP gone"

step "embedded SQLite: backup and restore with --data-dir"
rakshak-hq admin --data-dir /var/lib/rakshak-hq/embedded create-district VNS Varanasi
rakshak-hq backup --data-dir /var/lib/rakshak-hq/embedded /var/backups/rakshak-hq/embedded.sqlite3
rakshak-hq restore --data-dir /var/lib/rakshak-hq/embedded /var/backups/rakshak-hq/embedded.sqlite3
rakshak-hq admin --data-dir /var/lib/rakshak-hq/embedded list-districts | grep -q VNS

step "upgrade path: reinstall runs the postinst again (venv rebuilt offline, migrations run)"
apt-get install -y -qq --reinstall --no-install-recommends "$deb" 2>&1 | grep rakshak-hq || true
runuser -u rakshak-hq -- env RAKSHAK_HQ_SIGNING_KEY="$RAKSHAK_HQ_SIGNING_KEY" /usr/bin/rakshak-hq serve \
  $RAKSHAK_HQ_SERVE_ARGS >/tmp/hq2.log 2>&1 &
hq=$!
health 8443
kill "$hq"; wait "$hq" || true

step "remove, then purge: program gone; database, data folder, signing key and backups kept"
apt-get remove -y -qq rakshak-hq >/dev/null
absent /opt/rakshak-hq/venv /usr/bin/rakshak-hq /lib/systemd/system/rakshak-hq.service \
  /lib/systemd/system/rakshak-hq-tipline-relay.service
present /etc/rakshak-hq/hq.env
apt-get purge -y -qq rakshak-hq 2>&1 | grep rakshak-hq || true
absent /etc/rakshak-hq/hq.env
present /etc/rakshak-hq/signing/hq-signing.pem /var/lib/rakshak-hq/embedded /var/backups/rakshak-hq/check.dump
runuser -u postgres -- psql -XtAc "SELECT count(*) FROM districts" rakshak_hq
pg_ctlcluster 15 main stop || true
echo "check_hq_deb_inside: all steps passed"
