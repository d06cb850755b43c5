"""Replies to tipsters: queued in ``tip_outbox`` with the conversation's other writes, sent by the
relay's thread through the Cloud API (free text inside WhatsApp's 24-hour window, the approved
template outside it)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import Connection, select, update

from core.events import iso, parse_time, utcnow
from hq.audit import write_audit
from hq.db import Database
from hq.principals import Principal
from hq.schema import tip_conversations, tip_outbox
from hq.tipline.cloud import CloudAPI, CloudError
from hq.tipline.identity import Sealer, unseal_number

log = logging.getLogger(__name__)

RELAY = Principal(actor="tipline-relay", display_name="Tip line relay", role=None, username="tipline-relay")
MAX_SEND_ATTEMPTS = 20
SEND_CLAIM_S = 60  # a reply claimed by a relay that then died is tried again after this long
WINDOW = timedelta(hours=24)  # the Cloud API allows free text only this long after the tipster's last message


def queue_reply(conn: Connection, ref: str, text: str) -> None:
    """Queue a reply to the sender ``ref`` (inside the caller's transaction)."""
    now = iso(utcnow())
    conn.execute(
        tip_outbox.insert().values(
            sender_ref=ref, body=json.dumps({"text": text}, ensure_ascii=False), created_at=now,
            status="pending", attempts=0, next_attempt_at=now,
        )
    )  # fmt: skip


def send_due(db: Database, sealer: Sealer, cloud: CloudAPI, template: str) -> None:
    """Send the replies that are due, oldest first, keeping one sender's replies in order. Runs on the
    relay's thread. The number is unsealed for the one call that needs it and dropped right after;
    a failure is stored as its code (``CloudError.code``) and retried with back-off, and after
    ``MAX_SEND_ATTEMPTS`` given up and audited. A sent reply's text is blanked from the outbox."""
    now = utcnow()
    with db.reader() as conn:
        due = conn.execute(
            select(tip_outbox, tip_conversations.c.last_inbound_at, tip_conversations.c.language)
            .join(tip_conversations, tip_conversations.c.sender_ref == tip_outbox.c.sender_ref, isouter=True)
            .where(tip_outbox.c.status == "pending", tip_outbox.c.next_attempt_at <= iso(now))
            .order_by(tip_outbox.c.id)
            .limit(200)
        ).all()
    failed_senders: set[str] = set()
    for row in due:
        if row.sender_ref in failed_senders:
            continue  # keep one sender's replies in order: after a failure, the rest wait
        with db.transaction() as conn:  # claim it: another HQ worker's relay must not send it too
            claimed = conn.execute(
                update(tip_outbox)
                .where(tip_outbox.c.id == row.id, tip_outbox.c.next_attempt_at == row.next_attempt_at)
                .values(next_attempt_at=iso(utcnow() + timedelta(seconds=SEND_CLAIM_S)))
            ).rowcount
        if claimed != 1:
            failed_senders.add(row.sender_ref)
            continue
        with db.reader() as conn:
            number = unseal_number(conn, sealer, row.sender_ref)
        text = json.loads(row.body)["text"]
        error = None
        if number is None:
            error = "identity_destroyed"
        else:
            in_window = row.last_inbound_at is not None and now - parse_time(row.last_inbound_at) < WINDOW
            try:
                if in_window:
                    cloud.send_text(number, text)
                else:
                    cloud.send_template(number, template, row.language or "hi", [text[:1000]])
            except CloudError as exc:
                error = exc.code
        del number
        with db.transaction() as conn:
            if error is None:
                conn.execute(
                    update(tip_outbox).where(tip_outbox.c.id == row.id)
                    .values(status="sent", sent_at=iso(utcnow()), body="{}", attempts=row.attempts + 1)
                )  # fmt: skip
                continue
            failed_senders.add(row.sender_ref)
            attempts = row.attempts + 1
            final = attempts >= MAX_SEND_ATTEMPTS or error == "identity_destroyed"
            delay = min(2**attempts, 3600)  # 2 s, 4 s, 8 s... at most an hour
            conn.execute(
                update(tip_outbox).where(tip_outbox.c.id == row.id).values(
                    status="failed" if final else "pending", attempts=attempts, last_error=error[:100],
                    next_attempt_at=iso(utcnow() + timedelta(seconds=delay)),
                )
            )  # fmt: skip
            if final:
                write_audit(conn, RELAY, "tip_reply", "failed", detail={"error": error, "attempts": attempts})
        log.warning("a tip line reply could not be sent (%s); it will be retried", error)


__all__ = ["MAX_SEND_ATTEMPTS", "RELAY", "WINDOW", "queue_reply", "send_due"]
