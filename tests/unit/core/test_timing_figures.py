"""``core.report_rows.timing_figures`` (column by column) gives what the definition computed value by
value gives: per district, the whole scope, and the slowest cases with their tie order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.report_rows import timing_figures
from core.reports import (
    DEFAULT_STEP_TARGETS_S,
    SLOWEST_PER_STEP,
    STEPS,
    SlowCase,
)
from core.reports import step_timing as figures_of

seconds = st.one_of(st.none(), st.sampled_from([0.0, 1.5, 120.0, 600.0]), st.floats(0, 10_000, allow_nan=False))
rows = st.lists(
    st.tuples(st.sampled_from(["", "D1", "D2", "D3"]), st.uuids().map(str), *[seconds for _ in STEPS]),
    max_size=60,
    unique_by=lambda r: r[1],
)


def _reference(data: list[tuple]) -> tuple:  # type: ignore[type-arg]
    targets = DEFAULT_STEP_TARGETS_S
    per = {}
    for d in {r[0] for r in data}:
        per[d] = tuple(
            figures_of(s, sorted(r[2 + i] for r in data if r[0] == d and r[2 + i] is not None), targets[s])
            for i, s in enumerate(STEPS)
        )
    total = tuple(
        figures_of(s, sorted(r[2 + i] for r in data if r[2 + i] is not None), targets[s]) for i, s in enumerate(STEPS)
    )
    slowest = tuple(
        SlowCase(cid, d, s, v)
        for i, s in enumerate(STEPS)
        for v, cid, d in sorted(
            ((r[2 + i], r[1], r[0]) for r in data if r[2 + i] is not None), key=lambda x: (-x[0], x[1])
        )[:SLOWEST_PER_STEP]
    )
    return per, total, slowest


@settings(max_examples=200, deadline=None)
@given(rows)
def test_timing_figures_agree_with_the_definition_value_by_value(data: list[tuple]) -> None:  # type: ignore[type-arg]
    assert timing_figures(data, DEFAULT_STEP_TARGETS_S) == _reference(data)


def test_no_rows_give_empty_figures() -> None:
    per, total, slowest = timing_figures([], DEFAULT_STEP_TARGETS_S)
    assert per == {} and slowest == () and all(t.count == 0 and t.p50_s is None for t in total)
