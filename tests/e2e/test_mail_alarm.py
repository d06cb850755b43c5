"""A Meta alert e-mail dropped into the monitoring centre's Maildir rings at the district console,
with no one at HQ touching anything.

HQ runs as ``python -m hq serve`` (a subprocess) with the mailbox configured in its environment, so
its own start-up starts the mailbox worker; Dovecot serves the Maildir over IMAPS on loopback; the
real client (store, sync engine, window, alarm controller) is signed in as the Lucknow operator.
"""

from __future__ import annotations

import re
import signal
from typing import Any

import pytest

from tests.e2e.kit import hq_events, start_client, stop_client
from tests.fixtures.mail import FACEBOOK, variant

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def mailbox_env(dovecot: Any, user: str) -> dict[str, str]:
    return {
        "RAKSHAK_HQ_MAILBOX_HOST": dovecot.host,
        "RAKSHAK_HQ_MAILBOX_PORT": str(dovecot.tls_port),
        "RAKSHAK_HQ_MAILBOX_USER": user,
        "RAKSHAK_HQ_MAILBOX_PASSWORD": dovecot.password,
        "RAKSHAK_HQ_MAILBOX_CA_FILE": str(dovecot.ca_file),
    }


def test_a_mail_in_the_maildir_rings_at_the_district_console(qtbot, hq_factory, dovecot, tmp_path):
    box = dovecot.new_box()
    hq = hq_factory("sqlite", mode="process", env=mailbox_env(dovecot, box))
    client = start_client(qtbot, tmp_path, hq.url)  # the Lucknow district operator
    window = client.window
    try:
        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "online", timeout=15_000)
        assert not window.alarm.is_ringing
        dovecot.deliver(box, variant(FACEBOOK, ref="6100000001"))
        qtbot.waitUntil(lambda: bool(window.alarm.ringing), timeout=20_000)
        [ringing] = list(window.alarm.ringing)
        assert window.banner.isVisible() and window.banner.current_case_id == ringing.case_id
        assert "रमेश कुमार" in window.banner.details.text()
        events = hq_events(hq, ringing.case_id)
        assert [e["type"] for e in events] == ["created", "assigned"]
        assert events[0]["author_name"] == "Intake (Meta e-mail)"
        assert events[0]["author_id"] == f"mailbox:{box}@127.0.0.1/INBOX"
        assert events[0]["payload"]["upstream_ref"] == "6100000001"
        assert events[1]["payload"]["district"] == "LKO"
    finally:
        stop_client(qtbot, client)
    proc = hq._proc
    hq.stop()  # SIGTERM: the app's shutdown stops the mailbox worker, which logs out of the server
    assert proc is not None and proc.returncode in (0, -signal.SIGTERM), hq.log_tail()  # uvicorn re-raises it
    assert "Traceback" not in hq.log_tail(100_000)
    assert re.search(rf"imap\({box}\).*Disconnected: Logged out", dovecot.log_tail(500_000)), dovecot.log_tail()
