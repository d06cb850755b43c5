"""The client's local encrypted replica (SQLCipher): event log, case projection, outbox, drafts.

Public API (sync/ and ui/ use only these names):

- ``Store.open(path, key)``, ``Store.open_in(data_dir)``, ``store.unit_of_work()``, ``store.reader()``
- ``UnitOfWork``: ``.events`` (EventRepository), ``.cases`` (CaseRepository), ``.meta``, ``.drafts``, ``.commit()``
- ``StoreKey`` (keyring), ``record`` (operator action), records ``CaseRow``, ``StoredEvent``, ``Draft``,
  ``ApplyResult``, ``PurgeResult``, ``SyncState``.
"""

from core.store.keys import KEYRING_SERVICE, StoreKey
from core.store.records import ApplyResult, CaseRow, Draft, PurgeResult, StoredEvent
from core.store.repositories import CaseRepository, DraftRepository, EventRepository, MetaRepository
from core.store.schema import SyncState
from core.store.service import record
from core.store.store import STORE_FILE_NAME, Store, UnitOfWork

__all__ = [
    "KEYRING_SERVICE",
    "STORE_FILE_NAME",
    "ApplyResult",
    "CaseRepository",
    "CaseRow",
    "Draft",
    "DraftRepository",
    "EventRepository",
    "MetaRepository",
    "PurgeResult",
    "Store",
    "StoreKey",
    "StoredEvent",
    "SyncState",
    "UnitOfWork",
    "record",
]
