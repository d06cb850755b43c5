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

from sqlalchemy import Connection, and_, func, select, update

from core.events import Event, EventType, iso, utcnow
from hq import signing, summary
from hq.db import Database
from hq.errors import Invalid, NotFound
from hq.schema import cases, counters, districts, events, feed, stations

# The stream of everything, read by HQ operators and supervisors; each district has its own.
ALL_STREAM = "*"
TIP_KIND = "tip"
IN_CHUNK = 500  # streams per IN list when the back-fill reads what the feed holds


def tips_stream(district: str) -> str:
    """The stream of a district's tips, read by its SP's office."""
    return f"tips:{district}"


def range_stream(range_name: str) -> str:
    """The stream of a range's tips (its districts' and its triage's), read by its DIG."""
    return f"range:{range_name}"


@dataclass
class CaseRow:
    """A case's routing as the writer sees it; ``Batch.add`` updates it when an event moves the case."""

    id: str
    district: str | None
    police_station: str | None
    kind: str | None = None
    range: str | None = None  # the triage range of a tip with no district


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
    kinds: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # new cases' kind and range
    _district_ranges: dict[str, str | None] | None = None
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
        if event.type is EventType.CREATED:
            tip = event.payload.get("tip")
            case.kind = str(event.payload.get("kind") or "") or None
            if case.district is None and isinstance(tip, dict) and tip.get("range"):
                case.range = str(tip["range"])
            self.kinds[case.id] = (case.kind, case.range)
        old_district = case.district
        old_tip_streams = self._tip_streams(case)
        if event.type is EventType.ASSIGNED:
            case.district = str(event.payload["district"])
            case.police_station = event.payload.get("police_station")
            self.moved[case.id] = (case.district, case.police_station)
        history: list[int] | None = None
        if old_district != case.district:
            # the old district's stream gets a revoke, the new one the case's whole history
            if old_district:
                self._feed(old_district, "revoke", case.id, None)
            history = self._history(case.id)
            for s in history:
                self._feed(str(case.district), "event", case.id, s)
        elif case.district:
            self._feed(case.district, "event", event.case_id, seq)
        new_tip_streams = self._tip_streams(case)
        for stream in sorted(old_tip_streams - new_tip_streams):
            self._feed(stream, "revoke", case.id, None)
        for stream in sorted(new_tip_streams):
            if stream in old_tip_streams:
                self._feed(stream, "event", case.id, seq)
            else:
                history = history if history is not None else self._history(case.id)
                for s in history:
                    self._feed(stream, "event", case.id, s)
        return seq

    def _history(self, case_id: str) -> list[int]:
        """The case's events, stored and in this batch, in hq_seq order (what a new reader gets)."""
        stored = self.conn.execute(select(events.c.seq).where(events.c.case_id == case_id)).scalars()
        return sorted(set(stored) | set(self.pending_by_case[case_id]))

    def district_range(self, district: str) -> str | None:
        """The range a district belongs to (read once per batch; the districts are few)."""
        if self._district_ranges is None:
            rows = self.conn.execute(select(districts.c.code, districts.c.range))
            self._district_ranges = {r.code: r.range for r in rows}
        return self._district_ranges.get(district)

    def _tip_streams(self, case: CaseRow) -> set[str]:
        """The SP and range streams a tip belongs in now: its district's SP office and the DIG of
        the district's range, or (no district yet) its triage range's DIG. None for other kinds."""
        if case.kind != TIP_KIND:
            return set()
        if case.district:
            range_name = self.district_range(case.district)
            return {tips_stream(case.district)} | ({range_stream(range_name)} if range_name else set())
        return {range_stream(case.range)} if case.range else set()

    def flush(self, db: Database) -> None:
        if self.event_rows:
            self.conn.execute(events.insert(), self.event_rows)
        if self.feed_rows:
            self.conn.execute(feed.insert(), self.feed_rows)
        self.conn.execute(update(counters).where(counters.c.name == "event_seq").values(value=self.next_seq - 1))
        self.conn.execute(update(counters).where(counters.c.name == "feed_pos").values(value=self.next_pos - 1))
        for case_id, (kind, range_name) in self.kinds.items():
            self.conn.execute(update(cases).where(cases.c.id == case_id).values(kind=kind, range=range_name))
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
    rows = conn.execute(
        select(cases.c.id, cases.c.district, cases.c.police_station, cases.c.kind, cases.c.range).where(
            cases.c.id.in_(ids)
        )
    )
    return {r.id: CaseRow(r.id, r.district, r.police_station, r.kind, r.range) for r in rows}


def case_range(conn: Connection, case: CaseRow) -> str | None:
    """The range a case belongs to now: its district's, or (no district) its triage range."""
    if case.district:
        return conn.execute(select(districts.c.range).where(districts.c.code == case.district)).scalar_one_or_none()
    return case.range


def regroup_district(db: Database, conn: Connection, district: str, new_range: str | None) -> int:
    """Move ``district`` to another range (or none): its tips leave the old range's stream (a revoke
    each) and reach the new range's DIG with their whole history, in the one write transaction that
    changes ``districts.range``. Call inside ``Database.writer()``. Returns how many tips moved."""
    old_range = conn.execute(select(districts.c.range).where(districts.c.code == district)).scalar_one()
    conn.execute(update(districts).where(districts.c.code == district).values(range=new_range))
    if old_range == new_range:
        return 0
    ids = conn.execute(
        select(cases.c.id).where(and_(cases.c.district == district, cases.c.kind == TIP_KIND)).order_by(cases.c.id)
    ).scalars().all()
    batch = Batch.open(conn)
    for case_id in ids:
        if old_range:
            batch._feed(range_stream(old_range), "revoke", case_id, None)
        if new_range:
            for s in batch._history(case_id):
                batch._feed(range_stream(new_range), "event", case_id, s)
    batch.flush(db)
    return len(ids)


def backfill_tip_streams(conn: Connection) -> int:
    """Write the feed rows of every tip missing from a stream it belongs in now (its district's SP
    stream and its range's DIG stream, or its triage range's): the tip's whole stored history, in
    ``hq_seq`` order, tips in the order they were filed. Idempotent: a tip that already has a row in
    a stream is left alone there (one that moved since ``0014_ranges`` got its history then).

    For tips filed before ``0014_ranges``, which reached those streams only when they next moved.
    Run by migration ``0016_tip_streams`` inside its transaction, which on PostgreSQL also holds
    HQ's writer lock, so positions stay in commit order. Nobody is announced to: the rows are there
    at a reader's next pull. Returns the number of feed rows written."""
    first_seq = func.min(events.c.seq)
    tips = conn.execute(
        select(cases.c.id, cases.c.district, cases.c.police_station, cases.c.kind, cases.c.range)
        .join(events, events.c.case_id == cases.c.id)
        .where(cases.c.kind == TIP_KIND)
        .group_by(cases.c.id, cases.c.district, cases.c.police_station, cases.c.kind, cases.c.range)
        .order_by(first_seq, cases.c.id)
    ).all()
    if not tips:
        return 0
    batch = Batch.open(conn)
    routed = [(r.id, batch._tip_streams(CaseRow(r.id, r.district, r.police_station, r.kind, r.range))) for r in tips]
    wanted = sorted({s for _, streams in routed for s in streams})
    have: set[tuple[str, str]] = set()  # (stream, case) pairs the feed holds already
    for i in range(0, len(wanted), IN_CHUNK):
        held = select(feed.c.stream, feed.c.case_id).where(feed.c.stream.in_(wanted[i : i + IN_CHUNK])).distinct()
        have.update((r.stream, r.case_id) for r in conn.execute(held))
    for case_id, streams in routed:
        missing = [s for s in sorted(streams) if (s, case_id) not in have]
        history = batch._history(case_id) if missing else []
        for stream in missing:
            for seq in history:
                batch._feed(stream, "event", case_id, seq)
    if batch.feed_rows:
        conn.execute(feed.insert(), batch.feed_rows)
        conn.execute(update(counters).where(counters.c.name == "feed_pos").values(value=batch.next_pos - 1))
    return len(batch.feed_rows)


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
    "TIP_KIND",
    "Batch",
    "CaseRow",
    "backfill_tip_streams",
    "case_history",
    "case_range",
    "check_district",
    "event_from_row",
    "load_cases",
    "range_stream",
    "regroup_district",
    "tips_stream",
    "valid_case_id",
    "wire_from_row",
]
