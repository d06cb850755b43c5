"""The suspicious-accounts register at HQ: add, change, record actions and links, list, read, and
``flag_on_arrival`` for the complaint and claim intake.

An account is one row per normalised ``(platform, handle)`` (``core.accounts.normalise_handle``).
Every change leaves a history row and an audit row in the same transaction.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from core.accounts import AccountStatus, ActionKind, LinkKind, Reason, normalise_handle
from hq.audit import write_audit
from hq.claims.common import history, now, record_change, require_read, require_write
from hq.db import Database
from hq.errors import Conflict, Invalid, NotFound
from hq.principals import Principal
from hq.schema import account_actions, account_links, accounts

LIST_MAX = 5000
EDITABLE = ("url", "reasons", "status", "district", "note")


def _normalised(platform: str, handle: str) -> tuple[str, str]:
    try:
        return normalise_handle(platform, handle)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def _row(conn: Connection, account_id: str) -> Any:
    row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
    if row is None:
        raise NotFound(f"no account {account_id}")
    return row


def flag_on_arrival(db: Database, platform: str, handle: str, *, source: str | None = None) -> dict[str, Any] | None:
    """The register's entry for an account seen in a new complaint or claim, or None if it is not in
    the register. A hit is counted (``flagged``, ``last_flagged_at``) and audited with ``source``
    (the complaint or claim that brought it). A handle that cannot be an account gives None.
    Called by the intake, not by a user: no role check here; the caller checks its own.
    """
    try:
        platform, handle = normalise_handle(platform, handle)
    except ValueError:
        return None
    with db.transaction() as conn:
        row = conn.execute(select(accounts).where(accounts.c.platform == platform, accounts.c.handle == handle)).first()
        if row is None:
            return None
        at = now()
        conn.execute(
            update(accounts).where(accounts.c.id == row.id).values(flagged=accounts.c.flagged + 1, last_flagged_at=at)
        )
        write_audit(conn, None, "account_flagged", "ok", detail={"account_id": row.id, "source": source})
        return _entry(conn, row.id)


def add_account(db: Database, p: Principal, body: dict[str, Any]) -> dict[str, Any]:
    require_write(p)
    platform, handle = _normalised(body["platform"], body["handle"])
    reasons = sorted({Reason(r).value for r in body.get("reasons", [])})
    if not reasons:
        raise Invalid("reasons: give at least one reason")
    account_id = str(uuid.uuid4())
    at = now()
    try:
        with db.transaction() as conn:
            conn.execute(
                accounts.insert().values(
                    id=account_id,
                    platform=platform,
                    handle=handle,
                    url=body.get("url"),
                    reasons=json.dumps(reasons),
                    status=AccountStatus.WATCHING.value,
                    district=body.get("district"),
                    note=body.get("note", ""),
                    created_at=at,
                    created_by=p.actor,
                    updated_at=at,
                    flagged=0,
                    last_flagged_at=None,
                )
            )
            for link in body.get("links", []):
                _link(conn, p, account_id, link["kind"], link["ref"], at)
            record_change(
                conn,
                p,
                "account",
                account_id,
                "account_create",
                {"created": {"platform": platform, "handle": handle, "reasons": reasons}},
            )
    except IntegrityError:
        raise Conflict(f"{platform}/{handle} is already in the register") from None
    return read_account(db, p, account_id)


def _link(conn: Connection, p: Principal, account_id: str, kind: str, ref: str, at: str) -> bool:
    LinkKind(kind)
    exists = conn.execute(
        select(account_links.c.ref).where(
            account_links.c.account_id == account_id, account_links.c.kind == kind, account_links.c.ref == ref
        )
    ).first()
    if exists is not None:
        return False
    conn.execute(
        account_links.insert().values(account_id=account_id, kind=kind, ref=ref, added_by=p.actor, added_at=at)
    )
    return True


def update_account(db: Database, p: Principal, account_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change fields and add links (``links``: [{kind, ref}]); every change in the history."""
    require_write(p)
    links = changes.pop("links", [])
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(f"cannot change {', '.join(sorted(unknown))}")
    if "reasons" in changes:
        changes["reasons"] = sorted({Reason(r).value for r in changes["reasons"]})
        if not changes["reasons"]:
            raise Invalid("reasons: give at least one reason")
    if "status" in changes:
        changes["status"] = AccountStatus(changes["status"]).value
    with db.transaction() as conn:
        row = _row(conn, account_id)
        before = {k: json.loads(row.reasons) if k == "reasons" else getattr(row, k) for k in EDITABLE}
        diff: dict[str, Any] = {k: [before[k], v] for k, v in changes.items() if before[k] != v}
        at = now()
        added = [
            f"{link['kind']}:{link['ref']}"
            for link in links
            if _link(conn, p, account_id, link["kind"], link["ref"], at)
        ]
        if added:
            diff["links_added"] = added
        if not diff:
            return read_account(db, p, account_id)
        values: dict[str, Any] = {k: v[1] for k, v in diff.items() if k in EDITABLE}
        if "reasons" in values:
            values["reasons"] = json.dumps(values["reasons"])
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(updated_at=at, **values))
        record_change(conn, p, "account", account_id, "account_update", diff)
    return read_account(db, p, account_id)


def add_action(db: Database, p: Principal, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Record an action taken (reported, notice, FIR); a watched account becomes *actioned*."""
    require_write(p)
    kind = ActionKind(body["kind"]).value
    if kind == ActionKind.FIR and not body.get("reference", "").strip():
        raise Invalid("reference: an FIR needs its number")
    with db.transaction() as conn:
        row = _row(conn, account_id)
        at = now()
        conn.execute(
            account_actions.insert().values(
                account_id=account_id,
                kind=kind,
                reference=body.get("reference", ""),
                on_date=body["on_date"],
                note=body.get("note", ""),
                added_by=p.actor,
                added_at=at,
            )
        )
        values: dict[str, Any] = {"updated_at": at}
        change: dict[str, Any] = {
            "action": {"kind": kind, "reference": body.get("reference", ""), "on_date": body["on_date"]}
        }
        if row.status == AccountStatus.WATCHING:
            values["status"] = AccountStatus.ACTIONED.value
            change["status"] = [row.status, AccountStatus.ACTIONED.value]
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
        record_change(conn, p, "account", account_id, "account_action", change)
    return read_account(db, p, account_id)


def list_accounts(
    db: Database,
    p: Principal,
    *,
    reason: str | None = None,
    action: str | None = None,
    status: str | None = None,
    platform: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """The register, newest change first, filtered; each entry with its actions' kinds."""
    district = require_read(p)
    q = select(accounts).order_by(accounts.c.updated_at.desc(), accounts.c.id).limit(min(limit, LIST_MAX))
    if status is not None:
        q = q.where(accounts.c.status == status)
    if platform is not None:
        q = q.where(accounts.c.platform == platform)
    if district is not None:
        q = q.where(accounts.c.district == district)
    if reason is not None:
        q = q.where(accounts.c.reasons.contains(f'"{Reason(reason).value}"'))
    if action is not None:
        q = q.where(accounts.c.id.in_(select(account_actions.c.account_id).where(account_actions.c.kind == action)))
    with db.reader() as conn:
        rows = conn.execute(q).all()
        kinds: dict[str, set[str]] = {}
        ids = [r.id for r in rows]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for a in conn.execute(
                select(account_actions.c.account_id, account_actions.c.kind).where(
                    account_actions.c.account_id.in_(part)
                )
            ):
                kinds.setdefault(a.account_id, set()).add(a.kind)
    return [_summary(r) | {"actions": sorted(kinds.get(r.id, ()))} for r in rows]


def _summary(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "platform": r.platform,
        "handle": r.handle,
        "url": r.url,
        "reasons": json.loads(r.reasons),
        "status": r.status,
        "district": r.district,
        "note": r.note,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "flagged": int(r.flagged),
        "last_flagged_at": r.last_flagged_at,
    }


def _entry(conn: Connection, account_id: str) -> dict[str, Any]:
    row = _row(conn, account_id)
    actions = conn.execute(
        select(account_actions)
        .where(account_actions.c.account_id == account_id)
        .order_by(account_actions.c.on_date, account_actions.c.id)
    ).all()
    links = conn.execute(
        select(account_links).where(account_links.c.account_id == account_id).order_by(account_links.c.added_at)
    ).all()
    return _summary(row) | {
        "actions": [
            {"kind": a.kind, "reference": a.reference, "on_date": a.on_date, "note": a.note, "added_by": a.added_by}
            for a in actions
        ],
        "links": [{"kind": link.kind, "ref": link.ref, "added_at": link.added_at} for link in links],
        "history": history(conn, "account", account_id),
    }


def read_account(db: Database, p: Principal, account_id: str) -> dict[str, Any]:
    district = require_read(p)
    with db.reader() as conn:
        entry = _entry(conn, account_id)
    if district is not None and entry["district"] != district:
        raise NotFound("no such account in your district")
    return entry


def lookup(db: Database, p: Principal, platform: str, handle: str) -> dict[str, Any] | None:
    """The register's entry for a handle in any form, within the caller's scope, or None."""
    district = require_read(p)
    platform, handle = _normalised(platform, handle)
    with db.reader() as conn:
        row = conn.execute(
            select(accounts.c.id).where(accounts.c.platform == platform, accounts.c.handle == handle)
        ).first()
        if row is None:
            return None
        entry = _entry(conn, row.id)
    if district is not None and entry["district"] != district:
        return None
    return entry
