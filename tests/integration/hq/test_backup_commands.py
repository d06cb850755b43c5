"""``python -m hq backup FILE`` / ``restore FILE`` (what ``rakshak-hq backup``/``restore`` run on an
installed HQ): a change made after the backup is gone after the restore, the epoch is new, and a
backup is never overwritten. Real SQLite files and a real PostgreSQL with pg_dump/pg_restore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hq.db import sqlite_url
from tests.fixtures.hq import ROOT


def hq(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hq", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False, env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> object:
    proc = hq(*args, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else None


def districts(db: str) -> set[str]:
    out = ok("admin", "--db", db, "list-districts")
    assert isinstance(out, list)
    return {d["code"] for d in out}


def epoch(db: str) -> str:
    out = ok("admin", "--db", db, "migrate")
    assert isinstance(out, dict)
    return str(out["epoch"])


def backup_restore_round(db: str, backup: Path, expected_format: str) -> None:
    ok("admin", "--db", db, "create-district", "AGR", "Agra")
    written = ok("backup", "--db", db, str(backup))
    assert isinstance(written, dict) and written["format"] == expected_format and written["bytes"] > 0
    ok("admin", "--db", db, "create-district", "MRT", "Meerut")
    before = epoch(db)
    assert districts(db) == {"AGR", "MRT"}

    again = hq("backup", "--db", db, str(backup))
    assert again.returncode == 1 and "never overwritten" in again.stderr

    restored = ok("restore", "--db", db, str(backup))
    assert isinstance(restored, dict) and restored["epoch"] != before
    assert districts(db) == {"AGR"}
    assert epoch(db) == restored["epoch"]


@pytest.mark.slow
def test_sqlite_backup_and_restore(tmp_path: Path) -> None:
    backup_restore_round(sqlite_url(tmp_path / "hq.sqlite3"), tmp_path / "backups" / "hq.sqlite3", "sqlite")


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_backup_and_restore_with_pg_dump(pg_database: str, tmp_path: Path) -> None:
    backup_restore_round(pg_database, tmp_path / "hq.dump", "pg_dump")
    # A custom-format dump, readable by pg_restore's table of contents.
    listing = subprocess.run(["pg_restore", "--list", str(tmp_path / "hq.dump")], capture_output=True, text=True,
                             check=True)
    assert "TABLE DATA public districts" in listing.stdout


@pytest.mark.slow
def test_database_from_the_installed_configuration(tmp_path: Path) -> None:
    """Without --db/--data-dir the commands use RAKSHAK_HQ_DB / RAKSHAK_HQ_DATA_DIR (hq.env)."""
    import os

    env = {**os.environ, "RAKSHAK_HQ_DB": "", "RAKSHAK_HQ_DATA_DIR": str(tmp_path / "data")}
    ok("admin", "--data-dir", str(tmp_path / "data"), "create-district", "AGR", "Agra")
    written = ok("backup", str(tmp_path / "b.sqlite3"), env=env)
    assert isinstance(written, dict) and written["format"] == "sqlite"
    restored = ok("restore", str(tmp_path / "b.sqlite3"), env=env)
    assert isinstance(restored, dict) and restored["epoch"]
    assert districts(sqlite_url(tmp_path / "data" / "hq.sqlite3")) == {"AGR"}
    missing = hq("restore", str(tmp_path / "none.dump"), env=env)
    assert missing.returncode == 1 and "no such backup file" in missing.stderr
