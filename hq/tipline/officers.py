"""What police do with a tip at HQ, without HTTP: ask the tipster a question, fetch a media copy.

Who may: an HQ operator on any tip; a district operator on a tip of their district; the SP's office
and the DIG on a tip in their scope (``hq.scope.tip_in_scope``). Supervisors and admins read but do
not write; an integration key does neither. A question is stored as a
``tip_question`` event on the case (so every console holding the tip sees it) and queued for the
relay, which sends it to the tipster; the answer comes back as a ``tip_answer`` event. The officer
never learns the number, and the tipster learns only the question's text.
"""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import Connection, select

from core.commands import decide
from core.errors import CommandRefused, InvalidEvent
from core.events import Event, EventType
from core.hlc import HybridClock
from hq.audit import write_audit
from hq.errors import Conflict, Forbidden, Invalid, NotFound
from hq.feed import Batch, CaseRow, case_history, load_cases, valid_case_id
from hq.intake import HQ_NODE
from hq.principals import TIP_ROLES, Principal, Role
from hq.schema import tip_media, tip_senders, tips
from hq.scope import tip_in_scope
from hq.tipline import bot
from hq.tipline.media import decrypt
from hq.tipline.relay import Relay

ASKERS = frozenset({Role.HQ_OPERATOR, Role.DISTRICT_OPERATOR, *TIP_ROLES})
READERS = frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR, *TIP_ROLES})


def _in_scope(conn: Connection, p: Principal, case: CaseRow) -> bool:
    if p.role in TIP_ROLES:
        return tip_in_scope(conn, p, case)
    return p.role is not Role.DISTRICT_OPERATOR or (case.district is not None and case.district == p.district)


def ask_question(relay: Relay, p: Principal, case_id: str, text: str) -> Event:
    """Store the officer's question on the tip and queue it for the tipster. Audited either way."""
    db = relay.db
    valid_case_id(case_id)
    with db.writer() as conn:
        try:
            if p.role not in ASKERS:
                raise Forbidden("only HQ and district operators may question a tipster")
            row = load_cases(conn, [case_id]).get(case_id)
            tip = conn.execute(select(tips.c.sender_ref).where(tips.c.case_id == case_id)).first()
            if row is None or tip is None or not _in_scope(conn, p, row):
                raise NotFound("no such tip")
            sealed = conn.execute(
                select(tip_senders.c.sealed_number).where(tip_senders.c.ref == tip.sender_ref)
            ).scalar_one_or_none()
            if sealed is None:
                raise Conflict("the tipster's sealed number has been destroyed (retention); no question can reach them")
            history = case_history(conn, case_id)
            clock = HybridClock(HQ_NODE, last=max((e.hlc for e in history), default=None))
            event = decide(
                case_id=case_id, history=history, etype=EventType.TIP_QUESTION, payload={"text": text},
                author=p.author(), clock=clock,
            )  # fmt: skip
        except (CommandRefused, InvalidEvent) as exc:
            write_audit(conn, p, "tip_question", "refused", case_id=case_id)
            raise (Conflict if isinstance(exc, CommandRefused) else Invalid)(str(exc)) from None
        except (Forbidden, NotFound, Conflict) as exc:
            write_audit(conn, p, "tip_question", exc.code, case_id=case_id)
            raise
        batch = Batch.open(conn, sign=True)
        seq = batch.add(event, row)
        batch.flush(db)
        conv = relay.load_conversation(conn, tip.sender_ref)
        conv = replace(conv, question_id=event.id, question_case_id=case_id)
        relay.save_conversation(conn, tip.sender_ref, conv)
        relay.queue_reply(conn, tip.sender_ref, bot.render(bot.Reply("question", {"question": text}), conv.language))
        write_audit(conn, p, "tip_question", "ok", case_id=case_id, detail={"seq": seq})
    relay.wake()
    return event.with_seq(seq)


def police_media(relay: Relay, p: Principal, media_id: str) -> tuple[bytes, str]:
    """The police copy of a tip's media (metadata removed) and its type. The sealed original is
    never served. Audited as a read of a case's evidence."""
    db = relay.db
    try:
        if p.role not in READERS:
            raise Forbidden("this role may not read tips")
        valid_case_id(media_id)
        with db.reader() as conn:
            row = conn.execute(select(tip_media).where(tip_media.c.id == media_id)).first()
            case = load_cases(conn, [row.case_id]).get(row.case_id) if row is not None and row.case_id else None
            visible = case is not None and _in_scope(conn, p, case)
        if row is None or case is None or not visible:
            raise NotFound("no such tip media")
    except (Forbidden, NotFound) as exc:
        with db.transaction() as conn:
            write_audit(conn, p, "tip_media", exc.code, detail={"media_id": media_id[:36]})
        raise
    with db.transaction() as conn:
        write_audit(conn, p, "tip_media", "ok", case_id=case.id, detail={"media_id": media_id})
    data = decrypt(relay.settings.media_key, bytes(row.police_copy), media_id)
    return data, str(json.loads(row.cleaning).get("police_mime", row.mime))


__all__ = ["ask_question", "police_media"]
