"""HQ's own reads from the HQ service: the board of every district.

Network pool only (``QueryOp(network=True)``): the board is HQ's live view of every district's
consoles, which no replica holds. Stamped, so a slow reply never paints over a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ui.operations.base import QueryOp

if TYPE_CHECKING:
    from sync.wire import Board
    from ui.context import ApplicationContext

__all__ = ["fetch_board"]


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
