"""Shift change: whose events a console may push besides the signed-in operator's.

A console is shared; an operator may record work offline and go off shift before it is pushed.
An event by another author is judged by that author's rights when it was made on the caller's device
and the author has signed in there (``device_users``). ``earlier_operators`` looks the authors up in
one query, outside the writer lock; ``on_behalf_audit`` is the push audit's record of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select

from core.events import Event
from hq.audit import AUDIT_CASE_IDS_MAX
from hq.db import Database
from hq.principals import PERMISSIONS, Action, Principal, Role
from hq.review import HOLD_AUTHOR_DISABLED
from hq.schema import device_users, users


@dataclass(frozen=True)
class EarlierOperator:
    """An author of pushed events other than the caller: who they are (if HQ knows them) and either
    the ``Principal`` whose rights their events are judged by, or why their events are refused."""

    user_id: str
    username: str | None
    principal: Principal | None
    refusal: str = ""
    # Set when the refusal is policy about the author's account, not about the event: the events go
    # to the review queue with this cause (``author_disabled``) instead.
    hold_cause: str | None = None
    # Whose rights a held event is judged by besides the caller's (the disabled author's district).
    held_as: Principal | None = None


def earlier_operators(db: Database, p: Principal, author_ids: set[str]) -> dict[str, EarlierOperator]:
    """Which of these authors may have their events pushed from the caller's device: users who signed
    in on this device, are active and hold a role that writes events."""
    with db.reader() as conn:
        rows = conn.execute(
            select(
                users.c.id,
                users.c.username,
                users.c.display_name,
                users.c.role,
                users.c.district,
                users.c.active,
                device_users.c.user_id.label("signed_in"),
            )
            .select_from(
                users.outerjoin(
                    device_users, and_(device_users.c.user_id == users.c.id, device_users.c.device_id == p.device_id)
                )
            )
            .where(users.c.id.in_(sorted(author_ids)))
        ).all()
    out = {
        a: EarlierOperator(a, None, None, "the event's author is not the signed-in user and not a known HQ user")
        for a in author_ids
    }
    for r in rows:
        role = Role(r.role)
        refusal = ""
        hold: str | None = None
        as_author = Principal(
            actor=r.id,
            display_name=r.display_name,
            role=role,
            district=r.district,
            username=r.username,
            device_id=p.device_id,
        )
        if r.signed_in is None:
            refusal = f"the event's author ({r.username}) has never signed in on this device"
        elif role not in PERMISSIONS[Action.PUSH]:
            refusal = f"the event's author ({r.username}) is a {role}, and the {role} role may not push events"
        elif not r.active:
            refusal = f"the event's author ({r.username}) is disabled"
            hold = HOLD_AUTHOR_DISABLED
        principal = None if refusal else as_author
        out[r.id] = EarlierOperator(r.id, r.username, principal, refusal, hold, as_author if hold else None)
    return out


def on_behalf_audit(
    earlier: Mapping[str, EarlierOperator],
    stored: Mapping[str, list[str]],
    parsed: Sequence[tuple[int, Event]],
    rejected: set[str | None],
) -> list[dict[str, Any]]:
    """The push audit's record of events pushed for other operators of the device: per author, the
    ids stored for them in this push and how many of their events were refused (``rejected``: the
    ids of the push's rejected events)."""
    refused: dict[str, int] = defaultdict(int)
    for _, event in parsed:
        if event.author_id in earlier and event.id in rejected:
            refused[event.author_id] += 1
    return [
        {
            "user_id": who.user_id[:100],
            "username": who.username,
            "stored": len(stored.get(who.user_id, [])),
            "rejected": refused[who.user_id],
            "event_ids": sorted(stored.get(who.user_id, []))[:AUDIT_CASE_IDS_MAX],
        }
        for who in sorted(earlier.values(), key=lambda w: w.user_id)
    ]


__all__ = ["EarlierOperator", "earlier_operators", "on_behalf_audit"]
