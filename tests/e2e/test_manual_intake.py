"""Manual intake at an HQ console, the real client against HQ on loopback: an alert taken by phone
while HQ is unreachable rings at the console at once and reaches HQ (routed to its district) when HQ
returns; a twin made offline while HQ took the same alert is refused, kept in the refused list, and
opens the existing case."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.e2e.kit import fill, hq_events, start_client, stop_client
from tests.e2e.test_whole_flow import wait_ringing
from tests.fixtures.hq import SEED_USERS
from ui.operations.routing import ROUTING_META_KEY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def _stored(window: Any, case_id: str) -> list[Any]:
    with window.ctx.store.reader() as uow:
        return list(uow.events.history(case_id))


def _meta(window: Any, key: str) -> str | None:
    with window.ctx.store.reader() as uow:
        return uow.meta.get(key)


def _intake(qtbot: Any, window: Any, ref: str, district: str | None = None) -> str:
    """Enter an alert through the form (Ctrl+I's action); returns the new case's id."""
    window.form_actions["intake"].trigger()
    form = window.forms[("new-case", "intake")]
    qtbot.waitUntil(lambda: form.draft_found is not None and (form.places_loaded or not district), timeout=10_000)
    fill(qtbot, form, {"source": "instagram", "upstream_ref": ref, "subject.name": "Phone Alert Person",
                       "subject.phones": "9000000777", "location.text": "Near Alambagh bus stand"})  # fmt: skip
    if district:
        fill(qtbot, form, {"district": district})
    made: list[Any] = []
    form.recorded.connect(made.append)
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(made), timeout=10_000)
    return str(made[0].case_id)


def test_offline_intake_rings_at_once_and_reaches_hq_routed_when_it_returns(qtbot, hq_server, tmp_path) -> None:
    client = start_client(qtbot, tmp_path, hq_server.url, username="hq", password=SEED_USERS["hq"])
    window = client.window
    try:
        assert "intake" in window.form_actions  # an HQ account's console
        # the districts a console routes to are fetched when it starts while HQ is reachable, then kept
        qtbot.waitUntil(lambda: bool(_meta(window, ROUTING_META_KEY)), timeout=10_000)
        hq_server.stop()
        case_id = _intake(qtbot, window, "META-PHONE-0001", "Lucknow")
        wait_ringing(qtbot, window, case_id)  # at this console, before HQ knows of it
        assert [str(s.sync_state) for s in _stored(window, case_id)] == ["pending", "pending"]
        hq_server.start()
        qtbot.waitUntil(
            lambda: [str(s.sync_state) for s in _stored(window, case_id)] == ["accepted", "accepted"], timeout=30_000
        )
        at_hq = hq_events(hq_server, case_id)
        assert [e["type"] for e in at_hq] == ["created", "assigned"]
        assert at_hq[0]["payload"]["upstream_ref"] == "META-PHONE-0001" and at_hq[1]["payload"]["district"] == "LKO"
        # Lucknow's consoles get it: it rings there too
        lko = hq_server.login("demo")
        items, _ = lko.pull_all()
        assert case_id in {i["event"]["case_id"] for i in items if i["kind"] == "event"}
    finally:
        stop_client(qtbot, client)


def test_a_twin_made_offline_is_refused_kept_and_opens_the_existing_case(qtbot, hq_server, tmp_path) -> None:
    client = start_client(qtbot, tmp_path, hq_server.url, username="hq", password=SEED_USERS["hq"])
    stop_client(qtbot, client)
    # While this console is closed HQ takes the alert (the mailbox, another HQ console) ...
    existing = hq_server.intake("LKO", upstream_ref="META-TWIN-0002")
    hq_server.stop()
    # ... and this console, offline, is told of it by phone and enters it again.
    client = start_client(qtbot, tmp_path, hq_server.url, username="hq", password=SEED_USERS["hq"])
    window = client.window
    try:
        twin = _intake(qtbot, window, "META-TWIN-0002")
        wait_ringing(qtbot, window, twin)
        hq_server.start()
        qtbot.waitUntil(lambda: str(_stored(window, twin)[0].sync_state) == "rejected", timeout=30_000)
        refused = _stored(window, twin)[0]
        assert refused.reject_code == "duplicate" and existing in (refused.reject_reason or "")
        assert not any(e["id"] == refused.event.id for e in hq_events(hq_server, existing))
        # the existing case arrives by the pull and rings instead of the twin, which no longer rings
        wait_ringing(qtbot, window, existing, timeout=30_000)
        qtbot.waitUntil(lambda: not any(r.case_id == twin for r in window.alarm.ringing), timeout=10_000)
        # the refused twin is kept, and opens the existing case
        window.show_refused()
        qtbot.waitUntil(lambda: getattr(window, "refused_dialog", None) is not None, timeout=5000)
        dialog = window.refused_dialog
        [item] = [dialog.list.item(i) for i in range(dialog.list.count())]
        assert existing in item.text()
        dialog._open(item)
        qtbot.waitUntil(lambda: window.detail.case_id == existing and window.detail.state is not None, timeout=5000)
    finally:
        stop_client(qtbot, client)
