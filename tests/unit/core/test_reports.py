"""The report definitions in core/reports.py: the state row is the sum of the district rows, the
percentile is PostgreSQL's percentile_cont, step durations, coverage, and the JSON round trip."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.events import FalseAlarmReason, NotReachedReason, Outcome
from core.reports import (
    LIVES_SAVED,
    ConsoleHealthReport,
    ConsoleHealthRow,
    FollowUpReport,
    FollowUpRow,
    OutcomeGroup,
    OutcomeReport,
    OutcomeRow,
    ReportHeader,
    ReportQuery,
    ReportSource,
    SlowCase,
    Step,
    StepTiming,
    TimingReport,
    TimingRow,
    covered_seconds,
    from_json,
    outcome_counts,
    percentile,
    period_bounds,
    reason_for,
    step_seconds,
    sum_counts,
    to_json,
)

OUTCOMES = [None, *[str(o) for o in Outcome]]
REASONS = [None, *[str(r) for r in NotReachedReason], *[str(r) for r in FalseAlarmReason]]
groups = st.builds(
    OutcomeGroup,
    outcome=st.sampled_from(OUTCOMES),
    reason=st.sampled_from(REASONS),
    reached=st.booleans(),
    cases=st.integers(0, 50),
    duplicates=st.integers(0, 5),
)


@given(st.dictionaries(st.sampled_from(["LKO", "KNP", "VNS", "JNP", ""]), st.lists(groups, max_size=12), max_size=5))
def test_the_state_row_is_the_sum_of_the_district_rows(by_district: dict[str, list[OutcomeGroup]]) -> None:
    rows = [outcome_counts(g) for g in by_district.values()]
    state = outcome_counts([g for gs in by_district.values() for g in gs])
    assert sum_counts(rows) == state


@given(st.lists(groups, max_size=20))
def test_every_alert_lands_in_exactly_one_column(gs: list[OutcomeGroup]) -> None:
    c = outcome_counts(gs)
    parts = c.lives_saved + sum(c.not_reached.values()) + sum(c.false_alarms.values())
    assert parts + c.deceased + c.other_outcome + c.still_open == c.alerts
    assert c.lives_saved == sum(c.saved_by_outcome.values())
    assert set(c.saved_by_outcome) <= {str(o) for o in LIVES_SAVED}
    assert c.reached <= c.alerts


def test_reasons_default_to_other_and_belong_to_their_outcome() -> None:
    assert reason_for("not_reached", None, None) == "other"
    assert reason_for("false_alarm", "location_not_traced", "prank") == "prank"
    assert reason_for("safe_counselled", "phone_switched_off", None) is None


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.99, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),  # percentile_cont: halfway between the middle two
        ([0.0, 10.0], 0.9, 9.0),
        ([float(i) for i in range(1, 101)], 0.99, 99.01),
    ],
)
def test_percentile_is_percentile_cont(values: list[float], q: float, expected: float | None) -> None:
    got = percentile(values, q)
    assert got == (None if expected is None else pytest.approx(expected))


def test_a_step_runs_from_the_nearest_earlier_step_reached() -> None:
    times = {
        Step.HQ_ACKNOWLEDGED: "2026-01-01T10:01:00.000Z",
        Step.ROUTED: "2026-01-01T10:00:30.000Z",  # before HQ's acknowledgement: counts 0 s
        Step.DISTRICT_ACKNOWLEDGED: None,
        Step.DISPATCHED: "2026-01-01T10:11:00.500Z",  # from the routing (no district acknowledgement)
        Step.REACHED: "2026-01-01T16:11:00.500+05:30",  # any offset: 10:41 UTC, 30 min after dispatch
    }
    got = step_seconds(times, "2026-01-01T10:00:00.000Z")
    assert got == {
        Step.HQ_ACKNOWLEDGED: 60.0,
        Step.ROUTED: 0.0,
        Step.DISPATCHED: 630.5,
        Step.REACHED: 1800.0,
    }


def test_the_period_is_whole_days_in_india() -> None:
    assert period_bounds(ReportQuery(date(2024, 1, 1), date(2024, 1, 31))) == (
        "2023-12-31T18:30:00.000Z",
        "2024-01-31T18:30:00.000Z",
    )


def test_coverage_is_the_union_of_equal_windows() -> None:
    # beats at 0, 60, 500 with 180 s windows over [0, 1000): [0, 240) and [500, 680)
    assert covered_seconds([0.0, 60.0, 500.0], 180.0, 0.0, 1000.0) == 420.0
    assert covered_seconds([-100.0], 180.0, 0.0, 1000.0) == 80.0  # a beat before the period
    assert covered_seconds([950.0], 180.0, 0.0, 1000.0) == 50.0  # cut at the end
    assert covered_seconds([], 180.0, 0.0, 1000.0) == 0.0


def header(kind: str) -> ReportHeader:
    return ReportHeader(ReportQuery(date(2024, 1, 1), date(2024, 6, 30), range="Varanasi"), ReportSource.HQ, "t", kind)


@pytest.mark.parametrize("kind", ["outcomes", "timing", "console-health", "follow-ups"])
def test_json_round_trip(kind: str) -> None:
    timing = StepTiming(Step.DISPATCHED, 3, 10.0, 20.5, None, 600.0, 0)
    counts = outcome_counts([OutcomeGroup("not_reached", "other_state", False, 3, 1)])
    report = {
        "outcomes": OutcomeReport(header(kind), (OutcomeRow("VNS", "Varanasi", "Varanasi", counts),), counts),
        "timing": TimingReport(
            header(kind),
            (TimingRow("VNS", "Varanasi", (timing,)),),
            (timing,),
            (SlowCase("c1", "VNS", Step.REACHED, 99.5),),
        ),
        "console-health": ConsoleHealthReport(header(kind), (ConsoleHealthRow("VNS", "Varanasi", 0.75, 2, 1),)),
        "follow-ups": FollowUpReport(
            header(kind), (FollowUpRow("VNS", "Varanasi", 3, 2, 1),), FollowUpRow("", "", 3, 2, 1)
        ),
    }[kind]
    import json

    assert from_json(kind, json.loads(json.dumps(to_json(report)))) == report
