"""What a pushed event may touch: the case's district (scope, rule 5 of docs/HQ.md's "Push: what HQ
accepts"), the tier an acknowledgement speaks for (part of rule 2), and the few state refusals HQ
applies (rule 6).

Each rule answers for one event and reads at most one row; ``hq.push`` applies them inside the
writer lock, and ``hq.review`` applies the state rule again when a held event is accepted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import Connection, and_, select

from core.commands import ROLE_WRITES, amendment_refusal
from core.events import TIP_WORK_EVENTS, Event, EventType, Tier, tier_for_role
from hq.errors import Invalid
from hq.feed import TIP_KIND, CaseRow, case_range, check_district
from hq.principals import Principal, Role
from hq.schema import cases, districts, events, tip_officers

# What the tip roles may write (push), the rule consoles also enable their actions by
# (``core.commands.ROLE_WRITES``). Neither opens or routes a case by push (a DIG routes through
# HQ's assign route).
TIP_ROLE_WRITES: dict[Role, frozenset[EventType]] = {Role(r): types for r, types in ROLE_WRITES.items()}
# Who may push an ``assigned`` event: HQ operators any case; a DIG a tip of its range, to a district
# of the range (``in_scope``).
ROUTERS = frozenset({Role.HQ_OPERATOR, Role.RANGE_DIG})


def tip_in_scope(conn: Connection, p: Principal, case: CaseRow) -> bool:
    """Is ``case`` a tip the SP's office or DIG ``p`` may see? The SP's: a tip of its district. The
    DIG's: a tip of a district of its range, or a tip in its range's triage (no district yet)."""
    if case.kind != TIP_KIND:
        return False
    if p.role is Role.SP_OFFICE:
        return case.district is not None and case.district == p.district
    if p.role is Role.RANGE_DIG:
        return p.range is not None and case_range(conn, case) == p.range
    return False


def assign_refusal(conn: Connection, p: Principal, case: CaseRow, district: str) -> str | None:
    """Why ``p`` may not route ``case`` to ``district`` (None: it may). HQ operators route any case;
    a DIG routes a tip of its range (its triage, or a district of the range) to a district of the range."""
    if p.role is Role.HQ_OPERATOR:
        return None
    if p.role is not Role.RANGE_DIG or not tip_in_scope(conn, p, case):
        return "this case is not a tip of your range"
    target = conn.execute(select(districts.c.range).where(districts.c.code == district)).scalar_one_or_none()
    if target != p.range:
        return "a DIG routes a tip only to a district of the range"
    return None


def in_scope(conn: Connection, p: Principal, case: CaseRow, event: Event) -> bool:
    """May ``p`` write this event to this case? HQ operators: any case. District operators: cases
    in their district, and work on a case HQ has since moved away from their district, made before
    its author learnt of the move: it must not be lost, and reaches the case's new district.

    What the author had seen decides, not clock order. The event names the last ``assigned`` event
    its console held (``Event.seen_assignment``); it is in scope if that assignment is of this case
    and to ``p``'s district: the author then believed the district responsible and had seen no
    later reassignment. An event made after its console learnt the case went elsewhere names that
    assignment (or the console no longer holds the case at all) and is refused.

    Events without the field (clients older than it) keep the clock rule: the case's latest
    ``assigned`` event stamped before the event's HLC must be to ``p``'s district.

    The SP's office and the DIG: tips in their scope now (``tip_in_scope``); work on a tip that has
    since left the scope is refused (the console learns of the move by the revoke in its stream).
    """
    if p.role is Role.HQ_OPERATOR:
        return True
    if p.role in TIP_ROLE_WRITES:
        if event.type is EventType.ASSIGNED:
            return assign_refusal(conn, p, case, str(event.payload["district"])) is None
        return tip_in_scope(conn, p, case)
    if case.district == p.district:
        return True
    if event.seen_assignment is not None:
        row = conn.execute(
            select(events.c.content).where(
                and_(
                    events.c.id == event.seen_assignment,
                    events.c.case_id == case.id,
                    events.c.type == str(EventType.ASSIGNED),
                )
            )
        ).first()
    else:
        row = conn.execute(
            select(events.c.content)
            .where(
                and_(events.c.case_id == case.id, events.c.type == str(EventType.ASSIGNED), events.c.hlc < event.hlc)
            )
            .order_by(events.c.hlc.desc())
            .limit(1)
        ).first()
    if row is None:
        return False
    district_then = json.loads(row.content)["payload"].get("district")
    return bool(district_then) and district_then == p.district


def tier_refusal(event: Event, author: Principal) -> str | None:
    """An acknowledgement or mute speaks for the author's tier only (``core.events.Tier``): a district
    user cannot silence HQ's consoles, an HQ user cannot silence a district's, and a district
    acknowledgement names the author's own district. The tip roles write only ``TIP_ROLE_WRITES``."""
    if author.role in TIP_ROLE_WRITES and event.type not in TIP_ROLE_WRITES[author.role]:
        return f"a {author.role} account may not record {event.type}"
    if event.type not in (EventType.ACKNOWLEDGED, EventType.ALARM_MUTED):
        return None
    claimed = event.payload.get("tier") or Tier.DISTRICT
    tier = tier_for_role(author.role)
    if claimed != tier:
        return f"a {author.role} acknowledges or mutes for {tier}, not for {claimed}"
    district = event.payload.get("district")
    if tier is Tier.DISTRICT and district is not None and district != author.district:
        return "a district acknowledgement must name the author's own district"
    return None


def state_refusal(conn: Connection, event: Event, batch_types: Mapping[str, tuple[EventType, str]]) -> str | None:
    """Why HQ refuses this event whatever the case's state (None: it does not). Only where a local
    command would certainly have refused too and the fold would ignore the event anyway: an
    assignment to a district or station HQ does not know, and a correction whose target is not an
    amendable entry of the same case; a tip's follow-up work on a case that is not a tip, or naming an
    officer not on the active list of the tip's district. ``batch_types``: events stored earlier in
    the same batch."""
    if event.type in TIP_WORK_EVENTS:
        kind = conn.execute(select(cases.c.kind).where(cases.c.id == event.case_id)).scalar_one_or_none()
        if kind != TIP_KIND:
            return "only a tip takes an officer, action notes and a tip outcome"
        if event.type is EventType.TIP_OFFICER_ASSIGNED:
            found = conn.execute(
                select(tip_officers.c.id)
                .select_from(tip_officers.join(cases, cases.c.district == tip_officers.c.district))
                .where(
                    and_(
                        cases.c.id == event.case_id,
                        tip_officers.c.id == str(event.payload["officer_id"]),
                        tip_officers.c.active.is_(True),
                    )
                )
            ).first()
            if found is None:
                return "the officer is not on the active officer list of the tip's district"
    if event.type is EventType.ASSIGNED:
        try:
            check_district(conn, str(event.payload["district"]), event.payload.get("police_station"))
        except Invalid as exc:
            return exc.detail
    if event.type is EventType.AMENDED:
        target_id = str(event.payload["target_event_id"])
        target = batch_types.get(target_id)
        if target is None:
            row = conn.execute(select(events.c.type, events.c.case_id).where(events.c.id == target_id)).first()
            target = (EventType(row.type), row.case_id) if row else None
        return amendment_refusal(target[0] if target is not None and target[1] == event.case_id else None)
    return None


__all__ = ["ROUTERS", "TIP_ROLE_WRITES", "assign_refusal", "in_scope", "state_refusal", "tier_refusal", "tip_in_scope"]
