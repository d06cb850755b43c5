"""Every endpoint x every caller: what each role may do, and that everything else is refused.

Callers: each role, a district operator of a *foreign* district (KNP, for an LKO case), an
integration key, and nobody. One test per backend walks the whole table and reports every mismatch.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from hq.demo import synthetic_alert
from tests.fixtures.hq import API, HQServer
from tests.integration.hq.helpers import ack, events_of

CALLERS = ("hq", "demo", "demo-knp", "supervisor", "admin", "key", "nobody")
USER_OF = {"hq": "hq", "demo": "demo", "demo-knp": "demo-knp", "supervisor": "supervisor", "admin": "admin"}

# endpoint -> callers that may use it (for a case in LKO). Everyone else must be refused.
ALLOWED: dict[str, set[str]] = {
    "intake": {"hq", "key"},
    "assign": {"hq"},
    "read_case": {"hq", "demo", "supervisor"},
    "districts": {"hq", "demo", "demo-knp", "supervisor", "admin"},
    "push": {"hq", "demo"},
    "pull": {"hq", "demo", "supervisor"},
    "presence_post": {"hq", "demo", "demo-knp", "supervisor", "admin"},
    "presence_list": {"hq", "supervisor", "admin"},
}


class Caller:
    def __init__(self, hq: HQServer, name: str):
        self.name = name
        self.device_id = f"dev-{name}-{uuid.uuid4().hex[:6]}"
        self.headers: dict[str, str] = {}
        self.client = None
        if name in USER_OF:
            self.client = hq.login(USER_OF[name], device_id=self.device_id)
            self.headers = {"Authorization": f"Bearer {self.client.session['access_token']}"}
        elif name == "key":
            self.headers = {"X-Api-Key": hq.intake_key}
        self.http = httpx.Client(base_url=hq.url, headers=self.headers, timeout=30)


def _calls(hq: HQServer, case_id: str) -> dict[str, Callable[[Caller], tuple[bool, str]]]:
    """Each returns (allowed, what happened)."""

    def intake(c: Caller) -> tuple[bool, str]:
        r = c.http.post(f"{API}/intake", json=synthetic_alert(district="LKO"))
        return r.status_code == 201, f"{r.status_code} {r.text[:80]}"

    def assign(c: Caller) -> tuple[bool, str]:
        station = "GOM"
        r = c.http.post(f"{API}/cases/{case_id}/assign", json={"district": "LKO", "police_station": station})
        return r.status_code == 200, f"{r.status_code}"

    def read_case(c: Caller) -> tuple[bool, str]:
        r = c.http.get(f"{API}/cases/{case_id}")
        return r.status_code == 200 and r.json()["state"]["case_id"] == case_id, f"{r.status_code}"

    def districts(c: Caller) -> tuple[bool, str]:
        r = c.http.get(f"{API}/districts")
        if r.status_code != 200:
            return False, f"{r.status_code}"
        codes = [d["code"] for d in r.json()]
        if c.name == "demo-knp":
            assert codes == ["KNP"], codes
        if c.name == "demo":
            assert codes == ["LKO"], codes
        return True, str(codes)

    def push(c: Caller) -> tuple[bool, str]:
        wire = ack(c.client, case_id).to_wire() if c.client is not None else {"id": str(uuid.uuid4())}
        r = c.http.post(f"{API}/sync/push", json={"device_id": c.device_id, "events": [wire]})
        if r.status_code != 200:
            return False, f"{r.status_code}"
        result = r.json()["results"][0]
        return result["status"] == "accepted", str(result)

    def pull(c: Caller) -> tuple[bool, str]:
        r = c.http.get(f"{API}/sync/pull", params={"cursor": 0})
        if r.status_code != 200:
            return False, f"{r.status_code}"
        sees = case_id in {e["case_id"] for e in events_of(r.json()["items"])}
        return sees, f"200, sees case: {sees}"

    def presence_post(c: Caller) -> tuple[bool, str]:
        body = {"device_id": c.device_id, "app_version": "1.0", "pending": 0, "audio": {"ok": True}}
        r = c.http.post(f"{API}/presence", json=body)
        return r.status_code == 200, f"{r.status_code}"

    def presence_list(c: Caller) -> tuple[bool, str]:
        r = c.http.get(f"{API}/presence")
        return r.status_code == 200, f"{r.status_code}"

    return {
        "intake": intake, "assign": assign, "read_case": read_case, "districts": districts, "push": push,
        "pull": pull, "presence_post": presence_post, "presence_list": presence_list,
    }  # fmt: skip


def test_every_endpoint_for_every_caller(hq: HQServer) -> None:
    case_id = hq.intake("LKO", police_station="HAZ")  # the HQ operator's assign moves it to GOM
    callers = {name: Caller(hq, name) for name in CALLERS}
    mismatches: list[str] = []
    outcomes: dict[tuple[str, str], Any] = {}
    try:
        for endpoint, call in _calls(hq, case_id).items():
            for name, caller in callers.items():
                ok, what = call(caller)
                outcomes[(endpoint, name)] = what
                expected = name in ALLOWED[endpoint]
                if ok != expected:
                    mismatches.append(f"{endpoint} as {name}: {'allowed' if ok else 'refused'} ({what})")
    finally:
        for caller in callers.values():
            caller.http.close()
    assert mismatches == []
    # Refusals are the right kind: no credentials -> 401, wrong role -> 403.
    assert outcomes[("read_case", "nobody")].startswith("401")
    assert outcomes[("read_case", "admin")].startswith("403")
    assert outcomes[("read_case", "demo-knp")].startswith("403")
    assert outcomes[("presence_list", "demo")].startswith("403")
    assert "forbidden" in outcomes[("push", "demo-knp")]
    assert outcomes[("push", "supervisor")].startswith("403")
