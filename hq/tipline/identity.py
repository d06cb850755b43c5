"""The tipster's identity: sealed, pseudonymous, and destroyed on schedule.

Keys (all held only by the HQ process that runs the relay; see docs/TIPLINE.md):

- the **seal key** (AES-256-GCM) encrypts the sender's number (``tip_senders.sealed_number``) and the
  original media (which may carry GPS). Only the relay unseals a number, and only at the moment of
  sending it a reply; nothing it unseals is written anywhere.
- the **pseudonym key** (HMAC-SHA256) turns a number into the ``sender_ref`` the tables join on and
  into the pseudonym police see ("Tipster K7F3"), and hashes receipt codes. Without this key nobody
  can test a guessed number against the database: a number has too few possibilities for an unkeyed
  hash to hide it.

Invariant: a number in clear exists only in the webhook's request body (in memory) and inside
``unseal_number``'s caller; it never reaches a log line, an event, an audit row or a table.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, select, update

from core.events import EventType, iso, parse_time, utcnow
from core.tips import PSEUDONYM_PREFIX
from hq.audit import write_audit
from hq.schema import events, tip_senders, tips

NONCE_BYTES = 12
# Letters of pseudonyms and receipt codes: no 0/O, 1/I, so they can be read out over a phone.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PSEUDONYM_LETTERS = 4
RECEIPT_LETTERS = 12
_DIGITS = re.compile(r"\d{6,15}")


class IdentityError(ValueError):
    """A sender id that is not a phone number WhatsApp would give, or a seal that does not open."""


def normalise_number(wa_id: str) -> str:
    """The E.164 form of a WhatsApp sender id (Meta sends digits with the country code, no '+')."""
    digits = wa_id.removeprefix("+")
    if not _DIGITS.fullmatch(digits):
        raise IdentityError("the sender is not a phone number")
    return "+" + digits


def _letters(digest: bytes, n: int) -> str:
    value = int.from_bytes(digest, "big")
    out = []
    for _ in range(n):
        value, i = divmod(value, len(ALPHABET))
        out.append(ALPHABET[i])
    return "".join(out)


@dataclass(frozen=True)
class Sealer:
    """The relay's keys and what is done with them. Never log or repr one."""

    seal_key: bytes
    pseudonym_key: bytes

    def __repr__(self) -> str:
        return "Sealer(<keys>)"

    @property
    def seal_key_id(self) -> str:
        """Names the seal key (an HMAC of a constant under it), so a rotated key can be told apart."""
        return hmac.new(self.seal_key, b"rakshak-tipline key id", hashlib.sha256).hexdigest()[:16]

    def _mac(self, purpose: str, value: str) -> bytes:
        return hmac.new(self.pseudonym_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()

    def sender_ref(self, e164: str) -> str:
        return self._mac("sender", e164).hex()

    def pseudonym(self, e164: str, extra: int = 0) -> str:
        """``Tipster`` and letters of a keyed HMAC; ``extra`` more letters on a (rare) collision."""
        return PSEUDONYM_PREFIX + _letters(self._mac("pseudonym", e164), PSEUDONYM_LETTERS + extra)

    def receipt_hash(self, code: str) -> str:
        return self._mac("receipt", normalise_receipt(code)).hex()

    def seal(self, plain: bytes, context: str) -> bytes:
        """AES-256-GCM; ``context`` (a sender ref, a media id) is bound in, so a sealed value cannot
        be moved to another row and still open."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + AESGCM(self.seal_key).encrypt(nonce, plain, context.encode())

    def unseal(self, sealed: bytes, context: str) -> bytes:
        try:
            return AESGCM(self.seal_key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())
        except Exception:
            raise IdentityError("the sealed value does not open with this key") from None


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_LETTERS))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_LETTERS, 4))


def normalise_receipt(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


RECEIPT_PATTERN = re.compile(r"\b([A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4})\b")


@dataclass(frozen=True)
class Sender:
    ref: str
    pseudonym: str
    prior_tips: int


def remember_sender(conn: Connection, sealer: Sealer, wa_id: str) -> Sender:
    """Find or create the sender's row (sealing the number on first sight); returns its ref."""
    e164 = normalise_number(wa_id)
    ref = sealer.sender_ref(e164)
    now = iso(utcnow())
    row = conn.execute(select(tip_senders).where(tip_senders.c.ref == ref)).first()
    if row is not None:
        values: dict[str, object] = {"last_seen": now}
        if row.sealed_number is None:  # destroyed by retention, and the tipster wrote again
            values |= {"sealed_number": sealer.seal(e164.encode(), ref), "seal_key_id": sealer.seal_key_id}
            values["destroyed_at"] = None
        conn.execute(update(tip_senders).where(tip_senders.c.ref == ref).values(**values))
        return Sender(ref, row.pseudonym, row.tips)
    for extra in range(0, 8):
        pseudonym = sealer.pseudonym(e164, extra)
        taken = conn.execute(select(tip_senders.c.ref).where(tip_senders.c.pseudonym == pseudonym)).first()
        if taken is None:
            break
    conn.execute(
        tip_senders.insert().values(
            ref=ref,
            pseudonym=pseudonym,
            sealed_number=sealer.seal(e164.encode(), ref),
            seal_key_id=sealer.seal_key_id,
            first_seen=now,
            last_seen=now,
            tips=0,
        )
    )
    return Sender(ref, pseudonym, 0)


def unseal_number(conn: Connection, sealer: Sealer, ref: str) -> str | None:
    """The sender's number, for the one call that sends them a message; None once destroyed."""
    sealed = conn.execute(select(tip_senders.c.sealed_number).where(tip_senders.c.ref == ref)).scalar_one_or_none()
    if sealed is None:
        return None
    return sealer.unseal(bytes(sealed), ref).decode().removeprefix("+")


def destroy_expired(conn: Connection, retention: timedelta, now_iso: str | None = None) -> int:
    """Destroy the sealed numbers of senders whose every tip was closed more than ``retention`` ago.

    A sender with an open tip, or one closed more recently, keeps its seal (the relay may still have
    to carry a question). Each destruction is audited by pseudonym (never by number or ref). The
    pseudonym and ref stay, so a tipster who writes again is still "seen before".
    """
    now = parse_time(now_iso) if now_iso else utcnow()
    destroyed = 0
    candidates = conn.execute(
        select(tip_senders.c.ref, tip_senders.c.pseudonym).where(tip_senders.c.sealed_number.is_not(None))
    ).all()
    for sender in candidates:
        case_ids = [r.case_id for r in conn.execute(select(tips.c.case_id).where(tips.c.sender_ref == sender.ref))]
        if not case_ids:
            continue
        last_closed = None
        for case_id in case_ids:
            closed_at = _closed_at(conn, case_id)
            if closed_at is None:
                last_closed = None
                break
            last_closed = closed_at if last_closed is None else max(last_closed, closed_at)
        if last_closed is None or parse_time(last_closed) + retention > now:
            continue
        conn.execute(
            update(tip_senders)
            .where(tip_senders.c.ref == sender.ref)
            .values(sealed_number=None, seal_key_id=None, destroyed_at=iso(now))
        )
        write_audit(
            conn,
            None,
            "tip_identity_destroyed",
            "ok",
            username="tipline-retention",
            detail={"pseudonym": sender.pseudonym, "tips": len(case_ids), "last_closed": last_closed},
        )
        destroyed += 1
    return destroyed


def _closed_at(conn: Connection, case_id: str) -> str | None:
    """When the case was last closed, or None if it is open (its last closed/reopened decides)."""
    rows = conn.execute(
        select(events.c.type, events.c.stored_at)
        .where(events.c.case_id == case_id, events.c.type.in_([str(EventType.CLOSED), str(EventType.REOPENED)]))
        .order_by(events.c.seq)
    ).all()
    if not rows or rows[-1].type != str(EventType.CLOSED):
        return None
    return str(rows[-1].stored_at)


__all__ = [
    "RECEIPT_PATTERN",
    "IdentityError",
    "Sealer",
    "Sender",
    "destroy_expired",
    "new_receipt_code",
    "normalise_number",
    "normalise_receipt",
    "remember_sender",
    "unseal_number",
]
