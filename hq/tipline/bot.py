"""The tip line's conversation, one state machine per sender. Pure: no SQL, no HTTP, no clock of its own.

    NEW -> LANGUAGE -> CATEGORY -> WHAT -> WHERE -> WHEN -> MEDIA -> CONFIRM -> FILED

Rules a reader cannot see from the transitions alone:

- **Nothing the tipster sends is dropped.** Text that is not the answer a step expects is kept in the
  draft's notes; media is attached at any step. A step that cannot understand its answer twice moves
  on (the category becomes ``other``), so a tipster who only types freely still gets a tip filed.
- **"restart"** (in either language) throws the draft away and starts again; it never files.
- **Timeouts**: a conversation idle longer than ``idle_timeout`` is filed as an unconfirmed tip if
  it holds anything (a photo sent and then silence is still a tip) and reset; otherwise reset.
- **Bundling**: messages within ``bundle`` after a tip is filed are added to that tip, not made into
  a new one.
- **A question from police waits for its answer**: the next message (unless it is "restart") is the
  answer, whatever step the conversation is at.
- **A receipt code** at the start of a message adds the rest to that tip (the relay checks the code).

Texts come from ``resources/tipline/<language>.json`` (``Catalogue``); the bot names keys only.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from core.tips import TipCategory, TipLanguage
from hq.tipline.identity import RECEIPT_PATTERN

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "resources" / "tipline"
MAX_MISSES = 2
MAX_NOTE_CHARS = 4000
_DEVANAGARI = re.compile("[\u0900-\u097f]")


class State(enum.StrEnum):
    NEW = "new"
    LANGUAGE = "language"
    CATEGORY = "category"
    WHAT = "what"
    WHERE = "where"
    WHEN = "when"
    MEDIA = "media"
    CONFIRM = "confirm"
    FILED = "filed"


class Catalogue:
    """One language's texts (``resources/tipline/<code>.json``)."""

    def __init__(self, language: str):
        self.language = language
        self._texts: dict[str, Any] = json.loads((CATALOGUE_DIR / f"{language}.json").read_text(encoding="utf-8"))

    def text(self, key: str, **params: Any) -> str:
        return str(self._texts[key]).format(**params)

    def words(self, key: str) -> frozenset[str]:
        return frozenset(w.casefold() for w in self._texts[f"words.{key}"])

    def category(self, category: str) -> str:
        return str(self._texts[f"category.{category}"])

    def keys(self) -> set[str]:
        return set(self._texts)


@cache
def catalogue(language: str | None) -> Catalogue:
    return Catalogue(language if language in {str(x) for x in TipLanguage} else str(TipLanguage.HINDI))


@dataclass(frozen=True)
class Message:
    """One inbound message, already typed by the relay. ``media`` is the id of the stored media
    (``tip_media.id``) or None; ``media_refused`` a catalogue key when the file was not accepted."""

    at: datetime
    text: str | None = None
    media: str | None = None
    media_refused: str | None = None


@dataclass(frozen=True)
class Conversation:
    state: State = State.NEW
    language: str | None = None
    draft: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    updated_at: datetime | None = None
    tip_case_id: str | None = None
    filed_at: datetime | None = None
    question_id: str | None = None
    question_case_id: str | None = None


# What the relay is asked to do.
@dataclass(frozen=True)
class Reply:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FileTip:
    draft: dict[str, Any]
    language: str | None
    started_at: datetime
    confirmed: bool


@dataclass(frozen=True)
class AddToTip:
    case_id: str | None  # None: by receipt code
    text: str | None
    media: str | None
    receipt: str | None = None


@dataclass(frozen=True)
class Answer:
    question_id: str
    case_id: str
    text: str | None
    media: str | None


Action = Reply | FileTip | AddToTip | Answer


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split()).strip(" .!।")


def _has_content(draft: dict[str, Any]) -> bool:
    return any(draft.get(k) for k in ("what", "place", "when", "notes", "media"))


def _keep_note(draft: dict[str, Any], text: str | None) -> dict[str, Any]:
    if not text or not text.strip():
        return draft
    notes = [*draft.get("notes", []), text[:MAX_NOTE_CHARS]]
    return {**draft, "notes": notes}


def _attach(draft: dict[str, Any], msg: Message) -> dict[str, Any]:
    return {**draft, "media": [*draft.get("media", []), msg.media]} if msg.media else draft


def _either(key: str) -> frozenset[str]:
    return catalogue("hi").words(key) | catalogue("en").words(key)


def expire(conv: Conversation, now: datetime, idle_timeout: timedelta) -> tuple[Conversation, list[Action]]:
    """File (if it says anything) and reset a conversation idle past ``idle_timeout``."""
    if conv.state in (State.NEW, State.FILED) or conv.updated_at is None or now - conv.updated_at < idle_timeout:
        return conv, []
    actions: list[Action] = []
    if _has_content(conv.draft):
        actions.append(FileTip(conv.draft, conv.language, conv.started_at or now, confirmed=False))
    reset = replace(conv, state=State.NEW, draft={}, started_at=None, updated_at=now)
    return reset, actions


def step(
    conv: Conversation, msg: Message, *, bundle: timedelta, idle_timeout: timedelta
) -> tuple[Conversation, list[Action]]:
    """The conversation after ``msg`` and what the relay must do. Never raises on odd input."""
    conv, actions = expire(conv, msg.at, idle_timeout)
    conv = replace(conv, updated_at=msg.at)
    text = msg.text.strip() if msg.text else None
    said = _norm(text)
    cat = catalogue(conv.language)
    if msg.media_refused:
        actions.append(Reply(msg.media_refused))
        if not text:
            return conv, actions
    if said in _either("restart"):
        fresh = replace(conv, state=State.LANGUAGE, draft={}, started_at=msg.at)
        return fresh, [*actions, Reply("restarted"), Reply("choose_language")]
    if conv.question_id and conv.question_case_id and (text or msg.media):
        answer = Answer(conv.question_id, conv.question_case_id, text, msg.media)
        return replace(conv, question_id=None, question_case_id=None), [*actions, answer, Reply("answer_received")]
    if text and (found := RECEIPT_PATTERN.match(text)):
        rest = text[found.end() :].strip(" :-\n") or None
        return conv, [*actions, AddToTip(None, rest, msg.media, receipt=found.group(1))]
    if conv.state is State.FILED and conv.filed_at is not None and msg.at - conv.filed_at <= bundle:
        return conv, [*actions, AddToTip(conv.tip_case_id, text, msg.media), Reply("added_to_tip")]
    if conv.state in (State.NEW, State.FILED):
        draft: dict[str, Any] = _attach({}, msg)
        if text and said not in _either("greeting"):
            draft = _keep_note(draft, text)
        fresh = replace(conv, state=State.LANGUAGE, draft=draft, started_at=msg.at)
        return fresh, [*actions, Reply("choose_language")]
    draft = _attach(conv.draft, msg)
    handler = _HANDLERS[conv.state]
    conv, more = handler(replace(conv, draft=draft), text, said, msg, cat)
    return conv, [*actions, *more]


def _category_menu(cat: Catalogue) -> str:
    return "\n".join(cat.text("category_menu_line", n=i + 1, label=cat.category(c)) for i, c in enumerate(TipCategory))


def _ask_category(conv: Conversation) -> Reply:
    cat = catalogue(conv.language)
    return Reply("choose_category", {"menu": _category_menu(cat)})


def _on_language(conv: Conversation, text: str | None, said: str, msg: Message, cat: Catalogue) -> _Result:
    if said in catalogue("hi").words("hindi"):
        language = str(TipLanguage.HINDI)
    elif said in catalogue("en").words("english"):
        language = str(TipLanguage.ENGLISH)
    elif text:  # free text instead of a choice: kept, and its script chooses the language
        language = str(TipLanguage.HINDI) if _DEVANAGARI.search(text) else str(TipLanguage.ENGLISH)
        conv = replace(conv, draft=_keep_note(conv.draft, text))
    else:
        return conv, [Reply("media_received")] if msg.media else [Reply("choose_language")]
    conv = replace(conv, state=State.CATEGORY, language=language)
    return conv, [_ask_category(conv)]


def _match_category(said: str) -> TipCategory | None:
    members = list(TipCategory)
    if said.isdigit() and 1 <= int(said) <= len(members):
        return members[int(said) - 1]
    for c in members:
        if said in (_norm(catalogue("hi").category(c)), _norm(catalogue("en").category(c)), str(c)):
            return c
    return None


def _on_category(conv: Conversation, text: str | None, said: str, msg: Message, cat: Catalogue) -> _Result:
    chosen = _match_category(said) if text else None
    if chosen is None:
        if not text:
            return conv, [Reply("media_received")] if msg.media else [_ask_category(conv)]
        misses = int(conv.draft.get("misses", 0)) + 1
        draft = {**_keep_note(conv.draft, text), "misses": misses}
        if misses < MAX_MISSES:
            return replace(conv, draft=draft), [Reply("not_understood"), _ask_category(conv)]
        chosen = TipCategory.OTHER
        conv = replace(conv, draft=draft)
    draft = {k: v for k, v in conv.draft.items() if k != "misses"} | {"category": str(chosen)}
    return replace(conv, state=State.WHAT, draft=draft), [Reply("ask_what")]


def _free_step(field_name: str, next_state: State, next_reply: str) -> Any:
    def handler(conv: Conversation, text: str | None, said: str, msg: Message, cat: Catalogue) -> _Result:
        if not text:  # media alone: attached; the question stands
            return conv, [Reply("media_received")]
        before = conv.draft.get(field_name)
        value = f"{before}\n{text}" if before else text
        return replace(conv, state=next_state, draft={**conv.draft, field_name: value}), [Reply(next_reply)]

    return handler


def _on_media(conv: Conversation, text: str | None, said: str, msg: Message, cat: Catalogue) -> _Result:
    if msg.media and not text:
        return conv, [Reply("media_received")]
    if said in _either("done"):
        return replace(conv, state=State.CONFIRM), [confirm_reply(conv)]
    return replace(conv, draft=_keep_note(conv.draft, text)), [Reply("media_received")]


def _on_confirm(conv: Conversation, text: str | None, said: str, msg: Message, cat: Catalogue) -> _Result:
    if said in _either("yes") and text:
        filing = FileTip(conv.draft, conv.language, conv.started_at or msg.at, confirmed=True)
        return replace(conv, state=State.FILED, draft={}, filed_at=msg.at), [filing]
    if said in _either("no") and text:
        fresh = replace(conv, state=State.CATEGORY, draft={}, started_at=msg.at)
        return fresh, [Reply("restarted"), _ask_category(fresh)]
    draft = _keep_note(conv.draft, text)
    conv = replace(conv, draft=draft)
    return conv, [confirm_reply(conv)]


def confirm_reply(conv: Conversation) -> Reply:
    cat = catalogue(conv.language)
    d = conv.draft
    none = cat.text("none")
    what = "\n".join(x for x in [d.get("what"), *d.get("notes", [])] if x) or none
    return Reply(
        "confirm",
        {
            "category": cat.category(d.get("category", str(TipCategory.OTHER))),
            "what": what[:600],
            "place": d.get("place") or none,
            "when": d.get("when") or none,
            "media": len(d.get("media", [])),
        },
    )


_Result = tuple[Conversation, list[Action]]
_HANDLERS: dict[State, Any] = {
    State.LANGUAGE: _on_language,
    State.CATEGORY: _on_category,
    State.WHAT: _free_step("what", State.WHERE, "ask_where"),
    State.WHERE: _free_step("place", State.WHEN, "ask_when"),
    State.WHEN: _free_step("when", State.MEDIA, "ask_media"),
    State.MEDIA: _on_media,
    State.CONFIRM: _on_confirm,
}


def render(reply: Reply, language: str | None) -> str:
    return catalogue(language).text(reply.key, **reply.params)


def media_ids(actions: Iterable[Action]) -> list[str]:
    return [m for a in actions if isinstance(a, AddToTip | Answer) and (m := a.media) is not None]


__all__ = [
    "AddToTip",
    "Answer",
    "Catalogue",
    "Conversation",
    "FileTip",
    "Message",
    "Reply",
    "State",
    "catalogue",
    "confirm_reply",
    "expire",
    "render",
    "step",
]
