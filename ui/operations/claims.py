"""Claims and the suspicious-accounts register: the named operations the Claims and Register views
run (docs/CLAIMS.md). Every call is HTTP to HQ, so every op runs on the network pool; a widget never
calls HQ itself.

``ClaimsSource`` is what the views need; ``HQClaimsSource`` answers it from HQ with the console's
session (a refreshed token on expiry, as every sync call). The views hold only what these return:
plain dicts in the wire's shape (``hq.claims.wire``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from core.reports import (
    AccountsReport,
    ClaimsReport,
    CountRow,
    ReportHeader,
    ReportQuery,
    ReportSource,
    SlowRebuttal,
)
from sync.errors import HQRefused, HQUnreachable, LoginRequired
from ui.operations.base import QueryOp

if TYPE_CHECKING:
    from sync.session import Session

Json = dict[str, Any]

# The Reports view's kinds for the two misinformation reports (``ui.reports.claims_tabs``).
CLAIMS_REPORT = "claims"
ACCOUNTS_REPORT = "accounts"


class ClaimsSource(Protocol):
    """Claims and register reads and the operator's verdicts. Called on worker threads only."""

    def list_claims(self, status: str | None) -> list[Json]: ...

    def read_claim(self, claim_id: str) -> Json: ...

    def decide_suggestion(self, claim_id: str, suggestion_id: int, confirm: bool) -> Json: ...

    def list_accounts(self, filters: dict[str, str]) -> list[Json]: ...

    def read_account(self, account_id: str) -> Json: ...


class HQClaimsSource:
    """``ClaimsSource`` over HQ's API (``/claims``, ``/accounts``) with the console's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        client = self._session.client
        return self._session.call(lambda token: client.call_json(method, path, token=token, params=params, body=body))

    def list_claims(self, status: str | None) -> list[Json]:
        result: list[Json] = self._call("GET", "/claims", params={"status": status} if status else None)
        return result

    def read_claim(self, claim_id: str) -> Json:
        result: Json = self._call("GET", f"/claims/{claim_id}")
        return result

    def decide_suggestion(self, claim_id: str, suggestion_id: int, confirm: bool) -> Json:
        verdict = "confirm" if confirm else "dismiss"
        result: Json = self._call("POST", f"/claims/{claim_id}/suggestions/{suggestion_id}/{verdict}")
        return result

    def list_accounts(self, filters: dict[str, str]) -> list[Json]:
        result: list[Json] = self._call("GET", "/accounts", params={k: v for k, v in filters.items() if v})
        return result

    def read_account(self, account_id: str) -> Json:
        result: Json = self._call("GET", f"/accounts/{account_id}")
        return result

    def report(self, kind: str, query: ReportQuery) -> ClaimsReport | AccountsReport:
        """The Reports view's ``from_hq`` for ``CLAIMS_REPORT`` and ``ACCOUNTS_REPORT`` (whole state)."""
        params = {"date_from": query.date_from.isoformat(), "date_to": query.date_to.isoformat()}
        claims, accounts = reports_from_wire(self._call("GET", "/claims/report", params=params))
        return claims if kind == CLAIMS_REPORT else accounts


def reports_from_wire(payload: Json) -> tuple[ClaimsReport, AccountsReport]:
    """``GET /claims/report``'s answer as the two ``core.reports`` results."""

    def header(h: Json) -> ReportHeader:
        q = h["query"]
        query = ReportQuery(
            date.fromisoformat(q["date_from"]), date.fromisoformat(q["date_to"]), q.get("district"), q.get("range")
        )
        return ReportHeader(query, ReportSource(h["source"]), h["as_of"], h["run_by"])

    c, a = payload["claims"], payload["accounts"]
    claims = ClaimsReport(
        header(c["header"]),
        c["recorded"],
        c["rebutted"],
        c["investigating"],
        c["closed_unrebutted"],
        c["rebuttal_p50_s"],
        c["rebuttal_p90_s"],
        tuple(SlowRebuttal(s["claim_id"], s["text"], s["seconds"]) for s in c["slowest"]),
    )
    accounts = AccountsReport(
        header(a["header"]),
        a["added"],
        tuple(CountRow(r["key"], r["count"]) for r in a["by_reason"]),
        tuple(CountRow(r["key"], r["count"]) for r in a["by_action"]),
        a["actioned_accounts"],
    )
    return claims, accounts


def failure_cause(exc: BaseException) -> tuple[str, str]:
    """Why a call to HQ failed, for the view to say: ("login" | "unreachable" | "refused" | "other",
    detail)."""
    if isinstance(exc, LoginRequired):
        return "login", str(exc)
    if isinstance(exc, HQUnreachable):
        return "unreachable", str(exc)
    if isinstance(exc, HQRefused):
        return "refused", exc.detail
    return "other", str(exc)


def load_claims(source: ClaimsSource, status: str | None) -> QueryOp[list[Json]]:
    """The claims list (newest first, with counts); a newer load drops an older one's result."""
    return QueryOp(lambda: source.list_claims(status), stamp="claims-list", pool="net")


def load_claim(source: ClaimsSource, claim_id: str) -> QueryOp[Json]:
    """One claim with its rebuttals, suggestions and history; only the last one asked for is shown."""
    return QueryOp(lambda: source.read_claim(claim_id), stamp="claims-detail", pool="net")


def decide_suggestion(source: ClaimsSource, claim_id: str, suggestion_id: int, confirm: bool) -> QueryOp[Json]:
    """Confirm or dismiss a suggested post; the result is the claim as HQ now holds it."""
    return QueryOp(lambda: source.decide_suggestion(claim_id, suggestion_id, confirm), pool="net")


def load_accounts(source: ClaimsSource, filters: dict[str, str]) -> QueryOp[list[Json]]:
    """The register, filtered (reason, action, status, platform)."""
    return QueryOp(lambda: source.list_accounts(filters), stamp="accounts-list", pool="net")


def load_account(source: ClaimsSource, account_id: str) -> QueryOp[Json]:
    return QueryOp(lambda: source.read_account(account_id), stamp="accounts-detail", pool="net")


__all__ = [
    "ACCOUNTS_REPORT",
    "CLAIMS_REPORT",
    "ClaimsSource",
    "HQClaimsSource",
    "decide_suggestion",
    "failure_cause",
    "load_account",
    "load_accounts",
    "load_claim",
    "load_claims",
    "reports_from_wire",
]
