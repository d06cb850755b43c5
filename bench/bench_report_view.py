"""The Reports view's own cost: painting each tab and building each export, 75 districts against a
same-run baseline of 1 district.

    .venv/bin/python bench/bench_report_view.py [--rounds 5] [--json]

The reports come from the test suite's fakes (tests/unit/ui/reports/fakes.py: the producers' types,
Jan 2023 – Jun 2024), so the figures are the view's and the exporters' work only, not HQ's or the
replica's (bench/ scripts of those measure their own). Offscreen, 1,366 x 768.

- paint: ``ReportsView.grab()`` of each tab after its report was shown (the table models' reset, the
  column sizing and the charts' painting), median of ``--rounds``;
- show: ``tab.show_report(report)`` (tables built, translated, models reset), median;
- export: each format written by its writer on this thread (as the bulk reader runs it), median; the
  PDF of the timing tab at 75 districts has 456 table rows.

One unrecorded pass at 1 district runs first, so the baseline is not paying the first paint's font loading.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    screen = Path(tempfile.mkdtemp(prefix="rakshak-bench-reports-")) / "screen.json"
    screen.write_text('{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}]}')
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"

    from PySide6.QtCore import QEventLoop, QTimer

    from tests.unit.ui.reports.fakes import PUBLISHED_PERIOD, FakeLoader
    from ui.app import make_app
    from ui.operations import TaskManager
    from ui.operations.reports import ExportJob
    from ui.reports import ReportsView
    from ui.reports.exports import write_csv, write_xlsx
    from ui.reports.pdf import write_pdf

    app = make_app()
    taskman = TaskManager()
    out_dir = Path(tempfile.mkdtemp(prefix="rakshak-bench-exports-"))

    def settle(view: ReportsView, kind: str) -> None:
        """Wait until ``view`` shows ``kind`` for the published period."""
        end = time.monotonic() + 60
        while kind not in view.reports or view.reports[kind].header.query.date_from != PUBLISHED_PERIOD[0]:
            if time.monotonic() > end:
                raise TimeoutError("report not loaded")
            loop = QEventLoop()
            QTimer.singleShot(10, loop.quit)
            loop.exec()

    def median_ms(fn: object) -> float:
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    results: dict[str, dict[str, float]] = {}
    # a first, discarded pass warms the font caches (Devanagari shaping) so the baseline is not a cold start
    for n, key in ((1, "warm-up"), (1, "1"), (75, "75")):
        view = ReportsView(FakeLoader(n=n), taskman, today=lambda: date(2024, 7, 15))
        view.resize(1366, 740)
        view.show()
        view.period.set_period(*PUBLISHED_PERIOD)
        row: dict[str, float] = {}
        families = view.font().families()
        for kind, tab in view.tab_by_kind.items():
            view.tabs.setCurrentWidget(tab)
            settle(view, kind)
            report = view.reports[kind]
            row[f"{kind} show"] = median_ms(lambda t=tab, r=report: t.show_report(r))
            row[f"{kind} paint"] = median_ms(view.grab)
            doc = view.document(kind)
            for fmt, writer in (
                ("csv", lambda p, d=doc: write_csv(d, p, ExportJob())),
                ("xlsx", lambda p, d=doc: write_xlsx(d, p, ExportJob())),
                ("pdf", lambda p, d=doc, f=families: write_pdf(d, p, ExportJob(), f)),
            ):
                path = out_dir / f"{kind}-{n}.{fmt}"
                row[f"{kind} {fmt}"] = median_ms(lambda w=writer, p=path: w(p))
                row[f"{kind} {fmt} KB"] = path.stat().st_size / 1024
        results[key] = row
        view.close()
    taskman.shutdown()
    results.pop("warm-up")
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'(median ms, sizes KB)':32} {'1 district':>12} {'75 districts':>14} {'ratio':>7}")
    for key in results["1"]:
        a, b = results["1"][key], results["75"][key]
        print(f"{key:32} {a:12.1f} {b:14.1f} {b / a if a else 0:7.1f}")
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
