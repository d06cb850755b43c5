"""Mailbox settings from the environment: the password from the environment or the keyring, never
plain IMAP to a network host, a wrong value refused with the variable's name."""

from __future__ import annotations

import pytest

from hq.mailbox.settings import KEYRING_SERVICE, MailboxSettingsError, from_env
from tests.fixtures.keyring import MemoryKeyring

BASE = {"RAKSHAK_HQ_MAILBOX_HOST": "imap.example.org", "RAKSHAK_HQ_MAILBOX_USER": "smmc"}


def test_no_host_means_no_mailbox() -> None:
    assert from_env({}) is None


def test_defaults_and_password_from_the_environment() -> None:
    s = from_env(BASE | {"RAKSHAK_HQ_MAILBOX_PASSWORD": "pw"})
    assert s is not None
    assert (s.port, s.folder, s.use_tls, s.max_mail_bytes, s.max_per_run) == (993, "INBOX", True, 25_000_000, 50)
    assert s.name == "smmc@imap.example.org/INBOX"
    assert "pw" not in repr(s)


def test_password_from_the_keyring(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(MailboxSettingsError, match="no mailbox password"):
        from_env(BASE)
    memory_keyring.set_password(KEYRING_SERVICE, "smmc", "from-keyring")
    s = from_env(BASE)
    assert s is not None and s.password == "from-keyring"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"RAKSHAK_HQ_MAILBOX_ALLOW_PLAIN": "yes"}, "plain IMAP is allowed only to a loopback host"),
        ({"RAKSHAK_HQ_MAILBOX_PORT": "nine"}, "RAKSHAK_HQ_MAILBOX_PORT='nine' is not a int"),
        ({"RAKSHAK_HQ_MAILBOX_ALLOW_PLAIN": "perhaps"}, "is not a bool"),
        ({"RAKSHAK_HQ_MAILBOX_CA_FILE": "/nonexistent/ca.pem"}, "no such file"),
        ({"RAKSHAK_HQ_MAILBOX_MAX_PER_RUN": "0"}, "must be positive"),
        ({"RAKSHAK_HQ_MAILBOX_USER": ""}, "RAKSHAK_HQ_MAILBOX_USER is not set"),
    ],
)
def test_wrong_settings_are_refused(extra: dict[str, str], message: str) -> None:
    with pytest.raises(MailboxSettingsError, match=message.replace("(", r"\(")):
        from_env(BASE | {"RAKSHAK_HQ_MAILBOX_PASSWORD": "pw"} | extra)


def test_plain_imap_to_loopback_is_allowed_when_asked() -> None:
    s = from_env(BASE | {"RAKSHAK_HQ_MAILBOX_HOST": "127.0.0.1", "RAKSHAK_HQ_MAILBOX_ALLOW_PLAIN": "1",
                         "RAKSHAK_HQ_MAILBOX_PASSWORD": "pw", "RAKSHAK_HQ_MAILBOX_PORT": "1143"})  # fmt: skip
    assert s is not None and not s.use_tls and s.port == 1143
