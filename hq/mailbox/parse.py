"""A Meta alert e-mail to an intake body (the shape ``hq.intake.intake`` takes).

Meta's alert mails are written for people: labelled lines ("Post link: ...", "Probable location:
...") in a plain-text part, an HTML part, or only HTML; any charset, often quoted-printable; the post
text in any script. The parser reads the labels it knows in English, takes links from anchors too,
and refuses (``Unparsable``) a mail that does not name at least a post or a profile link: such a
mail becomes an "unparsed alert" case (``hq.mailbox.take``), never a dropped one.

Pure functions: no database, no network. The district is not decided here (``hq.mailbox.take``
matches the probable location against HQ's districts).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from core.events import MAX_TEXT_CHARS, CaseKind, Source, iso, utcnow

# How much of a mail's text an "unparsed alert" case carries (the whole original stays at HQ).
UNPARSED_TEXT_CHARS = MAX_TEXT_CHARS
SUMMARY_CHARS = 1000
MAX_PHONES = 10
MESSAGE_KEY_CHARS = 200

# Labels as Meta's mails write them, lower case, without the colon. The first label found wins.
LABELS: dict[str, tuple[str, ...]] = {
    "ref": ("reference number", "reference", "ref", "case number", "case id", "report id"),
    "platform": ("platform", "app", "service"),
    "post_url": ("post link", "post url", "link to post", "content link", "content url", "post"),
    "name": ("account name", "name", "user name", "username", "profile name"),
    "profile_url": ("profile link", "profile url", "account link", "account url", "profile"),
    "picture_url": ("profile picture", "picture link", "profile picture link", "picture", "photo"),
    "phones": ("phone number(s)", "phone numbers", "phone number", "phone", "mobile number", "mobile"),
    "location": ("probable location", "approximate location", "location", "likely location"),
    "location_basis": ("location basis", "location source"),
    "post_text": ("post text", "content text", "text of post", "post content", "content"),
    "posted_at": ("time of post (utc)", "time of post", "posted at", "post time"),
}
_LABEL_TO_FIELD = {label: name for name, labels in LABELS.items() for label in labels}
_LABEL_RE = re.compile(
    r"^[ \t*•\-]*(" + "|".join(re.escape(lb) for lb in sorted(_LABEL_TO_FIELD, key=len, reverse=True)) + r")"
    r"[ \t]*(?::|\t)[ \t]*(.*)$",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"https?://[^\s<>\"')\]\x00-\x1f\x7f]+", re.IGNORECASE)
_PHONE_RE = re.compile(r"\+?\d[\d \-()]{7,18}\d")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_NOT_IN_HEADER = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


class Unparsable(Exception):
    """The mail is not an alert the parser can read; ``str()`` says why."""


@dataclass(frozen=True)
class MailHeaders:
    """What is read from a mail's headers alone (also for an oversized mail, never downloaded)."""

    message_id: str | None
    sender: str
    subject: str
    date: str | None  # ISO 8601 UTC, if the Date header was readable


@dataclass(frozen=True)
class ParsedAlert:
    body: dict[str, Any]  # an intake body without ``district`` (the caller routes it)
    location_text: str
    fields: dict[str, str] = field(default_factory=dict)


def read_message(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the policy cannot decode is read as nothing, never as a crash
        return ""
    # one line, without control characters or undecodable bytes (no database column takes a NUL)
    return _NOT_IN_HEADER.sub("", " ".join(str(value).split())) if value is not None else ""


def headers_of(msg: Message) -> MailHeaders:
    mid = _header(msg, "Message-ID").strip() or None
    date: str | None = None
    raw_date = _header(msg, "Date")
    if raw_date:
        try:
            parsed = parsedate_to_datetime(raw_date)
            if parsed.tzinfo is not None:
                date = iso(parsed.astimezone(UTC))
        except (TypeError, ValueError, IndexError):
            date = None
    return MailHeaders(mid, _header(msg, "From"), _header(msg, "Subject"), date)


def message_key(message_id: str | None, raw: bytes | None = None, msg: Message | None = None) -> str:
    """The processed-message key: the Message-ID, or (none given) a hash of the headers that do not
    change on re-delivery and the body, so the same mail delivered twice has the same key."""
    if message_id:
        mid = message_id.strip().strip("<>").strip()
        if mid:
            key = f"mid:{mid}"
            # a key is also the upstream reference of an unparsed case: one printable line, or a hash
            if len(key) <= MESSAGE_KEY_CHARS and key.isprintable():
                return key
            return "mid-sha256:" + hashlib.sha256(mid.encode("utf-8", "replace")).hexdigest()
    if msg is None:
        assert raw is not None
        msg = read_message(raw)
    h = hashlib.sha256()
    for name in ("From", "To", "Cc", "Date", "Subject"):
        h.update(f"{name}:{_header(msg, name)}\n".encode("utf-8", "replace"))
    payload = raw.split(b"\r\n\r\n", 1)[-1] if raw is not None and b"\r\n\r\n" in raw else None
    if payload is None and raw is not None:
        payload = raw.split(b"\n\n", 1)[-1]
    h.update(payload if payload is not None else msg.as_bytes())
    return "sha256:" + h.hexdigest()


# -- text out of any mail -------------------------------------------------------------------------


class _HTMLText(HTMLParser):
    """HTML to lines of text: block elements and <br> end a line, table cells are tab-separated,
    and an anchor's link is kept next to its text (Meta writes "View post" linking the post)."""

    BLOCKS = frozenset({"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "ul", "ol", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href: list[str | None] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag == "br" or tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            self._href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag == "a" and self._href:
            href = self._href.pop()
            if href and href.lower().startswith(("http://", "https://")):
                self.parts.append(f" <{href}>")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = ("".join(self.parts)).split("\n")
        return "\n".join(" ".join(line.replace("\xa0", " ").split(" ")).strip(" ") for line in lines)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AssertionError, ValueError):
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    return content if isinstance(content, str) else ""


def mail_text(msg: EmailMessage) -> str:
    """The mail's readable text: its text/plain part, else its HTML as text (links kept)."""
    plain: list[str] = []
    html: list[str] = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(_part_text(part))
        elif ctype == "text/html":
            html.append(html_to_text(_part_text(part)))
    # The HTML may hold links the plain part writes as bare words: read both, plain first.
    return "\n".join(plain + html).replace("\r\n", "\n")


# -- the alert out of the text ---------------------------------------------------------------------


def _labelled(text: str) -> dict[str, str]:
    """The value of each known label; a post text runs on over the following unlabelled lines."""
    found: dict[str, str] = {}
    current: str | None = None
    for line in text.split("\n"):
        m = _LABEL_RE.match(line)
        if m:
            name = _LABEL_TO_FIELD[m.group(1).lower()]
            current = name if name not in found else None
            if current is not None:
                found[current] = m.group(2).strip()
            continue
        if current == "post_text" and line.strip():
            found["post_text"] = (found["post_text"] + "\n" + line.strip()).strip()
        elif not line.strip() and current == "post_text" and found["post_text"]:
            current = None
    return found


def _url(value: str | None) -> str | None:
    if not value:
        return None
    m = _URL_RE.search(value)
    return m.group(0).rstrip(".,;") if m else None


def _phones(value: str | None) -> list[str]:
    if not value:
        return []
    out: list[str] = []
    for m in _PHONE_RE.finditer(value):
        digits = re.sub(r"[^\d+]", "", m.group(0))
        if 8 <= len(digits.lstrip("+")) <= 15 and digits not in out:
            out.append(digits)
    return out[:MAX_PHONES]


def _source(platform: str, urls: list[str], subject: str) -> Source:
    hay = " ".join([platform, subject, *urls]).lower()
    if "instagram" in hay:
        return Source.INSTAGRAM
    if "facebook" in hay or "fb.com" in hay or "fbcdn" in hay:
        return Source.FACEBOOK
    return Source.OTHER


def _clean(value: str, limit: int) -> str:
    """Text as an event may hold it: control characters other than tab and line breaks dropped."""
    value = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", "", value)
    return value[:limit]


def _line(value: str, limit: int) -> str:
    return " ".join(_clean(value, limit * 2).split())[:limit]


def parse_alert(raw: bytes, *, msg: EmailMessage | None = None, key: str | None = None) -> ParsedAlert:
    """Read a Meta alert mail; ``Unparsable`` if it names neither a post link nor a profile link."""
    msg = msg or read_message(raw)
    head = headers_of(msg)
    text = mail_text(msg)
    if not text.strip():
        raise Unparsable("the mail has no readable text")
    found = _labelled(text)
    post_url = _url(found.get("post_url"))
    profile_url = _url(found.get("profile_url"))
    if not post_url and not profile_url:
        raise Unparsable("no post link and no profile link found")
    picture_url = _url(found.get("picture_url"))
    ref = _line(found.get("ref", ""), 200)
    ref = re.sub(r"^#\s*", "", ref)
    key = key or message_key(head.message_id, raw, msg)
    subject: dict[str, Any] = {}
    name = _line(found.get("name", ""), 200)
    if name:
        subject["name"] = name
    phones = _phones(found.get("phones"))
    if phones:
        subject["phones"] = phones
    if profile_url:
        subject["profile_url"] = profile_url[:2000]
    if post_url:
        subject["post_url"] = post_url[:2000]
    post_text = _clean(found.get("post_text", ""), MAX_TEXT_CHARS)
    subject["post_text"] = post_text
    if _DEVANAGARI.search(post_text):
        subject["language"] = "hi"
    location_text = _line(found.get("location", ""), 500)
    summary_parts = [f"Meta e-mail alert: {head.subject}" if head.subject else "Meta e-mail alert"]
    if picture_url:
        summary_parts.append(f"Profile picture: {picture_url}")
    if found.get("location_basis"):
        summary_parts.append(f"Location basis: {_line(found['location_basis'], 200)}")
    body: dict[str, Any] = {
        "kind": str(CaseKind.SUICIDE_RISK),
        "source": str(_source(found.get("platform", ""), [u for u in (post_url, profile_url) if u], head.subject)),
        "upstream_ref": ref or key[:200],
        "received_at": head.date or iso(utcnow()),
        "priority": 1,
        "subject": subject,
        "location": {"text": location_text},
        "summary": _clean("\n".join(summary_parts), SUMMARY_CHARS),
    }
    fields = {k: v for k, v in found.items() if k != "post_text"}
    if picture_url:
        fields["picture_url"] = picture_url
    return ParsedAlert(body, location_text, fields)


def unparsed_alert(raw: bytes, key: str, reason: str, *, msg: EmailMessage | None = None) -> dict[str, Any]:
    """The intake body of an "unparsed alert": a suicide-risk case carrying the mail's text (capped;
    the whole original is kept at HQ with the mail's record). It stays at HQ for routing."""
    try:
        msg = msg or read_message(raw)
        head = headers_of(msg)
        text = mail_text(msg)
    except Exception:  # a mail the e-mail package itself cannot read still becomes a case
        head = MailHeaders(None, "", "", None)
        text = raw.decode("utf-8", "replace")
    if not text.strip():
        text = raw.decode("utf-8", "replace")
    summary = f"Unparsed alert e-mail from {head.sender or 'unknown sender'}, subject {head.subject or '(none)'}: "
    summary += f"the parser could not read it ({reason}). Read the mail text below; the original is kept at HQ."
    return {
        "kind": str(CaseKind.SUICIDE_RISK),
        "source": str(Source.OTHER),
        "upstream_ref": key[:200],
        "received_at": head.date or iso(utcnow()),
        "priority": 1,
        "subject": {"post_text": _clean(text, UNPARSED_TEXT_CHARS)},
        "location": {"text": ""},
        "summary": _clean(summary, SUMMARY_CHARS),
    }


def refused_alert(key: str, head: MailHeaders, size_bytes: int, limit_bytes: int) -> dict[str, Any]:
    """The intake body of an oversized mail HQ refused to download: a suicide-risk case at HQ, so a
    person opens the mail in the mailbox itself (it is kept there, marked as taken)."""
    mb = size_bytes / 1_000_000
    summary = (
        f"Mail refused: too large ({mb:.1f} MB, limit {limit_bytes / 1_000_000:.0f} MB), "
        f"from {head.sender or 'unknown sender'}, subject {head.subject or '(none)'}. "
        "It was not downloaded: open it in the monitoring centre's mailbox."
    )
    return {
        "kind": str(CaseKind.SUICIDE_RISK),
        "source": str(Source.OTHER),
        "upstream_ref": key[:200],
        "received_at": head.date or iso(datetime.now(UTC)),
        "priority": 1,
        "subject": {"post_text": ""},
        "location": {"text": ""},
        "summary": _clean(summary, SUMMARY_CHARS),
    }


__all__ = [
    "MailHeaders",
    "ParsedAlert",
    "Unparsable",
    "headers_of",
    "html_to_text",
    "mail_text",
    "message_key",
    "parse_alert",
    "read_message",
    "refused_alert",
    "unparsed_alert",
]
