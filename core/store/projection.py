"""The ``cases`` projection row of one case, computed from its fold.

``state_json`` is the whole ``CaseState`` so that reading one case never folds. It carries
``PROJECTION_VERSION``; when the fold or this serialisation changes meaning, bump it and every
projection is rebuilt from the event log at the next open (the log is the truth, rows are a cache).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from core.events import Event, EventType, Tier, iso, parse_time
from core.fold import CaseState, FollowUp, Status
from core.store.schema import cases as cases_table

PROJECTION_VERSION = 4
# How much of a post the search matches: its start, where the words that identify it are; the
# whole post (up to 20,000 characters) would make the search index as big as the log.
SEARCH_POST_CHARS = 1000
_TUPLE_FIELDS = ("forwards", "counselling_notes", "tip_actions", "anomalies")
_FIELDS = tuple(f.name for f in dataclasses.fields(CaseState))
_FIELD_NAMES = frozenset(_FIELDS)
CASE_COLUMNS = tuple(c.name for c in cases_table.c)  # bulk writes pass rows in this order


def _plain(value: Any) -> Any:
    if isinstance(value, FollowUp):
        return dataclasses.asdict(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot store {type(value).__name__} in state_json")


def state_to_json(state: CaseState) -> str:
    # Shallow: json walks the nested payload dicts itself (dataclasses.asdict would deep-copy them).
    data = {name: getattr(state, name) for name in _FIELDS}
    data["_v"] = PROJECTION_VERSION
    # sort_keys: the same state gives the same text whatever order its payloads' keys arrived in
    # (HQ's wire order when folded from pulled events, sorted when read back from the log)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain, sort_keys=True)


def state_from_json(text: str) -> CaseState | None:
    """The state stored in ``text``, or None if it was written by another projection version."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.pop("_v", None) != PROJECTION_VERSION or set(data) != _FIELD_NAMES:
        return None
    data["status"] = Status(data["status"])
    data["follow_ups"] = tuple(FollowUp(**f) for f in data["follow_ups"])
    for name in _TUPLE_FIELDS:
        data[name] = tuple(data[name])
    return CaseState(**data)


def search_text(state: CaseState) -> str:
    """What the search box matches: subject name, phones, post, place, summary, reference, id; case-folded."""
    subject: Mapping[str, Any] = state.subject or {}
    parts: list[str] = [state.case_id, state.upstream_ref or "", state.summary or ""]
    parts.append(str(subject.get("name") or ""))
    phones = subject.get("phones") or []
    parts.extend(str(p) for p in phones if p)
    parts.append(str(subject.get("profile_url") or ""))
    parts.append(str(subject.get("post_text") or "")[:SEARCH_POST_CHARS])
    parts.append(str((state.location or {}).get("text") or ""))
    if state.traced_location:
        parts.append(str(state.traced_location.get("text") or ""))
    parts.extend([state.district or "", state.police_station or ""])
    if state.dispatch:
        parts.append(str(state.dispatch.get("officer") or ""))
    return "\n".join(p for p in parts if p).casefold()


def follow_up_due(state: CaseState) -> str | None:
    """The earliest open follow-up's due time as canonical UTC text (text order is time order)."""
    times: list[str] = []
    for f in state.open_follow_ups():
        try:
            times.append(iso(parse_time(f.due)))
        except ValueError:
            continue
    return min(times) if times else None


def refused_silence(refused: Iterable[tuple[Event, str | None]]) -> str | None:
    """This console's latest acknowledgement and mute that HQ refused, as JSON for the alarm policy.

    The fold leaves refused events out (HQ's log is the truth), but an operator who acknowledged or
    muted must be able to silence their own console's siren even while HQ refuses it
    (``core.alarm``): the console shows the refusal and its reason instead of ringing.
    """
    out: dict[str, Any] = {}
    for event, reason in sorted(refused, key=lambda r: r[0].sort_key):
        tier = str(event.payload.get("tier") or Tier.DISTRICT)
        entry = {"tier": tier, "reason": reason or "", "by": event.author_name, "at": event.wall_time}
        if event.type is EventType.ACKNOWLEDGED:
            out["ack"] = entry
        elif event.type is EventType.ALARM_MUTED:
            out["mute"] = entry | {"until": event.payload.get("until")}
    return json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if out else None


def projection_values(
    state: CaseState, pending: int, rejected: int, refused: Iterable[tuple[Event, str | None]] = ()
) -> tuple[Any, ...]:
    """``projection_row`` as a tuple in the ``cases`` table's column order (for bulk writes)."""
    row = projection_row(state, pending, rejected, refused)
    return tuple(row[name] for name in CASE_COLUMNS)


def projection_row(
    state: CaseState, pending: int, rejected: int, refused: Iterable[tuple[Event, str | None]] = ()
) -> dict[str, Any]:
    """The row of one case. ``kind`` is the effective kind: a case raised to suicide-risk is listed,
    filtered and alarmed as one. ``refused``: this device's events of the case that HQ refused, with
    the reasons."""
    subject: Mapping[str, Any] = state.subject or {}
    return {
        "case_id": state.case_id,
        "kind": state.effective_kind,
        "status": str(state.status),
        "priority": int(state.priority),
        "received_at": state.received_at,
        "district": state.district,
        "police_station": state.police_station,
        "summary": state.summary,
        "subject_name": subject.get("name"),
        "search_text": search_text(state),
        "needs_alarm": int(state.needs_alarm),
        "acknowledged_at": state.acknowledged_at,
        "dispatched_at": state.dispatched_at,
        "muted_until": state.muted_until,
        "pending_count": pending,
        "rejected_count": rejected,
        "updated_hlc": state.last_hlc,
        "purged": 0,
        "state_json": state_to_json(state),
        "hq_needs_alarm": int(state.hq_needs_alarm),
        "hq_acknowledged_at": state.hq_acknowledged_at,
        "hq_muted_until": state.hq_muted_until,
        "follow_up_due": follow_up_due(state),
        "refused_silence": refused_silence(refused),
    }
