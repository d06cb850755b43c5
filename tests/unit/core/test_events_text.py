"""The characters an event's text may hold, judged the same on the console and at HQ."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from core.errors import InvalidEvent
from core.events import Event, EventType, check_characters, text_problem
from tests.unit.core.conftest import EventMaker


@pytest.mark.parametrize(
    ("text", "free_text", "expected"),
    [
        ("Insp. Meena", False, None),
        ("अलविदा 😀", False, None),
        ("line one\nline two\r\n\tindented", True, None),
        ("a\x00b", True, "NUL character (U+0000 at character 2)"),
        ("a\x00b", False, "NUL character (U+0000 at character 2)"),
        ("bell\x07", True, "control character (U+0007 at character 5)"),
        ("esc\x1b[31m", True, "control character (U+001B at character 4)"),
        ("two\nlines", False, "one line without tabs (U+000A at character 4)"),
        ("tab\there", False, "one line without tabs (U+0009 at character 4)"),
        ("x\ud800", True, "lone surrogate, U+D800 at character 2"),
    ],
)
def test_text_problem(text: str, free_text: bool, expected: str | None) -> None:
    problem = text_problem(text, free_text=free_text)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem
        assert "\x00" not in problem and "\ud800" not in problem  # named, never quoted


def test_nested_text_and_field_names_are_checked_without_recursion() -> None:
    with pytest.raises(InvalidEvent, match=r"^intake\.subject\.phones\[1\]: must not contain a NUL"):
        check_characters({"subject": {"phones": ["9000000001", "9000\x00000002"]}}, "intake")
    with pytest.raises(InvalidEvent, match=r"^intake\.subject\.language: must be one line"):
        check_characters({"subject": {"language": "hi\n", "name": "pasted\n"}}, "intake")
    with pytest.raises(InvalidEvent, match=r"^p\.location: a field name must not contain a NUL"):
        check_characters({"location": {"te\x00xt": "x"}}, "p")
    check_characters({"location": {"text": "Gali 4,\nnear the well"}}, "p")  # free text: fine
    deep: Any = "ok"
    for _ in range(100_000):
        deep = [deep]
    check_characters(deep, "p")  # far deeper than Python's recursion limit
    deep_bad: Any = "a\x00"
    for _ in range(100_000):
        deep_bad = {"note": deep_bad}
    with pytest.raises(InvalidEvent, match="NUL"):
        check_characters(deep_bad, "p")


def test_a_new_event_with_a_control_character_is_refused_on_creation_and_from_the_wire(maker: EventMaker) -> None:
    case_id = str(uuid.uuid4())
    with pytest.raises(InvalidEvent, match=r"^event\.payload\.note: must not contain a NUL"):
        maker.event(case_id, EventType.ACKNOWLEDGED, {"note": "seen\x00"})
    with pytest.raises(InvalidEvent, match=r"^event\.payload\.field: must be one line"):
        maker.event(case_id, EventType.CONTACT_REVEALED, {"field": "phones\n"})
    with pytest.raises(InvalidEvent, match=r"^event\.payload\.officer: must not contain a control"):
        maker.event(case_id, EventType.DISPATCHED, {"officer": "SI\x1bTest", "phone": "9000000999"})
    maker.event(case_id, EventType.DISPATCHED, {"officer": "SI Test\n", "phone": "9000000999\t"})  # pasted
    maker.event(case_id, EventType.ACKNOWLEDGED, {"note": "seen\nby two\tofficers"})
    good = maker.event(case_id, EventType.ACKNOWLEDGED, {"note": "seen"}).to_wire(include_seq=False)
    for field, value in (("author_name", "Insp.\x00Meena"), ("author_id", "u\n1"), ("device_id", "dev\x7fa\x01")):
        with pytest.raises(InvalidEvent, match=rf"^event\.{field}: must"):
            Event.from_wire(good | {field: value})
    with pytest.raises(InvalidEvent, match=r"^event\.payload\.note"):
        Event.from_wire(good | {"payload": {"note": "a\ud800"}})


def test_an_event_hq_has_numbered_is_not_judged_again_by_the_character_rule(maker: EventMaker) -> None:
    """An event in HQ's log (it has an hq_seq) that an older, laxer rule let in must still reach every
    replica: refusing it would make the console refuse that pull page and stop syncing there."""
    good = maker.event(str(uuid.uuid4()), EventType.ACKNOWLEDGED, {"note": "seen"}).to_wire()
    older = good | {"payload": {"note": "pasted\x0bfrom a form"}}
    with pytest.raises(InvalidEvent):
        Event.from_wire(older)  # as pushed: refused
    assert Event.from_wire(older | {"hq_seq": 7}).payload == {"note": "pasted\x0bfrom a form"}
    with pytest.raises(InvalidEvent, match=r"event\.payload\.note: must be text"):
        Event.from_wire(good | {"hq_seq": 7, "payload": {"note": 5}})  # every other rule still holds
