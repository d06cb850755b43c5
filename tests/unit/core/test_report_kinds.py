"""The compliance and tip-line definitions in core/reports.py: a deadline's result agrees with the
clock's own state (``core.sla.Deadline.state``), figures add up, tip buckets cover the period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.events import DeadlineKind
from core.fold import CaseState
from core.reports import (
    DeadlineGroup,
    DeadlineResult,
    TipStatus,
    compliance_figures,
    deadline_result,
    sla_limit_s,
    tip_buckets,
    tip_status,
)
from core.sla import Deadline, DeadlineState, SlaPolicy

T0 = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)
STATE_OF = {
    DeadlineState.MET: DeadlineResult.MET,
    DeadlineState.MISSED: DeadlineResult.MISSED,
    DeadlineState.BREACHED: DeadlineResult.MISSED,
    DeadlineState.WARNING: DeadlineResult.RUNNING,
    DeadlineState.RUNNING: DeadlineResult.RUNNING,
}


@given(
    limit_min=st.integers(1, 600),
    met_after_s=st.none() | st.integers(0, 100_000),
    now_after_s=st.integers(0, 100_000),
)
def test_deadline_result_is_the_clock_state(limit_min: int, met_after_s: int | None, now_after_s: int) -> None:
    due = T0 + timedelta(minutes=limit_min)
    met = None if met_after_s is None else T0 + timedelta(seconds=met_after_s)
    now = T0 + timedelta(seconds=now_after_s)
    if met is not None and met > now:
        now = met  # a deadline is met no later than the report
    d = Deadline(DeadlineKind.FIRST_RESPONSE, T0, due, due - timedelta(minutes=min(30, limit_min)), met)
    got = deadline_result(met_after_s, limit_min * 60.0, T0.timestamp(), now.timestamp())
    assert got is STATE_OF[d.state(now)]


def test_limits_follow_the_policy_per_category() -> None:
    policy = SlaPolicy(first_response_by_category={"womens_safety": 30}, resolution_by_category={"traffic": 600})
    assert sla_limit_s(policy, "first_response", "womens_safety") == 1800
    assert sla_limit_s(policy, "first_response", "uncategorised") == 7200
    assert sla_limit_s(policy, "resolution", "traffic") == 36000
    assert sla_limit_s(policy, "next_response", "womens_safety") == 7200


def test_compliance_figures() -> None:
    groups = [
        DeadlineGroup("first_response", "met", 6), DeadlineGroup("first_response", "missed", 2),
        DeadlineGroup("first_response", "running", 1), DeadlineGroup("resolution", "missed", 3),
    ]  # fmt: skip
    f = compliance_figures(10, groups, [600.0, 60.0, 6000.0])
    fr = f.first_response
    assert (fr.due, fr.met, fr.missed, fr.running) == (8, 6, 2, 1)
    assert f.first_response.compliance == 0.75 and f.resolution.compliance == 0.0
    assert f.next_response.compliance is None
    assert (f.replied, f.first_response_p50_s, f.first_response_p90_s) == (3, 600.0, 4920.0)


def test_tip_buckets_cover_the_period() -> None:
    unit, starts = tip_buckets(date(2026, 1, 1), date(2026, 1, 31))
    assert unit == "week" and starts[:2] == [date(2026, 1, 1), date(2026, 1, 5)] and starts[-1] == date(2026, 1, 26)
    unit, starts = tip_buckets(date(2025, 11, 15), date(2026, 6, 30))
    assert unit == "month" and starts[0] == date(2025, 11, 15) and starts[1:3] == [date(2025, 12, 1), date(2026, 1, 1)]
    assert starts[-1] == date(2026, 6, 1)


def test_tip_status() -> None:
    base = CaseState(case_id="t", exists=True)
    assert tip_status(base) is TipStatus.OPEN
    at = "2026-01-05T04:00:00.000Z"
    assert tip_status(CaseState(case_id="t", exists=True, acknowledged_at=at)) is TipStatus.ASSIGNED
    assert tip_status(CaseState(case_id="t", exists=True, acknowledged_at=at, dispatched_at=at)) is TipStatus.ACTIONED
    # the SP office's work on a tip: an officer assigned, then an action or an outcome recorded
    officer = {"officer_id": "o-1", "name": "SI Ravi Kumar"}
    assert tip_status(CaseState(case_id="t", exists=True, tip_officer=officer)) is TipStatus.ASSIGNED
    acted = CaseState(case_id="t", exists=True, tip_officer=officer, tip_actions=({"text": "watch kept"},))
    assert tip_status(acted) is TipStatus.ACTIONED
    assert tip_status(CaseState(case_id="t", exists=True, tip_outcome="fir_registered")) is TipStatus.ACTIONED
