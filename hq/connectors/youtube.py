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
recognised on the next run. Citizens' replies inside threads are not read yet.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from core.events import ItemKind, Source, iso, parse_time, utcnow
from hq.complaints.take import IncomingItem, take_item
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

log = logging.getLogger(__name__)

PACIFIC = ZoneInfo("America/Los_Angeles")
LIST_COST = 1
INSERT_COST = 50
MAX_PAGES = 100
STATE = "youtube:threads"


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
            "part": "snippet",
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
            token = page.get("nextPageToken")
            if done or not token:
                break
            params["pageToken"] = token
        state.cursor = _Cursor(newest, None, None).dump()
        save_state(db, state)
        return taken

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
