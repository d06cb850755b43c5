"""Meta's alert e-mail dropped into the mailbox -> the case needing an alarm in a district console's store.

    .venv/bin/python bench/bench_mail_alarm.py [--samples N] [--quick]

Runs as root (the throwaway Dovecot of tests/fixtures/dovecot.py: IMAPS on loopback, a Maildir). HQ
runs as ``python -m hq serve`` (a subprocess, SQLite) with the mailbox configured in its environment,
so the worker it starts is the production one (IDLE on Dovecot). One headless console of Lucknow (a
real SQLCipher store and ``sync.SyncEngine`` with the default settings, long-polling) waits for the
cases. Each sample waits 0.3-1.5 s (the console sits in its long poll, the worker in its IDLE), then:

- **mail**: a Meta alert mail (probable location in Lucknow) is dropped into ``Maildir/new`` as a
  delivery agent does; timed until the console's store holds one more case needing the district's
  alarm (``cases.alarming()``): IDLE wake-up, fetch, parse, intake and routing, the feed, the pull.
- **baseline, same run**: the same alert posted to HQ's ``POST /intake`` (what an integration calling
  HQ directly would cost), timed the same way.

Prints p50/p90/p99/max of both. Target: mail p99 < 5 s. No asserts on speed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from bench.bench_sync import PASSWORD, Console, pct, summary, wait_for  # noqa: E402
from hq import admin  # noqa: E402
from hq.db import Database, sqlite_url  # noqa: E402
from tests.fixtures.dovecot import start_dovecot  # noqa: E402
from tests.fixtures.hq import HQServer, seed_database  # noqa: E402
from tests.fixtures.keyring import MemoryKeyring  # noqa: E402
from tests.fixtures.mail import FACEBOOK, variant  # noqa: E402

DISTRICT = "LKO"  # the sample mail's probable location is in Lucknow
TIMEOUT_S = 60.0


def alarming(console: Console) -> int:
    with console.store.reader() as uow:
        return len(uow.cases.alarming())


def measure(console: Console, send: object, n: int, rng: random.Random) -> list[float]:
    out: list[float] = []
    for i in range(n):
        time.sleep(rng.uniform(0.3, 1.5))
        before = alarming(console)
        started = time.monotonic()
        send(i)  # type: ignore[operator]
        if not wait_for(lambda: alarming(console) > before, TIMEOUT_S):  # noqa: B023
            raise RuntimeError(f"sample {i}: no alarm within {TIMEOUT_S:.0f} s")
        out.append(time.monotonic() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=None, help="samples per path (default 50; --quick 10)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = args.samples or (10 if args.quick else 50)
    rng = random.Random(20261129)
    keyring.set_keyring(MemoryKeyring())

    dovecot = start_dovecot()
    box = dovecot.new_box()
    work = Path(tempfile.mkdtemp(prefix="rakshak-bench-mail-"))
    db_path = work / "hq.sqlite3"
    db = Database(sqlite_url(db_path), pool_size=2)
    key = seed_database(db)
    admin.create_user(db, "bench-lko", PASSWORD, "district_operator", "Bench Lucknow", DISTRICT)
    db.dispose()
    env = {
        "RAKSHAK_HQ_MAILBOX_HOST": dovecot.host,
        "RAKSHAK_HQ_MAILBOX_PORT": str(dovecot.tls_port),
        "RAKSHAK_HQ_MAILBOX_USER": box,
        "RAKSHAK_HQ_MAILBOX_PASSWORD": dovecot.password,
        "RAKSHAK_HQ_MAILBOX_CA_FILE": str(dovecot.ca_file),
    }
    hq = HQServer(backend="sqlite", db_url=sqlite_url(db_path), intake_key=key, mode="process", workdir=work, env=env)
    hq.start()
    console = Console(work / "console", hq.url, "bench-lko")
    console.engine.start()
    try:
        first = hq.intake(DISTRICT)  # the console is caught up and long-polling before timing starts
        wait_for(lambda: console.has_case(first), TIMEOUT_S)
        print(f"== {n} samples per path, console of {DISTRICT}, mailbox {box}@{dovecot.host} (IMAPS, IDLE)", flush=True)
        results = {
            "mail dropped in the Maildir": measure(
                console, lambda i: dovecot.deliver(box, variant(FACEBOOK, ref=f"95{i:08d}")), n, rng
            ),
            "baseline: POST /intake": measure(console, lambda _i: hq.intake(DISTRICT), n, rng),
        }
    finally:
        console.close()
        hq.stop()
        dovecot.close()

    print("\n================ results ================")
    print("mail or intake -> the case needing the district's alarm is in the console's store")
    for label, values in results.items():
        print(f"   {label:30s} {summary(values)}")
    mail = results["mail dropped in the Maildir"]
    print(f"target p99 < 5 s: {'met' if pct(mail, 99) < 5 else 'NOT met'} (p99 {pct(mail, 99):.2f} s)")


if __name__ == "__main__":
    main()
