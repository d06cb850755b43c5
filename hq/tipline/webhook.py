"""The tip line's HTTP face: Meta's webhook, and the two routes police use.

``GET  /api/v1/tipline/webhook``  Meta's verification handshake (``hub.mode=subscribe``, the verify
                                  token, ``hub.challenge`` echoed back).
``POST /api/v1/tipline/webhook``  a notification. ``X-Hub-Signature-256`` is checked first: HMAC-SHA256
                                  of the **raw body** under the app secret, compared in constant time.
                                  A missing or wrong signature gets 401 and an audit row naming the
                                  cause and the body's length (never its content); nothing is parsed.
                                  A signed one is parsed, status and reaction notifications dropped,
                                  each message written to the inbox (idempotent on a keyed hash of its
                                  id) and the relay woken: the reply does not wait for the bot, so
                                  Meta never retries a slow webhook.
``POST /api/v1/tips/{case_id}/questions``  an officer's question to the tipster (``officers``).
``GET  /api/v1/tips/media/{media_id}``     the police copy of a tip's photo, voice note or video.

(No ``from __future__ import annotations`` here: the routes are made inside ``install`` and FastAPI
must see their annotations evaluated.)

Text rule: the webhook takes Meta's shape, not HQ's request models, and never refuses a tipster's
words for their characters (a 4xx would make Meta redeliver forever). The raw text goes to the
inbox as JSON (escaped), and ``relay.clean_text`` replaces characters no event may hold with U+FFFD
before anything reaches a case. The officers' routes follow HQ's text rule (422 naming the field).
"""

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any

import anyio
from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import Field
from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from core.events import iso, utcnow
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, NotFound, Unauthenticated
from hq.principals import Principal
from hq.schema import tip_inbox, tip_senders
from hq.tipline.identity import IdentityError, normalise_number, remember_sender
from hq.tipline.officers import ask_question, police_media
from hq.tipline.relay import Relay
from hq.wire import LINE_PATTERN, ErrorBody, FreeText, Strict, text_rule

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
IGNORED_TYPES = frozenset({"reaction", "system", "ephemeral", "unsupported", "request_welcome"})
MAX_TEXT_CHARS = 20_000


def signature_ok(secret: bytes, raw: bytes, header: str | None) -> str | None:
    """None if ``header`` is Meta's signature of ``raw``; else why not (``missing``/``malformed``/``mismatch``)."""
    if not header:
        return "missing"
    if not header.startswith("sha256=") or len(header) != 7 + 64:
        return "malformed"
    expected = "sha256=" + hmac.new(secret, raw, hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected.encode(), header.encode("ascii", "replace")) else "mismatch"


@dataclass(frozen=True)
class Inbound:
    wa_message_id: str
    sender: str
    kind: str
    body: dict[str, Any]
    timestamp: str


def parse_notification(payload: Any) -> list[Inbound]:
    """The messages of a Cloud API notification; statuses, reactions and foreign shapes ignored.

    The sender's profile name and the ``contacts`` block are never read.
    """
    out: list[Inbound] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return out
    for entry in payload.get("entry") or []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            for m in value.get("messages") or []:
                item = _message(m)
                if item is not None:
                    out.append(item)
    return out


def _text(value: Any) -> str | None:
    return value[:MAX_TEXT_CHARS] if isinstance(value, str) and value else None


def _message(m: Any) -> Inbound | None:
    if not isinstance(m, dict):
        return None
    kind, wa_id, sender = m.get("type"), m.get("id"), m.get("from")
    if not (isinstance(kind, str) and isinstance(wa_id, str) and isinstance(sender, str)) or kind in IGNORED_TYPES:
        return None
    body: dict[str, Any] = {"kind": kind}
    if kind == "text":
        body["text"] = _text((m.get("text") or {}).get("body"))
    elif kind in MEDIA_TYPES:
        part = m.get(kind) or {}
        body["media_id"] = part.get("id") if isinstance(part.get("id"), str) else None
        body["caption"] = _text(part.get("caption"))
    elif kind == "location":
        loc = m.get("location") or {}
        bits = [loc.get("name"), loc.get("address"), f"({loc.get('latitude')}, {loc.get('longitude')})"]
        body["text"] = " ".join(str(b) for b in bits if b)
    elif kind == "interactive":
        reply = (m.get("interactive") or {}).get("button_reply") or (m.get("interactive") or {}).get("list_reply") or {}
        body["text"] = _text(reply.get("id") or reply.get("title"))
    elif kind == "button":
        body["text"] = _text((m.get("button") or {}).get("payload") or (m.get("button") or {}).get("text"))
    else:
        return None
    stamp = m.get("timestamp")
    try:
        at = iso(datetime.fromtimestamp(int(stamp), UTC)) if stamp is not None else iso(utcnow())
    except (TypeError, ValueError, OverflowError):
        at = iso(utcnow())
    return Inbound(wa_id[:500], sender, kind, {k: v for k, v in body.items() if v is not None}, at)


def accept(relay: Relay, items: list[Inbound]) -> int:
    """Record each message once (a redelivery inserts nothing) and wake the relay. Returns new rows.

    This is all the webhook does with a signed delivery, so it answers Meta fast under load: per
    message one ``INSERT ... ON CONFLICT`` for the sender (its keyed ref and sealed number, nothing
    read first, no row touched when the sender is known and still sealed) and one for the inbox row,
    in one short transaction; on PostgreSQL both go in one statement in autocommit (one round trip).
    The bot, media, filing and replies are the relay's work. A pseudonym collision (two numbers whose
    keyed pseudonyms share their letters, rare) takes the slower ``remember_sender``, which lengthens it.
    """
    rows = []
    for item in items:
        try:
            e164 = normalise_number(item.sender)
        except IdentityError:
            continue
        rows.append((e164, item))
    if not rows:
        return 0
    new = 0
    try:
        with _connection(relay.db) as conn:
            for e164, item in rows:
                new += _record(conn, relay, e164, item)
    except IntegrityError:  # a pseudonym taken by another number: find a free one, as on first sight
        with relay.db.transaction() as conn:
            for e164, item in rows:
                remember_sender(conn, relay.sealer, item.sender)
                new += _record(conn, relay, e164, item, sender_known=True)
    if new:
        relay.wake()
    return new


@contextmanager
def _connection(db: Database) -> Iterator[Connection]:
    """On PostgreSQL a connection in autocommit: each message is one atomic statement, so no BEGIN
    and COMMIT round trips. On SQLite a write transaction (two statements, under its write lock)."""
    if not db.is_postgres:
        with db.transaction() as conn:
            yield conn
        return
    with db.engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


def _record(conn: Connection, relay: Relay, e164: str, item: Inbound, *, sender_known: bool = False) -> int:
    sealer = relay.sealer
    ref = sealer.sender_ref(e164)
    inbox_values = {
        "message_ref": relay.message_ref(item.wa_message_id), "sender_ref": ref, "received_at": item.timestamp,
        "kind": item.kind[:20], "body": json.dumps(item.body, ensure_ascii=True), "status": "new",
    }  # fmt: skip
    insert = pg_insert if relay.db.is_postgres else sqlite_insert
    inbox = (
        insert(tip_inbox)
        .values(**inbox_values)
        .on_conflict_do_nothing(index_elements=["message_ref"])
        .returning(tip_inbox.c.id)  # the rows made, counted (psycopg gives no rowcount for these)
    )
    if sender_known:
        return len(conn.execute(inbox).all())
    now = iso(utcnow())
    sender = insert(tip_senders).values(
        ref=ref, pseudonym=sealer.pseudonym(e164), sealed_number=sealer.seal(e164.encode(), ref),
        seal_key_id=sealer.seal_key_id, first_seen=now, last_seen=now, tips=0,
    )  # fmt: skip
    # Known sender: nothing written (``last_seen`` is the relay's), unless retention destroyed the
    # seal and the tipster writes again: then the number is sealed anew.
    sender = sender.on_conflict_do_update(
        index_elements=["ref"],
        set_={"sealed_number": sender.excluded.sealed_number, "seal_key_id": sender.excluded.seal_key_id,
              "destroyed_at": None, "last_seen": sender.excluded.last_seen},
        where=tip_senders.c.sealed_number.is_(None),
    )  # fmt: skip
    if not relay.db.is_postgres:
        conn.execute(sender)
        return len(conn.execute(inbox).all())
    return len(conn.execute(inbox.add_cte(sender.cte("sender"))).all())


def _audit_refused(relay: Relay, cause: str, length: int, ip: str | None) -> None:
    with relay.db.transaction() as conn:
        write_audit(conn, None, "tipline_webhook", "unauthenticated", username="whatsapp-webhook", ip=ip,
                    detail={"cause": cause, "bytes": length})  # fmt: skip


class TipQuestionRequest(Strict):
    text: FreeText = Field(min_length=1, max_length=2000)


def install(app: FastAPI, api: str, user_dependency: Any, relay_of: Any) -> None:
    """Add the tip line's routes. ``relay_of(request)`` gives the running ``Relay`` or raises
    ``NotFound`` when the tip line is not configured."""
    tags: list[str | Enum] = ["tipline"]
    MediaId = Annotated[
        str, Path(max_length=200, json_schema_extra={"pattern": LINE_PATTERN}), text_rule(free_text=False)
    ]

    err: dict[str, Any] = {"model": ErrorBody}
    off: dict[int | str, dict[str, Any]] = {
        404: {"model": ErrorBody, "description": "the tip line is not configured on this HQ (or no such item)"}
    }

    challenge_ok = {"description": "the challenge, echoed", "content": {"text/plain": {"schema": {"type": "string"}}}}

    @app.get(f"{api}/tipline/webhook", tags=tags, response_model=None, responses={200: challenge_ok, 403: err, **off})
    def verify(
        request: Request,
        mode: Annotated[str | None, Query(alias="hub.mode", max_length=50)] = None,
        token: Annotated[str | None, Query(alias="hub.verify_token", max_length=500)] = None,
        challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=500)] = None,
    ) -> PlainTextResponse:
        relay = relay_of(request)
        expected = relay.settings.verify_token.encode()
        if (
            mode != "subscribe"
            or token is None
            or challenge is None
            or not hmac.compare_digest(token.encode(), expected)
        ):
            raise Forbidden("the verification token does not match")
        return PlainTextResponse(challenge)

    @app.post(f"{api}/tipline/webhook", tags=tags, responses={200: {"content": {}}, 401: err, **off})
    async def webhook(request: Request) -> Response:
        relay = relay_of(request)
        raw = await request.body()
        cause = signature_ok(relay.settings.app_secret, raw, request.headers.get(SIGNATURE_HEADER))
        if cause is not None:
            ip = request.client.host if request.client else None
            await anyio.to_thread.run_sync(_audit_refused, relay, cause, len(raw), ip)
            log.warning("tip line webhook refused: signature %s", cause)
            raise Unauthenticated(f"the {SIGNATURE_HEADER} signature is {cause}")
        try:
            payload = json.loads(raw)
        except ValueError:
            return Response(status_code=200)  # signed but not JSON: nothing to do, and no retry wanted
        items = parse_notification(payload)
        if items:
            await anyio.to_thread.run_sync(accept, relay, items)
        return Response(status_code=200)

    @app.post(f"{api}/tips/{{case_id}}/questions", tags=tags, status_code=201, responses={409: err, **off})
    def question(request: Request, case_id: MediaId, body: TipQuestionRequest, who: user_dependency) -> dict[str, Any]:
        principal: Principal = who
        return {"event": ask_question(relay_of(request), principal, case_id, body.text).to_wire()}

    media_types: dict[str, Any] = {
        m: {} for m in ("image/jpeg", "audio/ogg", "audio/mpeg", "audio/mp4", "audio/amr", "audio/aac", "video/mp4",
                        "video/3gpp", "video/quicktime")
    }  # fmt: skip
    media_ok = {"description": "the police copy (metadata removed)", "content": media_types}

    @app.get(f"{api}/tips/media/{{media_id}}", tags=tags, response_model=None, responses={200: media_ok, **off})
    def media(request: Request, media_id: MediaId, who: user_dependency) -> Response:
        data, mime = police_media(relay_of(request), who, media_id)
        return Response(data, media_type=mime, headers={"Cache-Control": "no-store"})


def not_configured() -> NotFound:
    return NotFound("the tip line is not configured on this HQ")


__all__ = ["Inbound", "accept", "install", "not_configured", "parse_notification", "signature_ok"]
