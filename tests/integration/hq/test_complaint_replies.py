"""Citizens' replies on YouTube and Instagram, Instagram mentions and Facebook's parent post, against
the loopback simulators of the YouTube Data API and Meta's Graph API, with a real HQ database
(SQLite and PostgreSQL): a reply by the complaint's author reopens the next-response clock at the
platform's time, redelivery is idempotent, our own and other viewers' replies are not the citizen's,
quota and outages lose nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.events import Event, EventType, Source, iso, parse_time
from core.sla import SlaPolicy
from hq.complaints import replies
from hq.complaints.queue import queue
from hq.connectors import signature
from hq.connectors.base import read_state
from hq.connectors.meta import CONTEXT_BACKOFF_S, MetaIntake, MetaPublisher
from hq.connectors.youtube import REPLIES_STATE, YouTubeConnector, next_quota_day
from hq.db import Database
from hq.feed import case_history
from hq.principals import Principal, Role
from hq.schema import cases, connector_state
from tests.fixtures.hq import API, HQFactory
from tests.fixtures.social_sims import GraphSim, YouTubeSim

OPERATOR = Principal(actor="u-operator", display_name="HQ operator", role=Role.HQ_OPERATOR)
POLICY = SlaPolicy()
CITIZEN = "UCcitizen7"


@pytest.fixture
def db(hq_factory: HQFactory, backend: str) -> Iterator[Database]:
    server = hq_factory(backend, start=False)
    database = server.database()
    yield database
    database.dispose()


def _history(db: Database, case_id: str) -> list[Event]:
    with db.reader() as conn:
        return case_history(conn, case_id)


def _citizen(db: Database, case_id: str) -> list[dict[str, Any]]:
    return [dict(e.payload) for e in _history(db, case_id) if e.type is EventType.CITIZEN_REPLIED]


def _case_ids(db: Database) -> list[str]:
    with db.reader() as conn:
        return list(conn.execute(select(cases.c.id)).scalars())


def _yt(sim: YouTubeSim, db: Database, clock: Any = None) -> YouTubeConnector:
    return YouTubeConnector(sim.url, "token", YouTubeSim.CHANNEL, db, publish_reserve=0,
                            clock=clock or (lambda: datetime.now(UTC)))  # fmt: skip


def _answered_youtube_complaint(db: Database, sim: YouTubeSim, yt: YouTubeConnector) -> tuple[str, str, datetime]:
    """A complaint polled from YouTube and answered there: (case, top comment id, our reply's time)."""
    posted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)
    top = sim.comment("@BiharPolice no patrol on NH-31 at night", author=CITIZEN, name="Ravi", at=posted)
    assert yt.poll(db) == 1
    [case_id] = _case_ids(db)
    reply_id = replies.draft(db, OPERATOR, case_id, "Patrol informed, please share the spot", False)["reply_id"]
    done = replies.attempt(db, {"youtube": yt}, str(reply_id))
    assert done.status == "published"
    [ours] = [c for c in sim.replies if c["snippet"]["authorChannelId"]["value"] == YouTubeSim.CHANNEL]
    return case_id, top, parse_time(ours["snippet"]["publishedAt"])


def test_youtube_reply_by_the_author_reopens_the_clock_at_the_platforms_time(
    db: Database, youtube_sim: YouTubeSim
) -> None:
    now = [datetime.now(UTC)]
    yt = _yt(youtube_sim, db, clock=lambda: now[0])
    case_id, top, ours_at = _answered_youtube_complaint(db, youtube_sim, yt)
    youtube_sim.reply(top, "@Ravi I saw it too", author="UCviewer", name="Viewer", at=ours_at + timedelta(minutes=1))
    youtube_sim.reply(top, "@Ravi thanks, will look", author=YouTubeSim.CHANNEL, at=ours_at + timedelta(minutes=2))
    said_at = (ours_at + timedelta(minutes=5)).replace(microsecond=0)
    said = youtube_sim.reply(top, "Near Km 42, nobody came", author=CITIZEN, name="Ravi", at=said_at)
    before = youtube_sim.units
    yt.poll(db)
    # the channel's page, the answered threads by id, and the thread's replies (4 > 2 inlined) in 2 pages
    assert youtube_sim.units - before == 4 and youtube_sim.count("GET", "/youtube/v3/comments") == 2
    [reply] = _citizen(db, case_id)
    assert reply["platform_id"] == said and reply["at"] == iso(said_at) and "Km 42" in reply["text"]
    assert len(_case_ids(db)) == 1  # the viewer's and our own replies made nothing
    [row] = queue(db, OPERATOR, POLICY, now=said_at + timedelta(minutes=1))
    nxt = [d for d in row["deadlines"] if d["deadline"] == "next_response"]
    assert len(nxt) == 1 and parse_time(nxt[0]["started_at"]) == said_at  # the platform's time, not the poll's
    assert parse_time(row["due"]["due_at"]) <= said_at + timedelta(minutes=POLICY.next_response_min)

    # at once again: the answered threads wait their turn (their share of the day's units)
    before = youtube_sim.units
    yt.poll(db)
    assert youtube_sim.units - before == 1
    # a minute later, nothing new in the thread: the count is the one read, so no replies are fetched
    now[0] += timedelta(minutes=1)
    yt.poll(db)
    assert youtube_sim.units - before == 3 and youtube_sim.count("GET", "/youtube/v3/comments") == 2
    # the count forgotten (or a second HQ worker): the thread is read again, and nothing is twice
    state = read_state(db, REPLIES_STATE)
    assert state.cursor is not None and top in state.cursor
    with db.writer() as conn:
        conn.execute(connector_state.delete().where(connector_state.c.name == REPLIES_STATE))
    now[0] += timedelta(minutes=1)
    yt.poll(db)
    assert youtube_sim.count("GET", "/youtube/v3/comments") == 4
    assert len(_citizen(db, case_id)) == 1 and len(_case_ids(db)) == 1


def test_youtube_author_follow_up_before_our_reply_starts_no_clock(db: Database, youtube_sim: YouTubeSim) -> None:
    posted = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    top = youtube_sim.comment("chain snatching at Boring Road", author=CITIZEN, at=posted)
    youtube_sim.reply(top, "it was a black bike", author=CITIZEN, at=posted + timedelta(minutes=2))
    youtube_sim.reply(top, "same here", author="UCviewer", at=posted + timedelta(minutes=3))
    yt = _yt(youtube_sim, db)
    yt.poll(db)  # the thread's inlined replies come with it, at no extra cost
    [case_id] = _case_ids(db)
    assert youtube_sim.units == 1 and [r["text"] for r in _citizen(db, case_id)] == ["it was a black bike"]
    [row] = queue(db, OPERATOR, POLICY)
    assert [d["deadline"] for d in row["deadlines"]] == ["first_response", "resolution"]
    yt.poll(db)
    assert len(_citizen(db, case_id)) == 1 and youtube_sim.units == 2  # unanswered: its thread is not watched


def test_youtube_replies_outage_and_quota_lose_nothing(db: Database, youtube_sim: YouTubeSim) -> None:
    now = [datetime.now(UTC)]
    yt = _yt(youtube_sim, db, clock=lambda: now[0])
    case_id, top, ours_at = _answered_youtube_complaint(db, youtube_sim, yt)
    for i in range(3):
        youtube_sim.reply(top, f"still waiting {i}", author=CITIZEN, at=ours_at + timedelta(minutes=i + 1))
    youtube_sim.fault_at(4, 503)  # channel page, threads by id, replies page 1, then page 2 fails
    with pytest.raises(Exception, match="503"):
        yt.poll(db)
    assert _citizen(db, case_id) == [] and read_state(db, REPLIES_STATE).cursor in (None, "{}")
    youtube_sim.quota = youtube_sim.units + 2  # YouTube's own count runs out before ours
    assert yt.poll(db) == 0
    state = read_state(db, "youtube:threads")
    assert state.paused_until is not None and parse_time(state.paused_until) == next_quota_day(now[0])
    assert _citizen(db, case_id) == []
    youtube_sim.quota = None
    now[0] = next_quota_day(now[0]) + timedelta(minutes=1)
    yt.poll(db)
    said = [r["at"] for r in _citizen(db, case_id)]
    assert said == [iso(ours_at + timedelta(minutes=i + 1)) for i in range(3)]
    [row] = queue(db, OPERATOR, POLICY, now=ours_at + timedelta(minutes=10))
    nxt = [d for d in row["deadlines"] if d["deadline"] == "next_response"]
    assert [parse_time(d["started_at"]) for d in nxt] == [ours_at + timedelta(minutes=1)]  # later ones don't restart


# ---- Meta: Instagram replies and mentions, Facebook's parent post --------------------------------


def _intake(sim: GraphSim, now: list[datetime], timeout_s: float = 5.0) -> MetaIntake:
    return MetaIntake(sim.url, "page-token", GraphSim.PAGE, GraphSim.IG_USER, clock=lambda: now[0],
                      timeout_s=timeout_s)  # fmt: skip


def _ig_comment(comment_id: str, text: str, at: datetime, *, user: str = "7", username: str = "asha",
                parent: str | None = None) -> dict[str, Any]:  # fmt: skip
    value: dict[str, Any] = {"id": comment_id, "text": text, "from": {"id": user, "username": username},
                             "media": {"id": "m1"}}  # fmt: skip
    if parent:
        value["parent_id"] = parent
    return {"object": "instagram",
            "entry": [{"id": GraphSim.IG_USER, "time": int(at.timestamp()), "changes": [
                {"field": "comments", "value": value}]}]}  # fmt: skip


def _ig_mention(comment_id: str, at: datetime) -> dict[str, Any]:
    return {"object": "instagram", "entry": [{"id": GraphSim.IG_USER, "time": int(at.timestamp()), "changes": [
        {"field": "mentions", "value": {"media_id": "m9", "comment_id": comment_id}}]}]}  # fmt: skip


def _fb_comment(comment_id: str, post_id: str, at: datetime) -> dict[str, Any]:
    value = {"item": "comment", "verb": "add", "comment_id": comment_id, "post_id": post_id, "parent_id": post_id,
             "message": "is this true?", "created_time": int(at.timestamp()), "from": {"id": "4242", "name": "Ravi"}}
    changes = [{"field": "feed", "value": value}]
    return {"object": "page", "entry": [{"id": GraphSim.PAGE, "time": int(at.timestamp()), "changes": changes}]}


def test_instagram_reply_by_the_author_reopens_the_clock(db: Database, graph_sim: GraphSim) -> None:
    now = [datetime.now(UTC).replace(microsecond=0)]
    intake = _intake(graph_sim, now)
    posted = now[0] - timedelta(minutes=30)
    assert intake.take(db, _ig_comment("c1", "fake job offer in your name", posted)) == (1, 0)
    [case_id] = _case_ids(db)
    ig = MetaPublisher(Source.INSTAGRAM, graph_sim.url, "page-token", GraphSim.IG_USER)
    reply_id = replies.draft(db, OPERATOR, case_id, "Please report it on 1930", False)["reply_id"]
    assert replies.attempt(db, {"instagram": ig}, str(reply_id)).status == "published"
    ours_at = max(parse_time(str(r["published_at"])) for r in queue(db, OPERATOR, POLICY)[0]["replies"])
    said_at = (ours_at + timedelta(minutes=3)).replace(microsecond=0)  # Meta times are whole seconds
    said = _ig_comment("c3", "I did, no answer", said_at, parent="c1")
    assert intake.take(db, said) == (1, 0) and intake.take(db, said) == (1, 0)  # Meta delivers again
    [reply] = _citizen(db, case_id)
    assert reply["platform_id"] == "c3" and reply["at"] == iso(said_at)
    # our own reply echoed by the webhook, and another user's reply under the thread: not the citizen's
    intake.take(db, _ig_comment("c4", "Please report it on 1930", said_at, user=GraphSim.IG_USER, parent="c1"))
    intake.take(db, _ig_comment("c5", "happened to me too", said_at, user="8", username="ravi", parent="c1"))
    assert len(_citizen(db, case_id)) == 1 and len(_case_ids(db)) == 2  # the other user: a complaint of their own
    [row] = [r for r in queue(db, OPERATOR, POLICY, now=said_at) if r["case_id"] == case_id]
    [nxt] = [d for d in row["deadlines"] if d["deadline"] == "next_response"]
    assert parse_time(nxt["started_at"]) == said_at


def test_instagram_mention_read_from_graph_and_an_outage_delivered_again(
    db: Database, graph_sim: GraphSim
) -> None:
    now = [datetime.now(UTC).replace(microsecond=0)]
    intake = _intake(graph_sim, now)
    at = now[0] - timedelta(minutes=4)
    graph_sim.mention("c9", "@bihar_police loan app is threatening me", username="asha", user_id="7", at=at)
    graph_sim.fail_next = 1
    assert intake.take(db, _ig_mention("c9", now[0])) == (0, 1) and _case_ids(db) == []  # answered 503
    assert intake.take(db, _ig_mention("c9", now[0])) == (0, 1)  # Graph just failed: not asked again yet
    assert graph_sim.count("GET", f"/{GraphSim.IG_USER}") == 1
    now[0] += timedelta(seconds=CONTEXT_BACKOFF_S + 1)
    assert intake.take(db, _ig_mention("c9", now[0])) == (1, 0)
    assert intake.take(db, _ig_mention("c9", now[0])) == (1, 0)  # delivered twice: one complaint
    [case_id] = _case_ids(db)
    [created] = [e for e in _history(db, case_id) if e.type is EventType.CREATED]
    c, s = created.payload["complaint"], created.payload["subject"]
    assert (c["item"], c["platform_id"], c["posted_at"], c["author_handle"]) == ("mention", "c9", iso(at), "@asha")
    assert "loan app" in s["post_text"]


def test_facebook_parent_post_read_from_graph_an_outage_keeps_the_complaint(
    db: Database, graph_sim: GraphSim
) -> None:
    now = [datetime.now(UTC).replace(microsecond=0)]
    intake = _intake(graph_sim, now, timeout_s=0.3)
    graph_sim.post("9000_p1", "Advisory: the Gandhi Setu is closed tonight")
    intake.take(db, _fb_comment("9000_p1_c1", "9000_p1", now[0]))
    intake.take(db, _fb_comment("9000_p1_c2", "9000_p1", now[0]))
    assert graph_sim.count("GET", "/9000_p1") == 1  # one lookup per post

    def context(comment_id: str) -> tuple[Any, Any]:
        with db.reader() as conn:
            case_id = conn.execute(select(cases.c.id).where(cases.c.upstream_ref == f"facebook:{comment_id}")).scalar()
        [created] = [e for e in _history(db, str(case_id)) if e.type is EventType.CREATED]
        return created.payload["complaint"].get("thread_text"), created.payload["complaint"].get("thread_url")

    assert context("9000_p1_c2") == ("Advisory: the Gandhi Setu is closed tonight",
                                     f"https://www.facebook.com/{GraphSim.PAGE}/posts/9000_p1")  # fmt: skip
    # a post Graph refuses (deleted, no permission): stored, context empty, the post's link kept
    assert intake.take(db, _fb_comment("9000_p2_c1", "9000_p2", now[0])) == (1, 0)
    assert context("9000_p2_c1") == (None, "https://www.facebook.com/9000_p2")
    # Graph too slow: stored at once without context, and no lookup while Graph is taken as down
    graph_sim.post("9000_p3", "Traffic advisory")
    graph_sim.delay_s = 1.0
    assert intake.take(db, _fb_comment("9000_p3_c1", "9000_p3", now[0])) == (1, 0)
    graph_sim.delay_s = 0.0
    assert intake.take(db, _fb_comment("9000_p3_c2", "9000_p3", now[0])) == (1, 0)
    assert graph_sim.count("GET", "/9000_p3") == 1
    assert context("9000_p3_c1") == (None, "https://www.facebook.com/9000_p3") == context("9000_p3_c2")
    # a 5xx, after the pause: stored without context; later the next comment's lookup succeeds
    now[0] += timedelta(seconds=CONTEXT_BACKOFF_S + 1)
    graph_sim.fail_next = 1
    assert intake.take(db, _fb_comment("9000_p3_c3", "9000_p3", now[0])) == (1, 0)
    assert context("9000_p3_c3")[0] is None
    now[0] += timedelta(seconds=CONTEXT_BACKOFF_S + 1)
    assert intake.take(db, _fb_comment("9000_p3_c4", "9000_p3", now[0])) == (1, 0)
    assert context("9000_p3_c4")[0] == "Traffic advisory"
    assert len(_case_ids(db)) == 7  # every comment stored, whatever Graph did


def test_webhook_answers_503_for_a_mention_graph_cannot_read(
    hq_factory: HQFactory, graph_sim: GraphSim, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "RAKSHAK_META_APP_SECRET": "app-secret", "RAKSHAK_META_PAGE_TOKEN": "page-token",
        "RAKSHAK_META_PAGE_ID": GraphSim.PAGE, "RAKSHAK_META_IG_USER_ID": GraphSim.IG_USER,
        "RAKSHAK_META_GRAPH_URL": graph_sim.url, "RAKSHAK_COMPLAINTS_POLL_S": "3600",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    server = hq_factory("sqlite")
    now = datetime.now(UTC)
    body = _ig_mention("c9", now)
    body["entry"][0]["changes"].append(_ig_comment("c1", "cyber fraud", now)["entry"][0]["changes"][0])
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", signature.HEADER: signature.sign("app-secret", raw)}
    url = f"{server.url}{API}/webhooks/meta"
    first = httpx.post(url, content=raw, headers=headers)  # Graph does not know the mention yet
    assert first.status_code == 503 and first.json() == {"taken": 1, "missed": 1}
    graph_sim.mention("c9", "@bihar_police my account was hacked")
    second = httpx.post(url, content=raw, headers=headers)  # Meta delivers again; Graph is not down, only 4xx
    assert second.status_code == 200 and second.json() == {"taken": 2}
    db = server.database()
    try:
        assert len(_case_ids(db)) == 2  # the comment taken once, the mention once
    finally:
        db.dispose()
