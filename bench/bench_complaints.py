"""Complaints at HQ: intake throughput and the SLA sweep's cost per minute at 10,000 complaints a day.

    .venv/bin/python bench/bench_complaints.py [--per-day N] [--baseline N] [--minutes M] [--quick]

A fresh HQ database (SQLite, migrated) with 75 districts. For each load (``--per-day``, default
10,000, and the same-run baseline of ``--baseline``, default 100, complaints a day):

- **intake**: a day's complaints (X mentions, posted evenly over the last 24 hours, routed evenly
  across the 75 districts; one in ten repeats an earlier author's thread) go through
  ``hq.complaints.take.take_item``, then 70 % get a reply published (``reply_drafted`` +
  ``reply_published``) within 10-110 minutes of the post: items per second;
- **catch-up sweep**: the first ``sweep`` after that day, which evaluates every complaint once (what
  an HQ restarted after a day's outage pays);
- **steady sweep**: ``sweep`` run once a minute for ``--minutes`` minutes after it, as the worker
  does: mean and max seconds per run, and the complaints evaluated per run.

Prints the figures for both loads. No asserts on speed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.events import EventType, ItemKind, Source, iso  # noqa: E402
from core.ids import new_id  # noqa: E402
from core.sla import SlaPolicy  # noqa: E402
from hq.complaints.sweep import sweep  # noqa: E402
from hq.complaints.take import IncomingItem, take_item  # noqa: E402
from hq.complaints.write import SYSTEM, append  # noqa: E402
from hq.db import Database, sqlite_url  # noqa: E402
from hq.schema import districts  # noqa: E402

DISTRICTS = [f"D{i:02d}" for i in range(1, 76)]
POLICY = SlaPolicy()
REPLY = "Forwarded to the police station"


def fresh_db(folder: Path) -> Database:
    db = Database(sqlite_url(folder / "hq.sqlite3"), pool_size=2)
    db.migrate()
    with db.writer() as conn:
        conn.execute(
            districts.insert(),
            [{"code": c, "name": f"District {c}", "duty_phones": "[]", "created_at": iso(datetime.now(UTC))}
             for c in DISTRICTS],
        )  # fmt: skip
    return db


def load_day(db: Database, per_day: int, end: datetime, rng: random.Random) -> tuple[float, int]:
    """A day's complaints taken and (70 %) answered; returns (seconds of intake, items)."""
    step = timedelta(days=1) / per_day
    authors: list[tuple[str, str]] = []
    started = time.perf_counter()
    taken: list[tuple[str, datetime]] = []
    for i in range(per_day):
        posted = end - timedelta(days=1) + step * i
        if authors and rng.random() < 0.1:
            author, thread = rng.choice(authors)
        else:
            author, thread = f"u{i}", f"t{i}"
            authors.append((author, thread))
        item = IncomingItem(
            platform=Source.X, item=ItemKind.MENTION, platform_id=f"{i}", posted_at=posted,
            text=f"@police complaint {i} from {DISTRICTS[i % 75]}", author_id=author, author_handle=f"@{author}",
            thread_id=thread,
        )  # fmt: skip
        result = take_item(db, item, now=posted + timedelta(minutes=1))
        taken.append((result.case_id, posted))
    intake_s = time.perf_counter() - started
    for case_id, posted in taken:
        if rng.random() < 0.7:
            at = posted + timedelta(minutes=rng.uniform(10, 110))
            if at > end:
                continue
            rid = new_id()
            with db.writer() as conn:
                append(conn, db, case_id, [
                    (EventType.ASSIGNED, {"district": rng.choice(DISTRICTS)}),
                    (EventType.REPLY_DRAFTED, {"reply_id": rid, "text": REPLY, "needs_approval": False}),
                    (EventType.REPLY_PUBLISHED, {"reply_id": rid, "platform_id": f"r{rid}", "published_at": iso(at)}),
                ], SYSTEM, now=at)  # fmt: skip
    return intake_s, per_day


def run(per_day: int, minutes: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    end = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="bench-complaints-") as tmp:
        db = fresh_db(Path(tmp))
        try:
            intake_s, n = load_day(db, per_day, end, rng)
            t = time.perf_counter()
            first = sweep(db, POLICY, end)
            catch_up_s = time.perf_counter() - t
            runs: list[float] = []
            evaluated: list[int] = []
            for m in range(1, minutes + 1):
                t = time.perf_counter()
                r = sweep(db, POLICY, end + timedelta(minutes=m))
                runs.append(time.perf_counter() - t)
                evaluated.append(r.evaluated)
        finally:
            db.dispose()
    return {
        "per_day": per_day,
        "intake_per_s": n / intake_s,
        "catch_up_s": catch_up_s,
        "catch_up_evaluated": first.evaluated,
        "catch_up_marks": len(first.marks),
        "minute_mean_s": statistics.mean(runs),
        "minute_max_s": max(runs),
        "minute_evaluated_mean": statistics.mean(evaluated),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-day", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="1,000 a day, 10 minutes")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if args.quick:
        args.per_day, args.minutes = 1_000, 10
    print(f"{'load (a day)':>14} {'intake/s':>9} {'catch-up s':>11} {'evaluated':>9} {'marks':>6} "
          f"{'sweep/min mean s':>17} {'max s':>7} {'evaluated/min':>14}")  # fmt: skip
    for per_day in (args.baseline, args.per_day):
        r = run(per_day, args.minutes, args.seed)
        print(f"{r['per_day']:>14,} {r['intake_per_s']:>9.0f} {r['catch_up_s']:>11.2f} {r['catch_up_evaluated']:>9,} "
              f"{r['catch_up_marks']:>6,} {r['minute_mean_s']:>17.4f} {r['minute_max_s']:>7.3f} "
              f"{r['minute_evaluated_mean']:>14.1f}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
