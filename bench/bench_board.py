#!/usr/bin/env python
"""The HQ board's costs: the desktop's refresh on the GUI thread, and HQ's query.

    .venv/bin/python bench/bench_board.py [--runs 300] [--cases 10000] [--pg URL]

1. **Refresh on the GUI thread** (offscreen Qt, the real ``BoardView`` at 1,920×1,080): a new board
   from HQ put into the model (``set_board``: severities, sort, reset) plus a synchronous repaint of
   the table (``viewport().repaint()``); the repaint alone; a board as HQ delivers it (a tenth of the
   districts changed) painted by the event loop; and the one-second ``tick`` (ages, severities,
   re-sort, paint). p50/p99 over ``--runs``. Target: under 16 ms per refresh (one frame at 60 Hz).
   Same-run baselines: the stock item-delegate painting (``BoardTable.stock_paint``, before) against
   ``BoardPainter`` (after); Qt's own C++ model painting the same cells (the floor of the stock
   way); 10 districts with 20 consoles against UP's 75 districts with 200 consoles.
2. **HQ's board query** (``hq.board.read_board``, SQLite file; PostgreSQL too with ``--pg``): 75
   districts, 200 consoles and ``--cases`` case summaries (a tenth open), against a baseline of 10
   districts, 20 consoles and a tenth of the cases. p50/p99.

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
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), pct(samples, 0.99)


def gui(runs: int) -> list[tuple[str, str, float, float]]:
    from PySide6.QtWidgets import QApplication

    from core.settings import Settings
    from ui.context import ApplicationContext
    from ui.hq.board import BoardView
    from ui.operations import TaskManager

    app = QApplication.instance() or QApplication([])
    taskman = TaskManager()
    ctx = ApplicationContext(  # only what the board reads: settings and the task manager; no HQ login
        data_dir=Path(tempfile.gettempdir()), settings=Settings(), store=None, clock=None, user=None,  # type: ignore[arg-type]
        device_id="bench", taskman=taskman, bridge=None,  # type: ignore[arg-type]
    )
    out = []
    for n, consoles in ((10, 20), (75, 200)):
        size = f"{n} districts, {consoles} consoles"
        for stock in (True, False):
            how = "stock delegate (before)" if stock else "BoardPainter (after)"
            view = BoardView(ctx, with_sound=False)
            view.stop()  # no fetch, no timers: the bench drives it
            view.table.stock_paint = stock
            view.resize(1908, 910)
            view.show()
            app.processEvents()
            out += measure(app, view, n, consoles, runs, how, size)
            if not stock:
                p50, p99 = timed(lambda view=view: floor(view), runs)
                out.append(("floor: Qt's own C++ model, same cells, stock repaint", size, p50, p99))
            view.close()
            view.deleteLater()
            app.processEvents()
    taskman.shutdown()
    return out


def measure(app: Any, view: Any, n: int, consoles: int, runs: int, how: str,
            size: str) -> list[tuple[str, str, float, float]]:
    """The three refresh kinds on ``view``: a whole repaint, a refresh as delivered, a tick."""
    from datetime import UTC, datetime

    from tests.unit.ui.hq.boards import up_board

    now = datetime.now(UTC)
    boards = [up_board(n, consoles, now + timedelta(seconds=i)) for i in range(4)]
    i = 0

    def refresh() -> None:
        nonlocal i
        view.model.set_board(boards[i % len(boards)])
        view.table.viewport().repaint()
        i += 1

    seconds = 0

    def tick() -> None:
        nonlocal seconds
        seconds += 1  # a tick a second later: every waiting age moves
        view.model.tick(now + timedelta(seconds=seconds))
        app.processEvents()  # paints what the tick marked changed (the waiting column)

    # What HQ sends every few seconds: the same board but for the consoles that beat since (about
    # one district in ten has a new last heartbeat).
    steady = [beats(up_board(n, consoles, now), now + timedelta(seconds=5 * k), k) for k in range(8)]

    def delivered() -> None:
        nonlocal i
        view.model.set_board(steady[i % len(steady)])
        app.processEvents()  # paints the cells whose values changed, as the event loop does
        i += 1

    def repaint_only() -> None:
        view.table.viewport().repaint()

    refresh()  # warm-up
    out = []
    p50, p99 = timed(refresh, runs)
    out.append((f"refresh, whole table repainted (set_board + repaint), {how}", size, p50, p99))
    p50, p99 = timed(repaint_only, runs)
    out.append((f"whole table repainted alone, {how}", size, p50, p99))
    p50, p99 = timed(delivered, runs)
    out.append((f"refresh as delivered (a tenth of the districts changed; set_board + paint), {how}", size, p50, p99))
    p50, p99 = timed(tick, runs)
    out.append((f"tick (ages + paint), {how}", size, p50, p99))
    return out


def beats(board: object, at: object, k: int) -> object:
    """``board`` with the consoles of every tenth district (shifted by ``k``) having beaten at ``at``."""
    import dataclasses

    rows = []
    for i, d in enumerate(board.districts):  # type: ignore[attr-defined]
        if i % 10 == k % 10:
            d = dataclasses.replace(d, consoles=tuple(dataclasses.replace(c, last_seen=at) for c in d.consoles))
        rows.append(d)
    return dataclasses.replace(board, districts=tuple(rows))  # type: ignore[type-var]


def floor(view: object) -> None:
    """The same cells (text, colours, fonts) in Qt's C++ ``QStandardItemModel``, repainted: what
    painting this table costs with no Python in the loop (built once per view, then repainted)."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    table = getattr(view, "_floor_table", None)
    if table is None:
        model = view.model  # type: ignore[attr-defined]
        std = QStandardItemModel(model.rowCount(), model.columnCount())
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                item = QStandardItem()
                for role in (0, 8, 9, 6, 7):  # display, background, foreground, font, alignment
                    value = model.index(r, c).data(role)
                    if value is not None:
                        item.setData(value, role)
                std.setItem(r, c, item)
        table = QTableView()
        table.setModel(std)
        src = view.table  # type: ignore[attr-defined]
        table.verticalHeader().setDefaultSectionSize(src.verticalHeader().defaultSectionSize())
        for c in range(model.columnCount()):
            table.setColumnWidth(c, src.columnWidth(c))
        table.resize(src.size())
        table.show()
        QApplication.processEvents()
        view._floor_table = table  # type: ignore[attr-defined]
    table.viewport().repaint()


def seed(db: object, n_districts: int, n_consoles: int, n_cases: int) -> None:
    import json

    from sqlalchemy import insert

    from core.events import iso, utcnow
    from hq.schema import case_summary, devices, districts, users

    now = utcnow()
    with db.transaction() as conn:  # type: ignore[attr-defined]
        conn.execute(insert(districts), [
            {"code": f"D{i:02d}", "name": f"District {i}", "duty_phones": "[]", "created_at": iso(now),
             "range": f"Range {i // 5}"} for i in range(n_districts)])
        conn.execute(insert(users), [
            {"id": f"u{i}", "username": f"op{i}", "display_name": f"Operator {i}", "role": "district_operator",
             "district": f"D{i % n_districts:02d}", "password_hash": "x", "active": True, "locked_at": None,
             "created_at": iso(now)} for i in range(n_consoles)])
        conn.execute(insert(devices), [
            {"id": f"dev{i}", "name": f"console {i}", "user_id": f"u{i}", "first_seen": iso(now),
             "last_seen": iso(now - timedelta(seconds=30 if i % 9 else 900)), "app_version": "0.9", "pending": i % 3,
             "audio": json.dumps({"ok": i % 7 != 0, "checked_at": None, "detail": "x"}), "disk_free_bytes": None}
            for i in range(n_consoles)])
        rows = []
        for i in range(n_cases):
            received = now - timedelta(minutes=i % 5000)
            is_open = i % 10 == 0
            rows.append({
                "case_id": f"c{i:06d}", "district": f"D{i % n_districts:02d}", "police_station": None,
                "kind": "suicide_risk", "source": "meta", "priority": 1,
                "status": ("new", "acknowledged", "dispatched")[i % 3] if is_open else "closed",
                "received_at": iso(received), "hq_acknowledged_at": None, "routed_at": iso(received),
                "district_acknowledged_at": None if is_open and i % 3 == 0 else iso(received),
                "dispatched_at": iso(received) if (not is_open or i % 3 == 2) else None, "forwarded_at": None,
                "reached_at": None if is_open else iso(received), "outcome": None if is_open else "safe_counselled",
                "outcome_reason": None, "outcome_at": None if is_open else iso(received), "counselled_at": None,
                "closed_at": None if is_open else iso(received), "escalations": 1 if i % 30 == 0 else 0,
                "last_escalation_step": "1" if i % 30 == 0 else None,
                "last_escalation_at": iso(received) if i % 30 == 0 else None,
                "follow_ups_open": 0, "next_follow_up_due": None, "updated_at": iso(received),
            })
        conn.execute(insert(case_summary), rows)


def query(runs: int, cases: int, pg: str | None) -> list[tuple[str, str, float, float]]:
    from hq.board import read_board
    from hq.db import Database, sqlite_url
    from hq.principals import Principal, Role

    who = Principal(actor="bench", display_name="Bench", role=Role.HQ_OPERATOR, username="bench")
    out = []
    targets = [("SQLite", None)] + ([("PostgreSQL", pg)] if pg else [])
    for backend, url in targets:
        for n, consoles, n_cases in ((10, 20, cases // 10), (75, 200, cases)):
            with tempfile.TemporaryDirectory() as tmp:
                db = Database(url or sqlite_url(Path(tmp) / "hq.db"))
                if url:
                    from sqlalchemy import text

                    with db.engine.begin() as conn:
                        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.migrate()
                seed(db, n, consoles, n_cases)
                read_board(db, who)  # warm-up (and the alerts' first audit rows)
                p50, p99 = timed(lambda db=db: read_board(db, who), max(20, runs // 5))
                out.append((f"HQ query ({backend})", f"{n} districts, {consoles} consoles, {n_cases} cases", p50, p99))
                db.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--pg", help="a PostgreSQL URL whose public schema the bench may drop and rebuild")
    args = parser.parse_args()
    rows = gui(args.runs) + query(args.runs, args.cases, args.pg)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| what | size | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for what, size, p50, p99 in rows:
        print(f"| {what} | {size} | {p50:.2f} | {p99:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
