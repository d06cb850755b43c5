"""A demo HQ state and synthetic alerts, for ``python main.py --demo`` and screenshots.

Everything here is fictitious: names say "(synthetic)", phone numbers are in the unused 90000 00xxx
range, and posts are written for the demo.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.events import CaseKind, Source, iso, utcnow
from hq import admin
from hq.db import Database
from hq.intake import intake
from hq.principals import Principal
from hq.schema import districts as districts_table
from hq.schema import users as users_table

DEMO_DISTRICTS: dict[str, dict[str, Any]] = {
    "LKO": {
        "name": "Lucknow",
        "range": "Lucknow",
        "center": (26.8467, 80.9462),
        "duty_phones": ["9000000101", "9000000102"],
        "stations": {"HAZ": "Hazratganj", "GOM": "Gomti Nagar", "ALM": "Alambagh"},
        "places": ["Hazratganj market", "Gomti Nagar Extension, Sector 4", "Alambagh bus stand"],
    },
    "KNP": {
        "name": "Kanpur Nagar",
        "range": "Kanpur",
        "center": (26.4499, 80.3319),
        "duty_phones": ["9000000201"],
        "stations": {"KLY": "Kalyanpur", "SWR": "Swaroop Nagar", "GVN": "Govind Nagar"},
        "places": ["Kalyanpur crossing", "Swaroop Nagar, near the park", "Govind Nagar block 5"],
    },
    "VNS": {
        "name": "Varanasi",
        "range": "Varanasi",
        "center": (25.3176, 82.9739),
        "duty_phones": ["9000000301"],
        "stations": {"DSW": "Dashashwamedh", "LNK": "Lanka", "CNT": "Cantonment"},
        "places": ["Dashashwamedh ghat", "Lanka, near BHU gate", "Cantonment railway station"],
    },
}

DEMO_USERS = (
    # username, password, role, display name, district
    ("demo", "demo-password", "district_operator", "Demo Operator (Lucknow)", "LKO"),
    ("demo-knp", "demo-password", "district_operator", "Demo Operator (Kanpur Nagar)", "KNP"),
    ("demo-vns", "demo-password", "district_operator", "Demo Operator (Varanasi)", "VNS"),
    ("hq", "hq-password", "hq_operator", "Demo HQ Operator", None),
    ("supervisor", "supervisor-password", "supervisor", "Demo Supervisor", None),
    ("admin", "admin-password", "admin", "Demo Administrator", None),
)

POSTS = (
    ("hi", "अब और नहीं सह सकता। सबको अलविदा, माफ़ करना।"),
    ("hi", "आज रात के बाद कोई परेशान नहीं होगा मेरी वजह से।"),
    ("en", "I can't take this anymore. Goodbye everyone, sorry for everything."),
    ("en", "Tonight is the last night. Nobody will miss me."),
    ("hi", "परीक्षा में फेल हो गया, घर वालों को मुँह नहीं दिखा सकता। अलविदा।"),
    ("en", "Sitting on the bridge. It is finally over."),
)

FIRST_NAMES = ("Aarav", "Priya", "Rohit", "Neha", "Vikram", "Sunita", "Amit", "Pooja")


def seed_demo(db: Database) -> dict[str, Any]:
    """Create the demo districts, stations and users (idempotent). Returns the demo credentials."""
    with db.reader() as conn:
        have_districts = set(conn.execute(select(districts_table.c.code)).scalars())
        have_users = set(conn.execute(select(users_table.c.username)).scalars())
    for code, d in DEMO_DISTRICTS.items():
        if code not in have_districts:
            admin.create_district(db, code, d["name"], d["duty_phones"], range_=d["range"])
            for scode, sname in d["stations"].items():
                admin.create_station(db, code, scode, sname)
    for username, password, role, display, district in DEMO_USERS:
        if username not in have_users:
            admin.create_user(db, username, password, role, display, district)
    return {
        "users": [{"username": u, "password": p, "role": r, "district": d} for u, p, r, _, d in DEMO_USERS],
        "districts": sorted(DEMO_DISTRICTS),
    }


DEMO_INTAKE = Principal(actor="key:demo-meta-feed", display_name="Intake (demo Meta feed)", role=None)


def synthetic_alert(rng: random.Random | None = None, district: str | None = None) -> dict[str, Any]:
    """An intake body for a made-up suicide-risk alert, routed to ``district`` (random if None)."""
    rng = rng or random.Random()
    code = district or rng.choice(sorted(DEMO_DISTRICTS))
    d = DEMO_DISTRICTS[code]
    language, post = rng.choice(POSTS)
    lat, lon = d["center"]
    n = rng.randrange(100, 1000)
    source = rng.choice([Source.FACEBOOK, Source.INSTAGRAM])
    received = utcnow() - timedelta(seconds=rng.randrange(5, 90))
    station = rng.choice(sorted(d["stations"]))
    return {
        "upstream_ref": f"demo-{source}-{uuid.uuid4()}",
        "source": str(source),
        "kind": str(CaseKind.SUICIDE_RISK),
        "priority": 1,
        "received_at": iso(received),
        "subject": {
            "name": f"{rng.choice(FIRST_NAMES)} Test-{n} (synthetic)",
            "phones": [f"9000000{n:03d}"],
            "profile_url": f"https://example.invalid/profile/{n}",
            "post_url": f"https://example.invalid/post/{uuid.uuid4().hex[:12]}",
            "post_text": post,
            "language": language,
        },
        "location": {
            "text": f"{rng.choice(d['places'])}, {d['name']} (platform estimate)",
            "latitude": round(lat + rng.uniform(-0.04, 0.04), 5),
            "longitude": round(lon + rng.uniform(-0.04, 0.04), 5),
            "accuracy_m": rng.choice([150, 500, 1500]),
        },
        "district": code,
        "police_station": station,
        "summary": "Synthetic demo alert: post indicating intent of self-harm.",
    }


DEMO_ALERTS_PER_DISTRICT = 2


def seed_alerts(
    db: Database, per_district: int = DEMO_ALERTS_PER_DISTRICT, rng: random.Random | None = None
) -> list[str]:
    """Send ``per_district`` synthetic suicide-risk alerts to each demo district through HQ's intake
    path (so each case is created, routed and audited exactly as a real alert is). Each call adds new
    alerts: an HQ demo is meant to have fresh cases to work on. Returns the new case ids."""
    rng = rng or random.Random()
    return [inject_alert(db, rng, code) for code in sorted(DEMO_DISTRICTS) for _ in range(per_district)]


def inject_alert(target: Any, rng: random.Random | None = None, district: str | None = None) -> str:
    """Send a synthetic alert through HQ's intake path; returns the new case id.

    ``target`` is a ``Database`` or anything with a ``database`` attribute (``EmbeddedHQ``).
    """
    db: Database = target if isinstance(target, Database) else target.database
    return intake(db, DEMO_INTAKE, synthetic_alert(rng, district)).case_id
