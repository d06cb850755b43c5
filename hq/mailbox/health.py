"""Each mailbox's health, kept at HQ: when the server last answered, when a whole run last ended
well, the last error and its time, and how many mails were taken and refused.

``mailbox_health(db)`` is what the board and ``GET /api/v1/mailbox/health`` read. The worker writes
through ``record_contact``, ``record_fetch`` and ``record_error``: short plain transactions (no feed
position), never inside the writer lock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.events import iso, utcnow
from hq.db import Database
from hq.errors import Forbidden
from hq.principals import HQ_ROLES, Principal
from hq.schema import mailbox_health as table

MAX_ERROR_CHARS = 1000


@dataclass(frozen=True)
class MailboxHealth:
    mailbox: str
    last_contact_at: str | None
    last_fetch_at: str | None
    last_error: str | None
    last_error_at: str | None
    taken: int
    refused: int

    @property
    def failing(self) -> bool:
        """The last thing that happened was an error (no good run since)."""
        return self.last_error_at is not None and (
            self.last_fetch_at is None or self.last_error_at > self.last_fetch_at
        )

    def to_wire(self) -> dict[str, Any]:
        return asdict(self) | {"failing": self.failing}


def mailbox_health(db: Database) -> list[MailboxHealth]:
    """Every mailbox HQ has read (or tried to), by name."""
    with db.reader() as conn:
        rows = conn.execute(select(table).order_by(table.c.mailbox)).all()
    return [
        MailboxHealth(
            r.mailbox, r.last_contact_at, r.last_fetch_at, r.last_error, r.last_error_at, int(r.taken), int(r.refused)
        )
        for r in rows
    ]


def read_health(db: Database, p: Principal) -> list[dict[str, Any]]:
    """``mailbox_health`` for a caller with an HQ role (the API's view of it)."""
    if p.role not in HQ_ROLES:
        raise Forbidden("the mailbox's health is for HQ roles")
    return [h.to_wire() for h in mailbox_health(db)]


def _update(db: Database, mailbox: str, values: dict[str, Any]) -> None:
    """Update the mailbox's row, making it first if need be (two workers may race to make it)."""
    for attempt in (1, 2):
        try:
            with db.transaction() as conn:
                if conn.execute(select(table.c.mailbox).where(table.c.mailbox == mailbox)).first() is None:
                    conn.execute(table.insert().values(mailbox=mailbox, taken=0, refused=0))
                conn.execute(update(table).where(table.c.mailbox == mailbox).values(**values))
            return
        except IntegrityError:
            if attempt == 2:
                raise


def record_contact(db: Database, mailbox: str) -> None:
    _update(db, mailbox, {"last_contact_at": iso(utcnow())})


def record_fetch(db: Database, mailbox: str, taken: int = 0, refused: int = 0) -> None:
    """A run ended without an error; ``taken`` and ``refused`` mails are added to the totals."""
    now = iso(utcnow())
    _update(db, mailbox, {"last_contact_at": now, "last_fetch_at": now, "taken": table.c.taken + taken,
                          "refused": table.c.refused + refused})  # fmt: skip


def record_error(db: Database, mailbox: str, error: str, taken: int = 0, refused: int = 0) -> None:
    """A run (or the connection) failed; mails it took before failing still count."""
    _update(db, mailbox, {"last_error": error[:MAX_ERROR_CHARS], "last_error_at": iso(utcnow()),
                          "taken": table.c.taken + taken, "refused": table.c.refused + refused})  # fmt: skip


__all__ = ["MailboxHealth", "mailbox_health", "read_health", "record_contact", "record_error", "record_fetch"]
