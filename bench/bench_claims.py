"""Cost of the claim suggestions and of flag-on-arrival at HQ scale, against a same-run baseline.

    .venv/bin/python bench/bench_claims.py [--claims 10000] [--accounts 100000] [--lookups 300] [--json]

Builds two HQ databases (SQLite, migrated): a baseline of 100 claims and 100 registered accounts, and
the full size (default 10,000 claims, a quarter with an image hash, and 100,000 accounts). Claims are
synthetic Hindi and English rumours: a few words from a small list of the subjects rumours are about
(curfew, bridge, kidnappers, exam...) and a few names from 3,000 made-up place and person names per
script, so their trigrams overlap the way real posts on the same subjects do. Then, for each size:

- ``suggest text``: ``hq.claims.suggest_claims(db, post)`` for posts that are variants of a stored
  claim (half) and unrelated posts (half): the matcher's staleness check (one SQL aggregate) and the
  trigram lookup. The first call, which builds the in-memory index, is reported apart (``build``).
- ``suggest image``: the same with a JPEG of the post (perceptual hash of the upload + the scan of
  the stored hashes).
- ``flag``: ``hq.claims.flag_on_arrival(db, platform, handle)`` for handles half in the register
  (in another written form) and half not: one indexed lookup, and for a hit the count and audit write.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.events import iso, utcnow  # noqa: E402
from hq.claims import flag_on_arrival, suggest_claims  # noqa: E402
from hq.db import Database, sqlite_url  # noqa: E402
from hq.schema import accounts, claims  # noqa: E402

HI = [
    "पटना",
    "गया",
    "भागलपुर",
    "मुज़फ़्फ़रपुर",
    "कल",
    "आज",
    "कर्फ्यू",
    "बंद",
    "दुकानें",
    "पुल",
    "टूटा",
    "बच्चा",
    "चोर",
    "गिरोह",
    "सक्रिय",
    "गायब",
    "पुलिस",
    "दंगा",
    "मंदिर",
    "मस्जिद",
    "पानी",
    "ज़हर",
    "अफ़वाह",
    "वायरल",
    "वीडियो",
    "स्कूल",
    "छुट्टी",
    "परीक्षा",
    "रद्द",
    "बिजली",
    "कटौती",
    "नोट",
    "बंद",
    "बैंक",
]
EN = [
    "patna",
    "gaya",
    "bhagalpur",
    "curfew",
    "tomorrow",
    "today",
    "shops",
    "closed",
    "bridge",
    "cracked",
    "child",
    "kidnappers",
    "gang",
    "active",
    "missing",
    "police",
    "riot",
    "temple",
    "mosque",
    "water",
    "poisoned",
    "rumour",
    "viral",
    "video",
    "school",
    "holiday",
    "exam",
    "cancelled",
    "power",
    "cut",
    "notes",
    "banned",
    "bank",
]


HI_LETTERS = "कखगघचछजझटठडढतथदधनपफबभमयरलवशसह"
HI_SIGNS = ["", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "ं"]
EN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _names(rng: random.Random, n: int) -> tuple[list[str], list[str]]:
    """Place, person and thing names: the rare words that tell one rumour from another."""
    hi = ["".join(rng.choice(HI_LETTERS) + rng.choice(HI_SIGNS) for _ in range(rng.randint(2, 4))) for _ in range(n)]
    en = ["".join(rng.choice(EN_LETTERS) for _ in range(rng.randint(4, 9))) for _ in range(n)]
    return hi, en


NAMES: tuple[list[str], list[str]] = _names(random.Random(7), 3000)


def _rumour(rng: random.Random) -> str:
    """4-9 common words (the subject's vocabulary) and 3-6 names, in one script."""
    hindi = rng.random() < 0.5
    common, names = (HI, NAMES[0]) if hindi else (EN, NAMES[1])
    words = [rng.choice(common) for _ in range(rng.randint(4, 9))] + [
        rng.choice(names) for _ in range(rng.randint(3, 6))
    ]
    rng.shuffle(words)
    return " ".join(words)


def _variant(text: str, rng: random.Random) -> str:
    """The same rumour as a post would carry it: a word dropped, punctuation, case, a prefix."""
    words = text.split()
    if len(words) > 6:
        words.pop(rng.randrange(len(words)))
    return "FWD: " + " ".join(words).upper() + "!!"


def _jpeg(seed: int, size: int = 256) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), (seed * 37 % 255, seed * 91 % 255, 120))
    draw = ImageDraw.Draw(img)
    for i in range(5):
        x, y = (seed * 13 + i * 47) % size, (seed * 29 + i * 61) % size
        draw.ellipse((x, y, x + size // 3, y + size // 4), fill=((i * 70 + seed) % 255, (seed * 5) % 255, 40))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=75)
    return out.getvalue()


def build(path: Path, n_claims: int, n_accounts: int, rng: random.Random) -> tuple[Database, list[str], list[str]]:
    from core.claims import image_hash

    db = Database(sqlite_url(path), pool_size=2)
    db.migrate()
    at = iso(utcnow())
    texts: list[str] = []
    rows: list[dict[str, Any]] = []
    for i in range(n_claims):
        text = _rumour(rng)
        texts.append(text)
        media = [{"sha256": None, "link": None, "phash": image_hash(_jpeg(i))}] if i % 4 == 0 else []
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "text": text,
                "official_version": "",
                "status": "investigating",
                "platforms": "[]",
                "links": "[]",
                "media": json.dumps(media),
                "created_at": at,
                "created_by": "bench",
                "updated_at": at,
                "rebutted_at": None,
            }
        )
    handles = [f"user_{i}_{rng.randrange(10**6)}" for i in range(n_accounts)]
    with db.transaction() as conn:
        for start in range(0, len(rows), 2000):
            conn.execute(claims.insert(), rows[start : start + 2000])
        batch = [
            {
                "id": str(uuid.uuid4()),
                "platform": "x",
                "handle": h,
                "url": None,
                "reasons": '["fake_news"]',
                "status": "watching",
                "district": None,
                "note": "",
                "created_at": at,
                "created_by": "bench",
                "updated_at": at,
                "flagged": 0,
                "last_flagged_at": None,
            }
            for h in handles
        ]
        for start in range(0, len(batch), 5000):
            conn.execute(accounts.insert(), batch[start : start + 5000])
    return db, texts, handles


def _timed(fn: Any, items: list[Any]) -> list[float]:
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(n_claims: int, n_accounts: int, lookups: int, workdir: Path) -> dict[str, Any]:
    rng = random.Random(n_claims)
    db, texts, handles = build(workdir / f"hq-{n_claims}.sqlite3", n_claims, n_accounts, rng)
    try:
        t0 = time.perf_counter()
        suggest_claims(db, "warm up")
        build_ms = (time.perf_counter() - t0) * 1000
        posts = [_variant(rng.choice(texts), rng) if i % 2 else _rumour(rng) for i in range(lookups)]
        hits = sum(1 for p in posts[1::2] if suggest_claims(db, p))
        text_ms = _timed(lambda p: suggest_claims(db, p), posts)
        images = [_jpeg(rng.randrange(n_claims) // 4 * 4 if i % 2 else n_claims + i) for i in range(min(lookups, 100))]
        image_ms = _timed(lambda b: suggest_claims(db, "", b), images)
        forms = [f"https://x.com/{rng.choice(handles).upper()}" if i % 2 else f"@nobody_{i}" for i in range(lookups)]
        flag_ms = _timed(lambda h: flag_on_arrival(db, "x", h, source="bench"), forms)
    finally:
        db.dispose()
    return {
        "claims": n_claims,
        "accounts": n_accounts,
        "build_ms": round(build_ms, 1),
        "text_variants_found": f"{hits}/{len(posts[1::2])}",
        **{f"text_{k}_ms": round(v, 2) for k, v in (("p50", _pct(text_ms, 0.5)), ("p99", _pct(text_ms, 0.99)))},
        **{f"image_{k}_ms": round(v, 2) for k, v in (("p50", _pct(image_ms, 0.5)), ("p99", _pct(image_ms, 0.99)))},
        **{f"flag_{k}_ms": round(v, 2) for k, v in (("p50", _pct(flag_ms, 0.5)), ("p99", _pct(flag_ms, 0.99)))},
        "text_mean_ms": round(statistics.fmean(text_ms), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        results = [run(100, 100, args.lookups, Path(tmp)), run(args.claims, args.accounts, args.lookups, Path(tmp))]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    keys = list(results[0])
    print(f"{'':24}" + "".join(f"{'baseline' if i == 0 else 'full':>14}" for i in range(2)))
    for k in keys:
        print(f"{k:24}" + "".join(f"{r[k]!s:>14}" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
