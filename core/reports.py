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


@dataclass(frozen=True)
class SlowRebuttal:
    claim_id: str
    text: str  # the claim's first words
    seconds: float


@dataclass(frozen=True)
class ClaimsReport:
    """Claims recorded in the period (by their recording date, India Standard Time): how many were
    rebutted, and the time to rebuttal, from the claim's recording to its first published rebuttal."""

    header: ReportHeader
    recorded: int
    rebutted: int  # reached *rebutted* (closed ones that were rebutted first included)
    investigating: int  # still investigating
    closed_unrebutted: int  # closed without a rebuttal
    rebuttal_p50_s: float | None
    rebuttal_p90_s: float | None
    slowest: tuple[SlowRebuttal, ...]  # slowest rebuttals first


@dataclass(frozen=True)
class CountRow:
    key: str  # a core.accounts.Reason or ActionKind value
    count: int


@dataclass(frozen=True)
class AccountsReport:
    """The suspicious-accounts register: accounts added in the period by reason (an account with two
    reasons counts under both), and actions taken in the period (by their date) by kind."""

    header: ReportHeader
    added: int
    by_reason: tuple[CountRow, ...]  # every Reason, in its declared order
    by_action: tuple[CountRow, ...]  # every ActionKind, in its declared order
    actioned_accounts: int  # distinct accounts with at least one action in the period


__all__ = [
    "LIVES_SAVED",
    "AccountsReport",
    "ClaimsReport",
    "ConsoleHealthReport",
    "ConsoleHealthRow",
    "CountRow",
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
    "SlowRebuttal",
    "Step",
    "StepTiming",
    "TimingReport",
    "TimingRow",
]
