"""The identity search: tips sent from a known number through the whole chain (the webhook, HQ on
PostgreSQL, two consoles syncing into SQLCipher replicas, logs at debug level, the HQ API's reads,
the Reports view's exports from both consoles and the HQ CLI's reports), then every table, log
line, replica and export searched for the number in any form: digits, with the country code, E.164,
spaced and dashed, an unkeyed SHA-256/SHA-1/MD5 of each, and the WhatsApp message ids (base64 that
holds the number). Zero hits.

The exports: every report kind the Reports view has a tab for (its registry, so a kind added later
is searched too), as HQ serves it and as the console's replica computes it, in CSV, XLSX and PDF,
written by the view's own export path (offscreen Qt); an XLSX is searched unzipped and a PDF by its
extracted text as well as its bytes. The HQ CLI: every kind ``python -m hq report`` offers, as CSV
and JSON. A number planted in an export is found in each format, so the search can fail."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import re
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from core.events import EventType
from core.reports import ReportQuery
from hq.__main__ import build_parser
from hq.__main__ import main as hq_main
from sync.errors import HQRefused
from tests.fixtures.hq import API, HQServer
from tests.fixtures.whatsapp_sim import WhatsAppSim, photo_with_gps, voice_note, whatsapp_sim
from tests.integration.sync.sync_harness import Workstation
from ui.operations import TaskManager
from ui.operations.report_sources import HQ_ONLY, console_report_loader
from ui.operations.reports import ExportJob
from ui.reports import ReportsView
from ui.reports.exports import write_csv, write_xlsx
from ui.reports.pdf import write_pdf
from ui.reports.tables import Column, ExportDocument, Table

__all__ = ["whatsapp_sim"]
pytestmark = [pytest.mark.postgres]

NUMBER = "919876543210"
LOCAL = "9876543210"


def number_forms() -> set[str]:
    forms = {NUMBER, LOCAL, "+" + NUMBER, "0" + LOCAL, "+91 " + LOCAL, "+91 98765 43210", "98765 43210",
             "+91-98765-43210", "98765-43210", "91 98765 43210", "(+91) 9876543210", "+91-9876543210"}  # fmt: skip
    hashed = set()
    for f in forms:
        for algo in ("sha256", "sha1", "md5"):
            digest = hashlib.new(algo, f.encode()).hexdigest()
            hashed |= {digest, digest.upper()}
    # base64 of the digits at each of the three alignments (a wamid embeds them this way)
    for pad in range(3):
        encoded = base64.b64encode(b"\x00" * pad + NUMBER.encode()).decode()
        hashed.add(encoded[4 if pad else 0 : -4])
    return forms | hashed


def hits(haystack: bytes, needles: set[str], where: str) -> list[str]:
    return [f"{where}: {n!r}" for n in sorted(needles) if n.encode() in haystack]


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every logger at DEBUG (SQLAlchemy's statements and parameters included) into one file."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    before = root.level
    named = ["hq", "sync", "core", "sqlalchemy.engine", "uvicorn", "uvicorn.access", "uvicorn.error", "urllib3"]
    levels = {n: logging.getLogger(n).level for n in named}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for n in named:
        logging.getLogger(n).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)
        handler.close()


def _replica_dump(ws: Workstation) -> bytes:
    lines: list[str] = []
    with ws.store._engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        for name in names:
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                lines.append(f"{name}: {tuple(row)!r}")
    return "\n".join(lines).encode()


def export_text(path: Path) -> bytes:
    """What an export holds, searchable: its bytes, an XLSX's unzipped parts (the file is a zip, so
    its bytes alone hide the cells) and a PDF's text as QtPdf extracts it (its streams are compressed),
also with its white space removed."""
    parts = [path.read_bytes()]
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            parts += [z.read(name) for name in z.namelist()]
    elif path.suffix == ".pdf":
        doc = QPdfDocument()
        assert doc.load(str(path)) == QPdfDocument.Error.None_
        extracted = "\n".join(doc.getAllText(page).text() for page in range(doc.pageCount()))
        doc.close()
        # QtPdf gives a table cell's characters one per line: search the text with no white space too.
        parts += [extracted.encode(), re.sub(r"\s+", "", extracted).encode()]
    return b"\n".join(parts)


def console_exports(qtbot: QtBot, ws: Workstation, out: Path) -> list[Path]:
    """Every report tab of the Reports view exported in every format, from HQ and from the replica."""
    today = date.today()
    query = ReportQuery(today - timedelta(days=2), today)
    written: list[Path] = []
    for source, session in (("hq", ws.session), ("replica", None)):
        loader = console_report_loader(ws.store, session, ws.root, f"console {ws.name}")
        taskman = TaskManager()
        view = ReportsView(loader, taskman)
        qtbot.addWidget(view)
        view.period.set_period(query.date_from, query.date_to)
        for kind, tab in view.tab_by_kind.items():
            if session is None and kind in HQ_ONLY:
                continue  # kept at HQ only: the replica has no such report
            try:
                loader.load(kind, query)
            except HQRefused:
                continue  # not this console's user's to see (the view shows HQ's refusal)
            view.tabs.setCurrentWidget(tab)

            def shown(view: ReportsView = view, kind: str = kind) -> bool:
                if kind not in view.reports:
                    return False
                shown_query = view.reports[kind].header.query  # HQ narrows it to the user's scope
                return (shown_query.date_from, shown_query.date_to) == (query.date_from, query.date_to)

            qtbot.waitUntil(shown, timeout=20000)
            for fmt in ("csv", "xlsx", "pdf"):
                path = out / f"{ws.name}-{source}-{kind}.{fmt}"
                with qtbot.waitSignal(view.export_finished, timeout=30000) as done:
                    view.export(fmt, path)
                assert done.args == [str(path)]
                written.append(path)
        qtbot.waitUntil(lambda: taskman.pending == 0, timeout=20000)  # noqa: B023 - called in this iteration
        taskman.shutdown()
    return written


def cli_reports(db_url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """``python -m hq report KIND --format csv|json`` for every kind the command offers."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    kinds = next(a for a in sub.choices["report"]._actions if a.dest == "kind").choices
    assert kinds
    today = date.today()
    out: dict[str, bytes] = {}
    for kind in kinds:
        for fmt in ("csv", "json"):
            argv = ["report", "--db", db_url, str(kind), "--from", str(today - timedelta(days=2)), "--to", str(today)]
            assert hq_main([*argv, "--format", fmt]) == 0
            out[f"{kind}.{fmt}"] = capsys.readouterr().out.encode()
    return out


def _wait(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_the_tipsters_number_is_nowhere_police_or_an_operator_can_look(
    whatsapp_sim: WhatsAppSim, hq_factory: Any, debug_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    sim = whatsapp_sim
    monkeypatch.setenv("RAKSHAK_TIPLINE_BUNDLE_MIN", "0.02")  # the second tip must not bundle into the first
    hq: HQServer = hq_factory("postgres")
    wamids: list[str] = []

    def deliver(payload: dict[str, Any], **kw: Any) -> None:
        wamids.extend(m["id"] for e in payload["entry"] for c in e["changes"] for m in c["value"].get("messages", []))
        r = sim.post(hq.url, payload, **kw)
        assert r.status_code in (200, 401), r.text

    flow = [
        sim.text(NUMBER, "नमस्ते"), sim.text(NUMBER, "1"), sim.text(NUMBER, "9"),
        sim.text(NUMBER, f"थाने का एक सिपाही पैसे मांगता है, मेरा नंबर {NUMBER[2:5]} नहीं बताना"),
        sim.text(NUMBER, "थाना लंका, वाराणसी"), sim.text(NUMBER, "कल शाम"),
        sim.image(NUMBER, photo_with_gps()), sim.audio(NUMBER, voice_note()),
        sim.text(NUMBER, "0"), sim.text(NUMBER, "1"),
    ]  # fmt: skip
    for p in flow:
        deliver(p)
    sim.wait_sent(10)
    deliver(sim.text(NUMBER, "Hi"), signature="sha256=" + "0" * 64)  # a forged delivery: audited
    deliver(flow[0])  # a redelivery

    vns = Workstation.create(tmp_path / "vns", hq.url, "demo-vns", start=False)
    hq_console = Workstation.create(tmp_path / "hq", hq.url, "hq", start=False)
    try:
        for ws in (vns, hq_console):
            assert ws.engine.run_once().last_error is None
        (case_id,) = vns.cases()
        assert hq_console.has_case(case_id)
        # The relay's send fails once (Meta's error text quotes the number), then succeeds.
        sim.fail_sends = 1
        officer = hq.login("demo-vns")
        r = officer.http.post(f"{API}/tips/{case_id}/questions", json={"text": "Which day of the week?"})
        assert r.status_code == 201, r.text
        sim.wait_sent(11, timeout=30)
        deliver(sim.text(NUMBER, "Every Monday"))
        sim.wait_sent(12, timeout=30)
        # A second tip from the same number: "sent tips before", under the same pseudonym.
        time.sleep(1.5)
        second = [sim.text(NUMBER, "Hello"), sim.text(NUMBER, "2"), sim.text(NUMBER, "4"),
                  sim.text(NUMBER, "Gambling den"), sim.text(NUMBER, "Near the ghat, Varanasi"),
                  sim.text(NUMBER, "Nights"), sim.text(NUMBER, "0"), sim.text(NUMBER, "yes")]  # fmt: skip
        for p in second:
            deliver(p)
        sim.wait_sent(20, timeout=30)
        for ws in (vns, hq_console):
            _wait(lambda ws=ws: ws.engine.run_once().last_error is None and len(ws.cases()) == 2)
        reads: list[bytes] = []
        cases: dict[str, Any] = {}
        for cid in vns.cases():
            case = officer.http.get(f"{API}/cases/{cid}").json()
            cases[cid] = case
            reads.append(json.dumps(case, ensure_ascii=False).encode())
            for e in case["events"]:
                for m in (e["payload"].get("tip") or {}).get("media", []):
                    reads.append(officer.http.get(f"{API}/tips/media/{m['id']}").content)
        reads.append(json.dumps(officer.pull_all()[0], ensure_ascii=False).encode())
        tips_made = [e["payload"]["tip"] for c in cases.values() for e in c["events"] if e["type"] == "created"]
        assert sorted(t["prior_tips"] for t in tips_made) == [0, 1]
        assert len({t["pseudonym"] for t in tips_made}) == 1
        answered = [e for c in cases.values() for e in c["events"] if e["type"] == str(EventType.TIP_ANSWER)]
        assert [a["payload"]["text"] for a in answered] == ["Every Monday"]
        replicas = [_replica_dump(vns), _replica_dump(hq_console)]
        exports_dir = tmp_path / "exports"
        exports_dir.mkdir()
        exports = console_exports(qtbot, vns, exports_dir) + console_exports(qtbot, hq_console, exports_dir)
    finally:
        vns.close()
        hq_console.close()

    assert hq.cluster is not None
    dump_dir = Path(tempfile.mkdtemp(prefix="rakshak-dump-"))
    hq._dump_dirs.append(dump_dir)
    dump = dump_dir / "hq.sql"
    hq.cluster._tool(["pg_dump", "--format=plain", "--inserts", "-f", str(dump), hq.db_url.rsplit("/", 1)[1]], dump)
    dumped = dump.read_bytes()
    assert b"tip_senders" in dumped and b"Every Monday" in dumped  # the dump holds the tip line's data
    logged = debug_log.read_bytes()
    assert b"tip_inbox" in logged  # SQL statements were logged at debug level

    needles = number_forms() | set(wamids) | {w.removeprefix("wamid.") for w in wamids}
    found = hits(dumped, needles, "pg_dump") + hits(logged, needles, "log")
    found += [h for i, blob in enumerate(replicas) for h in hits(blob, needles, f"replica {i}")]
    found += [h for i, blob in enumerate(reads) for h in hits(blob, needles, f"read {i}")]
    found += [h for path in exports for h in hits(export_text(path), needles, f"export {path.name}")]
    cli = cli_reports(hq.db_url, capsys)
    found += [h for name, blob in cli.items() for h in hits(blob, needles, f"hq report {name}")]
    assert found == [], found
    # The exports are real: every format of the chain's reports from HQ and from both replicas.
    names = {p.name for p in exports}
    for ws_name in ("vns", "hq"):
        for source in ("hq", "replica"):
            assert {f"{ws_name}-{source}-outcomes.{fmt}" for fmt in ("csv", "xlsx", "pdf")} <= names
    assert any(b"%PDF" in p.read_bytes()[:8] for p in exports) and all(cli.values())
    # The relay really did carry everything to this number (the sim saw it; HQ's data does not).
    assert {s["to"] for s in sim.sent} == {NUMBER}
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", sim.texts_to(NUMBER)[9])


def test_the_export_search_finds_a_number_planted_in_each_format(qtbot: QtBot, tmp_path: Path) -> None:
    """The search above can fail: a number in a report's cell is found in the CSV, the XLSX and the PDF."""
    table = Table("Tips", (Column("Pseudonym", "text"), Column("Note", "text")), (("Tipster K7F3", "+91 98765 43210"),))
    doc = ExportDocument(
        title="Tips", header=(("Period", "1 Jan 2026 – 31 Jan 2026"),), definitions=("A planted row.",), tables=(table,)
    )
    job = ExportJob()
    writers: dict[str, Any] = {
        "csv": write_csv, "xlsx": write_xlsx, "pdf": lambda d, p, j: write_pdf(d, p, j, ["DejaVu Sans"])
    }  # fmt: skip
    for fmt, write in writers.items():
        path = tmp_path / f"planted.{fmt}"
        write(doc, path, job)
        assert hits(export_text(path), number_forms(), path.name), f"the {fmt} search missed the planted number"
