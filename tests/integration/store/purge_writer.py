"""A revoked case's personal data, written to a store and then purged, for the forensic tests.

    RAKSHAK_TEST_KEY=<hex> python purge_writer.py STORE_PATH [--checkpoint]

As a script: writes the case (and a case that stays), purges the revoked one, and is killed right
after the purge commits: the WAL scrub that follows the commit is replaced by a stop (it prints
``purged`` and sleeps), so the parent's SIGKILL always lands between the commit and the scrub, the
moment a power cut would leave the purged data in the files. ``--checkpoint`` first copies the case
into the database file (the WAL then shadows those pages). Imports only the store and the domain.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from core.events import Author, Event, EventType, iso, new_event, utcnow
from core.hlc import HybridClock
from core.store import LocalStore

REVOKED_CASE = "4b7a1f0e-6c2d-4e55-9a10-7d3e2f1c0b9a"
KEPT_CASE = "9d2e4c6a-1b3f-4a57-8c9e-0f1a2b3c4d5e"
# Each string of the revoked case, as stored (payload JSON keeps non-ASCII as UTF-8) and case-folded
# (the search text). The name is in Bengali, a script nothing else in the store uses: the trigram
# index stores each term after the bytes it shares with the term before it on the page, and the
# first of the name's terms in byte order, "জিন", follows a term of another script, so at least
# its last two characters, "িন" (6 bytes), stand in the index's pages as they are.
NAME = "জিনাত পারভীন"
PHONE_1 = "+919811172635"
PHONE_2 = "+917004418293"
POST = "Mujhe maaf karna, ab aur nahin. अलविदा सबको, कल सुबह गंगा घाट पर"
LOCATION = "Phulwari Sharif, gali number 7"
NOTE = "Counselled mother Rukhsana; Zeenat agreed to see Dr. Verma on Monday"
DRAFT = "Zeenat was found at Gandhi Setu by constable Mahto"
INDEX_TERM = "িন"
PERSONAL = tuple(
    dict.fromkeys(
        (NAME, PHONE_1, PHONE_2, POST, POST.casefold(), LOCATION, LOCATION.casefold(), NOTE, DRAFT, INDEX_TERM)
    )
)
KEPT_NAME = "Ravindra Paswan"

# The post is long enough to need overflow pages (freed, so zeroed, when the events go).
LONG_POST = (POST + " ") * 40
AUTHOR = Author("u-district", "Insp. Meena")


def _created(name: str, phones: list[str], post: str, location: str) -> dict[str, Any]:
    return {
        "kind": "suicide_risk",
        "source": "facebook",
        "upstream_ref": "meta-7781",
        "received_at": iso(utcnow()),
        "priority": 1,
        "subject": {"name": name, "phones": phones, "post_text": post},
        "location": {"text": location},
        "district": "Patna",
        "police_station": "Phulwari",
        "summary": "Post expressing intent",
    }


def write_cases(store: LocalStore) -> None:
    """The revoked case lives a while at the district: from HQ, acknowledged, a counselling note
    accepted by HQ, a draft of the outcome form; several commits, so several images of its pages."""
    hq = HybridClock("hq")

    def event(clock: HybridClock, case_id: str, etype: EventType, payload: dict[str, Any]) -> Event:
        return new_event(
            case_id=case_id, type=etype, payload=payload, author=AUTHOR, device_id=clock.node, hlc=clock.now()
        )

    created = event(hq, REVOKED_CASE, EventType.CREATED, _created(NAME, [PHONE_1, PHONE_2], LONG_POST, LOCATION))
    kept = event(hq, KEPT_CASE, EventType.CREATED, _created(KEPT_NAME, ["+919900000001"], "kuch nahin", "Danapur"))
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created.with_seq(1), kept.with_seq(2)])
        uow.commit()
    here = HybridClock(store.device_id, last=created.hlc)
    ack = event(here, REVOKED_CASE, EventType.ACKNOWLEDGED, {})
    note_payload = {"officer_name": "SI Meena", "officer_rank": "SI", "text": NOTE}
    note = event(here, REVOKED_CASE, EventType.COUNSELLING_NOTE, note_payload)
    for e in (ack, note):
        with store.unit_of_work() as uow:
            uow.events.append_local(e)
            uow.commit()
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted(ack.id, 3)
        uow.outbox.mark_accepted(note.id, 4)
        uow.drafts.save(REVOKED_CASE, "outcome", {"detail": DRAFT})
        uow.commit()


def checkpoint(store: LocalStore) -> None:
    """Copy everything into the database file now (as an autocheckpoint would)."""
    with store.reader() as r:
        r.connection.rollback()
        row = r.connection.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()  # type: ignore[union-attr]
        assert row[0] == 0, row


def purge(store: LocalStore) -> None:
    with store.unit_of_work() as uow:
        uow.cases.purge(REVOKED_CASE)
        uow.commit()


def main() -> int:
    import core.store.store as store_module

    def stop_before_scrub(_conn: object) -> bool:
        print("purged", flush=True)
        time.sleep(3600)
        return False

    path = Path(sys.argv[1])
    store = LocalStore.open(path, bytes.fromhex(os.environ["RAKSHAK_TEST_KEY"]))
    write_cases(store)
    if "--checkpoint" in sys.argv[2:]:
        checkpoint(store)
    store_module.scrub_wal = stop_before_scrub  # type: ignore[assignment]
    purge(store)
    return 1  # never reached: killed in stop_before_scrub


if __name__ == "__main__":
    sys.exit(main())
