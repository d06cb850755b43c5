"""core.alarm: which cases ring and why. Pure functions, no Qt, no store."""

from __future__ import annotations

import ast
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from core import alarm
from core.alarm import RingReason, next_change_at, refused_silences, ringing_cases
from core.events import Tier, iso
from core.fold import CaseState, Status
from core.store import CaseRow

NOW = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)  # 8 pm IST: night shift
LIMIT_MIN = 10.0


def row(case_id: str = "c1", **changes: object) -> CaseRow:
    base = CaseRow(
        case_id=case_id,
        kind="suicide_risk",
        status="new",
        priority=2,
        received_at=iso(NOW - timedelta(minutes=3)),
        district="Lucknow",
        police_station="Hazratganj",
        summary="Post expressing intent to end life",
        subject_name="Ravi Kumar",
        needs_alarm=True,
        acknowledged_at=None,
        dispatched_at=None,
        muted_until=None,
        pending_count=0,
        rejected_count=0,
        updated_hlc=None,
        purged=False,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def acked(case_id: str = "c1", minutes_ago: float = 11, **changes: object) -> CaseRow:
    fields: dict[str, object] = {
        "status": "acknowledged",
        "needs_alarm": False,
        "acknowledged_at": iso(NOW - timedelta(minutes=minutes_ago)),
    }
    return row(case_id, **(fields | changes))


def ids(rows: list[CaseRow], now: datetime = NOW) -> list[tuple[str, RingReason]]:
    return [(r.case_id, r.reason) for r in ringing_cases(rows, now, LIMIT_MIN)]


def test_unacknowledged_suicide_risk_rings() -> None:
    assert ids([row()]) == [("c1", RingReason.UNACKNOWLEDGED)]


def test_nothing_rings_without_rows_or_for_quiet_cases() -> None:
    assert ids([]) == []
    assert ids([row(kind="tip", needs_alarm=False)]) == []
    assert ids([row(status="closed", needs_alarm=False)]) == []


def test_mute_silences_until_it_ends() -> None:
    muted = row(muted_until=iso(NOW + timedelta(minutes=5)))
    assert ids([muted]) == []
    assert ids([muted], NOW + timedelta(minutes=5)) == [("c1", RingReason.UNACKNOWLEDGED)]
    assert ids([row(muted_until=iso(NOW - timedelta(seconds=1)))]) == [("c1", RingReason.UNACKNOWLEDGED)]


def test_a_mute_longer_than_any_mute_can_be_is_ignored() -> None:
    # Written by a console whose clock ran hours ahead: must not keep the alarm silent for hours.
    skewed = row(muted_until=iso(NOW + timedelta(hours=3)))
    assert ids([skewed]) == [("c1", RingReason.UNACKNOWLEDGED)]
    # A little clock slack is tolerated.
    slightly = row(muted_until=iso(NOW + timedelta(minutes=31)))
    assert ids([slightly]) == []


def test_an_unreadable_mute_is_no_mute() -> None:
    assert ids([row(muted_until="tomorrow-ish")]) == [("c1", RingReason.UNACKNOWLEDGED)]
    assert ids([row(muted_until="2026-11-22T02:40:00")]) == [("c1", RingReason.UNACKNOWLEDGED)]  # no zone


def test_dispatch_overdue_rings_again_after_the_limit() -> None:
    assert ids([acked(minutes_ago=9.9)]) == []
    assert ids([acked(minutes_ago=10)]) == [("c1", RingReason.DISPATCH_OVERDUE)]
    assert ids([acked(minutes_ago=10, dispatched_at=iso(NOW), status="dispatched")]) == []
    assert ids([acked(minutes_ago=30, status="forwarded")]) == []
    assert ids([acked(minutes_ago=30, status="closed")]) == []
    assert ids([acked(minutes_ago=30, kind="tip")]) == []


def test_unreadable_acknowledgement_time_counts_as_overdue() -> None:
    assert ids([acked(acknowledged_at="garbled")]) == [("c1", RingReason.DISPATCH_OVERDUE)]


def test_revoked_case_never_rings() -> None:
    assert ids([row(purged=True)]) == []
    assert ids([acked(minutes_ago=60, purged=True)]) == []


def test_order_is_unacknowledged_then_priority_then_oldest() -> None:
    rows = [
        acked("overdue-p1", priority=1),
        row("new-p3", priority=3, received_at=iso(NOW - timedelta(minutes=50))),
        row("new-p1-young", priority=1, received_at=iso(NOW - timedelta(minutes=1))),
        row("new-p1-old", priority=1, received_at=iso(NOW - timedelta(minutes=7))),
    ]
    assert [c for c, _ in ids(rows)] == ["new-p1-old", "new-p1-young", "new-p3", "overdue-p1"]


def test_duplicate_case_rows_last_wins() -> None:
    # A later delivery in the same batch that shows the acknowledgement must silence the case.
    assert ids([row(), acked(minutes_ago=1)]) == []


def test_next_change_is_the_earliest_mute_end_or_dispatch_due() -> None:
    mute_end = NOW + timedelta(minutes=4)
    rows = [row("m", muted_until=iso(mute_end)), acked("a", minutes_ago=3)]
    assert next_change_at(rows, NOW, LIMIT_MIN) == mute_end
    due = NOW + timedelta(minutes=2)
    rows = [row("m", muted_until=iso(mute_end)), acked("a", minutes_ago=8)]
    assert next_change_at(rows, NOW, LIMIT_MIN) == due
    assert next_change_at([row()], NOW, LIMIT_MIN) is None
    assert next_change_at([acked(minutes_ago=20)], NOW, LIMIT_MIN) is None  # already overdue


@given(
    minutes_since_ack=st.floats(min_value=0, max_value=120, allow_nan=False),
    limit=st.integers(min_value=1, max_value=60),
    dispatched=st.booleans(),
    closed=st.booleans(),
)
def test_overdue_agrees_with_the_domain_fold(
    minutes_since_ack: float, limit: int, dispatched: bool, closed: bool
) -> None:
    """The alarm's re-ring rule and core.fold.CaseState.dispatch_overdue give the same answer."""
    ack_at = iso(NOW - timedelta(minutes=minutes_since_ack))
    status = Status.CLOSED if closed else (Status.DISPATCHED if dispatched else Status.ACKNOWLEDGED)
    state = CaseState(
        case_id="c1",
        exists=True,
        kind="suicide_risk",
        status=status,
        acknowledged_at=ack_at,
        dispatched_at=iso(NOW) if dispatched else None,
    )
    r = acked(status=str(status), acknowledged_at=ack_at, dispatched_at=state.dispatched_at)
    # The fold works on the millisecond-rounded stored time, as the row does.
    assert alarm.dispatch_overdue(r, NOW, limit) == state.dispatch_overdue(NOW, limit)


def test_the_alarm_rule_imports_no_qt() -> None:
    tree = ast.parse(Path(alarm.__file__ or "").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names} | {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    }
    assert not [m for m in imported if m.startswith(("PySide6", "ui.", "shiboken"))], imported


def test_each_tier_hears_its_own_acknowledgement_and_mute() -> None:
    hq_acked = row(hq_needs_alarm=False, hq_acknowledged_at=iso(NOW))
    assert [r.case_id for r in ringing_cases([hq_acked], NOW, LIMIT_MIN, Tier.HQ)] == []
    assert [r.case_id for r in ringing_cases([hq_acked], NOW, LIMIT_MIN, Tier.DISTRICT)] == ["c1"]
    hq_muted = row(hq_needs_alarm=True, hq_muted_until=iso(NOW + timedelta(minutes=5)))
    assert ringing_cases([hq_muted], NOW, LIMIT_MIN, Tier.HQ) == []
    assert [r.case_id for r in ringing_cases([hq_muted], NOW, LIMIT_MIN, Tier.DISTRICT)] == ["c1"]
    assert next_change_at([hq_muted], NOW, LIMIT_MIN, Tier.HQ) == NOW + timedelta(minutes=5)
    district_acked = acked(minutes_ago=1, hq_needs_alarm=True)
    assert [r.case_id for r in ringing_cases([district_acked], NOW, LIMIT_MIN, Tier.HQ)] == ["c1"]


def _refused(**entries: dict[str, str]) -> str:
    return json.dumps(entries)


def test_the_consoles_own_refused_acknowledgement_or_mute_silences_it() -> None:
    refused_ack = row(refused_silence=_refused(ack={"tier": "district", "reason": "unknown case", "by": "A"}))
    assert ids([refused_ack]) == []
    assert [(s.case_id, s.what, s.reason) for s in refused_silences([refused_ack], NOW)] == [
        ("c1", "ack", "unknown case")
    ]
    # another tier's refused acknowledgement does not silence this console; garbage is no silence
    hq_refused = row(refused_silence=_refused(ack={"tier": "hq", "reason": "x", "by": "H"}))
    assert ids([hq_refused]) == [("c1", RingReason.UNACKNOWLEDGED)]
    assert ids([row(refused_silence="{not json")]) == [("c1", RingReason.UNACKNOWLEDGED)]
    until = NOW + timedelta(minutes=4)
    mute = {"tier": "district", "reason": "unknown case", "by": "A", "until": iso(until)}
    refused_mute = row(refused_silence=_refused(mute=mute))
    assert ids([refused_mute]) == [] and next_change_at([refused_mute], NOW, LIMIT_MIN) == until
    assert ids([refused_mute], until) == [("c1", RingReason.UNACKNOWLEDGED)]
    too_long = row(refused_silence=_refused(mute=mute | {"until": iso(NOW + timedelta(hours=2))}))
    assert ids([too_long]) == [("c1", RingReason.UNACKNOWLEDGED)]
    # an overdue dispatch is not silenced by a refused acknowledgement
    assert ids([acked(refused_silence=refused_ack.refused_silence)]) == [("c1", RingReason.DISPATCH_OVERDUE)]

