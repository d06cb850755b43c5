"""X API v2: mentions and direct messages polled into complaints; replies published as tweets or DMs.

Mentions: ``GET /2/users/{id}/mentions`` with ``since_id`` = the newest mention already stored,
newest first, followed through ``meta.next_token`` pages. Direct messages: ``GET /2/dm_events``
(no ``since_id`` there): pages are read until an event at or below the stored cursor appears.

A run reads every new page first, then stores the items oldest first (so a thread's first post is
the one later repeats link to), and only then advances the cursor. A run cut short by an outage
stores nothing and leaves the cursor where it was: the next run reads the same items again, and
``take_item`` recognises any already taken. A 429 is ridden out: the poller waits
until ``x-rate-limit-reset`` (up to ``MAX_RATE_WAIT_S``; longer, it records the pause and stops, the
cursor unmoved) and asks for the same page again.

Thread context: ``expansions=author_id,referenced_tweets.id`` gives the author's handle and the
tweet replied to (its text and link are kept as the thread's context; ``conversation_id`` is the
thread id that duplicates are matched on).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests

from core.events import ItemKind, Source, iso, parse_time, utcnow
from hq.complaints.take import IncomingItem, take_item
from hq.connectors.base import (
    PollState,
    Published,
    RateLimited,
    call,
    read_state,
    record_error,
    record_ok,
    save_state,
)
from hq.db import Database

log = logging.getLogger(__name__)

MAX_RATE_WAIT_S = 15 * 60
MAX_PAGES = 50
TWEET_FIELDS = "created_at,conversation_id,author_id,referenced_tweets,in_reply_to_user_id"


def _tweet_url(handle: str | None, tweet_id: str) -> str:
    return f"https://x.com/{handle or 'i'}/status/{tweet_id}"


def _take_oldest_first(db: Database, found: list[IncomingItem]) -> int:
    """Store a run's items oldest first, so a thread's first post is the one its repeats link to."""
    for item in sorted(found, key=lambda i: (i.posted_at, len(i.platform_id), i.platform_id)):
        take_item(db, item)
    return len(found)


class XConnector:
    platform = str(Source.X)

    def __init__(
        self,
        base_url: str,
        token: str,
        user_id: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.base = base_url.rstrip("/")
        self.user_id = user_id
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.sleep = sleep
        self.clock = clock

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        """A GET that rides out 429s (waiting for the reset); other failures are raised."""
        while True:
            try:
                return call(self.session, "GET", f"{self.base}{path}", params=params, now=self.clock())
            except RateLimited as exc:
                wait = (exc.reset_at - self.clock()).total_seconds()
                if wait > MAX_RATE_WAIT_S:
                    raise
                log.info("x: rate limited on %s; waiting %.0f s for the reset", path, wait)
                self.sleep(max(wait, 0.0) + 0.5)

    # ---- polling ---------------------------------------------------------------------------------

    def poll_mentions(self, db: Database) -> int:
        state = read_state(db, "x:mentions")
        return self._run(db, state, self._mentions)

    def poll_dms(self, db: Database) -> int:
        state = read_state(db, "x:dms")
        return self._run(db, state, self._dms)

    def _run(self, db: Database, state: PollState, body: Callable[[Database, PollState], int]) -> int:
        if state.paused_until and parse_time(state.paused_until) > self.clock():
            return 0
        try:
            taken = body(db, state)
        except RateLimited as exc:
            state.paused_until = iso(exc.reset_at)
            record_error(db, state, str(exc))
            return 0
        except Exception as exc:
            record_error(db, state, f"{type(exc).__name__}: {exc}")
            raise
        state.paused_until = None
        record_ok(db, state, taken)
        return taken

    def _mentions(self, db: Database, state: PollState) -> int:
        params: dict[str, Any] = {
            "max_results": 100,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id,referenced_tweets.id",
            "user.fields": "username",
        }
        if state.cursor:
            params["since_id"] = state.cursor
        newest: str | None = None
        found: list[IncomingItem] = []
        for _ in range(MAX_PAGES):
            page = self._get(f"/2/users/{self.user_id}/mentions", params)
            meta = page.get("meta") or {}
            newest = newest or meta.get("newest_id")
            users = {u["id"]: u for u in (page.get("includes") or {}).get("users", [])}
            tweets = {t["id"]: t for t in (page.get("includes") or {}).get("tweets", [])}
            for tweet in page.get("data") or []:
                if tweet.get("author_id") != self.user_id:  # not our own reply mentioning someone
                    found.append(self._mention_item(tweet, users, tweets))
            token = meta.get("next_token")
            if not token:
                break
            params["pagination_token"] = token
        taken = _take_oldest_first(db, found)
        if newest:
            state.cursor = newest
            save_state(db, state)
        return taken

    def _mention_item(self, t: dict[str, Any], users: dict[str, Any], tweets: dict[str, Any]) -> IncomingItem:
        author = users.get(t.get("author_id", ""), {})
        handle = author.get("username")
        parent_id = next((r["id"] for r in t.get("referenced_tweets") or [] if r.get("type") == "replied_to"), None)
        parent = tweets.get(parent_id or "", {})
        parent_handle = users.get(parent.get("author_id", ""), {}).get("username")
        return IncomingItem(
            platform=Source.X,
            item=ItemKind.MENTION,
            platform_id=t["id"],
            posted_at=parse_time(t["created_at"]),
            text=t.get("text", ""),
            author_id=t.get("author_id"),
            author_handle=f"@{handle}" if handle else None,
            author_url=f"https://x.com/{handle}" if handle else None,
            post_url=_tweet_url(handle, t["id"]),
            thread_id=t.get("conversation_id"),
            thread_text=parent.get("text"),
            thread_url=_tweet_url(parent_handle, parent_id) if parent_id else None,
            in_reply_to=parent_id,
        )

    def _dms(self, db: Database, state: PollState) -> int:
        params: dict[str, Any] = {
            "max_results": 100,
            "event_types": "MessageCreate",
            "dm_event.fields": "id,text,created_at,sender_id,dm_conversation_id",
            "expansions": "sender_id",
            "user.fields": "username",
        }
        seen = int(state.cursor or 0)
        newest = seen
        found: list[IncomingItem] = []
        for _ in range(MAX_PAGES):
            page = self._get("/2/dm_events", params)
            users = {u["id"]: u for u in (page.get("includes") or {}).get("users", [])}
            reached_cursor = False
            for ev in page.get("data") or []:
                if int(ev["id"]) <= seen:
                    reached_cursor = True
                    break
                newest = max(newest, int(ev["id"]))
                if ev.get("sender_id") == self.user_id:
                    continue
                handle = users.get(ev.get("sender_id", ""), {}).get("username")
                found.append(
                    IncomingItem(
                        platform=Source.X,
                        item=ItemKind.DIRECT_MESSAGE,
                        platform_id=f"dm:{ev['id']}",
                        posted_at=parse_time(ev["created_at"]),
                        text=ev.get("text", ""),
                        author_id=ev.get("sender_id"),
                        author_handle=f"@{handle}" if handle else None,
                        author_url=f"https://x.com/{handle}" if handle else None,
                        thread_id=ev.get("dm_conversation_id"),
                    ),
                )
            token = (page.get("meta") or {}).get("next_token")
            if reached_cursor or not token:
                break
            params["pagination_token"] = token
        taken = _take_oldest_first(db, found)
        if newest > seen:
            state.cursor = str(newest)
            save_state(db, state)
        return taken

    # ---- publishing ------------------------------------------------------------------------------

    def publish_reply(self, target_id: str, text: str, item: str) -> Published:
        now = self.clock()
        if item == ItemKind.DIRECT_MESSAGE:
            body = call(
                self.session, "POST", f"{self.base}/2/dm_conversations/with/{target_id}/messages",
                json={"text": text}, now=now,
            )  # fmt: skip
            data = body.get("data") or {}
            return Published(f"dm:{data.get('dm_event_id', '')}", None, now)
        body = call(
            self.session, "POST", f"{self.base}/2/tweets",
            json={"text": text, "reply": {"in_reply_to_tweet_id": target_id}}, now=now,
        )  # fmt: skip
        tweet_id = str((body.get("data") or {}).get("id", ""))
        return Published(tweet_id, _tweet_url(None, tweet_id), now)

    def find_reply(self, target_id: str, text: str, item: str) -> Published | None:
        """Our reply to ``target_id`` with this text, if the platform already holds it."""
        if item == ItemKind.DIRECT_MESSAGE:
            params: dict[str, Any] = {"dm_event.fields": "id,text,created_at,sender_id", "max_results": 100}
            page = self._get(f"/2/dm_conversations/with/{target_id}/dm_events", params)
            for ev in page.get("data") or []:
                if ev.get("sender_id") == self.user_id and ev.get("text") == text:
                    return Published(f"dm:{ev['id']}", None, parse_time(ev["created_at"]))
            return None
        params = {"max_results": 100, "tweet.fields": "created_at,referenced_tweets"}
        for _ in range(MAX_PAGES):
            page = self._get(f"/2/users/{self.user_id}/tweets", params)
            for t in page.get("data") or []:
                refs = {r.get("id") for r in t.get("referenced_tweets") or [] if r.get("type") == "replied_to"}
                if target_id in refs and t.get("text") == text:
                    return Published(t["id"], _tweet_url(None, t["id"]), parse_time(t["created_at"]))
            token = (page.get("meta") or {}).get("next_token")
            if not token:
                return None
            params["pagination_token"] = token
        return None


__all__ = ["MAX_RATE_WAIT_S", "XConnector"]
