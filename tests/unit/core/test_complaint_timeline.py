"""The packed state timeline of a complaint's stored row (``core.complaint_timeline``): read back, it
gives ``core.sla.worst_state`` of the deadlines it was written from at any time, and a timeline
written as text by a store before migration 0012 packs to the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.complaint_timeline import parse_timeline, state_timeline, timeline_from_text, timeline_state
from core.events import DeadlineKind
from core.sla import Deadline, worst_state

T0 = datetime(2026, 11, 30, 8, 0, 0, 123456, tzinfo=UTC)


def text_timeline(items: list[Deadline]) -> str:
    """The timeline as migration 0011's stores wrote it: ``state@seconds`` parts, ``;`` between them."""
    marks = sorted({m for d in items if d.met_at is None for m in (d.warn_at, d.due_at)})
    if not marks:
        state = worst_state(items, datetime(1970, 1, 1, tzinfo=UTC))
        return f"{state or ''}@"
    before = worst_state(items, marks[0] - timedelta(microseconds=1))
    return ";".join([f"{before or ''}@"] + [f"{worst_state(items, m) or ''}@{m.timestamp()!r}" for m in marks])


deadline = st.builds(
    lambda kind, start, length, warn, met: Deadline(
        kind, T0 + timedelta(seconds=start), T0 + timedelta(seconds=start + length),
        T0 + timedelta(seconds=start + length - warn), None if met is None else T0 + timedelta(seconds=start + met),
    ),
    st.sampled_from(list(DeadlineKind)), st.integers(0, 100_000), st.integers(60, 300_000),
    st.integers(0, 50), st.none() | st.integers(0, 400_000),
)  # fmt: skip


@given(st.lists(deadline, max_size=4), st.lists(st.integers(-10_000, 800_000), max_size=8))
def test_the_packed_timeline_gives_the_rule_s_state_at_any_time(items: list[Deadline], offsets: list[int]) -> None:
    packed = state_timeline(items)
    times, codes = parse_timeline(packed)
    marks = sorted({m for d in items if d.met_at is None for m in (d.warn_at, d.due_at)})
    assert list(times) == [m.timestamp() for m in marks] and len(codes) == len(marks) + 1
    assert len(packed) == 9 * len(codes) - 8
    probes = [T0 + timedelta(seconds=s) for s in offsets]
    probes += [m + timedelta(microseconds=d) for m in marks for d in (-1, 0, 1)]
    for now in probes:
        want = worst_state(items, now)
        assert timeline_state(times, codes, now.timestamp()) == (str(want) if want else None), now


@given(st.lists(deadline, max_size=4))
def test_a_text_timeline_packs_to_the_same_bytes(items: list[Deadline]) -> None:
    assert timeline_from_text(text_timeline(items)) == state_timeline(items)


def test_nothing_open_is_one_state_at_every_time() -> None:
    met = Deadline(DeadlineKind.FIRST_RESPONSE, T0, T0 + timedelta(hours=2), T0 + timedelta(minutes=90),
                   T0 + timedelta(minutes=5))  # fmt: skip
    times, codes = parse_timeline(state_timeline([met]))
    assert list(times) == [] and codes == b"\x00"
    assert timeline_state(times, codes, 0.0) is None and timeline_state(times, codes, 4e9) is None
    running = Deadline(DeadlineKind.RESOLUTION, T0, T0 + timedelta(hours=72), T0 + timedelta(hours=71), None)
    times, codes = parse_timeline(state_timeline([met, running]))
    assert [timeline_state(times, codes, (T0 + timedelta(hours=h)).timestamp()) for h in (1, 71.5, 73)] == [
        "running", "warning", "breached",
    ]
