#!/usr/bin/env python
"""Desktop-client benchmark: the real main window over a real encrypted store with 100,000 cases.

    .venv/bin/python bench/bench_ui.py [--cases 100000] [--runs 5] [--skip-intake]

Measures (offscreen Qt, real SQLCipher store, real MainWindow; medians of ``--runs``):
  * queue open: from ``MainWindow(...)`` to the queue's first page shown (count + first page + paint);
    target 1 s;
  * filter: kind + police station, and a name search, from ``set_filter`` to rows shown; target 100 ms;
  * scrolling: one ``fetchMore`` page (200 rows);
  * memory: process RSS with the window open on 100,000 cases (and before the store is opened);
  * intake to alarm: HQ (embedded, loopback) accepts an alert through ``hq.demo.inject_alert`` until
    the client's ``AlarmController.alarm_started`` fires for that case (pull long-poll, apply, query,
    decide); target under 1 s.
Prints a Markdown table for docs/BENCHMARKS.md; never asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-intake", action="store_true")
    args = parser.parse_args()

    import keyring
    from PySide6.QtCore import QEventLoop, QTimer

    from core.store import QueueFilter
    from demo.client import DemoKeyring
    from tests.e2e.kit import UiEnv, make_context, open_store, seed_many
    from ui.app import make_app
    from ui.main_window import MainWindow

    app = make_app()
    keyring.set_keyring(DemoKeyring())
    rows: list[tuple[str, str, str]] = []
    rss_start = rss_mb()

    def wait_until(cond: Callable[[], bool], timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError
            loop = QEventLoop()
            QTimer.singleShot(1, loop.quit)
            loop.exec()

    from core.hlc import HybridClock
    from core.store import StoreKey

    tmp = Path(tempfile.mkdtemp(prefix="rakshak-bench-ui-"))
    key = StoreKey.ephemeral()
    store = open_store(tmp, key)
    t0 = time.perf_counter()
    seed_many(store, args.cases, batch=5000)
    seed_s = time.perf_counter() - t0
    print(f"seeded {args.cases} cases in {seed_s:.1f} s", file=sys.stderr)
    env = UiEnv(tmp, store, key, HybridClock("hq"))

    # The window's default filter at a district console: every kind but complaints (their own tab)
    from ui.labels import KIND_CODES

    with store.reader() as r:
        expected = r.cases.count(QueueFilter(kinds=frozenset(KIND_CODES) - {"complaint"}))
    print(f"{expected} cases in the default queue", file=sys.stderr)

    opens: list[float] = []
    filters: list[float] = []
    searches: list[float] = []
    pages: list[float] = []
    counts_open: list[float] = []
    counts_filter: list[float] = []
    acks: list[float] = []
    window = None
    ctx = None
    for run in range(args.runs):
        ctx = make_context(env)
        t0 = time.perf_counter()
        window = MainWindow(ctx, with_sound=False)
        window.show()
        model = window.queue.model
        wait_until(lambda m=model: m.rowCount() > 0)
        app.processEvents()
        opens.append(time.perf_counter() - t0)
        wait_until(lambda m=model: m.total == expected)
        counts_open.append(time.perf_counter() - t0)

        stations = ["Hazratganj", "Aliganj", "Chinhat"]
        for flt in (
            QueueFilter(kinds=frozenset({"complaint"}), police_station=stations[run % 3]),
            QueueFilter(),
        ):
            done = []
            counted: list[int] = []
            model.loaded.connect(lambda d=done: d.append(1))
            model.total_changed.connect(counted.append)
            t0 = time.perf_counter()
            model.set_filter(flt)
            wait_until(lambda d=done: bool(d))
            app.processEvents()
            if flt != QueueFilter():
                filters.append(time.perf_counter() - t0)
            wait_until(lambda c=counted: bool(c))
            if flt != QueueFilter():
                counts_filter.append(time.perf_counter() - t0)
            model.loaded.disconnect()
            model.total_changed.disconnect()
        done = []
        model.loaded.connect(lambda d=done: d.append(1))
        t0 = time.perf_counter()
        model.set_filter(QueueFilter(search=f"Pooja Yadav {run}1"))
        wait_until(lambda d=done: bool(d))
        app.processEvents()
        searches.append(time.perf_counter() - t0)
        model.loaded.disconnect()
        done = []
        model.loaded.connect(lambda d=done: d.append(1))
        model.set_filter(QueueFilter())
        wait_until(lambda d=done: bool(d))
        model.loaded.disconnect()
        n = model.rowCount()
        t0 = time.perf_counter()
        model.fetchMore()
        wait_until(lambda m=model, n=n: m.rowCount() > n)
        pages.append(time.perf_counter() - t0)

        # Acknowledge while a search that matches nothing (a scan of every case) and its count run.
        target = next((r.case_id for r in window.alarm_rows if r.needs_alarm), None)
        if target is not None:
            model.set_filter(QueueFilter(search=f"nomatch{run}"))
            acked: list[float] = []
            def on_changed(ids: object, a: list[float] = acked, c: str = target) -> None:
                if isinstance(ids, frozenset) and c in ids:
                    a.append(time.perf_counter())

            ctx.taskman.cases_changed.connect(on_changed)
            t0 = time.perf_counter()
            window.acknowledge(target)
            wait_until(lambda a=acked: bool(a))
            acks.append(acked[0] - t0)
            ctx.taskman.cases_changed.disconnect(on_changed)
            wait_until(lambda c=ctx: c.taskman.pending == 0)
        if run < args.runs - 1:
            window.close()
            wait_until(lambda c=ctx: c.taskman.pending == 0)
            ctx.taskman.shutdown()
            window.deleteLater()
    rss_window = rss_mb()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"

    n = f"{args.cases:,}"
    rows.append((f"Queue open, {n} cases (window to first page shown)", ms(opens), "< 1 s"))
    rows.append(("Queue open: exact count shown", ms(counts_open), "—"))
    rows.append(("Filter kind + police station: rows shown", ms(filters), "< 100 ms"))
    rows.append(("Filter kind + police station: count shown", ms(counts_filter), "—"))
    rows.append((f"Search by name (every word must match, over {n})", ms(searches), "< 100 ms"))
    rows.append(("Scroll: next page of 200 (fetchMore)", ms(pages), "—"))
    if acks:
        rows.append(("Acknowledge stored while a full-scan search and count run", ms(acks), "< 100 ms"))
    rss = f"{rss_window:.0f} MB (Qt loaded, no store: {rss_start:.0f} MB)"
    rows.append((f"RSS, window open on {n} cases", rss, "—"))
    if window is not None and ctx is not None:
        window.close()
        wait_until(lambda: ctx.taskman.pending == 0)
        ctx.taskman.shutdown()
    store.close()

    if not args.skip_intake:
        rows.append(intake_to_alarm(app, wait_until, args.runs))

    print(f"\nSeeding {args.cases} cases through apply_remote: {seed_s:.1f} s\n")
    print("| Measurement | Result (median of runs) | Target |")
    print("|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    return 0


def intake_to_alarm(app: object, wait_until: Callable[..., None], runs: int) -> tuple[str, str, str]:
    """HQ intake -> client alarm_started, through the real sync engine (long-poll pull)."""
    from demo.client import DemoRunner
    from hq.demo import inject_alert

    runner = DemoRunner(app, lang="en", interval_s=0, first_alert_s=3600, with_sound=False)  # type: ignore[arg-type]
    window = runner.start()
    wait_until(lambda: str(getattr(window.status.status, "state", "")) == "online", 20)
    started: dict[str, float] = {}
    window.alarm.alarm_started.connect(lambda cid: started.setdefault(cid, time.perf_counter()))
    latencies: list[float] = []
    time.sleep(1.0)
    for _ in range(runs):
        t0 = time.perf_counter()
        case_id = inject_alert(runner.hq, district="LKO")
        wait_until(lambda c=case_id: c in started, 20)
        latencies.append(started[case_id] - t0)
        window.acknowledge(case_id)
        wait_until(lambda: not window.alarm.is_ringing, 20)
        time.sleep(0.3)
    runner.stop()
    med = statistics.median(latencies) * 1000
    return ("HQ intake to alarm ringing in the client (loopback)",
            f"{med:.0f} ms (min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f})", "< 1 s")


if __name__ == "__main__":
    sys.exit(main())
