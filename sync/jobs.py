"""The engine's scheduled jobs on an APScheduler ``BackgroundScheduler`` (``coalesce=True,
max_instances=1``): the heartbeat (presence, audio check, pending count, disk free; then the held
events' verdicts), the link probe, and wake-from-sleep detection."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler

from sync.board import WRITER_YIELD_MAX_S, StatusBoard
from sync.errors import LoginRequired
from sync.link import PROBE_INTERVAL_S, STUCK_AFTER_S, Aborted, LinkWatch
from sync.session import Session
from sync.status import record_skew
from sync.wire import ConfirmedTestAlarm

if TYPE_CHECKING:
    from core.store import LocalStore

log = logging.getLogger(__name__)

WAKE_CHECK_INTERVAL_S = 2.0
WAKE_JUMP_S = 5.0  # wall clock moved this much more than the monotonic clock: slept, or clock was set


class Heartbeat:
    """Tells HQ this workstation is alive, with its app version, pending count, audio check (and the
    last test alarm a human answered) and free disk; records HQ's clock skew; then settles held
    events (``settle_held``)."""

    def __init__(
        self,
        store: LocalStore,
        session: Session,
        link: LinkWatch,
        board: StatusBoard,
        *,
        store_path: Path,
        app_version: str,
        audio: Callable[[], dict[str, Any]],
        settle_held: Callable[[], None],
        stop: threading.Event,
        wall: Callable[[], float],
        test_alarm: Callable[[], ConfirmedTestAlarm | None] = lambda: None,
    ) -> None:
        self._store = store
        self._session = session
        self._link = link
        self._board = board
        self._store_path = store_path
        self._app_version = app_version
        self._audio = audio
        self._settle_held = settle_held
        self._stop = stop
        self._wall = wall
        self._test_alarm = test_alarm

    def audio_report(self) -> dict[str, Any]:
        """The heartbeat's ``audio``: the last verdict (``ok``, ``checked_at``, ``detail``) and, apart
        from it, the last test alarm a human answered on this console (``test_alarm``), which a
        later software check does not replace."""
        audio = dict(self._audio())
        answer = self._test_alarm()
        if answer is not None:
            audio["test_alarm"] = answer.to_wire()
        return audio

    def __call__(self) -> None:
        if self._stop.is_set() or not self._session.logged_in:
            return
        device_id = self._session.device_id
        try:
            with self._store.reader() as uow:
                pending, _ = uow.outbox.counts()
            disk_free = data_dir_free_bytes(self._store_path)
            audio = self.audio_report()
            t0 = self._wall()
            server_time = self._link.call(
                lambda token: self._session.client.presence(
                    token, device_id, self._app_version, pending, audio, disk_free_bytes=disk_free
                ),
                STUCK_AFTER_S,
            )
            t1 = self._wall()
            self._store.writers.wait_idle(WRITER_YIELD_MAX_S)
            with self._store.unit_of_work(background=True) as uow:
                record_skew(uow.meta, server_time, (t0 + t1) / 2)
                uow.commit()
            self._settle_held()
            self._board.set_error("heartbeat", None)
        except LoginRequired as exc:
            self._board.enter_login_required(str(exc))
        except Aborted:
            pass
        except Exception as exc:
            self._board.note_failure("heartbeat", exc)
        self._board.publish()


class WakeWatch:
    """Detects a suspend/resume (or a frozen process): the wall clock jumps against the monotonic one,
    or the check ran far later than scheduled. Connections from before are dead: ``on_wake()``."""

    def __init__(self, wall: Callable[[], float], on_wake: Callable[[], None]) -> None:
        self._wall = wall
        self._on_wake = on_wake
        self._ref: tuple[float, float] | None = None

    def __call__(self) -> None:
        wall, mono = self._wall(), time.monotonic()
        ref = self._ref
        self._ref = (wall, mono)
        if ref is None:
            return
        wall_gap, mono_gap = wall - ref[0], mono - ref[1]
        if abs(wall_gap - mono_gap) > WAKE_JUMP_S or mono_gap > WAKE_CHECK_INTERVAL_S + WAKE_JUMP_S:
            log.info("clock jump (wall %+.1f s, monotonic %+.1f s): woke from sleep? syncing now", wall_gap, mono_gap)
            self._on_wake()


def start_scheduler(
    heartbeat: Callable[[], None], heartbeat_s: float, probe: Callable[[], None], wake: WakeWatch
) -> BackgroundScheduler:
    """The three jobs, started; the heartbeat runs at once. ``wake`` takes its reference now, so a
    sleep right after start is noticed too."""
    scheduler = BackgroundScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}, timezone=UTC
    )
    scheduler.add_job(heartbeat, "interval", seconds=heartbeat_s, id="heartbeat", next_run_time=datetime.now(UTC))
    scheduler.add_job(probe, "interval", seconds=PROBE_INTERVAL_S, id="probe")
    scheduler.add_job(wake, "interval", seconds=WAKE_CHECK_INTERVAL_S, id="wake")
    wake()
    scheduler.start()
    return scheduler


def data_dir_free_bytes(store_path: Path) -> int | None:
    """Free bytes on the filesystem of the store's folder, for HQ's board (None if it cannot be read)."""
    try:
        return int(shutil.disk_usage(Path(store_path).parent).free)
    except OSError:
        return None
