"""What an audio check found: ``AudioCheck`` and its ``CheckReason``, and the texts made from them.

Plain values, no player: ``ui.alarm.sound`` makes them, ``ui.alarm.health`` and the no-audio
warning read them. Texts use the translation context ``AudioCheck``; ``detail`` stays English (HQ).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication


class CheckReason(enum.StrEnum):
    """What an ``AudioCheck`` found, for the operator's translated text (``AudioCheck.text``)."""

    NO_DEVICE = "no_device"
    DUMMY_OUTPUT = "dummy_output"
    PLAYER_ERROR = "player_error"  # an output exists, the alarm player on it is in error
    LOAD_ERROR = "load_error"  # the player went to error while nothing should sound
    READY = "ready"
    PLAYING = "playing"
    ALREADY_SOUNDING = "already_sounding"
    TEST_PLAYED = "test_played"
    TEST_INTERRUPTED = "test_interrupted"
    TEST_STOPPED = "test_stopped"
    NOT_HEARD = "not_heard"  # a human said the test alarm was not heard: outranks a software "ok"


@dataclass(frozen=True)
class AudioCheck:
    """Result of one audio-path check. ``ok`` False means the alarm cannot sound: show NoAudioWarning.

    ``detail`` is English on purpose: it goes to the log and, with the heartbeat, to HQ, whose staff
    read it. The operator sees ``text``: the same finding in the UI language, translated when read
    (so a language switch re-renders it). A check built without a ``reason`` shows its ``detail``.
    """

    ok: bool
    detail: str
    checked_at: datetime
    device: str = ""
    reason: str = ""

    @property
    def text(self) -> str:
        return audio_check_text(self)


def audio_check_text(check: AudioCheck) -> str:
    """``check``'s finding in the UI language (context ``AudioCheck``; ``%1`` is the device's name)."""
    reason = check.reason
    if reason == CheckReason.NO_DEVICE:
        text = QCoreApplication.translate(
            "AudioCheck", "no audio output device (no sound card, or the audio service is not running)"
        )
    elif reason == CheckReason.DUMMY_OUTPUT:
        text = QCoreApplication.translate(
            "AudioCheck", "only a dummy audio output (no sound card or speaker is connected)"
        )
    elif reason == CheckReason.PLAYER_ERROR:
        text = QCoreApplication.translate("AudioCheck", "the alarm sound cannot be played on “%1” (player error)")
    elif reason == CheckReason.LOAD_ERROR:
        text = QCoreApplication.translate("AudioCheck", "the alarm sound cannot be loaded or played")
    elif reason == CheckReason.READY:
        text = QCoreApplication.translate("AudioCheck", "alarm ready on audio output “%1”")
    elif reason == CheckReason.PLAYING:
        text = QCoreApplication.translate("AudioCheck", "alarm playing on “%1”")
    elif reason == CheckReason.ALREADY_SOUNDING:
        text = QCoreApplication.translate("AudioCheck", "the alarm is already sounding")
    elif reason == CheckReason.TEST_PLAYED:
        text = QCoreApplication.translate("AudioCheck", "test alarm played on “%1”: confirm everyone heard it")
    elif reason == CheckReason.TEST_INTERRUPTED:
        text = QCoreApplication.translate("AudioCheck", "test interrupted: a real alarm started")
    elif reason == CheckReason.TEST_STOPPED:
        text = QCoreApplication.translate("AudioCheck", "test stopped before it finished")
    elif reason == CheckReason.NOT_HEARD:
        text = QCoreApplication.translate("AudioCheck", "the control room did not hear the test alarm")
    else:
        return check.detail
    return text.replace("%1", check.device)


def played_test_check(device: str, checked_at: datetime) -> AudioCheck:
    """What ``test_finished`` reports when the test alarm played its full time on ``device``."""
    return AudioCheck(
        ok=True,
        detail=f"test alarm played on {device!r}: confirm everyone heard it",
        checked_at=checked_at,
        device=device,
        reason=CheckReason.TEST_PLAYED,
    )


def confirmation_detail(heard: bool, who: str, at: datetime) -> str:
    """The English detail HQ reads after the operator answered "did everyone hear the test alarm?"."""
    when = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if heard:
        return f"test alarm heard, confirmed by {who} at {when}"
    return f"test alarm NOT heard (confirmed by {who} at {when}): speakers, volume or cable"


def not_heard_check(who: str, at: datetime, device: str = "") -> AudioCheck:
    """A human's "the test alarm was not heard": ``ok`` False, whatever the software check says."""
    return AudioCheck(
        ok=False, detail=confirmation_detail(False, who, at), checked_at=at, device=device, reason=CheckReason.NOT_HEARD
    )
