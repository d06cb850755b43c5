"""The console's complaint queue: its rows, read from the replica's stored rows, kept between reads,
filtered and sorted, with their countdowns.

Rows: each complaint case in the replica has a stored row (``complaint_row``), which the projector
writes with ``core.complaints.stored_values`` of the case's fold in the same unit of work as the
case's own row. The queue's first read is one query of every open complaint's sort and filter keys
from a covering index (no fold, no ``cases`` row, no post text); each row's detail (the post,
replies, deadlines: ``ui.operations.complaint_row``) is read right after on a worker, the rows the
view paints first before the rest (``ComplaintRows.fill``). A row carries what ``core.sla`` (the
rule HQ's sweep uses; no second copy here) gave as of its last event: its deadlines (parsed when
the row is shown), its soonest due time and its state at each time the state can change, so
``row_state`` at ``now`` is a bisection and the view's one-second timer repaints countdowns and
warning/breach states from rows already read, with no store read. Rows are read again, off the GUI
thread, only when the replica changes, and then only the ones that changed.

Threading: the read functions, ``ComplaintRows.read`` and ``ComplaintRows.fill`` run on worker threads
only.
"""

from __future__ import annotations

import gc
import json
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.complaints import (
    STORED_POLICY,
    StoredDeadlines,
    complaint_view,
    parse_timeline,
    soft_alert,
    soonest_due_ts,
    stored_deadlines,
    stored_values,
    timeline_state,
)
from core.sla import Deadline, DeadlineState, SlaPolicy, worst_state
from core.store import schema as t
from core.store.rows import event_from_row
from ui.operations.base import QueryOp, reading
from ui.operations.complaint_row import ComplaintRow, RowDetail

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from ui.context import ApplicationContext

STATE_RANK = {"breached": 0, "warning": 1, "running": 2, None: 3}


def row_state(row: ComplaintRow, now: datetime) -> str | None:
    """The row's state at ``now``: breached, warning or running (``core.sla.worst_state``); None when
    no deadline runs (met, a duplicate, not actionable). Evaluated again only when ``now`` leaves
    the span between the open deadlines' warn and due times it was evaluated in."""
    if row.timeline is not None:
        return timeline_state(*row.timeline, now.timestamp())
    clock = row._clock
    if clock is None:
        clock = row._clock = [None, None, None]
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
    now_ts = now.timestamp()
    times: list[datetime] = []
    marks: list[float] = []
    for r in rows:
        if r.timeline is not None:
            at = r.timeline[0]
            i = bisect_right(at, now_ts)
            if i < len(at):
                marks.append(at[i])
        else:
            times += [t for d in r.deadlines if d.met_at is None for t in (d.warn_at, d.due_at) if t > now]
    if marks:
        times.append(datetime.fromtimestamp(min(marks), UTC))
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


_NO_FILTER = ComplaintFilter()


def arrange(rows: Iterable[ComplaintRow], flt: ComplaintFilter, now: datetime) -> list[ComplaintRow]:
    """The rows ``flt`` keeps, most urgent first (a filter change is this, on rows already read):
    ``sort_key``'s order, with a stored row's state bisected here (10,000 rows at a first paint)."""
    now_ts = now.timestamp()

    def key(r: ComplaintRow) -> tuple[int, float, str]:
        line = r.timeline
        state = timeline_state(line[0], line[1], now_ts) if line is not None else row_state(r, now)
        return STATE_RANK[state], r.due_ts, r.case_id

    kept = rows if flt == _NO_FILTER else [r for r in rows if flt.matches(r, now)]
    with _collector_held():  # a key tuple per row: no garbage among them, as in the first read
        return sorted(kept, key=key)


def state_counts(rows: Iterable[ComplaintRow], now: datetime) -> dict[str | None, int]:
    """The rows by their state at ``now`` (``row_state``)."""
    now_ts = now.timestamp()
    out: dict[str | None, int] = {}
    for r in rows:
        line = r.timeline
        state = timeline_state(line[0], line[1], now_ts) if line is not None else row_state(r, now)
        out[state] = out.get(state, 0) + 1
    return out


# The stored columns a queue row is made of: the keys every open complaint's row is read with, then
# its detail (``RowDetail``'s fields, in order), then what its deadlines are made from.
_KEY_COLUMNS = ("case_id", "platform", "category", "district", "due_ts", "timeline")
_DETAIL_COLUMNS = (
    "item", "author_handle", "author_url", "post_url", "text", "thread_text", "thread_url", "posted_at",
    "duplicate_of", "replies", "search",
)  # fmt: skip
_READ_COLUMNS = (*_KEY_COLUMNS, *_DETAIL_COLUMNS, "clock", "deadlines")
_KEYS, _DETAILS = len(_KEY_COLUMNS), len(_DETAIL_COLUMNS)


def row_from_stored(values: Sequence[Any], policy: SlaPolicy) -> ComplaintRow:
    """A queue row, detail included, from a complaint's stored row (``core.complaints.stored_values``,
    ``_READ_COLUMNS`` in order): no fold. Under ``STORED_POLICY`` its deadlines, soonest due time and
    state over time are those stored (``core.sla``'s output as of the last event; the deadlines
    parsed at first use); under another policy they are computed from the stored clock inputs."""
    case_id, platform, category, district, due_ts, timeline = values[:_KEYS]
    clock, stored = values[_KEYS + _DETAILS :]
    items: Sequence[Deadline]
    if policy == STORED_POLICY:
        items, line = StoredDeadlines(stored), parse_timeline(timeline)
    else:
        items, line = stored_deadlines(clock, stored, policy), None
        due_ts = soonest_due_ts(items)
    detail = RowDetail(values[_KEYS : _KEYS + _DETAILS], items)
    return ComplaintRow(case_id, platform, category, district, float("inf") if due_ts is None else due_ts,
                        line, detail)  # fmt: skip


def row_from_history(case_id: str, history: list[Any], policy: SlaPolicy) -> ComplaintRow:
    """A queue row folded from a complaint's events: the stored row's values, computed here."""
    stored = stored_values(complaint_view(case_id, history)) | {"case_id": case_id}
    return row_from_stored([stored[c] for c in _READ_COLUMNS], policy)


# Plain SQL, read as tuples: at 10,000 open complaints, SQLAlchemy's row objects cost more than the query.
# The queue reads ``complaint_row`` alone (``listed``: the case is on the queue), never the wide
# ``cases`` rows: decrypting their pages cost more than everything else in a first read. The first
# read (``_OPEN_KEYS``) is answered from the index ``ix_complaint_row_queue`` alone, whose pages are a
# fraction of the table's (the post text, replies and deadlines are not in it).
_OPEN_COMPLAINTS = "SELECT case_id, updated_hlc FROM complaint_row WHERE listed = 1"
_OPEN_KEYS = f"SELECT updated_hlc, {', '.join(_KEY_COLUMNS)} FROM complaint_row WHERE listed = 1"  # noqa: S608
_OPEN_DETAILS = (
    f"SELECT case_id, updated_hlc, {', '.join(_DETAIL_COLUMNS)}, deadlines FROM complaint_row WHERE listed = 1"  # noqa: S608
)
_OPEN_ROWS = (
    f"SELECT updated_hlc, {', '.join(_READ_COLUMNS)} FROM complaint_row WHERE listed = 1"  # noqa: S608 - the schema's names
)
_AMONG = " AND case_id IN (SELECT value FROM json_each(?))"
# the folding baseline (``fold_queue``) finds the open complaints by their ``cases`` rows
_OPEN_CASES = "SELECT case_id FROM cases WHERE purged = 0 AND status != 'closed' AND kind = 'complaint'"
FOLD_CHUNK = 500  # case ids per events query (SQLite's bound-parameter limit)
# a first read of at most this many rows reads their details too (a few ms): only a longer queue is
# painted before its rows' details, which follow from the worker (``ComplaintRows.fill``)
FILL_AT_ONCE_ROWS = 200


def _fold_cases(uow: UnitOfWork, case_ids: list[str], policy: SlaPolicy) -> list[ComplaintRow]:
    """Read and fold these complaints' logs (rejected events left out), one query per chunk: the
    path for a complaint whose stored row is missing, and the benchmark's baseline."""
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


def _stored_rows(uow: UnitOfWork, case_ids: list[str] | None, policy: SlaPolicy) -> list[ComplaintRow]:
    """These open complaints' rows (None: all of them), with their stamps, from their stored rows."""
    conn = uow.connection
    raw = (
        conn.exec_driver_sql(_OPEN_ROWS).fetchall()
        if case_ids is None
        else conn.exec_driver_sql(_OPEN_ROWS + _AMONG, (json.dumps(case_ids),)).fetchall()
    )
    out = [row_from_stored(r[1:], policy) for r in raw]
    for row, r in zip(out, raw, strict=True):
        row.stamp = r[0]
    return out


def _key_rows(uow: UnitOfWork) -> list[ComplaintRow]:
    """The row, without its detail, of every open complaint, under ``STORED_POLICY``: the keys
    only, from the covering index, on the unit of work's own DBAPI connection (plain tuples)."""
    cursor = uow.connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        raw = cursor.execute(_OPEN_KEYS).fetchall()
    finally:
        cursor.close()
    inf = float("inf")
    return [
        ComplaintRow(cid, platform, category, district, inf if due is None else due, parse_timeline(line), None, stamp)
        for stamp, cid, platform, category, district, due, line in raw
    ]


@contextmanager
def _collector_held() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a first read makes its rows: 10,000 new objects
    would set off collections of the whole heap that cost more than making them (none of them is
    garbage). Process-wide for those few milliseconds; restored as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def read_queue(uow: UnitOfWork, policy: SlaPolicy) -> list[ComplaintRow]:
    """Every open complaint in the replica, from its stored row (no cache)."""
    return _stored_rows(uow, None, policy)


def fold_queue(uow: UnitOfWork, policy: SlaPolicy) -> list[ComplaintRow]:
    """Every open complaint in the replica, each folded from its log: what ``read_queue`` reads,
    computed the slow way (the benchmark's baseline and the tests' reference)."""
    ids = [str(r[0]) for r in uow.connection.exec_driver_sql(_OPEN_CASES).fetchall()]
    return _fold_cases(uow, ids, policy)


class ComplaintRows:
    """The open complaints' rows, kept between reads so a read converts only what changed.

    The first read under ``STORED_POLICY`` is one query of every open complaint's sort and filter
    keys (``_key_rows``, from a covering index): rows without their detail, which ``fill`` reads
    afterwards (the page the view paints first, then all), unless the queue is at most
    ``FILL_AT_ONCE_ROWS`` long (then read at once); under another policy the first read
    takes the whole stored rows (the deadlines are computed from them). After it,
    the sync engine and the operations name the cases they change (``TaskManager.cases_changed``,
    passed to ``invalidate``): a read looks up and reads again only those stored rows (one small
    query), and with nothing named it reads nothing and returns the rows it holds. A change
    announced without ids (``None``) makes the next read compare every open complaint's
    ``updated_hlc`` and read again the ones that moved. A new clock policy (``set_policy``) makes the
    next read compute every row again under it, from the clock inputs the stored rows keep. Used from
    worker threads; one read at a time.
    """

    def __init__(self, policy: SlaPolicy) -> None:
        self.policy = policy  # the policy of the rows held; ``_wanted`` is applied at the next read
        self._wanted = policy
        self._rows: dict[str, ComplaintRow] = {}
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

    @property
    def wanted_policy(self) -> SlaPolicy:
        """The policy the next read computes with (``policy`` is that of the rows held)."""
        return self._wanted

    def set_policy(self, policy: SlaPolicy) -> bool:
        """Count down under ``policy`` from the next read. False when it is the policy already asked
        for (nothing to compute again). Any thread; it never waits for a read in progress."""
        if policy == self._wanted:
            return False
        self._wanted = policy
        return True

    def forget(self) -> None:
        """Drop every row kept: the next read folds every open complaint again."""
        with self._lock:
            self._rows, self._recheck_all = {}, True

    def read(self, uow: UnitOfWork) -> list[ComplaintRow]:
        with self._lock:
            wanted = self._wanted
            if wanted != self.policy:  # every row computed again under the new policy
                self.policy, self._rows, self._recheck_all = wanted, {}, True
            dirty, self._dirty = self._dirty, set()
            conn = uow.connection
            stamps: dict[str, str | None]
            if not self._rows:  # the first read: every open complaint as it is now, one query
                with _collector_held():
                    first = _key_rows(uow) if self.policy == STORED_POLICY else _stored_rows(uow, None, self.policy)
                    self._rows = {r.case_id: r for r in first}
                if len(self._rows) <= FILL_AT_ONCE_ROWS:  # a queue that fits a page: shown whole at once
                    self._fill(uow, None)
                stale, self._recheck_all = [], False
            elif self._recheck_all:
                stamps = {
                    str(r[0]): r[1] for r in conn.exec_driver_sql(_OPEN_COMPLAINTS).fetchall()
                }
                for gone in set(self._rows) - set(stamps):
                    del self._rows[gone]
                stale = [c for c, h in stamps.items() if c in dirty or c not in self._rows or self._rows[c].stamp != h]
                self._recheck_all = False
            else:
                stamps = self._stamps_of(conn, sorted(dirty))
                for gone in dirty - set(stamps):
                    self._rows.pop(gone, None)  # closed, purged, raised to suicide-risk, or not a complaint
                stale = list(stamps)
            for i in range(0, len(stale), FOLD_CHUNK):
                for row in _stored_rows(uow, stale[i : i + FOLD_CHUNK], self.policy):
                    self._rows[row.case_id] = row
            self.read_once = True
            return list(self._rows.values())

    @property
    def complete(self) -> bool:
        """Every row held has its detail (the first read's rows are filled by ``fill``). Any thread."""
        return all(r.detail is not None for r in list(self._rows.values()))

    def fill(self, uow: UnitOfWork, case_ids: Iterable[str] | None = None) -> list[str]:
        """Read the detail of these rows held without one (None: every such row); the ids filled.
        A row whose stored row moved since it was read is not filled but read again, whole, at the
        next read. Sets each row's ``detail`` once (the GUI may be painting it: it sees the row
        without or with its detail, never half of one)."""
        with self._lock:
            return self._fill(uow, case_ids)

    def _fill(self, uow: UnitOfWork, case_ids: Iterable[str] | None) -> list[str]:
        wanted = {c for c, r in self._rows.items() if r.detail is None}
        if case_ids is not None:
            wanted &= set(case_ids)
        if not wanted:
            return []
        conn = uow.connection
        if case_ids is None:
            raw = conn.exec_driver_sql(_OPEN_DETAILS).fetchall()
        else:
            raw = conn.exec_driver_sql(_OPEN_DETAILS + _AMONG, (json.dumps(sorted(wanted)),)).fetchall()
        filled: list[str] = []
        for r in raw:
            case_id = r[0]
            if case_id not in wanted:
                continue
            row = self._rows[case_id]
            if row.stamp != r[1]:
                self._dirty.add(case_id)
                continue
            row.detail = RowDetail(r[2:-1], StoredDeadlines(r[-1]))
            filled.append(case_id)
        return filled

    @staticmethod
    def _stamps_of(conn: sa.Connection, case_ids: list[str]) -> dict[str, str | None]:
        if not case_ids:
            return {}
        rows = conn.exec_driver_sql(_OPEN_COMPLAINTS + _AMONG, (json.dumps(case_ids),)).fetchall()
        return {str(r[0]): r[1] for r in rows}


def load_queue(
    ctx: ApplicationContext,
    rows: ComplaintRows,
    *,
    success: Callable[[list[ComplaintRow]], None],
    failure: Callable[[BaseException], None] | None = None,
) -> QueryOp[list[ComplaintRow]]:
    """The open complaints; only the newest load is painted. The first read (every stored row) runs
    on the bulk reader, later ones (what changed) on the reader pool."""
    return QueryOp(fn=reading(ctx.store, rows.read), success=success, failure=failure,
                   stamp="complaint-queue", pool="read" if rows.read_once else "bulk")  # fmt: skip


def fill_queue(
    ctx: ApplicationContext,
    rows: ComplaintRows,
    case_ids: list[str] | None,
    *,
    success: Callable[[list[str]], None],
    pool: str = "bulk",
) -> QueryOp[list[str]]:
    """Read the detail of these rows (None: of every row still without one) on ``pool``."""
    return QueryOp(fn=reading(ctx.store, lambda uow: rows.fill(uow, case_ids)), success=success,
                   stamp=f"complaint-fill-{pool}", pool=pool)  # fmt: skip


__all__ = [
    "FILL_AT_ONCE_ROWS",
    "FOLD_CHUNK",
    "STATE_RANK",
    "ComplaintFilter",
    "ComplaintRow",
    "ComplaintRows",
    "RowDetail",
    "arrange",
    "fill_queue",
    "fold_queue",
    "load_queue",
    "next_change",
    "read_queue",
    "row_from_history",
    "row_from_stored",
    "row_signal",
    "row_state",
    "sort_key",
    "state_counts",
]
