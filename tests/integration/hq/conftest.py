"""HQ integration tests: real uvicorn on loopback, real SQLite files and a real PostgreSQL cluster.

The fixtures live in tests/fixtures/{postgres,hq}.py and are registered by the root conftest.
"""

from __future__ import annotations

import pytest

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def hq(hq_factory, backend):  # type: ignore[no-untyped-def]
    """An HQ server on each backend in turn."""
    return hq_factory(backend)
