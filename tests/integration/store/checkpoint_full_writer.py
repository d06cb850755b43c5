"""Writer process for the checkpoint-on-a-full-disk test.

    RAKSHAK_TEST_KEY=<hex> python checkpoint_full_writer.py DATA_DIR SEED SLACK_BYTES

A reader pins an old snapshot while the writer records enough new cases to grow the WAL well past
what the database file holds (every new case is a new page, so checkpointing them must grow the
file). The reader lets go, the filesystem is filled until SLACK_BYTES stay free, and then the
checkpoint SQLite runs by itself after a commit (a PASSIVE one, as ``wal_autocheckpoint`` does) is
run directly: it runs out of space part-way when SLACK_BYTES is less than the pages it must copy.
Then a few more notes are recorded, as an operator would, each reported as in disk_full_writer.py.
It prints ``{"cases": [...]}``, ``{"grown": n}``, ``{"checkpoint": ...}``, the notes, ``{"done": true}``
and waits to be killed.
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from pathlib import Path

from core.events import EventType, new_event
from core.hlc import HybridClock
from core.store import LocalStore
from tests.integration.store.disk_full_writer import AUTHOR, created_payload, fill, note, say, seed_cases

GROW_BATCHES = 4
GROW_BATCH_CASES = 100  # 400 new cases: a WAL of a few MB, short of the -shm edge
NOTES_AFTER = 4


def main() -> int:
    data_dir, seed, slack = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    store = LocalStore.open(data_dir / "rakshak.db", bytes.fromhex(os.environ["RAKSHAK_TEST_KEY"]))
    clock = HybridClock(store.device_id)
    cases = seed_cases(store, clock, rng)
    say(cases=cases)

    reader = store.reader()
    reader.__enter__()
    reader.connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
    grown = 0
    for _ in range(GROW_BATCHES):
        with store.unit_of_work() as uow:
            for _ in range(GROW_BATCH_CASES):
                payload = created_payload(rng)
                payload["subject"] = {"name": "Filler", "post_text": "p" * 1000}
                uow.events.append_local(
                    new_event(case_id=str(uuid.uuid4()), type=EventType.CREATED, payload=payload,
                              author=AUTHOR, device_id=clock.node, hlc=clock.now())
                )
            uow.commit()
        grown += GROW_BATCH_CASES
    reader.__exit__(None, None, None)
    say(grown=grown, wal=Path(f"{store.path}-wal").stat().st_size, db=store.path.stat().st_size)

    fill(data_dir, slack)
    raw = store._engine.raw_connection()  # the checkpoint SQLite itself would run
    try:
        cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            result = list(cur.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
        except Exception as exc:  # the checkpoint failing is what this run is about
            result = [f"{type(exc).__name__}: {exc}"]
        finally:
            cur.close()
    finally:
        raw.close()
    say(checkpoint=result, db=store.path.stat().st_size)

    for _ in range(NOTES_AFTER):
        note(store, clock, rng.choice(cases), rng, report=True, pinned=[])
    say(done=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
