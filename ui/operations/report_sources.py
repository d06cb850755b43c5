"""Where a console's Reports view gets its figures and records its exports.

``console_report_loader`` joins HQ's report endpoint (through the signed-in session), this console's
replica (``core.store.reports.compute``) and the export audit into the ``HQFirstLoader`` the view
asks. An export is audited at HQ; when HQ cannot be reached the export still happens and its audit
record waits in ``report-exports-pending.jsonl`` in the data folder, sent before the next export's
(an operator at a cut-off district still gets the figures on paper, and HQ still learns of it).
"""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

from core.events import iso, utcnow
from core.reports import ReportQuery
from core.store import LocalStore
from core.store.reports import compute
from sync import Session
from sync.errors import HQUnreachable, LoginRequired
from ui.operations.claims import ACCOUNTS_REPORT, CLAIMS_REPORT, HQClaimsSource
from ui.operations.reports import HQFirstLoader, NoHQSession, Report

PENDING_FILE = "report-exports-pending.jsonl"
# The claims and the suspicious-accounts register: read through their own endpoints.
REGISTERS = frozenset({CLAIMS_REPORT, ACCOUNTS_REPORT})
# Reports kept at HQ only: a console's replica holds neither the registers nor the complaint and tip summaries.
HQ_ONLY = REGISTERS | {"compliance", "tips"}


class ExportAudit:
    """Records exports at HQ; keeps them in a local file while HQ cannot be reached."""

    def __init__(self, session: Session | None, data_dir: Path) -> None:
        self._session = session
        self._pending = data_dir / PENDING_FILE
        self._lock = threading.Lock()

    def record(self, kind: str, query: ReportQuery, fmt: str) -> None:
        entry = {
            "kind": kind,
            "from": query.date_from.isoformat(),
            "to": query.date_to.isoformat(),
            "district": query.district,
            "range": query.range,
            "format": fmt,
            "exported_at": iso(utcnow()),
        }
        with self._lock:
            try:
                self._send_pending()
                self._send(entry)
            except (HQUnreachable, LoginRequired):
                with open(self._pending, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
                    fh.flush()

    def _send_pending(self) -> None:
        if not self._pending.exists():
            return
        lines = [line for line in self._pending.read_text(encoding="utf-8").splitlines() if line.strip()]
        sent = 0
        try:
            for line in lines:
                self._send(json.loads(line))
                sent += 1
        finally:
            rest = lines[sent:]
            if rest:
                self._pending.write_text("".join(line + "\n" for line in rest), encoding="utf-8")
            else:
                self._pending.unlink(missing_ok=True)

    def _send(self, entry: dict[str, str | None]) -> None:
        session = self._session
        if session is None:
            raise NoHQSession("this console has no HQ session")
        query = ReportQuery(
            date_from=_day(entry["from"]), date_to=_day(entry["to"]), district=entry["district"], range=entry["range"]
        )
        session.call(
            lambda token: session.client.report_export(
                token, str(entry["kind"]), query, str(entry["format"]), str(entry["exported_at"])
            )
        )


def _day(value: str | None) -> date:
    return date.fromisoformat(str(value))


def console_report_loader(store: LocalStore, session: Session | None, data_dir: Path, run_by: str) -> HQFirstLoader:
    def from_hq(kind: str, query: ReportQuery) -> Report:
        if session is None:
            raise NoHQSession("this console has no HQ session")
        if kind in REGISTERS:  # the claims and the register have their own endpoints
            registers: Report = HQClaimsSource(session).report(kind, query)
            return registers
        report: Report = session.call(lambda token: session.client.report(token, kind, query))
        return report

    def from_replica(kind: str, query: ReportQuery) -> Report:
        if kind in HQ_ONLY:
            raise NoHQSession(f"the {kind} report is computed at HQ only: reconnect to see it")
        report: Report = compute(store, kind, query, run_by)
        return report

    return HQFirstLoader(from_hq, from_replica, audit=ExportAudit(session, data_dir).record)
