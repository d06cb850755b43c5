"""Sync against the real HQ (uvicorn on loopback, SQLite), real SQLCipher stores and the fault proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.faultproxy import FaultProxy
from tests.fixtures.hq import HQServer, hq_factory, hq_server, hq_sqlite_template  # noqa: F401


@pytest.fixture
def proxy(hq_server: HQServer) -> Iterator[FaultProxy]:  # noqa: F811
    with FaultProxy(hq_server.port) as p:
        yield p
