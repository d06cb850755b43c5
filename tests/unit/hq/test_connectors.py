"""The connectors' pure parts: Meta's signature, the webhook's comments and mentions, the settings' clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.events import ItemKind, Source
from hq.connectors import signature
from hq.connectors.meta import Mention, PageComment, items_from_webhook, parse_webhook
from hq.connectors.settings import ConnectorSettingsError, from_env

BODY = b'{"object":"page","entry":[]}'


def test_signature_accepts_only_the_exact_hmac() -> None:
    good = signature.sign("secret", BODY)
    assert good.startswith("sha256=") and signature.verify("secret", BODY, good)
    assert not signature.verify("secret", BODY + b" ", good)  # the raw bytes, not the parsed JSON
    assert not signature.verify("other", BODY, good)
    assert not signature.verify("secret", BODY, good.upper())
    assert not signature.verify("secret", BODY, good.removeprefix("sha256="))
    assert not signature.verify("secret", BODY, None)
    assert not signature.verify("", BODY, signature.sign("", BODY))  # no secret: nothing verifies


def test_webhook_comments_of_a_page_and_instagram() -> None:
    page = {
        "object": "page",
        "entry": [{"id": "9000", "time": 1_790_000_000, "changes": [
            {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "p1_c1", "post_id": "p1",
                                        "parent_id": "p1", "message": "help", "created_time": 1_790_000_000,
                                        "from": {"id": "42", "name": "Ravi"}}},
            {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "p1_c2", "post_id": "p1",
                                        "parent_id": "p1_c1", "message": "ours", "created_time": 1_790_000_060,
                                        "from": {"id": "9000", "name": "Police"}}},
            {"field": "feed", "value": {"item": "reaction", "verb": "add", "post_id": "p1"}},
            {"field": "feed", "value": {"item": "comment", "verb": "edited", "comment_id": "p1_c1"}},
        ]}],
    }  # fmt: skip
    [item] = items_from_webhook(page, page_id="9000")
    assert (item.platform, item.item, item.platform_id, item.author_handle) == (
        Source.FACEBOOK, ItemKind.COMMENT, "p1_c1", "Ravi",
    )  # fmt: skip
    assert item.in_reply_to is None and item.thread_url == "https://www.facebook.com/p1"
    insta = {"object": "instagram", "entry": [{"id": "1", "time": 1_790_000_000, "changes": [
        {"field": "comments", "value": {"id": "c9", "text": "scam call", "from": {"id": "7", "username": "asha"},
                                        "media": {"id": "m1"}, "parent_id": "c8"}}]}]}  # fmt: skip
    [ig] = items_from_webhook(insta)
    assert ig.platform is Source.INSTAGRAM and ig.author_handle == "@asha" and ig.in_reply_to == "c8"
    for junk in (None, [], {"object": "page"}, {"object": "page", "entry": [1, {"changes": [None]}]}):
        assert items_from_webhook(junk) == []


def test_clock_settings_per_category() -> None:
    s = from_env({"RAKSHAK_SLA_FIRST_RESPONSE_BY_CATEGORY": "womens_safety=30, cyber_fraud=60"})
    policy = s.policy()
    assert policy.first_response_by_category == {"womens_safety": 30, "cyber_fraud": 60}
    assert not s.any_worker
    with pytest.raises(ConnectorSettingsError):
        from_env({"RAKSHAK_SLA_FIRST_RESPONSE_BY_CATEGORY": "gossip=5"})
    with pytest.raises(ConnectorSettingsError):
        from_env({"RAKSHAK_SLA_WARN_BEFORE_MIN": "soon"})


def test_hq_refuses_at_start_a_policy_its_consoles_would_refuse() -> None:
    with pytest.raises(ConnectorSettingsError, match=r"first_response_by_category\.traffic"):
        from_env({"RAKSHAK_SLA_FIRST_RESPONSE_BY_CATEGORY": "traffic=0"})
    with pytest.raises(ConnectorSettingsError, match="resolution_min"):
        from_env({"RAKSHAK_SLA_RESOLUTION_MIN": "0"})
    assert from_env({"RAKSHAK_SLA_WARN_BEFORE_MIN": "0"}).policy().warn_before_min == 0


def test_webhook_instagram_mentions_and_replies_under_a_thread() -> None:
    body = {"object": "instagram", "entry": [{"id": "178", "time": 1_790_000_000, "changes": [
        {"field": "mentions", "value": {"media_id": "m1", "comment_id": "c7"}},
        {"field": "mentions", "value": {"media_id": "m2"}},
        {"field": "mentions", "value": {}},
        {"field": "comments", "value": {"id": "c9", "text": "still nothing", "from": {"id": "7", "username": "asha"},
                                        "parent_id": "c1"}},
    ]}]}  # fmt: skip
    found = parse_webhook(body, ig_user_id="178")
    assert found[:2] == [
        Mention("m1", "c7", datetime.fromtimestamp(1_790_000_000, UTC)),
        Mention("m2", None, datetime.fromtimestamp(1_790_000_000, UTC)),
    ]
    [reply] = items_from_webhook(body, ig_user_id="178")  # the mentions need Graph: not read here
    assert found[2] == reply and reply.under == "c1" and reply.author_id == "7"
    page = {"object": "page", "entry": [{"id": "9000", "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": "p1_c1", "post_id": "p1", "parent_id": "p1",
        "message": "help", "from": {"id": "42"}}}]}]}  # fmt: skip
    [comment] = parse_webhook(page, page_id="9000")
    assert isinstance(comment, PageComment) and comment.post_id == "p1" and comment.item.thread_text is None
    assert comment.item.under is None  # on the post itself: a thread of its own
    page["entry"][0]["changes"][0]["value"] |= {"comment_id": "p1_c5", "parent_id": "p1_c1"}
    [answer] = items_from_webhook(page, page_id="9000")
    assert answer.under == "p1_c1" == answer.in_reply_to  # under the complaint p1_c1's thread
