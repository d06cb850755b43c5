#!/usr/bin/env python
"""Manual intake's twin check at an HQ console, against a baseline measured in the same run.

    .venv/bin/python bench/bench_intake.py [--cases 100000] [--repeat 21]

An HQ console holds every case, so before it records a new case the intake form looks the alert's
upstream reference up in the replica (``ui.operations.cases.case_with_upstream_ref``), once when the
field is left (reader pool) and again inside the recording transaction (DB worker). Measured on a real
encrypted store seeded with ``--cases`` open cases (tests/e2e/kit.py ``seed_many``, as bench_ui and
bench_store --search):

  * the lookup of a reference that is a case's, and of one that is nobody's (the usual case), against
    the baseline of reading one case by its id (``cases.get``, a primary-key read);
  * recording a new case with the lookup first (``record_intake``'s body: lookup, ``created``,
    ``assigned``, commit) against recording the same two entries without it.

Prints a table of medians; never asserts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_store import median_ms, seeded_store
from core.events import Author, EventType, Tier, iso, utcnow
from core.hlc import HybridClock
from core.store import StoreKey, service
from ui.operations.cases import case_with_upstream_ref

HQ_AUTHOR = Author("hq-bench", "HQ Bench", Tier.HQ)


def created_payload(ref: str) -> dict[str, object]:
    return {
        "kind": "suicide_risk", "source": "manual", "upstream_ref": ref, "received_at": iso(utcnow()),
        "priority": 1, "subject": {"name": "Bench Person", "phones": ["9000000001"]},
        "location": {"text": "Bench location"},
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    key = StoreKey.ephemeral()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="rakshak-bench-intake-") as tmp:
        store, secs = seeded_store(Path(tmp) / "intake.db", key, args.cases)
        print(f"seeded {args.cases:,} cases in {secs:.0f} s", flush=True)
        with store.reader() as r:
            some = r.cases.queue(limit=1, offset=args.cases // 2)[0].case_id
            state = r.cases.projected(some)
            assert state is not None and state.upstream_ref
            known = state.upstream_ref

        def by_id() -> object:
            with store.reader() as r:
                return r.cases.get(some)

        base = median_ms(by_id, args.repeat)
        for label, ref in (("a reference that is a case's", known), ("a reference that is nobody's", "META-NEW-77")):

            def lookup(ref: str = ref) -> object:
                with store.reader() as r:
                    return case_with_upstream_ref(r, ref)

            with store.reader() as r:
                assert (case_with_upstream_ref(r, ref) is not None) == (ref == known)
            ms = median_ms(lookup, args.repeat)
            rows.append((f"lookup: {label}", f"{ms:.1f} ms", f"{base:.2f} ms", f"{ms / base:.0f}x"))

        clock = HybridClock("bench-hq")

        def record(check: bool) -> None:
            case_id, ref = str(uuid.uuid4()), f"META-{uuid.uuid4().hex[:10]}"
            with store.unit_of_work() as uow:
                if check:
                    assert case_with_upstream_ref(uow, ref) is None
                service.record_in(uow, clock, HQ_AUTHOR, case_id, EventType.CREATED, created_payload(ref))
                service.record_in(uow, clock, HQ_AUTHOR, case_id, EventType.ASSIGNED, {"district": "LKO"})
                uow.commit()

        plain = median_ms(lambda: record(False), args.repeat)
        checked = median_ms(lambda: record(True), args.repeat)
        rows.append(("record a new case (created + assigned)", f"{checked:.1f} ms", f"{plain:.1f} ms",
                     f"{checked / plain:.2f}x"))  # fmt: skip
        store.close()
    head = (f"intake, {args.cases:,} cases in the replica", "measured", "baseline", "ratio")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    print(f"medians of {args.repeat}; baselines: read one case by id / record without the lookup")
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
