"""The test alarm a human answered, on the wire: what the heartbeat sends beside the audio verdict
(``Heartbeat.audio_report``) and what the board's consoles carry back, from HQs old and new."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sync import wire
from sync.errors import ProtocolError
from sync.jobs import Heartbeat

AT = datetime(2026, 11, 29, 9, 10, 30, tzinfo=UTC)
VERDICT = {"ok": True, "checked_at": "2026-11-29T09:15:00.000Z", "detail": "alarm ready on audio output 'Speakers'"}


def _console(**extra: Any) -> dict[str, Any]:
    return {"device_id": "lko-1", "device_name": "LKO 1", "user": "op", "online": True,
            "last_seen": "2026-11-29T09:20:00.000Z", "can_sound": True, "audio_ok": True, "audio_checked_at": None,
            "audio_detail": "x", "test_heard": True, "pending": 0, "app_version": "1", **extra}


def _heartbeat(answer: wire.ConfirmedTestAlarm | None) -> Heartbeat:
    # only the audio parts are used here: the job's network and store parts are not reached
    return Heartbeat(None, None, None, None, store_path=None, app_version="1",  # type: ignore[arg-type]
                     audio=lambda: dict(VERDICT), settle_held=lambda: None, stop=None,  # type: ignore[arg-type]
                     wall=lambda: 0.0, test_alarm=lambda: answer)


def test_the_answer_goes_beside_the_verdict_not_into_it() -> None:
    assert _heartbeat(None).audio_report() == VERDICT  # none answered yet: the verdict as before
    report = _heartbeat(wire.ConfirmedTestAlarm(heard=False, at=AT, by="A. Singh")).audio_report()
    assert report == {**VERDICT, "test_alarm": {"heard": False, "at": "2026-11-29T09:10:30.000Z", "by": "A. Singh"}}


def test_board_consoles_with_and_without_the_answers_fields() -> None:
    new = wire._board_console(_console(test_confirmed_at="2026-11-29T09:10:30.000Z", test_confirmed_by="A. Singh"))
    assert (new.test_heard, new.test_confirmed_at, new.test_confirmed_by) == (True, AT, "A. Singh")
    old = wire._board_console(_console())  # an HQ from before the fields
    assert (old.test_heard, old.test_confirmed_at, old.test_confirmed_by) == (True, None, None)
    with pytest.raises(ProtocolError):
        wire._board_console(_console(test_confirmed_at="yesterday"))
