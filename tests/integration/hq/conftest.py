"""HQ integration tests: real uvicorn on loopback, real SQLite files and a real PostgreSQL cluster.

The fixtures live in tests/fixtures/{postgres,hq}.py. Until the root conftest lists them in
``pytest_plugins``, they are imported here (re-importing the same functions later is harmless).
"""

from __future__ import annotations

import pytest

from tests.fixtures.hq import (  # noqa: F401
    hq_factory,
    hq_pg_template,
    hq_server,
    hq_server_pg,
    hq_sqlite_template,
)
from tests.fixtures.postgres import pg_cluster, pg_database  # noqa: F401

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def hq(hq_factory, backend):  # type: ignore[no-untyped-def]  # noqa: F811
    """An HQ server on each backend in turn."""
    return hq_factory(backend)
