"""Complaints at the console: the queue's rows read from the replica, replies sent to HQ (kept on this
PC while HQ cannot be reached), approvals, and the canned replies (cached in the data folder).

Rows: the queue's rows, their cache and their filters live in ``ui.operations.complaint_queue``
and are named here too, so the views import every complaint operation from one module.

Clock policy: HQ's thresholds (``GET /complaints/policy``), cached in the data folder like the canned
replies, so a console that starts without HQ counts down with the last policy HQ gave it. A damaged
cache reads as none (the default policy) and is logged.

Replies: ``send_reply`` first writes the reply to the replica's drafts (form ``PENDING_FORM``), then
asks HQ on the network pool (draft, and publish at once when it needs no approval). A reply HQ did
not take (unreachable, or signed out) stays there, listed as "not yet sent", and ``retry_pending``
sends it when HQ is back. Since HQ keeps no client key for a reply, a reply that was tried before
is looked for in the case's events at HQ first (``reply_drafted`` by this user with the same text):
found, it is not sent again, so a lost answer never makes a reply twice.

Threading: the ``*_body`` functions and ``HQComplaints`` methods run on worker threads only.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.events import EventType, iso, parse_time, utcnow
from core.sla import SlaPolicy, SlaPolicyError
from core.store import schema as t
from sync.errors import HQRefused, HQUnreachable, LoginRequired
from ui.operations.base import QueryOp, reading, writing
from ui.operations.complaint_queue import (
    ComplaintFilter,
    ComplaintRow,
    ComplaintRows,
    arrange,
    fold_queue,
    load_queue,
    next_change,
    read_queue,
    row_from_history,
    row_from_stored,
    row_signal,
    row_state,
    sort_key,
)

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from sync.session import Session
    from ui.context import ApplicationContext

log = logging.getLogger(__name__)

Json = dict[str, Any]

PENDING_FORM = "complaint-reply-pending"  # drafts.form prefix: "complaint-reply-pending:<local id>"
CANNED_CACHE_FILE = "canned_replies.json"
POLICY_CACHE_FILE = "complaint_policy.json"


# ---- replies waiting on this PC ---------------------------------------------------------------------


@dataclass(frozen=True)
class PendingReply:
    local_id: str
    case_id: str
    text: str
    needs_approval: bool
    saved_at: str
    tried: bool = False  # an attempt was made: look at HQ for it before sending again
    last_error: str | None = None

    @property
    def form(self) -> str:
        return f"{PENDING_FORM}:{self.local_id}"

    def to_json(self) -> Json:
        return {"case_id": self.case_id, "text": self.text, "needs_approval": self.needs_approval,
                "saved_at": self.saved_at, "tried": self.tried, "last_error": self.last_error}  # fmt: skip


def new_pending(case_id: str, text: str, needs_approval: bool) -> PendingReply:
    return PendingReply(uuid.uuid4().hex, case_id, text, needs_approval, iso(utcnow()))


def _pending_body(uow: UnitOfWork) -> list[PendingReply]:
    rows = uow.connection.execute(
        sa.select(t.drafts).where(t.drafts.c.form.like(f"{PENDING_FORM}:%")).order_by(t.drafts.c.saved_at)
    )
    out = []
    for r in rows:
        f = json.loads(r.fields)
        out.append(PendingReply(r.form.split(":", 1)[1], r.case_id, f["text"], bool(f["needs_approval"]),
                                f["saved_at"], bool(f.get("tried")), f.get("last_error")))  # fmt: skip
    return out


def load_pending(ctx: ApplicationContext, *, success: Callable[[list[PendingReply]], None]) -> QueryOp[Any]:
    """The replies kept on this PC until HQ takes them (DB worker: in order with their writes)."""
    return QueryOp(fn=reading(ctx.store, _pending_body), success=success)


def keep_pending(ctx: ApplicationContext, reply: PendingReply, *, success: Callable[[None], None]) -> QueryOp[Any]:
    """Write (or rewrite) a pending reply to the replica's drafts, on the DB worker."""

    def body(uow: UnitOfWork) -> None:
        uow.drafts.save(reply.case_id, reply.form, reply.to_json())

    return QueryOp(fn=writing(ctx.store, body), success=success)


def drop_pending(ctx: ApplicationContext, reply: PendingReply, *, success: Callable[[None], None]) -> QueryOp[Any]:
    def body(uow: UnitOfWork) -> None:
        uow.drafts.discard(reply.case_id, reply.form)

    return QueryOp(fn=writing(ctx.store, body), success=success)


# ---- HQ ----------------------------------------------------------------------------------------------


class HQComplaints:
    """The complaint calls to HQ with the console's session. Called on worker threads only."""

    def __init__(self, session: Session, data_dir: Path) -> None:
        self._session = session
        self._cache = data_dir / CANNED_CACHE_FILE
        self._policy_cache = data_dir / POLICY_CACHE_FILE

    def _call(self, fn: Callable[[Any, str], Any]) -> Any:
        client = self._session.client
        return self._session.call(lambda token: fn(client, token))

    def send(self, reply: PendingReply, author_id: str) -> Json:
        """Draft the reply at HQ (publishing it at once if it needs no approval) and return HQ's row.
        A reply tried before is looked for first (see the module docstring)."""
        found = self._already_drafted(reply, author_id) if reply.tried else None
        row: Json = found or self._call(
            lambda c, tok: c.complaint_reply(tok, reply.case_id, reply.text, reply.needs_approval)
        )
        if row.get("status") == "ready":
            try:
                row = self._call(lambda c, tok: c.publish_reply(tok, reply.case_id, str(row["reply_id"])))
            except (HQUnreachable, HQRefused):
                pass  # HQ holds the reply; its worker publishes it and retries on failure
        return row

    def _already_drafted(self, reply: PendingReply, author_id: str) -> Json | None:
        case = self._call(lambda c, tok: c.call_json("GET", f"/cases/{reply.case_id}", token=tok))
        for e in case.get("events", []):
            p = e.get("payload") or {}
            if (e.get("type") == str(EventType.REPLY_DRAFTED) and e.get("author_id") == author_id
                    and p.get("text") == reply.text):  # fmt: skip
                return {"reply_id": p.get("reply_id"), "status": "sent"}
        return None

    def approve(self, case_id: str, reply_id: str) -> Json:
        result: Json = self._call(lambda c, tok: c.approve_reply(tok, case_id, reply_id))
        return result

    def canned(self, include_retired: bool = False) -> list[Json]:
        """HQ's canned replies; the list without retired ones is cached for offline use."""
        items: list[Json] = self._call(lambda c, tok: c.canned_replies(tok, include_retired=include_retired))
        if not include_retired:
            write_cache(self._cache, items)
        return items

    def policy(self) -> SlaPolicy:
        """HQ's clock policy, cached for offline starts. A reply off the contract raises
        ``ProtocolError`` and leaves the cache as it was."""
        policy: SlaPolicy = self._call(lambda c, tok: c.complaint_policy(tok))
        write_cache(self._policy_cache, policy.to_json())
        return policy

    def put_canned(self, canned_id: str, body: Json) -> Json:
        result: Json = self._call(lambda c, tok: c.put_canned_reply(tok, canned_id, body))
        return result


def write_cache(path: Path, items: list[Json] | Json) -> None:
    """Replace the cache file atomically (a crash leaves the old list or the new one, never half)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(items, f, ensure_ascii=False)
    os.replace(tmp, path)


def read_cache(path: Path) -> list[Json]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def read_policy_cache(path: Path) -> SlaPolicy | None:
    """The policy HQ last gave this console, or None (never fetched, or the file is damaged: logged)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("complaint clock policy: cannot read %s (%s); the default policy is used", path, exc)
        return None
    try:
        return SlaPolicy.from_json(json.loads(text))
    except (ValueError, SlaPolicyError) as exc:
        log.warning("complaint clock policy: %s is damaged (%s); the default policy is used", path, exc)
        return None


def cached_policy(
    ctx: ApplicationContext,
    *,
    success: Callable[[SlaPolicy | None], None],
    failure: Callable[[BaseException], None] | None = None,
) -> QueryOp[Any]:
    """The clock policy HQ last gave this console (the file), on the reader pool."""
    path = ctx.data_dir / POLICY_CACHE_FILE
    return QueryOp(fn=lambda: read_policy_cache(path), success=success, failure=failure, pool="read")


def fetch_policy(
    source: HQComplaints, *, success: Callable[[SlaPolicy], None], failure: Callable[[BaseException], None]
) -> QueryOp[SlaPolicy]:
    """HQ's clock policy (which refreshes the cache), on the network pool; only the newest is applied."""
    return QueryOp(fn=source.policy, success=success, failure=failure, pool="net", stamp="complaint-policy")


def cached_canned(ctx: ApplicationContext, *, success: Callable[[list[Json]], None]) -> QueryOp[list[Json]]:
    """The last canned replies HQ gave this console (the file), on the reader pool."""
    path = ctx.data_dir / CANNED_CACHE_FILE
    return QueryOp(fn=lambda: read_cache(path), success=success, pool="read")


def fetch_canned(
    source: HQComplaints,
    *,
    include_retired: bool = False,
    success: Callable[[list[Json]], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[list[Json]]:
    return QueryOp(fn=lambda: source.canned(include_retired), success=success, failure=failure, pool="net",
                   stamp="canned-all" if include_retired else "canned")  # fmt: skip


def net_op(
    fn: Callable[[], Any], success: Callable[[Any], None], failure: Callable[[BaseException], None]
) -> QueryOp[Any]:
    """A call to HQ on the network pool."""
    return QueryOp(fn=fn, success=success, failure=failure, pool="net")


def hq_cause(exc: BaseException) -> str:
    """"unreachable" (kept and sent later), "login" (kept; sign in again) or "refused"/"other"."""
    if isinstance(exc, HQUnreachable):
        return "unreachable"
    if isinstance(exc, LoginRequired):
        return "login"
    if isinstance(exc, HQRefused):
        return "refused"
    return "other"


def refusal_reason(exc: BaseException) -> str:
    return exc.detail if isinstance(exc, HQRefused) else str(exc)


def time_of(value: str | None) -> datetime | None:
    return parse_time(value) if value else None


__all__ = [
    "CANNED_CACHE_FILE",
    "PENDING_FORM",
    "POLICY_CACHE_FILE",
    "ComplaintFilter",
    "ComplaintRow",
    "ComplaintRows",
    "HQComplaints",
    "PendingReply",
    "arrange",
    "cached_canned",
    "cached_policy",
    "drop_pending",
    "fetch_canned",
    "fetch_policy",
    "fold_queue",
    "hq_cause",
    "keep_pending",
    "load_pending",
    "load_queue",
    "net_op",
    "new_pending",
    "next_change",
    "read_cache",
    "read_policy_cache",
    "read_queue",
    "refusal_reason",
    "row_from_history",
    "row_from_stored",
    "row_signal",
    "row_state",
    "sort_key",
    "time_of",
    "write_cache",
]
