"""Hybrid logical clock: monotonic whatever the wall clock does; observe(); stamp parsing."""

from __future__ import annotations

import threading

import pytest

from core.hlc import MAX_COUNTER, HybridClock, Stamp


class Wall:
    def __init__(self, ms: int):
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_follow_the_wall_clock_when_it_moves_forward() -> None:
    wall = Wall(1_000)
    clock = HybridClock("dev-a", wall_ms=wall)
    assert clock.now() == "000000000001000.000000.dev-a"
    wall.ms = 2_500
    assert clock.now() == "000000000002500.000000.dev-a"


def test_monotonic_when_the_wall_clock_stands_still_or_goes_backwards() -> None:
    wall = Wall(5_000)
    clock = HybridClock("dev-a", wall_ms=wall)
    stamps = [clock.now()]
    for ms in (5_000, 5_000, 4_000, 1, 4_999, 5_000, 5_001):
        wall.ms = ms
        stamps.append(clock.now())
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert Stamp.parse(stamps[3]) == Stamp(5_000, 3, "dev-a")  # wall went back: counter moves on
    assert Stamp.parse(stamps[-1]) == Stamp(5_001, 0, "dev-a")


def test_counter_overflow_carries_into_the_physical_part() -> None:
    wall = Wall(10)
    clock = HybridClock("n", wall_ms=wall)
    clock.observe(str(Stamp(10, MAX_COUNTER, "other")))
    assert Stamp.parse(clock.now()) == Stamp(11, 0, "n")
    assert clock.now() > str(Stamp(10, MAX_COUNTER, "other"))


def test_observe_moves_past_a_remote_stamp_from_a_faster_clock() -> None:
    clock = HybridClock("slow", wall_ms=Wall(1_000))
    remote = str(Stamp(9_000, 7, "fast"))
    clock.observe(remote)
    mine = clock.now()
    assert mine > remote
    assert Stamp.parse(mine) == Stamp(9_000, 8, "slow")


def test_observe_of_an_older_stamp_changes_nothing() -> None:
    clock = HybridClock("a", wall_ms=Wall(9_000))
    first = clock.now()
    clock.observe(str(Stamp(1_000, 50, "b")))
    assert Stamp.parse(clock.now()) == Stamp(9_000, 1, "a")
    assert clock.now() > first


def test_restart_past_the_last_stored_stamp() -> None:
    last = str(Stamp(50_000, 3, "a"))
    clock = HybridClock("a", wall_ms=Wall(10_000), last=last)  # machine clock reset to the past
    assert clock.now() > last


def test_stamps_compare_as_strings_like_stamps() -> None:
    a, b, c = Stamp(999, 5, "z"), Stamp(1_000, 0, "a"), Stamp(1_000, 0, "b")
    assert sorted([str(c), str(a), str(b)]) == [str(a), str(b), str(c)]
    assert sorted([c, a, b]) == [a, b, c]
    assert Stamp.parse(str(a)) == a


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "PHYSICAL.COUNTER.NODE"),
        ("000000000001000.000000", "PHYSICAL.COUNTER.NODE"),
        ("1000.000000.n", "physical part"),
        ("00000000000100x.000000.n", "physical part"),
        ("000000000001000.00000.n", "counter"),
        ("000000000001000.00000a.n", "counter"),
        ("000000000001000.000000.", "node is empty"),
    ],
)
def test_parse_errors_say_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Stamp.parse(text)


def test_node_may_contain_dots_after_the_second_separator() -> None:
    # a node id is refused at clock creation if it has a dot, but parsing is lenient on the tail
    assert Stamp.parse("000000000001000.000000.a.b").node == "a.b"


@pytest.mark.parametrize("node", ["", "dev.1"])
def test_bad_node_ids_are_refused(node: str) -> None:
    with pytest.raises(ValueError, match="node"):
        HybridClock(node)


def test_observe_refuses_a_malformed_stamp() -> None:
    clock = HybridClock("a")
    with pytest.raises(ValueError):
        clock.observe("garbage")


def test_thread_safe_unique_stamps() -> None:
    clock = HybridClock("a", wall_ms=Wall(1))
    out: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        mine = [clock.now() for _ in range(2_000)]
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 8_000
