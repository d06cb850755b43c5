"""Account and reference-data administration (used by ``python -m hq admin`` and by the demo).

Each function opens its own transaction and writes an audit row naming the operator's OS account.
"""

from __future__ import annotations

import getpass
import json
import shutil
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from core.events import iso, utcnow
from hq import security
from hq.audit import write_audit
from hq.db import Database
from hq.errors import HQError
from hq.feed import regroup_district
from hq.principals import PERMISSIONS, Action, Principal, Role
from hq.review import REVIEW_LIST_MAX, decide_review, list_review
from hq.schema import api_keys, devices, districts, login_failures, stations, users

MIN_PASSWORD_CHARS = 10


class AdminError(Exception):
    pass


def _audit(db: Database, action: str, detail: dict[str, Any]) -> None:
    with db.transaction() as conn:
        try:
            who = getpass.getuser()
        except Exception:
            who = "unknown"
        write_audit(conn, None, action, "ok", username=f"os:{who}"[:100], detail=detail)


def create_district(
    db: Database, code: str, name: str, duty_phones: list[str] | None = None, *, range_: str | None = None
) -> None:
    if code.startswith("*"):  # ``*`` and ``*complaint_breach`` key HQ's own escalation policies
        raise AdminError(f"a district code cannot start with '*': {code!r}")
    with db.transaction() as conn:
        if conn.execute(select(districts.c.code).where(districts.c.code == code)).first():
            raise AdminError(f"district {code!r} already exists")
        conn.execute(
            districts.insert().values(
                code=code,
                name=name,
                duty_phones=json.dumps(duty_phones or [], ensure_ascii=False),
                created_at=iso(utcnow()),
                range=range_,
            )
        )
    _audit(db, "admin_create_district", {"code": code})


def create_station(db: Database, district: str, code: str, name: str) -> None:
    with db.transaction() as conn:
        if not conn.execute(select(districts.c.code).where(districts.c.code == district)).first():
            raise AdminError(f"no district {district!r}")
        if conn.execute(
            select(stations.c.code).where(stations.c.district_code == district, stations.c.code == code)
        ).first():
            raise AdminError(f"station {code!r} already exists in {district!r}")
        conn.execute(stations.insert().values(district_code=district, code=code, name=name))
    _audit(db, "admin_create_station", {"district": district, "code": code})


def create_user(
    db: Database,
    username: str,
    password: str,
    role: str,
    display_name: str,
    district: str | None = None,
    *,
    password_hash: str | None = None,
    range_: str | None = None,
) -> str:
    """Create an account; returns its id. District operators and SP offices need a district, a range
    DIG a range (of a known district); other roles have neither."""
    try:
        role_ = Role(role)
    except ValueError:
        raise AdminError(f"role must be one of {', '.join(r.value for r in Role)}") from None
    with_district = (Role.DISTRICT_OPERATOR, Role.SP_OFFICE)
    if role_ in with_district and not district:
        raise AdminError(f"a {role_.value} account needs --district")
    if role_ not in with_district and district:
        raise AdminError("only district operators and SP offices belong to a district")
    if role_ is Role.RANGE_DIG and not range_:
        raise AdminError("a range_dig account needs --range")
    if role_ is not Role.RANGE_DIG and range_:
        raise AdminError("only a range_dig account belongs to a range")
    if password_hash is None and len(password) < MIN_PASSWORD_CHARS:
        raise AdminError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
    hashed = password_hash or security.hash_password(password)
    user_id = str(uuid.uuid4())
    with db.transaction() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise AdminError(f"user {username!r} already exists")
        if district and not conn.execute(select(districts.c.code).where(districts.c.code == district)).first():
            raise AdminError(f"no district {district!r}")
        if range_ and not conn.execute(select(districts.c.code).where(districts.c.range == range_)).first():
            raise AdminError(f"no district belongs to the range {range_!r}")
        conn.execute(
            users.insert().values(
                id=user_id,
                username=username,
                display_name=display_name,
                role=role_.value,
                district=district,
                range=range_,
                password_hash=hashed,
                active=True,
                locked_at=None,
                created_at=iso(utcnow()),
            )
        )
    _audit(db, "admin_create_user", {"username": username, "role": role_.value, "district": district, "range": range_})
    return user_id


def set_district_range(db: Database, district: str, range_: str | None) -> int:
    """Move a district to another range (None: none). Its tips leave the old range's DIG (a revoke
    each) and reach the new one's with their history, in the same transaction (``hq.feed``).
    Returns how many tips moved."""
    with db.writer() as conn:
        if not conn.execute(select(districts.c.code).where(districts.c.code == district)).first():
            raise AdminError(f"no district {district!r}")
        moved = regroup_district(db, conn, district, range_)
    _audit(db, "admin_set_district_range", {"district": district, "range": range_, "tips_moved": moved})
    return moved


def set_password(db: Database, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AdminError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
    with db.transaction() as conn:
        done = conn.execute(
            update(users).where(users.c.username == username).values(password_hash=security.hash_password(password))
        )
        if done.rowcount != 1:
            raise AdminError(f"no user {username!r}")
    _audit(db, "admin_set_password", {"username": username})


def unlock_user(db: Database, username: str) -> None:
    with db.transaction() as conn:
        done = conn.execute(update(users).where(users.c.username == username).values(locked_at=None))
        if done.rowcount != 1:
            raise AdminError(f"no user {username!r}")
        conn.execute(login_failures.delete().where(login_failures.c.username == username))
    _audit(db, "admin_unlock_user", {"username": username})


def set_active(db: Database, username: str, active: bool) -> None:
    with db.transaction() as conn:
        done = conn.execute(update(users).where(users.c.username == username).values(active=active))
        if done.rowcount != 1:
            raise AdminError(f"no user {username!r}")
    _audit(db, "admin_enable_user" if active else "admin_disable_user", {"username": username})


def create_key(db: Database, name: str) -> str:
    """Create an intake-only integration key. The key is returned once and stored only as a hash."""
    key = security.new_api_key()
    with db.transaction() as conn:
        if conn.execute(select(api_keys.c.id).where(api_keys.c.name == name)).first():
            raise AdminError(f"key {name!r} already exists")
        conn.execute(
            api_keys.insert().values(
                id=str(uuid.uuid4()),
                name=name,
                key_hash=security.sha256(key),
                scope="intake",
                created_at=iso(utcnow()),
                revoked_at=None,
            )
        )
    _audit(db, "admin_create_key", {"name": name})
    return key


def revoke_key(db: Database, name: str) -> None:
    with db.transaction() as conn:
        done = conn.execute(update(api_keys).where(api_keys.c.name == name).values(revoked_at=iso(utcnow())))
        if done.rowcount != 1:
            raise AdminError(f"no key {name!r}")
    _audit(db, "admin_revoke_key", {"name": name})


def list_districts(db: Database) -> list[dict[str, Any]]:
    with db.reader() as conn:
        out = []
        for d in conn.execute(select(districts).order_by(districts.c.code)):
            st = conn.execute(select(stations.c.code, stations.c.name).where(stations.c.district_code == d.code)).all()
            out.append(
                {
                    "code": d.code,
                    "name": d.name,
                    "duty_phones": json.loads(d.duty_phones),
                    "range": d.range,
                    "stations": [{"code": s.code, "name": s.name} for s in st],
                }
            )
        return out


def list_users(db: Database) -> list[dict[str, Any]]:
    with db.reader() as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    return [
        {
            "id": r.id,
            "username": r.username,
            "display_name": r.display_name,
            "role": r.role,
            "district": r.district,
            "range": r.range,
            "active": r.active,
            "locked": r.locked_at is not None,
        }
        for r in rows
    ]


def list_keys(db: Database) -> list[dict[str, Any]]:
    with db.reader() as conn:
        rows = conn.execute(select(api_keys).order_by(api_keys.c.name)).all()
    return [
        {"name": r.name, "scope": r.scope, "created_at": r.created_at, "revoked": r.revoked_at is not None}
        for r in rows
    ]


def list_devices(db: Database) -> list[dict[str, Any]]:
    with db.reader() as conn:
        rows = conn.execute(select(devices).order_by(devices.c.id)).all()
    return [{"id": r.id, "name": r.name, "user_id": r.user_id, "last_seen": r.last_seen} for r in rows]


def backup_sqlite(db: Database, target: Path) -> None:
    """Consistent online copy of an embedded SQLite database (SQLite's backup API)."""
    if db.is_postgres:
        raise AdminError("use pg_dump for PostgreSQL (docs/DEPLOY.md)")
    source_path = db.engine.url.database
    assert source_path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    src = sqlite3.connect(source_path)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    shutil.move(tmp, target)


def restore_sqlite(backup: Path, db_path: Path) -> str:
    """Replace an embedded database with a backup and give it a new epoch (HQ must be stopped)."""
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, db_path)
    restored = Database(f"sqlite:///{db_path}")
    try:
        return restored.rotate_epoch()
    finally:
        restored.dispose()


def _reviewer(db: Database, username: str) -> Principal:
    """The supervisor (or admin) on whose account a review verdict given at the command line is
    recorded; the audit row also names the OS account that ran the command."""
    with db.reader() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise AdminError(f"no user {username!r}")
    if not row.active:
        raise AdminError(f"user {username!r} is disabled")
    role = Role(row.role)
    if role not in PERMISSIONS[Action.REVIEW]:
        raise AdminError(f"user {username!r} is a {role}; only a supervisor or an admin decides reviews")
    try:
        who = getpass.getuser()
    except Exception:
        who = "unknown"
    return Principal(actor=row.id, display_name=row.display_name, role=role, username=row.username,
                     device_id=f"os:{who}"[:100])


def review_list(db: Database, username: str, status: str | None = "held") -> list[dict[str, Any]]:
    """``hq admin review list``: events held for review (or all, or decided ones)."""
    try:
        return list_review(db, _reviewer(db, username), status=status, limit=REVIEW_LIST_MAX)
    except HQError as exc:
        raise AdminError(exc.detail) from None


def review_decide(db: Database, username: str, event_id: str, *, accept: bool, reason: str) -> dict[str, Any]:
    """``hq admin review accept|reject``: a verdict with its reason, recorded on ``username``'s account."""
    try:
        return decide_review(db, _reviewer(db, username), event_id, accept=accept, reason=reason)
    except HQError as exc:
        raise AdminError(exc.detail) from None


def repair_refused(db: Database) -> list[dict[str, Any]]:
    """``hq admin repair-refused``: what consoles handed back after a restore that HQ could not
    reinstate (newest first), each a case that needs a decision (docs/DEPLOY.md)."""
    from hq import repair

    return repair.refused_list(db)


def escalation(db: Database, args: Any) -> Any:
    """``hq admin escalation ...``: show or set a policy, list, add or remove duty contacts."""
    from hq.escalation import store

    by = _os_user()
    try:
        if args.escalation_command == "show":
            return store.get_policy(db, None, args.district).to_json()
        if args.escalation_command == "set":
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
            try:
                data = json.loads(text)
            except ValueError as exc:
                raise AdminError(f"the policy is not JSON: {exc}") from None
            return store.set_policy(db, None, args.district, data, by=by).to_json()
        if args.escalation_command == "list":
            return escalations_under_way(db, everything=args.all)
        if args.contacts_command == "list":
            return store.list_contacts(db, args.district)
        if args.contacts_command == "add":
            contact_id = store.add_contact(
                db, args.district, args.role, args.name, phone=args.phone, email=args.email, station=args.station,
                by=by,
            )  # fmt: skip
            return {"id": contact_id}
        store.remove_contact(db, args.id, by=by)
        return None
    except HQError as exc:
        raise AdminError(exc.detail) from None
    except OSError as exc:
        raise AdminError(str(exc)) from None


def _os_user() -> str:
    try:
        return f"os:{getpass.getuser()}"[:100]
    except Exception:
        return "os:unknown"


def escalations_under_way(db: Database, *, everything: bool = False) -> list[dict[str, Any]]:
    """``hq admin escalation list``: each escalation's case, district, trigger, status and progress."""
    from hq.escalation.policy import Policy
    from hq.escalation.runner import running_escalations

    out = []
    for row in running_escalations(db):
        if not everything and row["status"] != "running":
            continue
        steps = len(Policy.loads(row["snapshot"]).plan())
        out.append(
            {
                "case_id": row["case_id"],
                "district": row["district"],
                "trigger": row["trigger"],
                "status": row["status"],
                "steps_taken": f"{row['next_step']}/{steps}",
                "next_due_at": row["next_due_at"],
                "started_at": row["started_at"],
                "stop_reason": row["stop_reason"],
                "policy_version": row["policy_version"],
            }
        )
    return out
