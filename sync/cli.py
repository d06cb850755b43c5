"""Headless sync commands: ``python main.py --data-dir D sync --once | --status``.

``--once`` runs one push/pull cycle against the HQ named in ``settings.json`` with the login saved in
the OS keyring, prints the resulting status as JSON and exits 0 only if everything went through.
``--status`` prints what the local store says (no network): pending and quarantined events with
HQ's reasons, cursor, epoch, last sync, clock skew.

Exit codes: 0 synced; 2 not configured (no hq_url, bad address); 3 login required; 4 HQ unreachable;
5 HQ answered with an error or the reply was unusable; 6 the local store or keyring failed.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from core.errors import StoreUnavailable
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore
from sync.engine import SyncEngine
from sync.errors import InsecureURL, LoginRequired
from sync.session import Session
from sync.status import ConnectionState, SyncStatus, notes, reportable_skew, stored_skew

EXIT_OK = 0
EXIT_NOT_CONFIGURED = 2
EXIT_LOGIN_REQUIRED = 3
EXIT_UNREACHABLE = 4
EXIT_ERROR = 5
EXIT_STORE = 6


def open_store(data_dir: Path) -> LocalStore:
    """The workstation's encrypted store, key from the OS keyring (made on first use), opened as the
    desktop client opens it: ``open_in`` refuses an existing file whose key is not in the keyring."""
    return LocalStore.open_in(data_dir)


def store_status(store: LocalStore) -> SyncStatus:
    """The sync state recorded in the store, without asking HQ."""
    with store.reader() as uow:
        pending, rejected = uow.outbox.counts()
        return SyncStatus(
            state=ConnectionState.OFFLINE,
            pending=pending,
            rejected=rejected,
            rejected_reasons=notes(uow.outbox.rejected()),
            held=uow.outbox.held_count(),
            held_notes=notes(uow.outbox.held()),
            last_sync_at=uow.meta.last_sync_at,
            clock_skew_s=reportable_skew(stored_skew(uow.meta)),
            cursor=uow.meta.cursor,
            epoch=uow.meta.epoch,
        )


def _print(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _fail(code: int, reason: str, **extra: Any) -> int:
    _print({"ok": False, "exit_code": code, "reason": reason, **extra})
    sys.stderr.write(f"sync: {reason}\n")
    return code


def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    data_dir = Path(args.data_dir)
    settings = Settings.load(data_dir)
    try:
        store = open_store(data_dir)
    except StoreUnavailable as exc:
        return _fail(EXIT_STORE, f"cannot open the local store: {exc}")
    try:
        if args.status:
            status = store_status(store)
            out = status.to_json()
            out.pop("state")
            out.pop("last_error")
            out["device_id"] = store.device_id
            out["hq_url"] = settings.hq_url or None
            _print(out)
            return EXIT_OK
        return _once(store, settings)
    finally:
        store.close()


def _once(store: LocalStore, settings: Settings) -> int:
    hq_url = settings.hq_url
    if not hq_url:
        return _fail(EXIT_NOT_CONFIGURED, "no HQ address: set hq_url in settings.json")
    device_id = store.device_id
    if not device_id:
        return _fail(EXIT_STORE, "the local store has no device id")
    try:
        session = Session.restore(
            hq_url, device_id, ca_bundle=settings.ca_bundle or None, timeout_s=settings.http_timeout_s
        )
    except InsecureURL as exc:
        return _fail(EXIT_NOT_CONFIGURED, str(exc))
    except LoginRequired as exc:
        return _fail(EXIT_LOGIN_REQUIRED, f"login required: {exc}")
    except StoreUnavailable as exc:  # KeyringUnavailable
        return _fail(EXIT_STORE, str(exc))
    try:
        with store.reader() as uow:
            last = uow.meta.hlc_last()
        clock = HybridClock(device_id, last=last)
        engine = SyncEngine(store, session, clock, settings=settings)
        status = engine.run_once()
    finally:
        session.close()
    out: dict[str, Any] = {"ok": False, **status.to_json()}
    if status.state is ConnectionState.LOGIN_REQUIRED:
        code = EXIT_LOGIN_REQUIRED
    elif status.state is ConnectionState.OFFLINE:
        code = EXIT_UNREACHABLE
    elif status.last_error:
        code = EXIT_ERROR
    else:
        code = EXIT_OK
    out["ok"] = code == EXIT_OK
    out["exit_code"] = code
    _print(out)
    if code != EXIT_OK:
        sys.stderr.write(f"sync: {status.state}: {status.last_error or 'not synced'}\n")
    return code
