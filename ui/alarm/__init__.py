"""The alarm: which cases ring (``core.alarm``, re-exported here), the siren and audio checks
(sound), the decision loop (controller), what the operator sees (banner) and desktop attention
(attention). See docs/ALARM.md.

Wiring in the main window (GUI thread)::

    sound = AlarmSound.from_settings(settings, parent=window)
    controller = AlarmController.from_settings(sound, settings, parent=window)
    controller.ringing_changed.connect(banner.set_ringing)
    controller.alarm_started.connect(Attention(window).alarm_started)
    sound.audio_checked.connect(no_audio_warning.set_check)
    no_audio_warning.recheck_requested.connect(sound.check_audio)
    banner.acknowledge_requested.connect(...)   # record "acknowledged", then re-query
    banner.mute_requested.connect(...)          # MuteDialog -> record "alarm_muted"
    sound.start_monitoring()
    # after every store change and at start-up, from the background query:
    controller.update_rows(alarming_rows + acknowledged_undispatched_rows, utcnow())
"""

from core.alarm import AlarmRow, Ringing, RingReason, ringing_cases
from ui.alarm.attention import Attention
from ui.alarm.audio_check import AudioCheck
from ui.alarm.banner import AlarmBanner, NoAudioWarning
from ui.alarm.controller import AlarmController
from ui.alarm.mute import MuteDialog, MuteNotice
from ui.alarm.sound import AlarmSound

__all__ = [
    "AlarmBanner",
    "AlarmController",
    "AlarmRow",
    "AlarmSound",
    "Attention",
    "AudioCheck",
    "MuteDialog",
    "MuteNotice",
    "NoAudioWarning",
    "RingReason",
    "Ringing",
    "ringing_cases",
]
