"""Errors by cause: what the user did, what the environment did, what is a bug."""

from __future__ import annotations

from enum import StrEnum


class RakshakError(Exception):
    """Base of every error this project raises on purpose."""


class InvalidEvent(RakshakError):
    """An event's shape or payload is wrong. The message names the field and the rule."""


class CommandRefused(RakshakError):
    """A valid event that the case's current state does not allow (dispatching a closed case)."""


class StoreCause(StrEnum):
    """Why the local store failed, for the UI to say it in the operator's words and point the way.

    Taken from SQLite's result code (``engine.cause_of``), never from the English message text.
    """

    DISK_FULL = "disk_full"  # SQLITE_FULL: no space left in the data folder
    IO_ERROR = "io_error"  # SQLITE_IOERR_*: the disk failed a read, write or sync (a full disk can show as this)
    LOCKED = "locked"  # SQLITE_BUSY/LOCKED past the busy timeout, or another Rakshak holds the data folder
    KEY = "key"  # wrong key, or not a Rakshak database (SQLITE_NOTADB)
    KEYRING = "keyring"  # no OS keyring to hold the key
    CORRUPT = "corrupt"  # SQLITE_CORRUPT: the file is damaged
    ACCESS = "access"  # the file or folder cannot be opened or written (permissions, read-only)
    VERSION = "version"  # written by a newer Rakshak, or this machine cannot run it durably
    OTHER = "other"


class StoreUnavailable(RakshakError):
    """The environment failed the local store: disk full, I/O error, wrong key, locked file.

    ``cause`` says which (``StoreCause``); the message is English detail for the IT desk. The UI
    shows these with a way forward, not as a bug report. Raised by a write, it means nothing of that
    unit of work was stored (for a commit whose result is not known, see ``OutcomeUnknown``).
    """

    def __init__(self, message: str, cause: StoreCause = StoreCause.OTHER) -> None:
        super().__init__(message)
        self.cause = StoreCause(cause)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.cause))


class OutcomeUnknown(StoreUnavailable):
    """The disk failed during COMMIT: the transaction may or may not be stored.

    SQLite can write a transaction's last WAL frame and then fail (for example growing the ``-shm``
    index when the disk is full): the commit reports an I/O error, yet a later open recovers the
    transaction from the WAL. The caller must not tell the operator "not saved"; it asks
    ``LocalStore.commit_outcome(event_id)``, which settles the question or says it cannot.
    ``event_id`` is the id of the operator's event in that transaction, when the caller knows it.
    """

    def __init__(self, message: str, cause: StoreCause = StoreCause.IO_ERROR, event_id: str | None = None) -> None:
        super().__init__(message, cause)
        self.event_id = event_id

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.cause, self.event_id))


class KeyringUnavailable(StoreUnavailable):
    """No OS keyring backend is available to hold the database key. Never fall back to plaintext."""

    def __init__(self, message: str, cause: StoreCause = StoreCause.KEYRING) -> None:
        super().__init__(message, cause)
