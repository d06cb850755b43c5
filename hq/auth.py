"""Sign-in, token refresh, lockout, and turning a request's credentials into a ``Principal``."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.events import iso, parse_time, utcnow
from hq import security
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, Locked, Unauthenticated
from hq.principals import Principal, Role
from hq.schema import api_keys, device_users, devices, login_failures, refresh_tokens, users

INVALID_LOGIN = "wrong username or password"
# A disabled account or changed role takes effect within this many seconds on requests with a token
# already in use (sign-in and refresh always read the database).
AUTH_CACHE_S = 2.0
AUTH_CACHE_MAX = 20_000


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    user: dict[str, Any]

    def to_wire(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "user": self.user,
        }


class Authenticator:
    """Issues and checks credentials against one database. Thread-safe."""

    def __init__(self, db: Database, access_ttl_s: int = security.ACCESS_TTL_S):
        self.db = db
        self.access_ttl_s = access_ttl_s
        secret = db.get_meta("jwt_secret")
        if not secret:
            raise RuntimeError("database has no jwt_secret; run migrations first")
        self._secret = secret
        self._cache: dict[str, tuple[float, Principal]] = {}

    # -- login ----------------------------------------------------------------------------------

    def login(self, username: str, password: str, device_id: str, device_name: str, ip: str | None) -> Session:
        with self.db.reader() as conn:
            user = conn.execute(select(users).where(users.c.username == username)).first()
        ok = security.verify_password(user.password_hash if user else None, password)
        if user is not None and user.locked_at is not None:
            self._audit_login(username, device_id, ip, "locked", user.id)
            raise Locked("this account is locked after repeated failed sign-ins; ask an administrator")
        if not ok:
            locked = self._record_failure(username, user.id if user else None, device_id, ip)
            if locked:
                raise Locked("this account is now locked after repeated failed sign-ins; ask an administrator")
            raise Unauthenticated(INVALID_LOGIN)
        assert user is not None
        if not user.active:
            self._audit_login(username, device_id, ip, "disabled", user.id)
            raise Forbidden("this account is disabled")
        with self.db.transaction() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.username == username))
            self._register_device(conn, device_id, device_name, user.id)
            family = str(uuid.uuid4())
            refresh = self._issue_refresh(conn, user.id, device_id, family)
            write_audit(
                conn, None, "login", "ok", username=username, device_id=device_id, ip=ip, detail={"user_id": user.id}
            )
        return self._session(user, device_id, refresh)

    def _record_failure(self, username: str, user_id: str | None, device_id: str, ip: str | None) -> bool:
        now = utcnow()
        since = iso(now - timedelta(minutes=security.LOCKOUT_WINDOW_MIN))
        with self.db.transaction() as conn:
            conn.execute(login_failures.insert().values(username=username[:100], at=iso(now)))
            recent = conn.execute(
                select(func.count()).where(
                    and_(login_failures.c.username == username[:100], login_failures.c.at >= since)
                )
            ).scalar_one()
            locked = user_id is not None and recent >= security.LOCKOUT_FAILURES
            if locked:
                conn.execute(update(users).where(users.c.id == user_id).values(locked_at=iso(now)))
            write_audit(
                conn,
                None,
                "login",
                "locked" if locked else "failure",
                username=username[:100],
                device_id=device_id[:100],
                ip=ip,
                detail={"recent_failures": int(recent)},
            )
        return locked

    def _audit_login(self, username: str, device_id: str, ip: str | None, outcome: str, user_id: str) -> None:
        with self.db.transaction() as conn:
            write_audit(
                conn, None, "login", outcome, username=username, device_id=device_id, ip=ip, detail={"user_id": user_id}
            )

    @staticmethod
    def _register_device(conn: Any, device_id: str, device_name: str, user_id: str) -> None:
        """Register the device (first sign-in) and record that this user signed in on it: a console
        may later push this user's pending events on their behalf (``hq.push.push``)."""
        now = iso(utcnow())
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(
            insert(device_users)
            .values(device_id=device_id, user_id=user_id, first_at=now, last_at=now)
            .on_conflict_do_update(index_elements=["device_id", "user_id"], set_={"last_at": now})
        )
        found = conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first()
        if found is None:
            conn.execute(
                devices.insert().values(id=device_id, name=device_name, user_id=user_id, first_seen=now, last_seen=now)
            )
        else:
            conn.execute(
                update(devices)
                .where(devices.c.id == device_id)
                .values(name=device_name, user_id=user_id, last_seen=now)
            )

    @staticmethod
    def _issue_refresh(conn: Any, user_id: str, device_id: str, family: str) -> str:
        token = security.new_refresh_token()
        now = utcnow()
        conn.execute(
            refresh_tokens.insert().values(
                token_hash=security.sha256(token),
                family=family,
                user_id=user_id,
                device_id=device_id,
                issued_at=iso(now),
                expires_at=iso(now + timedelta(seconds=security.REFRESH_TTL_S)),
                rotated_at=None,
                revoked=False,
            )
        )
        return token

    def _session(self, user: Any, device_id: str, refresh: str) -> Session:
        return Session(
            access_token=security.make_access_token(self._secret, user.id, device_id, self.access_ttl_s),
            refresh_token=refresh,
            expires_in=self.access_ttl_s,
            user={
                "id": user.id,
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role,
                "district": user.district,
            },
        )

    # -- refresh --------------------------------------------------------------------------------

    def refresh(self, token: str, device_id: str, ip: str | None) -> Session:
        now = utcnow()
        with self.db.transaction() as conn:
            row = conn.execute(
                select(refresh_tokens).where(refresh_tokens.c.token_hash == security.sha256(token))
            ).first()
            problem: tuple[str, str] | None = None
            if row is None:
                problem = ("unknown", "the refresh token is not valid; sign in again")
            elif row.device_id != device_id:
                problem = ("wrong_device", "the refresh token belongs to another device; sign in again")
            elif row.revoked:
                problem = ("revoked", "the session was ended; sign in again")
            elif parse_time(row.expires_at) <= now:
                problem = ("expired", "the session has expired; sign in again")
            elif row.rotated_at is not None and now - parse_time(row.rotated_at) > timedelta(
                seconds=security.REFRESH_REUSE_GRACE_S
            ):
                conn.execute(update(refresh_tokens).where(refresh_tokens.c.family == row.family).values(revoked=True))
                problem = ("reused", "this refresh token was already used; the session is ended, sign in again")
            user = None
            if problem is None:
                assert row is not None
                user = conn.execute(select(users).where(users.c.id == row.user_id)).first()
                if user is None or not user.active:
                    problem = ("disabled", "this account is disabled")
            if problem is not None:
                write_audit(
                    conn,
                    None,
                    "refresh",
                    problem[0],
                    device_id=device_id[:100],
                    ip=ip,
                    detail={"user_id": row.user_id} if row is not None else None,
                )
            else:
                assert row is not None and user is not None
                conn.execute(
                    update(refresh_tokens)
                    .where(refresh_tokens.c.token_hash == row.token_hash)
                    .values(rotated_at=iso(now))
                )
                new_token = self._issue_refresh(conn, user.id, device_id, row.family)
                write_audit(conn, None, "refresh", "ok", username=user.username, device_id=device_id, ip=ip)
        if problem is not None:
            raise (Forbidden if problem[0] == "disabled" else Unauthenticated)(problem[1])
        assert user is not None
        return self._session(user, device_id, new_token)

    # -- per-request ----------------------------------------------------------------------------

    def cached_principal(self, token: str, ip: str | None) -> Principal | None:
        """The principal for a token verified less than ``AUTH_CACHE_S`` ago, without touching the
        database (event-loop safe). Held pulls re-issued by hundreds of consoles at once would
        otherwise each cost a database round trip just to re-read the same user row."""
        hit = self._cache.get(token)
        if hit is None or hit[0] <= time.time():
            return None
        return replace(hit[1], ip=ip)

    def principal_from_bearer(self, token: str, ip: str | None) -> Principal:
        try:
            claims = security.read_access_token(self._secret, token)
        except security.TokenError as exc:
            raise Unauthenticated(exc.detail, code=exc.code) from None
        with self.db.reader() as conn:
            user = conn.execute(select(users).where(users.c.id == claims.user_id)).first()
        if user is None or not user.active:
            raise Unauthenticated("this account is disabled or no longer exists")
        principal = Principal(
            actor=user.id,
            display_name=user.display_name,
            role=Role(user.role),
            district=user.district,
            username=user.username,
            device_id=claims.device_id,
            range=user.range,
        )
        if len(self._cache) > AUTH_CACHE_MAX:
            self._cache.clear()
        self._cache[token] = (min(time.time() + AUTH_CACHE_S, claims.expires_at), principal)
        return replace(principal, ip=ip)

    def principal_from_key(self, key: str, ip: str | None) -> Principal:
        with self.db.reader() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_hash == security.sha256(key))).first()
        if row is None or row.revoked_at is not None or row.scope != "intake":
            raise Unauthenticated("the integration key is not valid")
        return Principal(actor=f"key:{row.name}", display_name=f"Intake ({row.name})", role=None, ip=ip)
