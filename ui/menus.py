"""The main window's menus and their keyboard shortcuts (every action also reachable by key).

Translation context ``MainWindow``: the menus are the window's words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from core.events import Tier
from ui.claims import open_claims, open_register
from ui.forms import specs_for
from ui.forms.specs import NEW_CASE_FORMS
from ui.i18n import LANGUAGE_NAMES
from ui.reports import open_reports
from ui.tips.officers import KEEPER_ROLES, open_officers

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_Q = QCoreApplication  # pyside6-lupdate extracts the literal ``_Q.translate("MainWindow", ...)`` calls


def _action(
    window: MainWindow, menu: Any, text: str, slot: Callable[[], Any], shortcut: str = "", name: str = ""
) -> QAction:
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _c=False: slot())
    action.setObjectName(name or text)
    menu.addAction(action)
    window.addAction(action)
    return action


# Forms only an HQ account uses: a district console does not show them.
HQ_FORMS = frozenset({"assign", *NEW_CASE_FORMS})


def build_menus(w: MainWindow) -> tuple[QAction, dict[str, QAction]]:
    """Fill ``w``'s menu bar; returns the Acknowledge action and the form actions by form id.

    An HQ account (``Tier.HQ``) also gets the HQ menu (manual intake, Ctrl+I) and the routing form."""
    bar = w.menuBar()
    hq = w.ctx.author.tier is Tier.HQ
    case = bar.addMenu(_Q.translate("MainWindow", "&Case"))
    ack = _action(w, case, _Q.translate("MainWindow", "Acknowledge"), w.acknowledge_selected, "Ctrl+K", "ack")
    form_actions: dict[str, QAction] = {}
    specs = specs_for()
    if hq:
        hq_menu = bar.addMenu(_Q.translate("MainWindow", "&HQ"))
        intake = specs["intake"]
        form_actions["intake"] = _action(
            w, hq_menu, intake.title + "…", partial(w.opener.open_intake, w), intake.shortcut, "form-intake"
        )
    for form_id, spec in specs.items():
        if form_id == "acknowledge" or form_id in NEW_CASE_FORMS or (form_id in HQ_FORMS and not hq):
            continue
        form_actions[form_id] = _action(
            w, case, spec.title + "…", partial(w.open_form, form_id), spec.shortcut, f"form-{form_id}"
        )
    view = bar.addMenu(_Q.translate("MainWindow", "&View"))
    _action(w, view, _Q.translate("MainWindow", "Search"), w.queue.focus_search, "Ctrl+F", "search")
    _action(w, view, _Q.translate("MainWindow", "Refresh"), w.refresh_all, "Ctrl+R", "refresh")
    _action(w, view, _Q.translate("MainWindow", "Reports…"), partial(open_reports, w), "Ctrl+Shift+R", "reports")
    _action(w, view, _Q.translate("MainWindow", "Misinformation claims…"), partial(open_claims, w), "", "claims")
    _action(w, view, _Q.translate("MainWindow", "Suspicious accounts…"), partial(open_register, w), "", "register")
    if w.ctx.role in KEEPER_ROLES:  # the SP office keeps its district's officers for tips
        _action(w, view, _Q.translate("MainWindow", "Officers for tips…"), partial(open_officers, w), "", "officers")
    sync = bar.addMenu(_Q.translate("MainWindow", "&Sync"))
    _action(w, sync, _Q.translate("MainWindow", "Sync now"), w.sync_now, "F5", "sync-now")
    _action(w, sync, _Q.translate("MainWindow", "Changes refused by HQ…"), w.show_refused, "", "refused")
    alarm = bar.addMenu(_Q.translate("MainWindow", "&Alarm"))
    _action(w, alarm, _Q.translate("MainWindow", "Test the alarm sound"), w.test_alarm, "", "test-alarm")
    _action(w, alarm, _Q.translate("MainWindow", "Check audio now"), w.check_audio, "", "check-audio")
    settings = bar.addMenu(_Q.translate("MainWindow", "S&ettings"))
    lang_menu = settings.addMenu(_Q.translate("MainWindow", "Language / भाषा"))
    group = QActionGroup(w)
    for code, name in LANGUAGE_NAMES.items():
        act = QAction(name, w)
        act.setCheckable(True)
        act.setChecked(code == w.ctx.lang)
        act.triggered.connect(lambda _c=False, c=code: w.choose_language(c))
        group.addAction(act)
        lang_menu.addAction(act)
    _action(w, settings, _Q.translate("MainWindow", "Lock now"), w.lock, "Ctrl+Shift+L", "lock")
    return ack, form_actions
