"""Hybrid logical clock (Kulkarni et al.): orders events across devices whose wall clocks disagree.

A stamp is the string ``PPPPPPPPPPPPPPP.CCCCCC.NODE``: wall-clock milliseconds (15 digits), a counter
(6 digits) and the issuing device id. Stamps compare correctly as plain strings, so the database can
index and sort them, and two devices can never issue the same stamp (the node part differs).

Invariant: every stamp a clock issues is greater than every stamp it has issued or observed before,
even if the machine's wall clock jumps backwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PHYSICAL_DIGITS = 15
COUNTER_DIGITS = 6
MAX_COUNTER = 10**COUNTER_DIGITS - 1


@dataclass(frozen=True, order=True)
class Stamp:
    physical_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.physical_ms:0{PHYSICAL_DIGITS}d}.{self.counter:0{COUNTER_DIGITS}d}.{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Parse a stamp; raises ValueError with a reason for anything malformed."""
        parts = text.split(".", 2)
        if len(parts) != 3:
            raise ValueError(f"HLC stamp {text!r} is not PHYSICAL.COUNTER.NODE")
        physical, counter, node = parts
        if len(physical) != PHYSICAL_DIGITS or not physical.isdigit():
            raise ValueError(f"HLC stamp {text!r}: physical part must be {PHYSICAL_DIGITS} digits")
        if len(counter) != COUNTER_DIGITS or not counter.isdigit():
            raise ValueError(f"HLC stamp {text!r}: counter must be {COUNTER_DIGITS} digits")
        if not node:
            raise ValueError(f"HLC stamp {text!r}: node is empty")
        return cls(int(physical), int(counter), node)


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """Thread-safe HLC for one device. ``now()`` for a local event, ``observe()`` for a remote stamp."""

    def __init__(self, node: str, wall_ms: Callable[[], int] = _wall_ms, last: str | None = None):
        if not node or "." in node:
            raise ValueError("HLC node id must be non-empty and contain no '.'")
        self._node = node
        self._wall_ms = wall_ms
        self._lock = threading.Lock()
        self._physical = 0
        self._counter = 0
        if last:
            self.observe(last)

    @property
    def node(self) -> str:
        return self._node

    def now(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._physical:
                self._physical, self._counter = wall, 0
            else:
                self._bump()
            return str(Stamp(self._physical, self._counter, self._node))

    def observe(self, remote: str) -> None:
        """Move the clock past a stamp seen from elsewhere (an event pulled from HQ)."""
        other = Stamp.parse(remote)
        with self._lock:
            if other.physical_ms > self._physical:
                self._physical, self._counter = other.physical_ms, other.counter
            elif other.physical_ms == self._physical:
                self._counter = max(self._counter, other.counter)

    def _bump(self) -> None:
        if self._counter >= MAX_COUNTER:
            self._physical += 1
            self._counter = 0
        else:
            self._counter += 1
