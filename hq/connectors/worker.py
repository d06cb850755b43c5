"""The complaints worker ``python -m hq serve`` starts when a connector is configured.

Every ``RAKSHAK_COMPLAINTS_POLL_S`` it polls X (mentions, direct messages) and YouTube, retries the
replies whose time has come (``hq.complaints.replies.publish_due``) and runs the SLA sweep
(``hq.complaints.sweep``). Each step's failure is logged and recorded in ``connector_state`` and
does not stop the others; the next run tries again. Several HQ processes may each run one: items,
marks and publications are all decided inside the writer lock, so nothing happens twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from core.events import Source, utcnow
from hq.complaints.replies import publish_due
from hq.complaints.sweep import sweep
from hq.connectors.base import Publisher
from hq.connectors.meta import MetaIntake, MetaPublisher
from hq.connectors.settings import ConnectorSettings
from hq.connectors.x import XConnector
from hq.connectors.youtube import YouTubeConnector
from hq.db import Database

log = logging.getLogger(__name__)


class Connectors:
    """The connectors the settings configure, built once per HQ process."""

    def __init__(self, db: Database, settings: ConnectorSettings, *, clock: Callable[[], datetime] = utcnow):
        self.db = db
        self.settings = settings
        self.policy = settings.policy()
        g = settings.get
        self.x = XConnector(g("RAKSHAK_X_API_URL"), g("RAKSHAK_X_TOKEN"), g("RAKSHAK_X_USER_ID"), clock=clock) \
            if settings.x else None  # fmt: skip
        self.youtube = (
            YouTubeConnector(
                g("RAKSHAK_YT_API_URL"),
                g("RAKSHAK_YT_TOKEN"),
                g("RAKSHAK_YT_CHANNEL_ID"),
                db,
                daily_quota=settings.integer("RAKSHAK_YT_DAILY_QUOTA"),
                publish_reserve=settings.integer("RAKSHAK_YT_PUBLISH_RESERVE"),
                clock=clock,
            )
            if settings.youtube
            else None
        )
        self.meta_intake = (
            MetaIntake(
                g("RAKSHAK_META_GRAPH_URL"),
                g("RAKSHAK_META_PAGE_TOKEN"),
                g("RAKSHAK_META_PAGE_ID"),
                g("RAKSHAK_META_IG_USER_ID"),
                clock=clock,
            )
            if settings.meta_webhook
            else None
        )
        self.publishers: dict[str, Publisher] = {}
        if self.x is not None:
            self.publishers[str(Source.X)] = self.x
        if self.youtube is not None:
            self.publishers[str(Source.YOUTUBE)] = self.youtube
        if settings.meta_publish:
            graph, token = g("RAKSHAK_META_GRAPH_URL"), g("RAKSHAK_META_PAGE_TOKEN")
            self.publishers[str(Source.FACEBOOK)] = MetaPublisher(
                Source.FACEBOOK, graph, token, g("RAKSHAK_META_PAGE_ID"), clock=clock
            )
            self.publishers[str(Source.INSTAGRAM)] = MetaPublisher(
                Source.INSTAGRAM, graph, token, g("RAKSHAK_META_IG_USER_ID"), clock=clock
            )

    def run_once(self, now: datetime | None = None) -> None:
        steps: list[tuple[str, Callable[[], object]]] = []
        if self.x is not None:
            x = self.x
            steps += [("x mentions", lambda: x.poll_mentions(self.db)), ("x dms", lambda: x.poll_dms(self.db))]
        if self.youtube is not None:
            yt = self.youtube
            steps.append(("youtube", lambda: yt.poll(self.db)))
        steps.append(("replies", lambda: publish_due(self.db, self.publishers, now)))
        steps.append(("sla sweep", lambda: sweep(self.db, self.policy, now)))
        for name, step in steps:
            try:
                step()
            except Exception:
                log.exception("complaints worker: %s failed; the next run tries again", name)


class ComplaintsWorker:
    def __init__(self, connectors: Connectors, poll_s: float):
        self.connectors = connectors
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ComplaintsWorker:
        self._thread = threading.Thread(target=self._loop, name="complaints", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.connectors.run_once()
            self._stop.wait(self.poll_s)


__all__ = ["ComplaintsWorker", "Connectors"]
