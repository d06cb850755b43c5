"""The officers a district's tips are passed to: a list per district that HQ keeps and the SP's
office maintains, and its HTTP routes.

A ``tip_officer_assigned`` event names an officer of this list by id (HQ refuses another:
``hq.scope.state_refusal``), and carries the name, rank and station as they were, so a tip's
history stays readable after an officer retires. Officers are never deleted: retiring one takes
them off the list offered for new assignments.

Who may: read the list of a district: its SP's office, its district operators, the DIG of its
range, HQ operators and supervisors. Add or retire officers: the SP's office of the district, and
HQ operators. Every change is audited.

(No ``from __future__ import annotations`` here: the routes are made inside ``install`` and FastAPI
reads their annotations at run time.)
"""

from enum import Enum
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from pydantic import Field
from sqlalchemy import Connection, select, update

from core.events import iso, utcnow
from core.ids import new_id
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, NotFound
from hq.principals import Principal, Role
from hq.schema import districts, tip_officers
from hq.wire import LINE_PATTERN, ErrorBody, Line, Strict, text_rule

READERS = frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR, Role.SP_OFFICE, Role.RANGE_DIG})
KEEPERS = frozenset({Role.HQ_OPERATOR, Role.SP_OFFICE})


def _may_read(conn: Connection, p: Principal, district: str) -> bool:
    if p.role in (Role.HQ_OPERATOR, Role.SUPERVISOR):
        return True
    if p.role in (Role.DISTRICT_OPERATOR, Role.SP_OFFICE):
        return p.district == district
    if p.role is Role.RANGE_DIG:
        found = conn.execute(select(districts.c.range).where(districts.c.code == district)).scalar_one_or_none()
        return p.range is not None and found == p.range
    return False


def _officer(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "district": row.district, "name": row.name, "rank": row.rank, "station": row.station,
        "active": bool(row.active),
    }  # fmt: skip


def list_officers(db: Database, p: Principal, district: str, *, include_retired: bool = False) -> list[dict[str, Any]]:
    """A district's officers, by name (the active ones unless ``include_retired``)."""
    with db.reader() as conn:
        if p.is_key or p.role not in READERS or not _may_read(conn, p, district):
            raise Forbidden("this account may not read the officer list of that district")
        q = select(tip_officers).where(tip_officers.c.district == district)
        if not include_retired:
            q = q.where(tip_officers.c.active.is_(True))
        return [_officer(r) for r in conn.execute(q.order_by(tip_officers.c.name, tip_officers.c.id))]


def _require_keeper(conn: Connection, p: Principal, district: str) -> None:
    if p.is_key or p.role not in KEEPERS or (p.role is Role.SP_OFFICE and p.district != district):
        raise Forbidden("only the district's SP office (or an HQ operator) keeps its officer list")
    if conn.execute(select(districts.c.code).where(districts.c.code == district)).first() is None:
        raise NotFound(f"no district {district!r}")


def add_officer(db: Database, p: Principal, district: str, name: str, rank: str, station: str | None) -> dict[str, Any]:
    with db.transaction() as conn:
        _require_keeper(conn, p, district)
        officer_id = new_id()
        conn.execute(
            tip_officers.insert().values(
                id=officer_id, district=district, name=name, rank=rank, station=station, active=True,
                created_at=iso(utcnow()), created_by=p.actor,
            )
        )  # fmt: skip
        write_audit(conn, p, "tip_officer_added", "ok", detail={"officer_id": officer_id, "district": district})
        row = conn.execute(select(tip_officers).where(tip_officers.c.id == officer_id)).one()
    return _officer(row)


def retire_officer(db: Database, p: Principal, officer_id: str) -> dict[str, Any]:
    with db.transaction() as conn:
        row = conn.execute(select(tip_officers).where(tip_officers.c.id == officer_id)).first()
        if row is None:
            raise NotFound("no such officer")
        _require_keeper(conn, p, row.district)
        conn.execute(update(tip_officers).where(tip_officers.c.id == officer_id).values(active=False))
        write_audit(conn, p, "tip_officer_retired", "ok", detail={"officer_id": officer_id, "district": row.district})
        row = conn.execute(select(tip_officers).where(tip_officers.c.id == officer_id)).one()
    return _officer(row)


class OfficerRequest(Strict):
    district: Line = Field(min_length=1, max_length=100)
    name: Line = Field(min_length=1, max_length=200)
    rank: Line = Field(min_length=1, max_length=100)
    station: Line | None = Field(default=None, min_length=1, max_length=100)


def install(app: FastAPI, api: str, user_dependency: Any, db_of: Any) -> None:
    """Add the officer list's routes. ``db_of(request)`` gives HQ's ``Database``."""
    tags: list[str | Enum] = ["tipline"]
    err: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}
    Code = Annotated[str, Query(min_length=1, max_length=100, pattern=LINE_PATTERN), text_rule(free_text=False)]
    OfficerId = Annotated[str, Path(max_length=36, pattern=LINE_PATTERN), text_rule(free_text=False)]

    @app.get(f"{api}/tips/officers", tags=tags)
    def officers(
        request: Request, district: Code, who: user_dependency, include_retired: bool = False
    ) -> dict[str, Any]:
        """The district's active officers (with ``include_retired``, the retired ones too: the SP
        office's list screen shows both)."""
        return {"officers": list_officers(db_of(request), who, district, include_retired=include_retired)}

    @app.post(f"{api}/tips/officers", tags=tags, status_code=201, responses=err)
    def add(request: Request, body: OfficerRequest, who: user_dependency) -> dict[str, Any]:
        return {"officer": add_officer(db_of(request), who, body.district, body.name, body.rank, body.station)}

    @app.post(f"{api}/tips/officers/{{officer_id}}/retire", tags=tags, responses=err)
    def retire(request: Request, officer_id: OfficerId, who: user_dependency) -> dict[str, Any]:
        return {"officer": retire_officer(db_of(request), who, officer_id)}


__all__ = ["add_officer", "install", "list_officers", "retire_officer"]
