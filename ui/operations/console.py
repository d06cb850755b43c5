"""The console's own operations: start-up, login, unlock, place names, sync now, the disk check.

Start-up pieces (``open_store``, ``restore_session``, ``make_engine``, ``hlc_last``) run before any
window exists; the rest return ops like the other named operations.
"""

from __future__ import annotations

import enum
import shutil
import socket
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.settings import Settings
from core.store import LocalStore, StoreKey
from sync.errors import HQRefused, HQUnreachable, InsecureURL, LoginRequired
from sync.status import ErrorCause
from ui.lock import (
    VERIFIER_META_KEY,
    check_verifier,
    identity_json,
    make_verifier,
    parse_identity,
    user_identity_key,
    user_verifier_key,
)
from ui.operations.base import QueryOp, reading, writing
from ui.places import PLACES_META_KEY, PlaceNames

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from sync import Session, SyncEngine
    from ui.context import ApplicationContext, SyncBridge

# ``sync.session`` and ``sync.engine`` (with requests, urllib3 and APScheduler: about a third of a
# second of imports) are imported by the functions that use them: the first start shows the sign-in
# dialog without them, and a sign-in or a restored session loads them when it runs.

__all__ = ["ErrorCause", "LoginFailure"]

Identity = dict[str, Any]
Verdict = tuple[str, Identity | None]  # "ok" | "wrong" | "unknown" | "other_district", who


# ---- start-up (before any window) ----------------------------------------------------------------
def open_store(data_dir: Path) -> LocalStore:
    """Key from the keyring, then the encrypted store. Raises KeyringUnavailable / StoreUnavailable.

    ``open_in`` refuses a store whose key has gone from the keyring (instead of making a new key that
    can never read it) and serialises first-run key creation with the headless sync CLI.
    """
    return LocalStore.open_in(data_dir)


def hlc_last(store: LocalStore) -> Any:
    """The last clock stamp this workstation issued (start-up, before the worker threads run)."""
    with store.reader() as uow:
        return uow.meta.hlc_last()


def restore_session(settings: Settings, device_id: str) -> Session | None:
    """The saved login for this workstation, or None (first run, expired, other HQ)."""
    hq_url = settings.hq_url
    if not hq_url:
        return None
    from sync import Session  # sync's HTTP stack loads with the first session, after the sign-in dialog

    try:
        return Session.restore(
            hq_url, device_id, ca_bundle=settings.ca_bundle or None, timeout_s=settings.http_timeout_s
        )
    except LoginRequired:
        return None


def make_engine(store: LocalStore, session: Session, clock: Any, settings: Settings, bridge: SyncBridge) -> SyncEngine:
    from sync import SyncEngine  # the engine and its scheduler load once a session exists

    return SyncEngine(
        store,
        session,
        clock,
        settings=settings,
        on_status=bridge.on_status,
        on_cases_changed=bridge.taskman.cases_changed.emit,
        on_login_required=bridge.on_login_required,
    )


def store_selfcheck(path: Path) -> bool:
    """An ephemeral-key store opens, migrates and answers a query (the self-check; key never stored)."""
    store = LocalStore.open(path, StoreKey.ephemeral())
    try:
        with store.reader() as uow:
            return bool(uow.cases.count() == 0)
    finally:
        store.close()


# ---- login ---------------------------------------------------------------------------------------
class LoginFailure(enum.Enum):
    INSECURE = "insecure"  # the HQ address is not https (text names why)
    LOCKED = "locked"
    WRONG = "wrong"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    INVALID = "invalid"  # a malformed address (text names why)
    OTHER = "other"


def login_failure(exc: BaseException) -> LoginFailure:
    """Sort a login's failure by cause, for the dialog's text."""
    if isinstance(exc, InsecureURL):
        return LoginFailure.INSECURE
    if isinstance(exc, HQRefused):
        status = getattr(exc, "status", None)
        if status == 423:
            return LoginFailure.LOCKED
        if status in (401, 403):
            return LoginFailure.WRONG
        return LoginFailure.REFUSED
    if isinstance(exc, HQUnreachable):
        return LoginFailure.UNREACHABLE
    if isinstance(exc, ValueError):
        return LoginFailure.INVALID
    return LoginFailure.OTHER


def login(
    url: str,
    username: str,
    password: str,
    device_id: str,
    *,
    ca_bundle: str | None,
    timeout_s: float,
    session: Session | None,
    success: Callable[[tuple[Any, Any]], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[tuple[Any, Any]]:
    """Log in at HQ (network pool). A re-login after expiry uses the engine's own ``session``, so the
    engine resumes with the new tokens. A new session uses ``timeout_s`` (the ``http_timeout_s`` setting)
    like the one restored at start-up."""

    def fn() -> tuple[Any, Any]:
        from sync import Session  # on the network pool, off the GUI thread

        current = session
        if current is None or current.hq_url != url:
            current = Session(url, device_id, ca_bundle=ca_bundle, timeout_s=timeout_s)
        user = current.login(url, username, password, device_id, socket.gethostname() or "workstation")
        return current, user

    return QueryOp(fn=fn, success=success, failure=failure, network=True)


# ---- lock screen: the verifier and unlocking -----------------------------------------------------
def save_verifier(store: LocalStore, username: str, password: str, identity: Identity) -> QueryOp[None]:
    """After a sign-in HQ accepted: the user's PBKDF2 verifier and identity, for an offline sign-in at
    the lock screen later (the DB worker; the derivation takes ~0.3 s on purpose)."""
    ident_text = identity_json(str(identity["id"]), username, str(identity.get("display_name") or username),
                               str(identity.get("role") or ""), identity.get("district"))

    def fn() -> None:
        verifier = make_verifier(username, password)

        def body(uow: UnitOfWork) -> None:
            uow.meta.set(VERIFIER_META_KEY, verifier)
            uow.meta.set(user_verifier_key(username), verifier)
            uow.meta.set(user_identity_key(username), ident_text)

        writing(store, body)()

    return QueryOp(fn=fn)


def verify_unlock(
    ctx: ApplicationContext,
    username: str,
    password: str,
    *,
    online: bool,
    success: Callable[[Verdict], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Verdict]:
    """Check who signs in at the lock screen; any operator of this console's district may.

    Online: HQ checks the password (a login). Another user is first checked with a login that is not
    kept (``HQClient.login``): only a user of this console's district is then signed in on the
    session, so a refused user never takes over the sync. Offline (or HQ unreachable): only a user
    who signed in on this console before, against that user's own verifier.
    """
    store, session, district, device_id, hq_url = ctx.store, ctx.session, ctx.district, ctx.device_id, ctx.hq_url
    current = ctx.user.identity()
    same_user = username.strip().lower() == str(ctx.username).strip().lower()

    def verify_local() -> Verdict:
        with store.reader() as uow:
            identity = parse_identity(uow.meta.get(user_identity_key(username)))
            verifier = uow.meta.get(user_verifier_key(username))
            if same_user and (identity is None or verifier is None):
                identity, verifier = current, uow.meta.get(VERIFIER_META_KEY)
        if identity is None or verifier is None:
            return "unknown", None
        if not check_verifier(verifier, str(identity["username"]), password):
            return "wrong", None
        if identity.get("district") != district:
            return "other_district", identity
        return "ok", identity

    def verify_hq() -> Verdict:
        assert session is not None
        try:
            if not same_user:
                user = session.client.login(username, password, device_id, "workstation").user
                identity = {"id": user.id, "username": user.username, "display_name": user.display_name,
                            "role": user.role, "district": user.district}
                if user.district != district:
                    return "other_district", identity
            user = session.login(hq_url, username, password, device_id, "workstation")
        except HQRefused:  # wrong password (401, Unauthenticated), locked account (423)
            return "wrong", None
        except HQUnreachable:
            return verify_local()
        return "ok", {"id": user.id, "username": user.username, "display_name": user.display_name,
                      "role": user.role, "district": user.district}

    if online and session is not None:
        return QueryOp(fn=verify_hq, success=success, failure=failure, network=True)
    return QueryOp(fn=verify_local, success=success, failure=failure, pool="read")


def link_online(ctx: ApplicationContext) -> bool:
    """Whether the sync engine's last status says HQ is reachable (its snapshot, no I/O)."""
    return ctx.engine is not None and str(getattr(ctx.engine.status, "state", "")) in ("online", "syncing")


# ---- place names ---------------------------------------------------------------------------------
def stored_place_names(
    ctx: ApplicationContext, *, success: Callable[[dict[str, str]], None]
) -> QueryOp[dict[str, str]]:
    def body(uow: UnitOfWork) -> dict[str, str]:
        return PlaceNames.from_json(uow.meta.get(PLACES_META_KEY))

    return QueryOp(fn=reading(ctx.store, body), success=success, pool="read")


def fetch_place_names(
    ctx: ApplicationContext, *, success: Callable[[dict[str, str]], None], failure: Callable[[BaseException], None]
) -> QueryOp[dict[str, str]] | None:
    """HQ's ``GET /districts`` on the network pool; None when not logged in (nothing to ask)."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> dict[str, str]:
        return PlaceNames.from_districts(session.call(session.client.districts))

    return QueryOp(fn=fn, success=success, failure=failure, network=True)


def save_place_names(ctx: ApplicationContext, text: str) -> QueryOp[None]:
    def body(uow: UnitOfWork) -> None:
        uow.meta.set(PLACES_META_KEY, text)

    return QueryOp(fn=writing(ctx.store, body))


# ---- sync and the disk ---------------------------------------------------------------------------
def sync_now(ctx: ApplicationContext) -> QueryOp[Any] | None:
    """One push/pull cycle now (network pool); None without a sync engine."""
    engine = ctx.engine
    if engine is None:
        return None
    return QueryOp(fn=engine.sync_now, network=True)


def set_audio_status(ctx: ApplicationContext, ok: bool, detail: str) -> None:
    """The audio verdict for HQ's heartbeat (kept by the engine, sent with the next heartbeat)."""
    if ctx.engine is not None:
        ctx.engine.set_audio_status(ok, detail)


def set_test_alarm(ctx: ApplicationContext, heard: bool, who: str, at: datetime) -> None:
    """A human's answer to the test alarm (heard or not, by ``who`` at ``at``), for HQ's heartbeat:
    kept by the engine and sent with every heartbeat until the next answer."""
    if ctx.engine is not None:
        from sync.wire import ConfirmedTestAlarm  # with the engine, which has imported it already

        ctx.engine.set_test_alarm(ConfirmedTestAlarm(heard=heard, at=at, by=who))


def free_disk_bytes(
    data_dir: Path, *, success: Callable[[int], None], failure: Callable[[BaseException], None]
) -> QueryOp[int]:
    """Free space in ``data_dir`` on the bulk reader (``shutil.disk_usage`` may block on a slow disk)."""
    return QueryOp(fn=lambda: shutil.disk_usage(data_dir).free, success=success, failure=failure,
                   stamp="disk-free", pool="bulk")
