"""The channels on their own: the gateway's retries and backoff against the loopback simulator, the
SMTP channel against a loopback aiosmtpd server, the bilingual text, and where settings come from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hq.channels import Recipient
from hq.channels.email import EmailChannel, SmtpConfig
from hq.channels.gateway import Gateway, GatewayConfig, SmsChannel, VoiceChannel
from hq.channels.messages import Notice
from hq.channels.settings import KEYRING_SERVICE, read
from hq.escalation.policy import Trigger
from tests.fixtures.gateway_sim import GatewaySim
from tests.fixtures.keyring import MemoryKeyring
from tests.fixtures.smtp import SmtpSink

CASE = "3f2b8a4e-1c1d-4a4e-9a8b-2b2f0c4d5e6f"
DIG = Recipient("DIG Lucknow Range", phone="9000000204", email="dig@example.test")


@pytest.fixture
def sim() -> Iterator[GatewaySim]:
    s = GatewaySim.start()
    yield s
    s.stop()


def _gateway(sim: GatewaySim, sleeps: list[float], **over: float) -> Gateway:
    config = GatewayConfig(sim.url, "sid", "tok", timeout_s=over.get("timeout_s", 1.0), retries=3, backoff_s=0.5)
    return Gateway(config, sleep=sleeps.append)


def test_the_gateway_retries_with_doubling_backoff_then_gives_up(sim: GatewaySim) -> None:
    sleeps: list[float] = []
    sim.fail_next(4, "refuse")
    delivery = SmsChannel(_gateway(sim, sleeps)).send("text", "subject", DIG, None)
    assert (delivery.result, delivery.attempts) == ("failed", 4) and delivery.answer.startswith("503")
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(sim.requests) == 4


def test_a_timeout_is_retried_and_a_rejection_is_not(sim: GatewaySim) -> None:
    sleeps: list[float] = []
    gateway = _gateway(sim, sleeps, timeout_s=0.3)
    sim.fail_next(1, "timeout", delay_s=1.0)
    call = VoiceChannel(gateway).send("बोलिए / speak", "s", DIG, "http://127.0.0.1:9/cb")
    assert (call.result, call.attempts) == ("sent", 2) and call.provider_id
    assert sim.requests[-1].path == "/calls" and sim.requests[-1].body["say"] == "बोलिए / speak"
    sim.fail_next(1, "reject")
    sms = SmsChannel(gateway).send("t", "s", DIG, None)
    assert (sms.result, sms.attempts) == ("refused", 1) and "400" in sms.answer
    assert SmsChannel(gateway).send("t", "s", Recipient("no phone"), None).result == "no_address"


def test_email_is_retried_after_a_temporary_refusal() -> None:
    sink = SmtpSink.start()
    try:
        sleeps: list[float] = []
        channel = EmailChannel(SmtpConfig("127.0.0.1", sink.port, starttls=False, retries=2, backoff_s=0.1),
                               sleep=sleeps.append)  # fmt: skip
        sink.refuse_next(1)
        notice = Notice(CASE, "Lucknow", 7, Trigger.UNACKNOWLEDGED, 3)
        delivery = channel.send(notice.text(), notice.subject(), DIG, None)
        assert (delivery.result, delivery.attempts) == ("sent", 2) and sleeps == [0.1]
        ((_, rcpt, msg),) = sink.messages
        assert rcpt == ["dig@example.test"] and "Lucknow" in str(msg["Subject"])
        assert "7 मिनट" in msg.get_content() and "7 min" in msg.get_content()
    finally:
        sink.stop()


def test_the_notice_is_bilingual_and_names_no_person() -> None:
    for trigger in Trigger:
        notice = Notice(CASE, "Lucknow", 12, trigger, 4)
        text = notice.text()
        assert "3F2B8A4E" in text and "Lucknow" in text and "12" in text
        assert "रक्षक" in text and "Rakshak" in text
    assert "dispatched" in Notice(CASE, "Lucknow", 12, Trigger.DISPATCH_OVERDUE, 1).english()


def test_settings_come_from_the_environment_then_the_keyring(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "gateway-token", "from-keyring")
    got = read({"RAKSHAK_GATEWAY_URL": "http://127.0.0.1:9", "RAKSHAK_SMTP_STARTTLS": "no"})
    assert got["RAKSHAK_GATEWAY_TOKEN"] == "from-keyring" and got["RAKSHAK_SMTP_STARTTLS"] is False
    assert got["RAKSHAK_GATEWAY_RETRIES"] == 3 and got["RAKSHAK_SMTP_HOST"] is None
    assert read({"RAKSHAK_GATEWAY_TOKEN": "from-env"})["RAKSHAK_GATEWAY_TOKEN"] == "from-env"
    with pytest.raises(ValueError, match="RAKSHAK_GATEWAY_RETRIES"):
        read({"RAKSHAK_GATEWAY_RETRIES": "many"})
