"""Where a case can be routed: the districts and their police stations, by name, offline too.

HQ's ``GET /districts`` answers an HQ account with every district and its stations. The reply is kept
whole in the encrypted store's meta table (``ROUTING_META_KEY``), so the routing and intake forms
offer names on a console that is offline; it is refreshed from HQ (network pool) each time a form
that routes opens, and the fresh list replaces the shown one when it arrives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ui.operations.base import QueryOp, reading, writing

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from ui.context import ApplicationContext

ROUTING_META_KEY = "routing_places"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    stations: tuple[tuple[str, str], ...]  # (code, name), by name


def districts_from(reply: Iterable[Mapping[str, Any]]) -> list[District]:
    """HQ's ``GET /districts`` reply (or its stored copy) -> districts by name; malformed rows skipped."""
    out = []
    for d in reply:
        if not isinstance(d, Mapping) or not d.get("code"):
            continue
        stations = tuple(
            sorted(
                ((str(s["code"]), str(s.get("name") or s["code"])) for s in d.get("stations") or () if s.get("code")),
                key=lambda s: s[1].casefold(),
            )
        )
        out.append(District(str(d["code"]), str(d.get("name") or d["code"]), stations))
    return sorted(out, key=lambda d: d.name.casefold())


def stored_districts(ctx: ApplicationContext, *, success: Callable[[list[District]], None]) -> QueryOp[list[District]]:
    """The districts as last fetched from HQ (empty if never)."""

    def body(uow: UnitOfWork) -> list[District]:
        try:
            data = json.loads(uow.meta.get(ROUTING_META_KEY) or "[]")
        except ValueError:
            return []
        return districts_from(data) if isinstance(data, list) else []

    return QueryOp(fn=reading(ctx.store, body), success=success, pool="read")


def fetch_districts(
    ctx: ApplicationContext, *, success: Callable[[list[District]], None], failure: Callable[[BaseException], None]
) -> QueryOp[list[Any]] | None:
    """HQ's districts on the network pool, then stored on the DB worker; ``success`` gets them once
    stored. None when not logged in (offline: the stored list is all there is)."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> list[Any]:
        return list(session.call(session.client.districts))

    def fetched(reply: list[Any]) -> None:
        text = json.dumps(reply, ensure_ascii=False, sort_keys=True)

        def body(uow: UnitOfWork) -> list[District]:
            uow.meta.set(ROUTING_META_KEY, text)
            return districts_from(reply)

        QueryOp(fn=writing(ctx.store, body), success=success, failure=failure).run(ctx.taskman)

    return QueryOp(fn=fn, success=fetched, failure=failure, network=True)


__all__ = ["ROUTING_META_KEY", "District", "districts_from", "fetch_districts", "stored_districts"]
