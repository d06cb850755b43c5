"""Reports as flat tables for ``python -m hq report`` (table, CSV): one header line stating the report,
period, scope, source, who ran it and when, then one row per district and the state total."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from core.events import FalseAlarmReason, NotReachedReason
from core.reports import (
    LIVES_SAVED,
    STEPS,
    ComplianceFigures,
    ComplianceReport,
    ConsoleHealthReport,
    FollowUpReport,
    OutcomeCounts,
    OutcomeReport,
    ReportHeader,
    TimingReport,
    TipCounts,
    TipReport,
    to_json,
)

TOTAL = "STATE"


def describe(kind: str, h: ReportHeader) -> str:
    q = h.query
    scope = f"district {q.district}" if q.district else f"range {q.range}" if q.range else "whole state"
    by = "posted" if kind == "compliance" else "received"
    return (
        f"{kind} report; period {q.date_from}..{q.date_to} (IST, by date {by}); scope {scope}; "
        f"source {h.source}; as of {h.as_of}; run by {h.run_by}; definitions: docs/REPORTS.md"
    )


def _outcome_cells(c: OutcomeCounts) -> list[Any]:
    return [
        c.alerts,
        c.duplicates_merged,
        c.reached,
        c.lives_saved,
        *[c.saved_by_outcome.get(str(o), 0) for o in sorted(LIVES_SAVED)],
        *[c.not_reached.get(str(r), 0) for r in NotReachedReason],
        *[c.false_alarms.get(str(r), 0) for r in FalseAlarmReason],
        c.deceased,
        c.other_outcome,
        c.still_open,
    ]


def table(report: Any) -> tuple[list[str], list[list[Any]]]:
    """(column names, rows) of a report; the last row is the state total where the report has one."""
    if isinstance(report, OutcomeReport):
        head = ["district", "name", "range", "alerts", "duplicates_merged", "reached", "lives_saved"]
        head += [f"saved_{o}" for o in sorted(LIVES_SAVED)]
        head += [f"not_reached_{r}" for r in NotReachedReason] + [f"false_alarm_{r}" for r in FalseAlarmReason]
        head += ["deceased", "other_outcome", "still_open"]
        rows = [[r.district, r.district_name, r.range or "", *_outcome_cells(r.counts)] for r in report.rows]
        return head, [*rows, [TOTAL, "", "", *_outcome_cells(report.total)]]
    if isinstance(report, TimingReport):
        head = ["district", "name", "step", "cases", "p50_s", "p90_s", "p99_s", "target_s", "over_target"]
        out = []
        for code, name, steps in [
            *((r.district, r.district_name, r.steps) for r in report.rows),
            (TOTAL, "", report.total),
        ]:
            for s in steps:
                out.append([code, name, str(s.step), s.count, s.p50_s, s.p90_s, s.p99_s, s.target_s, s.over_target])
        return head, out
    if isinstance(report, ConsoleHealthReport):
        head = ["district", "name", "covered_share", "tests_heard", "tests_not_heard"]
        return head, [
            [r.district, r.district_name, r.covered_share, r.tests_heard, r.tests_not_heard] for r in report.rows
        ]
    if isinstance(report, FollowUpReport):
        head = ["district", "name", "due", "done", "overdue"]
        rows = [[r.district, r.district_name, r.due, r.done, r.overdue] for r in [*report.rows]]
        t = report.total
        return head, [*rows, [TOTAL, "", t.due, t.done, t.overdue]]
    if isinstance(report, ComplianceReport):
        head = ["by", "key", "name", *COMPLIANCE_COLUMNS]
        rows = [["district", r.key, r.name, *compliance_cells(r.figures)] for r in report.by_district]
        rows += [["category", r.key, r.name, *compliance_cells(r.figures)] for r in report.by_category]
        return head, [*rows, [TOTAL, "", "", *compliance_cells(report.total)]]
    if isinstance(report, TipReport):
        head = ["by", "key", "name", *TIP_COLUMNS]
        rows = [["district", r.key, r.name, *tip_cells(r.counts)] for r in report.by_district]
        rows += [["category", r.key, r.name, *tip_cells(r.counts)] for r in report.by_category]
        return head, [*rows, [TOTAL, "", "", *tip_cells(report.total)]]
    raise TypeError(type(report).__name__)


COMPLIANCE_COLUMNS = [
    "received", "first_response_due", "first_response_met", "first_response_missed", "first_response_running",
    "compliance_pct", "first_response_p50_s", "first_response_p90_s", "replied",
    "next_response_met", "next_response_missed", "resolution_met", "resolution_missed",
]  # fmt: skip
TIP_COLUMNS = ["received", "open", "assigned", "actioned", "closed", "questions_asked", "questions_answered"]


def compliance_cells(f: ComplianceFigures) -> list[Any]:
    c = f.first_response
    pct = None if c.compliance is None else round(100 * c.compliance, 1)
    return [
        f.received, c.due, c.met, c.missed, c.running, pct, f.first_response_p50_s, f.first_response_p90_s,
        f.replied, f.next_response.met, f.next_response.missed, f.resolution.met, f.resolution.missed,
    ]  # fmt: skip


def tip_cells(c: TipCounts) -> list[Any]:
    return [c.received, c.open, c.assigned, c.actioned, c.closed, c.questions_asked, c.questions_answered]


def breaches_table(report: ComplianceReport) -> tuple[list[str], list[list[Any]]]:
    head = ["case_id", "platform", "category", "district", "deadline", "due_at", "late_s"]
    return head, [
        [b.case_id, b.platform or "", b.category, b.district, b.deadline, b.due_at, b.late_s] for b in report.breaches
    ]


def over_time_table(report: TipReport) -> tuple[list[str], list[list[Any]]]:
    cats = list(report.over_time[0].by_category) if report.over_time else []
    head = [report.bucket, "received", *cats]
    return head, [[b.start.isoformat(), b.received, *(b.by_category[c] for c in cats)] for b in report.over_time]


def slowest_table(report: TimingReport) -> tuple[list[str], list[list[Any]]]:
    order = {s: i for i, s in enumerate(STEPS)}
    rows = sorted(report.slowest, key=lambda c: (order[c.step], -c.seconds))
    return ["step", "case_id", "district", "seconds"], [[str(c.step), c.case_id, c.district, c.seconds] for c in rows]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".")
    return str(v)


def render(kind: str, report: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_json(report), indent=2, ensure_ascii=False)
    parts = [table(report)]
    if isinstance(report, TimingReport):
        parts.append(slowest_table(report))
    elif isinstance(report, ComplianceReport):
        parts.append(breaches_table(report))
    elif isinstance(report, TipReport):
        parts.append(over_time_table(report))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([f"# {describe(kind, report.header)}"])
        for head, rows in parts:
            w.writerow(head)
            w.writerows([[_cell(v) for v in r] for r in rows])
        return buf.getvalue()
    lines = [describe(kind, report.header), ""]
    for head, rows in parts:
        cells = [head] + [[_cell(v) for v in r] for r in rows]
        widths = [max(len(str(r[i])) for r in cells) for i in range(len(head))]
        lines += [
            "  ".join(
                str(v).rjust(w) if j > 1 else str(v).ljust(w) for j, (v, w) in enumerate(zip(r, widths, strict=True))
            )
            for r in cells
        ]
        lines.append("")
    return "\n".join(lines)


__all__ = [
    "breaches_table",
    "compliance_cells",
    "describe",
    "over_time_table",
    "render",
    "slowest_table",
    "table",
    "tip_cells",
]
