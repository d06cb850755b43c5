"""Writer process for the full-disk test: records operator actions until the disk is full.

    RAKSHAK_TEST_KEY=<hex> python disk_full_writer.py DATA_DIR SEED MODE SLACK_BYTES

DATA_DIR sits on a small filesystem of its own. The writer opens the store there, records a few
cases, then fills the filesystem with a filler file so that SLACK_BYTES stay free, and records
counselling notes through ``core.store.service.record`` (as the UI does) until the disk refuses
several in a row. Each note's text carries a token, so the test can find it after a reopen even when
``record`` raised before the caller learned the event's id.

MODE ``shm``: a reader holds an old snapshot, so no checkpoint can reset the WAL, which grows past
the 4,062 frames the first 32 KiB of the ``-shm`` index covers; the filler is sized so that the disk
runs out around the frame where SQLite must grow ``-shm`` (it writes one byte per 4 KiB page of a
new 32 KiB region, and fails with SQLITE_IOERR_SHMSIZE after the transaction's frames are in the
WAL). The reader lets go before the writer asks ``commit_outcome``, as a finished scan would.
MODE ``plain``: no pinned reader; the disk runs out wherever it does.

For each note it prints one JSON line: ``{"token": t, "told": "saved" | "not_saved" | "unknown",
"cause": ...}``, flushed, after the caller has settled what to tell the operator (for an unknown
outcome, ``LocalStore.commit_outcome``). Then ``done``; on ``resolve`` (stdin, once the test has
freed space) it asks ``commit_outcome`` again for every unknown one and prints the answers with
``"resolved": true``, then ``{"resolved": true}``; then it waits to be killed.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from core.errors import OutcomeUnknown, StoreUnavailable
from core.events import Author, EventType, iso, new_event, utcnow
from core.hlc import HybridClock
from core.store import LocalStore, UnitOfWork
from core.store.service import record

AUTHOR = Author("u-disk", "Disk Writer")
PAGE = 4096
FRAME = PAGE + 24  # a WAL frame: header + page
SHM_FIRST_FRAMES = 4062  # frames indexed by the first 32 KiB region of -shm
CASES = 5
FAILURES_TO_STOP = 6


def created_payload(rng: random.Random) -> dict[str, object]:
    return {
        "kind": "suicide_risk",
        "source": "facebook",
        "upstream_ref": f"ref-{uuid.uuid4().hex}",
        "received_at": iso(utcnow()),
        "priority": 1,
        "subject": {"name": f"Person {rng.randint(1, 10**6)}", "post_text": "x" * 100},
        "location": {"text": "Patna"},
    }


def free_bytes(data_dir: Path) -> int:
    st = os.statvfs(data_dir)
    return st.f_bavail * st.f_frsize


def fill(data_dir: Path, leave: int) -> None:
    """Write a filler file until only ``leave`` bytes are free (in 4 KiB steps, then exactly)."""
    with open(data_dir / "filler", "ab") as fh:
        while (room := free_bytes(data_dir) - leave) > 0:
            try:
                fh.write(b"\0" * min(room, 1 << 20))
                fh.flush()
            except OSError:
                break


unknown: dict[str, str] = {}  # token -> event id of every outcome not settled yet


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main() -> int:
    data_dir, seed, mode, slack = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    rng = random.Random(seed)
    store = LocalStore.open(data_dir / "rakshak.db", bytes.fromhex(os.environ["RAKSHAK_TEST_KEY"]))
    clock = HybridClock(store.device_id)
    cases = seed_cases(store, clock, rng)
    say(cases=cases)

    pinned: list[UnitOfWork] = []
    if mode == "shm":
        reader = store.reader()
        reader.__enter__()
        reader.connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
        pinned.append(reader)
        wal = Path(f"{store.path}-wal")
        target = 32 + (SHM_FIRST_FRAMES - 150) * FRAME
        while wal.stat().st_size < target:  # grow the WAL to ~150 frames short of the -shm edge
            grow(store, clock, rng, min(200, max(1, (target - wal.stat().st_size) // (8 * FRAME))))
        to_edge = 32 + SHM_FIRST_FRAMES * FRAME - wal.stat().st_size
        fill(data_dir, max(0, to_edge + slack))
    else:
        fill(data_dir, slack)
    say(free=free_bytes(data_dir))

    failures = 0
    while failures < FAILURES_TO_STOP:
        told = note(store, clock, rng.choice(cases), rng, report=True, pinned=pinned)
        if told == "saved":
            failures = 0
        else:
            failures += 1
            release(pinned)
    say(done=True)
    # The test frees space, then asks again about every unknown outcome, as the form does when the
    # operator submits again.
    for line in sys.stdin:
        if line.strip() == "resolve":
            for token, event_id in unknown.items():
                told = {True: "saved", False: "not_saved", None: "unknown"}[store.commit_outcome(event_id)]
                say(token=token, told=told, resolved=True)
            say(resolved=True)
    while True:
        time.sleep(1)


def seed_cases(store: LocalStore, clock: HybridClock, rng: random.Random) -> list[str]:
    """``CASES`` new suicide-risk cases, each acknowledged through ``record`` as an operator would."""
    cases: list[str] = []
    with store.unit_of_work() as uow:
        for _ in range(CASES):
            case_id = str(uuid.uuid4())
            uow.events.append_local(
                new_event(case_id=case_id, type=EventType.CREATED, payload=created_payload(rng),
                          author=AUTHOR, device_id=clock.node, hlc=clock.now())
            )
            cases.append(case_id)
        uow.commit()
    for case_id in cases:
        record(store, clock, AUTHOR, case_id, EventType.ACKNOWLEDGED, {})
    return cases


def grow(store: LocalStore, clock: HybridClock, rng: random.Random, n: int) -> None:
    """One transaction of ``n`` new cases with a page-sized post each (fast WAL growth)."""
    with store.unit_of_work() as uow:
        for _ in range(n):
            payload = created_payload(rng)
            payload["subject"] = {"name": "Filler", "post_text": "p" * 3000}
            uow.events.append_local(
                new_event(case_id=str(uuid.uuid4()), type=EventType.CREATED, payload=payload,
                          author=AUTHOR, device_id=clock.node, hlc=clock.now())
            )
        uow.commit()


def release(pinned: list[UnitOfWork]) -> None:
    while pinned:
        pinned.pop().__exit__(None, None, None)


def note(
    store: LocalStore, clock: HybridClock, case_id: str, rng: random.Random, *, report: bool, pinned: list[UnitOfWork]
) -> str:
    token = uuid.uuid4().hex
    text = f"{token} " + "n" * rng.randint(10, 3000)
    payload = {"officer_name": "SI Verma", "officer_rank": "SI", "text": text}
    try:
        record(store, clock, AUTHOR, case_id, EventType.COUNSELLING_NOTE, payload)
        told, cause = "saved", None
    except OutcomeUnknown as exc:
        release(pinned)  # the scan that held the old snapshot ends
        assert exc.event_id is not None
        outcome = store.commit_outcome(exc.event_id)
        told = {True: "saved", False: "not_saved", None: "unknown"}[outcome]
        cause = f"outcome_unknown:{exc.cause}"
        if outcome is None:
            unknown[token] = exc.event_id
    except StoreUnavailable as exc:
        told, cause = "not_saved", str(exc.cause)
    if report:
        say(token=token, told=told, cause=cause)
    return told


if __name__ == "__main__":
    sys.exit(main())
