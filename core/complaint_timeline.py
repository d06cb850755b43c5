"""A complaint's state over time, packed for the queue's stored row (``complaint_row.timeline``).

The console's queue reads every open complaint's row at start-up (10,000 at the bench's size) and
sorts them by their state now: the state is found by bisecting the times its stored timeline holds,
so the read must not parse text for each row. The timeline is written once per event, at projection
time, from ``core.sla``'s deadlines (``state_timeline``); reading it back is two slices and one
C-level array (``parse_timeline``).
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from core.sla import Deadline, DeadlineState, worst_state

_BIG_ENDIAN = sys.byteorder == "big"  # a stored timeline's times are little-endian

# A state's code in a stored timeline (one byte each); 0 is "no state" (None).
_TIMELINE_STATES: tuple[str | None, ...] = (None, *(str(s) for s in DeadlineState))
_TIMELINE_CODES = {s: i for i, s in enumerate(_TIMELINE_STATES)}
Timeline = tuple[Sequence[float], bytes]  # (times, state codes): ``parse_timeline``


def state_timeline(items: Sequence[Deadline]) -> bytes:
    """The row's state (``core.sla.worst_state``) over time, packed for a reader that must not parse
    text for each of 10,000 rows: the state before the first time and at each warn or due time of
    its open deadlines (the only times it can change), one byte each (``_TIMELINE_STATES``), then
    those times as little-endian float64 epoch seconds. ``n`` states take ``9n - 8`` bytes. A reader
    finds the state at ``now`` with a bisection of the times (``timeline_state``), without the
    deadlines."""
    marks = sorted({m for d in items if d.met_at is None for m in (d.warn_at, d.due_at)})
    if not marks:
        state = worst_state(items, datetime(1970, 1, 1, tzinfo=UTC))  # nothing open: the same at any time
        return bytes((_TIMELINE_CODES[str(state) if state else None],))
    before = worst_state(items, marks[0] - timedelta(microseconds=1))
    states = [before, *(worst_state(items, m) for m in marks)]
    codes = bytes(_TIMELINE_CODES[str(s) if s else None] for s in states)
    return codes + struct.pack(f"<{len(marks)}d", *(m.timestamp() for m in marks))


def parse_timeline(blob: bytes) -> Timeline:
    """(times, state codes) of a ``state_timeline``: ``codes[i]`` holds from ``times[i - 1]`` (the first
    before every time). Two slices and a C-level array: no text parsed."""
    n = (len(blob) + 8) // 9
    times = array("d", blob[n:])
    if _BIG_ENDIAN:
        times.byteswap()
    return times, blob[:n]


def timeline_state(times: Sequence[float], codes: bytes, now_ts: float) -> str | None:
    return _TIMELINE_STATES[codes[bisect_right(times, now_ts)]]


def timeline_from_text(text: str) -> bytes:
    """The packed timeline of one written as text (``state@seconds`` parts, ``;`` between them) by
    stores before migration 0012."""
    codes, times = [], []
    for part in text.split(";"):
        state, _, at = part.partition("@")
        codes.append(_TIMELINE_CODES[state or None])
        if at:
            times.append(float(at))
    return bytes(codes) + struct.pack(f"<{len(times)}d", *times)


__all__ = ["Timeline", "parse_timeline", "state_timeline", "timeline_from_text", "timeline_state"]
