"""What every connector shares: the outcomes of a call, the publisher interface, polling state.

Outcomes of a platform call, by cause:

- ``RateLimited``: the platform said 429; ``reset_at`` is when it takes calls again (X's
  ``x-rate-limit-reset``, or ``Retry-After``). Nothing was done.
- ``QuotaExhausted``: the day's quota is spent (YouTube); resume on the platform's next quota day.
- ``Refused``: a definite no (4xx other than 429): the reply was not published; retrying the same
  request will not help without a change, but the publisher still retries with backoff (a token
  renewed, a post restored) and shows the error.
- ``Unavailable``: 5xx, a timeout, a dropped connection. For a read, nothing was taken (the cursor
  stays); for a publication, the outcome is unknown: the platform may have stored the reply, so the
  next attempt first looks for it (``Publisher.find_reply``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import requests
from sqlalchemy import select, update

from core.events import iso, utcnow
from hq.db import Database
from hq.schema import connector_state

TIMEOUT_S = 20.0


class ConnectorError(Exception):
    """A platform call that did not succeed."""


class RateLimited(ConnectorError):
    def __init__(self, reset_at: datetime, detail: str = "rate limited"):
        super().__init__(f"{detail} until {iso(reset_at)}")
        self.reset_at = reset_at


class QuotaExhausted(ConnectorError):
    def __init__(self, resume_at: datetime):
        super().__init__(f"daily quota spent; resuming at {iso(resume_at)}")
        self.resume_at = resume_at


class Refused(ConnectorError):
    pass


class Unavailable(ConnectorError):
    pass


@dataclass(frozen=True)
class Published:
    platform_id: str
    url: str | None
    published_at: datetime


class Publisher(Protocol):
    """Publishes a reply on one platform. ``target_id``: the platform id replied to (a tweet, a
    comment, a YouTube top-level comment; for a direct message, the author's user id)."""

    platform: str

    def publish_reply(self, target_id: str, text: str, item: str) -> Published: ...

    def find_reply(self, target_id: str, text: str, item: str) -> Published | None: ...


def reset_from_headers(headers: Any, now: datetime) -> datetime:
    """When a 429 ends: ``x-rate-limit-reset`` (epoch seconds, X), else ``Retry-After`` seconds, else
    a minute from now."""
    reset = headers.get("x-rate-limit-reset")
    if reset:
        try:
            return datetime.fromtimestamp(int(reset), UTC)
        except (ValueError, OverflowError):
            pass
    after = headers.get("retry-after")
    if after:
        try:
            return datetime.fromtimestamp(now.timestamp() + float(after), UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(now.timestamp() + 60, UTC)


def call(session: requests.Session, method: str, url: str, *, now: datetime | None = None, **kw: Any) -> Any:
    """One platform call; its JSON body, or the outcome raised by cause (see the module docstring)."""
    try:
        resp = session.request(method, url, timeout=kw.pop("timeout", TIMEOUT_S), **kw)
    except requests.RequestException as exc:
        raise Unavailable(f"{type(exc).__name__}: {str(exc)[:200]}") from None
    if resp.status_code == 429:
        raise RateLimited(reset_from_headers(resp.headers, now or utcnow()))
    if resp.status_code >= 500:
        raise Unavailable(f"HTTP {resp.status_code}")
    if resp.status_code >= 400:
        raise Refused(f"HTTP {resp.status_code}: {resp.text[:300]}")
    try:
        return resp.json()
    except ValueError:
        raise Unavailable("the platform's answer is not JSON") from None


# ---- polling state (connector_state) -----------------------------------------------------------


@dataclass
class PollState:
    name: str
    cursor: str | None = None
    quota_day: str | None = None
    quota_used: int = 0
    paused_until: str | None = None


def read_state(db: Database, name: str) -> PollState:
    with db.writer() as conn:
        row = conn.execute(select(connector_state).where(connector_state.c.name == name)).first()
        if row is None:
            conn.execute(connector_state.insert().values(name=name, quota_used=0, taken=0))
            return PollState(name)
        return PollState(name, row.cursor, row.quota_day, row.quota_used, row.paused_until)


def save_state(db: Database, state: PollState, **health: Any) -> None:
    values = {
        "cursor": state.cursor,
        "quota_day": state.quota_day,
        "quota_used": state.quota_used,
        "paused_until": state.paused_until,
    } | health
    with db.writer() as conn:
        conn.execute(update(connector_state).where(connector_state.c.name == state.name).values(**values))


def record_ok(db: Database, state: PollState, taken: int) -> None:
    now = iso(utcnow())
    with db.writer() as conn:
        old = conn.execute(select(connector_state.c.taken).where(connector_state.c.name == state.name)).scalar()
    save_state(db, state, last_contact_at=now, last_ok_at=now, taken=int(old or 0) + taken)


def record_error(db: Database, state: PollState, error: str) -> None:
    save_state(db, state, last_error=error[:1000], last_error_at=iso(utcnow()))


def connector_health(db: Database) -> list[dict[str, Any]]:
    with db.reader() as conn:
        rows = conn.execute(select(connector_state).order_by(connector_state.c.name)).mappings().all()
    return [dict(r) for r in rows]


__all__ = [
    "ConnectorError",
    "PollState",
    "Published",
    "Publisher",
    "QuotaExhausted",
    "RateLimited",
    "Refused",
    "Unavailable",
    "call",
    "connector_health",
    "read_state",
    "record_error",
    "record_ok",
    "reset_from_headers",
    "save_state",
]
