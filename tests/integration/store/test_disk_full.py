"""A full disk never misleads: the caller is never told "not saved" for an event that is then stored.

Each run puts the data folder on a tmpfs of its own, lets ``disk_full_writer.py`` (a subprocess)
record notes until the disk is full (``shm``: at the edge where SQLite must grow the WAL index;
``plain``: wherever the disk runs out), frees the space, lets the writer settle its unknown outcomes,
SIGKILLs it, and reopens the store: ``integrity_check`` is ok, every note the caller was told is
saved is there, none it was told is not saved is there, and every stored event waits in the outbox.
Mounting needs root; without it the test is skipped.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.store import LocalStore, StoreKey
from tests.integration.store.test_crash import Lines

WRITER = Path(__file__).with_name("disk_full_writer.py")
ROOT = Path(__file__).resolve().parents[3]
SEED = 20261129
SHM_MIN_RUNS = 6
SHM_MAX_RUNS = 24
SHM_EDGES = 3  # runs whose disk ran out exactly at the -shm growth
PLAIN_RUNS = 6
SHM_FS = "48m"  # the WAL must pass 16.7 MB (4,062 frames) to reach the -shm edge; room to checkpoint it once freed
PLAIN_FS = "3m"


def _run(data_dir: Path, seed: int, mode: str, slack: int) -> tuple[dict[str, str], list[str], dict[str, int]]:
    """One writer run, checked after kill and reopen.

    Returns token -> what the caller was first told, each note's cause of failure (``None`` when
    saved), and the store files' sizes.
    """
    for p in data_dir.iterdir():
        p.unlink()
    key = StoreKey.ephemeral()
    env = os.environ | {"RAKSHAK_TEST_KEY": key.hex(), "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir), str(seed), mode, str(slack)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    told: dict[str, str] = {}
    first: dict[str, str] = {}
    causes: list[str] = []
    try:
        assert writer.stdout is not None and writer.stdin is not None
        lines = Lines(writer.stdout)
        while "done" not in (msg := json.loads(lines.next(timeout_s=120))):
            if "token" in msg:
                first[msg["token"]] = told[msg["token"]] = msg["told"]
                causes.append(str(msg.get("cause")))
        (data_dir / "filler").unlink()  # the IT cell frees space
        writer.stdin.write("resolve\n")
        writer.stdin.flush()
        while "token" in (msg := json.loads(lines.next(timeout_s=60))):
            told[msg["token"]] = msg["told"]
            assert first[msg["token"]] == "unknown", msg
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        for stream in (writer.stdin, writer.stdout):
            if stream is not None:
                stream.close()

    sizes = {p.name: p.stat().st_size for p in data_dir.iterdir()}
    print(mode, slack, sorted(first.values()), sorted(told.values()), sizes, causes)
    with LocalStore.open(data_dir / "rakshak.db", key, create=False) as store, store.reader() as r:
        sql = r.connection.exec_driver_sql
        assert sql("PRAGMA integrity_check").scalar() == "ok"
        texts = [row[0] for row in sql("SELECT payload FROM events WHERE type = 'counselling_note'")]
        stored = {tok for tok in told if any(tok in text for text in texts)}
        ids = {row[0] for row in sql("SELECT id FROM events")}
        outbox = {e.id for e in r.outbox.pending(limit=100_000)}
    lied = {tok for tok, what in told.items() if what == "not_saved"} & stored
    assert not lied, f"{mode} slack={slack}: told 'not saved' but stored: {lied}"
    lost = {tok for tok, what in told.items() if what == "saved"} - stored
    assert not lost, f"{mode} slack={slack}: told 'saved' but not stored: {lost}"
    assert outbox == ids  # every event (all recorded here) waits to go to HQ
    return first, causes, sizes


def _edge_class(causes: list[str], sizes: dict[str, int]) -> str:
    """Where a shm run's disk ran out: at the -shm growth (``edge``), before it (``short``), after it (``over``)."""
    if any(c.startswith("outcome_unknown") for c in causes):
        return "edge"  # a commit's frames were in the WAL when growing -shm failed
    return "over" if sizes.get("rakshak.db-shm", 0) > 32 * 1024 else "short"


@pytest.mark.slow
def test_full_disk_at_the_shm_edge_and_elsewhere_never_says_not_saved_for_a_stored_event(small_fs) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    data_dir = small_fs(SHM_FS)
    # How many bytes one note's commit writes varies with the B-tree's page splits (the ids are
    # random), so a fixed slack reaches the -shm growth itself in some runs only. The slack moves
    # towards the edge: a run that ran out before it gets more, one that grew -shm gets less.
    slack, edges, runs = 48 * 1024, 0, 0
    while runs < SHM_MIN_RUNS or (edges < SHM_EDGES and runs < SHM_MAX_RUNS):
        first, causes, sizes = _run(data_dir, SEED + runs, "shm", slack + rng.randrange(0, 8 * 1024))
        runs += 1
        assert "saved" in first.values()
        where = _edge_class(causes, sizes)
        print("shm run", runs, slack, where)
        edges += where == "edge"
        slack = max(4096, slack + {"short": 12 * 1024, "over": -12 * 1024, "edge": 0}[where])
    # the edge was really reached: some commits failed after their frames were written
    assert edges >= SHM_EDGES, (edges, runs)
    data_dir = small_fs(PLAIN_FS)
    for i in range(PLAIN_RUNS):
        first, _, _ = _run(data_dir, SEED + 100 + i, "plain", rng.randrange(0, 1536 * 1024))
        assert "not_saved" in first.values()
