"""``python -m hq report``: the same report as the endpoint, as a table, CSV or JSON, audited as the OS user."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from core.reports import from_json
from hq.db import Database, sqlite_url
from hq.schema import audit

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hq", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_report_formats_and_audit(tmp_path: Path) -> None:
    seeded = run("demo", "--data-dir", str(tmp_path), "--alerts", "2")
    assert seeded.returncode == 0, seeded.stderr
    period = ["--from", "2020-01-01", "--to", "2030-12-31", "--data-dir", str(tmp_path)]

    as_json = run("report", "outcomes", *period, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    report = from_json("outcomes", json.loads(as_json.stdout))
    assert report.total.alerts == 6 and report.total.still_open == 6
    assert [r.district for r in report.rows] == ["KNP", "LKO", "VNS"]  # by name: Kanpur Nagar, Lucknow, Varanasi

    as_csv = run("report", "outcomes", *period, "--range", "Varanasi", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    lines = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert (
        lines[0][0].startswith("# outcomes report; period 2020-01-01..2030-12-31") and "range Varanasi" in lines[0][0]
    )
    assert lines[1][:4] == ["district", "name", "range", "alerts"]
    assert [r[0] for r in lines[2:]] == ["VNS", "STATE"] and lines[-1][3] == "2"

    table = run("report", "timing", *period)
    assert table.returncode == 0 and "routed" in table.stdout and "STATE" in table.stdout

    refused = run("report", "follow-ups", *period, "--district", "NOPE")
    assert refused.returncode == 1 and "unknown district" in refused.stderr

    db = Database(sqlite_url(tmp_path / "hq.sqlite3"), pool_size=1)
    try:
        with db.reader() as conn:
            rows = conn.execute(select(audit.c.username, audit.c.outcome).where(audit.c.action == "report")).all()
    finally:
        db.dispose()
    assert len(rows) == 3 and all(u.startswith("os:") and o == "ok" for u, o in rows)
