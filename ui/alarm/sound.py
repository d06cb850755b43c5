"""The alarm's sound, and the checks that it can sound at all.

Threading: everything here lives on the GUI thread. QSoundEffect mixes on Qt's own audio thread,
so a busy GUI thread delays volume steps, never the sound itself.

Why QSoundEffect: with a PulseAudio null sink, QSoundEffect plays the looped WAV and a recording of
the sink proves it (tests/integration/sound, on the pinned PySide6 6.11.3 as on 6.12); QAudioSink's
``processedUSecs``/``bytesFree`` stayed at 0 there and its ``stateChanged`` signal could not be
delivered to Python (measured on 6.12), so it offered no better failure detection.

One player, created once and reused: the WAV is decoded at construction, so ``start()`` only
has to unmute a loaded player (measured < 20 ms from rows to samples in the sink). Never two
QSoundEffects at once: with a second (probe) player loading while the alarm started, the GUI
thread span forever on ``QSocketNotifier: Invalid socket`` in about 1 run in 10 (measured on Qt
6.12; not re-measured on 6.11, the rule stands). The audio check therefore plays nothing; it
inspects the device list and the alarm player itself.

What QtMultimedia can and cannot tell us (measured on 6.12 and again on the pinned 6.11.3, see
docs/ALARM.md):

- no audio server / no output device: ``QMediaDevices.audioOutputs()`` is empty and QSoundEffect
  goes to ``Status.Error``: detected, ``audio_ok_changed(False)``;
- a missing or corrupt sound file: ``Status.Error``: detected;
- only PulseAudio's fallback "Dummy Output" (``auto_null``) left, e.g. the USB speaker pulled:
  detected by its id, reported as no usable output; when the speaker returns the player moves
  back and the siren resumes (measured);
- the audio server dying while the client runs: Qt keeps its device list and QSoundEffect keeps
  reporting ``Ready``/playing. NOT detectable from Qt; the shift-change "test alarm" (a human
  listens) is the check for that, and for speakers switched off or unplugged.

Volume: the player's linear volume rises from a third of ``max_volume`` to ``max_volume`` over
``ramp_s`` seconds, so the first seconds do not startle a caller on the line, and an alarm left
ringing becomes impossible to ignore.
"""

from __future__ import annotations

import logging
from pathlib import Path
from time import monotonic

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices, QSoundEffect

from core.events import utcnow
from core.settings import DEFAULTS, Settings
from ui.alarm.audio_check import AudioCheck, CheckReason, played_test_check
from ui.fonts import resource_path

log = logging.getLogger(__name__)

ALARM_WAV = ("sounds", "alarm.wav")
RAMP_STEP_MS = 200
# While the alarm should sound but cannot, try again this often (a cable plugged back in, a USB headset).
RETRY_MS = 10_000
TEST_ALARM_S = 4.0
START_FRACTION = 1 / 3
MIN_CHECK_MS = 60_000
MAX_CHECK_MS = 24 * 3600 * 1000
NO_DEVICE = "no audio output device (no sound card, or the audio service is not running)"
DUMMY_OUTPUT = "only a dummy audio output (no sound card or speaker is connected)"
# PulseAudio (and PipeWire's pulse server) fall back to this sink when no real output exists:
# Qt lists it as a device ("Dummy Output"), but nothing is audible.
DUMMY_OUTPUT_IDS = frozenset({b"auto_null"})


def _is_dummy(device: QAudioDevice) -> bool:
    return bytes(device.id().data()) in DUMMY_OUTPUT_IDS


def _default_output() -> QAudioDevice | None:
    device = QMediaDevices.defaultAudioOutput()
    if device.isNull():
        outputs = QMediaDevices.audioOutputs()
        return outputs[0] if outputs else None
    return device


class AlarmSound(QObject):
    """A looping siren with a volume ramp, plus audio-path monitoring.

    Signals (all on the GUI thread):

    - ``playing_changed(bool)``: the siren started or stopped (test included).
    - ``playback_failed(str)``: ``start()`` or a running alarm hit an error; the text says what.
    - ``audio_checked(AudioCheck)``: after every check (periodic, device change, explicit).
    - ``audio_ok_changed(bool)``: only when the verdict flips; also once from ``start_monitoring()``.
      False means: show the permanent NoAudioWarning.
    - ``test_finished(AudioCheck)``: the shift-change test alarm ended.

    Call ``start_monitoring()`` once after connecting the signals: it runs the first check, then
    re-checks every ``check_interval_h`` hours and whenever the OS's output devices change.
    """

    playing_changed = Signal(bool)
    playback_failed = Signal(str)
    audio_checked = Signal(object)
    audio_ok_changed = Signal(bool)
    test_finished = Signal(object)

    def __init__(
        self,
        *,
        max_volume: float = DEFAULTS.alarm_max_volume,
        ramp_s: float = DEFAULTS.alarm_ramp_s,
        check_interval_h: float = DEFAULTS.audio_check_interval_h,
        alarm_wav: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._max_volume = max(0.05, min(1.0, float(max_volume)))
        self._ramp_s = max(0.0, float(ramp_s))
        # A hand-edited 0 must not mean "check every millisecond", nor 10 000 h overflow Qt's int timer.
        self._check_interval_ms = min(MAX_CHECK_MS, max(MIN_CHECK_MS, round(check_interval_h * 3600 * 1000)))
        self._alarm_url = QUrl.fromLocalFile(str(alarm_wav or resource_path(*ALARM_WAV)))
        self._devices = QMediaDevices(self)
        self._device_id = b""
        self._effect: QSoundEffect | None = None
        self._wanted = False  # the alarm should be sounding (a real alarm or a test)
        self._testing = False
        self._started_at = 0.0
        self._last_check: AudioCheck | None = None
        self._failure_reported = False

        self._ramp_timer = QTimer(self)
        self._ramp_timer.setInterval(RAMP_STEP_MS)
        self._ramp_timer.timeout.connect(self._apply_volume)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_MS)
        self._retry_timer.timeout.connect(self._retry)
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(self._check_interval_ms)
        self._check_timer.timeout.connect(self.check_audio)
        self._test_timer = QTimer(self)
        self._test_timer.setSingleShot(True)
        self._test_timer.timeout.connect(self._end_test)
        self._build_effect()

    @classmethod
    def from_settings(cls, settings: Settings, parent: QObject | None = None) -> AlarmSound:
        return cls(
            max_volume=settings.alarm_max_volume,
            ramp_s=settings.alarm_ramp_s,
            check_interval_h=settings.audio_check_interval_h,
            parent=parent,
        )

    # ----------------------------------------------------------------- state
    @property
    def is_playing(self) -> bool:
        """True while the siren is meant to sound and the player has not failed.

        The player may still be loading the WAV for a few milliseconds after ``start()``;
        ``player_playing`` is what the player itself reports.
        """
        return self._wanted and self._effect is not None and self._effect.status() is not QSoundEffect.Status.Error

    @property
    def player_playing(self) -> bool:
        """What QSoundEffect reports (see the module docstring for what that can and cannot prove)."""
        return self._effect is not None and self._effect.isPlaying()

    @property
    def is_testing(self) -> bool:
        return self._testing

    @property
    def volume(self) -> float:
        """The player's current linear volume (0-1)."""
        return self._effect.volume() if self._effect is not None else 0.0

    @property
    def max_volume(self) -> float:
        return self._max_volume

    @property
    def check_interval_ms(self) -> int:
        return self._check_interval_ms

    @property
    def last_check(self) -> AudioCheck | None:
        return self._last_check

    def target_volume(self, elapsed_s: float) -> float:
        """The ramp: a third of max at 0 s, rising linearly to max at ``ramp_s``."""
        low = self._max_volume * START_FRACTION
        if self._ramp_s <= 0:
            return self._max_volume
        frac = min(1.0, max(0.0, elapsed_s / self._ramp_s))
        return low + (self._max_volume - low) * frac

    # ---------------------------------------------------------------- control
    def start(self) -> None:
        """Start the real alarm (idempotent: an alarm already sounding keeps its ramp position).

        A running test alarm becomes the real alarm: the test ends, reported as interrupted.
        """
        if self._testing:
            # Already sounding at full volume: carry on at full volume, as if the ramp were done.
            self._testing = False
            self._test_timer.stop()
            self._started_at = monotonic() - self._ramp_s
            self._ramp_timer.start()
            self.test_finished.emit(
                self._check(False, "test interrupted: a real alarm started", reason=CheckReason.TEST_INTERRUPTED)
            )
            return
        if self._wanted:
            return
        self._wanted = True
        self._started_at = monotonic()
        self._failure_reported = False
        self._play(self.target_volume(0.0))
        self._ramp_timer.start()

    def stop(self) -> None:
        """Stop the siren (real or test)."""
        was = self._wanted
        self._wanted = False
        self._ramp_timer.stop()
        self._retry_timer.stop()
        if self._effect is not None:
            self._effect.stop()
        if self._testing:
            self._testing = False
            self._test_timer.stop()
            self.test_finished.emit(
                self._check(False, "test stopped before it finished", reason=CheckReason.TEST_STOPPED)
            )
        if was:
            self.playing_changed.emit(False)

    def test_alarm(self, seconds: float = TEST_ALARM_S) -> AudioCheck:
        """Play the siren at full volume for ``seconds`` (shift change). Returns whether it started.

        ``test_finished`` reports the outcome when it ends. The operator must still confirm they
        heard it: software cannot see a switched-off speaker. While a real alarm sounds, the
        test is refused (the alarm itself is the test).
        """
        if self._wanted:
            return self._check(self.is_playing, "the alarm is already sounding", reason=CheckReason.ALREADY_SOUNDING)
        self._wanted = True
        self._testing = True
        self._failure_reported = False
        self._play(self._max_volume)
        result = self._verdict_now()
        if not result.ok:
            self._testing = False
            self._wanted = False
            if self._effect is not None:
                self._effect.stop()
            self.test_finished.emit(result)
            return result
        self._test_timer.start(max(1, round(seconds * 1000)))
        return result

    # ---------------------------------------------------------------- checks
    def start_monitoring(self) -> AudioCheck:
        """First check now (emits ``audio_ok_changed``), then periodic and on device change."""
        self._devices.audioOutputsChanged.connect(self._outputs_changed)
        self._check_timer.start()
        self._last_check = None  # force the first verdict to be announced
        return self.check_audio()

    def check_audio(self) -> AudioCheck:
        """Is there an output device, and is the alarm player loaded on it without error?

        A player in error is rebuilt first (the device may be back). A load error that arrives
        after this returns still flips the verdict (``audio_ok_changed(False)``).
        """
        device = _default_output()
        if device is None:
            return self._record(self._check(False, NO_DEVICE, reason=CheckReason.NO_DEVICE))
        if _is_dummy(device):
            return self._record(self._check(False, DUMMY_OUTPUT, device, reason=CheckReason.DUMMY_OUTPUT))
        broken = self._effect is None or self._effect.status() is QSoundEffect.Status.Error
        if broken and not self._wanted:  # while wanted, the retry timer rebuilds it
            self._build_effect()
        if self._effect is None or self._effect.status() is QSoundEffect.Status.Error:
            return self._record(self._verdict_now())
        what, reason = (
            ("alarm playing on", CheckReason.PLAYING)
            if self._wanted
            else ("alarm ready on audio output", CheckReason.READY)
        )
        return self._record(self._check(True, f"{what} {device.description()!r}", device, reason=reason))

    # --------------------------------------------------------------- private
    def _check(self, ok: bool, detail: str, device: QAudioDevice | None = None, *, reason: CheckReason) -> AudioCheck:
        """``detail``: English, for the log and HQ; ``reason``: what the operator's text says."""
        return AudioCheck(
            ok=ok, detail=detail, checked_at=utcnow(), device=device.description() if device else "", reason=reason
        )

    def _record(self, check: AudioCheck) -> AudioCheck:
        previous = self._last_check
        self._last_check = check
        if check.ok:
            log.info("audio check ok: %s", check.detail)
        else:
            log.error("audio check FAILED: %s", check.detail)
        self.audio_checked.emit(check)
        if previous is None or previous.ok != check.ok:
            self.audio_ok_changed.emit(check.ok)
        return check

    def _build_effect(self) -> None:
        if self._effect is not None:
            self._effect.stop()
            self._effect.deleteLater()
        device = _default_output()
        self._device_id = bytes(device.id().data()) if device is not None else b""
        effect = QSoundEffect(device, self) if device is not None else QSoundEffect(self)
        effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
        effect.statusChanged.connect(self._status_changed)
        effect.setSource(self._alarm_url)
        self._effect = effect

    def _play(self, volume: float) -> None:
        if self._effect is None or self._effect.status() is QSoundEffect.Status.Error:
            self._build_effect()
        assert self._effect is not None
        self._effect.setVolume(volume)
        self._effect.play()
        verdict = self._verdict_now()
        if verdict.ok:
            self.playing_changed.emit(True)
        else:
            self._fail(verdict)

    def _verdict_now(self) -> AudioCheck:
        device = _default_output()
        if device is None:
            return self._check(False, NO_DEVICE, reason=CheckReason.NO_DEVICE)
        if _is_dummy(device):
            return self._check(False, DUMMY_OUTPUT, device, reason=CheckReason.DUMMY_OUTPUT)
        if self._effect is None or self._effect.status() is QSoundEffect.Status.Error:
            return self._check(
                False,
                f"the alarm sound cannot be played on {device.description()!r} (player error)",
                device,
                reason=CheckReason.PLAYER_ERROR,
            )
        return self._check(True, f"alarm playing on {device.description()!r}", device, reason=CheckReason.PLAYING)

    def _fail(self, verdict: AudioCheck) -> None:
        if not self._failure_reported:
            self._failure_reported = True
            self.playback_failed.emit(verdict.detail)
            self._record(verdict)
        if self._wanted and not self._testing:
            self._retry_timer.start()

    def _status_changed(self) -> None:
        if self._effect is None or self._effect.status() is not QSoundEffect.Status.Error:
            return
        if self._wanted:
            self._fail(self._verdict_now())
        else:
            detail = "the alarm sound cannot be loaded or played"
            self._record(self._check(False, detail, _default_output(), reason=CheckReason.LOAD_ERROR))

    def _retry(self) -> None:
        if not self._wanted:
            self._retry_timer.stop()
            return
        self._build_effect()
        self._effect.setVolume(self.target_volume(monotonic() - self._started_at))  # type: ignore[union-attr]
        self._effect.play()  # type: ignore[union-attr]
        verdict = self._verdict_now()
        if verdict.ok:
            self._retry_timer.stop()
            self._failure_reported = False
            self._record(verdict)
            self.playing_changed.emit(True)

    def _apply_volume(self) -> None:
        if self._effect is not None and self._wanted and not self._testing:
            self._effect.setVolume(self.target_volume(monotonic() - self._started_at))

    def _outputs_changed(self) -> None:
        """The OS's outputs changed: if the default output is another device, move the one player
        there (restarting it if it should be sounding), then re-check.

        Moved with ``setAudioDevice``, not rebuilt: Qt also emits this signal spuriously (once just
        after start-up, measured), and a rebuild then would load a second player next to the first
        (see the module docstring). Measured on PulseAudio with its usual fallback sink: speaker
        removed -> "Dummy Output" (reported as no usable output) -> speaker back -> the siren
        resumes on it at full ramp volume.
        """
        device = _default_output()
        new_id = bytes(device.id().data()) if device is not None else b""
        if new_id != self._device_id:
            log.warning("default audio output changed to %r", device.description() if device else None)
            self._device_id = new_id
            if device is not None and self._effect is not None:
                wanted = self._wanted
                self._effect.stop()
                self._effect.setAudioDevice(device)
                if wanted:
                    self._effect.play()
        self.check_audio()

    def _end_test(self) -> None:
        if not self._testing:
            return
        verdict = self._verdict_now()
        self._testing = False
        self._wanted = False
        if self._effect is not None:
            self._effect.stop()
        self.playing_changed.emit(False)
        self.test_finished.emit(played_test_check(verdict.device, verdict.checked_at) if verdict.ok else verdict)
