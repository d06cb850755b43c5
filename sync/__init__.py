"""Client sync with HQ: HTTP client, login session, sync engine (in parts), headless CLI.

No Qt here: the UI wraps the engine's callbacks in Qt signals. See docs/SYNC.md.

The names below are loaded when first used (PEP 562): ``from sync.errors import HQRefused`` then costs
only that small module, not the HTTP stack (requests, urllib3) and the scheduler the engine and the
session import. The console's first window (the sign-in dialog) is shown before any of them is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.client import HQClient
    from sync.engine import SyncEngine
    from sync.errors import HQRefused, HQUnreachable, InsecureURL, LoginRequired, ProtocolError, SyncError
    from sync.session import Session
    from sync.status import ConnectionState, ErrorCause, SyncStatus
    from sync.wire import UserInfo

_MODULE_OF = {
    "HQClient": "sync.client",
    "SyncEngine": "sync.engine",
    "HQRefused": "sync.errors",
    "HQUnreachable": "sync.errors",
    "InsecureURL": "sync.errors",
    "LoginRequired": "sync.errors",
    "ProtocolError": "sync.errors",
    "SyncError": "sync.errors",
    "Session": "sync.session",
    "ConnectionState": "sync.status",
    "ErrorCause": "sync.status",
    "SyncStatus": "sync.status",
    "UserInfo": "sync.wire",
}

__all__ = [
    "ConnectionState",
    "ErrorCause",
    "HQClient",
    "HQRefused",
    "HQUnreachable",
    "InsecureURL",
    "LoginRequired",
    "ProtocolError",
    "Session",
    "SyncEngine",
    "SyncError",
    "SyncStatus",
    "UserInfo",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'sync' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
