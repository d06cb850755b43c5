"""Audio health: whether the alarm can be heard, from the software check and the control room's word.

The one place of the rule: while the control room has said the test alarm was NOT heard
(``ctx.audio.not_heard``, kept in the context so a window rebuilt for a language switch keeps it), a
software check that is ok changes nothing (software cannot see a switched-off speaker); only a later
test confirmed heard clears it. A failing software check is shown as it is: it is fresh and names its
own cause. HQ gets each verdict's English ``detail`` (HQ staff read it), never the translated text.
GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from core.events import utcnow
from ui.alarm.audio_check import AudioCheck, CheckReason, confirmation_detail, not_heard_check
from ui.operations.console import set_audio_status, set_test_alarm

if TYPE_CHECKING:
    from ui.alarm.banner import NoAudioWarning
    from ui.alarm.sound import AlarmSound
    from ui.context import ApplicationContext

log = logging.getLogger(__name__)


class AudioHealth(QObject):
    def __init__(
        self,
        ctx: ApplicationContext,
        sound: AlarmSound | None,
        warning: NoAudioWarning,
        window: QWidget,
        flash: Callable[[str, int], None],
        notice: Callable[[QMessageBox.Icon, str, str], object],
    ) -> None:
        super().__init__(window)
        self._ctx = ctx
        self.sound = sound
        self.warning = warning
        self._window = window
        self._flash = flash
        self._notice = notice
        self.question: QMessageBox | None = None
        if sound is not None:
            sound.audio_checked.connect(self.audio_checked)
            sound.test_finished.connect(self.test_finished)
            warning.recheck_requested.connect(sound.check_audio)
            warning.test_requested.connect(self.test_alarm)
            sound.start_monitoring()
        else:
            warning.hide()

    @property
    def not_heard(self) -> AudioCheck | None:
        return self._ctx.audio.not_heard

    def audio_checked(self, check: AudioCheck) -> None:
        """A software audio check (``AlarmSound.audio_checked``) → the no-audio warning and HQ."""
        shown = check if self.not_heard is None or not check.ok else self.not_heard
        self.warning.set_check(shown)
        set_audio_status(self._ctx, bool(shown.ok), str(shown.detail))

    def test_alarm(self) -> None:
        if self.sound is None:
            return
        check = self.sound.test_alarm()
        if not check.ok:
            text = self.tr("The alarm cannot sound: %1").replace("%1", check.text)
            self._notice(QMessageBox.Icon.Warning, self.tr("Alarm test"), text)
        else:
            self._flash(self.tr("Test alarm playing: confirm you can hear it."), 5000)

    def check_audio(self) -> None:
        if self.sound is not None:
            self.sound.check_audio()

    def test_finished(self, check: AudioCheck) -> None:
        """``AlarmSound.test_finished``: a test that played its full time asks whether it was heard.

        Interrupted or stopped tests ask nothing; a failed start already showed a notice.
        """
        if check.reason != CheckReason.TEST_PLAYED:
            return
        if self.question is not None:
            self.question.close()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Alarm test"),
            self.tr("Test alarm finished. Did everyone in the control room hear it clearly?"),
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        box.setObjectName("test-alarm-question")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        # Both buttons ActionRole: no escape button, so Esc or closing cannot answer "not heard" by accident.
        heard = box.addButton(self.tr("Yes, we heard it"), QMessageBox.ButtonRole.ActionRole)
        heard.setObjectName("heard")
        not_heard = box.addButton(self.tr("No, it was not heard"), QMessageBox.ButtonRole.ActionRole)
        not_heard.setObjectName("not-heard")
        heard.clicked.connect(lambda _c=False, d=check.device: self.test_confirmed(True, d))
        not_heard.clicked.connect(lambda _c=False, d=check.device: self.test_confirmed(False, d))
        box.destroyed.connect(lambda _o=None, b=box: self._question_gone(b))
        self.question = box
        box.open()

    def _question_gone(self, box: QMessageBox) -> None:
        if self.question is box:
            self.question = None

    def test_confirmed(self, heard: bool, device: str = "") -> None:
        """The operator's answer to "did everyone hear the test alarm?": the warning and HQ follow it."""
        who = self._ctx.author.display_name
        now = utcnow()
        set_test_alarm(self._ctx, heard, who, now)  # as fields too: later software checks keep it
        if not heard:
            log.error("test alarm NOT heard, confirmed by %s", who)
            verdict = not_heard_check(who, now, device)
            self._ctx.audio.not_heard = verdict
            self.warning.set_check(verdict)
            set_audio_status(self._ctx, False, str(verdict.detail))
            self._flash(self.tr("Test alarm not heard: the warning stays until a test alarm is heard."), 8000)
            return
        log.info("test alarm heard, confirmed by %s", who)
        self._ctx.audio.not_heard = None
        software = self.sound.last_check if self.sound is not None else None
        if software is not None and not software.ok:
            self.audio_checked(software)  # the software has since found a fault: that stands
        else:
            if software is not None:
                self.warning.set_check(software)
            else:
                self.warning.hide()
            set_audio_status(self._ctx, True, confirmation_detail(True, who, now))
        self._flash(self.tr("Test alarm heard: thank you, reported to HQ."), 5000)
