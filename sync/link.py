"""The link to HQ as the engine sees it: requests in flight, the ``/health`` probe and the abort.

A request stuck on a dead link (no reset, just silence) would otherwise hold its loop until the read
timeout. Every authenticated request goes through ``LinkWatch.call``, which records it as in flight
with a budget; the probe (a scheduler job) looks for requests past their budget. When the link is
seen back (any request or a probe succeeds after a failure), ``on_back`` runs (the engine's
``sync_now``: it shuts the sockets of requests in flight and wakes both loops); requests killed that
way raise ``Aborted`` and are retried at once, not counted as failures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sync.client import HQClient
from sync.errors import HQRefused, HQUnreachable, LoginRequired, ProtocolError
from sync.session import Session

log = logging.getLogger(__name__)

PROBE_INTERVAL_S = 0.5  # while offline or a request looks stuck: a new /health probe this often
PROBE_TIMEOUT_S = (2.0, 2.0)
MAX_PROBES_IN_FLIGHT = 4  # probes overlap, so one stuck on a dead path does not delay the next
STUCK_AFTER_S = 2.0  # a request (beyond a long poll's own wait) this late is suspect: probe the link
MAX_PATIENCE = 64.0  # after each abort of a merely slow request, its loop's next budget grows x4 up to this


class Aborted(Exception):
    """A request the engine aborted on purpose; retry at once, the link is not to blame."""


class LinkWatch:
    """Whether HQ answers (``ok``: None before the first exchange), and the requests out to it.

    ``on_back()`` runs when the link returns, or when a probe answers while requests are overdue;
    ``on_change()`` when ``ok`` changes; ``on_login_refused(reason)`` when HQ refuses a login that was
    in use (it expired or was revoked), as opposed to there being no login at all.
    """

    def __init__(
        self,
        session: Session,
        *,
        ca_bundle: str | None,
        stop: threading.Event,
        on_back: Callable[[], None],
        on_change: Callable[[], object],
        on_login_refused: Callable[[str], None],
    ) -> None:
        self._session = session
        self._ca_bundle = ca_bundle
        self._stop = stop
        self._on_back = on_back
        self._on_change = on_change
        self._on_login_refused = on_login_refused
        self._lock = threading.Lock()
        self._abort_gen = 0
        # request token -> (monotonic start, budget s, thread id); the probe reads it to find overdue requests
        self._inflight: dict[int, tuple[float, float, int]] = {}
        self._inflight_seq = 0
        self._patience: dict[int, float] = {}  # thread id -> budget multiplier (grows when slow, not dead)
        self._probes_running = 0
        self._ok: bool | None = None

    @property
    def ok(self) -> bool | None:
        return self._ok

    def call(self, call: Callable[[str], Any], budget_s: float) -> Any:
        """Run an authenticated request through the session, tracking the link's state.

        ``budget_s``: how long the request may take before the probe starts to suspect the link.
        Raises ``Aborted`` for a request ``abort_inflight`` killed.
        """
        generation = self._abort_gen
        thread_id = threading.get_ident()
        had_login = self._session.logged_in
        with self._lock:
            self._inflight_seq += 1
            token = self._inflight_seq
            budget_s *= self._patience.get(thread_id, 1.0)
            self._inflight[token] = (time.monotonic(), budget_s, thread_id)
        try:
            result = self._session.call(call)
        except HQUnreachable as exc:
            if generation != self._abort_gen:
                raise Aborted() from exc
            self.set_ok(False)
            raise
        except (ProtocolError, HQRefused):
            self.set_ok(True)  # HQ answered: the link works, the answer did not
            raise
        except LoginRequired as exc:
            if had_login:  # HQ refused a login this engine was using: it expired or was revoked
                self._on_login_refused(str(exc))
            raise
        finally:
            with self._lock:
                self._inflight.pop(token, None)
        with self._lock:
            self._patience.pop(thread_id, None)
        self.set_ok(True)
        return result

    def abort_inflight(self) -> None:
        """Shut the sockets of every request out now; their ``call`` raises ``Aborted``."""
        with self._lock:
            self._abort_gen += 1
        self._session.client.abort()

    def set_ok(self, ok: bool) -> None:
        with self._lock:
            was = self._ok
            self._ok = ok
        if ok and was is False:
            # Back after an outage: requests still waiting on the dead path would hold their loops.
            self._on_back()
        if ok != was:
            self._on_change()

    def _overdue(self, now: float) -> list[int]:
        return [t for start, budget, t in self._inflight.values() if now - start > budget]

    def probe(self) -> None:
        """Every ``PROBE_INTERVAL_S``, while HQ is unreachable or a request has been out longer than its
        budget: start a cheap ``/health`` probe on a fresh connection with short timeouts.

        A link that died silently (no reset) leaves requests waiting for their read timeout, and its
        return goes unnoticed until then. Probes overlap (up to ``MAX_PROBES_IN_FLIGHT``), so a probe
        stuck on the dead path does not delay the one that finds the link back. If a probe fails while
        a request is overdue, the link is marked down at once (the UI shows offline). If one answers,
        the link is up: requests still out are on dead connections, so they are aborted and retried
        at once. A request that was only slow gets a larger budget next time (x4 per abort), so a
        slow link is never starved of retries.

        Runs on the scheduler's worker; the probe itself on a short-lived daemon thread.
        """
        if self._stop.is_set():
            return
        with self._lock:
            overdue = self._overdue(time.monotonic())
            offline = self._ok is False
            if not (offline or overdue) or self._probes_running >= MAX_PROBES_IN_FLIGHT:
                return
            self._probes_running += 1
        threading.Thread(target=self._probe_once, name="rakshak-probe", daemon=True).start()

    def _probe_once(self) -> None:
        probe = HQClient(self._session.hq_url, ca_bundle=self._ca_bundle)  # its own pool: a fresh connection
        try:
            try:
                probe.health(timeout=PROBE_TIMEOUT_S, fresh_connection=True)
            except (HQUnreachable, ProtocolError, HQRefused):
                if self._ok is not False:
                    log.info("a request is overdue and HQ does not answer a probe: link down")
                    self.set_ok(False)
                return
            with self._lock:
                was_offline = self._ok is False
                overdue = self._overdue(time.monotonic())
                for thread_id in overdue:
                    self._patience[thread_id] = min(MAX_PATIENCE, self._patience.get(thread_id, 1.0) * 4)
            if was_offline:
                log.info("HQ answers again")
                self.set_ok(True)  # aborts what is still out on the dead path and wakes both loops
            elif overdue and not self._stop.is_set():
                log.info("HQ answers but %d request(s) are overdue: retrying on fresh connections", len(overdue))
                self._on_back()
        finally:
            probe.close()
            with self._lock:
                self._probes_running -= 1
