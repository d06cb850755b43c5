"""``python -m hq backup FILE`` and ``python -m hq restore FILE`` (``rakshak-hq backup`` on an installed HQ).

One pair of commands for both databases HQ runs on:

- PostgreSQL: ``pg_dump --format=custom`` (consistent while HQ serves) and ``pg_restore --clean
  --if-exists --single-transaction`` (HQ stopped), run as the HQ's own database role, so nothing needs
  the ``postgres`` superuser. The dump holds no ownership or grants (``--no-owner --no-privileges``):
  it restores into any database the HQ role owns.
- Embedded SQLite: SQLite's online backup API, and a file copy for the restore (``hq.admin``).

A restore always ends with a new epoch: every console then pulls again from the start and hands back
what HQ lost (docs/SYNC.md, "Restore from backup"). The signing key is never in a backup.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

# Where the installed HQ's configuration names its database (/etc/rakshak-hq/hq.env); the command line wins.
DB_ENV = "RAKSHAK_HQ_DB"
DATA_DIR_ENV = "RAKSHAK_HQ_DATA_DIR"


class BackupError(Exception):
    pass


def add_commands(sub: Any, add_db_args: Any) -> None:
    """Add ``backup`` and ``restore`` to HQ's top-level command parser."""
    p = sub.add_parser("backup", help="consistent online backup: pg_dump (PostgreSQL) or SQLite's backup API")
    add_db_args(p)
    p.add_argument("file", type=Path, help="the backup file to write (never overwritten)")
    p = sub.add_parser("restore", help="replace HQ's database with a backup and rotate the epoch (HQ stopped)")
    add_db_args(p)
    p.add_argument("file", type=Path, help="a file written by `backup`")


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as pg_dump and pg_restore read it (no ``+driver`` in the scheme)."""
    parsed = make_url(url)
    return url.replace(f"{parsed.drivername}://", "postgresql://", 1)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return path


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed (exit {proc.returncode}): {proc.stderr.strip()}")


def backup(url: str, target: Path) -> dict[str, Any]:
    """Write a consistent copy of HQ's database to ``target`` (a new file); returns what was written."""
    from hq import admin as ops
    from hq.db import Database

    if target.exists():
        raise BackupError(f"{target} exists; backups are never overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    db = Database(url, pool_size=1)
    try:
        if db.is_postgres:
            kind = "pg_dump"
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(tmp),
                  libpq_url(url)])
        else:
            kind = "sqlite"
            db.migrate()
            ops.backup_sqlite(db, tmp)
    finally:
        db.dispose()
    os.replace(tmp, target)
    return {"file": str(target), "format": kind, "bytes": target.stat().st_size}


def restore(url: str, source: Path) -> dict[str, Any]:
    """Replace HQ's database with ``source`` (HQ must be stopped), migrate it, rotate the epoch."""
    from hq import admin as ops
    from hq.db import Database

    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    db = Database(url, pool_size=1)
    try:
        postgres = db.is_postgres
        sqlite_path = None if postgres else db.engine.url.database
    finally:
        db.dispose()
    if postgres:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--dbname", libpq_url(url), str(source)])
        restored = Database(url, pool_size=1)
        try:
            restored.migrate()  # a backup from before an upgrade gets the newer schema
            epoch = restored.rotate_epoch()
        finally:
            restored.dispose()
    else:
        assert sqlite_path
        epoch = ops.restore_sqlite(source, Path(sqlite_path))
    return {"restored": str(source), "epoch": epoch}


def run(args: argparse.Namespace, db_url: Any) -> int:
    """Run ``backup`` or ``restore``; ``db_url`` turns the parsed ``--db``/``--data-dir`` into a URL."""
    if not args.db and not args.data_dir:
        args.db = os.environ.get(DB_ENV) or None
        args.data_dir = os.environ.get(DATA_DIR_ENV) or None
    url = db_url(args)
    try:
        out = backup(url, args.file) if args.command == "backup" else restore(url, args.file)
    except BackupError as exc:
        print(f"hq {args.command}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(out, indent=2))
    return 0
