"""Mailbox intake against a real Dovecot on loopback (IMAPS, a self-signed certificate the client is
told to trust) and a real HQ database (SQLite, and PostgreSQL where marked)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from imapclient import IMAPClient
from sqlalchemy import func, select

from core.events import EventType
from hq.db import Database
from hq.feed import case_history
from hq.mailbox.client import TAKEN_FLAG, MailboxWorker, RunResult, check, connect, run_once, ssl_context
from hq.mailbox.health import mailbox_health
from hq.mailbox.settings import MailboxSettings
from hq.schema import cases, mailbox_messages
from tests.fixtures.dovecot import Dovecot
from tests.fixtures.hq import API, ROOT, HQServer
from tests.fixtures.mail import FACEBOOK, INSTAGRAM_HTML, MALFORMED, big_mail, load, variant

WAIT_S = 30.0


@pytest.fixture
def box(dovecot: Dovecot) -> str:
    return dovecot.new_box()


@pytest.fixture
def db(hq: HQServer) -> Iterator[Database]:
    database = hq.database()
    yield database
    database.dispose()


def settings_for(dovecot: Dovecot, user: str, **kw: Any) -> MailboxSettings:
    base = MailboxSettings(
        host=dovecot.host, port=dovecot.tls_port, user=user, password=dovecot.password, ca_file=str(dovecot.ca_file),
        poll_s=0.2, retry_cap_s=0.5, timeout_s=10,
    )  # fmt: skip
    return replace(base, **kw)


def run(db: Database, settings: MailboxSettings) -> RunResult:
    with connect(settings) as (client, flag):
        return run_once(client, flag, db, settings)


def created_payload(db: Database, case_id: str) -> dict[str, Any]:
    with db.reader() as conn:
        history = case_history(conn, case_id)
    assert history[0].type is EventType.CREATED
    return dict(history[0].payload)


def case_rows(db: Database) -> list[Any]:
    with db.reader() as conn:
        return list(conn.execute(select(cases).order_by(cases.c.created_at)).all())


def records(db: Database) -> list[Any]:
    with db.reader() as conn:
        return list(conn.execute(select(mailbox_messages).order_by(mailbox_messages.c.taken_at)).all())


def unmarked(dovecot: Dovecot, user: str) -> list[int]:
    client = IMAPClient(dovecot.host, port=dovecot.tls_port, ssl_context=ssl_context(settings_for(dovecot, user)))
    try:
        client.login(user, dovecot.password)
        client.select_folder("INBOX", readonly=True)
        return list(client.search(["UNKEYWORD", TAKEN_FLAG.decode()]))
    finally:
        client.logout()


def wait_until(what: str, cond: Any, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_good_mail_becomes_a_case_routed_to_its_district(hq: HQServer, db: Database, dovecot: Dovecot,
                                                           box: str) -> None:  # fmt: skip
    dovecot.deliver(box, load(FACEBOOK))
    dovecot.deliver(box, load(INSTAGRAM_HTML))
    dovecot.deliver(box, variant(FACEBOOK, ref="4839201999", location="Somewhere near the river, Uttar Pradesh"))
    result = run(db, settings_for(dovecot, box))
    assert [t.outcome for t in result.taken] == ["parsed"] * 3
    assert [t.district for t in result.taken] == ["LKO", "KNP", None]
    rows = {r.id: r for r in case_rows(db)}
    assert len(rows) == 3
    lko = created_payload(db, result.taken[0].case_id)
    assert rows[result.taken[0].case_id].district == "LKO"
    assert lko["kind"] == "suicide_risk" and lko["source"] == "facebook" and lko["upstream_ref"] == "4839201746"
    assert lko["subject"]["post_url"].startswith("https://www.facebook.com/permalink.php?story_fbid=")
    assert lko["subject"]["phones"] == ["+919000000123", "9000000456"]
    assert lko["subject"]["name"].startswith("रमेश कुमार")
    assert "सबको अलविदा" in lko["subject"]["post_text"]
    assert "Profile picture: https://scontent" in lko["summary"]
    assert lko["location"]["text"] == "Gomti Nagar, Lucknow, Uttar Pradesh, India"
    knp = created_payload(db, result.taken[1].case_id)
    assert rows[result.taken[1].case_id].district == "KNP"
    assert knp["source"] == "instagram" and knp["subject"]["profile_url"].endswith("/priya.test.synthetic/")
    # no district named: the case waits at HQ for routing
    assert rows[result.taken[2].case_id].district is None
    assert unmarked(dovecot, box) == []  # kept on the server, marked as taken
    assert len(list((dovecot.maildir(box) / "cur").iterdir())) == 3


def test_a_malformed_mail_becomes_an_unparsed_alert_with_its_text(db: Database, dovecot: Dovecot, box: str) -> None:
    dovecot.deliver(box, load(MALFORMED))
    dovecot.deliver(box, b"\x00\xff not a mail at all \xfe\n\n\x00")
    result = run(db, settings_for(dovecot, box))
    assert [t.outcome for t in result.taken] == ["unparsed", "unparsed"]
    payload = created_payload(db, result.taken[0].case_id)
    assert payload["kind"] == "suicide_risk" and payload["priority"] == 1
    assert payload["summary"].startswith("Unparsed alert e-mail from Meta Law Enforcement Response")
    assert "no post link and no profile link" in payload["summary"]
    assert "The person’s details are in the image" in payload["subject"]["post_text"]
    assert {r.district for r in case_rows(db)} == {None}  # at HQ, to be routed by a person
    kept = {r.case_id: r for r in records(db)}
    assert kept[result.taken[0].case_id].raw.replace(b"\r\n", b"\n") == load(MALFORMED).replace(b"\r\n", b"\n")
    assert kept[result.taken[1].case_id].raw is not None
    assert unmarked(dovecot, box) == []


def test_a_duplicate_makes_no_twin(db: Database, dovecot: Dovecot, box: str) -> None:
    settings = settings_for(dovecot, box)
    same = variant(FACEBOOK, message_id="<same-alert@test.example>")
    dovecot.deliver(box, same)
    dovecot.deliver(box, same)  # delivered twice
    no_id = variant(MALFORMED, message_id=None)
    dovecot.deliver(box, no_id)
    dovecot.deliver(box, no_id)  # no Message-ID: keyed by a hash of its headers and body
    first = run(db, settings)
    assert first.made == 2 and first.marked_only + sum(t.already for t in first.taken) >= 2
    dovecot.deliver(box, same)  # re-delivered later, after the first copy was taken
    dovecot.deliver(box, no_id)
    second = run(db, settings)
    assert second.made == 0
    assert len(case_rows(db)) == 2
    assert sorted(r.outcome for r in records(db)) == ["parsed", "unparsed"]
    assert unmarked(dovecot, box) == []
    # another mail (its own Message-ID) about the same Meta reference: a duplicate of that case
    dovecot.deliver(box, variant(FACEBOOK))
    third = run(db, settings)
    assert third.made == 0 and third.recorded == 1 and [t.outcome for t in third.taken] == ["duplicate"]
    [parsed] = [r for r in case_rows(db) if r.upstream_ref == "4839201746"]
    assert third.taken[0].case_id == parsed.id and parsed.duplicates == 1
    assert len(case_rows(db)) == 2


def test_an_oversized_mail_is_refused_unread_and_reported(db: Database, dovecot: Dovecot, box: str) -> None:
    dovecot.deliver(box, load(FACEBOOK))
    dovecot.deliver(box, big_mail(30_000_000))
    dovecot.deliver(box, load(INSTAGRAM_HTML))
    result = run(db, settings_for(dovecot, box))
    assert [t.outcome for t in result.taken] == ["parsed", "too_large", "parsed"]
    assert result.refused == 1
    refused = created_payload(db, result.taken[1].case_id)
    assert refused["kind"] == "suicide_risk"
    assert re.match(
        r"Mail refused: too large \(30\.\d MB, limit 25 MB\), from Meta Law Enforcement Response "
        r"<records@support.facebook.example>, subject Urgent alert with video evidence\.",
        refused["summary"],
    )
    assert unmarked(dovecot, box) == []
    # the body was never downloaded: Dovecot logs what each session sent
    wait_until("dovecot's logout line", lambda: f"imap({box})" in dovecot.log_tail(200_000))
    sent = [int(m) for m in re.findall(rf"imap\({box}\).*? out=(\d+)", dovecot.log_tail(200_000))]
    assert sent and max(sent) < 1_000_000, sent
    [row] = [r for r in records(db) if r.outcome == "too_large"]
    assert row.size_bytes > 30_000_000 and row.raw is None


def test_the_server_restarting_mid_fetch_loses_nothing_and_makes_no_twin(
    db: Database, dovecot: Dovecot, box: str
) -> None:
    n = 20
    for i in range(n):
        dovecot.deliver(box, variant(FACEBOOK, ref=f"77000000{i:02d}"))
    settings = settings_for(dovecot, box, max_per_run=1)
    # one mail a run, a tenth of a second apart: the restart surely falls in the middle of the box
    worker = MailboxWorker(db, settings, on_run=lambda _r: time.sleep(0.1)).start()
    try:
        wait_until("the first case", lambda: len(case_rows(db)) >= 1)
        dovecot.restart()
        assert len(records(db)) < n  # the restart cut the worker off with mails still waiting
        wait_until("every mail taken", lambda: len(records(db)) == n)
        wait_until("every mail marked", lambda: unmarked(dovecot, box) == [])
    finally:
        worker.stop()
    assert len(case_rows(db)) == n
    [health] = mailbox_health(db)
    assert health.last_error is not None and health.last_error_at is not None  # the cut was seen
    assert health.taken == n
    # The marks lost (a server restored from a backup, say): every mail is seen again, none is a twin.
    client = IMAPClient(dovecot.host, port=dovecot.tls_port, ssl_context=ssl_context(settings))
    client.login(box, dovecot.password)
    client.select_folder("INBOX")
    client.remove_flags(client.search(["ALL"]), [TAKEN_FLAG], silent=True)
    client.logout()
    again = run(db, replace(settings, max_per_run=50))
    assert again.made == 0 and again.marked_only == n
    assert len(case_rows(db)) == n


def test_two_hq_workers_reading_the_same_box_make_one_case_per_mail(hq: HQServer, dovecot: Dovecot, box: str) -> None:
    for i in range(12):
        dovecot.deliver(box, variant(FACEBOOK, ref=f"88000000{i:02d}"))
    dovecot.deliver(box, load(MALFORMED))
    dbs = [hq.database(), hq.database()]  # two HQ workers: two engines, two IMAP connections
    settings = settings_for(dovecot, box, max_per_run=3)
    made: list[int] = []
    lock = threading.Lock()

    def count(result: RunResult) -> None:
        with lock:
            made.append(result.made)

    workers = [MailboxWorker(d, settings, on_run=count).start() for d in dbs]
    try:
        wait_until("every mail taken", lambda: len(records(dbs[0])) == 13)
        wait_until("every mail marked", lambda: unmarked(dovecot, box) == [])
    finally:
        for w in workers:
            w.stop()
    try:
        assert len(case_rows(dbs[0])) == 13
        with dbs[0].reader() as conn:
            per_case = conn.execute(
                select(mailbox_messages.c.case_id, func.count()).group_by(mailbox_messages.c.case_id)
            ).all()
        assert len(per_case) == 13 and {n for _, n in per_case} == {1}
        assert sum(made) == 13
    finally:
        for d in dbs:
            d.dispose()


def test_an_untrusted_server_certificate_is_refused(db: Database, dovecot: Dovecot, box: str) -> None:
    dovecot.deliver(box, load(FACEBOOK))
    untrusted = settings_for(dovecot, box, ca_file="")  # the system's CAs: they never signed this cert
    out = check(db, untrusted)
    assert out["ok"] is False and "certificate is not trusted" in out["error"]
    [health] = mailbox_health(db)
    assert health.failing and "certificate is not trusted" in (health.last_error or "")
    worker = MailboxWorker(db, untrusted).start()
    time.sleep(1.5)
    worker.stop()
    assert case_rows(db) == [] and unmarked(dovecot, box) == [1]
    trusted = check(db, settings_for(dovecot, box))
    assert trusted["ok"] is True and trusted["waiting"] == 1 and trusted["idle"] is True
    assert trusted["marks_with"] == "$RakshakTaken"


def test_health_endpoint_is_for_hq_roles(hq: HQServer, db: Database, dovecot: Dovecot, box: str) -> None:
    dovecot.deliver(box, load(FACEBOOK))
    worker = MailboxWorker(db, settings_for(dovecot, box)).start()
    try:
        wait_until("the case", lambda: len(case_rows(db)) == 1)
        wait_until("a good fetch recorded", lambda: any(h.last_fetch_at for h in mailbox_health(db)))
    finally:
        worker.stop()
    r = hq.login("hq").http.get(f"{API}/mailbox/health")
    assert r.status_code == 200
    [row] = r.json()
    assert row["mailbox"] == f"{box}@127.0.0.1/INBOX" and row["taken"] == 1 and row["failing"] is False
    assert row["last_contact_at"] and row["last_fetch_at"]
    assert hq.login("supervisor").http.get(f"{API}/mailbox/health").status_code == 200
    assert hq.login("demo").http.get(f"{API}/mailbox/health").status_code == 403
    assert httpx.get(f"{hq.url}{API}/mailbox/health").status_code == 401


def test_mailbox_check_command(hq: HQServer, dovecot: Dovecot, box: str) -> None:
    env = {
        **os.environ,
        "RAKSHAK_HQ_MAILBOX_HOST": dovecot.host,
        "RAKSHAK_HQ_MAILBOX_PORT": str(dovecot.tls_port),
        "RAKSHAK_HQ_MAILBOX_USER": box,
        "RAKSHAK_HQ_MAILBOX_PASSWORD": dovecot.password,
        "RAKSHAK_HQ_MAILBOX_CA_FILE": str(dovecot.ca_file),
    }
    done = subprocess.run([sys.executable, "-m", "hq", "mailbox", "--db", hq.db_url, "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"ok": true' in done.stdout and f'"mailbox": "{box}@127.0.0.1/INBOX"' in done.stdout
    env["RAKSHAK_HQ_MAILBOX_ALLOW_PLAIN"] = "yes"
    env["RAKSHAK_HQ_MAILBOX_HOST"] = "mail.example.org"
    refused = subprocess.run([sys.executable, "-m", "hq", "mailbox", "--db", hq.db_url, "check"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 2 and "plain IMAP is allowed only to a loopback host" in refused.stderr


def test_two_workers_taking_the_same_mail_at_the_same_moment_make_one_case(hq: HQServer) -> None:
    """The race the record exists for: both fetched the same UID and both reach the database at once."""
    from hq.mailbox.take import take_mail

    dbs = [hq.database(), hq.database()]
    raw = variant(FACEBOOK)
    start = threading.Barrier(2)
    out: list[Any] = []

    def take(d: Database) -> None:
        start.wait()
        out.append(take_mail(d, "race@test/INBOX", raw))

    threads = [threading.Thread(target=take, args=(d,)) for d in dbs]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT_S)
        assert sorted(t.already for t in out) == [False, True]
        assert out[0].case_id == out[1].case_id
        assert len(case_rows(dbs[0])) == 1 and len(records(dbs[0])) == 1
    finally:
        for d in dbs:
            d.dispose()


def test_plain_imap_only_when_allowed_and_only_to_loopback(db: Database, dovecot: Dovecot, box: str) -> None:
    dovecot.deliver(box, load(INSTAGRAM_HTML))
    plain = settings_for(dovecot, box, port=dovecot.plain_port, allow_plain=True)
    assert [t.district for t in run(db, plain).taken] == ["KNP"]
    out = check(db, replace(plain, host="192.0.2.10"))  # a network address: refused before connecting
    assert out["ok"] is False and "only to a loopback host" in out["error"]


def test_a_server_without_idle_is_polled(db: Database) -> None:
    from tests.fixtures.dovecot import start_dovecot

    plain_old = start_dovecot("imap_capability = IMAP4rev1 LITERAL+ UIDPLUS\n")  # a server that offers no IDLE
    try:
        user = plain_old.new_box()
        settings = settings_for(plain_old, user, poll_s=0.3)
        assert check(db, settings)["idle"] is False
        worker = MailboxWorker(db, settings).start()
        try:
            wait_until("the worker's first run", lambda: any(h.last_fetch_at for h in mailbox_health(db)))
            plain_old.deliver(user, load(FACEBOOK))
            wait_until("the case from the next poll", lambda: len(case_rows(db)) == 1)
        finally:
            worker.stop()
    finally:
        plain_old.close()


def test_nul_and_control_characters_in_a_mail_never_stop_the_intake(db: Database) -> None:
    """PostgreSQL stores no NUL in text: a mail carrying them (headers, body, a link) still makes a
    case, and so does the next mail (one bad mail must not hold up the box)."""
    from hq.mailbox.take import take_mail

    raw = (
        variant(FACEBOOK)
        .replace(b"Subject: Urgent", b"Subject: Ur\x00gent\x1b")
        .replace(
            b"Post link: https://www.facebook.com/permalink.php",
            b"Post link: https://www.facebook.com/perma\x00link.php",
        )
    )
    raw = raw.replace(b"From: Meta", b"From: Me\x00ta")
    bad = take_mail(db, "nul@test/INBOX", raw + b"\n\x00\x00 trailing NULs\n")
    assert bad.case_id is not None and bad.outcome in ("parsed", "unparsed")
    [row] = records(db)
    assert "\x00" not in (row.subject or "") and "\x00" not in (row.sender or "")
    assert row.subject.startswith("Urgent")
    payload = created_payload(db, bad.case_id)
    assert "\x00" not in str(payload)
    good = take_mail(db, "nul@test/INBOX", load(INSTAGRAM_HTML))
    assert good.outcome == "parsed" and good.district == "KNP"
