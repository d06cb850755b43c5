"""The queue's rows: the state a row shows over time is ``core.sla``'s, even with the per-row cache
the sort and the repaint use; most urgent first; filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.events import DeadlineKind
from core.sla import Deadline, worst_state
from ui.operations.complaint_queue import RowDetail
from ui.operations.complaints import ComplaintFilter, ComplaintRow, arrange, next_change, row_state

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def row(case_id: str, posted_min: int, *, platform: str = "x", met: bool = False, text: str = "") -> ComplaintRow:
    posted = T0 + timedelta(minutes=posted_min)
    first = Deadline(DeadlineKind.FIRST_RESPONSE, posted, posted + timedelta(minutes=120),
                     posted + timedelta(minutes=90), posted + timedelta(minutes=10) if met else None)  # fmt: skip
    resolution = Deadline(DeadlineKind.RESOLUTION, posted, posted + timedelta(hours=72),
                          posted + timedelta(hours=72, minutes=-30), None)  # fmt: skip
    detail = RowDetail(("comment", "h", None, None, text, None, None, posted.isoformat(), None, (), text.casefold()),
                       (first, resolution))  # fmt: skip
    return ComplaintRow(case_id, platform, None, "LKO", detail=detail,
                        due_ts=(posted + timedelta(minutes=120 if not met else 72 * 60)).timestamp())  # fmt: skip


def test_row_state_follows_core_sla_through_time_and_back() -> None:
    r = row("a", 0)
    minutes = [0, 89, 90, 119, 120, 500, 30, 95, 4319, 4320, 10]  # forwards, then back (a fake clock)
    for m in minutes:
        now = T0 + timedelta(minutes=m)
        expected = worst_state(r.deadlines, now)
        assert row_state(r, now) == str(expected), m
    met = row("b", 0, met=True)
    assert row_state(met, T0 + timedelta(minutes=200)) == "running"  # the resolution still runs
    assert row_state(met, T0 + timedelta(hours=71, minutes=45)) == "warning"


def test_most_urgent_first_and_filters() -> None:
    rows = [row("late", 0, text="chain snatched"), row("warn", 25, platform="facebook"), row("fresh", 100),
            row("soon", 60)]  # fmt: skip
    now = T0 + timedelta(minutes=121)
    assert [r.case_id for r in arrange(rows, ComplaintFilter(), now)] == ["late", "warn", "soon", "fresh"]
    assert [r.case_id for r in arrange(rows, ComplaintFilter(state="warning"), now)] == ["warn"]
    assert [r.case_id for r in arrange(rows, ComplaintFilter(platform="x", state="running"), now)] == [
        "soon", "fresh",
    ]  # fmt: skip
    assert [r.case_id for r in arrange(rows, ComplaintFilter(text="SNATCHED chain"), now)] == ["late"]
    assert next_change(rows, now) == T0 + timedelta(minutes=25 + 120)  # "warn" is breached next
