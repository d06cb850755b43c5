"""Schemathesis over HQ's OpenAPI, against a real HQ on loopback: no 5xx, responses match the schema.

Bounded (``MAX_EXAMPLES`` per operation) so it stays a couple of minutes at most per backend. Requests carry an
HQ operator's token (the role that may call most endpoints), so fuzzing reaches past authentication.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from hq.api import create_app
from hq.db import Database, sqlite_url
from tests.fixtures.hq import HQServer, Template
from tests.fixtures.postgres import PgCluster

MAX_EXAMPLES = 25
schema = schemathesis.openapi.from_dict(create_app().openapi())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


class FuzzTarget:
    def __init__(self, server: HQServer, headers: dict[str, str]):
        self.server = server
        self.headers = headers


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzz_target(request: pytest.FixtureRequest) -> Iterator[FuzzTarget]:
    """One HQ per backend for the module. On PostgreSQL, text HQ cannot store (a NUL) must be refused
    with 422 before it reaches the database; SQLite would store it silently."""
    workdir = Path(tempfile.mkdtemp(prefix="rakshak-fuzz-"))
    cluster: PgCluster | None = None
    if request.param == "sqlite":
        template: Template = request.getfixturevalue("hq_sqlite_template")
        path = workdir / "hq.sqlite3"
        shutil.copyfile(template.location, path)
        url = sqlite_url(path)
    else:
        template = request.getfixturevalue("hq_pg_template")
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.url(cluster.create_database(f"hq_fuzz_{uuid.uuid4().hex[:12]}", template=template.location))
    db = Database(url, pool_size=1)
    db.rotate_epoch()
    db.dispose()
    server = HQServer(backend=request.param, db_url=url, intake_key=template.intake_key, workdir=workdir)
    server.start()
    try:
        server.intake("LKO")
        client = server.login("hq", device_id="fuzz-device")
        yield FuzzTarget(server, {"Authorization": f"Bearer {client.session['access_token']}"})
    finally:
        server.close()
        if cluster is not None:
            cluster.drop_database(url.rsplit("/", 1)[1])


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_openapi_conformance(case: Any, fuzz_target: FuzzTarget) -> None:
    # A valid long-poll holds for ``wait`` seconds by design (tests/integration/sync covers it); here
    # its input checks are what is fuzzed, so a held pull is cut to a second.
    query = case.query if isinstance(case.query, dict) else None
    if case.operation.path.endswith("/sync/pull") and query is not None:
        wait = query.get("wait")
        if isinstance(wait, int | float) and not isinstance(wait, bool) and wait > 1:
            query["wait"] = 1
    case.call_and_validate(base_url=fuzz_target.server.url, headers=fuzz_target.headers, checks=CHECKS, timeout=30)
