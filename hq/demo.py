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
from hq.principals import Principal, Role
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


# The SP's office and the DIG of the demo's Varanasi range (tip desks), kept out of ``DEMO_USERS``
# (the test template's accounts): ``seed_range_demo`` adds them with the range's tips.
DEMO_RANGE = "Varanasi"
DEMO_RANGE_USERS = (
    # username, password, role, display name, district, range
    ("sp-varanasi", "sp-password", "sp_office", "Demo SP Office (Varanasi)", "VNS", None),
    ("dig-varanasi", "dig-password", "range_dig", "Demo DIG (Varanasi range)", None, DEMO_RANGE),
)
DEMO_OFFICERS = (  # name, rank, police station: the officers the SP's office passes tips to
    ("Ravi Kumar (synthetic)", "SI", "LNK"),
    ("Meena Yadav (synthetic)", "Inspector", "DSW"),
)
DEMO_TIPS = (  # category, district (None: the range's triage), place, what
    ("gambling", "VNS", "Lanka, near the tea stall", "Satta slips sold every evening at 7 (synthetic)."),
    ("drugs_liquor", "VNS", "Dashashwamedh ghat", "Illicit liquor sold from a boat after dark (synthetic)."),
    ("illegal_mining", "VNS", "Cantonment, river bank", "Sand taken by tractors at night (synthetic)."),
    ("cattle_smuggling", None, "Varanasi range, the highway border", "Trucks with cattle at 2 am (synthetic)."),
)


def seed_range_demo(db: Database) -> dict[str, Any]:
    """Give the demo's Varanasi range its tip desks: the SP office of Varanasi and the range's DIG,
    the district's officer list, and a few synthetic tips filed as the tip line's relay files them
    (so they reach both desks' streams). Idempotent: nothing is added twice. Returns the tip desks'
    credentials and the new tips' case ids."""
    from hq.schema import tip_officers
    from hq.tipline.relay import RELAY
    from hq.tipline.roster import add_officer

    with db.reader() as conn:
        have_users = set(conn.execute(select(users_table.c.username)).scalars())
        have_officers = set(conn.execute(select(tip_officers.c.name).where(tip_officers.c.district == "VNS")).scalars())
    seeded_before = all(u[0] in have_users for u in DEMO_RANGE_USERS)
    for username, password, role, display, district, range_name in DEMO_RANGE_USERS:
        if username not in have_users:
            admin.create_user(db, username, password, role, display, district, range_=range_name)
    keeper = Principal(actor="demo-seed", display_name="Demo seed", role=Role.HQ_OPERATOR)
    for name, rank, station in DEMO_OFFICERS:
        if name not in have_officers:
            add_officer(db, keeper, "VNS", name, rank, station)
    tips: list[str] = []
    if not seeded_before:
        for n, (category, district, place, what) in enumerate(DEMO_TIPS):
            tip: dict[str, Any] = {"category": category, "pseudonym": f"Tipster D{n + 1}EM", "prior_tips": 0,
                                   "language": "en", "what": what, "place": place, "confirmed": True,
                                   "place_unclear": district is None}  # fmt: skip
            body = synthetic_alert(district="VNS") | {
                "kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:demo-{uuid.uuid4().hex}",
                "priority": 3, "summary": f"Synthetic demo tip: {what}", "location": {"text": place}, "subject": {},
                "tip": tip,
            }  # fmt: skip
            body.pop("police_station")
            if district is None:
                body.pop("district")
                tip["range"] = DEMO_RANGE
            tips.append(intake(db, RELAY, body).case_id)
    return {
        "users": [{"username": u, "password": p, "role": r, "district": d, "range": g}
                  for u, p, r, _, d, g in DEMO_RANGE_USERS],
        "tips": tips,
    }  # fmt: skip


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
