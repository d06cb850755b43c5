"""Complaints at HQ: intake throughput and the SLA sweep's cost per minute at 10,000 complaints a day;
a breach-heavy minute with the escalation hook; the compliance report against the outcomes report.

    .venv/bin/python bench/bench_complaints.py [--per-day N] [--baseline N] [--minutes M] [--quick]
        [--parts sweep,hook,report] [--breaches N] [--report-days D] [--report-backend sqlite|postgres|both]

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

``hook`` (a breach-heavy minute): ``--breaches`` complaints (default 700, a minute's evaluations at
10,000 a day) posted together and never answered, warned at 90 minutes; then the one sweep at 120
minutes that breaches them all, once without a breach hook (the same-run baseline, its own fresh
database) and once with HQ's escalation hook (``hq.escalation.complaint_breach``) writing one
escalation row per breach in the sweep's transaction; then the escalation runner's tick that
notifies the supervisor of each (a channel on this process that accepts every notice, so the figure
is HQ's own cost: the claim, the delivery row and the ``escalated`` event per notice).

``report`` (the compliance report over a month): ``--report-days`` (default 30) days of ``--per-day``
complaints, written straight into ``complaint_summary`` / ``complaint_deadlines`` in the shape
``core.report_rows.complaint_values`` gives (what the event writes maintain; building them through
intake would take hours here), plus 1,000 suicide-risk alerts a day in ``case_summary``; then the
state-wide compliance report and the outcomes report for the same period on the same database
(median of 3), on SQLite or (``--report-backend``) a throwaway PostgreSQL cluster, ``ANALYZE``d after
the bulk write as autovacuum would. A year of 10,000 a day (3.65 M complaints) does not fit this machine's test budget:
30 days, 300,000 complaints, is what is measured.
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


def fresh_db(folder: Path, url: str | None = None) -> Database:
    db = Database(url or sqlite_url(folder / "hq.sqlite3"), pool_size=2)
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


def hook_minute(n: int, *, with_hook: bool, seed: int) -> dict[str, float]:
    """One breach-heavy sweep (and, with the hook, the runner's notices) on a fresh database."""
    from hq.channels import Delivery, Recipient
    from hq.complaints.sweep import on_breach, remove_breach_hook
    from hq.escalation import store
    from hq.escalation.complaint_breach import escalate_breach
    from hq.escalation.runner import EscalationRunner

    class Accepting:
        name = "sms"

        def target(self, recipient: Recipient) -> str | None:
            return recipient.phone

        def send(self, text: str, subject: str, recipient: Recipient, callback_url: str | None) -> Delivery:
            return Delivery("sent", "accepted", 1, new_id())

    posted = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    rng = random.Random(seed)
    out: dict[str, float] = {"breaches": 0, "sweep_s": 0.0, "runner_s": 0.0, "notices": 0}
    with tempfile.TemporaryDirectory(prefix="bench-breach-") as tmp:
        db = fresh_db(Path(tmp))
        try:
            store.add_contact(db, "*", "hq_duty", "Desk supervisor", phone="9000000000")
            for i in range(n):
                item = IncomingItem(Source.X, ItemKind.MENTION, f"b{i}", posted + timedelta(seconds=rng.random()),
                                    f"@police complaint {i}", author_id=f"a{i}", author_handle=f"@a{i}")  # fmt: skip
                take_item(db, item, now=posted + timedelta(minutes=1))
            sweep(db, POLICY, posted + timedelta(minutes=90))
            if with_hook:
                on_breach(escalate_breach)
            try:
                t = time.perf_counter()
                result = sweep(db, POLICY, posted + timedelta(minutes=121))
                out["sweep_s"] = time.perf_counter() - t
            finally:
                remove_breach_hook(escalate_breach)
            out["breaches"] = result.breached
            if with_hook:
                clock = posted + timedelta(minutes=122)
                runner = EscalationRunner(db, {"sms": Accepting()}, worker_id="bench", clock=lambda: clock)
                t = time.perf_counter()
                report = runner.tick()
                while report.steps:
                    out["notices"] += report.steps
                    report = runner.tick()
                out["runner_s"] = time.perf_counter() - t
        finally:
            db.dispose()
    return out


def fill_month(db: Database, days: int, per_day: int, alerts_per_day: int, end: datetime, seed: int) -> int:
    """Summary rows of ``days`` days of complaints (70 % answered in 10-110 min, 10 % of those waited
    on again, 60 % closed within a day) and of suicide-risk alerts; returns the complaints written."""
    from core.events import ComplaintCategory
    from hq.schema import case_summary, complaint_deadlines, complaint_summary

    rng = random.Random(seed)
    cats = [str(c) for c in ComplaintCategory] + ["uncategorised"]
    start = end - timedelta(days=days)
    total = days * per_day
    step = (end - start) / total
    chunk: tuple[list[dict[str, object]], list[dict[str, object]]] = ([], [])

    def flush() -> None:
        with db.writer() as conn:
            conn.execute(complaint_summary.insert(), chunk[0])
            if chunk[1]:
                conn.execute(complaint_deadlines.insert(), chunk[1])
        chunk[0].clear()
        chunk[1].clear()

    for i in range(total):
        posted = start + step * i
        cid = new_id()
        cat = rng.choice(cats)
        replied = rng.random() < 0.7
        first_s = rng.uniform(600, 6600) if replied else None
        closed_s = rng.uniform(3600, 86400) if rng.random() < 0.6 else None
        chunk[0].append({"case_id": cid, "district": DISTRICTS[i % 75], "category": cat, "platform": "x",
                         "posted_at": iso(posted), "first_response_s": first_s})  # fmt: skip
        if cat != "not_actionable":
            met = first_s if first_s is not None else closed_s
            chunk[1].extend([
                {"case_id": cid, "deadline": "first_response", "started_at": iso(posted),
                 "started_s": posted.timestamp(), "met_s": met},
                {"case_id": cid, "deadline": "resolution", "started_at": iso(posted),
                 "started_s": posted.timestamp(), "met_s": closed_s},
            ])  # fmt: skip
            if first_s is not None and rng.random() < 0.1:
                again = posted + timedelta(seconds=first_s + 600)
                chunk[1].append({"case_id": cid, "deadline": "next_response", "started_at": iso(again),
                                 "started_s": again.timestamp(), "met_s": rng.uniform(300, 9000)})  # fmt: skip
        if len(chunk[0]) >= 5000:
            flush()
    if chunk[0]:
        flush()
    alerts = []
    for i in range(days * alerts_per_day):
        at = start + (end - start) * (i / (days * alerts_per_day))
        outcome = rng.choice(["safe_counselled", "handed_to_family", "not_reached", None])
        alerts.append({
            "case_id": new_id(), "district": DISTRICTS[i % 75], "kind": "suicide_risk", "status": "closed",
            "received_at": iso(at), "outcome": outcome,
            "outcome_reason": "phone_switched_off" if outcome == "not_reached" else None,
            "escalations": 0, "follow_ups_open": 0, "updated_at": iso(end),
        })  # fmt: skip
    with db.writer() as conn:
        for k in range(0, len(alerts), 5000):
            conn.execute(case_summary.insert(), alerts[k : k + 5000])
    if db.is_postgres:  # what autovacuum does to a table that grew: without it the plans are blind
        from sqlalchemy import text

        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return total


def report_month(days: int, per_day: int, seed: int, url: str | None = None) -> dict[str, float]:
    from datetime import date

    from core.reports import ReportQuery
    from hq import reports
    from hq.principals import Principal, Role

    end = datetime(2026, 11, 29, 18, 30, tzinfo=UTC)  # midnight IST
    who = Principal(actor="bench", display_name="bench", role=Role.SUPERVISOR)
    query = ReportQuery(date(2026, 11, 29) - timedelta(days=days), date(2026, 11, 29))
    with tempfile.TemporaryDirectory(prefix="bench-compliance-") as tmp:
        db = fresh_db(Path(tmp), url)
        try:
            t = time.perf_counter()
            n = fill_month(db, days, per_day, 1000, end, seed)
            fill_s = time.perf_counter() - t
            times: dict[str, list[float]] = {"compliance": [], "outcomes": []}
            for _ in range(3):
                for kind in times:
                    t = time.perf_counter()
                    reports.run(db, who, kind, query, audit=False)
                    times[kind].append(time.perf_counter() - t)
        finally:
            db.dispose()
    return {"complaints": n, "fill_s": fill_s, **{k: statistics.median(v) for k, v in times.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-day", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="1,000 a day, 10 minutes")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--parts", default="sweep,hook,report", help="which parts to run (comma-separated)")
    parser.add_argument("--breaches", type=int, default=700, help="complaints breaching in the one sweep (hook)")
    parser.add_argument("--report-days", type=int, default=30, help="days of complaints for the report")
    parser.add_argument("--report-backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    args = parser.parse_args()
    if args.quick:
        args.per_day, args.minutes, args.breaches, args.report_days = 1_000, 10, 100, 7
    parts = set(args.parts.split(","))
    if "hook" in parts:
        print(f"{'breach-heavy minute':>22} {'breaches':>9} {'sweep s':>8} {'runner s':>9} {'notices':>8}")
        for with_hook in (False, True):
            h = hook_minute(args.breaches, with_hook=with_hook, seed=args.seed)
            label = "with escalation hook" if with_hook else "no hook (baseline)"
            print(f"{label:>22} {h['breaches']:>9,.0f} {h['sweep_s']:>8.2f} {h['runner_s']:>9.2f} "
                  f"{h['notices']:>8,.0f}", flush=True)  # fmt: skip
    if "report" in parts:
        backends = ["sqlite", "postgres"] if args.report_backend == "both" else [args.report_backend]
        for backend in backends:
            cluster = None
            url = None
            if backend == "postgres":
                from tests.fixtures.postgres import PgCluster

                cluster = PgCluster.start()
                url = cluster.url(cluster.create_database("bench_compliance"))
            try:
                r = report_month(args.report_days, args.per_day, args.seed, url)
            finally:
                if cluster is not None:
                    cluster.stop()
            print(f"{backend}: report over {args.report_days} days: {r['complaints']:,.0f} complaints (rows "
                  f"written in {r['fill_s']:.1f} s); compliance {r['compliance']:.2f} s, outcomes "
                  f"{r['outcomes']:.2f} s (median of 3, state-wide)", flush=True)  # fmt: skip
    if "sweep" not in parts:
        return 0
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
