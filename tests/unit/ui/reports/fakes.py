"""Reports in the shape the producers return (core/reports.py types), for the view and export tests
and the bench: the published UP Police figure (740 alerts, 457 lives saved, Jan 2023 – Jun 2024, the
rest not reached for the three published reasons) spread over districts, and a loader that hands
them out the way ``ui.operations.reports.ReportLoader`` does (HQ's producers are another module's;
the view only ever sees these types)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from core.accounts import ActionKind, Reason
from core.reports import (
    AccountsReport,
    ClaimsReport,
    ComplianceBreach,
    ComplianceFigures,
    ComplianceReport,
    ComplianceRow,
    ConsoleHealthReport,
    ConsoleHealthRow,
    CountRow,
    DeadlineCounts,
    FollowUpReport,
    FollowUpRow,
    OutcomeCounts,
    OutcomeReport,
    OutcomeRow,
    ReportHeader,
    ReportQuery,
    ReportSource,
    SlowCase,
    SlowRebuttal,
    Step,
    StepTiming,
    TimingReport,
    TimingRow,
    TipBucket,
    TipCounts,
    TipReport,
    TipRow,
    sum_tip_counts,
)

PUBLISHED_PERIOD = (date(2023, 1, 1), date(2024, 6, 30))
ALERTS, SAVED = 740, 457
NOT_REACHED = {"location_not_traced": 151, "phone_switched_off": 89, "other_state": 43}  # 283 = 740 - 457
SAVED_BY = {"safe_counselled": 301, "handed_to_family": 118, "hospitalised": 38}  # 457
AS_OF = "2024-07-01T04:30:00+00:00"
RUN_BY = "Supervisor Shraddha Kshetri"

# A few real district names (one in Hindi) so the tables and the PDF carry Devanagari and conjuncts.
DISTRICTS = [
    ("LKO", "Lucknow", "Lucknow Range"),
    ("KNP", "Kanpur Nagar", "Kanpur Range"),
    ("PRY", "प्रयागराज ज़िला", "Prayagraj Range"),
    ("VNS", "Varanasi", "Varanasi Range"),
    ("GKP", "Gorakhpur", "Gorakhpur Range"),
]
TARGETS_S = {
    Step.HQ_ACKNOWLEDGED: 120,
    Step.ROUTED: 300,
    Step.DISTRICT_ACKNOWLEDGED: 120,
    Step.DISPATCHED: 600,
    Step.REACHED: 1800,
    Step.COUNSELLED: 3600,
}


def as_of_text() -> str:
    """``AS_OF`` as the English UI shows it: this PC's local time ("1 Jul 2024 10:00" in India)."""
    from datetime import datetime

    local = datetime.fromisoformat(AS_OF).astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def districts(n: int) -> list[tuple[str, str, str]]:
    if n <= len(DISTRICTS):
        return DISTRICTS[:n]
    return DISTRICTS + [(f"D{i:02d}", f"District {i:02d}", f"Range {i % 18:02d}") for i in range(len(DISTRICTS), n)]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _sum_counts(counts: list[OutcomeCounts]) -> OutcomeCounts:
    def add(key: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in counts:
            for k, v in getattr(c, key).items():
                out[k] = out.get(k, 0) + v
        return out

    return OutcomeCounts(
        alerts=sum(c.alerts for c in counts),
        duplicates_merged=sum(c.duplicates_merged for c in counts),
        reached=sum(c.reached for c in counts),
        lives_saved=sum(c.lives_saved for c in counts),
        saved_by_outcome=add("saved_by_outcome"),
        not_reached=add("not_reached"),
        false_alarms=add("false_alarms"),
        deceased=sum(c.deceased for c in counts),
        other_outcome=sum(c.other_outcome for c in counts),
        still_open=sum(c.still_open for c in counts),
    )


def header(query: ReportQuery, source: ReportSource = ReportSource.HQ) -> ReportHeader:
    return ReportHeader(query, source, AS_OF, RUN_BY)


def outcome_report(query: ReportQuery, n: int = 5, source: ReportSource = ReportSource.HQ) -> OutcomeReport:
    ds = districts(n)
    per = {k: _split(v, n) for k, v in {**SAVED_BY, **NOT_REACHED}.items()}
    rows = []
    for i, (code, name, rng) in enumerate(ds):
        saved = {k: per[k][i] for k in SAVED_BY}
        nr = {k: per[k][i] for k in NOT_REACHED}
        lives = sum(saved.values())
        counts = OutcomeCounts(
            alerts=lives + sum(nr.values()),
            duplicates_merged=i % 3,
            reached=lives,
            lives_saved=lives,
            saved_by_outcome=saved,
            not_reached=nr,
        )
        rows.append(OutcomeRow(code, name, rng, counts))
    rows.sort(key=lambda r: r.district_name)
    return OutcomeReport(header(query, source), tuple(rows), _sum_counts([r.counts for r in rows]))


def _timing(step: Step, k: int) -> StepTiming:
    t = TARGETS_S[step]
    return StepTiming(step, 100 + k, t * 0.4 + k, t * 1.1 + k, t * 3.0 + k, float(t), 10 + k % 7)


def timing_report(query: ReportQuery, n: int = 5, source: ReportSource = ReportSource.HQ) -> TimingReport:
    ds = districts(n)
    rows = tuple(TimingRow(code, name, tuple(_timing(s, i) for s in Step)) for i, (code, name, _r) in enumerate(ds))
    slowest = tuple(SlowCase(f"case-{i:04d}", ds[i % n][0], list(Step)[i % 6], 20000.0 - i * 300) for i in range(20))
    return TimingReport(header(query, source), rows, tuple(_timing(s, 0) for s in Step), slowest)


def health_report(query: ReportQuery, n: int = 5) -> ConsoleHealthReport:
    rows = tuple(
        ConsoleHealthRow(c, name, 0.9 + (i % 10) / 100, 20 + i, i % 3) for i, (c, name, _r) in enumerate(districts(n))
    )
    return ConsoleHealthReport(header(query), rows)


def followup_report(query: ReportQuery, n: int = 5) -> FollowUpReport:
    rows = tuple(FollowUpRow(c, name, 10 + i, 8 + i, 2) for i, (c, name, _r) in enumerate(districts(n)))
    total = FollowUpRow("", "", sum(r.due for r in rows), sum(r.done for r in rows), sum(r.overdue for r in rows))
    return FollowUpReport(header(query), rows, total)


def bucket_report(query: ReportQuery, n: int = 5, source: ReportSource = ReportSource.HQ) -> OutcomeReport:
    """A week's or month's outcomes (for the chart): varies with the month so the bars differ; every
    district has a row (zeros included), as the producers return them."""
    m = query.date_from.month + query.date_from.day // 8
    rows = []
    for i, (code, name, rng) in enumerate(districts(n)):
        alerts = (28 + (m * 7) % 25) if i == 0 else (m + i) % 4
        saved = alerts * 6 // 10
        counts = OutcomeCounts(
            alerts=alerts,
            reached=saved,
            lives_saved=saved,
            saved_by_outcome={"safe_counselled": saved},
            not_reached={"location_not_traced": alerts - saved},
        )
        rows.append(OutcomeRow(code, name, rng, counts))
    rows.sort(key=lambda r: r.district_name)
    return OutcomeReport(header(query, source), tuple(rows), _sum_counts([r.counts for r in rows]))


def claims_reports(query: ReportQuery) -> tuple[ClaimsReport, AccountsReport]:
    """The misinformation reports as HQ would compute them (ui.reports.claims_tabs)."""
    claims = ClaimsReport(header(query), 12, 7, 4, 1, 1800.0, 5400.0, (SlowRebuttal("c-1", "पटना में कल कर्फ्यू", 7200.0),))
    accounts = AccountsReport(
        header(query),
        9,
        tuple(CountRow(r.value, i + 1) for i, r in enumerate(Reason)),
        tuple(CountRow(k.value, i) for i, k in enumerate(ActionKind)),
        3,
    )
    return claims, accounts


def compliance_report(query: ReportQuery) -> ComplianceReport:
    """Two districts and the not-routed row; two missed deadlines listed (ui.reports.complaint_tabs)."""
    lko = ComplianceFigures(
        10, DeadlineCounts(8, 6, 2, 1), DeadlineCounts(2, 2, 0), DeadlineCounts(5, 4, 1), 7, 3600.0, 9000.0
    )
    prj = ComplianceFigures(4, DeadlineCounts(4, 4, 0), DeadlineCounts(), DeadlineCounts(1, 1, 0), 4, 600.0, 1800.0)
    none = ComplianceFigures(1, DeadlineCounts(0, 0, 0, 1))
    total = ComplianceFigures(15, DeadlineCounts(12, 10, 2, 2), DeadlineCounts(2, 2, 0), DeadlineCounts(6, 5, 1), 11,
                              1800.0, 8000.0)  # fmt: skip
    by_category = (
        ComplianceRow("crime_report", "crime_report", lko),
        ComplianceRow("cyber_fraud", "cyber_fraud", prj),
        ComplianceRow("uncategorised", "uncategorised", none),
    )
    breaches = (
        ComplianceBreach("case-late-1", "x", "crime_report", "LKO", "first_response", "2024-03-01T06:30:00Z", 1800.0),
        ComplianceBreach("case-late-2", "facebook", "crime_report", "LKO", "resolution", "2024-03-04T04:30:00Z", 600.0),
    )
    return ComplianceReport(
        header(query),
        (ComplianceRow("LKO", "Lucknow", lko), ComplianceRow("PRY", "प्रयागराज ज़िला", prj),
         ComplianceRow("", "(not routed)", none)),
        by_category, total, breaches, 2,
    )  # fmt: skip


def tip_report(query: ReportQuery) -> TipReport:
    lko = TipCounts(received=5, open=1, assigned=2, actioned=1, closed=1, questions_asked=3, questions_answered=2)
    vns = TipCounts(received=2, open=2)
    cats = (TipRow("gambling", "gambling", TipCounts(received=4, open=2, assigned=2)),
            TipRow("arms", "arms", TipCounts(received=3, open=1, actioned=1, closed=1, questions_asked=3,
                                             questions_answered=2)))  # fmt: skip
    buckets = (TipBucket(date(2024, 1, 1), {"gambling": 3, "arms": 1}, 4), TipBucket(date(2024, 2, 1), {"arms": 3}, 3))
    return TipReport(header(query), "month", (TipRow("LKO", "Lucknow", lko), TipRow("VNS", "Varanasi", vns)), cats,
                     sum_tip_counts([lko, vns]), buckets)  # fmt: skip


@dataclass
class FakeLoader:
    """A ``ReportLoader`` over the reports above; the published period gives the published table, a
    month of it gives a twelfth-ish share (for the chart's bars). Thread-safe: called on workers."""

    n: int = 5
    source: ReportSource = ReportSource.HQ
    loads: list[tuple[str, ReportQuery]] = field(default_factory=list)
    exports: list[tuple[str, ReportQuery, str]] = field(default_factory=list)
    fail: BaseException | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def load(self, kind: str, query: ReportQuery) -> object:
        with self.lock:
            self.loads.append((kind, query))
        if self.fail is not None:
            raise self.fail
        if kind == "outcomes" and (query.date_to - query.date_from).days < 40:
            return bucket_report(query, self.n, self.source)
        if kind == "outcomes":
            return outcome_report(query, self.n, self.source)
        if kind == "timing":
            return timing_report(query, self.n, self.source)
        if kind == "console-health":
            return health_report(query, self.n)
        if kind == "follow-ups":
            return followup_report(query, self.n)
        if kind in ("claims", "accounts"):
            return claims_reports(query)[0 if kind == "claims" else 1]
        if kind == "compliance":
            return compliance_report(query)
        if kind == "tips":
            return tip_report(query)
        raise ValueError(kind)

    def record_export(self, kind: str, query: ReportQuery, fmt: str) -> None:
        with self.lock:
            self.exports.append((kind, query, fmt))
