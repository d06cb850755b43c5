"""Complaints in a console's replica as HQ sends them, and an HQ operator's context, for the window
tests in this folder."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from core.complaints import complaint_payload
from core.events import Author, EventType, ItemKind, Source, Tier, new_event, utcnow
from tests.e2e.kit import UiEnv, add_cases_from_hq, make_context

HQ = Author("hq-op", "HQ operator", Tier.HQ)


def routed_complaint(env: UiEnv, district: str = "Lucknow") -> str:
    """A complaint HQ took two hours after its post (breached) and routed to ``district``."""
    case_id = str(uuid.uuid4())
    now = utcnow()
    payload = complaint_payload(platform=Source.X, item=ItemKind.MENTION, platform_id=uuid.uuid4().hex,
                                posted_at=now - timedelta(minutes=130), author_handle="citizen42",
                                text="@police my phone was snatched near the bus stand", received_at=now)  # fmt: skip
    made = new_event(case_id=case_id, type=EventType.CREATED, payload=payload, author=HQ, device_id="hq",
                     hlc=env.hq_clock.now(), wall_time=now)  # fmt: skip
    routed = new_event(case_id=case_id, type=EventType.ASSIGNED, payload={"district": district}, author=HQ,
                       device_id="hq", hlc=env.hq_clock.now(), wall_time=now)  # fmt: skip
    add_cases_from_hq(env.store, [made, routed])
    return case_id


def hq_context(env: UiEnv) -> Any:
    ctx = make_context(env)
    ctx.user.author = HQ
    ctx.user.role = "hq_operator"
    ctx.user.district = None
    return ctx
