"""YouTube Data API v3: comment threads on the channel polled into complaints, with quota accounting.

``commentThreads.list`` (``allThreadsRelatedToChannelId``, ``order=time``) costs 1 unit a page,
``comments.list`` 1, ``comments.insert`` 50. The project's daily quota (10,000 units unless Google
granted more) resets at midnight Pacific time. Every call is counted in ``connector_state`` against
the Pacific day *before* it is made; polling stops once the next call would eat into the units kept
for replies (``RAKSHAK_YT_PUBLISH_RESERVE``), and resumes on the next Pacific day. A 403
``quotaExceeded`` answer pauses the same way.

The cursor is the newest ``publishedAt`` of a top-level comment stored; pages are read (newest first)
until a thread at or before it appears, and the cursor advances only after the whole run is stored.
A run stopped by the quota keeps the page it stopped at, and the next quota day goes on from there.
A 503 (or any outage) mid-run leaves it unmoved: nothing is lost, and items already taken are
recognised on the next run.

Citizens' replies. YouTube's replies are one level deep: every reply of a thread hangs under its
top-level comment, so a reply cannot name the reply it answers. A reply is the citizen's when its
author is the author of the thread's top comment (the complaint); it is taken with ``under`` = that
comment's id and becomes ``citizen_replied`` on the complaint at its ``publishedAt``
(``hq.complaints.take``; after our published reply it reopens the next-response clock). Our own
channel's replies are never the citizen's. Replies by other viewers are ignored: they are
conversation under someone else's comment, the API says nothing about whom they address, our
answer to one would land in the first citizen's thread, and a viewer who wants the police writes a
comment of their own, which is a complaint. Each reply is taken once (its comment id is its key).

Replies are read in two places, with ``part=snippet,replies``: the threads a run finds new (their
inlined replies, at no extra cost), and then the threads of the complaints we answered that are
still watched (``complaint_items.next_check_at`` set), 50 ids per ``commentThreads.list?id=`` call
(1 unit), whatever the order YouTube lists threads in; that pass runs again only after
``calls × 24 h / (REPLIES_SHARE × the day's polling units)`` (every poll for up to 50 threads under
the default quota), kept as ``paused_until`` of ``youtube:replies``. A thread whose ``totalReplyCount`` is the
count already read (kept in ``connector_state`` row ``youtube:replies``) costs nothing more; one
with more replies than inlined is read with ``comments.list?parentId=`` page by page (1 unit each).
The count is stored only after the thread's replies are taken, so a quota stop or an outage
mid-way reads the thread again on the next run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests
from sqlalchemy import select

from core.events import ItemKind, Source, iso, parse_time, utcnow
from hq.complaints.take import CITIZEN_REPLY, IncomingItem, take_item
from hq.connectors.base import (
    PollState,
    Published,
    QuotaExhausted,
    Refused,
    call,
    read_state,
    record_error,
    record_ok,
    save_state,
)
from hq.db import Database
from hq.schema import complaint_items, complaint_replies

log = logging.getLogger(__name__)

PACIFIC = ZoneInfo("America/Los_Angeles")
LIST_COST = 1
INSERT_COST = 50
MAX_PAGES = 100
IDS_PER_CALL = 50  # commentThreads.list takes up to 50 ids in one call
# At most this share of a day's polling units goes on re-reading the answered threads, so hundreds of
# open answered complaints slow that pass down instead of spending the units new comments need.
REPLIES_SHARE = 0.4
STATE = "youtube:threads"
REPLIES_STATE = "youtube:replies"


def quota_day(now: datetime) -> str:
    return now.astimezone(PACIFIC).date().isoformat()


def next_quota_day(now: datetime) -> datetime:
    local = now.astimezone(PACIFIC)
    midnight = datetime(local.year, local.month, local.day, tzinfo=PACIFIC) + timedelta(days=1)
    return midnight.astimezone(now.tzinfo)


class YouTubeConnector:
    platform = str(Source.YOUTUBE)

    def __init__(
        self,
        base_url: str,
        token: str,
        channel_id: str,
        db: Database,
        *,
        daily_quota: int = 10_000,
        publish_reserve: int = 500,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.base = base_url.rstrip("/")
        self.channel_id = channel_id
        self.db = db
        self.daily_quota = daily_quota
        self.publish_reserve = publish_reserve
        self.clock = clock
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def _spend(self, state: PollState, cost: int, *, reserve: int) -> None:
        """Count ``cost`` units against today's quota, or raise QuotaExhausted (nothing spent)."""
        now = self.clock()
        today = quota_day(now)
        if state.quota_day != today:
            state.quota_day, state.quota_used = today, 0
        if state.quota_used + cost > self.daily_quota - reserve:
            raise QuotaExhausted(next_quota_day(now))
        state.quota_used += cost
        save_state(self.db, state)

    def _call(self, state: PollState, method: str, path: str, cost: int, *, reserve: int, **kw: Any) -> Any:
        self._spend(state, cost, reserve=reserve)
        try:
            return call(self.session, method, f"{self.base}{path}", now=self.clock(), **kw)
        except Refused as exc:
            if "quotaExceeded" in str(exc) or "dailyLimitExceeded" in str(exc):
                raise QuotaExhausted(next_quota_day(self.clock())) from None
            raise

    # ---- polling ---------------------------------------------------------------------------------

    def poll(self, db: Database) -> int:
        state = read_state(db, STATE)
        if state.paused_until and parse_time(state.paused_until) > self.clock():
            return 0
        try:
            taken = self._threads(db, state)
            taken += self._answered_threads(db, state)
        except QuotaExhausted as exc:
            state.paused_until = iso(exc.resume_at)
            record_error(db, state, str(exc))
            return 0
        except Exception as exc:
            record_error(db, state, f"{type(exc).__name__}: {exc}")
            raise
        state.paused_until = None
        record_ok(db, state, taken)
        return taken

    def _threads(self, db: Database, state: PollState) -> int:
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.channel_id,
            "maxResults": 100,
            "order": "time",
            "textFormat": "plainText",
        }
        cursor = _Cursor.load(state.cursor)
        since = cursor.since
        newest = cursor.newest or since
        if cursor.resume:
            params["pageToken"] = cursor.resume
        taken = 0
        for _ in range(MAX_PAGES):
            try:
                page = self._call(state, "GET", "/youtube/v3/commentThreads", LIST_COST,
                                  reserve=self.publish_reserve, params=params)  # fmt: skip
            except QuotaExhausted:
                # stopped mid-run: the next day goes on from this page instead of starting over
                state.cursor = _Cursor(since, params.get("pageToken"), newest).dump()
                save_state(db, state)
                raise
            done = False
            for thread in page.get("items") or []:
                top = (thread.get("snippet") or {}).get("topLevelComment") or {}
                s = top.get("snippet") or {}
                posted = parse_time(s["publishedAt"])
                if since is not None and posted <= since:
                    done = True
                    break
                newest = max(newest or posted, posted)
                if (s.get("authorChannelId") or {}).get("value") == self.channel_id:
                    continue
                video = (thread.get("snippet") or {}).get("videoId") or s.get("videoId")
                take_item(db, _item(top["id"], s, video))
                taken += 1
                inlined = (thread.get("replies") or {}).get("comments") or []
                taken += self._take_replies(db, top["id"], _author(s), video, inlined)
            token = page.get("nextPageToken")
            if done or not token:
                break
            params["pageToken"] = token
        state.cursor = _Cursor(newest, None, None).dump()
        save_state(db, state)
        return taken

    # ---- citizens' replies ------------------------------------------------------------------------

    def _take_replies(self, db: Database, top_id: str, citizen: str | None, video: str | None,
                      comments: list[dict[str, Any]]) -> int:  # fmt: skip
        """Take the replies of ``top_id``'s thread that its author (``citizen``) wrote, oldest first."""
        if not citizen or citizen == self.channel_id:
            return 0
        mine = [c for c in comments if _author(c.get("snippet") or {}) == citizen]
        for c in sorted(mine, key=lambda c: str((c.get("snippet") or {}).get("publishedAt"))):
            take_item(db, replace(_item(c["id"], c["snippet"], video), under=top_id))
        return len(mine)

    def _answered_threads(self, db: Database, state: PollState) -> int:
        """Read the replies of the watched threads we answered (see the module docstring)."""
        watched = _answered(db)
        seen_state = read_state(db, REPLIES_STATE)
        now = self.clock()
        if not watched or (seen_state.paused_until and parse_time(seen_state.paused_until) > now):
            return 0
        seen: dict[str, int] = json.loads(seen_state.cursor) if seen_state.cursor else {}
        seen = {k: v for k, v in seen.items() if k in watched}  # a thread no longer watched is forgotten
        ids = sorted(watched)
        taken = 0
        for start in range(0, len(ids), IDS_PER_CALL):
            params = {"part": "snippet,replies", "id": ",".join(ids[start : start + IDS_PER_CALL]),
                      "textFormat": "plainText"}  # fmt: skip
            page = self._call(state, "GET", "/youtube/v3/commentThreads", LIST_COST,
                              reserve=self.publish_reserve, params=params)  # fmt: skip
            for thread in page.get("items") or []:
                snippet = thread.get("snippet") or {}
                top_id = str(thread.get("id") or (snippet.get("topLevelComment") or {}).get("id") or "")
                total = int(snippet.get("totalReplyCount") or 0)
                if top_id not in watched or seen.get(top_id) == total:
                    continue
                inlined = (thread.get("replies") or {}).get("comments") or []
                replies = inlined if len(inlined) >= total else self._all_replies(state, top_id)
                video = snippet.get("videoId")
                taken += self._take_replies(db, top_id, watched[top_id], video, replies)
                seen[top_id] = total
                seen_state.cursor = json.dumps(seen, sort_keys=True)
                save_state(db, seen_state)
        seen_state.cursor = json.dumps(seen, sort_keys=True)
        budget = max((self.daily_quota - self.publish_reserve) * REPLIES_SHARE, 1.0)
        gap_s = -(-len(ids) // IDS_PER_CALL) * 86_400 / budget
        seen_state.paused_until = iso(now + timedelta(seconds=gap_s))
        save_state(db, seen_state)
        return taken

    def _all_replies(self, state: PollState, top_id: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"part": "snippet", "parentId": top_id, "maxResults": 100,
                                  "textFormat": "plainText"}  # fmt: skip
        out: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            page = self._call(state, "GET", "/youtube/v3/comments", LIST_COST, reserve=self.publish_reserve,
                              params=params)  # fmt: skip
            out.extend(page.get("items") or [])
            token = page.get("nextPageToken")
            if not token:
                break
            params["pageToken"] = token
        return out

    # ---- publishing ------------------------------------------------------------------------------

    def publish_reply(self, target_id: str, text: str, item: str) -> Published:
        state = read_state(self.db, STATE)
        body = self._call(state, "POST", "/youtube/v3/comments", INSERT_COST, reserve=0, params={"part": "snippet"},
                          json={"snippet": {"parentId": target_id, "textOriginal": text}})  # fmt: skip
        published = (body.get("snippet") or {}).get("publishedAt")
        return Published(str(body.get("id", "")), None, parse_time(published) if published else self.clock())

    def find_reply(self, target_id: str, text: str, item: str) -> Published | None:
        state = read_state(self.db, STATE)
        params: dict[str, Any] = {
            "part": "snippet",
            "parentId": target_id,
            "maxResults": 100,
            "textFormat": "plainText",
        }
        for _ in range(MAX_PAGES):
            page = self._call(state, "GET", "/youtube/v3/comments", LIST_COST, reserve=0, params=params)
            for c in page.get("items") or []:
                s = c.get("snippet") or {}
                mine = (s.get("authorChannelId") or {}).get("value") == self.channel_id
                if mine and (s.get("textOriginal") or s.get("textDisplay")) == text:
                    return Published(c["id"], None, parse_time(s["publishedAt"]))
            token = page.get("nextPageToken")
            if not token:
                return None
            params["pageToken"] = token
        return None


@dataclass(frozen=True)
class _Cursor:
    """The newest comment time stored (``since``); while a run is cut short by the quota, also the
    page to go on from (``resume``) and the newest time that run has seen (``newest``)."""

    since: datetime | None
    resume: str | None = None
    newest: datetime | None = None

    @classmethod
    def load(cls, text: str | None) -> _Cursor:
        if not text:
            return cls(None)
        if not text.startswith("{"):
            return cls(parse_time(text))
        data = json.loads(text)
        t = {k: parse_time(data[k]) if data.get(k) else None for k in ("since", "newest")}
        return cls(t["since"], data.get("resume"), t["newest"])

    def dump(self) -> str | None:
        if self.resume is None:
            return iso(self.since) if self.since else None
        return json.dumps({"since": iso(self.since) if self.since else None, "resume": self.resume,
                           "newest": iso(self.newest) if self.newest else None})  # fmt: skip


def _author(s: dict[str, Any]) -> str | None:
    value = (s.get("authorChannelId") or {}).get("value")
    return str(value) if value else None


def _answered(db: Database) -> dict[str, str]:
    """The YouTube complaints still watched that have a published reply: top comment id -> author."""
    with db.reader() as conn:
        rows = conn.execute(
            select(complaint_items.c.key, complaint_items.c.author_id)
            .join(complaint_replies, complaint_replies.c.case_id == complaint_items.c.case_id)
            .where(
                complaint_items.c.platform == str(Source.YOUTUBE),
                complaint_items.c.item != CITIZEN_REPLY,
                complaint_items.c.next_check_at.is_not(None),
                complaint_items.c.author_id.is_not(None),
                complaint_replies.c.status == "published",
            )
            .distinct()
        ).all()
    return {str(r.key).split(":", 1)[1]: str(r.author_id) for r in rows}


def _item(comment_id: str, s: dict[str, Any], video: str | None) -> IncomingItem:
    return IncomingItem(
        platform=Source.YOUTUBE,
        item=ItemKind.COMMENT,
        platform_id=comment_id,
        posted_at=parse_time(s["publishedAt"]),
        text=s.get("textOriginal") or s.get("textDisplay") or "",
        author_id=(s.get("authorChannelId") or {}).get("value"),
        author_handle=s.get("authorDisplayName"),
        author_url=s.get("authorChannelUrl"),
        post_url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        thread_id=None,  # comments under one video are different citizens' threads, not one conversation
        thread_url=f"https://www.youtube.com/watch?v={video}" if video else None,
    )


__all__ = ["INSERT_COST", "LIST_COST", "YouTubeConnector", "next_quota_day", "quota_day"]
