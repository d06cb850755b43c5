"""Each report as plain tables of words and numbers: one shape for the view, CSV, XLSX and PDF.

Built on the GUI thread (the words are translated here, in the UI language); the result is plain
Python data, so an export can write it on a worker thread without touching Qt's translator.

Numbers stay numbers (``int``/``float``; ``None`` where there is nothing to measure): the view formats
them, XLSX stores them as numbers. Durations are minutes (``Column.kind == "minutes"``), shares are
fractions of 1 (``"percent"``). No name or phone number is ever in a table: the slowest-cases list
holds case ids and districts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from core.events import FalseAlarmReason, NotReachedReason, Outcome, parse_time
from core.reports import (
    LIVES_SAVED,
    ConsoleHealthReport,
    FollowUpReport,
    OutcomeCounts,
    OutcomeReport,
    ReportHeader,
    ReportQuery,
    ReportSource,
    Step,
    StepTiming,
    TimingReport,
)
from ui.labels import false_alarm_label, not_reached_label, outcome_label

Cell = str | int | float | None
_Q = QCoreApplication  # pyside6-lupdate extracts the literal ``_Q.translate("Reports", ...)`` calls


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "int"  # "text" | "int" | "minutes" | "percent"


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: int = 0  # the last n rows are totals (shown bold)
    case_ids: tuple[str, ...] = ()  # for a case list: the case id of each row (the view opens it)
    notes: tuple[str, ...] = ()  # footnotes shown under the table and written with it in every export


# A figure this source cannot know (a replica's duplicates, its console health): a dash with a
# footnote saying why, never a false zero. Exports write the same dash.
NOT_KNOWN = "–"


@dataclass(frozen=True)
class ExportDocument:
    """Everything an export writes, as plain data: title, the header lines (period, scope, source, who
    ran it and when), the tables and the definitions."""

    title: str
    header: tuple[tuple[str, str], ...]  # (label, value)
    tables: tuple[Table, ...]
    definitions: tuple[str, ...]
    charts: tuple[object, ...] = field(default=())  # ui.reports.charts data, painted into the PDF


# ---- words --------------------------------------------------------------------------------------
def step_label(step: str) -> str:
    labels = {
        Step.HQ_ACKNOWLEDGED: _Q.translate("Reports", "HQ acknowledged"),
        Step.ROUTED: _Q.translate("Reports", "Routed to district"),
        Step.DISTRICT_ACKNOWLEDGED: _Q.translate("Reports", "District acknowledged"),
        Step.DISPATCHED: _Q.translate("Reports", "Team dispatched"),
        Step.REACHED: _Q.translate("Reports", "Person reached"),
        Step.COUNSELLED: _Q.translate("Reports", "Counselled"),
    }
    return labels.get(step, str(step))  # type: ignore[call-overload]


def state_label() -> str:
    return _Q.translate("Reports", "State total")


def total_label(query: ReportQuery) -> str:
    """The last row's name: the state's, or the total of a range's districts."""
    if query.district:
        return _Q.translate("Reports", "Total")
    if query.range:
        return _Q.translate("Reports", "Range total")
    return state_label()


def date_text(day: object) -> str:
    qdate = QDate(day.year, day.month, day.day)  # type: ignore[attr-defined]
    return QLocale().toString(qdate, "d MMM yyyy")


def period_text(query: ReportQuery) -> str:
    return f"{date_text(query.date_from)} – {date_text(query.date_to)}"


def scope_text(query: ReportQuery, names: Mapping[str, str]) -> str:
    if query.district:
        return _Q.translate("Reports", "District: %1").replace("%1", names.get(query.district, query.district))
    if query.range:
        return _Q.translate("Reports", "Range: %1").replace("%1", query.range)
    return _Q.translate("Reports", "Whole state")


def moment_text(iso_text: str) -> str:
    """An ISO 8601 UTC time in this PC's local time, with the month in the UI language."""
    try:
        moment = parse_time(iso_text)
    except ValueError:
        return iso_text
    local = moment.astimezone()
    return f"{date_text(local)} {local:%H:%M}"


def source_text(header: ReportHeader) -> str:
    """The header line that says where the figures come from: always shown with the figures."""
    if header.source is ReportSource.HQ:
        return _Q.translate("Reports", "Figures from HQ, as of %1").replace("%1", moment_text(header.as_of))
    return _Q.translate("Reports", "HQ cannot be reached: figures from this console's replica, as of %1").replace(
        "%1", moment_text(header.as_of)
    )


def header_lines(
    title: str, header: ReportHeader, names: Mapping[str, str], now: datetime | None = None
) -> tuple[tuple[str, str], ...]:
    ran_at = (now or datetime.now(UTC)).isoformat()
    return (
        (_Q.translate("Reports", "Report"), title),
        (_Q.translate("Reports", "Period"), period_text(header.query)),
        (_Q.translate("Reports", "Scope"), scope_text(header.query, names)),
        (_Q.translate("Reports", "Source"), source_text(header)),
        (_Q.translate("Reports", "Run by"), header.run_by),
        (_Q.translate("Reports", "Exported at"), moment_text(ran_at)),
    )


def definitions(kind: str) -> tuple[str, ...]:
    """One line per definition, as core/reports.py and docs/REPORTS.md state them."""
    common: tuple[str, ...] = () if kind in ("compliance", "tips") else (
        _Q.translate(
            "Reports",
            "Period: alerts received from the first day to the last day inclusive, by the date in "
            "India Standard Time; the scope is the whole state, one range or one district.",
        ),
    )
    per_kind = {
        "outcomes": (
            _Q.translate("Reports", "Alerts: suicide-risk cases received in the period, raised cases included."),
            _Q.translate("Reports", "Lives saved: outcome 'safe, counselled', 'handed to family' or 'hospitalised'."),
            _Q.translate(
                "Reports", "Not reached and false alarms are counted by the reason recorded with the outcome."
            ),
            _Q.translate(
                "Reports", "Still open: no outcome recorded yet. The state row is the sum of the district rows."
            ),
        ),
        "timing": (
            _Q.translate(
                "Reports",
                "A step's time runs from the latest earlier step the case reached (the first from "
                "the alert's receipt) to this step; p50, p90 and p99 are the times half, 90% and "
                "99% of cases stayed within.",
            ),
            _Q.translate(
                "Reports", "Routed: the first assignment to a district. Counselled: the first counselling note."
            ),
            _Q.translate("Reports", "Over target: cases whose step took longer than the step's target."),
        ),
        "console-health": (
            _Q.translate(
                "Reports", "Covered: share of the period with at least one console online that could sound the alarm."
            ),
            _Q.translate("Reports", "Test alarms: confirmed heard or not heard by the control room."),
        ),
        "follow-ups": (
            _Q.translate(
                "Reports", "Due: follow-ups due in the period. Done: completed. Overdue: past their date and not done."
            ),
        ),
        "compliance": (
            _Q.translate(
                "Reports",
                "Complaints: posted on the platform in the period (by the platform's date in India Standard Time). "
                "First response: due "
                "two hours after the post (or as set per category), met by the first published reply.",
            ),
            _Q.translate(
                "Reports",
                "Due: met or missed by now. Missed: met late, or still open past the deadline. Compliance: met "
                "divided by due. p50 and p90: post to first published reply.",
            ),
        ),
        "tips": (
            _Q.translate(
                "Reports",
                "Tips received in the period (by the date in India Standard Time), by district and category, "
                "with their status now. Counts only: nothing about any tipster.",
            ),
        ),
    }
    return common + per_kind.get(kind, ())


# ---- tables -------------------------------------------------------------------------------------
def _codes(known: Iterable[str], seen: Iterable[Mapping[str, int]]) -> list[str]:
    """The reason columns: every known code in order, then any code HQ sent that this client does
    not know yet (shown as the code, never dropped)."""
    out = [str(c) for c in known]
    for mapping in seen:
        out += [c for c in mapping if c not in out]
    return out


def outcome_table(report: OutcomeReport) -> Table:
    saved_codes = [str(o) for o in Outcome if o in LIVES_SAVED]
    counts = [r.counts for r in report.rows] + [report.total]
    nr_codes = _codes(NotReachedReason, (c.not_reached for c in counts))
    fa_codes = _codes(FalseAlarmReason, (c.false_alarms for c in counts))
    not_reached, false_alarm = _Q.translate("Reports", "Not reached"), _Q.translate("Reports", "False alarm")
    columns = (
        Column(_Q.translate("Reports", "District"), "text"),
        Column(_Q.translate("Reports", "Range"), "text"),
        Column(_Q.translate("Reports", "Alerts")),
        Column(_Q.translate("Reports", "Duplicates merged")),
        Column(_Q.translate("Reports", "Reached")),
        Column(_Q.translate("Reports", "Lives saved")),
        *(Column(outcome_label(c)) for c in saved_codes),
        *(Column(f"{not_reached}: {not_reached_label(c)}") for c in nr_codes),
        *(Column(f"{false_alarm}: {false_alarm_label(c)}") for c in fa_codes),
        Column(_Q.translate("Reports", "Deceased")),
        Column(_Q.translate("Reports", "Other outcome")),
        Column(_Q.translate("Reports", "Still open")),
    )

    def cells(c: OutcomeCounts) -> tuple[Cell, ...]:
        return (
            c.alerts,
            c.duplicates_merged,
            c.reached,
            c.lives_saved,
            *(c.saved_by_outcome.get(k, 0) for k in saved_codes),
            *(c.not_reached.get(k, 0) for k in nr_codes),
            *(c.false_alarms.get(k, 0) for k in fa_codes),
            c.deceased,
            c.other_outcome,
            c.still_open,
        )

    offline = report.header.source is ReportSource.REPLICA

    def row(name: str, rng: str, c: OutcomeCounts) -> tuple[Cell, ...]:
        out = (name, rng, *cells(c))
        return (*out[:3], NOT_KNOWN, *out[4:]) if offline else out  # the duplicates merged column

    rows = [row(r.district_name, r.range or "", r.counts) for r in report.rows]
    rows.append(row(total_label(report.header.query), "", report.total))
    notes = (duplicates_note(),) if offline else ()
    return Table(_Q.translate("Reports", "Outcomes"), columns, tuple(rows), total_rows=1, notes=notes)


def duplicates_note() -> str:
    return _Q.translate(
        "Reports",
        "– Duplicates merged: not known offline. Only HQ merges the copies of an alert, so this console's "
        "replica cannot count them.",
    )


def health_note() -> str:
    return _Q.translate(
        "Reports",
        "– Not known offline: the consoles' presence and test alarms are known only at HQ, so this "
        "console's replica has no console-health figures.",
    )


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def _timing_cells(name: str, s: StepTiming) -> tuple[Cell, ...]:
    return (
        name,
        step_label(s.step),
        s.count,
        _minutes(s.p50_s),
        _minutes(s.p90_s),
        _minutes(s.p99_s),
        _minutes(s.target_s),
        s.over_target,
    )


def timing_table(report: TimingReport) -> Table:
    columns = (
        Column(_Q.translate("Reports", "District"), "text"),
        Column(_Q.translate("Reports", "Step"), "text"),
        Column(_Q.translate("Reports", "Cases")),
        Column(_Q.translate("Reports", "p50 (min)"), "minutes"),
        Column(_Q.translate("Reports", "p90 (min)"), "minutes"),
        Column(_Q.translate("Reports", "p99 (min)"), "minutes"),
        Column(_Q.translate("Reports", "Target (min)"), "minutes"),
        Column(_Q.translate("Reports", "Over target")),
    )
    rows = [_timing_cells(r.district_name, s) for r in report.rows for s in r.steps]
    total = [_timing_cells(state_label(), s) for s in report.total]
    return Table(_Q.translate("Reports", "Chain timing"), columns, tuple(rows + total), total_rows=len(total))


def slowest_table(report: TimingReport, names: Mapping[str, str]) -> Table:
    columns = (
        Column(_Q.translate("Reports", "Case"), "text"),
        Column(_Q.translate("Reports", "District"), "text"),
        Column(_Q.translate("Reports", "Step"), "text"),
        Column(_Q.translate("Reports", "Time (min)"), "minutes"),
    )
    rows = tuple(
        (c.case_id, names.get(c.district, c.district), step_label(c.step), _minutes(c.seconds)) for c in report.slowest
    )
    ids = tuple(c.case_id for c in report.slowest)
    return Table(_Q.translate("Reports", "Slowest cases"), columns, rows, case_ids=ids)


def health_table(report: ConsoleHealthReport) -> Table:
    columns = (
        Column(_Q.translate("Reports", "District"), "text"),
        Column(_Q.translate("Reports", "Covered"), "percent"),
        Column(_Q.translate("Reports", "Test alarms heard")),
        Column(_Q.translate("Reports", "Test alarms not heard")),
    )
    if report.header.source is ReportSource.REPLICA:
        unknown = tuple((r.district_name, NOT_KNOWN, NOT_KNOWN, NOT_KNOWN) for r in report.rows)
        return Table(_Q.translate("Reports", "Console health"), columns, unknown, notes=(health_note(),))
    rows = tuple((r.district_name, r.covered_share, r.tests_heard, r.tests_not_heard) for r in report.rows)
    return Table(_Q.translate("Reports", "Console health"), columns, rows)


def followup_table(report: FollowUpReport) -> Table:
    columns = (
        Column(_Q.translate("Reports", "District"), "text"),
        Column(_Q.translate("Reports", "Due")),
        Column(_Q.translate("Reports", "Done")),
        Column(_Q.translate("Reports", "Overdue")),
    )
    rows = [(r.district_name, r.due, r.done, r.overdue) for r in report.rows]
    t = report.total
    rows.append((total_label(report.header.query), t.due, t.done, t.overdue))
    return Table(_Q.translate("Reports", "Follow-ups"), columns, tuple(rows), total_rows=1)


def cell_text(value: Cell, kind: str) -> str:
    """A cell as the view and the CSV show it (numbers in plain digits, so a spreadsheet reads them)."""
    if value is None:
        return "–" if kind != "text" else ""
    if kind == "percent" and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if kind == "minutes" and isinstance(value, int | float):
        return f"{value:.1f}"
    return str(value)


def names_of(rows: Sequence[Any]) -> dict[str, str]:
    """district code -> name from a report's rows (every row type has ``district`` and ``district_name``)."""
    return {str(r.district): str(r.district_name) for r in rows}


__all__ = [
    "NOT_KNOWN",
    "Cell",
    "Column",
    "ExportDocument",
    "Table",
    "cell_text",
    "definitions",
    "duplicates_note",
    "followup_table",
    "header_lines",
    "health_note",
    "health_table",
    "outcome_table",
    "period_text",
    "scope_text",
    "slowest_table",
    "source_text",
    "state_label",
    "step_label",
    "timing_table",
]
