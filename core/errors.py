"""Errors by cause (see ../shared/STYLE.md): what the user did, what the environment did, what is a bug."""


class RakshakError(Exception):
    """Base of every error this project raises on purpose."""


class InvalidEvent(RakshakError):
    """An event's shape or payload is wrong. The message names the field and the rule."""


class CommandRefused(RakshakError):
    """A valid event that the case's current state does not allow (dispatching a closed case)."""


class StoreUnavailable(RakshakError):
    """The environment failed the local store: disk full, I/O error, wrong key, locked file.

    The UI shows these with a way forward, not as a bug report.
    """


class KeyringUnavailable(StoreUnavailable):
    """No OS keyring backend is available to hold the database key. Never fall back to plaintext."""
