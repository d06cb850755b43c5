"""The identity search: tips sent from a known number through the whole chain (the webhook, HQ on
PostgreSQL, two consoles syncing into SQLCipher replicas, logs at debug level, the HQ API's reads),
then every table, log line and replica searched for the number in any form: digits, with the
country code, E.164, spaced and dashed, an unkeyed SHA-256/SHA-1/MD5 of each, and the WhatsApp
message ids (base64 that holds the number). Zero hits."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from core.events import EventType
from tests.fixtures.hq import API, HQServer
from tests.fixtures.whatsapp_sim import WhatsAppSim, photo_with_gps, voice_note, whatsapp_sim
from tests.integration.sync.sync_harness import Workstation

__all__ = ["whatsapp_sim"]
pytestmark = [pytest.mark.postgres]

NUMBER = "919876543210"
LOCAL = "9876543210"


def number_forms() -> set[str]:
    forms = {NUMBER, LOCAL, "+" + NUMBER, "0" + LOCAL, "+91 " + LOCAL, "+91 98765 43210", "98765 43210",
             "+91-98765-43210", "98765-43210", "91 98765 43210", "(+91) 9876543210", "+91-9876543210"}  # fmt: skip
    hashed = set()
    for f in forms:
        for algo in ("sha256", "sha1", "md5"):
            digest = hashlib.new(algo, f.encode()).hexdigest()
            hashed |= {digest, digest.upper()}
    # base64 of the digits at each of the three alignments (a wamid embeds them this way)
    for pad in range(3):
        encoded = base64.b64encode(b"\x00" * pad + NUMBER.encode()).decode()
        hashed.add(encoded[4 if pad else 0 : -4])
    return forms | hashed


def hits(haystack: bytes, needles: set[str], where: str) -> list[str]:
    return [f"{where}: {n!r}" for n in sorted(needles) if n.encode() in haystack]


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every logger at DEBUG (SQLAlchemy's statements and parameters included) into one file."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    before = root.level
    named = ["hq", "sync", "core", "sqlalchemy.engine", "uvicorn", "uvicorn.access", "uvicorn.error", "urllib3"]
    levels = {n: logging.getLogger(n).level for n in named}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for n in named:
        logging.getLogger(n).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)
        handler.close()


def _replica_dump(ws: Workstation) -> bytes:
    lines: list[str] = []
    with ws.store._engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        for name in names:
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                lines.append(f"{name}: {tuple(row)!r}")
    return "\n".join(lines).encode()


def _wait(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_the_tipsters_number_is_nowhere_police_or_an_operator_can_look(
    whatsapp_sim: WhatsAppSim, hq_factory: Any, debug_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = whatsapp_sim
    monkeypatch.setenv("RAKSHAK_TIPLINE_BUNDLE_MIN", "0.02")  # the second tip must not bundle into the first
    hq: HQServer = hq_factory("postgres")
    wamids: list[str] = []

    def deliver(payload: dict[str, Any], **kw: Any) -> None:
        wamids.extend(m["id"] for e in payload["entry"] for c in e["changes"] for m in c["value"].get("messages", []))
        r = sim.post(hq.url, payload, **kw)
        assert r.status_code in (200, 401), r.text

    flow = [
        sim.text(NUMBER, "नमस्ते"), sim.text(NUMBER, "1"), sim.text(NUMBER, "9"),
        sim.text(NUMBER, f"थाने का एक सिपाही पैसे मांगता है, मेरा नंबर {NUMBER[2:5]} नहीं बताना"),
        sim.text(NUMBER, "थाना लंका, वाराणसी"), sim.text(NUMBER, "कल शाम"),
        sim.image(NUMBER, photo_with_gps()), sim.audio(NUMBER, voice_note()),
        sim.text(NUMBER, "0"), sim.text(NUMBER, "1"),
    ]  # fmt: skip
    for p in flow:
        deliver(p)
    sim.wait_sent(10)
    deliver(sim.text(NUMBER, "Hi"), signature="sha256=" + "0" * 64)  # a forged delivery: audited
    deliver(flow[0])  # a redelivery

    vns = Workstation.create(tmp_path / "vns", hq.url, "demo-vns", start=False)
    hq_console = Workstation.create(tmp_path / "hq", hq.url, "hq", start=False)
    try:
        for ws in (vns, hq_console):
            assert ws.engine.run_once().last_error is None
        (case_id,) = vns.cases()
        assert hq_console.has_case(case_id)
        # The relay's send fails once (Meta's error text quotes the number), then succeeds.
        sim.fail_sends = 1
        officer = hq.login("demo-vns")
        r = officer.http.post(f"{API}/tips/{case_id}/questions", json={"text": "Which day of the week?"})
        assert r.status_code == 201, r.text
        sim.wait_sent(11, timeout=30)
        deliver(sim.text(NUMBER, "Every Monday"))
        sim.wait_sent(12, timeout=30)
        # A second tip from the same number: "sent tips before", under the same pseudonym.
        time.sleep(1.5)
        second = [sim.text(NUMBER, "Hello"), sim.text(NUMBER, "2"), sim.text(NUMBER, "4"),
                  sim.text(NUMBER, "Gambling den"), sim.text(NUMBER, "Near the ghat, Varanasi"),
                  sim.text(NUMBER, "Nights"), sim.text(NUMBER, "0"), sim.text(NUMBER, "yes")]  # fmt: skip
        for p in second:
            deliver(p)
        sim.wait_sent(20, timeout=30)
        for ws in (vns, hq_console):
            _wait(lambda ws=ws: ws.engine.run_once().last_error is None and len(ws.cases()) == 2)
        reads: list[bytes] = []
        cases: dict[str, Any] = {}
        for cid in vns.cases():
            case = officer.http.get(f"{API}/cases/{cid}").json()
            cases[cid] = case
            reads.append(json.dumps(case, ensure_ascii=False).encode())
            for e in case["events"]:
                for m in (e["payload"].get("tip") or {}).get("media", []):
                    reads.append(officer.http.get(f"{API}/tips/media/{m['id']}").content)
        reads.append(json.dumps(officer.pull_all()[0], ensure_ascii=False).encode())
        tips_made = [e["payload"]["tip"] for c in cases.values() for e in c["events"] if e["type"] == "created"]
        assert sorted(t["prior_tips"] for t in tips_made) == [0, 1]
        assert len({t["pseudonym"] for t in tips_made}) == 1
        answered = [e for c in cases.values() for e in c["events"] if e["type"] == str(EventType.TIP_ANSWER)]
        assert [a["payload"]["text"] for a in answered] == ["Every Monday"]
        replicas = [_replica_dump(vns), _replica_dump(hq_console)]
    finally:
        vns.close()
        hq_console.close()

    assert hq.cluster is not None
    dump_dir = Path(tempfile.mkdtemp(prefix="rakshak-dump-"))
    hq._dump_dirs.append(dump_dir)
    dump = dump_dir / "hq.sql"
    hq.cluster._tool(["pg_dump", "--format=plain", "--inserts", "-f", str(dump), hq.db_url.rsplit("/", 1)[1]], dump)
    dumped = dump.read_bytes()
    assert b"tip_senders" in dumped and b"Every Monday" in dumped  # the dump holds the tip line's data
    logged = debug_log.read_bytes()
    assert b"tip_inbox" in logged  # SQL statements were logged at debug level

    needles = number_forms() | set(wamids) | {w.removeprefix("wamid.") for w in wamids}
    found = hits(dumped, needles, "pg_dump") + hits(logged, needles, "log")
    found += [h for i, blob in enumerate(replicas) for h in hits(blob, needles, f"replica {i}")]
    found += [h for i, blob in enumerate(reads) for h in hits(blob, needles, f"read {i}")]
    assert found == [], found
    # The relay really did carry everything to this number (the sim saw it; HQ's data does not).
    assert {s["to"] for s in sim.sent} == {NUMBER}
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", sim.texts_to(NUMBER)[9])
