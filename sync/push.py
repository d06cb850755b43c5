"""Push: the outbox to HQ in causal order, and HQ's verdicts back into the outbox.

An event leaves the outbox only when HQ acknowledged it (``mark_accepted``); a rejected one is
quarantined with HQ's reason (``mark_rejected``) without blocking the rest; one HQ holds for a
supervisor's review is marked held (``mark_held``) and settled later from HQ's verdicts
(``settle_held``). A batch is fitted under HQ's body limit, and one refused as a whole is split until
the refused events are alone. HQ's replies are applied with the operator going first
(``apply_push_reply``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from core.events import Event
from sync.backoff import Backoff
from sync.board import WRITER_YIELD_MAX_S, StatusBoard
from sync.client import PUSH_MAX_EVENTS
from sync.errors import HQRefused, LoginRequired
from sync.link import STUCK_AFTER_S, Aborted, LinkWatch
from sync.session import Session
from sync.status import record_skew
from sync.wire import PushReply

if TYPE_CHECKING:
    from core.store import LocalStore, UnitOfWork

log = logging.getLogger(__name__)

# Applying a push reply holds the write lock at most about this long per unit of work (plus the
# refold of the cases touched, at commit), then lets an operator's waiting write in.
PUSH_APPLY_TX_S = 0.05
PUSH_APPLY_CHUNK = 50  # accepted results settled per statement batch (1 while an operator waits)
PUSH_GIVE_UP_MAX = 3  # push units dropped in a row for an arriving operator before one commits anyway
BATCH_REFUSALS = frozenset({400, 413, 422})  # a whole push refused as malformed or too large
PUSH_BATCH_BYTES = 4 * 1024 * 1024  # under HQ's 5 MB body limit with room for the envelope
REVIEW_REJECTED_CODE = "review_rejected"  # reject_code of an event a supervisor rejected at HQ's review
PUSH_SAFETY_INTERVAL_S = 30.0  # the push worker also looks at the outbox this often, notified or not


class AdoptEpoch(Protocol):
    """``SyncEngine._adopt_epoch``: HQ answered with a new epoch; ``had_epoch`` if one was stored."""

    def __call__(self, uow: UnitOfWork, new_epoch: str, *, had_epoch: bool) -> None: ...


class Pusher:
    """One workstation's push. ``keep_going()`` is False once the running engine is stopping;
    ``wake`` is set to push again soon (requeued or released events); ``cases_changed(ids)`` after
    results touch cases; ``wall()`` is the engine's wall clock (seconds since the epoch)."""

    def __init__(
        self,
        store: LocalStore,
        session: Session,
        link: LinkWatch,
        board: StatusBoard,
        *,
        adopt_epoch: AdoptEpoch,
        cases_changed: Callable[[set[str]], None],
        keep_going: Callable[[], bool],
        wake: threading.Event,
        wall: Callable[[], float],
        before_push: Callable[[], bool] = lambda: True,
    ) -> None:
        self.store = store
        self._session = session
        self._link = link
        self._board = board
        self._adopt_epoch = adopt_epoch
        self._cases_changed = cases_changed
        self._keep_going = keep_going
        self._wake = wake
        self._wall = wall
        self._before_push = before_push  # False: hold pushing (HQ is being repaired, sync/repair.py)
        self._device_id = session.device_id
        self._lock = threading.Lock()  # one push pass at a time (worker, run_once)

    def loop(self, stop: threading.Event, retry_cap_s: float) -> None:
        """The push worker: wakes on ``wake`` (or every ``PUSH_SAFETY_INTERVAL_S``) and pushes all."""
        backoff = Backoff(cap_s=retry_cap_s)
        while not stop.is_set():
            self._wake.wait(PUSH_SAFETY_INTERVAL_S)
            self._wake.clear()
            while not stop.is_set():
                if not self._session.logged_in:
                    self._board.enter_login_required("not logged in", refused=self._session.refused)
                    break  # the login listener wakes us
                try:
                    self.push_all()
                    backoff.reset()
                    self._board.publish()
                    break
                except Aborted:
                    continue
                except LoginRequired as exc:
                    self._board.enter_login_required(str(exc))
                    break
                except Exception as exc:
                    self._board.note_failure("push", exc)
                    backoff.sleep(self._wake)

    def push_all(self) -> None:
        """Push until nothing pushable is pending. Raises on the first batch that fails."""
        with self._lock:
            while self._keep_going():
                if not self._before_push():
                    return  # HQ was restored: its own events go back first (sync/repair.py)
                with self.store.reader() as uow:
                    pending = uow.outbox.pending(limit=PUSH_MAX_EVENTS)
                if not pending:
                    self._board.set_error("push", None)
                    return
                self._push_batch(fit_batch(pending))
                self._board.set_error("push", None)

    def _push_batch(self, events: list[Event]) -> None:
        """Push one batch. A whole batch refused as malformed or too large (400/413/422) is split
        until each refused event is alone; those are quarantined with HQ's reason and the rest goes
        through. If HQ refuses *every* event that way, the fault is not in the events (an HQ or proxy
        problem): nothing is quarantined, everything stays pending, and the refusal is raised."""
        try:
            self._send_batch(events)
            return
        except HQRefused as exc:
            if exc.status not in BATCH_REFUSALS or len(events) < 2:
                raise
        refused: list[tuple[Event, HQRefused]] = []
        answered = self._split(events, refused)
        if not refused:
            return
        if answered == 0:
            raise refused[0][1]
        changed: set[str] = set()
        self.store.writers.wait_idle(WRITER_YIELD_MAX_S)
        with self.store.unit_of_work(background=True) as uow:  # a few events: one short unit of work
            for event, refusal in refused:
                log.warning("HQ refused event %s on its own (%s): %s", event.id, refusal.code, refusal.detail)
                reason, code = refusal.detail or "refused by HQ", refusal.code or str(refusal.status)
                uow.outbox.mark_rejected(event.id, reason, code)
                changed.add(event.case_id)
            uow.commit()
        self._cases_changed(changed)

    def _split(self, events: list[Event], refused: list[tuple[Event, HQRefused]]) -> int:
        """Send both halves of a refused batch, recursing into refused halves. Returns how many events
        HQ answered one by one; appends the single events refused as a whole to ``refused``."""
        mid = len(events) // 2
        answered = 0
        for half in (events[:mid], events[mid:]):
            try:
                answered += self._send_batch(half)
            except HQRefused as exc:
                if exc.status not in BATCH_REFUSALS:
                    raise
                if len(half) == 1:
                    refused.append((half[0], exc))
                else:
                    answered += self._split(half, refused)
        return answered

    def _send_batch(self, events: list[Event]) -> int:
        """One push request; its results are applied by ``apply_push_reply``. Returns how many
        results HQ gave."""
        with self.store.reader() as uow:
            epoch_at_send = uow.meta.epoch
        with self._board.busy():
            t0 = self._wall()
            reply: PushReply = self._link.call(
                lambda token: self._session.client.push(token, self._device_id, events), STUCK_AFTER_S
            )
            t1 = self._wall()
            changed = self.apply_push_reply(reply, events, epoch_at_send, (t0 + t1) / 2)
        if reply.epoch != epoch_at_send:
            self._wake.set()  # after the commit: the requeued events are visible now
        self._cases_changed(changed)
        return len(reply.results)

    def apply_push_reply(
        self, reply: PushReply, events: list[Event], epoch_at_send: str | None, local_wall: float
    ) -> set[str]:
        """Settle the outbox from HQ's results; returns the cases touched.

        **The operator goes first**, as in the catch-up: the results are applied in background units
        of work (``LocalStore.writers`` does not count them) that end after the results being applied
        as soon as an interactive write is waiting, or after ``PUSH_APPLY_TX_S`` holding the write
        lock; the next one begins only after that write is done. Accepted results are settled
        ``PUSH_APPLY_CHUNK`` at a time (one while an operator waits) without refolding their cases
        (``Outbox.mark_accepted_many``: settling a pending event does not change the case's state),
        so a unit of work ends within milliseconds of an operator asking. A unit begun with nobody
        waiting that an operator interrupts is rolled back, not committed (a rollback writes nothing,
        so the operator does not wait for our fsync), and redone after their write; after
        ``PUSH_GIVE_UP_MAX`` such units in a row the next one commits. Each result settles one event on
        its own (HQ's answer for it is final and idempotent), so committing a reply in parts loses
        nothing: results not yet applied when a crash comes leave their events pending, and the
        next push gets the same answers again.

        A reply is judged against the epoch stored when its request was sent (the first unit of work
        adopts a new epoch); every later unit checks that the stored epoch is still the reply's, so
        a concurrent epoch change makes the rest of the reply stale and it is dropped (the events
        stay pending).
        """
        changed: set[str] = set()
        by_id = {e.id: e for e in events}
        results = reply.results
        done = 0
        expected = epoch_at_send
        given_up = 0  # units in a row dropped for an operator who came in while they ran
        while True:
            self.store.writers.wait_idle(WRITER_YIELD_MAX_S)
            with self.store.unit_of_work(background=True) as uow:
                first = done
                operator_at_start = self.store.writers.waiting()  # the wait above timed out
                stored = uow.meta.epoch
                if stored != expected:
                    log.info("push reply from before an epoch change discarded; its events stay pending")
                    return changed
                if reply.epoch != stored:
                    self._adopt_epoch(uow, reply.epoch, had_epoch=stored is not None)
                    if stored is not None:  # sent before HQ's restore was known: pushed again after the repair
                        uow.commit()
                        return changed
                started = time.monotonic()
                operator_came = False
                while done < len(results):
                    result = results[done]
                    if result.accepted:  # a run of accepted results in one statement (no refold)
                        size = 1 if self.store.writers.waiting() else PUSH_APPLY_CHUNK
                        run: list[tuple[str, int]] = []
                        while done < len(results) and results[done].accepted and len(run) < size:
                            seq = results[done].hq_seq
                            assert seq is not None
                            run.append((results[done].id, seq))
                            changed.add(by_id[results[done].id].case_id)
                            done += 1
                        uow.outbox.mark_accepted_many(run)
                    else:
                        done += 1
                        if result.held:
                            log.warning("HQ holds event %s for review: %s", result.id, result.reason)
                            uow.outbox.mark_held(result.id, result.reason or "held for review at HQ")
                        else:
                            reason = result.reason or "rejected by HQ"
                            log.warning("HQ rejected event %s (%s): %s", result.id, result.code, reason)
                            uow.outbox.mark_rejected(result.id, reason, result.code or "rejected")
                        changed.add(by_id[result.id].case_id)
                    operator_came = self.store.writers.waiting()
                    if operator_came or time.monotonic() - started >= PUSH_APPLY_TX_S:
                        break
                if operator_came and not operator_at_start and given_up < PUSH_GIVE_UP_MAX:
                    # An operator came in while this unit ran: drop it (the rollback writes nothing,
                    # where a commit would make the operator wait for our fsync) and redo it after
                    # their write. At most ``PUSH_GIVE_UP_MAX`` in a row, so the push always advances.
                    done = first
                    given_up += 1
                    continue
                if done >= len(results):
                    record_skew(uow.meta, reply.server_time, local_wall)
                uow.commit()
            given_up = 0
            expected = reply.epoch
            if done >= len(results):
                return changed

    def settle_held(self) -> None:
        """Ask HQ about the events it holds for review and settle those decided: accepted (HQ's
        ``hq_seq``; the pull feed brings the event too), rejected (the supervisor's reason, shown with
        the refused entries), unknown to HQ (queued to push again). One small request, made only when
        something is held (by the heartbeat and ``run_once``)."""
        with self.store.reader() as uow:
            held = uow.outbox.held_ids()[:PUSH_MAX_EVENTS]
        if not held:
            return
        verdicts = self._link.call(
            lambda token: self._session.client.held_verdicts(token, self._device_id, held), STUCK_AFTER_S
        )
        decided = [v for v in verdicts if v.status != "held"]
        if not decided:
            return
        requeued = False
        self.store.writers.wait_idle(WRITER_YIELD_MAX_S)
        with self.store.unit_of_work(background=True) as uow:  # at most a few hundred rows: one short unit of work
            for v in decided:
                if v.status == "accepted":
                    assert v.hq_seq is not None
                    uow.outbox.mark_accepted(v.id, v.hq_seq)
                elif v.status == "rejected":
                    log.warning("HQ's review rejected event %s: %s", v.id, v.reason)
                    uow.outbox.mark_rejected(v.id, v.reason or "rejected at HQ's review", REVIEW_REJECTED_CODE)
                else:
                    uow.outbox.release_held(v.id)
                    requeued = True
            uow.commit()
        if requeued:
            self._wake.set()
        self._board.publish()


def fit_batch(events: Sequence[Event]) -> list[Event]:
    """The longest prefix of ``events`` whose wire form fits in ``PUSH_BATCH_BYTES`` (at least one)."""
    batch: list[Event] = []
    size = 0
    for event in events:
        n = len(json.dumps(event.to_wire(include_seq=False), ensure_ascii=False).encode())
        if batch and size + n > PUSH_BATCH_BYTES:
            break
        batch.append(event)
        size += n
    return batch
