"""Meta Graph: Facebook Page and Instagram comments arrive by webhook; replies go back by Graph API.

The webhook (``POST /api/v1/webhooks/meta``, ``hq.api``) checks ``X-Hub-Signature-256`` over the raw
body (``hq.connectors.signature``) before anything parses it: a forged or unsigned delivery gets 401
and nothing is stored. Then ``items_from_webhook`` reads:

- ``object: page``, ``changes[].field == "feed"``, ``value.item == "comment"``, ``verb == "add"``:
  a comment on the Page (``comment_id``, ``post_id``, ``parent_id``, ``message``, ``from``,
  ``created_time`` in epoch seconds). ``parent_id`` other than the post is the comment it answers.
- ``object: instagram``, ``changes[].field == "comments"``: a comment on our media (``id``,
  ``text``, ``from.username``, ``media.id``, ``parent_id``); its time is the entry's ``time``.

Comments the Page or the Instagram account wrote (our own replies) are skipped. Replies are
published with ``POST /{comment-id}/comments`` (Facebook) or ``POST /{comment-id}/replies``
(Instagram); ``find_reply`` reads those edges (following ``paging.next``) for our reply's text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from core.events import ItemKind, Source, parse_time, utcnow
from hq.complaints.take import IncomingItem
from hq.connectors.base import Published, call

log = logging.getLogger(__name__)

MAX_PAGES = 20


def _epoch(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            return parse_time(value.replace("+0000", "+00:00"))
        except ValueError:
            return None
    return None


def items_from_webhook(body: Any, *, page_id: str = "", ig_user_id: str = "") -> list[IncomingItem]:
    """The comments a (verified) webhook delivery carries; anything else in it is ignored."""
    out: list[IncomingItem] = []
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        return out
    kind = body.get("object")
    for entry in body["entry"]:
        if not isinstance(entry, dict):
            continue
        for change in entry.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            item = None
            if kind == "page" and change.get("field") == "feed":
                item = _facebook(value, page_id)
            elif kind == "instagram" and change.get("field") == "comments":
                item = _instagram(value, _epoch(entry.get("time")), ig_user_id)
            if item is not None:
                out.append(item)
    return out


def _facebook(v: dict[str, Any], page_id: str) -> IncomingItem | None:
    if v.get("item") != "comment" or v.get("verb") != "add" or not v.get("comment_id"):
        return None
    author = v.get("from") or {}
    if page_id and author.get("id") == page_id:
        return None
    posted = _epoch(v.get("created_time")) or utcnow()
    post_id = str(v.get("post_id") or "")
    parent = str(v.get("parent_id") or "")
    answers = parent if parent and parent != post_id else None
    post = v.get("post") or {}
    return IncomingItem(
        platform=Source.FACEBOOK,
        item=ItemKind.COMMENT,
        platform_id=str(v["comment_id"]),
        posted_at=posted,
        text=str(v.get("message") or ""),
        author_id=author.get("id"),
        author_handle=author.get("name"),
        author_url=f"https://www.facebook.com/{author['id']}" if author.get("id") else None,
        post_url=f"https://www.facebook.com/{v['comment_id']}",
        thread_id=answers,
        thread_text=post.get("message") if isinstance(post, dict) else None,
        thread_url=(post.get("permalink_url") if isinstance(post, dict) else None)
        or (f"https://www.facebook.com/{post_id}" if post_id else None),
        in_reply_to=answers,
    )


def _instagram(v: dict[str, Any], at: datetime | None, ig_user_id: str) -> IncomingItem | None:
    if not v.get("id"):
        return None
    author = v.get("from") or {}
    if ig_user_id and author.get("id") == ig_user_id:
        return None
    username = author.get("username")
    parent = v.get("parent_id")
    return IncomingItem(
        platform=Source.INSTAGRAM,
        item=ItemKind.COMMENT,
        platform_id=str(v["id"]),
        posted_at=at or utcnow(),
        text=str(v.get("text") or ""),
        author_id=author.get("id"),
        author_handle=f"@{username}" if username else None,
        author_url=f"https://www.instagram.com/{username}" if username else None,
        thread_id=str(parent) if parent else None,
        in_reply_to=str(parent) if parent else None,
    )


class MetaPublisher:
    """Replies on Facebook (``platform="facebook"``) or Instagram (``"instagram"``) with the Page token."""

    def __init__(
        self, platform: Source, base_url: str, token: str, own_id: str, *, clock: Callable[[], datetime] = utcnow
    ):
        self.platform = str(platform)
        self.base = base_url.rstrip("/")
        self.own_id = own_id
        self.clock = clock
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.edge = "replies" if platform is Source.INSTAGRAM else "comments"

    def publish_reply(self, target_id: str, text: str, item: str) -> Published:
        now = self.clock()
        body = call(self.session, "POST", f"{self.base}/{target_id}/{self.edge}", data={"message": text}, now=now)
        reply_id = str(body.get("id", ""))
        url = f"https://www.facebook.com/{reply_id}" if self.platform == Source.FACEBOOK else None
        return Published(reply_id, url, now)

    def find_reply(self, target_id: str, text: str, item: str) -> Published | None:
        fields = "id,text,from,timestamp" if self.platform == Source.INSTAGRAM else "id,message,from,created_time"
        url: str | None = f"{self.base}/{target_id}/{self.edge}"
        params: dict[str, Any] | None = {"fields": fields, "limit": 100}
        for _ in range(MAX_PAGES):
            if url is None:
                return None
            page = call(self.session, "GET", url, params=params, now=self.clock())
            for c in page.get("data") or []:
                mine = (c.get("from") or {}).get("id") == self.own_id
                if mine and (c.get("message") or c.get("text")) == text:
                    at = _epoch(c.get("created_time") or c.get("timestamp")) or self.clock()
                    return Published(str(c["id"]), None, at)
            url = (page.get("paging") or {}).get("next")
            params = None  # the next link carries its own query
        return None


__all__ = ["MetaPublisher", "items_from_webhook"]
