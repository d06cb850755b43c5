"""Replies on their way to HQ: written to the replica first, sent on the network pool, kept (and
shown as "not yet sent") while HQ cannot be reached, sent again when it can.

``ReplySender`` owns the console's list of pending replies (``ui.operations.complaints``). A reply
HQ refuses (a role that may not reply, a complaint HQ does not know) is kept with HQ's reason and
not retried; the operator discards it. Nothing typed is dropped by a failure.

Threading: GUI thread only; the work runs through operations.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, QTimer, Signal

from ui.context import ApplicationContext
from ui.operations.base import alive
from ui.operations.complaints import (
    HQComplaints,
    Json,
    PendingReply,
    drop_pending,
    hq_cause,
    keep_pending,
    load_pending,
    net_op,
    new_pending,
    refusal_reason,
)

RETRY_MS = 15_000


class ReplySender(QObject):
    changed = Signal()  # the pending list changed
    sent = Signal(str, object)  # case id, HQ's row of the reply

    def __init__(self, ctx: ApplicationContext, source: HQComplaints | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._source = source
        self.pending: list[PendingReply] = []
        self.refused: dict[str, str] = {}  # local id -> HQ's reason: kept, not retried
        self._in_flight: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.retry_all)
        self.timer.start()

    def load(self) -> None:
        """Read the replies a previous run left unsent, and send them. Any of them may have reached HQ
        before the console stopped, so each is looked for at HQ before it is sent again."""
        load_pending(self._ctx, success=self._loaded).run(self._ctx.taskman)

    def _loaded(self, pending: list[PendingReply]) -> None:
        known = {p.local_id for p in self.pending}
        self.pending += [dataclasses.replace(p, tried=True) for p in pending if p.local_id not in known]
        self.changed.emit()
        self.retry_all()

    def for_case(self, case_id: str) -> list[PendingReply]:
        return [p for p in self.pending if p.case_id == case_id]

    def cases(self) -> set[str]:
        return {p.case_id for p in self.pending}

    def send(self, case_id: str, text: str, needs_approval: bool) -> PendingReply:
        """Keep the reply on this PC, then send it."""
        reply = new_pending(case_id, text, needs_approval)
        self.pending.append(reply)
        self.changed.emit()
        keep_pending(self._ctx, reply, success=lambda _none: self._attempt(reply)).run(self._ctx.taskman)
        return reply

    def retry_all(self) -> None:
        for reply in list(self.pending):
            if reply.local_id not in self.refused:
                self._attempt(reply)

    def discard(self, local_id: str) -> None:
        """The operator drops a reply HQ refused (never one still being sent)."""
        reply = next((p for p in self.pending if p.local_id == local_id), None)
        if reply is None or local_id in self._in_flight:
            return
        drop_pending(self._ctx, reply, success=lambda _none: self._forget(reply)).run(self._ctx.taskman)

    def _attempt(self, reply: PendingReply) -> None:
        source = self._source
        if source is None or reply.local_id in self._in_flight or not any(p is reply for p in self.pending):
            return
        self._in_flight.add(reply.local_id)
        author_id = self._ctx.author.user_id
        op = net_op(
            lambda: source.send(reply, author_id),
            success=lambda row: self._sent(reply, row),
            failure=lambda exc: self._failed(reply, exc),
        )
        op.run(self._ctx.taskman)

    def _sent(self, reply: PendingReply, row: Json) -> None:
        self._in_flight.discard(reply.local_id)
        drop_pending(self._ctx, reply, success=lambda _none: self._forget(reply)).run(self._ctx.taskman)
        if alive(self):
            self.sent.emit(reply.case_id, row)

    def _forget(self, reply: PendingReply) -> None:
        self.pending = [p for p in self.pending if p.local_id != reply.local_id]
        self.refused.pop(reply.local_id, None)
        if alive(self):
            self.changed.emit()

    def _failed(self, reply: PendingReply, exc: BaseException) -> None:
        self._in_flight.discard(reply.local_id)
        cause = hq_cause(exc)
        if cause == "refused":
            self.refused[reply.local_id] = refusal_reason(exc)
        tried = dataclasses.replace(reply, tried=True, last_error=refusal_reason(exc)[:300])
        self.pending = [tried if p.local_id == reply.local_id else p for p in self.pending]
        keep_pending(self._ctx, tried, success=lambda _none: None).run(self._ctx.taskman)
        if alive(self):
            self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()


__all__ = ["RETRY_MS", "ReplySender"]
