"""The IMAP side of mailbox intake: connect, one run over the box, wait for mail, and the worker.

Keep-on-server: HQ never deletes or moves a mail. A mail it has taken is marked with the keyword
``$RakshakTaken`` (``TAKEN_FLAG``), not with ``\\Seen``, so people reading the same mailbox in a mail
client neither hide alerts from HQ nor see their own read marks changed; every body is fetched
with ``BODY.PEEK``. A server that allows no keywords in the folder (its PERMANENTFLAGS lack ``\\*``)
gets ``\\Seen`` instead, and the worker logs that it does.

A run: search the unmarked mails, take at most ``max_per_run`` (oldest first), read each one's size
and header block, and for each: too large -> refused without downloading the body, a case says so;
a Message-ID already recorded -> only marked (no download); otherwise downloaded, made a case
(``hq.mailbox.take``) and then marked. The mark comes after the commit: a crash between the two
leaves the mail unmarked, the next run finds its record, and no twin is made. Between runs the
worker IDLEs when the server offers it, else it polls every ``poll_s``.

Threading: ``MailboxWorker`` runs on its own thread with its own IMAP connection; it shares the
``Database`` (thread-safe) and nothing else. ``stop()`` ends an IDLE within a second and logs out.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from hq.db import Database
from hq.mailbox.health import record_contact, record_error, record_fetch
from hq.mailbox.settings import MailboxSettings, _is_loopback
from hq.mailbox.take import Taken, key_from_headers, known_keys, refuse_oversized, take_mail

log = logging.getLogger(__name__)

TAKEN_FLAG = b"$RakshakTaken"
SEEN_FLAG = b"\\Seen"
IDLE_CHECK_S = 1.0  # how soon an IDLE notices stop()
HEADER_ITEM = b"BODY[HEADER]"
BODY_ITEM = b"BODY[]"


class MailboxError(Exception):
    """The mailbox could not be read; ``str()`` names the cause in words an operator can act on."""


@dataclass
class RunResult:
    taken: list[Taken] = field(default_factory=list)
    refused: int = 0
    marked_only: int = 0  # already recorded (restart, re-delivery, another worker): marked, nothing made
    more: bool = False  # more unmarked mails wait than one run takes

    @property
    def made(self) -> int:
        """Mails that made a case in this run (a duplicate of a case already there made none)."""
        return sum(1 for t in self.taken if not t.already and t.outcome != "duplicate")

    @property
    def recorded(self) -> int:
        """Mails this run took and recorded (not those another run or worker had taken)."""
        return sum(1 for t in self.taken if not t.already)


def describe(exc: BaseException) -> str:
    """An error as the board shows it: the cause first."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted ({exc.verify_message}); set RAKSHAK_HQ_MAILBOX_CA_FILE"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc}"
    if isinstance(exc, LoginError):
        return f"the server refused the login: {exc}"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "the server did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "the server refused the connection (down, or wrong host or port)"
    if isinstance(exc, OSError):
        return f"network error: {exc}"
    if isinstance(exc, IMAPClientError):
        return f"IMAP error: {exc}"
    return f"{type(exc).__name__}: {exc}"


def ssl_context(settings: MailboxSettings) -> ssl.SSLContext:
    """Certificates verified, host name checked, TLS 1.2 at least; a private CA from ``ca_file``."""
    ctx = ssl.create_default_context(cafile=settings.ca_file or None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


@contextmanager
def connect(settings: MailboxSettings) -> Iterator[tuple[IMAPClient, bytes]]:
    """A logged-in connection with the folder selected; yields it and the flag that marks a taken mail."""
    if not settings.use_tls and not _is_loopback(settings.host):
        raise MailboxError("plain IMAP is allowed only to a loopback host")
    client = IMAPClient(
        settings.host,
        port=settings.port,
        ssl=settings.use_tls,
        ssl_context=ssl_context(settings) if settings.use_tls else None,
        timeout=settings.timeout_s,
    )
    try:
        client.login(settings.user, settings.password)
        selected = client.select_folder(settings.folder)
        permanent = selected.get(b"PERMANENTFLAGS", ())
        flag = TAKEN_FLAG if b"\\*" in permanent else SEEN_FLAG
        if flag is SEEN_FLAG:
            log.warning("mailbox %s allows no keywords; taken mails are marked \\Seen", settings.name)
        yield client, flag
    finally:
        try:
            client.logout()
        except Exception:  # the connection may be gone already: just close the socket
            try:
                client.shutdown()
            except Exception:
                log.debug("mailbox socket already closed")


def pending(client: IMAPClient, flag: bytes) -> list[int]:
    """UIDs of the mails not yet taken, oldest first."""
    criteria: list[Any] = ["UNSEEN"] if flag == SEEN_FLAG else ["UNKEYWORD", flag.decode()]
    return sorted(client.search([*criteria, "NOT", "DELETED"]))


def run_once(
    client: IMAPClient, flag: bytes, db: Database, settings: MailboxSettings, result: RunResult | None = None
) -> RunResult:
    """Take at most ``max_per_run`` unmarked mails (see the module doc) into ``result``. Raises on any
    IMAP or database error: what was taken so far stays taken (and in ``result``); the rest waits."""
    result = result if result is not None else RunResult()
    uids = pending(client, flag)
    result.more = len(uids) > settings.max_per_run
    uids = uids[: settings.max_per_run]
    if not uids:
        return result
    meta = client.fetch(uids, ["RFC822.SIZE", "BODY.PEEK[HEADER]"])
    heads = {}
    for uid in uids:
        item = meta.get(uid)
        if item is None:  # expunged meanwhile (by a person in a mail client)
            continue
        size = int(item.get(b"RFC822.SIZE", 0))
        heads[uid] = (size, *key_from_headers(item.get(HEADER_ITEM, b""), size))
    with db.reader() as conn:
        known = known_keys(conn, [key for _, head, key in heads.values() if head.message_id])
    for uid, (size, head, key) in heads.items():
        if size > settings.max_mail_bytes:
            taken = refuse_oversized(db, settings.name, head, size, settings.max_mail_bytes, key)
            log.warning("mail refused: too large (%d bytes), from %s, subject %s", size, head.sender, head.subject)
            result.refused += 0 if taken.already else 1
            result.taken.append(taken)
        elif head.message_id and key in known:
            result.marked_only += 1
        else:
            body = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {}).get(BODY_ITEM)
            if body is None:
                continue
            taken = take_mail(db, settings.name, bytes(body))
            result.marked_only += 1 if taken.already else 0
            result.taken.append(taken)
        client.add_flags([uid], [flag], silent=True)
    return result


def wait_for_mail(
    client: IMAPClient, settings: MailboxSettings, stop: threading.Event, on_contact: Callable[[], None] | None = None
) -> None:
    """Until new mail may have come, ``idle_renew_s`` passed or ``stop`` is set: IDLE, or a poll pause.

    ``on_contact`` is called when the server speaks during an IDLE (Dovecot says "Still here" every
    two minutes), so the mailbox's last contact stays fresh while nothing arrives."""
    if not client.has_capability("IDLE"):
        stop.wait(settings.poll_s)
        client.noop()
        return
    client.idle()
    try:
        deadline = time.monotonic() + settings.idle_renew_s
        while not stop.is_set() and time.monotonic() < deadline:
            responses = client.idle_check(timeout=IDLE_CHECK_S)
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                return
            if responses and on_contact is not None:
                on_contact()
    finally:
        client.idle_done()


class MailboxWorker:
    """The background worker ``python -m hq serve`` starts when a mailbox is configured.

    Reconnects after any error, waiting 1 s, 2 s, 4 s ... up to ``retry_cap_s``; every error and
    every good run is written to the mailbox's health row. ``on_run`` (tests, the benchmark) is
    called after each run with its result, on the worker's thread.
    """

    def __init__(self, db: Database, settings: MailboxSettings, *,
                 on_run: Callable[[RunResult], None] | None = None):  # fmt: skip
        self.db = db
        self.settings = settings
        self.on_run = on_run
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> MailboxWorker:
        self._thread = threading.Thread(target=self._loop, name=f"mailbox {self.settings.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("mailbox worker did not stop within %.0f s", timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        name = self.settings.name
        backoff = 1.0
        while not self._stop.is_set():
            result = RunResult()
            try:
                with connect(self.settings) as (client, flag):
                    record_contact(self.db, name)
                    backoff = 1.0
                    while not self._stop.is_set():
                        result = RunResult()
                        run_once(client, flag, self.db, self.settings, result)
                        record_fetch(self.db, name, result.recorded - result.refused, result.refused)
                        if self.on_run is not None:
                            self.on_run(result)
                        if result.more:
                            continue
                        wait_for_mail(client, self.settings, self._stop, lambda: record_contact(self.db, name))
            except Exception as exc:
                if self._stop.is_set():
                    break
                text = describe(exc)
                log.warning("mailbox %s: %s; retrying in %.0f s", name, text, backoff)
                try:
                    record_error(self.db, name, text, result.recorded - result.refused, result.refused)
                except Exception:
                    log.exception("mailbox %s: could not record the error", name)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.settings.retry_cap_s)


def check(db: Database, settings: MailboxSettings) -> dict[str, Any]:
    """Connect, log in, select the folder and count the mails waiting; the outcome goes to health."""
    try:
        with connect(settings) as (client, flag):
            waiting = len(pending(client, flag))
            idle = client.has_capability("IDLE")
    except Exception as exc:
        record_error(db, settings.name, describe(exc))
        return {"mailbox": settings.name, "ok": False, "error": describe(exc)}
    record_contact(db, settings.name)
    return {"mailbox": settings.name, "ok": True, "waiting": waiting, "idle": idle,
            "marks_with": (TAKEN_FLAG if flag == TAKEN_FLAG else SEEN_FLAG).decode()}  # fmt: skip


__all__ = ["TAKEN_FLAG", "MailboxError", "MailboxWorker", "RunResult", "check", "connect", "describe", "pending",
           "run_once", "ssl_context", "wait_for_mail"]  # fmt: skip
