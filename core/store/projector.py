"""Keeps the ``cases`` projection (and its name index) in step with the event log, inside one unit of
work's transaction.

The repositories tell the ``Projector`` which cases their writes touched (``mark_dirty``); before the
unit of work commits, and before any projection read in it, ``flush`` refolds each touched case from
its stored events and rewrites its row, in the same transaction: a crash can never leave an event
without its projection. Two shortcuts skip reading a case's events back: a case whose whole log was
just inserted (``mark_fresh``, an initial sync) and a case whose new state the caller has folded
already (``mark_known``, an operator's action). Either falls back to the ordinary refold when the
row it relies on is not as expected.

The row values come from ``core.store.projection``; this module decides which rows to write, when,
and keeps the name index (``cases_fts``), the reports' rows (``case_report``, ``follow_up_report``,
from ``core.report_rows.summary_values``) and the complaint queue's rows (``complaint_row``, from
``core.complaints.stored_values``) following them. A complaint's row is folded from its events
(``complaint_view``), so a complaint never takes the ``mark_known`` shortcut: it is refolded.

Threading: one projector per unit of work, used by the thread that opened it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from core.complaints import complaint_view, stored_values
from core.events import CaseKind, Event
from core.fold import CaseState, Status, fold
from core.report_rows import follow_up_values, summary_values
from core.store import schema as t
from core.store.projection import projection_values
from core.store.rows import IN_CHUNK, event_from_row, minimise_refused
from core.store.schema import SyncState

# Statements on the hot path, built once (SQLAlchemy then only looks up their compiled form).
_EVENTS_OF_CASES = (
    sa.select(t.events)
    .where(t.events.c.case_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(t.events.c.case_id, t.events.c.hlc, t.events.c.id)
)
# Projection rows as positional tuples in ``t.cases`` column order (``projection_values``).
_CASE_COLUMN_NAMES = [c.name for c in t.cases.c]
_CASE_COLUMNS = ", ".join(_CASE_COLUMN_NAMES)
_CASE_PARAMS = ", ".join("?" for _ in t.cases.c)
# An upsert that keeps the row's rowid (INSERT OR REPLACE would give it a new one): the name index
# refers to rows by rowid, so a row whose search text did not change keeps its index entry as it is.
_CASE_UPDATES = ", ".join(f"{c.name} = excluded.{c.name}" for c in t.cases.c if c.name != "case_id")
_UPSERT_CASE_ROW = (
    f"INSERT INTO cases ({_CASE_COLUMNS}) VALUES ({_CASE_PARAMS}) "  # noqa: S608 - the schema's own names
    f"ON CONFLICT (case_id) DO UPDATE SET {_CASE_UPDATES}"
)
_SEARCH_TEXT_COLUMN = _CASE_COLUMN_NAMES.index("search_text")
_REFUSED_SILENCE_COLUMN = _CASE_COLUMN_NAMES.index("refused_silence")
_INSERT_CASE_ROW = f"INSERT INTO cases ({_CASE_COLUMNS}) VALUES ({_CASE_PARAMS})"  # noqa: S608
_ROWS_AMONG = sa.select(
    t.cases.c.case_id,
    t.cases.c.purged,
    t.cases.c.search_text,
    t.cases.c.pending_count,
    t.cases.c.rejected_count,
    t.cases.c.refused_silence,
).where(t.cases.c.case_id.in_(sa.bindparam("ids", expanding=True)))
_DELETE_EVENT = sa.delete(t.events).where(t.events.c.id == sa.bindparam("id"))
_DELETE_UNPURGED_CASE = sa.delete(t.cases).where(t.cases.c.case_id == sa.bindparam("cid"), t.cases.c.purged == 0)
_UPDATE_TOMBSTONE_COUNTS = (
    sa.update(t.cases)
    .where(t.cases.c.case_id == sa.bindparam("cid"))
    .values(pending_count=sa.bindparam("pending"), rejected_count=sa.bindparam("rejected"))
)
# The name index (cases_fts, migration 0005) follows the rows of ``cases`` in bulk: its entries for
# some cases are taken out before their rows are replaced or deleted (with the very text indexed:
# an external-content FTS5 table is told what to remove) and put back from the rows afterwards.
_IDS_JSON = "SELECT value FROM json_each(?)"
_FTS_REMOVE = (
    "INSERT INTO cases_fts (cases_fts, rowid, search_text) "  # noqa: S608 - constant SQL
    f"SELECT 'delete', rowid, search_text FROM cases WHERE case_id IN ({_IDS_JSON})"
)
_FTS_ADD = (
    "INSERT INTO cases_fts (rowid, search_text) "  # noqa: S608 - constant SQL
    f"SELECT rowid, search_text FROM cases WHERE case_id IN ({_IDS_JSON})"
)


# The reports' rows (migration 0009) of the cases whose ``cases`` row is written: the same fold
# flattened by ``core.report_rows.summary_values``; triggers delete them with the ``cases`` row.
_REPORT_COLUMNS = [c.name for c in t.case_report.c]
_UPSERT_REPORT_ROW = (
    f"INSERT OR REPLACE INTO case_report ({', '.join(_REPORT_COLUMNS)}) "  # noqa: S608 - the schema's own names
    f"VALUES ({', '.join('?' for _ in _REPORT_COLUMNS)})"
)
_FOLLOW_UP_COLUMNS = [c.name for c in t.follow_up_report.c]
_DELETE_FOLLOW_UP_ROWS = f"DELETE FROM follow_up_report WHERE case_id IN ({_IDS_JSON})"  # noqa: S608
_INSERT_FOLLOW_UP_ROW = (
    f"INSERT OR REPLACE INTO follow_up_report ({', '.join(_FOLLOW_UP_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join('?' for _ in _FOLLOW_UP_COLUMNS)})"
)


# The complaint queue's rows (migration 0011) of the complaint cases whose ``cases`` row is written:
# ``complaint_view`` of the same events the case was folded from; triggers delete them with the row.
_COMPLAINT_COLUMNS = [c.name for c in t.complaint_row.c]
_UPSERT_COMPLAINT_ROW = (
    f"INSERT OR REPLACE INTO complaint_row ({', '.join(_COMPLAINT_COLUMNS)}) "  # noqa: S608 - the schema's own names
    f"VALUES ({', '.join('?' for _ in _COMPLAINT_COLUMNS)})"
)


def is_complaint(state: CaseState) -> bool:
    return state.kind == CaseKind.COMPLAINT


def complaint_values(state: CaseState, events: Iterable[Event]) -> tuple[Any, ...]:
    """A complaint's ``complaint_row`` row, in column order, from its fold and the events it was
    folded from (rejected ones left out). ``listed`` is what the queue's filter on the ``cases`` row
    (kind complaint, not closed) gives for the row written from ``state``."""
    row = stored_values(complaint_view(state.case_id, events))
    row["listed"] = int(state.effective_kind == CaseKind.COMPLAINT and state.status != Status.CLOSED)
    row["updated_hlc"] = state.last_hlc
    return (state.case_id, *(row[name] for name in _COMPLAINT_COLUMNS[1:]))


def write_complaint_rows(conn: sa.Connection, folded: list[tuple[CaseState, list[Event]]]) -> None:
    """Write the queue rows of those of these existing cases that are complaints."""
    write_complaint_values(conn, [complaint_values(s, events) for s, events in folded if is_complaint(s)])


def write_complaint_values(conn: sa.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Write (or replace) these ``complaint_values`` rows."""
    if rows:
        conn.exec_driver_sql(_UPSERT_COMPLAINT_ROW, rows)


def report_values(state: CaseState) -> tuple[Any, ...]:
    """A case's ``case_report`` row, in column order."""
    row = summary_values(state)
    row["reached"] = 0 if row["reached_at"] is None else 1
    return tuple(row[name] for name in _REPORT_COLUMNS)


def write_report_rows(conn: sa.Connection, states: list[CaseState]) -> None:
    """Write the report rows (``case_report``, ``follow_up_report``) of these existing cases."""
    if not states:
        return
    conn.exec_driver_sql(_UPSERT_REPORT_ROW, [report_values(s) for s in states])
    conn.exec_driver_sql(_DELETE_FOLLOW_UP_ROWS, (json.dumps([s.case_id for s in states]),))
    follow_ups = [tuple(f[n] for n in _FOLLOW_UP_COLUMNS) for s in states for f in follow_up_values(s)]
    if follow_ups:
        conn.exec_driver_sql(_INSERT_FOLLOW_UP_ROW, follow_ups)


class Projector:
    """The projection bookkeeping of one unit of work. ``connection`` gives its connection."""

    def __init__(self, connection: Callable[[], sa.Connection]):
        self._connection = connection
        self._dirty: set[str] = set()
        self._fresh: dict[str, list[Event]] = {}  # dirty cases whose whole log is this list (not yet read back)
        self._known: dict[str, CaseState] = {}  # dirty cases whose state the caller folded

    def mark_dirty(self, case_id: str) -> None:
        self._dirty.add(case_id)
        self._fresh.pop(case_id, None)
        self._known.pop(case_id, None)

    def mark_fresh(self, case_id: str, events: list[Event]) -> None:
        """The case's whole stored log is ``events`` (just inserted, all accepted) and it has no
        projection row: it is folded from them at flush, without reading them back. Any later write
        to the case in this unit of work calls ``mark_dirty``, which makes it an ordinary refold."""
        self._dirty.add(case_id)
        self._known.pop(case_id, None)
        self._fresh[case_id] = events

    def mark_known(self, case_id: str, state: CaseState) -> None:
        """One pending event was just appended to the case, and ``state`` is the fold of the case's
        stored events but the HQ-refused ones (``EventRepository.for_fold``), that event included.

        At flush the row is written from ``state`` with its pending count one up and its refused
        entries as they were, without reading the events back. Only a case whose row is current
        (not dirty here) takes this path; any later write to it in this unit of work
        (``mark_dirty``) makes it an ordinary refold, as does a missing or purged row at flush.
        """
        if case_id in self._dirty:
            return  # the row is behind already: the ordinary refold covers the new event too
        self._dirty.add(case_id)
        self._known[case_id] = state

    def discard(self, case_id: str) -> None:
        self._dirty.discard(case_id)
        self._fresh.pop(case_id, None)
        self._known.pop(case_id, None)

    def reset(self) -> None:
        """Forget every mark (the transaction was rolled back)."""
        self._dirty.clear()
        self._fresh.clear()
        self._known.clear()

    def flush(self) -> None:
        """Rewrite the projection rows of the cases marked in this unit of work, so reads see them."""
        if not self._dirty:
            return
        fresh, self._fresh = self._fresh, {}
        known, self._known = self._known, {}
        case_ids = self._dirty - fresh.keys() - known.keys()
        self._dirty.clear()
        if known:
            case_ids |= self._write_known(known)
        ordered = sorted(case_ids)
        for i in range(0, len(ordered), IN_CHUNK):
            self.refold_many(ordered[i : i + IN_CHUNK])
        rows = []
        states = []
        complaints: list[tuple[CaseState, list[Event]]] = []
        for case_id, events in fresh.items():
            state = fold(case_id, events)
            if state.exists:
                rows.append(projection_values(state, 0, 0))
                states.append(state)
                if is_complaint(state):
                    complaints.append((state, events))
        if rows:
            self._connection().exec_driver_sql(_INSERT_CASE_ROW, rows)
            self.fts_add([row[0] for row in rows])
            write_report_rows(self._connection(), states)
            write_complaint_rows(self._connection(), complaints)

    def _write_known(self, known: dict[str, CaseState]) -> set[str]:
        """Write the rows of cases whose state is known; returns those that need a refold instead."""
        conn = self._connection()
        ids = list(known)
        before = {r.case_id: r for r in conn.execute(_ROWS_AMONG, {"ids": ids})}
        upserts: list[tuple[Any, ...]] = []
        written: list[CaseState] = []
        refold: set[str] = set()
        for case_id, state in known.items():
            row = before.get(case_id)
            if row is None or row.purged or not state.exists or is_complaint(state):
                refold.add(case_id)
                continue
            values = list(projection_values(state, row.pending_count + 1, row.rejected_count))
            values[_REFUSED_SILENCE_COLUMN] = row.refused_silence
            upserts.append(tuple(values))
            written.append(state)
        if upserts:
            changed = [u[0] for u in upserts if before[u[0]].search_text != u[_SEARCH_TEXT_COLUMN]]
            self.fts_remove(changed)
            conn.exec_driver_sql(_UPSERT_CASE_ROW, upserts)
            self.fts_add(changed)
            write_report_rows(conn, written)
        return refold

    def fts_remove(self, case_ids: list[str], *, tombstones_only: bool = False) -> None:
        """Take the name index's entries of these cases' rows out: call before replacing or deleting
        the rows, and ``fts_add`` after. One statement for them all (FTS5 writes a segment per
        statement)."""
        if case_ids:
            sql = _FTS_REMOVE + " AND purged = 1" if tombstones_only else _FTS_REMOVE
            self._connection().exec_driver_sql(sql, (json.dumps(case_ids),))

    def fts_add(self, case_ids: list[str]) -> None:
        """Index these cases' rows as they are now (rows that do not exist are skipped)."""
        if case_ids:
            self._connection().exec_driver_sql(_FTS_ADD, (json.dumps(case_ids),))

    def refold(self, case_id: str) -> CaseState:
        return self.refold_many([case_id])[case_id]

    def refold_many(self, case_ids: list[str]) -> dict[str, CaseState]:
        """Fold each case from its stored events and rewrite its projection row: one read of the
        events and one batched write for all the cases given.

        A purged (revoked) case stays a tombstone here, whatever its events: only HQ re-delivering
        its created event revives it (``EventRepository.apply_remote``). Of a tombstone's events
        this device's pending ones are kept, for the outbox, and the ones HQ refused, for the refused
        list (their payload minimised, ``minimise_refused``); an accepted one (a late event from HQ,
        or one of ours that HQ has now accepted) is deleted as it is folded.
        """
        conn = self._connection()
        grouped: dict[str, list[Any]] = {c: [] for c in case_ids}
        for row in conn.execute(_EVENTS_OF_CASES, {"ids": case_ids}):
            grouped[row.case_id].append(row)
        before = {r.case_id: r for r in conn.execute(_ROWS_AMONG, {"ids": case_ids})}
        tombstones = {c for c, r in before.items() if r.purged}
        states: dict[str, CaseState] = {}
        upserts: list[tuple[Any, ...]] = []
        written: list[CaseState] = []
        complaints: list[tuple[CaseState, list[Event]]] = []
        gone: list[dict[str, Any]] = []
        settled_of_tombstones: list[dict[str, Any]] = []
        refused_of_tombstones: list[str] = []
        for case_id, rows in grouped.items():
            pending = sum(1 for r in rows if r.sync_state == SyncState.PENDING)
            rejected = sum(1 for r in rows if r.sync_state == SyncState.REJECTED)
            if case_id in tombstones:
                settled_of_tombstones += [{"id": r.id} for r in rows if r.sync_state == SyncState.ACCEPTED]
                if rejected:
                    refused_of_tombstones.append(case_id)
                gone.append({"cid": case_id, "pending": pending, "rejected": rejected})
                states[case_id] = CaseState(case_id=case_id)
                continue
            events = [event_from_row(r) for r in rows if r.sync_state != SyncState.REJECTED]
            state = fold(case_id, events)
            states[case_id] = state
            if state.exists:
                refused = [(event_from_row(r), r.reject_reason) for r in rows if r.sync_state == SyncState.REJECTED]
                upserts.append(projection_values(state, pending, rejected, refused))
                written.append(state)
                if is_complaint(state):
                    complaints.append((state, events))
            else:
                gone.append({"cid": case_id, "pending": pending, "rejected": rejected})
        # The name index changes only for rows whose search text does (most actions leave it as it
        # was, and taking a row's entries out of a large index costs tens of ms with secure-delete).
        changed = [
            row[0] for row in upserts if row[0] not in before or before[row[0]].search_text != row[_SEARCH_TEXT_COLUMN]
        ]
        dropped = [g["cid"] for g in gone if g["cid"] in before and not before[g["cid"]].purged]
        self.fts_remove([c for c in changed if c in before] + dropped)
        if upserts:
            conn.exec_driver_sql(_UPSERT_CASE_ROW, upserts)
            write_report_rows(conn, written)
            write_complaint_rows(conn, complaints)
        if settled_of_tombstones:
            conn.execute(_DELETE_EVENT, settled_of_tombstones)
        if refused_of_tombstones:
            minimise_refused(conn, refused_of_tombstones)
        if gone:
            # no created event (yet), or a tombstone: no row, or the tombstone with its counts
            conn.execute(_DELETE_UNPURGED_CASE, gone)
            conn.execute(_UPDATE_TOMBSTONE_COUNTS, gone)
        self.fts_add(changed)
        return states

    def refresh_counts(self, case_ids: list[str]) -> None:
        """Recompute pending/rejected counts only (sync state changed, content did not)."""
        e = t.events

        def count(state: SyncState) -> sa.ScalarSelect[Any]:
            return (
                sa.select(sa.func.count())
                .where(e.c.case_id == t.cases.c.case_id, e.c.sync_state == state.value)
                .scalar_subquery()
            )

        for i in range(0, len(case_ids), IN_CHUNK):
            self._connection().execute(
                sa.update(t.cases)
                .where(t.cases.c.case_id.in_(case_ids[i : i + IN_CHUNK]), t.cases.c.purged == 0)
                .values(pending_count=count(SyncState.PENDING), rejected_count=count(SyncState.REJECTED))
            )
