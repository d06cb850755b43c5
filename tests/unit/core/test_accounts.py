"""Handles in the register's form (core.accounts.normalise_handle): one account, one entry."""

from __future__ import annotations

import pytest

from core.accounts import normalise_handle


@pytest.mark.parametrize(
    ("platform", "handle", "expected"),
    [
        ("x", "@Foo_Bar", ("x", "foo_bar")),
        ("x", "  FOO_bar ", ("x", "foo_bar")),
        ("x", "https://twitter.com/Foo_Bar/status/1234567", ("x", "foo_bar")),
        ("facebook", "https://x.com/foo_bar", ("x", "foo_bar")),  # the link's host decides
        ("x", "mobile.twitter.com/foo_bar?s=20", ("x", "foo_bar")),
        ("facebook", "https://www.facebook.com/Rumour.Page/", ("facebook", "rumour.page")),
        ("facebook", "https://m.facebook.com/profile.php?id=100012345", ("facebook", "100012345")),
        ("facebook", "facebook.com/people/Some-Name/100099/", ("facebook", "100099")),
        ("instagram", "https://www.instagram.com/some.user/?hl=en", ("instagram", "some.user")),
        ("youtube", "https://www.youtube.com/@SomeChannel/videos", ("youtube", "somechannel")),
        ("youtube", "youtube.com/channel/UCabcDEF", ("youtube", "ucabcdef")),
        ("youtube", "@SomeChannel", ("youtube", "somechannel")),
    ],
)
def test_forms_of_one_handle(platform: str, handle: str, expected: tuple[str, str]) -> None:
    assert normalise_handle(platform, handle) == expected


@pytest.mark.parametrize("handle", ["", "@", "https://x.com/", "two words", "https://x.com/i/", "a" * 201])
def test_not_a_handle(handle: str) -> None:
    with pytest.raises(ValueError):
        normalise_handle("x", handle)
