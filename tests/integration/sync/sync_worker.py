"""A client process for the SIGKILL test: record a note, run a sync cycle, forever.

``python sync_worker.py DATA_DIR CASE_ID`` with the file keyring selected (see file_keyring.py).
Prints ``MADE <event id>`` only after the event's unit of work committed.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from core.events import Author, EventType
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, record
from sync import SyncEngine
from sync.session import Session


def main() -> None:
    data_dir, case_id = Path(sys.argv[1]), sys.argv[2]
    settings = Settings.load(data_dir)
    store = LocalStore.open_in(data_dir)
    session = Session.restore(settings.get("hq_url"), store.device_id, timeout_s=settings.get("http_timeout_s"))
    with store.reader() as uow:
        clock = HybridClock(store.device_id, last=uow.meta.hlc_last())
    engine = SyncEngine(store, session, clock, settings=settings)
    user = session.user
    assert user is not None
    author = Author(user.id, user.display_name)
    while True:
        for _ in range(3):
            payload = {"officer_name": "SI Rao", "officer_rank": "SI", "text": f"call {uuid.uuid4().hex[:8]}"}
            event = record(store, clock, author, case_id, EventType.COUNSELLING_NOTE, payload)
            print(f"MADE {event.id}", flush=True)
        status = engine.run_once()
        print(f"SYNCED pending={status.pending} state={status.state}", flush=True)


if __name__ == "__main__":
    main()
