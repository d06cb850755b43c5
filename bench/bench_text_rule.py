"""What the text rule (no NUL / control characters / lone surrogates) costs a push, in CPU.

    .venv/bin/python bench/bench_text_rule.py [--events N] [--rounds N]

Builds a push body of N counselling notes (the push benchmark's load: Hindi and English text, ~1 KB
each) and times, per batch, with the same events in the same run:

* ``Event.from_wire`` of every event as HQ parses a push (the rule applies: no ``hq_seq``), against
  the baseline: the same events carrying an ``hq_seq``, which the rule skips;
* the body-level lone-surrogate scan of ``hq.bodylimit.BodyLimit`` on the encoded body, for a body as
  ``httpx`` sends it (UTF-8, fast path) and as an ``ensure_ascii`` encoder with an emoji sends it
  (escapes present: parsed and walked).

Prints the best of ``--rounds`` for each. No asserts on speed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.events import Author, Event, EventType, iso, new_event, utcnow  # noqa: E402
from core.hlc import HybridClock  # noqa: E402
from hq.bodylimit import _lone_surrogate  # noqa: E402

NOTE = (
    "परिवार के साथ बात की, व्यक्ति सुरक्षित है। Spoke with the family;\nthe person is safe and agreed to "
    "meet the counsellor tomorrow.\t"
) * 4


def events(n: int) -> list[dict[str, Any]]:
    clock = HybridClock("bench-device")
    author = Author(str(uuid.uuid4()), "SI Bench Officer")
    case_id = str(uuid.uuid4())
    return [
        new_event(
            case_id=case_id,
            type=EventType.COUNSELLING_NOTE,
            payload={"officer_name": "SI Bench", "officer_rank": "SI", "text": NOTE, "follow_up_date": iso(utcnow())},
            author=author,
            device_id="bench-device",
            hlc=clock.now(),
        ).to_wire(include_seq=False)
        for _ in range(n)
    ]


def best(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    wire = events(args.events)
    numbered = [e | {"hq_seq": i + 1} for i, e in enumerate(wire)]
    body = {"device_id": "bench-device", "events": wire}
    utf8 = json.dumps(body, ensure_ascii=False).encode()
    last = wire[-1] | {"payload": wire[-1]["payload"] | {"text": "ok 😀"}}
    emoji = json.dumps({"device_id": "bench-device", "events": [*wire[:-1], last]}).encode()
    assert _lone_surrogate(utf8) is None and _lone_surrogate(emoji) is None

    def parse(batch: list[dict[str, Any]]) -> Callable[[], object]:
        return lambda: [Event.from_wire(e) for e in batch]

    # Interleaved, best of each: the machine is shared, so both see the same load.
    base = ruled = float("inf")
    for _ in range(args.rounds):
        base = min(base, best(parse(numbered), 1))
        ruled = min(ruled, best(parse(wire), 1))
    print(f"{args.events} counselling notes, body {len(utf8) / 1024:.0f} KB (UTF-8), best of {args.rounds}")
    print(f"  from_wire, rule skipped (hq_seq set; baseline) {base:8.2f} ms")
    print(f"  from_wire, rule applied (as pushed)            {ruled:8.2f} ms   (+{ruled - base:.2f} ms)")
    fast = best(lambda: _lone_surrogate(utf8), args.rounds)
    slow = best(lambda: _lone_surrogate(emoji), args.rounds)
    print(f"  body scan, UTF-8 body (fast path)              {fast:8.2f} ms")
    print(f"  body scan, escaped body with an emoji          {slow:8.2f} ms")


if __name__ == "__main__":
    main()
