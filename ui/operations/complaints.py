"""Complaints at the console: the queue's rows read from the replica, replies sent to HQ (kept on this
PC while HQ cannot be reached), approvals, and the canned replies (cached in the data folder).

Rows: complaints are cases of kind ``complaint`` in the replica, each with its whole event log.
``read_queue`` folds each open complaint's log once with ``core.complaints.complaint_view`` and
computes its deadlines with ``core.sla.deadlines`` (the rule HQ's sweep uses; no second copy here).
A ``ComplaintRow`` keeps the deadlines themselves, so the view's one-second timer repaints the
countdowns and the warning/breach states from rows already read (``row_state`` is a comparison of
times, no store read). Rows are read again, off the GUI thread, only when the replica changes.

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
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.complaints import complaint_view, soft_alert
from core.events import EventType, iso, parse_time, utcnow
from core.sla import Deadline, DeadlineState, SlaPolicy, deadlines, next_open, worst_state
from core.store import schema as t
from core.store.rows import event_from_row
from sync.errors import HQRefused, HQUnreachable, LoginRequired
from ui.operations.base import QueryOp, reading, writing

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from sync.session import Session
    from ui.context import ApplicationContext

Json = dict[str, Any]

PENDING_FORM = "complaint-reply-pending"  # drafts.form prefix: "complaint-reply-pending:<local id>"
CANNED_CACHE_FILE = "canned_replies.json"
STATE_RANK = {"breached": 0, "warning": 1, "running": 2, None: 3}


@dataclass(frozen=True)
class ComplaintRow:
    """One open complaint as the queue shows it; the countdown is computed from ``deadlines``."""

    case_id: str
    platform: str | None
    item: str | None
    author_handle: str | None
    author_url: str | None
    post_url: str | None
    text: str
    thread_text: str | None
    thread_url: str | None
    category: str | None
    district: str | None
    posted_at: str | None
    duplicate_of: str | None
    deadlines: tuple[Deadline, ...]
    replies: tuple[Json, ...]
    search: str = field(repr=False, default="")
    due_ts: float = field(repr=False, default=float("inf"))  # the soonest open deadline, for sorting
    # (state, valid from, valid until): the state ``core.sla`` gave, kept until the next warn or due
    # time of an open deadline, so a sort or a repaint does not evaluate every deadline again
    _clock: list[Any] = field(repr=False, default_factory=lambda: [None, None, None], compare=False)

    @property
    def soonest(self) -> Deadline | None:
        return next_open(self.deadlines)

    @property
    def reply_state(self) -> str:
        """The newest reply's state, or "none"."""
        return str(self.replies[-1]["status"]) if self.replies else "none"


def row_state(row: ComplaintRow, now: datetime) -> str | None:
    """The row's state at ``now``: breached, warning or running (``core.sla.worst_state``); None when
    no deadline runs (met, a duplicate, not actionable). Evaluated again only when ``now`` leaves
    the span between the open deadlines' warn and due times it was evaluated in."""
    clock = row._clock
    if clock[1] is not None and clock[1] <= now and (clock[2] is None or now < clock[2]):
        return str(clock[0]) if clock[0] else None
    state = worst_state(row.deadlines, now)
    marks = [m for d in row.deadlines if d.met_at is None for m in (d.warn_at, d.due_at)]
    clock[0] = str(state) if state is not None and state is not DeadlineState.MET else None
    clock[1] = max((m for m in marks if m <= now), default=datetime.min.replace(tzinfo=now.tzinfo))
    clock[2] = min((m for m in marks if m > now), default=None)
    return str(clock[0]) if clock[0] else None


def row_signal(row: ComplaintRow, now: datetime) -> str | None:
    """The soft complaint signal (``core.complaints.soft_alert``), never the siren's."""
    signal = soft_alert(row.deadlines, now)
    return str(signal) if signal else None


def next_change(rows: Iterable[ComplaintRow], now: datetime) -> datetime | None:
    """The next moment any row's state changes (a warning starts or a deadline is breached)."""
    times = [
        t for r in rows for d in r.deadlines if d.met_at is None for t in (d.warn_at, d.due_at) if t > now
    ]
    return min(times, default=None)


def sort_key(row: ComplaintRow, now: datetime) -> tuple[int, float, str]:
    """Most urgent first: breached, then warning, then the soonest due (as HQ's queue sorts)."""
    return STATE_RANK[row_state(row, now)], row.due_ts, row.case_id


@dataclass(frozen=True)
class ComplaintFilter:
    platform: str = ""
    category: str = ""  # "-" for not triaged
    district: str = ""
    state: str = ""  # breached | warning | running
    text: str = ""

    def matches(self, row: ComplaintRow, now: datetime) -> bool:
        if self.platform and row.platform != self.platform:
            return False
        if self.category and (row.category or "-") != self.category:
            return False
        if self.district and row.district != self.district:
            return False
        if self.state and row_state(row, now) != self.state:
            return False
        return all(w in row.search for w in self.text.casefold().split())


def arrange(rows: Iterable[ComplaintRow], flt: ComplaintFilter, now: datetime) -> list[ComplaintRow]:
    """The rows ``flt`` keeps, most urgent first (a filter change is this, on rows already read)."""
    return sorted((r for r in rows if flt.matches(r, now)), key=lambda r: sort_key(r, now))


def row_from_history(case_id: str, history: list[Any], policy: SlaPolicy) -> ComplaintRow:
    view = complaint_view(case_id, history)
    text = view.text or ""
    search = " ".join(x for x in (text, view.author_handle, view.thread_text, case_id) if x).casefold()
    items = tuple(deadlines(view.facts, policy))
    soonest = next_open(items)
    return ComplaintRow(
        case_id=case_id,
        platform=view.platform,
        item=view.item,
        author_handle=view.author_handle,
        author_url=view.author_url,
        post_url=view.post_url,
        text=text,
        thread_text=view.thread_text,
        thread_url=view.thread_url,
        category=view.category,
        district=view.district,
        posted_at=view.posted_at,
        duplicate_of=view.duplicate_of,
        deadlines=items,
        replies=tuple(r.to_wire() for r in view.replies.values()),
        search=search,
        due_ts=soonest.due_at.timestamp() if soonest else float("inf"),
    )


# Plain SQL, read as tuples: at 10,000 open complaints, SQLAlchemy's row objects cost more than the query.
_OPEN_COMPLAINTS = (
    "SELECT case_id, updated_hlc FROM cases WHERE cases.purged = 0 AND cases.status != 'closed' "
    "AND cases.kind = 'complaint'"
)
FOLD_CHUNK = 500  # case ids per events query (SQLite's bound-parameter limit)


def _fold_cases(uow: UnitOfWork, case_ids: list[str], policy: SlaPolicy) -> list[ComplaintRow]:
    """Read and fold these complaints' logs (rejected events left out), one query per chunk."""
    out: list[ComplaintRow] = []
    for i in range(0, len(case_ids), FOLD_CHUNK):
        chunk = case_ids[i : i + FOLD_CHUNK]
        histories: dict[str, list[Any]] = {cid: [] for cid in chunk}
        rows = uow.connection.execute(
            sa.select(t.events).where(
                t.events.c.case_id.in_(chunk), t.events.c.sync_state != t.SyncState.REJECTED.value
            )
        )
        for r in rows:
            histories[r.case_id].append(event_from_row(r))
        out += [row_from_history(cid, h, policy) for cid, h in histories.items() if h]
    return out


def read_queue(uow: UnitOfWork, policy: SlaPolicy) -> list[ComplaintRow]:
    """Every open complaint in the replica, each folded from its log (no cache)."""
    ids = [str(r[0]) for r in uow.connection.exec_driver_sql(_OPEN_COMPLAINTS).fetchall()]
    return _fold_cases(uow, ids, policy)


class ComplaintRows:
    """The open complaints' rows, kept between reads so a read folds only what changed.

    The sync engine and the operations name the cases they change (``TaskManager.cases_changed``,
    passed to ``invalidate``): a read looks up and folds again only those (one small query), and
    with nothing named it reads nothing and returns the rows it holds. A change announced without
    ids (``None``) makes the next read compare every open complaint's ``updated_hlc`` and fold the
    ones that moved. The first read folds every open complaint (the one cost that grows with the
    queue: the view makes it when the window is built, on the bulk reader, so it delays neither the
    case queue's page nor an operator's action). Used from worker threads; one read at a time.
    """

    def __init__(self, policy: SlaPolicy) -> None:
        self.policy = policy
        self._rows: dict[str, tuple[str | None, ComplaintRow]] = {}
        self._dirty: set[str] = set()
        self._recheck_all = True
        self._lock = threading.Lock()
        self.read_once = False

    def invalidate(self, case_ids: Iterable[str] | None) -> None:
        """Fold these again at the next read (None: compare every open complaint's stamp). Any thread."""
        with self._lock:
            if case_ids is None:
                self._recheck_all = True
            else:
                self._dirty.update(case_ids)

    def forget(self) -> None:
        """Drop every row kept: the next read folds every open complaint again."""
        with self._lock:
            self._rows, self._recheck_all = {}, True

    def read(self, uow: UnitOfWork) -> list[ComplaintRow]:
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            conn = uow.connection
            if self._recheck_all:
                stamps: dict[str, str | None] = {
                    str(r[0]): r[1] for r in conn.exec_driver_sql(_OPEN_COMPLAINTS).fetchall()
                }
                for gone in set(self._rows) - set(stamps):
                    del self._rows[gone]
                stale = [c for c, h in stamps.items() if c in dirty or c not in self._rows or self._rows[c][0] != h]
                self._recheck_all = False
            else:
                stamps = self._stamps_of(conn, sorted(dirty))
                for gone in dirty - set(stamps):
                    self._rows.pop(gone, None)  # closed, purged, raised to suicide-risk, or not a complaint
                stale = list(stamps)
            for row in _fold_cases(uow, stale, self.policy):
                self._rows[row.case_id] = (stamps[row.case_id], row)
            self.read_once = True
            return [row for _, row in self._rows.values()]

    @staticmethod
    def _stamps_of(conn: sa.Connection, case_ids: list[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for i in range(0, len(case_ids), FOLD_CHUNK):
            rows = conn.execute(
                sa.select(t.cases.c.case_id, t.cases.c.updated_hlc).where(
                    t.cases.c.case_id.in_(case_ids[i : i + FOLD_CHUNK]), t.OPEN_CASES, t.cases.c.kind == "complaint"
                )
            )
            out.update((str(r.case_id), r.updated_hlc) for r in rows)
        return out


def load_queue(
    ctx: ApplicationContext,
    rows: ComplaintRows,
    *,
    success: Callable[[list[ComplaintRow]], None],
    failure: Callable[[BaseException], None] | None = None,
) -> QueryOp[list[ComplaintRow]]:
    """The open complaints; only the newest load is painted. The first read (every log folded) runs
    on the bulk reader, later ones (what changed) on the reader pool."""
    return QueryOp(fn=reading(ctx.store, rows.read), success=success, failure=failure,
                   stamp="complaint-queue", pool="read" if rows.read_once else "bulk")  # fmt: skip


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

    def put_canned(self, canned_id: str, body: Json) -> Json:
        result: Json = self._call(lambda c, tok: c.put_canned_reply(tok, canned_id, body))
        return result


def write_cache(path: Path, items: list[Json]) -> None:
    """Replace the cache file atomically (a crash leaves the old list or the new one, never half)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".canned-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(items, f, ensure_ascii=False)
    os.replace(tmp, path)


def read_cache(path: Path) -> list[Json]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


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
    "ComplaintFilter",
    "ComplaintRow",
    "ComplaintRows",
    "HQComplaints",
    "PendingReply",
    "arrange",
    "cached_canned",
    "drop_pending",
    "fetch_canned",
    "hq_cause",
    "keep_pending",
    "load_pending",
    "load_queue",
    "net_op",
    "new_pending",
    "next_change",
    "read_cache",
    "read_queue",
    "refusal_reason",
    "row_signal",
    "row_state",
    "sort_key",
    "time_of",
    "write_cache",
]
