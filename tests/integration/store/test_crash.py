"""Crash safety: SIGKILL a writer at random moments, reopen, and check nothing committed was lost
and nothing half-written is visible. One store is reused across every kill, so damage would pile up."""

from __future__ import annotations

import json
import os
import random
import select
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
MAX_DELAY_S = 0.12

# Each query lists violations; all must be empty after every kill.
INVARIANTS = (
    # every live case's events arrived together with exactly one created event
    "SELECT case_id FROM events WHERE case_id NOT IN (SELECT case_id FROM cases WHERE purged = 1) "
    "GROUP BY case_id HAVING sum(type = 'created') != 1",
    # every case in the log has its projection row, and every live row its events
    "SELECT e.case_id FROM events e LEFT JOIN cases c USING (case_id) WHERE c.case_id IS NULL",
    "SELECT case_id FROM cases c WHERE purged = 0 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.case_id)",
    # the outbox counts in the projection match the log
    "SELECT case_id FROM cases c WHERE pending_count != "
    "(SELECT count(*) FROM events e WHERE e.case_id = c.case_id AND e.sync_state = 'pending')",
    # a revoked case keeps nothing personal: no field, no state, no draft, only pending own events
    "SELECT case_id FROM cases WHERE purged = 1 AND (search_text IS NOT NULL OR subject_name IS NOT NULL "
    "OR summary IS NOT NULL OR state_json != '{}')",
    "SELECT d.case_id FROM drafts d JOIN cases c USING (case_id) WHERE c.purged = 1",
    "SELECT e.id FROM events e JOIN cases c USING (case_id) WHERE c.purged = 1 AND e.sync_state != 'pending'",
)


def _check(path: Path, key: bytes, committed: dict[str, str], purged: set[str], since_seq: int) -> int:
    """Reopen and verify; returns the largest local_seq checked (later rounds refold only newer cases)."""
    with LocalStore.open(path, key, create=False) as store, store.reader() as r:
        sql = r.connection.exec_driver_sql
        assert sql("PRAGMA integrity_check").scalar() == "ok"
        present = {row[0] for row in sql("SELECT id FROM events")}
        tombstones = {row[0] for row in sql("SELECT case_id FROM cases WHERE purged = 1")}
        assert purged <= tombstones  # every reported revoke holds
        # (a revoke may also have committed just before a kill, unreported: its tombstone says so)
        missing = {e for e, case in committed.items() if case not in tombstones} - present
        assert not missing, f"{len(missing)} committed events lost"
        for violations in INVARIANTS:
            assert sql(f"SELECT count(*) FROM ({violations})").scalar() == 0, violations
        # the projection of every live case written since the last check equals a refold of its events
        touched = [row[0] for row in sql("SELECT DISTINCT case_id FROM events WHERE local_seq > ?", (since_seq,))]
        for case_id in set(touched) - tombstones:
            events = r.events.for_fold(case_id)
            pending = sum(1 for s in r.events.history(case_id) if s.sync_state == "pending")
            expected = projection_row(fold(case_id, events), pending, 0)
            stored: dict[str, Any] = dict(sql("SELECT * FROM cases WHERE case_id = ?", (case_id,)).mappings().one())
            assert stored == expected, case_id
        return int(sql("SELECT coalesce(max(local_seq), 0) FROM events").scalar())


class Lines:
    """Lines from the forker's stdout, with a deadline instead of a blocking readline."""

    def __init__(self, stream: Any):
        self._fd = stream.fileno()
        self._buf = b""

    def next(self, timeout_s: float = 30.0) -> str:
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._fd], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"no line from the writer in {timeout_s} s (partial: {self._buf[-200:]!r})")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise AssertionError(f"the forker closed its output (partial: {self._buf[-200:]!r})")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line.decode()


def _child_of(pid: int, parent: int) -> bool:
    """Whether ``pid`` is alive and still the forker's child (never signal a reused pid)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return fields[0] != "Z" and int(fields[1]) == parent


def _sync(forker: subprocess.Popen[str], output: Lines, round_no: int) -> list[str]:
    """Everything the killed writer printed, up to the forker's ``synced N`` barrier.

    A writer killed mid-``print`` can leave its last report line without its newline; the forker's
    answer therefore starts with a newline, so the barrier is always a line of its own (without it,
    ``synced`` was glued to the cut line and never recognised: a one-in-four flake). The barrier is
    numbered, so asking again after a silence is safe: a late answer to an earlier request is skipped.
    """
    assert forker.stdin is not None
    lines: list[str] = []
    for _attempt in range(4):
        forker.stdin.write(f"sync {round_no}\n")
        forker.stdin.flush()
        try:
            while (line := output.next(timeout_s=10.0).strip()) != f"synced {round_no}":
                if line and not line.startswith("synced "):
                    lines.append(line)
            return lines
        except AssertionError as exc:
            if "closed its output" in str(exc):
                raise
            try:
                state = Path(f"/proc/{forker.pid}/status").read_text().splitlines()[2]
            except (OSError, IndexError) as err:
                state = repr(err)
            print(f"round {round_no}: no 'synced' from the forker in 10 s ({state}); asking again")
    raise AssertionError(f"round {round_no}: the forker never answered 'sync'")


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_every_commit_and_no_half_transaction(tmp_path: Path) -> None:
    key = StoreKey.ephemeral()
    path = tmp_path / "rakshak.db"
    LocalStore.open(path, key).close()
    env = os.environ | {"RAKSHAK_TEST_KEY": key.hex()}
    rng = random.Random(SEED)
    committed: dict[str, str] = {}  # event id -> case id, for every event a writer reported committed
    purged: set[str] = set()
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
    assert forker.stdout is not None
    output = Lines(forker.stdout)
    pid = 0
    assert forker.stdin is not None and forker.stdout is not None
    try:
        for round_no in range(KILLS):
            forker.stdin.write(f"spawn {SEED + round_no}\n")
            forker.stdin.flush()
            ready = output.next().split()
            while not ready or ready[:1] == ["synced"]:  # blank or a late answer to a repeated "sync"
                ready = output.next().split()
            assert ready[:1] == ["ready"], ready
            pid = int(ready[1])
            time.sleep(rng.uniform(MIN_DELAY_S, MAX_DELAY_S))
            assert _child_of(pid, forker.pid), "the writer died by itself"
            os.kill(pid, signal.SIGKILL)  # no handler, no flush, no atexit
            deadline = time.monotonic() + 10
            while _child_of(pid, forker.pid):
                assert time.monotonic() < deadline, "writer survived SIGKILL"
                time.sleep(0.001)
            lines = _sync(forker, output, round_no)
            for i, line in enumerate(lines):
                try:
                    report = json.loads(line)
                except json.JSONDecodeError:
                    # SIGKILL can cut the writer's last report mid-line: that commit was not reported
                    # (the check only needs every *reported* commit to be present)
                    assert i == len(lines) - 1, f"a report line other than the last is cut: {line!r}"
                    continue
                committed.update((event_id, case_id) for event_id, case_id in report["events"])
                purged.update(report["purged"])
            kills_during_writes += bool(lines)
            checked = _check(path, key, committed, purged, checked)
    finally:
        if pid and _child_of(pid, forker.pid):
            os.kill(pid, signal.SIGKILL)  # a writer left running by a failed round
        forker.kill()
        forker.communicate()
    # the whole store, every case, once more
    _check(path, key, committed, purged, 0)
    print(
        f"{KILLS} kills, {len(committed)} committed events, {len(purged)} revoked cases, "
        f"{kills_during_writes} kills after a commit, store {path.stat().st_size / 1e6:.1f} MB"
    )
    assert len(committed) > KILLS and purged  # the writers did commit (and revoke) between kills
    assert kills_during_writes >= KILLS // 4  # and many kills landed after a writer had committed
