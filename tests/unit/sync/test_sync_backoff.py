from __future__ import annotations

import random
import threading
import time

import pytest

from sync.backoff import Backoff


def test_full_jitter_stays_under_the_growing_ceiling_and_the_cap() -> None:
    backoff = Backoff(base_s=0.5, cap_s=5.0, rng=random.Random(7))
    ceilings = [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    for ceiling in ceilings:
        delays = []
        for _ in range(200):
            b = Backoff(base_s=0.5, cap_s=5.0, rng=random.Random(len(delays)))
            b.attempt = backoff.attempt
            delays.append(b.next_delay())
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.9  # full jitter uses the whole range, not a fixed step
        assert min(delays) < ceiling * 0.1
        backoff.next_delay()


def test_retries_forever_without_overflow_and_reset_starts_over() -> None:
    backoff = Backoff(base_s=0.25, cap_s=2.0, rng=random.Random(1))
    for _ in range(10_000):
        assert 0.0 <= backoff.next_delay() <= 2.0
    backoff.reset()
    assert backoff.attempt == 0
    assert backoff.next_delay() <= 0.25


def test_wake_cuts_the_wait_short() -> None:
    backoff = Backoff(base_s=30.0, cap_s=30.0, rng=random.Random(3))
    backoff.attempt = 5
    wake = threading.Event()
    threading.Timer(0.1, wake.set).start()
    started = time.monotonic()
    backoff.sleep(wake)
    assert time.monotonic() - started < 5.0
    assert not wake.is_set()  # one wake serves one retry


@pytest.mark.parametrize(("base", "cap"), [(0, 1), (1, 0), (-1, 1)])
def test_rejects_nonsense(base: float, cap: float) -> None:
    with pytest.raises(ValueError):
        Backoff(base_s=base, cap_s=cap)
