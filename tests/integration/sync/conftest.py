"""Sync against the real HQ (uvicorn on loopback, SQLite), real SQLCipher stores and the fault proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.faultproxy import FaultProxy
from tests.fixtures.hq import HQServer


@pytest.fixture
def proxy(hq_server: HQServer) -> Iterator[FaultProxy]:
    with FaultProxy(hq_server.port) as p:
        yield p
