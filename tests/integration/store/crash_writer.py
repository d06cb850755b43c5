"""Writer process for the crash test: opens the store and commits forever until killed.

    RAKSHAK_TEST_KEY=<hex> python crash_writer.py STORE_PATH SEED     one writer
    RAKSHAK_TEST_KEY=<hex> python crash_writer.py STORE_PATH --fork   a writer per "spawn SEED" line

After opening the store a writer prints ``ready PID``; after each commit it prints what that commit
wrote, ``{"events": [[event id, case id], ...], "purged": [case id, ...]}``, as one JSON line,
flushed (one ``write`` of less than PIPE_BUF, so a kill never leaves half a line).

``--fork`` pays Python's start-up and imports once: this process only imports, and for each
``spawn SEED`` on stdin forks a child that opens the store itself (nothing of SQLite is shared; the
parent never opens it) and writes until it is SIGKILLed. ``sync`` on stdin is answered with
``synced N`` on stdout (``sync N``), after everything a dead child printed.

Every transaction writes whole cases (a created event and more in the same transaction) or appends
to cases created earlier, so a half-written transaction would show as an event without its case's
created event or a projection row that disagrees with a refold. Imports only the store and the
domain (no test code), to start fast.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import uuid
from pathlib import Path

from core.events import Author, EventType, iso, new_event, utcnow
from core.hlc import HybridClock
from core.store import LocalStore

AUTHOR = Author("u-crash", "Crash Writer")


def created_payload(rng: random.Random) -> dict[str, object]:
    return {
        "kind": rng.choice(["suicide_risk", "tip"]),
        "source": "facebook",
        "upstream_ref": f"ref-{uuid.uuid4().hex}",
        "received_at": iso(utcnow()),
        "priority": rng.randint(1, 4),
        "subject": {"name": f"Person {rng.randint(1, 10**6)}", "post_text": "x" * rng.randint(10, 300)},
        "location": {"text": "Patna"},
    }


def main() -> int:
    path = Path(sys.argv[1])
    if sys.argv[2] != "--fork":
        return write_forever(path, int(sys.argv[2]))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "spawn":
            if os.fork() == 0:
                try:
                    write_forever(path, int(arg))
                finally:
                    os._exit(1)
        elif command == "sync":
            # the leading newline ends a report line a killed child left half-written
            print(f"\nsynced {arg}", flush=True)
    return 0


def write_forever(path: Path, seed: int) -> int:
    rng = random.Random(seed)
    store = LocalStore.open(path, bytes.fromhex(os.environ["RAKSHAK_TEST_KEY"]), create=False)
    with store.reader() as r:
        sql = "SELECT case_id FROM cases WHERE purged = 0"
        known = [str(c) for c in r.connection.exec_driver_sql(sql).scalars()]
        clock = HybridClock(store.device_id, last=r.meta.hlc_last())
    hq = HybridClock("hq", last=clock.now())
    print(f"ready {os.getpid()}", flush=True)
    hq_seq = rng.randint(1, 10**9)
    while True:
        written: list[tuple[str, str]] = []  # (event id, case id)
        new_cases: list[str] = []
        purged: list[str] = []
        with store.unit_of_work() as uow:
            for _ in range(rng.randint(1, 8)):
                roll = rng.random()
                if not known or roll < 0.35:
                    case_id = str(uuid.uuid4())
                    first = new_event(
                        case_id=case_id, type=EventType.CREATED, payload=created_payload(rng),
                        author=AUTHOR, device_id=clock.node, hlc=clock.now(),
                    )
                    then = new_event(
                        case_id=case_id, type=EventType.ESCALATED, payload={"reason": "crash test"},
                        author=AUTHOR, device_id=clock.node, hlc=clock.now(),
                    )
                    uow.events.append_local(first)
                    uow.events.append_local(then)
                    written += [(first.id, case_id), (then.id, case_id)]
                    new_cases.append(case_id)
                elif roll < 0.45:
                    # a page from "HQ": another device's new case, already numbered
                    case_id = str(uuid.uuid4())
                    hq_seq += 1
                    remote = new_event(
                        case_id=case_id, type=EventType.CREATED, payload=created_payload(rng),
                        author=AUTHOR, device_id="hq", hlc=hq.now(),
                    ).with_seq(hq_seq)
                    uow.events.apply_remote([remote])
                    written.append((remote.id, case_id))
                    new_cases.append(case_id)
                elif roll < 0.55:
                    for event in uow.outbox.pending(limit=3):
                        hq_seq += 1
                        uow.outbox.mark_accepted(event.id, hq_seq)
                elif roll < 0.58:
                    # HQ revokes a case: its personal data must go in the same transaction
                    case_id = known.pop(rng.randrange(len(known)))
                    uow.cases.purge(case_id)
                    purged.append(case_id)
                elif roll < 0.63:
                    uow.drafts.save(rng.choice(known), "outcome", {"detail": "d" * rng.randint(1, 400)})
                else:
                    case_id = rng.choice(known)
                    etype = rng.choice([EventType.ACKNOWLEDGED, EventType.COUNSELLING_NOTE, EventType.ESCALATED])
                    payload: dict[str, object] = {
                        EventType.ACKNOWLEDGED: {},
                        EventType.COUNSELLING_NOTE: {"officer_name": "SI", "officer_rank": "SI", "text": "n" * 100},
                        EventType.ESCALATED: {"reason": "again"},
                    }[etype]
                    event = new_event(
                        case_id=case_id, type=etype, payload=payload,
                        author=AUTHOR, device_id=clock.node, hlc=clock.now(),
                    )
                    uow.events.append_local(event)
                    written.append((event.id, case_id))
            uow.meta.cursor = hq_seq
            uow.commit()
        known += new_cases
        print(json.dumps({"events": written, "purged": purged}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
