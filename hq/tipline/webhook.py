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

import asyncio
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
from sqlalchemy import Connection, text
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
    message the sender's row (its keyed ref and sealed number; nothing written, and no row locked,
    when the sender is known and still sealed) and the inbox row, written without reading first;
    on PostgreSQL in one statement in autocommit (one round trip). The bot, media, filing and
    replies are the relay's work. A pseudonym collision (two numbers whose keyed pseudonyms share
    their letters, rare) takes the slower ``remember_sender``, which lengthens it.
    """
    return accept_many(relay, [items])[0]


def accept_many(relay: Relay, deliveries: list[list[Inbound]]) -> list[int]:
    """``accept`` for several deliveries at once (``Acceptor``): on PostgreSQL all their messages in
    one statement, so a burst of deliveries costs one round trip and one thread hop, not one each.
    Returns the new rows per delivery. If the grouped statement fails (a pseudonym collision, or
    anything one delivery brings), the group is halved and each half tried again, down to single
    deliveries written on their own, so one delivery cannot fail the others."""
    if relay.db.is_postgres:
        counts = _accept_split(relay, deliveries)
    else:
        counts = [_accept_one(relay, items) for items in deliveries]
    if any(counts):
        relay.wake()
    return counts


def _accept_split(relay: Relay, deliveries: list[list[Inbound]]) -> list[int]:
    try:
        return _accept_grouped(relay, deliveries)
    except Exception:
        log.debug("a grouped tip line write failed; halving it", exc_info=True)
    if len(deliveries) == 1:
        return [_accept_one(relay, deliveries[0])]
    half = len(deliveries) // 2
    return _accept_split(relay, deliveries[:half]) + _accept_split(relay, deliveries[half:])


def _numbered(items: list[Inbound]) -> list[tuple[str, Inbound]]:
    rows = []
    for item in items:
        try:
            rows.append((normalise_number(item.sender), item))
        except IdentityError:
            continue
    return rows


def _accept_one(relay: Relay, items: list[Inbound]) -> int:
    """One delivery on its own: the statements per message (SQLite's path; PostgreSQL's when a
    grouped statement failed), a pseudonym collision resolved by ``remember_sender``."""
    rows = _numbered(items)
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
    return new


# One text for any number of rows (arrays, not a VALUES list): compiled once, and the rows travel
# as parameters. A sender already known and still sealed is filtered out by a plain read, so the
# ON CONFLICT never locks or touches its row (the relay may hold it while it files a tip).
_GROUPED_SQL = text("""
WITH sender AS (
    INSERT INTO tip_senders (ref, pseudonym, sealed_number, seal_key_id, first_seen, last_seen, tips)
    SELECT g.ref, g.pseudonym, g.sealed_number, :key_id, :now, :now, 0
    FROM unnest(CAST(:refs AS varchar[]), CAST(:pseudonyms AS varchar[]), CAST(:sealed AS bytea[]))
        AS g(ref, pseudonym, sealed_number)
    WHERE NOT EXISTS (SELECT 1 FROM tip_senders s WHERE s.ref = g.ref AND s.sealed_number IS NOT NULL)
    ON CONFLICT (ref) DO UPDATE SET sealed_number = excluded.sealed_number, seal_key_id = excluded.seal_key_id,
        destroyed_at = NULL, last_seen = excluded.last_seen
    WHERE tip_senders.sealed_number IS NULL
)
INSERT INTO tip_inbox (message_ref, sender_ref, received_at, kind, body, status)
SELECT m.message_ref, m.sender_ref, m.received_at, m.kind, m.body, 'new'
FROM unnest(CAST(:message_refs AS varchar[]), CAST(:sender_refs AS varchar[]), CAST(:received AS varchar[]),
            CAST(:kinds AS varchar[]), CAST(:bodies AS text[]))
    AS m(message_ref, sender_ref, received_at, kind, body)
ON CONFLICT (message_ref) DO NOTHING
RETURNING message_ref
""")


def _accept_grouped(relay: Relay, deliveries: list[list[Inbound]]) -> list[int]:
    """One PostgreSQL statement (``_GROUPED_SQL``) for every message of ``deliveries``: the new
    senders, and the inbox rows ``ON CONFLICT DO NOTHING``; the refs it returns tell which delivery
    made which row."""
    sealer = relay.sealer
    senders: dict[str, tuple[str, bytes]] = {}
    inbox: dict[str, tuple[str, str, str, str]] = {}
    owner: dict[str, int] = {}
    for n, items in enumerate(deliveries):
        for e164, item in _numbered(items):
            ref = sealer.sender_ref(e164)
            if ref not in senders:
                senders[ref] = (sealer.pseudonym(e164), sealer.seal(e164.encode(), ref))
            msg_ref = relay.message_ref(item.wa_message_id)
            if msg_ref not in inbox:  # the same message twice in one burst: one row, for the first
                owner[msg_ref] = n
                inbox[msg_ref] = (ref, item.timestamp, item.kind[:20], json.dumps(item.body, ensure_ascii=True))
    counts = [0] * len(deliveries)
    if not inbox:
        return counts
    params = {
        "key_id": sealer.seal_key_id, "now": iso(utcnow()), "refs": list(senders),
        "pseudonyms": [p for p, _ in senders.values()], "sealed": [s for _, s in senders.values()],
        "message_refs": list(inbox), "sender_refs": [r[0] for r in inbox.values()],
        "received": [r[1] for r in inbox.values()], "kinds": [r[2] for r in inbox.values()],
        "bodies": [r[3] for r in inbox.values()],
    }  # fmt: skip
    with _connection(relay.db) as conn:
        made = conn.execute(_GROUPED_SQL, params).scalars().all()
    for msg_ref in made:
        counts[owner[msg_ref]] += 1
    return counts


def _settle(future: asyncio.Future[int], outcome: int | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


def _retrieved(future: asyncio.Future[int]) -> None:
    if not future.cancelled():
        future.exception()


class Acceptor:
    """Group commit for the webhook, one per worker process.

    Each signed delivery waits here until its messages are stored (its 200 is never sent before),
    but deliveries that arrive while a write is under way are written together by the next one,
    on one thread, in one statement (``accept_many``). A burst (Meta delivering a thousand
    tipsters' first messages in a second) then costs a few statements instead of a thousand, and
    takes one of the worker's threads instead of all forty: the threads, the pool's connections and
    the interpreter lock that queued the burst's requests for seconds are left to everything else.
    """

    MAX_MESSAGES = 500  # per statement

    def __init__(self, relay: Relay):
        self.relay = relay
        self._waiting: list[tuple[list[Inbound], asyncio.Future[int]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._limiter: anyio.CapacityLimiter | None = None

    async def accept(self, items: list[Inbound]) -> int:
        """Store ``items`` (one delivery); returns the new rows. Raises what the write raised."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieved)  # its error is the request's; read here if it hung up
        self._waiting.append((items, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        # Shielded: a client that hangs up must not cancel the write other deliveries share.
        return await asyncio.shield(future)

    async def _write(self) -> None:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(1)  # its own token: never queued behind other routes
        while self._waiting:
            group: list[tuple[list[Inbound], asyncio.Future[int]]] = []
            size = 0
            while self._waiting and (not group or size + len(self._waiting[0][0]) <= self.MAX_MESSAGES):
                items, future = self._waiting.pop(0)
                group.append((items, future))
                size += len(items)
            try:
                counts = await anyio.to_thread.run_sync(
                    accept_many, self.relay, [items for items, _ in group], limiter=self._limiter
                )
            except Exception as exc:
                if len(group) == 1:  # it answers 500 and Meta redelivers it
                    _settle(group[0][1], exc)
                    continue
                for items, future in group:  # each on its own: a delivery that cannot be stored fails alone
                    try:
                        (new,) = await anyio.to_thread.run_sync(
                            accept_many, self.relay, [items], limiter=self._limiter
                        )
                    except Exception as one:
                        _settle(future, one)
                    else:
                        _settle(future, new)
                continue
            for (_, future), new in zip(group, counts, strict=True):
                if not future.done():
                    future.set_result(new)


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
            acceptor: Acceptor | None = getattr(request.app.state, "tipline_acceptor", None)
            if acceptor is None or acceptor.relay is not relay:
                acceptor = request.app.state.tipline_acceptor = Acceptor(relay)
            await acceptor.accept(items)
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


__all__ = [
    "Acceptor", "Inbound", "accept", "accept_many", "install", "not_configured", "parse_notification", "signature_ok",
]
