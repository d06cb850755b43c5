"""Storing events and routing them to feed streams: sequence numbers and feed positions, all
allocated inside ``Database.writer()`` so commit order equals position order (docs/HQ.md).

``Batch`` is the one writer of ``events`` and ``feed`` (and of ``case_summary``, refolded for the
cases each flush touched, in the same transaction: ``hq.summary``): intake, assignment, push and an accepted
review all store their events through it. Also here: reading a case's row and stored history,
and checking that a district (and station) a case is routed to exists.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select, update

from core.events import Event, EventType, iso, utcnow
from hq import signing, summary
from hq.db import Database
from hq.errors import Invalid, NotFound
from hq.schema import cases, counters, districts, events, feed, stations

# The stream of everything, read by HQ operators and supervisors; each district has its own.
ALL_STREAM = "*"


@dataclass
class CaseRow:
    """A case's routing as the writer sees it; ``Batch.add`` updates it when an event moves the case."""

    id: str
    district: str | None
    police_station: str | None


@dataclass
class Batch:
    """Events accepted in one write transaction, with their feed rows, flushed together.

    Open it inside ``Database.writer()`` (it reads the counters) and flush before the commit."""

    conn: Connection
    next_seq: int
    next_pos: int
    event_rows: list[dict[str, Any]] = field(default_factory=list)
    feed_rows: list[dict[str, Any]] = field(default_factory=list)
    pending_by_case: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    streams: set[str] = field(default_factory=set)
    moved: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    touched: summary.Touched = field(default_factory=summary.Touched)
    sign: bool = False  # events HQ writes itself are signed (hq.signing)

    @classmethod
    def open(cls, conn: Connection, *, sign: bool = False) -> Batch:
        rows = dict(conn.execute(select(counters.c.name, counters.c.value)).tuples().all())
        return cls(conn, int(rows["event_seq"]) + 1, int(rows["feed_pos"]) + 1, sign=sign)

    def _feed(self, stream: str, kind: str, case_id: str, event_seq: int | None) -> None:
        self.feed_rows.append(
            {"pos": self.next_pos, "stream": stream, "kind": kind, "case_id": case_id, "event_seq": event_seq}
        )
        self.next_pos += 1
        self.streams.add(stream)

    def add(self, event: Event, case: CaseRow) -> int:
        """Give ``event`` its hq_seq and route it; updates ``case`` when the event reassigns it."""
        seq = self.next_seq
        self.next_seq += 1
        self.event_rows.append(
            {
                "seq": seq,
                "id": event.id,
                "case_id": event.case_id,
                "type": str(event.type),
                "hlc": event.hlc,
                "author_id": event.author_id,
                "device_id": event.device_id,
                "content": event.content_key(),
                "stored_at": iso(utcnow()),
                "signature": signing.sign(event) if self.sign else None,
            }
        )
        self.pending_by_case[event.case_id].append(seq)
        self.touched.add(event)
        self._feed(ALL_STREAM, "event", event.case_id, seq)
        if event.type is EventType.ASSIGNED:
            old = case.district
            new = str(event.payload["district"])
            case.district = new
            case.police_station = event.payload.get("police_station")
            self.moved[case.id] = (new, case.police_station)
            if old and old != new:
                self._feed(old, "revoke", case.id, None)
            if old != new:
                # The new district gets the case's whole history, in hq_seq order.
                stored = self.conn.execute(
                    select(events.c.seq).where(events.c.case_id == case.id).order_by(events.c.seq)
                ).scalars()
                history = sorted(set(stored) | set(self.pending_by_case[case.id]))
                for s in history:
                    self._feed(new, "event", case.id, s)
                return seq
        if case.district:
            self._feed(case.district, "event", event.case_id, seq)
        return seq

    def flush(self, db: Database) -> None:
        if self.event_rows:
            self.conn.execute(events.insert(), self.event_rows)
        if self.feed_rows:
            self.conn.execute(feed.insert(), self.feed_rows)
        self.conn.execute(update(counters).where(counters.c.name == "event_seq").values(value=self.next_seq - 1))
        self.conn.execute(update(counters).where(counters.c.name == "feed_pos").values(value=self.next_pos - 1))
        for case_id, (district, station) in self.moved.items():
            self.conn.execute(
                update(cases).where(cases.c.id == case_id).values(district=district, police_station=station)
            )
        # the touched cases' summaries, refolded in this transaction
        self.touched.flush(self.conn)
        db.announce(self.conn, self.streams)


def valid_case_id(case_id: str) -> None:
    """Refuse (``NotFound``) a case id that is not a UUID: no such case can exist."""
    try:
        uuid.UUID(case_id)
    except ValueError:
        raise NotFound("no such case") from None


def load_cases(conn: Connection, case_ids: Iterable[str]) -> dict[str, CaseRow]:
    ids = list(set(case_ids))
    if not ids:
        return {}
    rows = conn.execute(select(cases.c.id, cases.c.district, cases.c.police_station).where(cases.c.id.in_(ids)))
    return {r.id: CaseRow(r.id, r.district, r.police_station) for r in rows}


def case_history(conn: Connection, case_id: str) -> list[Event]:
    """A case's stored events in ``hq_seq`` order."""
    rows = conn.execute(
        select(events.c.seq, events.c.content).where(events.c.case_id == case_id).order_by(events.c.seq)
    )
    return [event_from_row(r.content, r.seq) for r in rows]


def event_from_row(content: str, seq: int) -> Event:
    data = json.loads(content)
    return Event(
        id=data["id"],
        case_id=data["case_id"],
        type=EventType(data["type"]),
        payload=data["payload"],
        author_id=data["author_id"],
        author_name=data["author_name"],
        device_id=data["device_id"],
        wall_time=data["wall_time"],
        hlc=data["hlc"],
        hq_seq=seq,
        seen_assignment=data.get("seen_assignment"),
    )


def wire_from_row(content: str, seq: int) -> dict[str, Any]:
    """A stored event as its wire object, decoded (the pull splices it as text instead)."""
    data: dict[str, Any] = json.loads(content)
    data["hq_seq"] = seq
    return data


def check_district(conn: Connection, district: str, station: str | None) -> None:
    """Refuse (``Invalid``) a district, or a police station of it, that HQ does not know."""
    if conn.execute(select(districts.c.code).where(districts.c.code == district)).first() is None:
        raise Invalid(f"unknown district {district!r}")
    if station is not None:
        found = conn.execute(
            select(stations.c.code).where(and_(stations.c.district_code == district, stations.c.code == station))
        ).first()
        if found is None:
            raise Invalid(f"unknown police station {station!r} in district {district!r}")


__all__ = [
    "ALL_STREAM",
    "Batch",
    "CaseRow",
    "case_history",
    "check_district",
    "event_from_row",
    "load_cases",
    "valid_case_id",
    "wire_from_row",
]
