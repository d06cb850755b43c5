"""Policies and duty contacts as stored at HQ: read, set (admins only), and the delivery receipts a
gateway posts back. Every change is audited. The runner (``hq.escalation.runner``) reads these.

Policies are keyed by district code; ``*`` (``DEFAULT_KEY``) is the state-wide default and
``*complaint_breach`` (``COMPLAINT_BREACH_KEY``) the complaints' breach policy
(``hq.escalation.complaint_breach``). The breach policy inherits nothing from the state default:
without a stored one it is ``COMPLAINT_BREACH_POLICY``, and it may only wait, notify and repeat
(``core.escalation.breach_policy_refusal``)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select, update

from core.events import iso, utcnow
from core.ids import new_id
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, Invalid, NotFound
from hq.escalation.policy import (
    COMPLAINT_BREACH_KEY,
    COMPLAINT_BREACH_POLICY,
    DEFAULT_KEY,
    DEFAULT_POLICY,
    ContactRole,
    Policy,
    PolicyError,
    breach_policy_refusal,
)
from hq.principals import HQ_ROLES, Principal, Role
from hq.schema import districts, duty_contacts, escalation_deliveries, escalation_policies

RECEIPT_STATUS_CHARS = 40


@dataclass(frozen=True)
class StoredPolicy:
    district: str
    policy: Policy
    version: int
    inherited: bool  # none of its own: the state-wide default (the breach policy: the code's default)
    updated_at: str | None
    updated_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "policy": self.policy.to_json(),
            "version": self.version,
            "inherited": self.inherited,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }


def policy_for(conn: Connection, district: str | None) -> StoredPolicy:
    """The policy that governs ``district``: its own, else the stored default, else ``DEFAULT_POLICY``.
    ``COMPLAINT_BREACH_KEY``: the stored breach policy, else ``COMPLAINT_BREACH_POLICY``."""
    if district == COMPLAINT_BREACH_KEY:
        row = conn.execute(select(escalation_policies).where(escalation_policies.c.district == district)).first()
        if row is None:
            return StoredPolicy(district, COMPLAINT_BREACH_POLICY, 0, True, None, None)
        return StoredPolicy(district, Policy.loads(row.policy), row.version, False, row.updated_at, row.updated_by)
    keys = [k for k in (district, DEFAULT_KEY) if k]
    rows = {
        r.district: r for r in conn.execute(select(escalation_policies).where(escalation_policies.c.district.in_(keys)))
    }
    for key in keys:
        row = rows.get(key)
        if row is not None:
            return StoredPolicy(
                district or DEFAULT_KEY, Policy.loads(row.policy), row.version, key != district, row.updated_at,
                row.updated_by,
            )  # fmt: skip
    return StoredPolicy(district or DEFAULT_KEY, DEFAULT_POLICY, 0, district != DEFAULT_KEY, None, None)


def _require_hq(p: Principal, *, admin: bool) -> None:
    if admin and p.role is not Role.ADMIN:
        raise Forbidden("only an admin may change an escalation policy")
    if p.role not in HQ_ROLES:
        raise Forbidden("escalation policies are for HQ roles")


def _check_district(conn: Connection, district: str) -> None:
    if district in (DEFAULT_KEY, COMPLAINT_BREACH_KEY):
        return
    if conn.execute(select(districts.c.code).where(districts.c.code == district)).first() is None:
        raise NotFound(f"no district {district!r}")


def get_policy(db: Database, p: Principal | None, district: str) -> StoredPolicy:
    """``p`` None: the admin CLI (the OS account is the authority)."""
    if p is not None:
        _require_hq(p, admin=False)
    with db.reader() as conn:
        _check_district(conn, district)
        return policy_for(conn, district)


def set_policy(db: Database, p: Principal | None, district: str, data: Any, *, by: str | None = None) -> StoredPolicy:
    """Store ``district``'s policy (``*``: the state-wide default). Escalations already running keep
    the snapshot they started with; the new policy governs escalations that start from now on."""
    if p is not None:
        _require_hq(p, admin=True)
    try:
        policy = Policy.from_json(data)
    except PolicyError as exc:
        raise Invalid(f"policy: {exc}") from None
    refused = breach_policy_refusal(policy) if district == COMPLAINT_BREACH_KEY else None
    if refused is not None:
        raise Invalid(f"policy: {refused}")
    who = by or (p.username if p is not None else None) or "admin"
    now = iso(utcnow())
    with db.transaction() as conn:
        _check_district(conn, district)
        current = conn.execute(
            select(escalation_policies.c.version).where(escalation_policies.c.district == district)
        ).scalar_one_or_none()
        if current is None:
            conn.execute(
                escalation_policies.insert().values(
                    district=district, policy=policy.dumps(), version=1, updated_at=now, updated_by=who[:150]
                )
            )
        else:
            conn.execute(
                update(escalation_policies)
                .where(escalation_policies.c.district == district)
                .values(policy=policy.dumps(), version=current + 1, updated_at=now, updated_by=who[:150])
            )
        write_audit(
            conn, p, "escalation_policy_set", "ok", username=None if p else who[:100],
            detail={"district": district, "version": (current or 0) + 1},
        )  # fmt: skip
        return policy_for(conn, district)


def list_contacts(db: Database, district: str | None = None) -> list[dict[str, Any]]:
    with db.reader() as conn:
        q = select(duty_contacts).order_by(duty_contacts.c.district, duty_contacts.c.role, duty_contacts.c.name)
        if district is not None:
            q = q.where(duty_contacts.c.district == district)
        return [dict(r._mapping) for r in conn.execute(q)]


def read_contacts(db: Database, p: Principal, district: str) -> list[dict[str, Any]]:
    """``district``'s duty contacts (``*``: HQ's own duty officers) for a caller with an HQ role, as
    the HQ layout's policy editor shows them (read-only: the admin CLI keeps them). For the breach
    policy: HQ's duty officers (the other roles are the complaint's district's)."""
    _require_hq(p, admin=False)
    with db.reader() as conn:
        _check_district(conn, district)
    if district == COMPLAINT_BREACH_KEY:
        district = DEFAULT_KEY
    return [
        {k: c[k] for k in ("id", "district", "station", "role", "name", "phone", "email")}
        for c in list_contacts(db, district)
    ]


def add_contact(
    db: Database,
    district: str,
    role: str,
    name: str,
    *,
    phone: str | None = None,
    email: str | None = None,
    station: str | None = None,
    by: str = "admin",
) -> str:
    """A duty contact of ``district`` (``*`` for HQ's own duty officers); ``station`` for an SHO."""
    if role not in {str(r) for r in ContactRole}:
        raise Invalid(f"role must be one of {', '.join(str(r) for r in ContactRole)}")
    if not name.strip() or not (phone or email):
        raise Invalid("a contact needs a name and a phone number or an e-mail address")
    contact_id = new_id()
    with db.transaction() as conn:
        _check_district(conn, district)
        conn.execute(
            duty_contacts.insert().values(
                id=contact_id, district=district, station=station, role=role, name=name, phone=phone, email=email,
                created_at=iso(utcnow()),
            )
        )  # fmt: skip
        write_audit(
            conn, None, "duty_contact_add", "ok", username=by[:100], detail={"district": district, "role": role}
        )
    return contact_id


def remove_contact(db: Database, contact_id: str, *, by: str = "admin") -> None:
    with db.transaction() as conn:
        if conn.execute(delete(duty_contacts).where(duty_contacts.c.id == contact_id)).rowcount != 1:
            raise NotFound(f"no duty contact {contact_id!r}")
        write_audit(conn, None, "duty_contact_remove", "ok", username=by[:100], detail={"id": contact_id})


def contacts_for(conn: Connection, district: str | None, station: str | None, role: ContactRole) -> list[Any]:
    """The contacts a notify step reaches for ``role``: an SHO only of the case's station (every SHO of
    the district when the case has none); HQ's duty officers under ``*``; the others by district."""
    key = DEFAULT_KEY if role is ContactRole.HQ_DUTY else district
    if key is None:
        return []
    q = select(duty_contacts).where(duty_contacts.c.district == key, duty_contacts.c.role == str(role))
    if role is ContactRole.SHO and station is not None:
        q = q.where(duty_contacts.c.station == station)
    return list(conn.execute(q.order_by(duty_contacts.c.name, duty_contacts.c.id)))


def record_receipt(db: Database, token: str, expected: str | None, provider_id: str, status: str) -> None:
    """A gateway's delivery receipt for one message or call. ``expected`` is HQ's receipt token
    (``RAKSHAK_RECEIPT_TOKEN``); with none configured HQ takes no receipts."""
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise NotFound("no such receipt endpoint")
    with db.transaction() as conn:
        done = conn.execute(
            update(escalation_deliveries)
            .where(escalation_deliveries.c.provider_id == provider_id)
            .values(receipt_status=status[:RECEIPT_STATUS_CHARS], receipt_at=iso(utcnow()))
        ).rowcount
        if not done:
            raise NotFound("no message with that id")


__all__ = [
    "StoredPolicy",
    "add_contact",
    "contacts_for",
    "get_policy",
    "list_contacts",
    "policy_for",
    "record_receipt",
    "remove_contact",
    "set_policy",
]
