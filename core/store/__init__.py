"""The client's local encrypted replica (SQLCipher): event log, case projection, outbox, drafts.

The contract with sync/ and ui/ is docs/STORE_API.md; the design is docs/STORE.md.
"""

from core.store.keys import KEYRING_SERVICE, StoreKey
from core.store.records import CaseRow, QueueFilter, StoredEvent
from core.store.repositories import CaseRepository, Drafts, EventRepository, Outbox, SyncMeta
from core.store.schema import SyncState
from core.store.service import record
from core.store.store import STORE_FILE_NAME, LocalStore, UnitOfWork

__all__ = [
    "KEYRING_SERVICE",
    "STORE_FILE_NAME",
    "CaseRepository",
    "CaseRow",
    "Drafts",
    "EventRepository",
    "LocalStore",
    "Outbox",
    "QueueFilter",
    "StoreKey",
    "StoredEvent",
    "SyncMeta",
    "SyncState",
    "UnitOfWork",
    "record",
]
