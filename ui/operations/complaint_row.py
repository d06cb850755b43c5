"""A row of the console's complaint queue: its sort and filter keys, and its detail read apart.

At 10,000 open complaints the queue's first read can afford about a microsecond per row: a row is
made from the keys alone (``ComplaintRow``), and what it shows beyond them (``RowDetail``: the post,
its author, the replies and deadlines) is read afterwards on a worker (``ComplaintRows.fill`` in
``ui.operations.complaint_queue``) and set once on the row.

Threading: made and filled on worker threads; read on the GUI thread. ``detail`` is set once, in
one assignment, so the GUI sees a row without or with its detail, never half of one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.complaints import Timeline
from core.sla import Deadline, next_open

Json = dict[str, Any]


class RowDetail:
    """What a queue row shows beyond its sort and filter keys: the post, its author, replies and
    deadlines (``_DETAIL_COLUMNS`` of the stored row). Read on a worker thread; the replies' JSON and
    the stored deadlines are parsed at first use (a painted row, the open complaint)."""

    __slots__ = ("_deadlines", "_replies", "author_handle", "author_url", "duplicate_of", "item",
                 "post_url", "posted_at", "search", "text", "thread_text", "thread_url")  # fmt: skip

    def __init__(self, values: Sequence[Any], deadlines: Sequence[Deadline]) -> None:
        (self.item, self.author_handle, self.author_url, self.post_url, text, self.thread_text, self.thread_url,
         self.posted_at, self.duplicate_of, self._replies, self.search) = values  # fmt: skip
        self.text: str = text or ""
        self._deadlines = deadlines

    @property
    def replies(self) -> tuple[Json, ...]:
        raw = self._replies
        if isinstance(raw, str):  # benign race: two threads parse the same text to equal tuples
            raw = self._replies = tuple(json.loads(raw)) if raw != "[]" else ()
        return raw

    @property
    def deadlines(self) -> Sequence[Deadline]:
        return self._deadlines


_NO_DETAIL = RowDetail((None, None, None, None, "", None, None, None, None, (), ""), ())


@dataclass(eq=False, slots=True)
class ComplaintRow:
    """One open complaint as the queue shows it.

    The sort and filter keys (platform, category, district, the soonest due time and the state over
    time) are read for every open complaint; the rest (``detail``: the post, replies, deadlines) may
    come later: the first read of 10,000 rows takes only the keys (``ComplaintRows``), and the
    details are read on a worker for the rows the view paints first, then for all. A row whose
    detail is not read yet shows an empty post and no replies or deadlines (``has_detail``); the text
    filter does not match it until then. Equality compares what the row shows (its detail read).
    """

    case_id: str
    platform: str | None
    category: str | None
    district: str | None
    due_ts: float = field(repr=False, default=float("inf"))  # the soonest open deadline, for sorting
    # a stored row's state over time (``core.complaint_timeline``): ``row_state`` is then a bisection
    # of its times, with no deadline parsed; None: evaluate ``deadlines``
    timeline: Timeline | None = field(repr=False, default=None)
    detail: RowDetail | None = field(repr=False, default=None)  # set once, on a worker, never changed
    stamp: str | None = field(repr=False, default=None)  # the stored row's ``updated_hlc`` when read
    # (state, valid from, valid until): the state ``core.sla`` gave, kept until the next warn or due
    # time of an open deadline, so a sort or a repaint does not evaluate every deadline again
    _clock: list[Any] | None = field(repr=False, default=None)

    @property
    def has_detail(self) -> bool:
        return self.detail is not None

    def _d(self) -> RowDetail:
        return self.detail or _NO_DETAIL

    item = property(lambda self: self._d().item)
    author_handle = property(lambda self: self._d().author_handle)
    author_url = property(lambda self: self._d().author_url)
    post_url = property(lambda self: self._d().post_url)
    thread_text = property(lambda self: self._d().thread_text)
    thread_url = property(lambda self: self._d().thread_url)
    posted_at = property(lambda self: self._d().posted_at)
    duplicate_of = property(lambda self: self._d().duplicate_of)

    @property
    def text(self) -> str:
        return self._d().text

    @property
    def search(self) -> str:
        return str(self._d().search)

    @property
    def deadlines(self) -> Sequence[Deadline]:
        return self._d().deadlines

    @property
    def replies(self) -> tuple[Json, ...]:
        return self._d().replies

    @property
    def soonest(self) -> Deadline | None:
        return next_open(self.deadlines)

    @property
    def reply_state(self) -> str:
        """The newest reply's state, or "none"."""
        return str(self.replies[-1]["status"]) if self.replies else "none"

    def shown(self) -> tuple[Any, ...]:
        """What the row shows, in the stored row's order: what equality compares."""
        d = self._d()
        return (self.case_id, self.platform, d.item, d.author_handle, d.author_url, d.post_url, d.text,
                d.thread_text, d.thread_url, self.category, self.district, d.posted_at, d.duplicate_of,
                tuple(d.deadlines), d.replies, d.search, self.due_ts)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComplaintRow) and self.shown() == other.shown()

    __hash__ = None  # type: ignore[assignment]


__all__ = ["ComplaintRow", "Json", "RowDetail"]
