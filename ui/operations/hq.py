"""HQ's own reads and writes at the HQ service: the board of every district, and the escalation
policies (read by HQ roles, stored by an admin).

Network pool only (``QueryOp(network=True)``): the board is HQ's live view of every district's
consoles, which no replica holds. Stamped, so a slow reply never paints over a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ui.operations.base import QueryOp

if TYPE_CHECKING:
    from core.escalation import Policy
    from sync.wire import Board, DutyContact, EscalationPolicy
    from ui.context import ApplicationContext

__all__ = ["fetch_board", "fetch_contacts", "fetch_policy", "save_policy"]


def fetch_board(
    ctx: ApplicationContext,
    range_name: str | None,
    *,
    success: Callable[[Board], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Any] | None:
    """HQ's ``GET /board`` (one police range, or all with ``range_name`` None) on the network pool;
    None when this console has no login to ask with."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> Board:
        return session.call(lambda token: session.client.board(token, range_name))

    return QueryOp(fn=fn, success=success, failure=failure, network=True, stamp="hq-board")


def fetch_policy(
    ctx: ApplicationContext,
    district: str,
    *,
    success: Callable[[EscalationPolicy], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Any] | None:
    """HQ's escalation policy for ``district`` (``core.escalation.DEFAULT_KEY``: the state-wide
    default), on the network pool; stamped, so choosing another district drops a late reply. None
    when this console has no login to ask with (policies live at HQ only)."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> EscalationPolicy:
        return session.call(lambda token: session.client.escalation_policy(token, district))

    return QueryOp(fn=fn, success=success, failure=failure, network=True, stamp="hq-policy")


def fetch_contacts(
    ctx: ApplicationContext,
    district: str,
    *,
    success: Callable[[list[DutyContact]], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Any] | None:
    """The duty contacts of ``district`` at HQ (read-only), on the network pool; stamped like the
    policy. None when not signed in to HQ."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> list[DutyContact]:
        return session.call(lambda token: session.client.duty_contacts(token, district))

    return QueryOp(fn=fn, success=success, failure=failure, network=True, stamp="hq-contacts")


def save_policy(
    ctx: ApplicationContext,
    district: str,
    policy: Policy,
    *,
    success: Callable[[EscalationPolicy], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Any] | None:
    """Store ``policy`` for ``district`` at HQ (``PUT``; admins only, HQ refuses anyone else), on the
    network pool. None when not signed in to HQ: a policy is never kept to send later, since an
    admin must see HQ accept it."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> EscalationPolicy:
        return session.call(lambda token: session.client.set_escalation_policy(token, district, policy))

    return QueryOp(fn=fn, success=success, failure=failure, network=True)
