"""Complaints at HQ against simulators of X, YouTube and Meta's Graph API on loopback, with a real
HQ database (SQLite; PostgreSQL where marked): intake, the two-hour clock's marks, triage, replies
published once, rate limits, outages and quota."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

from core.events import EventType, ItemKind, Source
from core.fold import fold
from core.sla import Mark, SlaPolicy
from hq.complaints import replies
from hq.complaints.queue import queue, triage
from hq.complaints.sweep import on_breach, remove_breach_hook, sweep
from hq.complaints.take import IncomingItem, take_item
from hq.connectors.base import read_state
from hq.connectors.meta import MetaPublisher
from hq.connectors.x import XConnector
from hq.connectors.youtube import YouTubeConnector, next_quota_day
from hq.db import Database
from hq.errors import Conflict, Forbidden
from hq.feed import case_history
from hq.principals import Principal, Role
from hq.schema import cases, complaint_items, feed
from tests.fixtures.hq import HQFactory
from tests.fixtures.social_sims import GraphSim, XSim, YouTubeSim

OPERATOR = Principal(actor="u-operator", display_name="HQ operator", role=Role.HQ_OPERATOR)
SUPERVISOR = Principal(actor="u-supervisor", display_name="Supervisor", role=Role.SUPERVISOR)
POLICY = SlaPolicy()


@pytest.fixture
def db(hq_factory: HQFactory, backend: str) -> Iterator[Database]:
    server = hq_factory(backend, start=False)
    database = server.database()
    yield database
    database.dispose()


def _x(sim: XSim) -> XConnector:
    return XConnector(sim.url, "token", XSim.ME)


def _types(db: Database, case_id: str) -> list[str]:
    with db.reader() as conn:
        return [str(e.type) for e in case_history(conn, case_id)]


def _case_ids(db: Database) -> list[str]:
    with db.reader() as conn:
        return list(conn.execute(select(cases.c.id)).scalars())


def test_mention_gives_a_soft_alert_warns_at_90_breaches_at_120_once(db: Database, x_sim: XSim) -> None:
    posted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    x_sim.mention("@bihar_police my bike was stolen at Gandhi Maidan", at=posted)
    assert _x(x_sim).poll_mentions(db) == 1
    [case_id] = _case_ids(db)
    with db.reader() as conn:
        history = case_history(conn, case_id)
        streams = set(conn.execute(select(feed.c.stream).where(feed.c.case_id == case_id)).scalars())
    assert history[0].payload["kind"] == "complaint" and "*" in streams  # in HQ's feed
    state = fold(case_id, history)
    assert not state.needs_alarm and not state.hq_needs_alarm  # never the siren
    breaches: list[tuple[str, str]] = []

    def escalate(conn: Connection, cid: str, mark: Mark) -> None:
        breaches.append((cid, str(mark.deadline.kind)))

    on_breach(escalate)
    try:
        assert sweep(db, POLICY, posted + timedelta(minutes=89)).marks == []
        [row] = queue(db, OPERATOR, POLICY, now=posted + timedelta(minutes=89))
        assert row["signal"] is None and row["due"]["deadline"] == "first_response"
        assert sweep(db, POLICY, posted + timedelta(minutes=90)).warned == 1
        [row] = queue(db, OPERATOR, POLICY, now=posted + timedelta(minutes=90))
        assert row["signal"] == "complaint_sla_warning"
        result = sweep(db, POLICY, posted + timedelta(minutes=120))
        assert result.breached == 1 and breaches == [(case_id, "first_response")]
        [row] = queue(db, OPERATOR, POLICY, now=posted + timedelta(minutes=120))
        assert row["signal"] == "complaint_sla_breach"
        for minute in (121, 135, 200):
            sweep(db, POLICY, posted + timedelta(minutes=minute))
    finally:
        remove_breach_hook(escalate)
    types = _types(db, case_id)
    assert types.count("sla_warned") == 1 and types.count("sla_breached") == 1
    assert breaches == [(case_id, "first_response")]


def test_x_pagination_and_rate_limit_ridden_out(db: Database, x_sim: XSim) -> None:
    ids = [x_sim.mention(f"complaint {i}", author=f"30{i}", handle=f"c{i}") for i in range(5)]
    x_sim.rate_reset_s = 0.5
    x_sim.fault_at(2, 429)  # the second page is rate limited once
    assert _x(x_sim).poll_mentions(db) == 5
    assert x_sim.count("GET", f"/2/users/{XSim.ME}/mentions") == 4  # 3 pages + the 429
    assert read_state(db, "x:mentions").cursor == ids[-1]
    assert len(_case_ids(db)) == 5
    newer = x_sim.mention("one more")
    assert _x(x_sim).poll_mentions(db) == 1 and read_state(db, "x:mentions").cursor == newer


def test_x_outage_mid_run_keeps_the_cursor_and_loses_nothing(db: Database, x_sim: XSim) -> None:
    for i in range(5):
        x_sim.mention(f"complaint {i}", author=f"40{i}")
    x_sim.fault_at(2, 503)
    with pytest.raises(Exception, match="503"):
        _x(x_sim).poll_mentions(db)
    assert read_state(db, "x:mentions").cursor is None and _case_ids(db) == []
    assert _x(x_sim).poll_mentions(db) == 5  # the same items read again
    assert len(_case_ids(db)) == 5


def test_x_direct_messages(db: Database, x_sim: XSim) -> None:
    x_sim.dm("someone is threatening me online")
    x_sim.dm("please help", sender="2003")
    assert _x(x_sim).poll_dms(db) == 2 and _x(x_sim).poll_dms(db) == 0
    rows = queue(db, OPERATOR, POLICY)
    assert {r["item"] for r in rows} == {"direct_message"}


def _yt(sim: YouTubeSim, db: Database, quota: int = 10_000, clock: Any = None) -> YouTubeConnector:
    return YouTubeConnector(sim.url, "token", YouTubeSim.CHANNEL, db, daily_quota=quota, publish_reserve=0,
                            clock=clock or (lambda: datetime.now(UTC)))  # fmt: skip


def test_youtube_outage_loses_nothing(db: Database, youtube_sim: YouTubeSim) -> None:
    base = datetime.now(UTC) - timedelta(minutes=30)
    for i in range(5):
        youtube_sim.comment(f"no patrol on NH-31 #{i}", author=f"UC{i}", at=base + timedelta(minutes=i))
    youtube_sim.fault_at(2, 503)
    with pytest.raises(Exception, match="503"):
        _yt(youtube_sim, db).poll(db)
    assert read_state(db, "youtube:threads").cursor is None and len(_case_ids(db)) == 2
    youtube_sim.fail_next = 3
    for _ in range(3):
        with pytest.raises(Exception, match="503"):
            _yt(youtube_sim, db).poll(db)
    assert _yt(youtube_sim, db).poll(db) == 5
    assert len(_case_ids(db)) == 5
    youtube_sim.comment("a new one")
    assert _yt(youtube_sim, db).poll(db) == 1 and len(_case_ids(db)) == 6


def test_youtube_stops_before_the_daily_quota_and_resumes_next_day(db: Database, youtube_sim: YouTubeSim) -> None:
    now = [datetime(2026, 11, 29, 12, 0, tzinfo=UTC)]
    for i in range(5):
        youtube_sim.comment(f"complaint {i}", author=f"UC{i}", at=now[0] - timedelta(hours=1, minutes=i))
    connector = _yt(youtube_sim, db, quota=2, clock=lambda: now[0])
    assert connector.poll(db) == 0  # two pages taken, then the quota: counted as an error pause
    state = read_state(db, "youtube:threads")
    assert state.quota_used == 2 and state.paused_until is not None and '"since": null' in str(state.cursor)
    assert youtube_sim.units == 2 and len(_case_ids(db)) == 4
    assert connector.poll(db) == 0 and youtube_sim.units == 2  # paused: no call at all
    now[0] = next_quota_day(now[0]) + timedelta(minutes=1)
    assert connector.poll(db) == 1  # from the page it stopped at
    state = read_state(db, "youtube:threads")
    assert len(_case_ids(db)) == 5 and state.quota_used == 1 and state.cursor == youtube_sim_newest(youtube_sim)


def youtube_sim_newest(sim: YouTubeSim) -> str:
    newest = max(t["snippet"]["topLevelComment"]["snippet"]["publishedAt"] for t in sim.threads)
    return newest.replace(".000Z", ".000Z")


def _draft(db: Database, case_id: str, text: str = "We have informed the police station", **kw: Any) -> str:
    return str(replies.draft(db, OPERATOR, case_id, text, kw.get("needs_approval", False))["reply_id"])


def test_reply_published_once_after_a_timeout_the_platform_survived(db: Database, x_sim: XSim) -> None:
    x_sim.mention("@bihar_police chain snatching at Boring Road")
    x = _x(x_sim)
    x.poll_mentions(db)
    [case_id] = _case_ids(db)
    reply_id = _draft(db, case_id)
    x_sim.timeout_after_store = 1  # stored by X, then a 504
    first = replies.attempt(db, {"x": x}, reply_id)
    assert first.status == "unknown" and len(x_sim.tweets) == 1
    assert replies.publish_due(db, {"x": x}) == []  # not before its retry time
    later = datetime.now(UTC) + timedelta(seconds=replies.backoff_s(1) + 1)
    [second] = replies.publish_due(db, {"x": x}, later)
    assert second.status == "published" and second.platform_id == x_sim.tweets[0]["id"]
    assert x_sim.count("POST", "/2/tweets") == 1  # looked first, never sent twice
    assert replies.publish_due(db, {"x": x}, later + timedelta(hours=1)) == []
    types = _types(db, case_id)
    assert types.count("reply_published") == 1 and types.count("reply_publish_failed") == 1
    [row] = queue(db, OPERATOR, POLICY)
    [reply] = row["replies"]
    assert reply["status"] == "published" and reply["platform_id"] == x_sim.tweets[0]["id"]
    # the citizen answers our reply: the next-response clock reopens on the same complaint
    x_sim.mention("@bihar_police nobody came yet", reply_to=x_sim.tweets[0]["id"], at=later + timedelta(minutes=1))
    x.poll_mentions(db)
    assert len(_case_ids(db)) == 1 and "citizen_replied" in _types(db, case_id)
    [row] = queue(db, OPERATOR, POLICY)
    assert [d["deadline"] for d in row["deadlines"]][-1] == "next_response"


def test_a_failed_publication_is_retried_and_shown(db: Database, x_sim: XSim) -> None:
    x_sim.mention("@bihar_police signal broken at Income Tax roundabout")
    x = _x(x_sim)
    x.poll_mentions(db)
    [case_id] = _case_ids(db)
    reply_id = _draft(db, case_id)
    x_sim.fail_next = 1
    assert replies.attempt(db, {"x": x}, reply_id).status == "unknown"
    [row] = queue(db, OPERATOR, POLICY)
    assert row["replies"][0]["status"] == "failed" and row["replies"][0]["attempts"] == 1
    out = replies.publish_now(db, OPERATOR, {"x": x}, case_id, reply_id)
    assert out["status"] == "published" and len(x_sim.tweets) == 1
    # the 503 came before X stored anything: the retry looked for the reply, found none, and sent it
    assert x_sim.count("GET", f"/2/users/{XSim.ME}/tweets") == 1 and x_sim.count("POST", "/2/tweets") == 2


def test_second_pair_of_eyes_and_meta_reply(db: Database, graph_sim: GraphSim) -> None:
    item = IncomingItem(Source.FACEBOOK, ItemKind.COMMENT, "post1_c1", datetime.now(UTC), "eve teasing near college",
                        author_id="77", author_handle="Asha")  # fmt: skip
    case_id = take_item(db, item).case_id
    fb = MetaPublisher(Source.FACEBOOK, graph_sim.url, "token", GraphSim.PAGE)
    reply_id = _draft(db, case_id, needs_approval=True)
    with pytest.raises(Conflict):
        replies.publish_now(db, OPERATOR, {"facebook": fb}, case_id, reply_id)
    assert replies.publish_due(db, {"facebook": fb}) == []
    with pytest.raises(Forbidden):
        replies.approve(db, OPERATOR, case_id, reply_id)
    assert replies.approve(db, SUPERVISOR, case_id, reply_id)["status"] == "ready"
    graph_sim.timeout_after_store = 1
    assert replies.attempt(db, {"facebook": fb}, reply_id).status == "unknown"
    later = datetime.now(UTC) + timedelta(minutes=5)
    [done] = replies.publish_due(db, {"facebook": fb}, later)
    assert done.status == "published" and len(graph_sim.edges["/post1_c1/comments"]) == 1
    assert graph_sim.count("POST", "/post1_c1/comments") == 1


def test_duplicates_are_linked_not_deleted_and_triage(db: Database, x_sim: XSim) -> None:
    first = x_sim.mention("@bihar_police fight at the bus stand", author="501")
    x_sim.mention("@bihar_police still going on", author="502", conversation=first)
    x_sim.mention("@bihar_police and again", author="501")
    _x(x_sim).poll_mentions(db)
    ids = _case_ids(db)
    assert len(ids) == 3
    rows = {r["platform_id"]: r for r in queue(db, OPERATOR, POLICY)}
    root = rows[first]["case_id"]
    assert [r["duplicate_of"] for r in rows.values()].count(root) == 2
    assert all(r["due"] is None for r in rows.values() if r["duplicate_of"])  # no clock of their own
    out = triage(db, OPERATOR, root, category="womens_safety", district="LKO")
    assert out["events"] == ["categorised", "assigned"]
    [row] = [r for r in queue(db, OPERATOR, POLICY) if r["case_id"] == root]
    assert row["category"] == "womens_safety" and row["district"] == "LKO"
    with db.reader() as conn:
        assert conn.execute(select(func.count()).select_from(complaint_items)).scalar() == 3


def test_the_same_item_twice_is_one_complaint(db: Database) -> None:
    item = IncomingItem(Source.INSTAGRAM, ItemKind.COMMENT, "ig-1", datetime.now(UTC), "help", author_id="5")
    a, b = take_item(db, item), take_item(db, item)
    assert a.case_id == b.case_id and b.outcome == "already_taken" and len(_case_ids(db)) == 1
    assert _types(db, a.case_id) == [str(EventType.CREATED)]
