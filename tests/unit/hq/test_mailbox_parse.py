"""The mail parser and the district match, on the sample mails and variations of them (no server)."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from sqlalchemy import Connection, create_engine

from core.events import PAYLOADS, EventType
from hq.mailbox.parse import (
    Unparsable,
    headers_of,
    message_key,
    parse_alert,
    read_message,
    refused_alert,
    unparsed_alert,
)
from hq.mailbox.take import match_district
from hq.schema import districts
from tests.fixtures.mail import FACEBOOK, INSTAGRAM_HTML, MALFORMED, load, variant


def intake_payload(body: dict[str, object]) -> None:
    """The body is what HQ's intake accepts (the same check intake applies)."""
    PAYLOADS[EventType.CREATED]({k: v for k, v in body.items() if k != "district"}, "intake")


def test_the_facebook_sample_quoted_printable_with_hindi() -> None:
    alert = parse_alert(load(FACEBOOK))
    body = alert.body
    intake_payload(body)
    assert body["source"] == "facebook" and body["upstream_ref"] == "4839201746" and body["priority"] == 1
    assert body["received_at"] == "2026-11-29T18:02:11.000Z"  # the Date header (+0530) in UTC
    subject = body["subject"]
    assert subject["name"] == "रमेश कुमार (Ramesh Kumar, synthetic)"
    assert subject["phones"] == ["+919000000123", "9000000456"]
    assert (
        subject["post_url"]
        == "https://www.facebook.com/permalink.php?story_fbid=pfbid0synthetic4839&id=100000000000001"
    )
    assert subject["profile_url"] == "https://www.facebook.com/profile.php?id=100000000000001"
    assert subject["post_text"] == "मैं अब और नहीं जी सकता। सबको अलविदा, माफ़ करना।\nआज रात के बाद कोई परेशान नहीं होगा।"
    assert subject["language"] == "hi"
    assert alert.location_text == "Gomti Nagar, Lucknow, Uttar Pradesh, India"
    assert "Profile picture: https://scontent.xx.fbcdn.example/" in body["summary"]
    assert "Location basis: IP address at time of posting" in body["summary"]


def test_the_html_only_instagram_sample_base64() -> None:
    alert = parse_alert(load(INSTAGRAM_HTML))
    intake_payload(alert.body)
    assert alert.body["source"] == "instagram" and alert.body["upstream_ref"] == "5512009931"
    assert alert.body["subject"]["profile_url"] == "https://www.instagram.com/priya.test.synthetic/"
    assert alert.body["subject"]["post_url"] == "https://www.instagram.com/p/SyNtHeTiC55/"
    assert alert.body["subject"]["post_text"] == "Tonight is the last night. Nobody will miss me. अलविदा।"
    assert alert.body["summary"] == "Meta e-mail alert: Instagram: आत्म-हानि का जोखिम — Ref 5512009931"
    assert alert.location_text == "Swaroop Nagar, Kanpur Nagar, UP"


def test_html_anchor_links_and_latin1() -> None:
    msg = EmailMessage()
    msg["From"] = "alerts@example.invalid"
    msg["Subject"] = "Alerte"
    msg.set_content(
        "<p>Post link: <a href='https://www.facebook.com/p/123'>ouvrir</a><br>Name: José Müller<br>"
        "Probable location: Varanasi</p>",
        subtype="html",
        charset="iso-8859-1",
    )
    alert = parse_alert(msg.as_bytes())
    assert alert.body["subject"]["post_url"] == "https://www.facebook.com/p/123"
    assert alert.body["subject"]["name"] == "José Müller"
    assert alert.body["upstream_ref"].startswith("sha256:")  # no reference, no Message-ID: the mail's key


def test_a_mail_with_no_links_is_unparsable_and_becomes_an_unparsed_alert() -> None:
    raw = load(MALFORMED)
    with pytest.raises(Unparsable, match="no post link and no profile link"):
        parse_alert(raw)
    body = unparsed_alert(raw, "mid:x", "no post link and no profile link found")
    intake_payload(body)
    assert body["kind"] == "suicide_risk" and body["source"] == "other"
    assert "The person’s details are in the image" in body["subject"]["post_text"]  # windows-1252 decoded
    assert body["summary"].startswith("Unparsed alert e-mail from Meta Law Enforcement Response")


def test_garbage_and_control_characters_still_make_a_valid_unparsed_body() -> None:
    raw = b"\x00\x01garbage \xff\xfe\x1b[31m\n\n\x00"
    body = unparsed_alert(raw, message_key(None, raw), "unreadable mail")
    intake_payload(body)
    assert "garbage" in body["subject"]["post_text"]


def test_refused_body_names_size_sender_and_subject() -> None:
    head = headers_of(read_message(load(FACEBOOK)))
    body = refused_alert("mid:big", head, 30_400_000, 25_000_000)
    intake_payload(body)
    assert body["summary"].startswith("Mail refused: too large (30.4 MB, limit 25 MB), from Meta Law Enforcement")
    assert "subject Urgent: risk of self-harm reported on Facebook" in body["summary"]


def test_message_key_is_stable_across_redelivery() -> None:
    assert message_key("<abc@x>") == "mid:abc@x"
    assert message_key("<" + "a" * 300 + ">").startswith("mid-sha256:")
    assert message_key("<a\x01b@x>").startswith("mid-sha256:")  # never a control character in a reference
    raw = variant(MALFORMED, message_id=None)
    redelivered = b"Received: from mx2.example by mx.example; Sun, 29 Nov 2026 20:00:00 +0000\r\n" + raw
    assert message_key(None, raw) == message_key(None, redelivered)
    assert message_key(None, raw) != message_key(None, variant(FACEBOOK, message_id=None))


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    districts.create(engine)
    with engine.begin() as c:
        for code, name in (("LKO", "Lucknow / लखनऊ"), ("KNP", "Kanpur Nagar"), ("KND", "Kanpur Dehat"),
                           ("VNS", "Varanasi (वाराणसी)"), ("AGR", "Agra"), ("KPR", "Kanpur")):  # fmt: skip
            c.execute(districts.insert().values(code=code, name=name, duty_phones="[]", created_at="x"))
        yield c
    engine.dispose()


@pytest.mark.parametrize(
    ("location", "district"),
    [
        ("Gomti Nagar, Lucknow, Uttar Pradesh, India", "LKO"),
        ("गोमती नगर, लखनऊ, उत्तर प्रदेश", "LKO"),
        ("Swaroop Nagar, Kanpur Nagar, UP", "KNP"),  # "Kanpur Nagar" holds "Kanpur": the longer name wins
        ("near Kanpur, UP", "KPR"),
        ("Kanpur Dehat or Kanpur Nagar", None),
        ("Lanka, near BHU gate, वाराणसी", "VNS"),
        ("LUCKNOW-226010", "LKO"),
        ("Agra or Lucknow (IP address ambiguous)", None),  # two districts named: HQ decides
        ("Agrawal Colony, Bareilly", None),  # whole words only
        ("", None),
    ],
)
def test_probable_location_to_district(conn: Connection, location: str, district: str | None) -> None:
    assert match_district(conn, location) == district
