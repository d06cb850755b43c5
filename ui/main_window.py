"""The main window: alarm banner on top, queue on the left, case detail on the right, sync status below.

The window composes parts and routes signals; it holds no case data itself and does no I/O. Reads
and writes go through ``ui.operations`` on the DB worker; "sync now" and unlock verification through
the network pool. After every change (``TaskManager.cases_changed``, from a local action or a pull)
the queue, the shown case and the alarm re-query (coalesced into one refresh per ``REFRESH_COALESCE_MS``).

Alarm wiring follows ``ui/alarm/__init__.py``: the controller is fed by a background query of
``cases.alarming()`` plus acknowledged-but-undispatched suicide-risk cases (for "dispatch overdue").

Keyboard: Ctrl+K acknowledge (the banner's own action while it shows an alert, otherwise the
selected case), Ctrl+D dispatch, Ctrl+O outcome, Ctrl+N counselling note, Ctrl+F search, F5 sync
now, Ctrl+Shift+L lock.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.events import AMENDABLE, EventType, parse_time, utcnow
from core.store import QueueFilter
from ui.context import ApplicationContext
from ui.detail import DetailPane, _summary
from ui.forms import ActionForm, specs_for
from ui.forms.messages import not_saved_text
from ui.labels import event_label, local_time, role_label
from ui.lock import (
    VERIFIER_META_KEY,
    IdleWatcher,
    LockScreen,
    check_verifier,
    identity_json,
    make_verifier,
    parse_identity,
    user_identity_key,
    user_verifier_key,
)
from ui.operations import CollectionOp, QueryOp, alive, is_user_error, record_checked
from ui.queue_view import QueueView
from ui.status_bar import RefusedDialog, SyncStatusBar

if TYPE_CHECKING:
    from ui.alarm.sound import AudioCheck

log = logging.getLogger(__name__)


def _json(names: dict[str, str]) -> str:
    import json

    return json.dumps(names, ensure_ascii=False, sort_keys=True)

REFRESH_COALESCE_MS = 80
# A new alert takes the detail pane from an open case nobody has touched for this long.
RINGING_TAKES_OVER_IDLE_S = 30
DEFAULT_SIZE = (1366, 800)  # width, height at start; never more than the screen's available area
OVERDUE_QUERY_LIMIT = 2000
OVERDUE_SWEEP_MS = 5 * 60_000
STARTUP_SCAN_DELAY_MS = 1500
# A mute with less than this left is ending (an early unmute records one that ends in a second): not shown.
MUTE_SHOWN_MIN_LEFT = timedelta(seconds=2)


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    unlocked = Signal()
    locked_changed = Signal(bool)

    def __init__(self, ctx: ApplicationContext, *, with_sound: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("main-window")
        self.forms: dict[tuple[str, str], ActionForm] = {}
        self.locked = False
        self._pending_changes: set[str] | None = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_COALESCE_MS)
        self._refresh_timer.timeout.connect(self._refresh_now)
        self.alarm_rows: list[Any] = []
        self._fit_pending = False
        self._closed = False
        self._overdue_watch: set[str] = set()
        self._sweep_timer = QTimer(self)
        self._sweep_timer.setInterval(OVERDUE_SWEEP_MS)
        self._sweep_timer.timeout.connect(self.sweep_overdue)
        self._sweep_timer.start()

        self.queue = QueueView(ctx)
        self.detail = DetailPane(ctx)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.queue)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([640, 720])
        self.splitter = splitter

        self.lock_screen = LockScreen(f"{ctx.author.display_name} ({ctx.username})", username=ctx.username)
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.lock_screen)

        self._build_alarm(with_sound)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.mute_notice)
        layout.addWidget(self.no_audio)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = SyncStatusBar()
        self.status.watch_disk(ctx.taskman, ctx.data_dir, int(ctx.settings.get("disk_free_warn_mb")) * 1024 * 1024)
        self.setStatusBar(self.status)
        self._show_user()
        self._build_actions()
        self._set_title()
        self.fit_to_screen(initial=True)

        self.queue.case_selected.connect(self._on_case_selected)
        self.detail.action_requested.connect(self.open_form)
        ctx.taskman.cases_changed.connect(self._on_cases_changed)
        ctx.taskman.environment_error.connect(self._environment_error)
        ctx.taskman.bug.connect(self._bug)
        ctx.bridge.status.connect(self.status.set_status)
        ctx.bridge.login_required.connect(self._login_required)
        self.status.refused_clicked.connect(self.show_refused)
        self.lock_screen.unlock_requested.connect(self._verify_unlock)

        self.idle = IdleWatcher(float(ctx.settings.get("idle_lock_min")) * 60, self)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.idle)
        self.idle.idle.connect(self.lock)

        if ctx.engine is not None:
            self.status.set_status(ctx.engine.status)
        self.refresh_all()
        self.load_place_names()

    # ---- construction ------------------------------------------------------------------------------
    def _build_alarm(self, with_sound: bool) -> None:
        from ui.alarm import (
            AlarmBanner,
            AlarmController,
            AlarmSound,
            Attention,
            MuteNotice,
            NoAudioWarning,
            RingReason,
        )

        self.sound = AlarmSound.from_settings(self.ctx.settings, parent=self) if with_sound else None
        self.alarm = AlarmController.from_settings(
            self.sound, self.ctx.settings, parent=self, tier=self.ctx.author.tier
        )
        self.banner = AlarmBanner(self, place_name=self.ctx.places.name)
        self.no_audio = NoAudioWarning(self)
        self.mute_notice = MuteNotice(self)
        self.mute_notice.unmute_requested.connect(self.unmute)
        self._mute_end_timer = QTimer(self)
        self._mute_end_timer.setSingleShot(True)
        self._mute_end_timer.timeout.connect(self.refresh_alarm)
        # A human's "the test alarm was not heard" outranks the software check (see _audio_checked);
        # it lives in the context (``_not_heard``), so a window rebuilt for a language switch keeps it.
        self._test_question: QMessageBox | None = None
        self.attention = Attention(self)
        self.alarm.ringing_changed.connect(self.banner.set_ringing)
        self.alarm.refusals_changed.connect(self._alarm_refused)
        self.alarm.ringing_changed.connect(
            lambda ringing: self.lock_screen.set_alert(any(r.reason is RingReason.UNACKNOWLEDGED for r in ringing))
        )
        self.alarm.alarm_started.connect(self.attention.alarm_started)
        self.alarm.alarm_started.connect(lambda _case_id: self.lock_screen.clear_error())
        self.alarm.alarm_started.connect(self._show_ringing_case)
        self.alarm.alarm_started.connect(lambda case_id: log.warning("alarm started for case %s", case_id))
        self.banner.acknowledge_requested.connect(self.acknowledge)
        self.banner.mute_requested.connect(self.mute)
        self.banner.open_requested.connect(self.open_case)
        if self.sound is not None:
            self.sound.audio_checked.connect(self._audio_checked)
            self.sound.test_finished.connect(self._test_finished)
            self.no_audio.recheck_requested.connect(self.sound.check_audio)
            self.no_audio.test_requested.connect(self.test_alarm)
            self.sound.start_monitoring()
        else:
            self.no_audio.hide()

    def _alarm_refused(self, refusals: list[Any]) -> None:
        """Cases this console silenced by an acknowledgement or mute HQ refused: say so, with HQ's
        reason, instead of ringing (the refused entries are listed under the status bar's "refused")."""
        if not refusals:
            return
        first = refusals[0]  # no personal data: the console may be locked
        what = self.tr("acknowledgement") if first.what == "ack" else self.tr("mute")
        text = self.tr("Alarm silenced on this console although HQ refused its %1: %2. Call HQ.")
        self.status.flash(text.replace("%1", what).replace("%2", first.reason), 120_000)

    def _action(self, menu: Any, text: str, slot: Any, shortcut: str = "", name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: slot())
        action.setObjectName(name or text)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        case = bar.addMenu(self.tr("&Case"))
        self.ack_action = self._action(case, self.tr("Acknowledge"), self.acknowledge_selected, "Ctrl+K", "ack")
        # The banner owns Ctrl+K while it shows an alert; two enabled actions on one key fire neither.
        self.banner.acknowledge_action.enabledChanged.connect(self._sync_ack_shortcut)
        self._sync_ack_shortcut()
        self.form_actions: dict[str, QAction] = {}
        for form_id, spec in specs_for().items():
            if form_id == "acknowledge":
                continue
            self.form_actions[form_id] = self._action(
                case, spec.title + "…", lambda f=form_id: self.open_form(f), spec.shortcut, f"form-{form_id}"
            )
        view = bar.addMenu(self.tr("&View"))
        self._action(view, self.tr("Search"), self.queue.focus_search, "Ctrl+F", "search")
        self._action(view, self.tr("Refresh"), self.refresh_all, "Ctrl+R", "refresh")
        sync = bar.addMenu(self.tr("&Sync"))
        self._action(sync, self.tr("Sync now"), self.sync_now, "F5", "sync-now")
        self._action(sync, self.tr("Changes refused by HQ…"), self.show_refused, "", "refused")
        alarm = bar.addMenu(self.tr("&Alarm"))
        self._action(alarm, self.tr("Test the alarm sound"), self.test_alarm, "", "test-alarm")
        self._action(alarm, self.tr("Check audio now"), self.check_audio, "", "check-audio")
        settings = bar.addMenu(self.tr("S&ettings"))
        lang_menu = settings.addMenu(self.tr("Language / भाषा"))
        group = QActionGroup(self)
        from ui.i18n import LANGUAGE_NAMES

        for code, name in LANGUAGE_NAMES.items():
            act = QAction(name, self)
            act.setCheckable(True)
            act.setChecked(code == self.ctx.lang)
            act.triggered.connect(lambda _c=False, c=code: self._choose_language(c))
            group.addAction(act)
            lang_menu.addAction(act)
        self._action(settings, self.tr("Lock now"), self.lock, "Ctrl+Shift+L", "lock")

    def _show_user(self) -> None:
        """Who works at this console, in words: name · role · district (or HQ)."""
        ctx = self.ctx
        where = ctx.places.name(ctx.district) if ctx.district else self.tr("HQ")
        self.status.set_user(f"{ctx.author.display_name} · {role_label(ctx.role)} · {where}")
        if ctx.district:
            self.status.user.set_detail_tooltip(ctx.district)

    def _set_title(self) -> None:
        who = self.ctx.author.display_name
        self.setWindowTitle(self.tr("Rakshak — control room") + f" — {who}{self.ctx.title_suffix}")

    def _sync_ack_shortcut(self, *_: Any) -> None:
        self.ack_action.setEnabled(not self.banner.acknowledge_action.isEnabled() and not self.locked)

    def fit_to_screen(self, initial: bool = False) -> None:
        """Keep the whole window, frame and status bar included, inside its screen's available area.

        At start it takes ``DEFAULT_SIZE`` or the available area, whichever is smaller (a 1,366 x 768
        laptop has ~730 px under its panel). Afterwards it only shrinks and moves back what sticks
        out. Nothing may make it grow past the screen: every long text in the window elides or wraps,
        so the minimum size stays below 1,366 x 700 (tests check it at that size, in Hindi too).
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - self.width())
        extra_h = max(0, frame.height() - self.height())
        room_w, room_h = avail.width() - extra_w, avail.height() - extra_h
        if initial:
            self.resize(min(DEFAULT_SIZE[0], room_w), min(DEFAULT_SIZE[1], room_h))
            return
        if self.isMaximized() or self.isFullScreen():
            return
        w, h = min(self.width(), room_w), min(self.height(), room_h)
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)
        frame = self.frameGeometry()
        x = max(avail.x(), min(frame.x(), avail.right() + 1 - frame.width()))
        y = max(avail.y(), min(frame.y(), avail.bottom() + 1 - frame.height()))
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The frame's size is known only once the window manager has framed the window.
        QTimer.singleShot(0, self, self.fit_to_screen)
        handle = self.windowHandle()
        if handle is not None and not getattr(self, "_screen_hooked", False):
            self._screen_hooked = True
            handle.screenChanged.connect(lambda _s: self.fit_to_screen())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule_fit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self._schedule_fit()  # a text changed: what could not shrink a moment ago may shrink now
        return super().event(event)

    def _schedule_fit(self) -> None:
        if self.isVisible() and not self._fit_pending:
            # A layout that asked for more room than the screen has is pulled back (after Qt settles).
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_after_resize)

    def _fit_after_resize(self) -> None:
        self._fit_pending = False
        self.fit_to_screen()

    # ---- refresh -----------------------------------------------------------------------------------
    def refresh_all(self) -> None:
        self._pending_changes = None
        self._refresh_now()
        # The sweep scans every open case: let the first page, the detail and the alarm go first.
        QTimer.singleShot(STARTUP_SCAN_DELAY_MS, self, self.sweep_overdue)

    def _on_cases_changed(self, case_ids: Any) -> None:
        if case_ids is None or self._pending_changes is None:
            self._pending_changes = None
        else:
            self._pending_changes |= set(case_ids)
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh_now(self) -> None:
        changed, self._pending_changes = self._pending_changes, set()
        if changed:
            self._overdue_watch |= changed
        if not self.locked:
            self.queue.refresh()
            if self.detail.case_id and (changed is None or self.detail.case_id in changed):
                self.detail.reload()
        self.refresh_alarm()

    def refresh_alarm(self) -> None:
        """Feed the alarm controller from the store (reader pool, stamped "alarm").

        Unacknowledged cases come from ``cases.alarming()`` (indexed, cheap at any size). For "dispatch
        overdue" the controller also needs acknowledged, undispatched suicide-risk cases: the cases
        seen ringing, changed or found by ``sweep_overdue`` are re-read by id here, and kept watched
        while they stay acknowledged and undispatched.
        """
        from core.events import Tier
        from ui.alarm.policy import mute_in_force, needs_alarm

        store = self.ctx.store
        watched = frozenset(self._overdue_watch)
        tier = self.ctx.author.tier

        def load() -> tuple[list[Any], list[tuple[str, str, str, Any, str]]]:
            now = utcnow()
            with store.reader() as uow:
                rows = list(uow.cases.alarming(tier))
                have = {r.case_id for r in rows}
                for case_id in sorted(watched - have):
                    row = uow.cases.get(case_id)
                    if row is not None and row.status == "acknowledged" and row.kind == "suicide_risk":
                        rows.append(row)
                # Who muted, why, until when: from the case's latest mute entry (few cases are muted).
                mutes = []
                for row in rows:
                    if needs_alarm(row, tier) and mute_in_force(row, now, tier):
                        until = parse_time(str(row.hq_muted_until if tier is Tier.HQ else row.muted_until))
                        last = None
                        for stored in uow.events.history(row.case_id):
                            if (
                                stored.event.type is EventType.ALARM_MUTED
                                and str(stored.sync_state) != "rejected"
                                and stored.event.payload.get("tier", str(Tier.DISTRICT)) == str(tier)
                            ):
                                last = stored.event
                        if last is not None and until - now > MUTE_SHOWN_MIN_LEFT:
                            label = row.subject_name or ""
                            mutes.append((row.case_id, label, last.author_name, until,
                                          str(last.payload.get("reason") or "")))
                mutes.sort(key=lambda m: m[3])
                return rows, mutes

        def done(result: tuple[list[Any], list[tuple[str, str, str, Any, str]]]) -> None:
            rows, mutes = result
            self.alarm_rows = rows
            self._overdue_watch = {r.case_id for r in rows}
            self.alarm.update_rows(rows)
            self.mute_notice.set_mutes(mutes)
            if mutes:
                # Take the notice down when the first mute ends, even if nothing else changes.
                ms = int((mutes[0][3] - utcnow()).total_seconds() * 1000) + 200
                self._mute_end_timer.start(max(200, ms))

        QueryOp(fn=load, success=done, stamp="alarm", pool="read").run(self.ctx.taskman)

    def sweep_overdue(self) -> None:
        """Find every acknowledged, undispatched suicide-risk case by status (a scan of all open cases,
        seconds at 100,000: bulk reader, at start and every ``OVERDUE_SWEEP_MS``), then re-query the alarm.
        Catches what the watch list cannot know: cases acknowledged before a restart or on another console.
        """
        if self._closed:
            return
        store = self.ctx.store
        overdue = QueueFilter(statuses=frozenset({"acknowledged"}), kinds=frozenset({"suicide_risk"}))

        def load() -> set[str]:
            with store.reader() as uow:
                return {r.case_id for r in uow.cases.queue(overdue, limit=OVERDUE_QUERY_LIMIT, offset=0)}

        def done(ids: set[str]) -> None:
            if not ids <= self._overdue_watch:
                self._overdue_watch |= ids
                self.refresh_alarm()

        QueryOp(fn=load, success=done, stamp="alarm-sweep", pool="bulk").run(self.ctx.taskman)

    def load_place_names(self) -> None:
        """District and police station names: from the store at once (offline too), then fresh from HQ.

        HQ's ``GET /districts`` runs on the network pool; a failure leaves the stored names (or the codes)
        in place and is only logged: names are a courtesy, never a reason to bother the operator.
        """
        from ui.places import PLACES_META_KEY, PlaceNames

        ctx = self.ctx
        store = ctx.store

        def load() -> dict[str, str]:
            with store.reader() as uow:
                return PlaceNames.from_json(uow.meta.get(PLACES_META_KEY))

        def fetch() -> dict[str, str]:
            session = ctx.session
            return PlaceNames.from_districts(session.call(session.client.districts))

        def fetch_failed(exc: BaseException) -> None:
            log.info("place names not refreshed from HQ: %s", exc)

        def fetched(names: dict[str, str]) -> None:
            if not names:
                return
            self.apply_place_names(names)
            text = _json(names)

            def save() -> None:  # on the DB worker: the one writer
                with store.unit_of_work() as uow:
                    uow.meta.set(PLACES_META_KEY, text)
                    uow.commit()

            QueryOp(fn=save).run(ctx.taskman)

        def loaded(names: dict[str, str]) -> None:
            if names and not self._closed:
                self.apply_place_names(names)
            session = ctx.session
            if session is not None and getattr(session, "logged_in", False) and not self._closed:
                QueryOp(fn=fetch, success=fetched, failure=fetch_failed, network=True).run(
                    ctx.taskman
                )

        QueryOp(fn=load, success=loaded, pool="read").run(ctx.taskman)

    def apply_place_names(self, names: dict[str, str]) -> None:
        """Show names instead of codes everywhere they appear (queue, filter, banner, detail, forms' labels)."""
        if self._closed or not names or not self.ctx.places.update(names):
            return
        self.queue.model.names_changed()
        self._show_user()
        self.queue.refresh_station_names()
        self.banner.set_ringing(list(getattr(self.banner, "_ringing", [])))
        if not self.locked:
            self.detail.reload()

    # ---- selection and forms -----------------------------------------------------------------------
    def _on_case_selected(self, case_id: str) -> None:
        if not self.locked:
            self.detail.show_case(case_id)

    def open_case(self, case_id: str) -> None:
        self.queue.select_case(case_id)
        self.detail.show_case(case_id)

    def selected_case(self) -> str:
        return self.detail.case_id or self.queue.selected_case_id()

    def acknowledge_selected(self) -> None:
        case_id = self.selected_case()
        if case_id:
            self.acknowledge(case_id)

    def record(self, case_id: str, etype: EventType, payload: dict[str, Any], what: str = "") -> None:
        """Record one event on the DB worker (works offline); refusals are shown, not raised."""
        ctx = self.ctx

        def run() -> Any:
            return record_checked(ctx.store, ctx.clock, ctx.author, case_id, etype, payload)

        def done(_event: Any) -> None:
            ctx.notify_local_change()
            self.status.flash(what or event_label(str(etype)), 4000)

        def failed(exc: BaseException) -> None:
            if is_user_error(exc):
                self.notice(QMessageBox.Icon.Information, event_label(str(etype)), not_saved_text(exc))
            else:
                ctx.taskman.report(exc)

        CollectionOp(fn=run, success=done, failure=failed, changes=(case_id,)).run(ctx.taskman)

    def acknowledge(self, case_id: str) -> None:
        if self.locked:
            return
        self.record(case_id, EventType.ACKNOWLEDGED, {}, self.tr("Acknowledged"))
        if self.detail.case_id != case_id:
            self.open_case(case_id)

    def mute(self, case_id: str) -> None:
        from ui.alarm import MuteDialog

        row = next((r for r in self.alarm_rows if r.case_id == case_id), None)
        station = self.ctx.places.name(row.police_station) if row is not None else ""
        label = f"{row.subject_name or ''} — {station}" if row is not None else case_id
        dialog = MuteDialog(label, self)
        self._mute_dialog = dialog
        dialog.accepted.connect(lambda: self.record(case_id, EventType.ALARM_MUTED, dialog.payload()))
        dialog.open()

    def _show_ringing_case(self, case_id: str) -> None:
        """A new alert rings: show it in the detail pane unless the operator is working on another case.

        Working means a form open for the shown case, or input within ``RINGING_TAKES_OVER_IDLE_S`` while
        an open case is shown. Then the shown case stays and the ringing one is one key away (F2, the
        banner's "Open case"). A closed case, no case, or a console nobody touched gives way at once.
        """
        if self.locked or self._closed:
            return
        shown = self.detail.state
        if any(alive(f) and f.isVisible() for f in self.forms.values()):
            return
        settled = not self.detail.case_id or shown is None or shown.is_closed
        if settled or self.idle.idle_for_s() >= RINGING_TAKES_OVER_IDLE_S:
            ringing = self.alarm.ringing
            # The most urgent ringing case: the one the banner shows and its buttons act on.
            self.open_case(ringing[0].case_id if ringing else case_id)

    def unmute(self, case_id: str) -> None:
        """End a mute early: record a mute that ends in a second (``core`` allows only mutes that end in
        the future), with the reason saying who ended it. The alarm rings again at once."""
        from core.events import iso

        if self.locked:
            return
        who = self.ctx.author.display_name
        payload = {"reason": self.tr("Unmuted early by %1").replace("%1", who),
                   "until": iso(utcnow() + timedelta(seconds=1))}
        self.record(case_id, EventType.ALARM_MUTED, payload, self.tr("Alarm unmuted"))

    def open_form(self, form_id: str, case_id: str | None = None) -> ActionForm | None:
        if self.locked:
            return None
        case_id = case_id or self.selected_case()
        if not case_id:
            self.status.flash(self.tr("Select a case first."), 4000)
            return None
        if form_id == "acknowledge":
            self.acknowledge(case_id)
            return None
        key = (case_id, form_id)
        existing = self.forms.get(key)
        if existing is not None and alive(existing):
            if existing.isVisible():
                existing.raise_()
                existing.activateWindow()
                return existing
            existing.deleteLater()  # closed earlier: its draft is in the store; a fresh form restores it
        spec = specs_for()[form_id]
        choices: dict[str, tuple[tuple[str, str], ...]] = {}
        amend_targets: dict[str, tuple[EventType, dict[str, Any]]] = {}
        same_case = self.detail.case_id == case_id and self.detail.state is not None
        if form_id == "follow_up_done" and same_case:
            choices["follow_up_id"] = tuple(
                (f.id, f"{local_time(f.due)} — {f.note or ''}") for f in self.detail.state.open_follow_ups()
            )
        if form_id == "amend" and same_case:
            from core.fold import effective_payloads

            good = [s.event for s in self.detail.history if str(s.sync_state) != "rejected"]
            current = effective_payloads(sorted(good, key=lambda e: e.sort_key))
            options = []
            for e in good:
                if e.type in AMENDABLE and e.type is not EventType.CREATED:
                    amend_targets[e.id] = (e.type, current[e.id])
                    options.append((e.id, f"{local_time(e.wall_time)} — {event_label(str(e.type))} — {_summary(e)}"))
            choices["target_event_id"] = tuple(options)
        label = ""
        if same_case:
            st = self.detail.state
            station = self.ctx.places.name(st.police_station)
            label = " — ".join(x for x in ((st.subject or {}).get("name"), station) if x)
        form = ActionForm(
            self.ctx, spec, case_id, self, choices=choices, amend_targets=amend_targets, case_label=label
        )
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        form.recorded.connect(lambda _e: self.status.flash(spec.title + " ✓", 4000))
        self.forms[key] = form
        form.show()
        return form

    # ---- sync, alarm, errors -----------------------------------------------------------------------
    def sync_now(self) -> None:
        engine = self.ctx.engine
        if engine is None:
            return
        self.status.flash(self.tr("Syncing with HQ…"), 3000)
        QueryOp(fn=engine.sync_now, network=True).run(self.ctx.taskman)

    def show_refused(self) -> None:
        store = self.ctx.store

        def load() -> list[Any]:
            with store.reader() as uow:
                return list(uow.outbox.held()) + list(uow.outbox.rejected())

        def done(items: list[Any]) -> None:
            dialog = RefusedDialog(items, self)
            dialog.open_case.connect(self.open_case)
            dialog.dealt_with.connect(self.mark_refused_dealt_with)
            self._refused_dialog = dialog
            dialog.open()

        QueryOp(fn=load, success=done, pool="read").run(self.ctx.taskman)

    def mark_refused_dealt_with(self, event_ids: list[str]) -> None:
        """Record on the DB worker that the signed-in operator dealt with these refused entries."""
        ctx = self.ctx
        by = f"{ctx.author.display_name} ({ctx.author.user_id})"

        def run() -> int:
            with ctx.store.unit_of_work() as uow:
                marked = uow.outbox.mark_dealt_with(event_ids, by)
                uow.commit()
            return marked

        def done(_marked: int) -> None:
            dialog = getattr(self, "_refused_dialog", None)
            if dialog is not None:
                dialog.remove_events(event_ids)
            ctx.notify_local_change()  # the sync status recounts what is refused

        CollectionOp(fn=run, success=done, failure=ctx.taskman.report, changes=()).run(ctx.taskman)

    def test_alarm(self) -> None:
        if self.sound is None:
            return
        check = self.sound.test_alarm()
        if not check.ok:
            text = self.tr("The alarm cannot sound: %1").replace("%1", check.text)
            self.notice(QMessageBox.Icon.Warning, self.tr("Alarm test"), text)
        else:
            self.status.flash(self.tr("Test alarm playing: confirm you can hear it."), 5000)

    def check_audio(self) -> None:
        if self.sound is not None:
            self.sound.check_audio()

    @property
    def _not_heard(self) -> AudioCheck | None:
        value: AudioCheck | None = self.ctx.audio_not_heard
        return value

    @_not_heard.setter
    def _not_heard(self, value: AudioCheck | None) -> None:
        self.ctx.audio_not_heard = value

    def _audio_checked(self, check: AudioCheck) -> None:
        """A software audio check (``AlarmSound.audio_checked``) → the no-audio warning and HQ.

        The one place of the rule: while the control room has said the test alarm was NOT heard
        (``self._not_heard``), a software check that is ok changes nothing (software cannot see a
        switched-off speaker); only a later test confirmed heard clears it. A failing software
        check is shown as it is: it is fresh and names its own cause.
        """
        shown = check if self._not_heard is None or not check.ok else self._not_heard
        self.no_audio.set_check(shown)
        self._report_audio(shown)

    def _report_audio(self, check: AudioCheck) -> None:
        """HQ gets the check's English ``detail`` (HQ staff read it), never the operator's translated text."""
        if self.ctx.engine is not None:
            self.ctx.engine.set_audio_status(bool(check.ok), str(check.detail))

    def _test_finished(self, check: AudioCheck) -> None:
        """``AlarmSound.test_finished``: a test that played its full time asks whether it was heard.

        Interrupted or stopped tests ask nothing; a failed start already showed a notice.
        """
        from ui.alarm.sound import CheckReason

        if check.reason != CheckReason.TEST_PLAYED:
            return
        if self._test_question is not None:
            self._test_question.close()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Alarm test"),
            self.tr("Test alarm finished. Did everyone in the control room hear it clearly?"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("test-alarm-question")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        # Both buttons ActionRole: no escape button, so Esc or closing cannot answer "not heard" by accident.
        heard = box.addButton(self.tr("Yes, we heard it"), QMessageBox.ButtonRole.ActionRole)
        heard.setObjectName("heard")
        not_heard = box.addButton(self.tr("No, it was not heard"), QMessageBox.ButtonRole.ActionRole)
        not_heard.setObjectName("not-heard")
        heard.clicked.connect(lambda _c=False, d=check.device: self._test_confirmed(True, d))
        not_heard.clicked.connect(lambda _c=False, d=check.device: self._test_confirmed(False, d))
        box.destroyed.connect(lambda _o=None, b=box: self._question_gone(b))
        self._test_question = box
        box.open()

    def _question_gone(self, box: QMessageBox) -> None:
        if self._test_question is box:
            self._test_question = None

    def _test_confirmed(self, heard: bool, device: str = "") -> None:
        """The operator's answer to "did everyone hear the test alarm?": the warning and HQ follow it."""
        from ui.alarm.sound import confirmation_detail, not_heard_check

        who = self.ctx.author.display_name
        now = utcnow()
        if not heard:
            log.error("test alarm NOT heard, confirmed by %s", who)
            self._not_heard = not_heard_check(who, now, device)
            self.no_audio.set_check(self._not_heard)
            self._report_audio(self._not_heard)
            self.status.flash(self.tr("Test alarm not heard: the warning stays until a test alarm is heard."), 8000)
            return
        log.info("test alarm heard, confirmed by %s", who)
        self._not_heard = None
        software = self.sound.last_check if self.sound is not None else None
        if software is not None and not software.ok:
            self._audio_checked(software)  # the software has since found a fault: that stands
        else:
            if software is not None:
                self.no_audio.set_check(software)
            else:
                self.no_audio.hide()
            if self.ctx.engine is not None:
                self.ctx.engine.set_audio_status(True, confirmation_detail(True, who, now))
        self.status.flash(self.tr("Test alarm heard: thank you, reported to HQ."), 5000)

    def notice(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the event loop (no nested ``exec``)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("notice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        return box

    def _environment_error(self, message: str) -> None:
        self.notice(
            QMessageBox.Icon.Critical,
            self.tr("Local store problem"),
            self.tr("The local store on this workstation failed: %1\n\nCheck free disk space. "
                    "Your drafts are kept; call the district IT contact if this repeats.").replace("%1", message),
        )

    def _bug(self, text: str) -> None:
        self.status.flash(self.tr("Internal error; details were logged for a report."), 8000)

    def _login_required(self, reason: str) -> None:
        from ui.login import LoginDialog

        if getattr(self, "_login_dialog", None) is not None or self.ctx.session is None:
            return
        dialog = LoginDialog(
            self.ctx.taskman,
            self.ctx.device_id,
            hq_url=self.ctx.hq_url,
            username=self.ctx.username,
            lang=self.ctx.lang,
            message=self.tr("Your login has expired (%1). Log in again; your work is kept and will be sent.").replace(
                "%1", reason
            ),
            session=self.ctx.session,
            parent=self,
        )
        self._login_dialog: Any = dialog

        def logged_in(session: Any, user: Any, password: str) -> None:
            self.save_verifier(user.username, password)

        dialog.logged_in.connect(logged_in)
        dialog.finished.connect(lambda _r: setattr(self, "_login_dialog", None))
        dialog.open()

    def save_verifier(self, username: str, password: str, identity: dict[str, Any] | None = None) -> None:
        """After a sign-in HQ accepted: the user's PBKDF2 verifier and identity, for an offline sign-in
        at the lock screen later (the DB worker; the derivation takes ~0.3 s on purpose)."""
        store = self.ctx.store
        ident = dict(identity or self._identity())
        ident_text = identity_json(str(ident["id"]), username, str(ident.get("display_name") or username),
                                   str(ident.get("role") or ""), ident.get("district"))

        def save() -> None:
            verifier = make_verifier(username, password)
            with store.unit_of_work() as uow:
                uow.meta.set(VERIFIER_META_KEY, verifier)
                uow.meta.set(user_verifier_key(username), verifier)
                uow.meta.set(user_identity_key(username), ident_text)
                uow.commit()

        QueryOp(fn=save).run(self.ctx.taskman)

    # ---- lock --------------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        for form in list(self.forms.values()):
            if alive(form) and form.isVisible():
                form.close()  # saves its draft
        for name in ("_mute_dialog", "_refused_dialog"):
            dialog = getattr(self, name, None)
            if dialog is not None and alive(dialog):
                dialog.close()
        self.detail.close_entry()
        self._selected_before_lock = self.detail.case_id
        self.detail.forget()
        self.queue.model.set_private_hidden(True)
        self.banner.set_locked(True)
        self.mute_notice.set_locked(True)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()
        self.menuBar().setEnabled(False)
        self._sync_ack_shortcut()
        self.locked_changed.emit(True)

    def _identity(self) -> dict[str, Any]:
        ctx = self.ctx
        return {"id": ctx.author.user_id, "username": ctx.username, "display_name": ctx.author.display_name,
                "role": ctx.role, "district": ctx.district}

    def _verify_unlock(self, username: str, password: str, acknowledge: bool = False) -> None:
        """Check who is signing in at the lock screen; any operator of this console may (shift change).

        Online: HQ checks the password (a login). Another user is first checked with a login that is
        not kept (``HQClient.login``): only a user of this console's district is then signed in on the
        session, so a refused user never takes over the sync. Offline (or HQ unreachable): only a user
        who signed in on this console before, against that user's own verifier. Runs the check off the
        GUI thread; ``acknowledge`` acknowledges the ringing case right after, in the new user's name.
        """
        ctx = self.ctx
        store = ctx.store
        current = self._identity()
        same_user = username.strip().lower() == str(ctx.username).strip().lower()
        online = ctx.engine is not None and str(getattr(ctx.engine.status, "state", "")) in ("online", "syncing")

        def verify_local() -> tuple[str, dict[str, Any] | None]:
            with store.reader() as uow:
                identity = parse_identity(uow.meta.get(user_identity_key(username)))
                verifier = uow.meta.get(user_verifier_key(username))
                if same_user and (identity is None or verifier is None):
                    identity, verifier = current, uow.meta.get(VERIFIER_META_KEY)
            if identity is None or verifier is None:
                return "unknown", None
            if not check_verifier(verifier, str(identity["username"]), password):
                return "wrong", None
            if identity.get("district") != ctx.district:
                return "other_district", identity
            return "ok", identity

        def verify_hq() -> tuple[str, dict[str, Any] | None]:
            from sync.errors import HQRefused, HQUnreachable

            try:
                if not same_user:
                    user = ctx.session.client.login(username, password, ctx.device_id, "workstation").user
                    identity = {"id": user.id, "username": user.username, "display_name": user.display_name,
                                "role": user.role, "district": user.district}
                    if user.district != ctx.district:
                        return "other_district", identity
                user = ctx.session.login(ctx.hq_url, username, password, ctx.device_id, "workstation")
            except HQRefused:  # wrong password (401, Unauthenticated), locked account (423)
                return "wrong", None
            except HQUnreachable:
                return verify_local()
            return "ok", {"id": user.id, "username": user.username, "display_name": user.display_name,
                          "role": user.role, "district": user.district}

        def done(result: tuple[str, dict[str, Any] | None]) -> None:
            outcome, identity = result
            if outcome == "ok" and identity is not None:
                if identity["id"] != ctx.author.user_id:
                    self.switch_user(identity)
                if online:
                    self.save_verifier(str(identity["username"]), password, identity)
                self.unlock()
                case_id = self.banner.current_case_id
                if acknowledge and case_id is not None and self.banner.acknowledge_action.isEnabled():
                    self.acknowledge(case_id)
            elif outcome == "unknown":
                self.lock_screen.fail(self.tr(
                    "%1 has not signed in on this console before, and HQ cannot be reached to check. "
                    "Sign in with a user who has, or wait for the link.").replace("%1", username))
            elif outcome == "other_district":
                self.lock_screen.fail(self.tr("%1 is not an operator of this console's district.").replace(
                    "%1", str((identity or {}).get("display_name") or username)))
            else:
                self.lock_screen.fail(self.tr("Wrong user name or password."))

        def failed(exc: BaseException) -> None:
            self.lock_screen.fail(self.tr("Could not check the password: %1").replace("%1", str(exc)))

        if online and ctx.session is not None:
            QueryOp(fn=verify_hq, success=done, failure=failed, network=True).run(ctx.taskman)
        else:
            QueryOp(fn=verify_local, success=done, failure=failed, pool="read").run(ctx.taskman)

    def switch_user(self, identity: dict[str, Any]) -> None:
        """Shift change at the lock screen: from now on entries are recorded in this user's name."""
        from core.events import Author

        ctx = self.ctx
        log.warning("console user changes from %s to %s", ctx.username, identity.get("username"))
        ctx.author = Author(str(identity["id"]), str(identity.get("display_name") or identity["username"]))
        ctx.username = str(identity["username"])
        ctx.role = str(identity.get("role") or ctx.role)
        self._show_user()
        self.lock_screen.set_user(f"{ctx.author.display_name} ({ctx.username})", ctx.username)
        self._set_title()

    def unlock(self) -> None:
        self.locked = False
        self.idle.touch()
        self.stack.setCurrentIndex(0)
        self.queue.model.set_private_hidden(False)
        self.banner.set_locked(False)
        self.mute_notice.set_locked(False)
        self.menuBar().setEnabled(True)
        self._sync_ack_shortcut()
        self.refresh_all()
        if getattr(self, "_selected_before_lock", ""):
            self.detail.show_case(self._selected_before_lock)
        self.locked_changed.emit(False)
        self.unlocked.emit()

    # ---- language, close ---------------------------------------------------------------------------
    def _choose_language(self, lang: str) -> None:
        if lang != self.ctx.lang:
            self.language_change_requested.emit(lang)

    def close_forms(self) -> None:
        for form in list(self.forms.values()):
            if alive(form) and form.isVisible():
                form.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        for timer in (self._refresh_timer, self._sweep_timer):
            timer.stop()
        self.close_forms()
        if self.sound is not None:
            self.sound.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        super().closeEvent(event)
