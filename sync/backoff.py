"""Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").

Delay before retry *n* is uniform in [0, min(cap, base * 2**n)]. Full jitter spreads 75 control
rooms that lost HQ at the same moment, and the low cap (setting ``retry_cap_s``) bounds how long a
returning link goes unnoticed. Retries go on forever: an outcome waiting in the outbox is never
dropped because HQ was away for a long time.
"""

from __future__ import annotations

import random
import threading


class Backoff:
    """Not thread-safe: one instance per retrying loop."""

    def __init__(self, base_s: float = 0.25, cap_s: float = 5.0, rng: random.Random | None = None):
        if base_s <= 0 or cap_s <= 0:
            raise ValueError("backoff base and cap must be positive")
        self.base_s = base_s
        self.cap_s = cap_s
        self.attempt = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """The wait before the next retry; each call counts one more failure."""
        ceiling = min(self.cap_s, self.base_s * 2 ** min(self.attempt, 62))
        self.attempt += 1
        return self._rng.uniform(0.0, ceiling)

    def reset(self) -> None:
        """After a success: the next failure starts again from the base delay."""
        self.attempt = 0

    def sleep(self, wake: threading.Event) -> float:
        """Wait the next delay, returning early if ``wake`` is set (the link came back, the user asked).

        Returns the delay that was chosen. ``wake`` is cleared here so one wake serves one retry.
        """
        delay = self.next_delay()
        if wake.wait(delay):
            wake.clear()
        return delay
