"""What the reports say, written once: the result types every report producer and reader shares.

HQ (SQL aggregates over its tables), the desktop's replica (the same figures from local cases when HQ
cannot be reached) and the exports all speak these types. Each report carries its own period, scope,
source and "as of" time, so a figure is never shown without saying where it came from.

The definitions (which outcome counts as a life saved, which step starts and ends where) are stated
here and nowhere else; docs/REPORTS.md explains them in words.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.events import FalseAlarmReason, NotReachedReason, Outcome
from core.fold import CaseState

# Outcomes that count as a life saved.
LIVES_SAVED: frozenset[Outcome] = frozenset({Outcome.SAFE_COUNSELLED, Outcome.HANDED_TO_FAMILY, Outcome.HOSPITALISED})


class ReportSource(enum.StrEnum):
    HQ = "hq"  # computed by HQ over the whole state's data
    REPLICA = "replica"  # computed by a console from its local replica (its scope only)


class Step(enum.StrEnum):
    """The chain's steps in order. A step's time is measured from the latest earlier step the case
    reached (the first from the alert's receipt, ``received_at``): how long that step took."""

    HQ_ACKNOWLEDGED = "hq_acknowledged"
    ROUTED = "routed"  # the first assignment to a district
    DISTRICT_ACKNOWLEDGED = "district_acknowledged"
    DISPATCHED = "dispatched"
    REACHED = "reached"
    COUNSELLED = "counselled"  # the first counselling note


def outcome_reason(state: CaseState) -> str | None:
    """The reason recorded with a not-reached or false-alarm outcome (None for other outcomes)."""
    detail = state.outcome_detail or {}
    if state.outcome == Outcome.NOT_REACHED:
        return str(detail.get("not_reached_reason") or NotReachedReason.OTHER)
    if state.outcome == Outcome.FALSE_ALARM:
        return str(detail.get("false_alarm_reason") or FalseAlarmReason.OTHER)
    return None


def counselled_at(state: CaseState) -> str | None:
    """When the first counselling note was written (None if none was)."""
    times = [str(n["at"]) for n in state.counselling_notes if n.get("at")]
    return min(times) if times else None


def forwarded_at(state: CaseState) -> str | None:
    """When the case was first forwarded to another agency (None if never)."""
    times = [str(f["at"]) for f in state.forwards if f.get("at")]
    return min(times) if times else None


def step_times(state: CaseState) -> dict[Step, str | None]:
    """When the case reached each step (ISO 8601 UTC), None for a step not reached."""
    return {
        Step.HQ_ACKNOWLEDGED: state.hq_acknowledged_at,
        Step.ROUTED: state.routed_at,
        Step.DISTRICT_ACKNOWLEDGED: state.acknowledged_at,
        Step.DISPATCHED: state.dispatched_at,
        Step.REACHED: state.reached_at,
        Step.COUNSELLED: counselled_at(state),
    }


@dataclass(frozen=True)
class ReportQuery:
    """A period (``date_from`` inclusive, ``date_to`` inclusive, by the alert's received date in
    India Standard Time) and a scope: the whole state, one range, or one district."""

    date_from: date
    date_to: date
    district: str | None = None
    range: str | None = None


@dataclass(frozen=True)
class ReportHeader:
    query: ReportQuery
    source: ReportSource
    as_of: str  # ISO 8601 UTC: when the figures were computed (for a replica: its last sync)
    run_by: str  # display name of who ran it


@dataclass(frozen=True)
class OutcomeCounts:
    alerts: int = 0  # suicide-risk cases received in the period (raised cases included)
    duplicates_merged: int = 0
    reached: int = 0
    lives_saved: int = 0
    saved_by_outcome: Mapping[str, int] = field(default_factory=dict)  # Outcome in LIVES_SAVED -> n
    not_reached: Mapping[str, int] = field(default_factory=dict)  # NotReachedReason -> n
    false_alarms: Mapping[str, int] = field(default_factory=dict)  # FalseAlarmReason -> n
    deceased: int = 0
    other_outcome: int = 0
    still_open: int = 0  # no outcome yet


@dataclass(frozen=True)
class OutcomeRow:
    district: str  # code
    district_name: str
    range: str | None
    counts: OutcomeCounts


@dataclass(frozen=True)
class OutcomeReport:
    header: ReportHeader
    rows: tuple[OutcomeRow, ...]  # one per district in scope, sorted by name
    total: OutcomeCounts  # the sum of the rows (a test holds it to that)


@dataclass(frozen=True)
class StepTiming:
    step: Step
    count: int  # cases that reached this step
    p50_s: float | None
    p90_s: float | None
    p99_s: float | None
    target_s: float
    over_target: int


@dataclass(frozen=True)
class SlowCase:
    case_id: str
    district: str
    step: Step
    seconds: float


@dataclass(frozen=True)
class TimingRow:
    district: str
    district_name: str
    steps: tuple[StepTiming, ...]  # in Step order


@dataclass(frozen=True)
class TimingReport:
    header: ReportHeader
    rows: tuple[TimingRow, ...]
    total: tuple[StepTiming, ...]
    slowest: tuple[SlowCase, ...]  # the slowest cases per step, slowest first


@dataclass(frozen=True)
class ConsoleHealthRow:
    district: str
    district_name: str
    covered_share: float | None  # share of the period with at least one console online that could sound
    tests_heard: int
    tests_not_heard: int


@dataclass(frozen=True)
class ConsoleHealthReport:
    header: ReportHeader
    rows: tuple[ConsoleHealthRow, ...]


@dataclass(frozen=True)
class FollowUpRow:
    district: str
    district_name: str
    due: int
    done: int
    overdue: int


@dataclass(frozen=True)
class FollowUpReport:
    header: ReportHeader
    rows: tuple[FollowUpRow, ...]
    total: FollowUpRow


__all__ = [
    "LIVES_SAVED",
    "ConsoleHealthReport",
    "ConsoleHealthRow",
    "FalseAlarmReason",
    "FollowUpReport",
    "FollowUpRow",
    "NotReachedReason",
    "OutcomeCounts",
    "OutcomeReport",
    "OutcomeRow",
    "ReportHeader",
    "ReportQuery",
    "ReportSource",
    "SlowCase",
    "Step",
    "StepTiming",
    "TimingReport",
    "TimingRow",
]
