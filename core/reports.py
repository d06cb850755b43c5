"""What the reports say, written once: the result types every report producer and reader shares.

HQ (SQL aggregates over its tables), the desktop's replica (the same figures from local cases when HQ
cannot be reached) and the exports all speak these types. Each report carries its own period, scope,
source and "as of" time, so a figure is never shown without saying where it came from.

The definitions (which outcome counts as a life saved, which step starts and ends where) are stated
here and nowhere else; docs/REPORTS.md explains them in words.

Kept in one file because the result types and the definitions that fill them change together, and
HQ, the replica and the exports must all read one version of both.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from core.events import DeadlineKind, FalseAlarmReason, NotReachedReason, Outcome, iso, parse_time
from core.fold import CaseState
from core.sla import SlaPolicy

# Outcomes that count as a life saved.
LIVES_SAVED: frozenset[Outcome] = frozenset({Outcome.SAFE_COUNSELLED, Outcome.HANDED_TO_FAMILY, Outcome.HOSPITALISED})
# Outcomes that say the police reached the person (a case with a reached time counts too).
REACHED_OUTCOMES: frozenset[Outcome] = LIVES_SAVED | {Outcome.DECEASED}
# Periods are dates in India Standard Time.
IST = timezone(timedelta(hours=5, minutes=30), "IST")
# The report kinds, as the endpoint, the CLI and ``HQClient.report`` name them.
KINDS = ("outcomes", "timing", "console-health", "follow-ups", "compliance", "tips")
# How many slowest cases the timing report lists per step.
SLOWEST_PER_STEP = 5


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
    return reason_for(state.outcome, detail.get("not_reached_reason"), detail.get("false_alarm_reason"))


def reason_for(outcome: str | None, not_reached_reason: str | None, false_alarm_reason: str | None) -> str | None:
    """An outcome's reason from the outcome's payload fields: "other" when a not-reached or false-alarm
    outcome gives none, None for every other outcome."""
    if outcome == Outcome.NOT_REACHED:
        return str(not_reached_reason or NotReachedReason.OTHER)
    if outcome == Outcome.FALSE_ALARM:
        return str(false_alarm_reason or FalseAlarmReason.OTHER)
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


# -- the definitions ---------------------------------------------------------------------------------


def period_bounds(query: ReportQuery) -> tuple[str, str]:
    """The period as ISO 8601 UTC text ``[start, end)``: from ``date_from`` 00:00 IST to the day after
    ``date_to`` 00:00 IST. HQ times are canonical text, so these compare as text."""
    start = datetime.combine(query.date_from, time(0), IST).astimezone(UTC)
    end = datetime.combine(query.date_to + timedelta(days=1), time(0), IST).astimezone(UTC)
    return iso(start), iso(end)


@dataclass(frozen=True)
class OutcomeGroup:
    """Cases sharing an outcome, its reason and whether they were reached: what HQ's ``GROUP BY``
    returns and what a replica counts, turned into ``OutcomeCounts`` by ``outcome_counts``."""

    outcome: str | None
    reason: str | None
    reached: bool  # the case has a reached time
    cases: int
    duplicates: int = 0  # duplicate alerts merged into these cases


def outcome_group_key(state: CaseState) -> tuple[str | None, str | None, bool]:
    """A case's (outcome, reason, reached) as ``OutcomeGroup`` groups it."""
    return state.outcome, outcome_reason(state), state.reached_at is not None


def outcome_counts(groups: Iterable[OutcomeGroup]) -> OutcomeCounts:
    """The outcome table's figures from grouped cases. Every alert lands in exactly one of: a life
    saved (by outcome), not reached (by reason), a false alarm (by reason), deceased, another
    outcome, or still open (no outcome yet). "Reached" counts the cases with a reached time or an
    outcome that needs one (``REACHED_OUTCOMES``)."""
    alerts = duplicates = reached = deceased = other = still_open = 0
    saved: dict[str, int] = {}
    not_reached: dict[str, int] = {}
    false_alarms: dict[str, int] = {}
    for g in groups:
        alerts += g.cases
        duplicates += g.duplicates
        if g.reached or g.outcome in REACHED_OUTCOMES:
            reached += g.cases
        if g.outcome is None:
            still_open += g.cases
        elif g.outcome in LIVES_SAVED:
            saved[g.outcome] = saved.get(g.outcome, 0) + g.cases
        elif g.outcome == Outcome.NOT_REACHED:
            key = g.reason or str(NotReachedReason.OTHER)
            not_reached[key] = not_reached.get(key, 0) + g.cases
        elif g.outcome == Outcome.FALSE_ALARM:
            key = g.reason or str(FalseAlarmReason.OTHER)
            false_alarms[key] = false_alarms.get(key, 0) + g.cases
        elif g.outcome == Outcome.DECEASED:
            deceased += g.cases
        else:
            other += g.cases
    return OutcomeCounts(
        alerts=alerts,
        duplicates_merged=duplicates,
        reached=reached,
        lives_saved=sum(saved.values()),
        saved_by_outcome=dict(sorted(saved.items())),
        not_reached=dict(sorted(not_reached.items())),
        false_alarms=dict(sorted(false_alarms.items())),
        deceased=deceased,
        other_outcome=other,
        still_open=still_open,
    )


def _add(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return dict(sorted(out.items()))


def sum_counts(rows: Iterable[OutcomeCounts]) -> OutcomeCounts:
    """The sum of several rows' figures (the state row is the sum of its district rows)."""
    total = OutcomeCounts()
    for c in rows:
        total = OutcomeCounts(
            alerts=total.alerts + c.alerts,
            duplicates_merged=total.duplicates_merged + c.duplicates_merged,
            reached=total.reached + c.reached,
            lives_saved=total.lives_saved + c.lives_saved,
            saved_by_outcome=_add(total.saved_by_outcome, c.saved_by_outcome),
            not_reached=_add(total.not_reached, c.not_reached),
            false_alarms=_add(total.false_alarms, c.false_alarms),
            deceased=total.deceased + c.deceased,
            other_outcome=total.other_outcome + c.other_outcome,
            still_open=total.still_open + c.still_open,
        )
    return total


# Each step's target, seconds (HQ's settings may override them: ``hq.reports``).
DEFAULT_STEP_TARGETS_S: Mapping[Step, float] = {
    Step.HQ_ACKNOWLEDGED: 120.0,
    Step.ROUTED: 300.0,
    Step.DISTRICT_ACKNOWLEDGED: 120.0,
    Step.DISPATCHED: 600.0,
    Step.REACHED: 1800.0,
    Step.COUNSELLED: 3600.0,
}
STEPS: tuple[Step, ...] = tuple(Step)


def step_start(step: Step) -> tuple[Step, ...]:
    """The earlier steps, nearest first: a step's time runs from the first of these the case reached,
    else from ``received_at``."""
    i = STEPS.index(step)
    return tuple(reversed(STEPS[:i]))


def step_seconds(times: Mapping[Step, str | None], received_at: str | None) -> dict[Step, float]:
    """How long each step the case reached took, in seconds rounded to the millisecond: from the
    nearest earlier step it reached (else its receipt) to this one; a step done before that one
    counts 0 s. HQ computes the same in SQL (``hq.reports``)."""
    out: dict[Step, float] = {}
    start = parse_time(received_at) if received_at else None  # the nearest earlier step reached
    for step in STEPS:
        end = times.get(step)
        if not end:
            continue
        at = parse_time(end)
        if start is not None:
            out[step] = round(max(0.0, (at - start).total_seconds()), 3)
        start = at
    return out


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of values sorted ascending, interpolated linearly between the two
    nearest ranks: PostgreSQL's ``percentile_cont``, so HQ's two backends and a replica agree."""
    n = len(sorted_values)
    if n == 0:
        return None
    pos = q * (n - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, n - 1)
    return float(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))


def step_timing(step: Step, sorted_seconds: Sequence[float], target_s: float) -> StepTiming:
    """A step's figures from its durations sorted ascending."""
    return StepTiming(
        step=step,
        count=len(sorted_seconds),
        p50_s=percentile(sorted_seconds, 0.5),
        p90_s=percentile(sorted_seconds, 0.9),
        p99_s=percentile(sorted_seconds, 0.99),
        target_s=target_s,
        over_target=len(sorted_seconds) - bisect_right(sorted_seconds, target_s),
    )


def covered_seconds(beats: Sequence[float], window_s: float, start: float, end: float) -> float:
    """Seconds of ``[start, end)`` covered by at least one heartbeat, each covering ``window_s`` from
    its time (epoch seconds, sorted). All windows are equally long, so the union is the sum over
    heartbeats of the gap to the next heartbeat, capped at the window."""
    total = 0.0
    for i, t in enumerate(beats):
        until = min(t + window_s, beats[i + 1] if i + 1 < len(beats) else math.inf, end)
        total += max(0.0, until - max(t, start))
    return total


# -- complaints: the two-hour compliance ----------------------------------------------------------
# A complaint's category before triage gave it one.
UNCATEGORISED = "uncategorised"
# How many missed deadlines the compliance report lists (the latest first); ``breaches_total`` says
# how many there were in all.
BREACHES_LISTED = 500


class DeadlineResult(enum.StrEnum):
    MET = "met"  # met (a published reply, or the closing) within its limit
    MISSED = "missed"  # met after its limit, or still open past it
    RUNNING = "running"  # still open, not yet due


def sla_limit_s(policy: SlaPolicy, deadline: str, category: str | None) -> float:
    """A deadline's limit in seconds from its start: ``core.sla``'s minutes for its kind and category."""
    return policy.minutes(DeadlineKind(deadline), None if category == UNCATEGORISED else category) * 60.0


def deadline_result(met_s: float | None, limit_s: float, started_s: float, now_s: float) -> DeadlineResult:
    """A deadline's result now (``core.sla.Deadline.state`` in three words): ``met_s`` is the seconds
    from its start to the reply or closing that met it (None: still open), ``started_s`` its start and
    ``now_s`` the report's time, both epoch seconds. HQ computes the same in SQL (``hq.reports``)."""
    if met_s is not None:
        return DeadlineResult.MET if met_s < limit_s else DeadlineResult.MISSED
    return DeadlineResult.MISSED if started_s + limit_s <= now_s else DeadlineResult.RUNNING


@dataclass(frozen=True)
class DeadlineCounts:
    """One kind of deadline's results: ``due`` = met + missed (decided by now); ``running`` is not due."""

    due: int = 0
    met: int = 0
    missed: int = 0
    running: int = 0

    @property
    def compliance(self) -> float | None:
        """met / due, None when nothing was due."""
        return self.met / self.due if self.due else None


@dataclass(frozen=True)
class ComplianceFigures:
    received: int = 0  # complaints posted in the period (duplicates and not actionable included)
    first_response: DeadlineCounts = field(default_factory=DeadlineCounts)
    next_response: DeadlineCounts = field(default_factory=DeadlineCounts)
    resolution: DeadlineCounts = field(default_factory=DeadlineCounts)
    replied: int = 0  # complaints with a published reply: what the percentiles are taken over
    first_response_p50_s: float | None = None  # platform time -> first published reply
    first_response_p90_s: float | None = None


@dataclass(frozen=True)
class ComplianceRow:
    key: str  # a district code (``""``: not routed) or a category
    name: str
    figures: ComplianceFigures


@dataclass(frozen=True)
class ComplianceBreach:
    """A missed deadline: no citizen's handle, no text; one click from the case in the desktop."""

    case_id: str
    platform: str | None
    category: str
    district: str
    deadline: str  # core.events.DeadlineKind
    due_at: str  # ISO 8601 UTC
    late_s: float  # how late it was met, or how long past due it is still open


@dataclass(frozen=True)
class ComplianceReport:
    header: ReportHeader
    by_district: tuple[ComplianceRow, ...]  # every district in scope by name, then "(not routed)"
    by_category: tuple[ComplianceRow, ...]  # every category in ``ComplaintCategory`` order, then uncategorised
    total: ComplianceFigures  # counts = the sum of either table's rows; percentiles over all replies
    breaches: tuple[ComplianceBreach, ...]  # the latest first, at most ``BREACHES_LISTED``
    breaches_total: int


@dataclass(frozen=True)
class DeadlineGroup:
    """Deadlines sharing a kind and result: what HQ's ``GROUP BY`` returns."""

    deadline: str
    result: str
    n: int


def compliance_figures(
    received: int, groups: Iterable[DeadlineGroup], first_response_s: Sequence[float]
) -> ComplianceFigures:
    """The figures of one row from its complaints' count, its grouped deadlines and the seconds from
    each replied complaint's platform time to its first published reply (any order)."""
    tally: dict[str, dict[str, int]] = {str(k): {} for k in DeadlineKind}
    for g in groups:
        kind = tally.setdefault(g.deadline, {})
        kind[g.result] = kind.get(g.result, 0) + g.n

    def counts(kind: DeadlineKind) -> DeadlineCounts:
        t = tally[str(kind)]
        met, missed = t.get(DeadlineResult.MET, 0), t.get(DeadlineResult.MISSED, 0)
        return DeadlineCounts(met + missed, met, missed, t.get(DeadlineResult.RUNNING, 0))

    values = sorted(first_response_s)
    return ComplianceFigures(
        received=received,
        first_response=counts(DeadlineKind.FIRST_RESPONSE),
        next_response=counts(DeadlineKind.NEXT_RESPONSE),
        resolution=counts(DeadlineKind.RESOLUTION),
        replied=len(values),
        first_response_p50_s=percentile(values, 0.5),
        first_response_p90_s=percentile(values, 0.9),
    )


# -- the tip line -------------------------------------------------------------------------------------


class TipStatus(enum.StrEnum):
    OPEN = "open"  # nobody has taken it up yet
    ASSIGNED = "assigned"  # taken up: the district acknowledged it (or an officer was assigned it)
    ACTIONED = "actioned"  # action taken: a team dispatched, the tip forwarded, the place reached, an
    # outcome, or the SP's office recorded an action or a tip outcome
    CLOSED = "closed"


def tip_status(state: CaseState) -> TipStatus:
    """A tip's status from its fold, the one definition the tip-line report counts by."""
    if state.is_closed:
        return TipStatus.CLOSED
    if state.dispatched_at or state.forwards or state.reached_at or state.outcome:
        return TipStatus.ACTIONED
    if state.tip_actions or state.tip_outcome:
        return TipStatus.ACTIONED
    if state.acknowledged_at or state.tip_officer:
        return TipStatus.ASSIGNED
    return TipStatus.OPEN


@dataclass(frozen=True)
class TipCounts:
    """Counts only: no pseudonym, no text, nothing that could single out a tipster."""

    received: int = 0
    open: int = 0
    assigned: int = 0
    actioned: int = 0
    closed: int = 0
    questions_asked: int = 0  # officers' questions relayed to the tipsters
    questions_answered: int = 0  # of those, the ones a tipster answered


@dataclass(frozen=True)
class TipRow:
    key: str  # a district code (``""``: not routed, the range's triage) or a ``TipCategory``
    name: str
    counts: TipCounts


@dataclass(frozen=True)
class TipBucket:
    start: date  # the first day of the week (Monday) or month, IST, clipped to the period
    by_category: Mapping[str, int]  # TipCategory -> tips received in the bucket
    received: int


@dataclass(frozen=True)
class TipReport:
    header: ReportHeader
    bucket: str  # "week" or "month": the unit of ``over_time``
    by_district: tuple[TipRow, ...]
    by_category: tuple[TipRow, ...]  # every TipCategory in its order
    total: TipCounts  # the sum of either table's rows
    over_time: tuple[TipBucket, ...]


# Up to this many days a period's tips are counted by week, longer by month.
TIP_WEEKS_UP_TO_DAYS = 92


def tip_buckets(date_from: date, date_to: date) -> tuple[str, list[date]]:
    """The unit ("week" or "month") and the first day of each bucket of the period, in order."""
    if (date_to - date_from).days < TIP_WEEKS_UP_TO_DAYS:
        starts, day = [date_from], date_from - timedelta(days=date_from.weekday()) + timedelta(days=7)
        while day <= date_to:
            starts.append(day)
            day += timedelta(days=7)
        return "week", starts
    starts, month = [date_from], date(date_from.year, date_from.month, 1)
    while True:
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month > date_to:
            return "month", starts
        starts.append(month)


def sum_tip_counts(rows: Iterable[TipCounts]) -> TipCounts:
    names = [f.name for f in dataclasses.fields(TipCounts)]
    totals = dict.fromkeys(names, 0)
    for c in rows:
        for n in names:
            totals[n] += getattr(c, n)
    return TipCounts(**totals)


# -- JSON (HQ's endpoint and ``HQClient.report`` speak it) ------------------------------------------

REPORT_TYPES: Mapping[str, type] = {
    "outcomes": OutcomeReport,
    "timing": TimingReport,
    "console-health": ConsoleHealthReport,
    "follow-ups": FollowUpReport,
    "compliance": ComplianceReport,
    "tips": TipReport,
}


def to_json(report: object) -> dict[str, Any]:
    """A report (any of ``REPORT_TYPES``) as a JSON-ready object."""
    out = _plain(report)
    assert isinstance(out, dict)
    return out


def _plain(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def from_json(kind: str, data: Mapping[str, Any]) -> Any:
    """The report of ``kind`` (one of ``KINDS``) that ``to_json`` wrote."""
    return _build(REPORT_TYPES[kind], data)


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner[0], value)
    if origin is tuple:
        return tuple(_build(typing.get_args(tp)[0], v) for v in value)
    if origin in (Mapping, dict):
        return {str(k): _build(typing.get_args(tp)[1], v) for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        cls: Any = tp
        return cls(**{f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value})
    if tp is date:
        return date.fromisoformat(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is float:
        return float(value)
    return value


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
    "BREACHES_LISTED",
    "DEFAULT_STEP_TARGETS_S",
    "IST",
    "KINDS",
    "LIVES_SAVED",
    "REACHED_OUTCOMES",
    "REPORT_TYPES",
    "SLOWEST_PER_STEP",
    "STEPS",
    "TIP_WEEKS_UP_TO_DAYS",
    "UNCATEGORISED",
    "AccountsReport",
    "ClaimsReport",
    "ComplianceBreach",
    "ComplianceFigures",
    "ComplianceReport",
    "ComplianceRow",
    "ConsoleHealthReport",
    "ConsoleHealthRow",
    "CountRow",
    "DeadlineCounts",
    "DeadlineGroup",
    "DeadlineResult",
    "FalseAlarmReason",
    "FollowUpReport",
    "FollowUpRow",
    "NotReachedReason",
    "OutcomeCounts",
    "OutcomeGroup",
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
    "TipBucket",
    "TipCounts",
    "TipReport",
    "TipRow",
    "TipStatus",
    "compliance_figures",
    "counselled_at",
    "covered_seconds",
    "deadline_result",
    "forwarded_at",
    "from_json",
    "outcome_counts",
    "outcome_group_key",
    "outcome_reason",
    "percentile",
    "period_bounds",
    "reason_for",
    "sla_limit_s",
    "step_seconds",
    "step_start",
    "step_times",
    "step_timing",
    "sum_counts",
    "sum_tip_counts",
    "tip_buckets",
    "tip_status",
    "to_json",
]
