"""Identifiers for events and cases: UUIDv7 (RFC 9562), made where the thing is created.

Why v7 rather than random v4: both the client's SQLite store and HQ's PostgreSQL keep events and
cases in B-tree indexes keyed by these ids. A v7 id starts with the creation time in milliseconds,
so new ids land at the right-hand end of those indexes instead of on a random page: an initial sync
of 100,000 cases writes far fewer distinct index pages per commit (measured in docs/BENCHMARKS.md,
"Sync"). The remaining 74 bits are random, so ids stay unguessable and unique across devices without
coordination. The embedded time says no more than the event's own ``wall_time`` already does.

Ids made before this (v4) stay valid everywhere: nothing parses the time back out of an id, and every
check accepts any UUID.
"""

from __future__ import annotations

import secrets
import time
import uuid

_VERSION = 0x7
_VARIANT = 0b10


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A version 7 UUID: 48 bits of Unix time in ms, 4 version bits, 12 + 62 random bits, 2 variant bits."""
    ms = int(time.time() * 1000) if unix_ms is None else int(unix_ms)
    if not 0 <= ms < 1 << 48:
        raise ValueError(f"timestamp {ms} ms does not fit UUIDv7's 48 bits")
    rand = secrets.randbits(74)
    value = (ms << 80) | (_VERSION << 76) | ((rand >> 62) << 64) | (_VARIANT << 62) | (rand & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new event or case id, as its canonical string."""
    return str(uuid7())
