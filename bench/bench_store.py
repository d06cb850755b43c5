#!/usr/bin/env python
"""Local store benchmark: the encrypted store against a baseline measured in the same run.

    .venv/bin/python bench/bench_store.py [--quick]
    .venv/bin/python bench/bench_store.py --search [--cases 100000] [--write-cases 10000]

Measures, on real files in a temporary folder:
  * appending 100,000 local events in transactions of 1,000 (events/s, projection refolds included);
  * applying HQ pages of 500 events to build 10,000 and 100,000 cases, refolding every case
    (``rebuild_all``), and the open-case queue (first page of 500 + count, median ms);
  * opening the store (median ms of N opens).
``--search`` measures only name search over ``--cases`` open cases shaped like bench_ui's (a page
of 200 and the count, for several kinds of query) through the FTS5 trigram index against the
``instr`` path on the same store in the same run, and what the index costs when applying new cases
(the same pages written without the index's upkeep).
Baselines: the identical store code over stdlib ``sqlite3`` (unencrypted), and for opening also a
passphrase-keyed SQLCipher connection (PBKDF2 key derivation) against the raw-key one.
Targets: queue of 10,000 cases under 100 ms; store open under 20 ms. Prints a table; never asserts.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlcipher3.dbapi2 as sqlcipher

from core.events import Author, Event, EventType, iso
from core.hlc import HybridClock
from core.store import LocalStore, QueueFilter, StoreKey

AUTHOR = Author("u-bench", "Bench Operator")
T0 = datetime(2026, 11, 1, tzinfo=UTC)
APPEND_TX = 1_000
PAGE = 500


def open_store(path: Path, key: bytes, plain: bool) -> LocalStore:
    if plain:
        return LocalStore._open(path, key, create=True, dbapi=sqlite3)
    return LocalStore.open(path, key)


def case_events(clock: HybridClock, i: int, per_case: int) -> list[Event]:
    """One case's history: 60 % closed, 20 % unacknowledged (alarming), 20 % acknowledged."""
    case_id = str(uuid.UUID(int=i + 1))

    def ev(etype: EventType, payload: dict[str, object], minutes: int) -> Event:
        return Event(
            id=str(uuid.uuid4()),
            case_id=case_id,
            type=etype,
            payload=payload,
            author_id=AUTHOR.user_id,
            author_name=AUTHOR.display_name,
            device_id=clock.node,
            wall_time=iso(T0 + timedelta(minutes=i + minutes)),
            hlc=clock.now(),
        )

    out = [
        ev(
            EventType.CREATED,
            {
                "kind": "suicide_risk" if i % 4 else "tip",
                "source": "facebook",
                "upstream_ref": f"meta-{i}",
                "received_at": iso(T0 + timedelta(minutes=i)),
                "priority": 1 + i % 4,
                "subject": {"name": f"Person {i}", "phones": [f"+9198{i:08d}"], "post_text": "text " * 20},
                "location": {"text": f"Ward {i % 70}, Patna"},
                "district": "Patna",
                "police_station": f"PS-{i % 25}",
                "summary": "Post expressing intent",
            },
            0,
        )
    ]
    mode = i % 5
    if mode in (0, 1, 2):  # closed
        out += [
            ev(EventType.ACKNOWLEDGED, {}, 1),
            ev(EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"}, 30),
            ev(EventType.CLOSED, {"reason": "done"}, 31),
        ]
    elif mode == 3:
        out.append(ev(EventType.ACKNOWLEDGED, {}, 1))
    while len(out) < per_case:
        out.insert(1, ev(EventType.ESCALATED, {"reason": "no answer"}, 2))
    return out[: max(per_case, len(out))]


def batches(events: Iterator[Event], size: int) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for e in events:
        batch.append(e)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_append(folder: Path, key: bytes, plain: bool, n_events: int) -> float:
    per_case = 10
    clock = HybridClock("bench-dev")
    store = open_store(folder / ("append-plain.db" if plain else "append.db"), key, plain)
    stream = (e for i in range(n_events // per_case) for e in case_events(clock, i, per_case))
    elapsed = 0.0
    for batch in batches(stream, APPEND_TX):  # events are made outside the timed part
        t = time.perf_counter()
        with store.unit_of_work() as uow:
            for e in batch:
                uow.events.append_local(e)
            uow.commit()
        elapsed += time.perf_counter() - t
    store.close()
    return n_events / elapsed


def build_cases(path: Path, key: bytes, plain: bool, n_cases: int) -> tuple[LocalStore, float]:
    clock = HybridClock("hq")
    store = open_store(path, key, plain)
    seq = 0
    stream = (e for i in range(n_cases) for e in case_events(clock, i, 1))
    elapsed = 0.0
    for page in batches(stream, PAGE):
        numbered = []
        for e in page:
            seq += 1
            numbered.append(e.with_seq(seq))
        t = time.perf_counter()
        with store.unit_of_work() as uow:
            uow.events.apply_remote(numbered)
            uow.meta.cursor = seq
            uow.commit()
        elapsed += time.perf_counter() - t
    return store, seq / elapsed


def queue_page(store: LocalStore) -> tuple[int, int]:
    with store.reader() as r:
        return len(r.cases.queue(QueueFilter(), limit=500)), r.cases.count(QueueFilter())


def refold_all(store: LocalStore) -> float:
    t = time.perf_counter()
    with store.unit_of_work() as uow:
        uow.cases.rebuild_all()
        uow.commit()
    return time.perf_counter() - t


def raw_open_ms(path: Path, pragma: str | None, repeat: int, module: object = sqlcipher) -> float:
    def once() -> None:
        conn = module.connect(str(path))  # type: ignore[attr-defined]
        if pragma:
            conn.execute(pragma)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()

    return median_ms(once, repeat)


# Name searches over the desktop client benchmark's cases (tests/e2e/kit.py ``seed_many``: seven
# names, each followed by the case's number, so a name alone matches a seventh of all cases).
SEARCHES = (
    ("common name + a 2-digit word (bench_ui's search)", "Pooja Yadav 31"),
    ("common name, 2 words", "pooja yadav"),
    ("one case: name and its number", "ravi kumar 12348"),
    ("Devanagari name + a 2-digit word", "सुनील 77"),
    ("a phone number", "9000012348"),
    ("a word found nowhere", "nomatch"),
    ("only short words (same path both sides)", "98 ra"),
)


def seeded_store(path: Path, key: bytes, n: int, *, name_index: bool = True) -> tuple[LocalStore, float]:
    """A store with ``n`` open cases in bench_ui's shape; seconds taken to apply them. Without
    ``name_index`` (the baseline for the index's write cost), rows are written without its upkeep."""
    from core.store.projector import Projector
    from tests.e2e.kit import seed_many

    store = LocalStore.open(path, key)
    saved = Projector.fts_add, Projector.fts_remove
    if not name_index:
        Projector.fts_add = Projector.fts_remove = lambda *_a, **_k: None  # type: ignore[method-assign]
    try:
        t = time.perf_counter()
        seed_many(store, n, batch=1000)
        return store, time.perf_counter() - t
    finally:
        Projector.fts_add, Projector.fts_remove = saved  # type: ignore[method-assign]


def bench_search(n: int, writes_n: int, repeat: int, reuse: Path | None, key: bytes) -> int:
    """Name search through the trigram index against the instr path, on the same store and run."""
    import core.store.repositories as repositories

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="rakshak-bench-search-") as tmp:
        folder = Path(tmp)
        if writes_n:
            rates = {}
            for with_index in (True, False):
                store, secs = seeded_store(folder / f"w-{with_index}.db", key, writes_n, name_index=with_index)
                store.close()
                rates[with_index] = writes_n / secs
            rows.append(
                (
                    f"apply {writes_n:,} new cases (pages of 1,000)",
                    f"{rates[True]:,.0f} cases/s",
                    f"{rates[False]:,.0f} cases/s",
                    f"{rates[True] / rates[False]:.2f}x",
                )
            )
            print(rows[-1], flush=True)
        if reuse is None:
            store, secs = seeded_store(folder / "search.db", key, n)
            print(f"seeded {n:,} cases in {secs:.0f} s", flush=True)
        else:
            store = LocalStore.open(reuse, key)
        with store.reader() as r:
            n = r.cases.count()
            fts_bytes = r.connection.exec_driver_sql("SELECT sum(length(block)) FROM cases_fts_data").scalar()
        real_min = repositories.FTS_MIN_CHARS
        for label, text in SEARCHES:
            flt = QueueFilter(search=text)
            timings: dict[bool, tuple[float, float, int]] = {}
            for indexed in (True, False):
                repositories.FTS_MIN_CHARS = real_min if indexed else 10**9  # baseline: every word by instr

                def page(f: QueueFilter = flt) -> int:
                    with store.reader() as r:
                        return len(r.cases.queue(f, limit=200))

                def count(f: QueueFilter = flt) -> int:
                    with store.reader() as r:
                        return r.cases.count(f)

                found = count()
                timings[indexed] = (median_ms(page, repeat), median_ms(count, repeat), found)
            repositories.FTS_MIN_CHARS = real_min
            (ip, ic, found), (bp, bc, _) = timings[True], timings[False]
            rows.append((f"page of 200: {label} ({found:,} match)", f"{ip:.1f} ms", f"{bp:.1f} ms", f"{ip / bp:.2f}x"))
            rows.append((f"count: {label}", f"{ic:.1f} ms", f"{bc:.1f} ms", f"{ic / bc:.2f}x"))
            print(rows[-2], rows[-1], flush=True)
        store.close()
    head = (f"search, {n:,} open cases", "trigram index", "instr (baseline)", "ratio")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    print()
    print(f"name index: {fts_bytes / 1e6:.1f} MB of FTS5 segments; medians of {repeat}; target: search < 100 ms")
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (10x fewer events and cases)")
    parser.add_argument("--search", action="store_true", help="only the name search (trigram index vs instr)")
    parser.add_argument("--cases", type=int, default=100_000, help="--search: open cases to search")
    parser.add_argument("--write-cases", type=int, default=10_000, help="--search: cases for the write cost (0: skip)")
    parser.add_argument("--repeat", type=int, default=5, help="--search: runs per query (median)")
    parser.add_argument("--reuse", type=Path, help="--search: an existing store (with --key-hex) instead of seeding")
    parser.add_argument("--key-hex", help="--search --reuse: that store's raw key")
    args = parser.parse_args()
    if args.search:
        key = bytes.fromhex(args.key_hex) if args.key_hex else StoreKey.ephemeral()
        return bench_search(args.cases, args.write_cases, args.repeat, args.reuse, key)
    scale = 10 if args.quick else 1
    n_append = 100_000 // scale
    sizes = [10_000 // scale, 100_000 // scale]
    opens = 30
    key = StoreKey.ephemeral()
    rows: list[tuple[str, str, str, str]] = []

    print(
        f"sqlcipher3 {sqlcipher.sqlite_version}, stdlib sqlite3 {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} cores, {'quick' if args.quick else 'full'} run",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="rakshak-bench-") as tmp:
        folder = Path(tmp)
        enc = bench_append(folder, key, False, n_append)
        plain = bench_append(folder, key, True, n_append)
        rows.append(
            (
                f"append {n_append:,} local events ({APPEND_TX:,}/tx)",
                f"{enc:,.0f} ev/s",
                f"{plain:,.0f} ev/s",
                f"{enc / plain:.2f}x",
            )
        )
        print(rows[-1], flush=True)

        for n in sizes:
            results = {}
            for is_plain in (False, True):
                path = folder / f"cases-{n}{'-plain' if is_plain else ''}.db"
                store, rate = build_cases(path, key, is_plain, n)
                fold_s = refold_all(store)
                rows_and_count = queue_page(store)
                q_ms = median_ms(lambda s=store: queue_page(s), 20)
                some_case = str(uuid.UUID(int=n // 2 + 1))

                def read_state(s: LocalStore = store, c: str = some_case) -> None:
                    with s.reader() as r:
                        r.cases.state(c)

                state_ms = median_ms(read_state, 50)

                def search(s: LocalStore = store, n: int = n) -> None:
                    with s.reader() as r:
                        r.cases.queue(QueueFilter(search=f"person {n // 3}", include_closed=True), limit=50)

                search_ms = median_ms(search, 5)
                store.close()
                results[is_plain] = (rate, fold_s, q_ms, state_ms, rows_and_count, path.stat().st_size, search_ms)
            e, p = results[False], results[True]
            rows.append(
                (
                    f"apply HQ pages of {PAGE}: {n:,} cases",
                    f"{e[0]:,.0f} ev/s",
                    f"{p[0]:,.0f} ev/s",
                    f"{e[0] / p[0]:.2f}x",
                )
            )
            rows.append(
                (f"refold all {n:,} cases (rebuild_all)", f"{e[1]:.2f} s", f"{p[1]:.2f} s", f"{e[1] / p[1]:.2f}x")
            )
            rows.append(
                (
                    f"queue page 500 + count, {n:,} cases ({e[4][1]:,} open)",
                    f"{e[2]:.1f} ms",
                    f"{p[2]:.1f} ms",
                    f"{e[2] / p[2]:.2f}x",
                )
            )
            rows.append(
                (f"state(case) from state_json, {n:,} cases", f"{e[3]:.2f} ms", f"{p[3]:.2f} ms", f"{e[3] / p[3]:.2f}x")
            )
            rows.append(
                (f"search a name among all {n:,} cases", f"{e[6]:.1f} ms", f"{p[6]:.1f} ms", f"{e[6] / p[6]:.2f}x")
            )
            for r in rows[-5:]:
                print(r, flush=True)

        big = folder / f"cases-{sizes[-1]}.db"
        big_plain = folder / f"cases-{sizes[-1]}-plain.db"
        store_open = median_ms(lambda: LocalStore.open(big, key).close(), opens)
        plain_open = median_ms(lambda: open_store(big_plain, key, True).close(), opens)
        rows.append(
            (
                f"LocalStore.open + close, {sizes[-1]:,} cases (median of {opens})",
                f"{store_open:.1f} ms",
                f"{plain_open:.1f} ms",
                f"{store_open / plain_open:.2f}x",
            )
        )
        # raw connections: raw 256-bit key vs a passphrase (SQLCipher's default PBKDF2-SHA512, 256,000 rounds)
        pp = folder / "passphrase.db"
        conn = sqlcipher.connect(str(pp))
        conn.execute("PRAGMA key = 'correct horse battery staple'")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        raw = raw_open_ms(big, f"PRAGMA key = \"x'{key.hex()}'\"", opens)
        kdf = raw_open_ms(pp, "PRAGMA key = 'correct horse battery staple'", 10)
        rows.append(
            (
                "SQLCipher connection + first read: raw key vs passphrase (KDF)",
                f"{raw:.2f} ms",
                f"{kdf:.1f} ms",
                f"{raw / kdf:.3f}x",
            )
        )
        stdlib = raw_open_ms(big_plain, None, opens, module=sqlite3)
        rows.append(
            (
                "connection + first read: raw-key SQLCipher vs stdlib sqlite3",
                f"{raw:.2f} ms",
                f"{stdlib:.2f} ms",
                f"{raw / stdlib:.2f}x",
            )
        )
        size_e = big.stat().st_size / 1e6
        size_p = big_plain.stat().st_size / 1e6
        rows.append(
            (f"file size, {sizes[-1]:,} cases", f"{size_e:.1f} MB", f"{size_p:.1f} MB", f"{size_e / size_p:.2f}x")
        )

    head = ("operation", "SQLCipher (raw key)", "baseline", "ratio")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    print()
    print("baseline: the same store code over stdlib sqlite3 (unencrypted), except where the row names another")
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    print()
    print("targets: queue of 10,000 cases < 100 ms; store open < 20 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
