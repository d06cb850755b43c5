"""``case_summary``: one row per case, its fold flattened for reports and boards.

The row is always ``summary_row(fold(case_id, history))`` — never a second reading of the events —
and ``refresh`` rewrites the rows of the cases a write touched, inside that write's transaction
(``hq.feed.Batch.flush``), so a report never sees an event without its case's summary. The
migration that creates the table back-fills it with the same two functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, select

from core.events import CaseKind, Event, EventType, iso, utcnow
from core.fold import CaseState, fold
from core.report_rows import canonical_time, complaint_values, follow_up_values, summary_values, tip_values
from hq.schema import case_summary, complaint_deadlines, complaint_summary, events, follow_up_summary, tip_summary

# Cases per round trip when refreshing or back-filling many cases.
REFRESH_CHUNK = 500

# Event types no column of the summary depends on: a case they alone touched keeps its row.
INERT_TYPES = frozenset({EventType.LOCATED, EventType.ALARM_MUTED, EventType.CONTACT_REVEALED})


def summary_row(state: CaseState, updated_at: str) -> dict[str, Any]:
    """The ``case_summary`` row of a folded case (``core.report_rows.summary_values``, a console's
    ``case_report`` row is written from the same function)."""
    return {**summary_values(state), "updated_at": updated_at}


def follow_up_rows(state: CaseState) -> list[dict[str, Any]]:
    """The ``follow_up_summary`` rows of a folded case."""
    return follow_up_values(state)


def _histories(conn: Connection, case_ids: list[str]) -> dict[str, list[Event]]:
    from hq.feed import event_from_row  # hq.feed imports this module for its hook

    out: dict[str, list[Event]] = defaultdict(list)
    rows = conn.execute(
        select(events.c.seq, events.c.content).where(events.c.case_id.in_(case_ids)).order_by(events.c.seq)
    )
    for r in rows:
        event = event_from_row(r.content, r.seq)
        out[event.case_id].append(event)
    return out


def refresh(conn: Connection, case_ids: Iterable[str]) -> int:
    """Refold the given cases from their stored events and rewrite their summary rows; returns how many."""
    ids = sorted(set(case_ids))
    now = iso(utcnow())
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        histories = _histories(conn, chunk)
        states = [fold(cid, histories[cid]) for cid in chunk if histories.get(cid)]
        conn.execute(delete(case_summary).where(case_summary.c.case_id.in_(chunk)))
        conn.execute(delete(follow_up_summary).where(follow_up_summary.c.case_id.in_(chunk)))
        if states:
            conn.execute(case_summary.insert(), [summary_row(state, now) for state in states])
        follow_ups = [row for state in states for row in follow_up_rows(state)]
        if follow_ups:
            conn.execute(follow_up_summary.insert(), follow_ups)
        write_kind_rows(conn, chunk, states, histories)
    return len(ids)


def kind_rows(
    states: Iterable[CaseState], histories: Mapping[str, list[Event]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``complaint_summary``, ``complaint_deadlines`` and ``tip_summary`` rows of folded cases
    (by the kind they were created as: a complaint or tip raised to suicide-risk keeps its rows)."""
    complaints: list[dict[str, Any]] = []
    deadlines: list[dict[str, Any]] = []
    tips: list[dict[str, Any]] = []
    for state in states:
        if state.kind == CaseKind.COMPLAINT:
            row, rows = complaint_values(state, histories[state.case_id])
            complaints.append(row)
            deadlines += rows
        elif state.kind == CaseKind.TIP:
            tips.append(tip_values(state, histories[state.case_id]))
    return complaints, deadlines, tips


def write_kind_rows(
    conn: Connection, chunk: list[str], states: list[CaseState], histories: Mapping[str, list[Event]]
) -> None:
    tables = (complaint_summary, complaint_deadlines, tip_summary)
    for table in tables:
        conn.execute(delete(table).where(table.c.case_id.in_(chunk)))
    for table, rows in zip(tables, kind_rows(states, histories), strict=True):
        if rows:
            conn.execute(table.insert(), rows)


@dataclass
class Touched:
    """The cases one write touched, and which of them can change summary row: refolding a case reads
    its whole history, so a case touched only by events that cannot change its row keeps it. Those
    are ``INERT_TYPES`` and a counselling note without a follow-up date written no earlier than the
    case's first counselling note (the fold's ``counselled_at`` is the earliest note's time)."""

    cases: set[str] = field(default_factory=set)
    refold: set[str] = field(default_factory=set)
    first_note: dict[str, str] = field(default_factory=dict)  # case -> earliest plain note's wall time

    def add(self, event: Event) -> None:
        case_id = event.case_id
        self.cases.add(case_id)
        if event.type in INERT_TYPES:
            return
        if event.type is EventType.COUNSELLING_NOTE and not event.payload.get("follow_up_date"):
            seen = self.first_note.get(case_id)
            self.first_note[case_id] = event.wall_time if seen is None else min(seen, event.wall_time)
            return
        self.refold.add(case_id)

    def flush(self, conn: Connection) -> int:
        """Refold the cases whose row can change; returns how many were refolded."""
        refold = set(self.refold)
        maybe = sorted(self.cases - refold)
        for start in range(0, len(maybe), REFRESH_CHUNK):
            chunk = maybe[start : start + REFRESH_CHUNK]
            query = select(case_summary.c.case_id, case_summary.c.counselled_at)
            rows = {r.case_id: r.counselled_at for r in conn.execute(query.where(case_summary.c.case_id.in_(chunk)))}
            for case_id in chunk:
                if case_id not in rows:
                    refold.add(case_id)  # no row yet (its creation may still be on its way)
                    continue
                note = self.first_note.get(case_id)
                first = rows[case_id]
                if note is not None and (first is None or note < first):
                    refold.add(case_id)
        return refresh(conn, refold) if refold else 0


def rebuild(conn: Connection) -> int:
    """Rewrite every case's summary row from the event log (the migration's back-fill; a repair)."""
    conn.execute(delete(case_summary))
    conn.execute(delete(follow_up_summary))
    for table in (complaint_summary, complaint_deadlines, tip_summary):
        conn.execute(delete(table))
    ids = list(conn.execute(select(events.c.case_id).distinct()).scalars())
    return refresh(conn, ids)


__all__ = [
    "INERT_TYPES",
    "REFRESH_CHUNK",
    "Touched",
    "canonical_time",
    "follow_up_rows",
    "kind_rows",
    "rebuild",
    "refresh",
    "summary_row",
    "write_kind_rows",
]
