"""Client sync with HQ: HTTP client, login session, sync engine (in parts), headless CLI.

No Qt here: the UI wraps the engine's callbacks in Qt signals. See docs/SYNC.md.
"""

from sync.client import HQClient
from sync.engine import SyncEngine
from sync.errors import HQRefused, HQUnreachable, InsecureURL, LoginRequired, ProtocolError, SyncError
from sync.session import Session
from sync.status import ConnectionState, ErrorCause, SyncStatus
from sync.wire import UserInfo

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
