"""A taken mail becomes a case, and the record of the mail is written in the same transaction.

``take_mail`` runs inside HQ's writer lock (``Database.writer``): it first looks the mail's key up in
``mailbox_messages``; if a record is there (a restart after the case was made but before the mail
was marked on the server, a re-delivered copy, or a second HQ worker that fetched the same UID at the
same moment) it returns that record's case and makes nothing. Otherwise it makes the case through
``hq.intake.intake_in`` and writes the record before COMMIT. The lock serialises the two workers'
transactions, and the record's primary key would refuse a twin even without it. So one mail gives
exactly one case, whatever the timing.

What becomes of a mail:

- parsed, its probable location matching one district's name: a case routed to that district;
- parsed, location matching none (or several): a case at HQ, for an HQ operator to route;
- not parsable, or parsed into a body intake refuses: an "unparsed alert" suicide-risk case at HQ
  carrying the mail's text (capped), the whole original kept in the record's ``raw``;
- too large (``refuse_oversized``, the body never downloaded): a suicide-risk case at HQ saying
  "Mail refused: too large, from X, subject Y", so a person opens it in the mailbox.

Every case rings like any other alert: the console's alarm rule does not know where a case came from.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import DataError, IntegrityError

from core.errors import InvalidEvent
from core.events import iso, utcnow
from hq.db import Database
from hq.errors import HQError
from hq.intake import intake_in
from hq.mailbox.parse import (
    MailHeaders,
    Unparsable,
    headers_of,
    message_key,
    parse_alert,
    read_message,
    refused_alert,
    unparsed_alert,
)
from hq.principals import Principal
from hq.schema import districts, mailbox_messages

log = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[\s,.;:()\[\]/|\-–—]+")


def mailbox_principal(mailbox: str) -> Principal:
    """Who the mailbox's cases are made by: an intake-only principal named after the mailbox."""
    return Principal(actor=f"mailbox:{mailbox}"[:150], display_name="Intake (Meta e-mail)", role=None)


@dataclass(frozen=True)
class Taken:
    key: str
    case_id: str | None
    outcome: str  # parsed | duplicate | unparsed | too_large
    district: str | None
    already: bool  # the mail had been taken before: nothing was made now


def _norm(value: str) -> str:
    return " " + " ".join(_SEPARATORS.sub(" ", value.casefold()).split()) + " "


def _names(value: str) -> list[str]:
    """A district name and the alternatives written into it ("Lucknow / लखनऊ", "Lucknow (लखनऊ)")."""
    out = [value]
    out += [p for p in re.split(r"[/()|]", value) if p.strip()]
    return [n for n in (_norm(v).strip() for v in out) if n]


def match_district(conn: Connection, location: str) -> str | None:
    """The one district whose name (English, or Hindi where the table has it) the location names.

    Whole words only; the longest name wins where one contains another ("Kanpur Nagar" over
    "Kanpur"); two unrelated districts named, or none, is no match (the case stays at HQ).
    """
    if not location.strip():
        return None
    hay = _norm(location)
    cols = [districts.c.code, districts.c.name]
    hindi = districts.c.get("name_hi")
    if hindi is not None:
        cols.append(hindi)
    best: dict[str, str] = {}  # district code -> the longest of its names the location holds
    for row in conn.execute(select(*cols)):
        for value in row[1:]:
            if not value:
                continue
            for name in _names(str(value)):
                if f" {name} " in hay and len(name) > len(best.get(row[0], "")):
                    best[row[0]] = name
    if not best:
        return None
    (code, top), *others = sorted(best.items(), key=lambda kv: len(kv[1]), reverse=True)
    # another district named too: the top one stands only if its name holds the others' ("Kanpur
    # Nagar" holds "Kanpur"); two districts named apart ("Agra or Lucknow") are HQ's to decide
    if any(f" {name} " not in f" {top} " for _, name in others):
        return None
    return code


def _existing(conn: Connection, key: str) -> Taken | None:
    row = conn.execute(
        select(mailbox_messages.c.case_id, mailbox_messages.c.outcome).where(mailbox_messages.c.key == key)
    ).first()
    if row is None:
        return None
    return Taken(key, row.case_id, row.outcome, None, True)


def _record(
    conn: Connection, *, key: str, mailbox: str, head: MailHeaders, outcome: str, case_id: str, size: int,
    raw: bytes | None,
) -> None:  # fmt: skip
    conn.execute(
        mailbox_messages.insert().values(
            key=key,
            mailbox=mailbox[:300],
            message_id=head.message_id,
            outcome=outcome,
            case_id=case_id,
            sender=head.sender[:1000],
            subject=head.subject[:1000],
            size_bytes=size,
            taken_at=iso(utcnow()),
            raw=raw,
        )
    )


def take_mail(db: Database, mailbox: str, raw: bytes) -> Taken:
    """Make the case for one downloaded mail (or find the one made before); see the module doc.

    A mail whose content the database refuses (``DataError``: it should never come to that, the
    parser cleans every text) would otherwise fail every run and hold up every mail behind it: it
    becomes a case carrying none of its text instead, saying so, its original kept in the record.
    Errors of the connection or the server are raised (the worker retries the mail on its next run).
    """
    try:
        return _take_mail(db, mailbox, raw)
    except IntegrityError:
        # the record's primary key refused a twin (the lock should have made it impossible): the
        # other transaction's record is there now, and the second attempt returns it
        return _take_mail(db, mailbox, raw)
    except DataError as exc:
        log.exception("the database refused a mail's content; recording it without its text")
        return _take_bare(db, mailbox, raw, type(exc).__name__)


def _take_bare(db: Database, mailbox: str, raw: bytes, error: str) -> Taken:
    key = "sha256:" + hashlib.sha256(raw).hexdigest()
    head = MailHeaders(None, "", "", None)
    body = unparsed_alert(b"", key, f"HQ could not store its content ({error}); open it in the mailbox")
    body["subject"] = {"post_text": ""}
    with db.writer() as conn:
        found = _existing(conn, key)
        if found is not None:
            return found
        result = intake_in(conn, db, mailbox_principal(mailbox), body)
        _record(conn, key=key, mailbox=mailbox, head=head, outcome="unparsed", case_id=result.case_id,
                size=len(raw), raw=raw)  # fmt: skip
        return Taken(key, result.case_id, "unparsed", None, False)


def _take_mail(db: Database, mailbox: str, raw: bytes) -> Taken:
    try:
        msg = read_message(raw)
        head = headers_of(msg)
        key = message_key(head.message_id, raw, msg)
    except Exception as exc:  # unreadable headers: a stable key from the bytes, an unparsed case
        log.warning("mail headers unreadable: %s", exc)
        msg = None
        head = MailHeaders(None, "", "", None)
        key = "sha256:" + hashlib.sha256(raw).hexdigest()
    parsed: dict[str, Any] | None = None
    location = ""
    reason = ""
    if msg is not None:
        try:
            alert = parse_alert(raw, msg=msg, key=key)
            parsed, location = alert.body, alert.location_text
        except Unparsable as exc:
            reason = str(exc)
        except Exception as exc:  # a parser bug must not lose the alert: it becomes an unparsed case
            log.exception("mail parser failed")
            reason = f"parser error: {type(exc).__name__}"
    p = mailbox_principal(mailbox)
    with db.writer() as conn:
        found = _existing(conn, key)
        if found is not None:
            return found
        if parsed is not None:
            district = match_district(conn, location)
            body = parsed | ({"district": district} if district else {})
            try:
                result = intake_in(conn, db, p, body)
            except HQError as exc:  # refused before anything was written: fall back to unparsed
                reason = f"intake refused the parsed alert: {exc.detail[:300]}"
            except InvalidEvent as exc:  # the event check (before any write) refused a field
                reason = f"intake refused the parsed alert: {str(exc)[:300]}"
            else:
                # the same Meta reference as a case already there (another mail about the same alert,
                # or the alert entered by phone first): intake counted a duplicate of that case
                outcome = "duplicate" if result.duplicate else "parsed"
                _record(conn, key=key, mailbox=mailbox, head=head, outcome=outcome, case_id=result.case_id,
                        size=len(raw), raw=None)  # fmt: skip
                return Taken(key, result.case_id, outcome, district, False)
        body = unparsed_alert(raw, key, reason or "unreadable mail", msg=msg)
        result = intake_in(conn, db, p, body)
        _record(conn, key=key, mailbox=mailbox, head=head, outcome="unparsed", case_id=result.case_id,
                size=len(raw), raw=raw)  # fmt: skip
        return Taken(key, result.case_id, "unparsed", None, False)


def refuse_oversized(db: Database, mailbox: str, head: MailHeaders, size: int, limit: int, key: str) -> Taken:
    """Record an oversized mail (not downloaded) and make the case that tells a person about it."""
    with db.writer() as conn:
        found = _existing(conn, key)
        if found is not None:
            return found
        result = intake_in(conn, db, mailbox_principal(mailbox), refused_alert(key, head, size, limit))
        _record(conn, key=key, mailbox=mailbox, head=head, outcome="too_large", case_id=result.case_id, size=size,
                raw=None)  # fmt: skip
        return Taken(key, result.case_id, "too_large", None, False)


def key_from_headers(raw_headers: bytes, size: int) -> tuple[MailHeaders, str]:
    """The headers and processed-message key of a mail known only by its header block (oversized).

    Without a Message-ID the key hashes the headers and the size: the body is never downloaded.
    """
    msg = read_message(raw_headers)
    head = headers_of(msg)
    if head.message_id:
        return head, message_key(head.message_id)
    return head, message_key(None, raw_headers + str(size).encode(), msg)


def known_keys(conn: Connection, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(conn.execute(select(mailbox_messages.c.key).where(mailbox_messages.c.key.in_(keys))).scalars())


__all__ = ["Taken", "key_from_headers", "known_keys", "mailbox_principal", "match_district", "refuse_oversized",
           "take_mail"]  # fmt: skip
