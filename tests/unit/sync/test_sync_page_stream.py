"""The catch-up page stream (``sync.pages.PageStream``): pages fetched ahead by cursor, handed
over in order and checked by the consumer; a misread head or an error never leads to a page applied
out of turn."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sync.errors import HQUnreachable, ProtocolError
from sync.pages import PageStream, peek_next
from sync.wire import parse_pull_body

EPOCH = "e1"


def body(cursor: int, has_more: bool, *, head_cursor: int | None = None) -> bytes:
    """A pull reply shaped like HQ's (head first, then the items); ``head_cursor`` lies in the head."""
    head = {"epoch": EPOCH, "server_time": "2026-11-22T10:00:00.000Z",
            "cursor": cursor if head_cursor is None else head_cursor, "has_more": has_more}
    return json.dumps({**head, "items": []}).encode()


def test_peek_reads_the_next_cursor_from_the_head_only() -> None:
    assert peek_next(body(40, True)) == 40
    assert peek_next(body(40, False)) is None
    assert peek_next(b'{"items": []}') is None
    assert peek_next(b"garbage") is None


def test_a_body_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="not JSON"):
        parse_pull_body(b"<html>proxy error</html>")


def _stream(pages: dict[int, bytes | BaseException]) -> tuple[PageStream, list[int]]:
    asked: list[int] = []

    def fetch_raw(cursor: int, wait_s: float) -> tuple[bytes, float]:
        asked.append(cursor)
        page = pages[cursor]
        if isinstance(page, BaseException):
            raise page
        return page, 0.0

    pool = ThreadPoolExecutor(max_workers=1)
    stream = PageStream(pool, fetch_raw, 10, threading.Event())
    pool.shutdown(wait=False)
    return stream, asked


def test_pages_come_in_order_each_asked_where_the_last_ended() -> None:
    stream, asked = _stream({10: body(20, True), 20: body(30, True), 30: body(35, False)})
    got = [stream.next(c, timeout_s=5) for c in (10, 20, 30)]
    assert [(p[0].cursor, p[0].has_more) for p in got if p is not None] == [(20, True), (30, True), (35, False)]
    assert asked == [10, 20, 30]
    assert stream.next(35, timeout_s=None) is None  # ended: the consumer fetches for itself


def test_a_misread_head_never_hands_over_a_page_out_of_turn() -> None:
    # the head says 99 but the page really ends at 20: the stream asks at 99, the consumer wants 20
    stream, asked = _stream({10: body(20, True, head_cursor=99), 99: body(120, False)})
    assert stream.next(10, timeout_s=5) is not None
    assert stream.next(20, timeout_s=5) is None  # refused, stream closed; the consumer fetches 20 itself
    assert asked[:2] == [10, 99]


def test_a_fetch_error_is_raised_in_its_turn() -> None:
    stream, _ = _stream({10: body(20, True), 20: HQUnreachable("link cut")})
    assert stream.next(10, timeout_s=5) is not None
    with pytest.raises(HQUnreachable, match="link cut"):
        stream.next(20, timeout_s=5)
