"""SIGKILL a client process at random moments during sync cycles; then the headless CLI finishes.

Every event the killed processes reported as committed must be in the store (intact) and at HQ
exactly once, and the replica must equal HQ. The CLI (``main.py sync --once/--status``) is exercised
for real on the way.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import keyring
import pytest
from sqlalchemy import text

from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore
from sync import SyncEngine
from sync.session import Session
from tests.fixtures.hq import HQServer
from tests.integration.sync.file_keyring import ENV, FileKeyring
from tests.integration.sync.sync_harness import (
    FAST,
    Workstation,
    add_operator,
    hq_event_table,
    wait_converged,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


def _env(keyring_file: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
        ENV: str(keyring_file),
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
    }


def _cli(data_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "sync", *args],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )


@pytest.mark.slow
def test_sigkill_during_sync_loses_and_doubles_nothing(hq_server: HQServer, tmp_path: Path) -> None:
    keyring_file = tmp_path / "keyring.json"
    keyring.set_keyring(FileKeyring(keyring_file))  # shared with the child processes
    env = _env(keyring_file)
    data_dir = tmp_path / "client"
    data_dir.mkdir()
    settings = Settings.load(data_dir)
    for name, value in {**FAST, "hq_url": hq_server.url}.items():
        settings.set(name, value)
    settings.save()

    # Not configured yet / not logged in: the CLI says so with its own exit codes.
    assert _cli(tmp_path / "empty", env, "--once").returncode == 2
    store = LocalStore.open_in(data_dir)
    device_id = store.device_id
    store.close()
    assert _cli(data_dir, env, "--once").returncode == 3

    session = Session(hq_server.url, device_id)
    session.login(hq_server.url, "demo", "demo-password", device_id, "console under test")
    session.close()
    case_id = hq_server.intake("LKO")
    first = _cli(data_dir, env, "--once")
    assert first.returncode == 0, first.stdout + first.stderr
    assert json.loads(first.stdout)["cursor"] > 0

    add_operator(hq_server, "demo2")
    other = Workstation.create(tmp_path / "other", hq_server.url, "demo2")  # a second console, never killed
    rng = random.Random(os.getpid())
    made: list[str] = []
    try:
        wait_until(lambda: other.has_case(case_id), 15, "case at the other console")
        for _ in range(6):
            worker = subprocess.Popen(
                [sys.executable, str(HERE / "sync_worker.py"), str(data_dir), case_id],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            )
            lines: list[str] = []
            reader = threading.Thread(target=lambda w=worker, out=lines: out.extend(w.stdout), daemon=True)
            reader.start()
            # Start-up takes ~0.7 s on an idle machine and several on a loaded one: wait for the first
            # commit, then kill somewhere inside the cycles.
            wait_until(lambda out=lines: any(x.startswith("MADE ") for x in out), 60, "the worker's first commit")
            time.sleep(rng.uniform(0.0, 1.5))
            other.note(case_id, "from the console that stays up")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
            reader.join(timeout=30)
            assert worker.stdout is not None and worker.stderr is not None
            worker.stdout.close()
            err = worker.stderr.read()
            worker.stderr.close()
            assert worker.returncode == -signal.SIGKILL, err
            made += [line.split()[1] for line in lines if line.startswith("MADE ")]
        assert len(made) >= 6, "the workers never got to write"

        for _ in range(5):
            done = _cli(data_dir, env, "--once")
            if done.returncode == 0:
                break
        assert done.returncode == 0, done.stdout + done.stderr
        status = json.loads(_cli(data_dir, env, "--status").stdout)
        assert status["pending"] == 0 and status["rejected"] == 0 and status["epoch"] == hq_server.epoch

        store = LocalStore.open_in(data_dir)
        try:
            with store.reader() as uow:
                assert uow.connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                mine = {s.event.id for s in uow.events.history(case_id)}
                own = {s.event.id for s in uow.events.history(case_id) if s.event.device_id == device_id}
            hq = hq_event_table(hq_server)
            assert set(made) <= mine, f"committed but lost: {set(made) - mine}"
            assert own <= set(hq) and mine == set(hq)
            # Replica equals HQ's, seq for seq: reuse the engine-level check with a workstation view.
            clock = HybridClock(device_id)
            check = SyncEngine(store, Session.restore(hq_server.url, device_id), clock, settings=Settings(FAST))
            assert check.run_once().pending == 0
        finally:
            store.close()
        wait_converged(hq_server, other)
    finally:
        other.close()
