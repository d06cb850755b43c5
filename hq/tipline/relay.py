"""The relay: the worker that turns the webhook's inbox into tips, and carries the two-way talk.

One daemon thread per HQ process (``Relay.start``). It is woken by the webhook after each accepted
delivery and by an officer's question, and otherwise polls every ``worker_poll_s``. Per sender it
takes a lease on the conversation row, so two worker processes never run one conversation twice,
and handles the sender's new messages in arrival order: media fetched and cleaned (``media``), the
bot stepped (``bot``), then everything the step decided written in one transaction with the
message marked done. A crash in between re-runs the message: filing is idempotent (the case's
``upstream_ref`` and the events' ids are keyed hashes of the message), so there is never a twin.

The relay is the only holder of the seal key in use: it unseals a sender's number only to hand it
to the Cloud API in ``_send_due``, and nothing it unseals is logged or stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import InvalidEvent
from core.events import EventType, iso, new_event, parse_time, text_problem, utcnow
from core.hlc import HybridClock
from core.tips import TipCategory
from hq.audit import write_audit
from hq.db import Database
from hq.feed import Batch, case_history, load_cases
from hq.intake import HQ_NODE, intake
from hq.schema import tip_conversations, tip_inbox, tip_media, tip_senders, tips
from hq.tipline import bot
from hq.tipline.cloud import CloudAPI, CloudError, TooLargeMedia
from hq.tipline.identity import Sealer, destroy_expired, new_receipt_code
from hq.tipline.media import MAX_BYTES, MediaRefused, clean, cleaning_json, encrypt
from hq.tipline.replies import RELAY, queue_reply, send_due
from hq.tipline.routing import resolve_place
from hq.tipline.settings import TiplineSettings

log = logging.getLogger(__name__)

LEASE_S = 120
SENDERS_PER_ROUND = 50
RETENTION_SWEEP_S = 3600.0


def clean_text(value: str | None) -> str | None:
    """Text as an event may hold it: characters no event takes (NUL, other controls, lone
    surrogates) become U+FFFD. The tipster's words are never refused for their characters."""
    if value is None:
        return None
    if text_problem(value, free_text=True) is None:
        return value
    return "".join("\ufffd" if text_problem(ch, free_text=True) else ch for ch in value)


class Relay:
    def __init__(self, db: Database, settings: TiplineSettings, *, cloud: CloudAPI | None = None):
        self.db = db
        self.settings = settings
        self.sealer = Sealer(settings.seal_key, settings.pseudonym_key)
        self.cloud = cloud or CloudAPI(settings.graph_url, settings.phone_number_id, settings.access_token)
        self.owner = uuid.uuid4().hex
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_retention = 0.0
        self.after_round: list[Callable[[], None]] = []  # tests: called after each round of work

    def __repr__(self) -> str:
        return "Relay(<keys>)"

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="tipline-relay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
        self.cloud.close()

    def run_forever(self) -> None:
        """Run the relay in this thread until SIGTERM or SIGINT (``python -m hq tipline-relay``)."""
        def stop(*_: object) -> None:
            self._stop.set()
            self._wake.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, stop)
        self._run()
        self.cloud.close()

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.settings.worker_poll_s)
            self._wake.clear()
            try:
                self.run_once()
            except Exception:
                log.exception("tip line relay round failed; retrying")
                time.sleep(1.0)
            for hook in list(self.after_round):
                hook()

    def run_once(self) -> int:
        """One round: new messages, idle conversations, due replies, retention. Returns messages handled."""
        handled = 0
        for ref in self._senders_with_work():
            if self._stop.is_set():
                break
            if self._lease(ref):
                seen = 0
                try:
                    seen = self._handle_sender(ref)
                    handled += seen
                finally:
                    self._release(ref, seen=seen > 0)
        self._expire_idle()
        send_due(self.db, self.sealer, self.cloud, self.settings.template)
        if time.monotonic() - self._last_retention > RETENTION_SWEEP_S:
            self._last_retention = time.monotonic()
            with self.db.transaction() as conn:
                destroy_expired(conn, timedelta(days=self.settings.retention_days))
        return handled

    # -- keyed ids ------------------------------------------------------------------------------

    def _keyed(self, purpose: str, value: str) -> str:
        return hmac.new(self.settings.pseudonym_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def message_ref(self, wa_message_id: str) -> str:
        """The inbox key of a WhatsApp message id. The id itself is never stored: a ``wamid`` is
        base64 that contains the sender's number."""
        return self._keyed("message", wa_message_id)

    def _event_id(self, purpose: str, msg_ref: str) -> str:
        return str(uuid.UUID(bytes=bytes.fromhex(self._keyed(purpose, msg_ref)[:32]), version=4))

    # -- leases -------------------------------------------------------------------------------

    def _senders_with_work(self) -> list[str]:
        with self.db.reader() as conn:
            rows = conn.execute(
                select(tip_inbox.c.sender_ref, func.min(tip_inbox.c.id).label("first"))
                .where(tip_inbox.c.status == "new")
                .group_by(tip_inbox.c.sender_ref)
                .order_by("first")
                .limit(SENDERS_PER_ROUND)
            ).all()
        return [r.sender_ref for r in rows]

    def _lease(self, ref: str) -> bool:
        now = utcnow()
        with self.db.transaction() as conn:
            exists = conn.execute(select(tip_conversations.c.sender_ref).where(tip_conversations.c.sender_ref == ref))
            if exists.first() is None:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            tip_conversations.insert().values(
                                sender_ref=ref, state=str(bot.State.NEW), draft="{}",
                                started_at=iso(now), updated_at=iso(now),
                            )
                        )  # fmt: skip
                except IntegrityError:
                    pass
            taken = conn.execute(
                update(tip_conversations)
                .where(
                    tip_conversations.c.sender_ref == ref,
                    (tip_conversations.c.lease_until.is_(None)) | (tip_conversations.c.lease_until < iso(now)),
                )
                .values(lease_owner=self.owner, lease_until=iso(now + timedelta(seconds=LEASE_S)))
            )
            return taken.rowcount == 1

    def _release(self, ref: str, *, seen: bool = False) -> None:
        """Give the conversation up; ``seen``: the sender's messages were handled, so ``last_seen``
        moves (the webhook writes nothing to a known sender's row)."""
        with self.db.transaction() as conn:
            conn.execute(
                update(tip_conversations)
                .where(tip_conversations.c.sender_ref == ref, tip_conversations.c.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None)
            )
            if seen:
                conn.execute(update(tip_senders).where(tip_senders.c.ref == ref).values(last_seen=iso(utcnow())))

    # -- conversations ------------------------------------------------------------------------

    @staticmethod
    def load_conversation(conn: Connection, ref: str) -> bot.Conversation:
        row = conn.execute(select(tip_conversations).where(tip_conversations.c.sender_ref == ref)).first()
        if row is None:
            return bot.Conversation()

        def t(v: str | None) -> Any:
            return parse_time(v) if v else None

        return bot.Conversation(
            state=bot.State(row.state), language=row.language, draft=json.loads(row.draft),
            started_at=t(row.started_at), updated_at=t(row.updated_at), tip_case_id=row.tip_case_id,
            filed_at=t(row.filed_at), question_id=row.question_id, question_case_id=row.question_case_id,
        )  # fmt: skip

    @staticmethod
    def save_conversation(conn: Connection, ref: str, conv: bot.Conversation, inbound_at: str | None = None) -> None:
        def t(v: Any) -> str | None:
            return iso(v) if v is not None else None

        values: dict[str, Any] = {
            "state": str(conv.state), "language": conv.language,
            "draft": json.dumps(conv.draft, ensure_ascii=False),
            "started_at": t(conv.started_at) or iso(utcnow()), "updated_at": t(conv.updated_at) or iso(utcnow()),
            "tip_case_id": conv.tip_case_id, "filed_at": t(conv.filed_at),
            "question_id": conv.question_id, "question_case_id": conv.question_case_id,
        }  # fmt: skip
        if inbound_at is not None:
            values["last_inbound_at"] = inbound_at
        conn.execute(update(tip_conversations).where(tip_conversations.c.sender_ref == ref).values(**values))

    def _handle_sender(self, ref: str) -> int:
        with self.db.reader() as conn:
            rows = conn.execute(
                select(tip_inbox)
                .where(tip_inbox.c.sender_ref == ref, tip_inbox.c.status == "new")
                .order_by(tip_inbox.c.id)
            ).all()
        for row in rows:
            body = json.loads(row.body)
            msg = self._message(ref, row.received_at, body)
            with self.db.reader() as conn:
                conv = self.load_conversation(conn, ref)
            conv, actions = bot.step(
                conv, msg,
                bundle=timedelta(minutes=self.settings.bundle_min),
                idle_timeout=timedelta(minutes=self.settings.idle_timeout_min),
            )  # fmt: skip
            self._apply(ref, row.id, row.message_ref, conv, actions, inbound_at=row.received_at)
        return len(rows)

    def _message(self, ref: str, received_at: str, body: dict[str, Any]) -> bot.Message:
        at = parse_time(received_at)
        text = clean_text(body.get("text") or body.get("caption"))
        media_id = body.get("media_id")
        if not media_id:
            return bot.Message(at=at, text=text)
        try:
            stored = self._fetch_media(ref, str(media_id), str(body.get("kind", "")), received_at)
        except MediaRefused as exc:
            return bot.Message(at=at, text=text, media_refused=exc.code)
        except CloudError as exc:
            log.warning("tip media could not be fetched (%s)", exc.code)
            return bot.Message(at=at, text=text, media_refused="media_failed")
        return bot.Message(at=at, text=text, media=stored)

    def _fetch_media(self, ref: str, media_id: str, claimed_kind: str, received_at: str) -> str:
        limit = max(MAX_BYTES.values())
        info = self.cloud.media_info(media_id)
        if info.file_size is not None and info.file_size > limit:
            raise MediaRefused("media_too_large")
        try:
            data = self.cloud.download(info.url, limit)
        except TooLargeMedia:
            raise MediaRefused("media_too_large") from None
        cleaned = clean(data)
        our_id = str(uuid.uuid4())
        with self.db.transaction() as conn:
            conn.execute(
                tip_media.insert().values(
                    id=our_id, sender_ref=ref, case_id=None, kind=str(cleaned.kind), mime=cleaned.mime,
                    original_sha256=cleaned.original_sha256, original_bytes=cleaned.original_bytes,
                    sealed_original=self.sealer.seal(data, our_id),
                    police_sha256=cleaned.police_sha256, police_bytes=len(cleaned.police),
                    police_copy=encrypt(self.settings.media_key, cleaned.police, our_id),
                    cleaning=cleaning_json(cleaned), received_at=received_at,
                )
            )  # fmt: skip
        return our_id

    # -- applying what the bot decided ----------------------------------------------------------

    def _apply(
        self, ref: str, inbox_id: int | None, msg_ref: str, conv: bot.Conversation, actions: list[bot.Action],
        inbound_at: str | None,
    ) -> None:  # fmt: skip
        filed: dict[int, tuple[str, bool]] = {}
        for i, action in enumerate(actions):  # intake opens its own write transaction: before ours
            if isinstance(action, bot.FileTip):
                filed[i] = self._file_case(ref, f"{msg_ref}:{i}", action)
        with self.db.writer() as conn:
            batch = Batch.open(conn, sign=True)
            replies: list[tuple[str, dict[str, Any]]] = []
            for i, action in enumerate(actions):
                if isinstance(action, bot.Reply):
                    replies.append((action.key, action.params))
                elif isinstance(action, bot.FileTip):
                    case_id, new = filed[i]
                    conv = replace(conv, tip_case_id=case_id)
                    receipt = new_receipt_code()
                    if new and self._record_tip(conn, ref, case_id, action, self.sealer.receipt_hash(receipt)):
                        replies.append(("filed" if action.confirmed else "filed_unconfirmed", {"receipt": receipt}))
                elif isinstance(action, bot.AddToTip):
                    replies += self._add(conn, batch, ref, msg_ref, action)
                elif isinstance(action, bot.Answer):
                    payload: dict[str, Any] = {"question_id": action.question_id}
                    self._event(conn, batch, action.case_id, EventType.TIP_ANSWER, payload, action.text, action.media,
                                self._event_id("answer", msg_ref))  # fmt: skip
            batch.flush(self.db)
            for key, params in replies:
                self.queue_reply(conn, ref, bot.render(bot.Reply(key, params), conv.language))
            self.save_conversation(conn, ref, conv, inbound_at)
            if inbox_id is not None:
                conn.execute(
                    update(tip_inbox)
                    .where(tip_inbox.c.id == inbox_id)
                    .values(status="done", processed_at=iso(utcnow()))
                )
        self._wake.set()

    def _file_case(self, ref: str, key: str, action: bot.FileTip) -> tuple[str, bool]:
        draft = action.draft
        with self.db.reader() as conn:
            sender = conn.execute(
                select(tip_senders.c.pseudonym, tip_senders.c.tips).where(tip_senders.c.ref == ref)
            ).one()
            district, range_name = resolve_place(conn, draft.get("place") or "")
            media = self._media_refs(conn, draft.get("media", []))
        category = draft.get("category") or str(TipCategory.OTHER)
        what = "\n".join(x for x in [draft.get("what"), *draft.get("notes", [])] if x)
        tip: dict[str, Any] = {
            "category": category, "pseudonym": sender.pseudonym, "prior_tips": int(sender.tips),
            "confirmed": action.confirmed, "place_unclear": district is None, "media": media,
        }  # fmt: skip
        for name, value in (
            ("language", action.language),
            ("what", what),
            ("place", draft.get("place")),
            ("when", draft.get("when")),
            ("range", range_name),
        ):
            if value:
                tip[name] = clean_text(value)
        body: dict[str, Any] = {
            "kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:{self._keyed('tip', key)[:32]}",
            "received_at": iso(action.started_at), "priority": 3, "subject": {},
            "location": {"text": clean_text(draft.get("place")) or ""},
            "summary": f"{bot.catalogue('en').category(category)}: {what}"[:1000], "tip": tip,
        }  # fmt: skip
        if district is not None:
            body["district"] = district
        result = intake(self.db, RELAY, body)
        return result.case_id, True

    def _record_tip(self, conn: Connection, ref: str, case_id: str, action: bot.FileTip, receipt_hash: str) -> bool:
        if conn.execute(select(tips.c.case_id).where(tips.c.case_id == case_id)).first() is not None:
            return False  # a re-run after a crash: the tip and its receipt exist already
        district = load_cases(conn, [case_id])[case_id].district
        conn.execute(
            tips.insert().values(
                case_id=case_id, sender_ref=ref, receipt_hash=receipt_hash,
                category=action.draft.get("category") or str(TipCategory.OTHER), district=district,
                created_at=iso(utcnow()),
            )
        )  # fmt: skip
        media = action.draft.get("media", [])
        if media:
            conn.execute(update(tip_media).where(tip_media.c.id.in_(media)).values(case_id=case_id))
        conn.execute(update(tip_senders).where(tip_senders.c.ref == ref).values(tips=tip_senders.c.tips + 1))
        write_audit(
            conn,
            RELAY,
            "tip_filed",
            "ok",
            case_id=case_id,
            detail={"district": district, "confirmed": action.confirmed},
        )
        return True

    def _add(
        self, conn: Connection, batch: Batch, ref: str, msg_ref: str, action: bot.AddToTip
    ) -> list[tuple[str, dict[str, Any]]]:
        case_id = action.case_id
        if case_id is None and action.receipt is not None:
            receipt_hash = self.sealer.receipt_hash(action.receipt)
            case_id = conn.execute(
                select(tips.c.case_id).where(tips.c.receipt_hash == receipt_hash)
            ).scalar_one_or_none()
            if case_id is None:
                return [("unknown_receipt", {})]
        if case_id is None:
            return []
        self._event(
            conn, batch, case_id, EventType.TIP_ADDED, {}, action.text, action.media, self._event_id("added", msg_ref)
        )
        return [("added_by_receipt", {"receipt": action.receipt})] if action.receipt else []

    def _event(
        self, conn: Connection, batch: Batch, case_id: str, etype: EventType, payload: dict[str, Any],
        text: str | None, media: str | None, event_id: str,
    ) -> None:  # fmt: skip
        """Store a relay event on a tip (closed or not: the tipster's words are never lost)."""
        from hq.schema import events

        if conn.execute(select(events.c.id).where(events.c.id == event_id)).first() is not None:
            return
        row = load_cases(conn, [case_id]).get(case_id)
        if row is None:
            return
        if media:
            conn.execute(update(tip_media).where(tip_media.c.id == media).values(case_id=case_id))
        body = dict(payload)
        if text:
            body["text"] = clean_text(text)
        refs = self._media_refs(conn, [media] if media else [])
        if refs:
            body["media"] = refs
        if etype is EventType.TIP_ADDED and not body:
            return
        history = case_history(conn, case_id)
        clock = HybridClock(HQ_NODE, last=max((e.hlc for e in history), default=None))
        try:
            event = new_event(case_id=case_id, type=etype, payload=body, author=RELAY.author(), device_id=HQ_NODE,
                              hlc=clock.now(), event_id=event_id)  # fmt: skip
        except InvalidEvent:
            log.exception("a tip event could not be made")
            return
        batch.add(event, row)

    @staticmethod
    def _media_refs(conn: Connection, ids: list[str]) -> list[dict[str, Any]]:
        """How police see the media (in the order sent): the clean copy's digest and size, the original's digest."""
        found = {r.id: r for r in conn.execute(select(tip_media).where(tip_media.c.id.in_(ids)))} if ids else {}
        rows = [found[i] for i in ids if i in found]
        return [
            {"id": r.id, "kind": r.kind, "sha256": r.police_sha256, "bytes": int(r.police_bytes),
             "original_sha256": r.original_sha256, "mime": json.loads(r.cleaning).get("police_mime", r.mime)}
            for r in rows
        ]  # fmt: skip

    # -- idle conversations ---------------------------------------------------------------------

    def _expire_idle(self) -> None:
        cutoff = iso(utcnow() - timedelta(minutes=self.settings.idle_timeout_min))
        with self.db.reader() as conn:
            refs = (
                conn.execute(
                    select(tip_conversations.c.sender_ref).where(
                        tip_conversations.c.updated_at < cutoff,
                        tip_conversations.c.state.not_in([str(bot.State.NEW), str(bot.State.FILED)]),
                    )
                )
                .scalars()
                .all()
            )
        for ref in refs:
            if not self._lease(ref):
                continue
            try:
                with self.db.reader() as conn:
                    conv = self.load_conversation(conn, ref)
                conv, actions = bot.expire(conv, utcnow(), timedelta(minutes=self.settings.idle_timeout_min))
                if actions:
                    conv = replace(conv, state=bot.State.FILED, filed_at=utcnow())
                self._apply(ref, None, f"expired:{ref}:{iso(utcnow())}", conv, list(actions), inbound_at=None)
            finally:
                self._release(ref)

    def queue_reply(self, conn: Connection, ref: str, text: str) -> None:
        queue_reply(conn, ref, text)


__all__ = ["RELAY", "Relay", "clean_text"]
