"""Point-in-time recovery of HQ's PostgreSQL, as docs/DEPLOY.md prescribes it.

A throwaway cluster of its own runs with continuous WAL archiving (``archive_mode``,
``archive_command``); the test takes a base backup with ``pg_basebackup``, runs HQ (intake, pushes),
notes a time, makes more changes, then restores the base backup plus the archived WAL up to that
time into a new data directory (``restore_command``, ``recovery_target_time``, ``recovery.signal``),
rotates the epoch, starts HQ on it, and HQ serves on: what was committed before the point is there,
what came after is not, and new work goes in.
"""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hq.db import Database
from tests.fixtures.hq import API, HQServer, seed_database
from tests.fixtures.postgres import PG_BIN, PgCluster, free_port
from tests.integration.hq.helpers import ack, note

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ARCHIVE_WAIT_S = 30.0
RECOVERY_WAIT_S = 60.0


def _owned_dir(prefix: str, os_user: str | None) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os_user:
        pw = pwd.getpwnam(os_user)
        os.chown(path, pw.pw_uid, pw.pw_gid)
    return path


@pytest.fixture
def archiving_cluster() -> Iterator[tuple[PgCluster, Path]]:
    """A cluster with WAL archiving on (DEPLOY.md's settings; fsync off as in every test cluster)."""
    os_user = "postgres" if os.geteuid() == 0 else None
    archive = _owned_dir("rakshak-walarchive-", os_user)
    cluster = PgCluster.start(
        max_connections=60,
        extra=(
            "-c wal_level=replica",
            "-c archive_mode=on",
            f"-c archive_command='test ! -f {archive}/%f && cp %p {archive}/%f'",
            "-c full_page_writes=on",
        ),
    )
    try:
        yield cluster, archive
    finally:
        try:
            cluster.stop()
        except RuntimeError:
            pass  # the test stopped it already (the primary is gone before the restore)
        shutil.rmtree(archive, ignore_errors=True)


def _wait_archived(cluster: PgCluster, archive: Path) -> None:
    """Close the current WAL segment and wait until the archiver has copied it."""
    segment = str(cluster.psql("SELECT pg_walfile_name(pg_switch_wal())")[0][0])
    deadline = time.monotonic() + ARCHIVE_WAIT_S
    while not (archive / segment).exists():
        assert time.monotonic() < deadline, f"WAL segment {segment} was not archived"
        time.sleep(0.1)


def _restore_to(cluster: PgCluster, base: Path, archive: Path, target_time: str) -> PgCluster:
    """A new data directory from the base backup, recovered from the archive up to ``target_time``."""
    os_user = "postgres" if os.geteuid() == 0 else None
    root = _owned_dir("rakshak-pitr-", os_user)
    restored = PgCluster(root, free_port(), os_user)
    cluster._run(["cp", "-a", str(base), str(restored.data)])
    restored.sockdir.mkdir()
    if os_user:
        pw = pwd.getpwnam(os_user)
        os.chown(restored.sockdir, pw.pw_uid, pw.pw_gid)
    with open(restored.data / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
        conf.write(
            f"restore_command = 'cp {archive}/%f %p'\n"
            f"recovery_target_time = '{target_time}'\n"
            "recovery_target_action = 'promote'\n"
        )
    (restored.data / "recovery.signal").touch()
    if os_user:
        pw = pwd.getpwnam(os_user)
        for p in (restored.data / "postgresql.auto.conf", restored.data / "recovery.signal"):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    opts = f"-p {restored.port} -k {restored.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
    restored._run(
        [str(PG_BIN / "pg_ctl"), "-D", str(restored.data), "-l", str(restored.log), "-w", "-t", "60", "-o", opts,
         "start"]
    )
    deadline = time.monotonic() + RECOVERY_WAIT_S
    while restored.psql("SELECT pg_is_in_recovery()")[0][0]:
        assert time.monotonic() < deadline, restored.log.read_text(errors="replace")[-3000:]
        time.sleep(0.1)
    return restored


def _accepted(reply: dict[str, object]) -> bool:
    results = reply["results"]
    assert isinstance(results, list)
    return bool(results) and all(r["status"] == "accepted" for r in results)


def test_base_backup_plus_archived_wal_restores_to_a_point_in_time_and_hq_serves_on(
    archiving_cluster: tuple[PgCluster, Path],
) -> None:
    cluster, archive = archiving_cluster
    name = cluster.create_database("rakshak_hq")
    db = Database(cluster.url(name), pool_size=1)
    try:
        key = seed_database(db)
        db.rotate_epoch()
    finally:
        db.dispose()

    base = _owned_dir("rakshak-basebackup-", "postgres" if os.geteuid() == 0 else None) / "base"
    cluster._run(
        [str(PG_BIN / "pg_basebackup"), "-h", str(cluster.sockdir), "-p", str(cluster.port), "-U", "postgres",
         "-D", str(base), "-X", "stream", "-c", "fast"]
    )

    hq = HQServer(backend="postgres", db_url=cluster.url(name), intake_key=key, cluster=cluster)
    hq.start()
    try:
        epoch_before = hq.epoch
        lko = hq.login("demo", device_id="lko-pitr")
        before = hq.intake("LKO")
        assert _accepted(lko.push([ack(lko, before), note(lko, before)]))
        time.sleep(1.1)
        point = str(cluster.psql("SELECT now()")[0][0])
        time.sleep(1.1)
        after = hq.intake("LKO")
        assert _accepted(lko.push([ack(lko, after)]))
        assert _accepted(lko.push([note(lko, before, "written after the point")]))
        _wait_archived(cluster, archive)
    finally:
        hq.close()
    cluster._run([str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), "-m", "fast", "-w", "stop"])

    restored = _restore_to(cluster, base, archive, point)
    try:
        db = Database(restored.url(name), pool_size=1)
        try:
            db.rotate_epoch()  # REQUIRED after every restore (DEPLOY.md): the consoles re-send their work
        finally:
            db.dispose()
        hq2 = HQServer(backend="postgres", db_url=restored.url(name), intake_key=key, cluster=restored)
        hq2.start()
        try:
            assert hq2.epoch != epoch_before
            sup = hq2.login("hq")
            got = sup.http.get(f"{API}/cases/{before}")
            assert got.status_code == 200
            types = [e["type"] for e in got.json()["events"]]
            assert types.count("counselling_note") == 1 and "acknowledged" in types
            assert sup.http.get(f"{API}/cases/{after}").status_code == 404
            # HQ serves on from the restored point: intake, push, pull
            again = hq2.intake("LKO")
            lko2 = hq2.login("demo", device_id="lko-pitr")
            assert _accepted(lko2.push([ack(lko2, again)]))
            items, _cursor = lko2.pull_all()
            pulled = {i["event"]["case_id"] for i in items if i["kind"] == "event"}
            assert {before, again} <= pulled and after not in pulled
            assert httpx.get(f"{hq2.url}{API}/health", timeout=10).status_code == 200
        finally:
            hq2.close()
    finally:
        restored.stop()
        shutil.rmtree(base.parent, ignore_errors=True)
