"""HQ's event signatures (hq/signing.py): what signing and verifying cost per event, and what the
signature adds to an event on the wire. One run, own baseline.

    .venv/bin/python bench/bench_signing.py [--events N]

Baseline: ``Event.content_key()`` alone (what HQ computes for every stored event anyway). Signing is
paid at intake and assignment (two events per case); verifying only when a restored HQ is repaired.
Prints microseconds per event (median of 5 runs) and the bytes of the wire form with and without it.
No asserts on speed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.events import Author, EventType, Tier, new_event
from core.hlc import HybridClock
from hq import signing

PAYLOAD = {
    "kind": "suicide_risk",
    "source": "facebook",
    "upstream_ref": "meta-123456789",
    "received_at": "2026-11-29T10:00:00.000Z",
    "priority": 1,
    "subject": {"name": "Ravi Kumar", "phones": ["+919800000001"], "post_text": "अब और नहीं सहा जाता"},
    "location": {"text": "Kankarbagh, Patna"},
    "summary": "Post indicates intent to self-harm tonight",
}


def _per_event_us(fn, items, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        times.append((time.perf_counter() - t0) / len(items) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    clock = HybridClock("hq")
    author = Author("intake", "Meta integration", Tier.HQ)
    events = [
        new_event(case_id=str(uuid.uuid4()), type=EventType.CREATED, payload=PAYLOAD, author=author,
                  device_id="hq", hlc=clock.now())
        for _ in range(args.events)
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "hq.pem"
        signing.generate(key)
        keys = signing.load(key, None)
    signed = [dataclasses.replace(e, signature=keys.sign(e)) for e in events]
    base = _per_event_us(lambda e: e.content_key(), events)
    sign = _per_event_us(keys.sign, events)
    verify = _per_event_us(keys.verify, signed)
    plain = statistics.mean(len(json.dumps(e.with_seq(1).to_wire())) for e in events)
    with_sig = statistics.mean(len(json.dumps(e.with_seq(1).to_wire())) for e in signed)
    print(f"events: {args.events}")
    print(f"baseline content_key : {base:8.1f} us/event")
    print(f"sign (incl. key)     : {sign:8.1f} us/event  ({sign / base:.1f}x baseline)")
    print(f"verify (incl. key)   : {verify:8.1f} us/event  ({verify / base:.1f}x baseline)")
    print(f"wire bytes per event : {plain:8.0f} unsigned, {with_sig:.0f} signed (+{with_sig - plain:.0f})")


if __name__ == "__main__":
    main()
