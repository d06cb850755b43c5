"""A district's officer list at the console: read, add and retire through HQ (which keeps the list),
and the last active list HQ gave this console, kept in the store for offline assignment.

HQ's routes: ``GET /tips/officers?district=`` (``include_retired`` for the SP office's screen),
``POST /tips/officers``, ``POST /tips/officers/{id}/retire`` (hq/tipline/roster.py). Each call runs on
the network pool (``QueryOp(network=True)``), never on the GUI thread; none is kept to send later:
adding or retiring an officer changes HQ's list, which the SP's office must see HQ take.

The cache: every list HQ gives (and every add or retire HQ takes) rewrites the district's active
officers as one JSON value in the store's ``meta`` table (key ``tip_officers:<district>``, inside the
encrypted replica, on the DB worker), with the time HQ gave it. The assignment dialog offers that
list when HQ cannot be reached, so ``tip_officer_assigned`` is recorded offline like any case work;
HQ still checks the officer against its active list when the entry is pushed, and an officer retired
meanwhile makes HQ refuse it: the entry then shows among the changes HQ refused (the sync menu and
the case's timeline), where the operator can pass the tip to another officer. A damaged cache reads
as none and is logged, as the complaint policy's cache is.

Threading: the ``fn`` bodies run on worker threads; callbacks on the GUI thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.events import iso, utcnow
from ui.operations.base import QueryOp, reading, writing

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from ui.context import ApplicationContext

log = logging.getLogger(__name__)

Json = dict[str, Any]
CACHE_KEY_PREFIX = "tip_officers:"


@dataclass(frozen=True)
class CachedOfficers:
    """The district's active officers as HQ last gave them to this console, and when."""

    officers: list[Json]
    fetched_at: str | None


def cache_key(district: str) -> str:
    return f"{CACHE_KEY_PREFIX}{district}"


def _signed_in(ctx: ApplicationContext) -> Any:
    session = ctx.session
    return session if session is not None and getattr(session, "logged_in", False) else None


def read_cached(uow: UnitOfWork, district: str) -> CachedOfficers:
    """The cached list (empty when never fetched or damaged: logged). Any worker thread."""
    raw = uow.meta.get(cache_key(district))
    if raw is None:
        return CachedOfficers([], None)
    try:
        value = json.loads(raw)
        officers = [dict(o) for o in value["officers"] if isinstance(o, dict) and o.get("id") and o.get("name")]
        return CachedOfficers(officers, str(value.get("fetched_at") or "") or None)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("officer list cache of %s is damaged (%s); treated as empty", district, exc)
        return CachedOfficers([], None)


def write_cached(uow: UnitOfWork, district: str, officers: list[Json]) -> None:
    """Replace the cached list with the active ones of ``officers`` (DB worker)."""
    active = [o for o in officers if o.get("active", True)]
    uow.meta.set(cache_key(district), json.dumps({"fetched_at": iso(utcnow()), "officers": active},
                                                 ensure_ascii=False))  # fmt: skip


def cached_officers(
    ctx: ApplicationContext, district: str, *, success: Callable[[CachedOfficers], None]
) -> QueryOp[CachedOfficers]:
    """The last active list HQ gave this console, from the store (reader pool)."""
    return QueryOp(fn=reading(ctx.store, lambda uow: read_cached(uow, district)), success=success, pool="read")


def _remember(ctx: ApplicationContext, district: str, officers: list[Json]) -> None:
    """Rewrite the cache on the DB worker; a failure there (the disk) goes to the window's handling."""
    QueryOp(fn=writing(ctx.store, lambda uow: write_cached(uow, district, officers)), success=None).run(ctx.taskman)


def fetch_officers(
    ctx: ApplicationContext,
    district: str,
    *,
    include_retired: bool = False,
    success: Callable[[list[Json]], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[list[Json]] | None:
    """``GET /tips/officers`` for ``district`` on the network pool; the active ones refresh the cache
    (then ``success`` gets HQ's list). None when this console is not signed in to HQ."""
    session = _signed_in(ctx)
    if session is None:
        return None
    params: dict[str, Any] = {"district": district}
    if include_retired:
        params["include_retired"] = "true"

    def fn() -> list[Json]:
        reply = session.call(lambda token: session.client.call_json("GET", "/tips/officers", token=token,
                                                                    params=params))  # fmt: skip
        return [dict(o) for o in reply.get("officers", [])]

    def done(officers: list[Json]) -> None:
        _remember(ctx, district, officers)
        success(officers)

    return QueryOp(fn=fn, success=done, failure=failure, network=True)


def add_officer(
    ctx: ApplicationContext,
    district: str,
    name: str,
    rank: str,
    station: str | None,
    *,
    success: Callable[[Json], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Json] | None:
    """``POST /tips/officers`` on the network pool; ``success`` gets HQ's new officer. None when not
    signed in to HQ (the list is HQ's: an officer added here only would be refused at push)."""
    session = _signed_in(ctx)
    if session is None:
        return None
    body: Json = {"district": district, "name": name, "rank": rank}
    if station:
        body["station"] = station

    def fn() -> Json:
        reply = session.call(lambda token: session.client.call_json("POST", "/tips/officers", token=token, body=body))
        return dict(reply["officer"])

    return QueryOp(fn=fn, success=success, failure=failure, network=True)


def retire_officer(
    ctx: ApplicationContext,
    officer_id: str,
    *,
    success: Callable[[Json], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Json] | None:
    """``POST /tips/officers/{id}/retire`` on the network pool; ``success`` gets HQ's row (inactive).
    None when not signed in to HQ."""
    session = _signed_in(ctx)
    if session is None:
        return None

    def fn() -> Json:
        reply = session.call(lambda token: session.client.call_json("POST", f"/tips/officers/{officer_id}/retire",
                                                                    token=token))  # fmt: skip
        return dict(reply["officer"])

    return QueryOp(fn=fn, success=success, failure=failure, network=True)


__all__ = [
    "CACHE_KEY_PREFIX",
    "CachedOfficers",
    "add_officer",
    "cache_key",
    "cached_officers",
    "fetch_officers",
    "read_cached",
    "retire_officer",
    "write_cached",
]
