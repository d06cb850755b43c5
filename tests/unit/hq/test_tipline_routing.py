"""Where a tip's place sends it: one district, its range's triage, or HQ's triage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine

from hq.schema import districts, metadata
from hq.tipline.routing import resolve_place

RANGES = {"VNS": ("Varanasi", "Varanasi"), "JNP": ("Jaunpur", "Varanasi"), "GZP": ("Ghazipur", "Varanasi"),
          "LKO": ("Lucknow", "Lucknow"), "KNP": ("Kanpur Nagar", "Kanpur")}  # fmt: skip


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine, tables=[districts])
    with engine.begin() as c:
        c.execute(districts.insert(), [
            {"code": code, "name": name, "duty_phones": "[]", "created_at": "2026-11-29T00:00:00.000Z", "range": r}
            for code, (name, r) in RANGES.items()
        ])  # fmt: skip
        yield c
    engine.dispose()


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("गाँव सारनाथ, थाना कैंट, वाराणसी", ("VNS", None)),
        ("बनारस", ("VNS", None)),
        ("Varanasi range, near the highway", (None, "Varanasi")),
        ("वाराणसी रेंज", (None, "Varanasi")),
        ("जौनपुर और गाजीपुर की सीमा", (None, "Varanasi")),  # two districts of one range
        ("Jaunpur or Lucknow", (None, None)),  # two ranges: HQ's triage
        ("somewhere on the highway", (None, None)),
        ("", (None, None)),
        ("Varanasi range, Jaunpur", ("JNP", None)),  # the range's name names no district
    ],
)
def test_a_place_goes_to_a_district_the_range_or_hq(conn: Connection, place: str, expected: tuple) -> None:  # type: ignore[type-arg]
    assert resolve_place(conn, place) == expected
