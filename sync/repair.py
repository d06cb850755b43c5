"""What a console does when HQ's epoch changes (HQ was restored from a backup or recreated).

1. **Sequence numbers belong to an epoch.** In the unit of work that adopts the new epoch the
   console forgets every ``hq_seq`` of the old epoch (the events stay), so nothing numbered by the
   old epoch is compared with a number of the new one, and marks a repair as due.
2. **Pull the new epoch to its end.** HQ's feed numbers again every event HQ still holds in this
   console's scope; what is left without a number is what HQ lost.
3. **Repair.** Before pushing anything, the console hands back HQ's own signed events it holds and
   HQ lacks (``POST /sync/repair``, in causal order: each case's ``created`` first). HQ reinstates
   those whose signature verifies; the feed then brings them back numbered, with the cases' routing.
   Only then are the console's own events (requeued by the epoch change) pushed, so they find their
   cases at HQ. Pushing waits while the repair is due: an acknowledgement pushed before its case is
   reinstated would be refused (``unknown_case``).
4. **What HQ refuses is kept and shown**, never dropped: the refusals (event, case, code, reason)
   stay in the store's meta (``refused``) until the next epoch change, and the events stay.

Other consoles' events this console holds are not offered: HQ takes them only from their author's
own console (hq/repair.py says why).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sync.client import PUSH_MAX_EVENTS
from sync.errors import HQRefused, Unauthenticated

if TYPE_CHECKING:
    from core.events import Event
    from core.store import LocalStore, UnitOfWork
    from sync.engine import SyncEngine
    from sync.wire import PushReply

log = logging.getLogger(__name__)

KEY_DUE = "repair.due_epoch"  # the epoch whose repair is still to do
KEY_READY = "repair.caught_up"  # "1" once the new epoch's feed was pulled to its end
KEY_REFUSED = "repair.refused"  # JSON list of what HQ could not reinstate
REQUEST_BUDGET_S = 10.0
REFUSED_MAX = 1000


@dataclass(frozen=True)
class Refusal:
    """An event of HQ's this console holds that the restored HQ did not take back: its case needs a
    decision at HQ (``hq admin repair-refused`` lists the same)."""

    event_id: str
    case_id: str
    code: str
    reason: str


def on_new_epoch(uow: UnitOfWork) -> None:
    """Called in the unit of work that adopts a new epoch (after ``uow.meta.epoch`` is set), before commit."""
    n = uow.outbox.forget_hq_seqs()
    uow.meta.set(KEY_DUE, uow.meta.epoch)
    uow.meta.set(KEY_READY, None)
    log.info("new HQ epoch: %d sequence numbers of the old epoch forgotten; repair due", n)


def on_caught_up(uow: UnitOfWork) -> None:
    """Called in the unit of work that applies a pull page with nothing more after it."""
    due_epoch = uow.meta.get(KEY_DUE)
    if due_epoch is not None and due_epoch == uow.meta.epoch and uow.meta.get(KEY_READY) is None:
        uow.meta.set(KEY_READY, "1")


def due(store: LocalStore) -> bool:
    """A repair is waiting for its turn (pushing is held until it is done)."""
    with store.reader() as uow:
        return uow.meta.get(KEY_DUE) is not None


def refused(store: LocalStore) -> list[Refusal]:
    with store.reader() as uow:
        return refused_in(uow)


def refused_in(uow: UnitOfWork) -> list[Refusal]:
    """What HQ could not reinstate after its last restore, read in the caller's unit of work."""
    raw = uow.meta.get(KEY_REFUSED)
    return [Refusal(**r) for r in json.loads(raw)] if raw else []


def before_push(engine: SyncEngine) -> bool:
    """Run a due repair if the new epoch has been pulled to its end. Returns False while pushing must
    wait (the repair is due but the pull has not caught up yet, or the epoch changed meanwhile).
    Raises what the requests raise (unreachable HQ, login needed): the push worker retries."""
    with engine.store.reader() as uow:
        due_epoch, ready, epoch = uow.meta.get(KEY_DUE), uow.meta.get(KEY_READY), uow.meta.epoch
        offered = uow.outbox.unnumbered(signed=True) if due_epoch is not None and ready else []
    if due_epoch is None:
        return True
    if due_epoch != epoch or not ready:
        return False
    accepted: list[tuple[str, int]] = []
    refusals: list[Refusal] = []
    for start in range(0, len(offered), PUSH_MAX_EVENTS):
        chunk = offered[start : start + PUSH_MAX_EVENTS]
        try:
            def send(token: str, chunk: list[Event] = chunk) -> PushReply:
                return engine.session.client.repair(token, engine.device_id, chunk)

            reply = engine.link.call(send, REQUEST_BUDGET_S)
        except Unauthenticated:
            raise
        except HQRefused as exc:  # an HQ without the endpoint, or refusing the request as a whole
            log.warning("HQ refused the repair request (%s): %s", exc.status, exc.detail)
            refusals += [Refusal(e.id, e.case_id, exc.code or str(exc.status), exc.detail or "refused") for e in chunk]
            continue
        if reply.epoch != epoch:
            return False  # yet another epoch: the pull adopts it and the repair starts over
        by_id = {e.id: e for e in chunk}
        for r in reply.results:
            if r.accepted and r.hq_seq is not None:
                accepted.append((r.id, r.hq_seq))
            else:
                refusals.append(Refusal(r.id, by_id[r.id].case_id, r.code or "refused", r.reason or "refused"))
    changed: set[str] = set()
    with engine.store.unit_of_work(background=True) as uow:
        if uow.meta.epoch != epoch or uow.meta.get(KEY_DUE) != epoch:
            return False
        changed |= uow.outbox.mark_accepted_many(accepted)
        changed |= {r.case_id for r in refusals}
        uow.meta.set(KEY_REFUSED, json.dumps([r.__dict__ for r in refusals[:REFUSED_MAX]]) if refusals else None)
        uow.meta.set(KEY_DUE, None)
        uow.meta.set(KEY_READY, None)
        uow.commit()
    log.warning("HQ repaired after its restore: %d of HQ's events reinstated, %d refused", len(accepted), len(refusals))
    engine._cases_changed(changed)
    engine._pull_wake.set()  # the reinstated cases and their routing come back through the feed
    return True


def missing_at_hq(store: LocalStore) -> list[tuple[str, str]]:
    """(event id, case id) of the events this console holds as accepted that HQ's current epoch has
    not numbered, once no repair is due: what HQ lacks after its restore (HQ's events it refused to
    reinstate, or other consoles' events their own console has not sent again yet). Empty when HQ
    and this console agree."""
    with store.reader() as uow:
        if uow.meta.get(KEY_DUE) is not None:
            return []
        held = uow.outbox.unnumbered(signed=True) + uow.outbox.unnumbered(signed=False)
    return [(e.id, e.case_id) for e in held]
