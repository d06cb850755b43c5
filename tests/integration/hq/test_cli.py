"""``python -m hq`` as an operator runs it: admin commands, migrations, TLS serving."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hq.db import Database, sqlite_url
from hq.schema import metadata
from tests.fixtures.hq import ROOT
from tests.fixtures.postgres import free_port


def hq_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hq", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_admin_commands_set_up_a_working_control_room(tmp_path: Path) -> None:
    db = ["--db", sqlite_url(tmp_path / "hq.sqlite3")]
    steps = [
        (["admin", *db, "create-district", "AGR", "Agra", "--duty-phone", "9000000401"], None),
        (["admin", *db, "create-station", "AGR", "TAJ", "Tajganj"], None),
        (["admin", *db, "create-user", "agra1", "--role", "district_operator", "--district", "AGR",
          "--display-name", "Agra Operator", "--password-stdin"], "agra-password-1\n"),
    ]  # fmt: skip
    for args, stdin in steps:
        done = hq_cli(*args, stdin=stdin)
        assert done.returncode == 0, done.stderr
    users = json.loads(hq_cli("admin", *db, "list-users").stdout)
    assert [(u["username"], u["role"], u["district"], u["locked"]) for u in users] == [
        ("agra1", "district_operator", "AGR", False)
    ]
    key = json.loads(hq_cli("admin", *db, "create-key", "meta").stdout)["key"]
    assert key.startswith("rkk_")
    assert "key" not in hq_cli("admin", *db, "list-keys").stdout.replace('"keys"', "")
    refused = hq_cli("admin", *db, "create-user", "x", "--role", "hq_operator", "--display-name", "X",
                     "--district", "AGR", "--password-stdin", stdin="long-enough-pw\n")  # fmt: skip
    assert refused.returncode == 1 and "only district operators" in refused.stderr
    short = hq_cli("admin", *db, "create-user", "y", "--role", "hq_operator", "--display-name", "Y",
                   "--password-stdin", stdin="short\n")  # fmt: skip
    assert short.returncode == 1 and "at least" in short.stderr
    before = json.loads(hq_cli("admin", *db, "migrate").stdout)["epoch"]
    after = json.loads(hq_cli("admin", *db, "rotate-epoch").stdout)["epoch"]
    assert before != after


def test_serve_refuses_plain_http_on_a_network_address_and_sqlite_with_workers(tmp_path: Path) -> None:
    db = ["--db", sqlite_url(tmp_path / "hq.sqlite3")]
    plain = hq_cli("serve", *db, "--host", "0.0.0.0", "--port", str(free_port()))
    assert plain.returncode == 2 and "--tls-cert" in plain.stderr
    workers = hq_cli("serve", *db, "--workers", "2", "--port", str(free_port()))
    assert workers.returncode == 2 and "PostgreSQL" in workers.stderr


@pytest.mark.slow
def test_serve_with_tls(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    pinned = ssl.create_default_context(cafile=str(cert))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hq", "serve", "--db", sqlite_url(tmp_path / "hq.sqlite3"), "--port", str(port),
         "--tls-cert", str(cert), "--tls-key", str(key), "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/api/v1/health", verify=pinned, timeout=2)
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"https://127.0.0.1:{port}/api/v1/health", timeout=2)  # not our CA: refused
    finally:
        proc.terminate()
        proc.wait(20)


def test_migrations_create_exactly_the_declared_schema(backend: str, tmp_path: Path, request) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_url(tmp_path / "m.sqlite3") if backend == "sqlite" else request.getfixturevalue("pg_database")
    db = Database(url, pool_size=1)
    try:
        db.migrate()
        db.migrate()  # idempotent
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        db.dispose()
