"""Meta Graph: Facebook Page and Instagram comments arrive by webhook; replies go back by Graph API.

The webhook (``POST /api/v1/webhooks/meta``, ``hq.api``) checks ``X-Hub-Signature-256`` over the raw
body (``hq.connectors.signature``) before anything parses it: a forged or unsigned delivery gets 401
and nothing is stored. Then ``parse_webhook`` reads:

- ``object: page``, ``changes[].field == "feed"``, ``value.item == "comment"``, ``verb == "add"``:
  a comment on the Page (``comment_id``, ``post_id``, ``parent_id``, ``message``, ``from``,
  ``created_time`` in epoch seconds). ``parent_id`` other than the post is the comment it answers
  (replies are kept one level under a top comment, so the complaint's author answering our reply
  writes under the complaint: ``under``, as on Instagram).
- ``object: instagram``, ``changes[].field == "comments"``: a comment on our media (``id``,
  ``text``, ``from.username``, ``media.id``, ``parent_id``); its time is the entry's ``time``.
  Instagram's replies are one level deep (``parent_id`` is the thread's top comment), so a reply
  is taken with ``under`` = its parent: written by the complaint's author under that complaint, it
  becomes ``citizen_replied`` (``hq.complaints.take``); anyone else's stays a comment of its own.
- ``object: instagram``, ``changes[].field == "mentions"``: the account was @mentioned in a comment
  (``comment_id``) or a caption (``media_id`` alone). The delivery carries only ids, so
  ``MetaIntake`` reads the comment or caption from Graph (``mentioned_comment`` /
  ``mentioned_media`` of our Instagram user). If Graph cannot answer, the mention is not stored and
  the delivery is answered 503 after everything else in it is stored: Meta delivers it again, and
  what was stored is recognised.

Facebook's comment change usually carries no text of the post it is under. ``MetaIntake`` then
reads it (``GET /{post-id}?fields=message,permalink_url``, ``CONTEXT_TIMEOUT_S``), keeping the
answers of the last ``CONTEXT_CACHE`` posts. A refusal (4xx), a 5xx or a timeout never holds up
intake: the complaint is stored with the context left empty (the post's link is still kept), and
after a 5xx or a timeout no lookup is tried for ``CONTEXT_BACKOFF_S``, so an outage at Graph costs
one slow call, not one per comment; the next comment on the post after that tries again.

Comments the Page or the Instagram account wrote (our own replies) are skipped. Replies are
published with ``POST /{comment-id}/comments`` (Facebook) or ``POST /{comment-id}/replies``
(Instagram); ``find_reply`` reads those edges (following ``paging.next``) for our reply's text.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from core.events import ItemKind, Source, parse_time, utcnow
from hq.complaints.take import IncomingItem, take_item
from hq.connectors.base import ConnectorError, Published, Refused, call
from hq.db import Database

log = logging.getLogger(__name__)

MAX_PAGES = 20
CONTEXT_TIMEOUT_S = 5.0  # a webhook's answer waits this long at most for a post's text
CONTEXT_BACKOFF_S = 60.0  # after a 5xx or a timeout, no lookup for this long
CONTEXT_CACHE = 1000  # posts whose text is kept (many comments arrive under one post)


def _epoch(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            return parse_time(value.replace("+0000", "+00:00"))
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Mention:
    """An Instagram mention as the webhook gives it: ids only (``comment_id`` None: a caption)."""

    media_id: str | None
    comment_id: str | None
    at: datetime | None


@dataclass(frozen=True)
class PageComment:
    """A Facebook comment and the id of the post it is under (to read the post's text from Graph)."""

    item: IncomingItem
    post_id: str | None


Found = IncomingItem | Mention | PageComment


def items_from_webhook(body: Any, *, page_id: str = "", ig_user_id: str = "") -> list[IncomingItem]:
    """The comments a (verified) webhook delivery carries, as it carries them (no Graph lookup)."""
    out = []
    for found in parse_webhook(body, page_id=page_id, ig_user_id=ig_user_id):
        if isinstance(found, PageComment):
            out.append(found.item)
        elif isinstance(found, IncomingItem):
            out.append(found)
    return out


def parse_webhook(body: Any, *, page_id: str = "", ig_user_id: str = "") -> list[Found]:
    """The comments and mentions of a (verified) delivery, in its order; anything else is ignored."""
    out: list[Found] = []
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
            item: Found | None = None
            if kind == "page" and change.get("field") == "feed":
                item = _facebook(value, page_id)
            elif kind == "instagram" and change.get("field") == "comments":
                item = _instagram(value, _epoch(entry.get("time")), ig_user_id)
            elif kind == "instagram" and change.get("field") == "mentions":
                media, comment = value.get("media_id"), value.get("comment_id")
                if media or comment:
                    at = _epoch(entry.get("time"))
                    item = Mention(str(media) if media else None, str(comment) if comment else None, at)
            if item is not None:
                out.append(item)
    return out


def _facebook(v: dict[str, Any], page_id: str) -> PageComment | None:
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
    item = IncomingItem(
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
        under=answers,  # Facebook keeps replies two levels deep: a reply to ours hangs under the complaint
    )
    return PageComment(item, post_id or None)


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
        under=str(parent) if parent else None,
    )


class MetaIntake:
    """Takes a verified delivery: reads from Graph what it leaves out (a Facebook post's text, an
    Instagram mention's comment or caption), then stores each item with ``take_item``. Blocking
    (network and database): runs on a worker thread, never on the event loop."""

    def __init__(self, base_url: str, token: str, page_id: str, ig_user_id: str, *,
                 clock: Callable[[], datetime] = utcnow, timeout_s: float = CONTEXT_TIMEOUT_S):  # fmt: skip
        self.base = base_url.rstrip("/")
        self.page_id = page_id
        self.ig_user_id = ig_user_id
        self.clock = clock
        self.timeout_s = timeout_s
        self.token = token
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self._lock = threading.Lock()
        self._posts: OrderedDict[str, tuple[str | None, str | None]] = OrderedDict()
        self._down_until: datetime | None = None

    def take(self, db: Database, body: Any) -> tuple[int, int]:
        """Store what ``body`` carries; returns (items taken, mentions left for Meta to deliver again)."""
        taken = missed = 0
        for found in parse_webhook(body, page_id=self.page_id, ig_user_id=self.ig_user_id):
            if isinstance(found, Mention):
                item = self._mention(found)
            elif isinstance(found, PageComment):
                item = self._with_post(found.item, found.post_id)
            else:
                item = found
            if item is None:
                missed += 1
                continue
            if item.author_id and item.author_id == self.ig_user_id:
                continue
            take_item(db, item)
            taken += 1
        return taken, missed

    def _get(self, path: str, fields: str) -> Any:
        """A Graph read, unless Graph failed within ``CONTEXT_BACKOFF_S``; None when it cannot answer."""
        now = self.clock()
        with self._lock:
            if not self.token or (self._down_until is not None and now < self._down_until):
                return None
        try:
            return call(self.session, "GET", f"{self.base}/{path}", params={"fields": fields}, now=now,
                        timeout=self.timeout_s)  # fmt: skip
        except Refused as exc:
            log.warning("meta: Graph refused %s: %s", path, exc)
        except ConnectorError as exc:
            log.warning("meta: Graph did not answer for %s (%s); no lookup for %.0f s", path, exc, CONTEXT_BACKOFF_S)
            with self._lock:
                self._down_until = self.clock() + timedelta(seconds=CONTEXT_BACKOFF_S)
        return None

    def _with_post(self, item: IncomingItem, post_id: str | None) -> IncomingItem:
        """A Facebook comment with its post's text and link, when the delivery left them out."""
        if item.thread_text or not post_id:
            return item
        with self._lock:
            known = self._posts.get(post_id)
        if known is None:
            body = self._get(post_id, "message,permalink_url")
            if not isinstance(body, dict):
                return item
            message, link = body.get("message"), body.get("permalink_url")
            known = (str(message) if message else None, str(link) if link else None)
            with self._lock:
                self._posts[post_id] = known
                while len(self._posts) > CONTEXT_CACHE:
                    self._posts.popitem(last=False)
        return replace(item, thread_text=known[0], thread_url=known[1] or item.thread_url)

    def _mention(self, m: Mention) -> IncomingItem | None:
        """The mention's comment or caption from Graph; None if Graph cannot say (delivered again)."""
        if not self.ig_user_id or not self.token:
            log.error("meta: an Instagram mention cannot be read without RAKSHAK_META_IG_USER_ID and the Page token")
            return None
        if m.comment_id:
            edge, fields = "mentioned_comment", f"mentioned_comment.comment_id({m.comment_id}){{{MENTION_COMMENT}}}"
        elif m.media_id:
            edge, fields = "mentioned_media", f"mentioned_media.media_id({m.media_id}){{{MENTION_MEDIA}}}"
        else:
            return None
        body = self._get(self.ig_user_id, fields)
        found = body.get(edge) if isinstance(body, dict) else None
        if not isinstance(found, dict):
            return None
        username = found.get("username") or (found.get("from") or {}).get("username")
        media = found.get("media") or {}
        link = found.get("permalink") or (media.get("permalink") if isinstance(media, dict) else None)
        return IncomingItem(
            platform=Source.INSTAGRAM,
            item=ItemKind.MENTION,
            platform_id=str(m.comment_id or m.media_id),
            posted_at=_epoch(found.get("timestamp")) or m.at or self.clock(),
            text=str(found.get("text") or found.get("caption") or ""),
            author_id=(found.get("from") or {}).get("id"),
            author_handle=f"@{username}" if username else None,
            author_url=f"https://www.instagram.com/{username}" if username else None,
            post_url=link,
            thread_url=link,
        )


MENTION_COMMENT = "id,text,timestamp,username,from,media{id,permalink}"
MENTION_MEDIA = "id,caption,timestamp,username,permalink"


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


__all__ = ["Mention", "MetaIntake", "MetaPublisher", "PageComment", "items_from_webhook", "parse_webhook"]
