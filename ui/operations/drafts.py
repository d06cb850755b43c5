"""A form's draft: load it when the form opens, save it as the operator types (the DB worker, in order
with the writes, so a save queued before a submit lands first). A submit discards the draft in the
event's own transaction (``record.record_event(..., discard_draft=form_id)``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ui.operations.base import QueryOp, reading, writing

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from ui.context import ApplicationContext


def load_draft(
    ctx: ApplicationContext, case_id: str, form_id: str, *, success: Callable[[dict[str, Any] | None], None]
) -> QueryOp[dict[str, Any] | None]:
    def body(uow: UnitOfWork) -> dict[str, Any] | None:
        return uow.drafts.load(case_id, form_id)

    return QueryOp(fn=reading(ctx.store, body), success=success)


def save_draft(
    ctx: ApplicationContext, case_id: str, form_id: str, values: dict[str, Any], *, success: Callable[[None], None]
) -> QueryOp[None]:
    def body(uow: UnitOfWork) -> None:
        uow.drafts.save(case_id, form_id, values)

    return QueryOp(fn=writing(ctx.store, body), success=success)
