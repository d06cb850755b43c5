"""The tip line from a console: a question to a tipster, a tip's media file, and the queue's tip facts.

Both go to HQ on the network pool (``QueryOp(network=True)``): questions are relayed by HQ alone (a
console can never push a ``tip_question``), and a tip's media live only at HQ (the police copy,
metadata removed; the sealed original never leaves HQ). Neither is kept to send later: an officer
must see HQ take the question, and a file is wanted now or not at all.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from core.events import Event, EventType
from core.reports import tip_status
from sync.errors import HQRefused, HQUnreachable
from ui.operations.base import QueryOp, reading

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from ui.context import ApplicationContext

__all__ = ["ask_tipster", "fetch_tip_media", "tip_error_text", "tip_summaries"]


def ask_tipster(
    ctx: ApplicationContext,
    case_id: str,
    text: str,
    *,
    success: Callable[[Event], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Any] | None:
    """``POST /tips/{case_id}/questions`` through HQ; ``success`` gets the stored ``tip_question``
    event (the pull brings it into the replica too). None when this console is not signed in to HQ."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> Event:
        return session.call(lambda token: session.client.ask_tipster(token, case_id, text))

    return QueryOp(fn=fn, success=success, failure=failure, network=True)


def fetch_tip_media(
    ctx: ApplicationContext,
    media_id: str,
    suffix: str,
    *,
    success: Callable[[str], None],
    failure: Callable[[BaseException], None],
) -> QueryOp[Any] | None:
    """Fetch the police copy of one tip media file and write it to a private temporary file (mode
    0600, ``suffix`` such as ".jpg"); ``success`` gets its path and must delete it when done (the
    viewer does, on closing). Both the request and the write run on the network pool, never on the
    GUI thread. Not stamped: a dropped reply would leave its file behind. None when this console is
    not signed in to HQ."""
    session = ctx.session
    if session is None or not getattr(session, "logged_in", False):
        return None

    def fn() -> str:
        data = session.call(lambda token: session.client.tip_media(token, media_id))
        fd, path = tempfile.mkstemp(prefix="rakshak-tip-", suffix=suffix)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return path

    return QueryOp(fn=fn, success=success, failure=failure, network=True)


def tip_summaries(
    ctx: ApplicationContext,
    case_ids: list[str],
    *,
    success: Callable[[dict[str, dict[str, Any]]], None],
) -> QueryOp[Any]:
    """For the queue: the ``tip`` object of each case's ``created`` event (category, pseudonym,
    prior tips...), with ``officer`` set to the payload of its latest ``tip_officer_assigned`` (in
    fold order) when it has one and ``status`` to the tip's own status (``core.reports.tip_status``
    of the case's stored state, no second fold); entries HQ refused are left out of both, as the tip
    box leaves them out. By
    case id, read from the replica on the reader pool. Cases that are not tips are left out. The
    queue asks only for the tip rows of the page it shows (at most a page)."""

    def body(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for case_id in case_ids:
            tip: dict[str, Any] | None = None
            officer: tuple[Any, dict[str, Any]] | None = None
            for stored in uow.events.history(case_id):
                e = stored.event
                if str(getattr(stored.sync_state, "value", stored.sync_state)) == "rejected":
                    continue  # HQ refused it: not the tip's officer
                if e.type is EventType.CREATED and isinstance(e.payload.get("tip"), dict):
                    tip = dict(e.payload["tip"])
                elif e.type is EventType.TIP_OFFICER_ASSIGNED and (officer is None or e.sort_key > officer[0]):
                    officer = (e.sort_key, dict(e.payload))
            if tip is not None:
                # the status from the case's stored state (its projection folds without refused entries)
                state = uow.cases.state(case_id)
                status = {"status": str(tip_status(state))} if state is not None else {}
                out[case_id] = tip | ({"officer": officer[1]} if officer else {}) | status
        return out

    return QueryOp(fn=reading(ctx.store, body), success=success, pool="read")


def tip_error_text(exc: BaseException) -> str:
    """Why a tip call failed, in the operator's words: HQ out of reach, a refusal by HQ, or a fault on
    this PC. GUI thread only (translation)."""
    if isinstance(exc, HQUnreachable):
        return QCoreApplication.translate("TipErrors", "HQ cannot be reached now; try again in a moment.")
    if isinstance(exc, HQRefused):
        if exc.status == 409:
            return QCoreApplication.translate(
                "TipErrors",
                "the tipster can no longer be reached (their number was destroyed after the retention time).",
            )
        if exc.status == 403:
            return QCoreApplication.translate("TipErrors", "your role may not do this.")
        if exc.status == 404:
            return QCoreApplication.translate("TipErrors", "HQ does not show this tip to your account.")
        return QCoreApplication.translate("TipErrors", "HQ refused (%1).").replace("%1", str(exc.status))
    if isinstance(exc, OSError):
        text = QCoreApplication.translate("TipErrors", "this PC could not save the file (%1).")
        return text.replace("%1", exc.__class__.__name__)
    return exc.__class__.__name__
