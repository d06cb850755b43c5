"""The main window: alarm banner on top, queue on the left, case detail on the right, sync status below.

The window composes parts and routes signals; it holds no case data itself and does no I/O. Its
parts each do one job: the alarm feed (``ui.alarm.controller``) and audio health (``ui.alarm.health``), the
form opener (``ui.form_opener``), lock and shift change (``ui.shift``), the menus (``ui.menus``) and
the screen fit (``ui.screen_fit``). Reads and writes are named operations (``ui.operations``) on the
worker pools. After every change (``TaskManager.cases_changed``, from a local action or a pull) the
queue, the shown case and the alarm re-query (coalesced into one refresh per ``REFRESH_COALESCE_MS``).

Keyboard: Ctrl+K acknowledge (the banner's own action while it shows an alert, otherwise the
selected case), Ctrl+D dispatch, Ctrl+O outcome, Ctrl+N counselling note, Ctrl+F search, F5 sync
now, Ctrl+Shift+L lock.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.events import EventType, iso, utcnow
from ui.alarm import (
    AlarmBanner,
    AlarmController,
    AlarmSound,
    Attention,
    MuteDialog,
    MuteNotice,
    NoAudioWarning,
    RingReason,
)
from ui.alarm.audio_check import AudioCheck
from ui.alarm.controller import AlarmFeed
from ui.alarm.health import AudioHealth
from ui.context import ApplicationContext
from ui.detail import DetailPane
from ui.district_layout import console_tabs
from ui.form_opener import FormOpener
from ui.forms import ActionForm, specs_for
from ui.forms.messages import not_saved_text
from ui.labels import event_label, role_label
from ui.lock import IdleWatcher, LockScreen
from ui.menus import build_menus
from ui.operations import is_user_error
from ui.operations.cases import refused_entries
from ui.operations.console import fetch_place_names, save_place_names, stored_place_names, sync_now
from ui.operations.record import mark_refused_dealt_with, record_event
from ui.queue_view import QueueView
from ui.screen_fit import ScreenFit
from ui.shift import ShiftLock
from ui.status_bar import RefusedDialog, SyncStatusBar

log = logging.getLogger(__name__)


def _json(names: dict[str, str]) -> str:
    return json.dumps(names, ensure_ascii=False, sort_keys=True)


REFRESH_COALESCE_MS = 80
# A new alert takes the detail pane from an open case nobody has touched for this long.
RINGING_TAKES_OVER_IDLE_S = 30
STARTUP_SCAN_DELAY_MS = 1500


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    unlocked = Signal()
    locked_changed = Signal(bool)

    def __init__(self, ctx: ApplicationContext, *, with_sound: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("main-window")
        self.locked = False
        self._pending_changes: set[str] | None = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_COALESCE_MS)
        self._refresh_timer.timeout.connect(self._refresh_now)
        self._closed = False
        self.mute_dialog: QDialog | None = None
        self.refused_dialog: RefusedDialog | None = None

        self.queue = QueueView(ctx)
        self.detail = DetailPane(ctx)
        self.opener = FormOpener(ctx, self.detail)
        self.shift = ShiftLock(self)
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
        self.hq, self.tabs = console_tabs(ctx, splitter, self.queue, with_sound=with_sound, open_case=self.open_case)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_screen)

        self._build_alarm(with_sound)
        self.alarm.alarm_started.connect(self.tabs.show_alarm_target)  # never behind another tab
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.mute_notice)
        layout.addWidget(self.no_audio)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = SyncStatusBar()
        self.status.watch_disk(ctx.taskman, ctx.data_dir, ctx.settings.disk_free_warn_mb * 1024 * 1024)
        self.setStatusBar(self.status)
        self.show_user()
        self.ack_action, self.form_actions = build_menus(self)
        # The banner owns Ctrl+K while it shows an alert; two enabled actions on one key fire neither.
        self.banner.acknowledge_action.enabledChanged.connect(self.sync_ack_shortcut)
        self.sync_ack_shortcut()
        self.set_title()
        self.screen_fit = ScreenFit(self)

        self.queue.case_selected.connect(self._on_case_selected)
        self.detail.action_requested.connect(self.open_form)
        ctx.taskman.cases_changed.connect(self._on_cases_changed)
        ctx.taskman.environment_error.connect(self._environment_error)
        ctx.taskman.bug.connect(self._bug)
        ctx.bridge.status.connect(self.status.set_status)
        ctx.bridge.login_required.connect(self._login_required)
        self.status.refused_clicked.connect(self.show_refused)
        self.lock_screen.unlock_requested.connect(self._verify_unlock)

        self.idle = IdleWatcher(ctx.settings.idle_lock_min * 60.0, self)
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
        self.sound = AlarmSound.from_settings(self.ctx.settings, parent=self) if with_sound else None
        self.alarm = AlarmController.from_settings(
            self.sound, self.ctx.settings, parent=self, tier=self.ctx.author.tier
        )
        self.banner = AlarmBanner(self, place_name=self.ctx.places.name)
        self.no_audio = NoAudioWarning(self)
        self.mute_notice = MuteNotice(self)
        self.mute_notice.unmute_requested.connect(self.unmute)
        self.feed = AlarmFeed(self.ctx, self.alarm, self.mute_notice, parent=self)
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
        self.health = AudioHealth(
            self.ctx, self.sound, self.no_audio, self, lambda text, ms: self.status.flash(text, ms), self.notice
        )

    def _alarm_refused(self, refusals: list[Any]) -> None:
        """Cases this console silenced by an acknowledgement or mute HQ refused: say so, with HQ's
        reason, instead of ringing (the refused entries are listed under the status bar's "refused")."""
        if not refusals:
            return
        first = refusals[0]  # no personal data: the console may be locked
        what = self.tr("acknowledgement") if first.what == "ack" else self.tr("mute")
        text = self.tr("Alarm silenced on this console although HQ refused its %1: %2. Call HQ.")
        self.status.flash(text.replace("%1", what).replace("%2", first.reason), 120_000)

    def show_user(self) -> None:
        """Who works at this console, in words: name · role · district (or HQ)."""
        ctx = self.ctx
        where = ctx.places.name(ctx.district) if ctx.district else self.tr("HQ")
        self.status.set_user(f"{ctx.author.display_name} · {role_label(ctx.role)} · {where}")
        if ctx.district:
            self.status.user.set_detail_tooltip(ctx.district)

    def set_title(self) -> None:
        who = self.ctx.author.display_name
        self.setWindowTitle(self.tr("Rakshak — control room") + f" — {who}{self.ctx.title_suffix}")

    def sync_ack_shortcut(self, *_: Any) -> None:
        self.ack_action.setEnabled(not self.banner.acknowledge_action.isEnabled() and not self.locked)

    def fit_to_screen(self) -> None:
        self.screen_fit.fit()

    # ---- refresh -----------------------------------------------------------------------------------
    def refresh_all(self) -> None:
        self._pending_changes = None
        self._refresh_now()
        # The sweep scans every open case: let the first page, the detail and the alarm go first.
        QTimer.singleShot(STARTUP_SCAN_DELAY_MS, self, self.feed.sweep)

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
            self.feed.watch_cases(changed)
        if not self.locked:
            self.queue.refresh()
            if self.detail.case_id and (changed is None or self.detail.case_id in changed):
                self.detail.reload()
        self.feed.refresh()

    @property
    def alarm_rows(self) -> list[Any]:
        return self.feed.rows

    def load_place_names(self) -> None:
        """District and police station names: from the store at once (offline too), then fresh from HQ.

        HQ's ``GET /districts`` runs on the network pool; a failure leaves the stored names (or the codes)
        in place and is only logged: names are a courtesy, never a reason to bother the operator.
        """
        ctx = self.ctx

        def fetch_failed(exc: BaseException) -> None:
            log.info("place names not refreshed from HQ: %s", exc)

        def fetched(names: dict[str, str]) -> None:
            if names:
                self.apply_place_names(names)
                save_place_names(ctx, _json(names)).run(ctx.taskman)

        def loaded(names: dict[str, str]) -> None:
            if names and not self._closed:
                self.apply_place_names(names)
            op = fetch_place_names(ctx, success=fetched, failure=fetch_failed)
            if op is not None and not self._closed:
                op.run(ctx.taskman)

        stored_place_names(ctx, success=loaded).run(ctx.taskman)

    def apply_place_names(self, names: dict[str, str]) -> None:
        """Show names instead of codes everywhere they appear (queue, filter, banner, detail, forms' labels)."""
        if self._closed or not names or not self.ctx.places.update(names):
            return
        self.queue.model.names_changed()
        self.show_user()
        self.queue.refresh_station_names()
        self.banner.set_ringing(list(getattr(self.banner, "_ringing", [])))
        if not self.locked:
            self.detail.reload()

    # ---- selection and forms -----------------------------------------------------------------------
    def _on_case_selected(self, case_id: str) -> None:
        if not self.locked:
            self.detail.show_case(case_id)

    def open_case(self, case_id: str) -> None:
        self.tabs.show_cases()
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

        def done(_event: Any) -> None:
            self.status.flash(what or event_label(str(etype)), 4000)

        def failed(exc: BaseException) -> None:
            if is_user_error(exc):
                self.notice(QMessageBox.Icon.Information, event_label(str(etype)), not_saved_text(exc))
            else:
                ctx.taskman.report(exc)

        record_event(ctx, case_id, etype, payload, success=done, failure=failed).run(ctx.taskman)

    def acknowledge(self, case_id: str) -> None:
        if self.locked:
            return
        self.record(case_id, EventType.ACKNOWLEDGED, {}, self.tr("Acknowledged"))
        if self.detail.case_id != case_id:
            self.open_case(case_id)

    def mute(self, case_id: str) -> None:
        row = next((r for r in self.alarm_rows if r.case_id == case_id), None)
        station = self.ctx.places.name(row.police_station) if row is not None else ""
        label = f"{row.subject_name or ''} — {station}" if row is not None else case_id
        dialog = MuteDialog(label, self)
        self.mute_dialog = dialog
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
        if self.opener.any_open():
            return
        settled = not self.detail.case_id or shown is None or shown.is_closed
        if settled or self.idle.idle_for_s() >= RINGING_TAKES_OVER_IDLE_S:
            ringing = self.alarm.ringing
            # The most urgent ringing case: the one the banner shows and its buttons act on.
            self.open_case(ringing[0].case_id if ringing else case_id)

    def unmute(self, case_id: str) -> None:
        """End a mute early: record a mute that ends in a second (``core`` allows only mutes that end in
        the future), with the reason saying who ended it. The alarm rings again at once."""
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
        known = self.opener.forms.get((case_id, form_id))
        form = self.opener.open(form_id, case_id, self)
        if form is not known:
            title = specs_for()[form_id].title
            form.recorded.connect(lambda _e: self.status.flash(title + " ✓", 4000))
        return form

    @property
    def forms(self) -> dict[tuple[str, str], ActionForm]:
        return self.opener.forms

    # ---- sync, alarm, errors -----------------------------------------------------------------------
    def sync_now(self) -> None:
        op = sync_now(self.ctx)
        if op is not None:
            self.status.flash(self.tr("Syncing with HQ…"), 3000)
            op.run(self.ctx.taskman)

    def show_refused(self) -> None:
        def done(items: list[Any]) -> None:
            dialog = RefusedDialog(items, self)
            dialog.open_case.connect(self.open_case)
            dialog.dealt_with.connect(self.mark_refused_dealt_with)
            self.refused_dialog = dialog
            dialog.open()

        refused_entries(self.ctx, success=done).run(self.ctx.taskman)

    def mark_refused_dealt_with(self, event_ids: list[str]) -> None:
        """Record on the DB worker that the signed-in operator dealt with these refused entries."""

        def done(_marked: int) -> None:
            if self.refused_dialog is not None:
                self.refused_dialog.remove_events(event_ids)
            self.ctx.notify_local_change()  # the sync status recounts what is refused

        mark_refused_dealt_with(self.ctx, event_ids, success=done).run(self.ctx.taskman)

    def test_alarm(self) -> None:
        self.health.test_alarm()

    def check_audio(self) -> None:
        self.health.check_audio()

    def _audio_checked(self, check: AudioCheck) -> None:
        self.health.audio_checked(check)

    def _test_finished(self, check: AudioCheck) -> None:
        self.health.test_finished(check)

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
        from ui.login import LoginDialog  # only when HQ asks for a new sign-in: kept off the start-up path
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
        """After a sign-in HQ accepted: the verifier for an offline sign-in at the lock screen later."""
        self.shift.save_verifier(username, password, identity)

    # ---- lock --------------------------------------------------------------------------------------
    def lock(self) -> None:
        self.shift.lock()

    def _verify_unlock(self, username: str, password: str, acknowledge: bool = False) -> None:
        self.shift.verify(username, password, acknowledge)

    def switch_user(self, identity: dict[str, Any]) -> None:
        self.shift.switch_user(identity)

    def unlock(self) -> None:
        self.shift.unlock()

    # ---- language, close ---------------------------------------------------------------------------
    def choose_language(self, lang: str) -> None:
        if lang != self.ctx.lang:
            self.language_change_requested.emit(lang)

    def close_forms(self) -> None:
        self.opener.close_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self._refresh_timer.stop()
        self.feed.stop()
        self.tabs.stop()
        self.close_forms()
        if self.sound is not None:
            self.sound.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        super().closeEvent(event)
