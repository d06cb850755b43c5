"""The demo's range desks (``hq.demo.seed_range_demo``): the SP office of Varanasi and the DIG of
Varanasi range sign in with the demo's documented passwords, the SP's stream holds the seeded tips
of its district and the DIG's those and the range's triage tip, the officer list is there, and
seeding again adds nothing."""

from __future__ import annotations

from hq.demo import DEMO_OFFICERS, DEMO_RANGE_USERS, DEMO_TIPS, seed_range_demo
from tests.fixtures.hq import API, HQFactory


def test_the_demo_seeds_the_range_desks_and_their_tips(hq_factory: HQFactory) -> None:
    server = hq_factory("sqlite")
    db = server.database()
    try:
        out = seed_range_demo(db)
        assert len(out["tips"]) == len(DEMO_TIPS)
        assert seed_range_demo(db)["tips"] == []  # idempotent: no second set of tips
    finally:
        db.dispose()
    passwords = {u: p for u, p, *_ in DEMO_RANGE_USERS}
    assert {u["username"] for u in out["users"]} == {"sp-varanasi", "dig-varanasi"}

    def seen(username: str) -> set[str]:
        client = server.login(username, password=passwords[username])
        assert client.user["role"] in ("sp_office", "range_dig")
        items, _ = client.pull_all(0)
        return {i["event"]["case_id"] for i in items if i["kind"] == "event"}

    district_tips = {c for c, (_, district, *_) in zip(out["tips"], DEMO_TIPS, strict=True) if district == "VNS"}
    assert len(district_tips) == 3
    assert seen("sp-varanasi") == district_tips
    assert seen("dig-varanasi") == set(out["tips"])  # its district's tips and the range's triage tip
    sp = server.login("sp-varanasi", password=passwords["sp-varanasi"])
    officers = sp.http.get(f"{API}/tips/officers", params={"district": "VNS"}).json()["officers"]
    assert sorted(o["name"] for o in officers) == sorted(name for name, *_ in DEMO_OFFICERS)
