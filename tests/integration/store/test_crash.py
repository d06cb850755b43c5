"""Crash safety: SIGKILL a writer at random moments, reopen, and check nothing committed was lost
and nothing half-written is visible. One store is reused across every kill, so damage would pile up."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from core.fold import fold
from core.store import LocalStore, StoreKey
from core.store.projection import projection_row

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 100
SEED = 20261122
MIN_DELAY_S = 0.01
MAX_DELAY_S = 0.2

# Each query lists violations; all must be empty after every kill.
INVARIANTS = (
    # every case's events arrived together with exactly one created event
    "SELECT case_id FROM events GROUP BY case_id HAVING sum(type = 'created') != 1",
    # every case in the log has its projection row, and every row its events
    "SELECT e.case_id FROM events e LEFT JOIN cases c USING (case_id) WHERE c.case_id IS NULL",
    "SELECT case_id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.case_id)",
    # the outbox counts in the projection match the log
    "SELECT case_id FROM cases c WHERE pending_count != "
    "(SELECT count(*) FROM events e WHERE e.case_id = c.case_id AND e.sync_state = 'pending')",
)


def _check(path: Path, key: bytes, committed: set[str], since_seq: int) -> int:
    """Reopen and verify; returns the largest local_seq checked (later rounds refold only newer cases)."""
    with LocalStore.open(path, key, create=False) as store, store.reader() as r:
        sql = r.connection.exec_driver_sql
        assert sql("PRAGMA integrity_check").scalar() == "ok"
        present = {row[0] for row in sql("SELECT id FROM events")}
        missing = committed - present
        assert not missing, f"{len(missing)} committed events lost"
        for violations in INVARIANTS:
            assert sql(f"SELECT count(*) FROM ({violations})").scalar() == 0, violations
        # the projection of every case written since the last check equals a refold of its events
        touched = [row[0] for row in sql("SELECT DISTINCT case_id FROM events WHERE local_seq > ?", (since_seq,))]
        for case_id in touched:
            events = r.events.for_fold(case_id)
            pending = sum(1 for s in r.events.history(case_id) if s.sync_state == "pending")
            expected = projection_row(fold(case_id, events), pending, 0)
            stored: dict[str, Any] = dict(sql("SELECT * FROM cases WHERE case_id = ?", (case_id,)).mappings().one())
            assert stored == expected, case_id
        return int(sql("SELECT coalesce(max(local_seq), 0) FROM events").scalar())


def _dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_every_commit_and_no_half_transaction(tmp_path: Path) -> None:
    key = StoreKey.ephemeral()
    path = tmp_path / "rakshak.db"
    LocalStore.open(path, key).close()
    env = os.environ | {"RAKSHAK_TEST_KEY": key.hex()}
    rng = random.Random(SEED)
    committed: set[str] = set()
    checked = 0
    kills_during_writes = 0
    # One process imports once and forks a fresh writer per round (see crash_writer.py).
    forker = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), "--fork"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert forker.stdin is not None and forker.stdout is not None
    try:
        for round_no in range(KILLS):
            forker.stdin.write(f"spawn {SEED + round_no}\n")
            forker.stdin.flush()
            ready = forker.stdout.readline().split()
            assert ready[:1] == ["ready"], ready
            pid = int(ready[1])
            time.sleep(rng.uniform(MIN_DELAY_S, MAX_DELAY_S))
            os.kill(pid, signal.SIGKILL)  # no handler, no flush, no atexit
            deadline = time.monotonic() + 10
            while not _dead(pid):
                assert time.monotonic() < deadline, "writer survived SIGKILL"
                time.sleep(0.001)
            forker.stdin.write("sync\n")
            forker.stdin.flush()
            lines = []
            while (line := forker.stdout.readline().strip()) != "synced":
                assert line, "forker died"
                lines.append(line)
            for line in lines:
                committed.update(json.loads(line))
            kills_during_writes += bool(lines)
            checked = _check(path, key, committed, checked)
    finally:
        forker.kill()
        forker.communicate()
    # the whole store, every case, once more
    _check(path, key, committed, 0)
    print(f"{KILLS} kills, {len(committed)} committed events, {kills_during_writes} kills after a commit, "
          f"store {path.stat().st_size / 1e6:.1f} MB")
    assert len(committed) > KILLS  # the writers did commit between kills
    assert kills_during_writes >= KILLS // 4  # and many kills landed after a writer had committed
