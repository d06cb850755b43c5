"""HQ's refusals, by kind. The service raises them and knows no HTTP; ``hq/api.py`` alone maps each
kind to a status code. Every refusal carries a machine ``code`` (the wire's ``code`` field, usually
the kind's own) and a ``detail`` a person can read.
"""

from __future__ import annotations


class HQError(Exception):
    """A refusal: ``code`` for machines, ``detail`` for people."""

    code: str = "error"

    def __init__(self, detail: str, *, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class Unauthenticated(HQError):
    """No credentials, or credentials HQ does not accept (an expired token says ``token_expired``)."""

    code = "unauthenticated"


class Forbidden(HQError):
    """The caller is known but may not do this, or not to this case."""

    code = "forbidden"


class NotFound(HQError):
    code = "not_found"


class Invalid(HQError):
    """The request is malformed or names something that does not exist (an unknown district)."""

    code = "invalid"


class Conflict(HQError):
    """The request contradicts what HQ holds (an assignment to where the case already is, a verdict
    on an event already decided)."""

    code = "conflict"


class TooLarge(HQError):
    code = "too_large"


class Locked(HQError):
    """The account is locked after repeated failed sign-ins."""

    code = "locked"


__all__ = ["Conflict", "Forbidden", "HQError", "Invalid", "Locked", "NotFound", "TooLarge", "Unauthenticated"]
