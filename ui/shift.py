"""Lock and unlock the console, and the shift change at the lock screen.

Locking hides every piece of personal data (forms close and keep their drafts, the detail pane
forgets, queue names become dots) while the alarm keeps ringing. Unlocking checks who signs in
(``ui.operations.console.verify_unlock``: HQ when reachable, else that user's own verifier on this
console); another operator of this district takes over the console, and entries are recorded in
the new user's name from then on. The layout is the console's: a district console takes district
operators only, an HQ console HQ accounts only (an account of the other tier is refused with a
sentence saying where it signs in), since an HQ layout under a district account, or the reverse,
would show one the other's cases and controls. GUI thread only; the checks run on the worker pools.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from core.events import Tier, tier_for_role
from ui.operations import alive
from ui.operations.console import Verdict, link_online, save_verifier, verify_unlock

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class ShiftLock:
    def __init__(self, window: MainWindow) -> None:
        self._w = window
        self._selected_before_lock = ""

    def save_verifier(self, username: str, password: str, identity: dict[str, Any] | None = None) -> None:
        ctx = self._w.ctx
        save_verifier(ctx.store, username, password, dict(identity or ctx.user.identity())).run(ctx.taskman)

    def lock(self) -> None:
        w = self._w
        if w.locked:
            return
        w.locked = True
        w.opener.close_all()  # each saves its draft
        for dialog in (w.mute_dialog, w.refused_dialog):
            if dialog is not None and alive(dialog):
                dialog.close()
        w.detail.close_entry()
        self._selected_before_lock = w.detail.case_id
        w.detail.forget()
        w.queue.model.set_private_hidden(True)
        w.banner.set_locked(True)
        w.mute_notice.set_locked(True)
        w.stack.setCurrentWidget(w.lock_screen)
        w.lock_screen.reset()
        w.menuBar().setEnabled(False)
        w.sync_ack_shortcut()
        w.locked_changed.emit(True)

    def unlock(self) -> None:
        w = self._w
        w.locked = False
        w.idle.touch()
        w.stack.setCurrentIndex(0)
        w.queue.model.set_private_hidden(False)
        w.banner.set_locked(False)
        w.mute_notice.set_locked(False)
        w.menuBar().setEnabled(True)
        w.sync_ack_shortcut()
        w.refresh_all()
        if self._selected_before_lock:
            w.detail.show_case(self._selected_before_lock)
        w.locked_changed.emit(False)
        w.unlocked.emit()

    def verify(self, username: str, password: str, acknowledge: bool = False) -> None:
        """Check who signs in at the lock screen; ``acknowledge`` acknowledges the ringing case right
        after, in the new user's name."""
        w = self._w
        ctx = w.ctx
        online = link_online(ctx)

        def done(result: Verdict) -> None:
            outcome, identity = result
            if outcome == "ok" and identity is not None:
                if identity["id"] != ctx.author.user_id:
                    self.switch_user(identity)
                if online:
                    self.save_verifier(str(identity["username"]), password, identity)
                self.unlock()
                case_id = w.banner.current_case_id
                if acknowledge and case_id is not None and w.banner.acknowledge_action.isEnabled():
                    w.acknowledge(case_id)
            elif outcome == "unknown":
                w.lock_screen.fail(QCoreApplication.translate(
                    "MainWindow",
                    "%1 has not signed in on this console before, and HQ cannot be reached to check. "
                    "Sign in with a user who has, or wait for the link.").replace("%1", username))
            elif outcome == "other_district" and identity is not None and self.other_tier(identity):
                w.lock_screen.fail(self.other_tier_text(str(identity.get("display_name") or username)))
            elif outcome == "other_district":
                w.lock_screen.fail(QCoreApplication.translate(
                    "MainWindow", "%1 is not an operator of this console's district.").replace(
                    "%1", str((identity or {}).get("display_name") or username)))
            else:
                w.lock_screen.fail(QCoreApplication.translate("MainWindow", "Wrong user name or password."))

        def failed(exc: BaseException) -> None:
            text = QCoreApplication.translate("MainWindow", "Could not check the password: %1")
            w.lock_screen.fail(text.replace("%1", str(exc)))

        verify_unlock(ctx, username, password, online=online, success=done, failure=failed).run(ctx.taskman)

    def other_tier(self, identity: dict[str, Any]) -> bool:
        """Whether ``identity`` is of the other tier than this console's layout (an HQ account at a
        district console, or a district operator at an HQ console)."""
        return tier_for_role(str(identity.get("role") or "")) is not self._w.ctx.author.tier

    def other_tier_text(self, name: str) -> str:
        if self._w.ctx.author.tier is Tier.HQ:
            text = QCoreApplication.translate(
                "MainWindow", "%1 is a district operator; this console shows HQ's board and cases. A district "
                "operator signs in at the district's own console.")
        else:
            text = QCoreApplication.translate(
                "MainWindow", "%1 is an HQ account; this console is a district's. HQ accounts sign in at an "
                "HQ console, which shows the board of every district.")
        return text.replace("%1", name)

    def switch_user(self, identity: dict[str, Any]) -> None:
        """Shift change at the lock screen: from now on entries are recorded in this user's name.

        The layout stays the console's: an account of the other tier is refused before this (its
        district differs from the console's, so ``verify_unlock`` never signs it in on the session),
        and refused here too, so an HQ layout never runs under a district operator or the reverse.
        """
        w = self._w
        ctx = w.ctx
        if self.other_tier(identity):
            raise ValueError("a shift change never crosses between HQ and a district")
        log.warning("console user changes from %s to %s", ctx.username, identity.get("username"))
        ctx.user.switch(identity)
        w.show_user()
        w.lock_screen.set_user(f"{ctx.author.display_name} ({ctx.username})", ctx.username)
        w.set_title()
        if w.hq is not None:
            w.hq.user_changed()  # an admin taking over may edit the escalation policies

