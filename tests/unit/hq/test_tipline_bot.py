"""The tip line's conversation state machine (hq.tipline.bot): pure, so tested without HQ."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from core.tips import TipCategory
from hq.tipline import bot
from hq.tipline.bot import AddToTip, Answer, Conversation, FileTip, Message, Reply, State

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
BUNDLE = timedelta(minutes=5)
IDLE = timedelta(minutes=30)


def run(conv: Conversation, *messages: Message) -> tuple[Conversation, list[bot.Action]]:
    done: list[bot.Action] = []
    for m in messages:
        conv, actions = bot.step(conv, m, bundle=BUNDLE, idle_timeout=IDLE)
        done += actions
    return conv, done


def say(text: str | None = None, minutes: float = 0, media: str | None = None) -> Message:
    return Message(at=T0 + timedelta(minutes=minutes), text=text, media=media)


def replies(actions: list[bot.Action]) -> list[str]:
    return [a.key for a in actions if isinstance(a, Reply)]


def test_both_catalogues_hold_the_same_keys_and_every_category() -> None:
    keys = {lang: set(json.loads((bot.CATALOGUE_DIR / f"{lang}.json").read_text("utf-8"))) for lang in ("hi", "en")}
    assert keys["hi"] == keys["en"]
    for c in TipCategory:
        assert f"category.{c}" in keys["hi"]


def test_the_whole_conversation_in_english_files_a_confirmed_tip() -> None:
    conv, actions = run(
        Conversation(), say("Hi"), say("2"), say("4"), say("Card games for money"), say("Lanka, Varanasi"),
        say("Nightly"), say(media="m1"), say("0"), say("yes"),
    )  # fmt: skip
    assert replies(actions) == ["choose_language", "choose_category", "ask_what", "ask_where", "ask_when",
                                "ask_media", "media_received", "confirm"]  # fmt: skip
    filing = actions[-1]
    assert isinstance(filing, FileTip) and filing.confirmed and filing.language == "en"
    assert filing.draft == {"category": "gambling", "what": "Card games for money", "place": "Lanka, Varanasi",
                            "when": "Nightly", "media": ["m1"]}  # fmt: skip
    assert conv.state is State.FILED and conv.draft == {}


def test_free_text_at_any_step_is_kept_and_an_unanswered_category_becomes_other() -> None:
    conv, actions = run(
        Conversation(), say("शराब की अवैध बिक्री हो रही है"), say("कहीं भी"), say("पता नहीं"), say("फिर नहीं")
    )
    assert conv.language == "hi"  # guessed from the script of the free text
    assert conv.draft["category"] == str(TipCategory.OTHER)
    assert conv.draft["notes"] == ["शराब की अवैध बिक्री हो रही है", "कहीं भी", "पता नहीं", "फिर नहीं"]
    assert conv.state is State.WHAT
    assert "not_understood" in replies(actions)


def test_restart_discards_the_draft_and_never_files() -> None:
    conv, actions = run(Conversation(), say("Hi"), say("2"), say("1"), say("cows loaded on trucks"), say("restart"))
    assert conv.state is State.LANGUAGE and conv.draft == {}
    assert not [a for a in actions if isinstance(a, FileTip)]
    assert replies(actions)[-2:] == ["restarted", "choose_language"]


def test_an_idle_conversation_with_content_is_filed_unconfirmed_and_an_empty_one_just_resets() -> None:
    conv, _ = run(Conversation(), say("Hi"), say("2"), say("3"), say("guns made in a shed"))
    later, actions = bot.expire(conv, T0 + IDLE + timedelta(seconds=1), IDLE)
    assert [type(a) for a in actions] == [FileTip] and not actions[0].confirmed  # type: ignore[union-attr]
    assert later.state is State.NEW
    empty, _ = run(Conversation(), say("Hi"))
    assert bot.expire(empty, T0 + IDLE + timedelta(seconds=1), IDLE)[1] == []


def test_messages_soon_after_filing_bundle_into_the_same_tip_and_later_ones_start_a_new_one() -> None:
    filed = Conversation(state=State.FILED, language="en", tip_case_id="case-1", filed_at=T0, updated_at=T0)
    _, actions = run(filed, say("one more photo", minutes=2, media="m2"))
    assert actions[0] == AddToTip("case-1", "one more photo", "m2")
    conv, actions = run(filed, say("new thing", minutes=10))
    assert conv.state is State.LANGUAGE and replies(actions) == ["choose_language"]


def test_a_pending_question_takes_the_next_message_as_its_answer() -> None:
    waiting = Conversation(state=State.FILED, language="hi", question_id="q1", question_case_id="c1", updated_at=T0)
    conv, actions = run(waiting, say("सोमवार को", minutes=60))
    assert actions[0] == Answer("q1", "c1", "सोमवार को", None)
    assert conv.question_id is None and replies(actions) == ["answer_received"]


def test_a_receipt_code_adds_to_that_tip() -> None:
    _, actions = run(Conversation(), say("K7F3-9QXA-2BCD more detail: a white van"))
    assert actions == [AddToTip(None, "more detail: a white van", None, receipt="K7F3-9QXA-2BCD")]


def test_a_refused_file_is_reported_and_the_step_is_kept() -> None:
    conv, actions = run(Conversation(), say("Hi"), Message(at=T0, media_refused="media_type"))
    assert conv.state is State.LANGUAGE and replies(actions) == ["choose_language", "media_type"]
    text = bot.render(Reply("choose_category", {"menu": "x"}), "hi")
    assert "संख्या" in text
