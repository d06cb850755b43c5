"""Perceptual hashes and the claim matcher (core.claims): a re-encoded or resized picture is the same
image, a different picture is not; suggestions are only proposals."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("imagehash")
from PIL import Image, ImageDraw

from core.claims import IMAGE_BITS_MAX, ClaimMatcher, ClaimStatus, claim_problem, hash_distance, image_hash


def _picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture with shapes placed by ``seed``: something a perceptual hash can tell apart."""
    img = Image.new("RGB", size, (30 + seed * 40 % 200, 90, 160))
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(6):
        x = (seed * 97 + i * 131) % w
        y = (seed * 53 + i * 71) % h
        draw.ellipse((x, y, x + w // 4, y + h // 4), fill=((i * 50 + seed * 30) % 255, (i * 90) % 255, 40))
    draw.rectangle((w // 10, h // 2, w // 2, h - h // 10), fill=(250, 250, 250) if seed % 2 else (10, 10, 10))
    return img


def _encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def test_a_reencoded_and_resized_picture_has_the_same_hash() -> None:
    original = _picture(1)
    h = image_hash(_encode(original, "PNG"))
    jpeg = image_hash(_encode(original, "JPEG", quality=40))
    small = image_hash(_encode(original.resize((320, 240)), "JPEG", quality=70))
    grey = image_hash(_encode(original.convert("L"), "WEBP"))
    for other in (jpeg, small, grey):
        assert hash_distance(h, other) <= IMAGE_BITS_MAX


def test_a_different_picture_does_not_match() -> None:
    h = image_hash(_encode(_picture(1), "PNG"))
    for seed in (2, 3, 4):
        assert hash_distance(h, image_hash(_encode(_picture(seed), "PNG"))) > IMAGE_BITS_MAX


def test_not_an_image() -> None:
    with pytest.raises(ValueError, match="not an image"):
        image_hash(b"GIF89a but not really")


def test_matcher_proposes_by_text_and_by_image() -> None:
    matcher = ClaimMatcher()
    pic = _picture(5)
    matcher.put("bridge", "Ganga bridge at Patna has cracked, closed from Monday", [image_hash(_encode(pic, "PNG"))])
    matcher.put("kidnap", "बच्चा चोर गिरोह गया में सक्रिय, ५ बच्चे गायब", [])
    by_text = matcher.suggest("बच्चा चोर गिरोह गया मे सक्रीय 5 बच्चे गायब")
    assert [(s.claim_id, s.kind) for s in by_text] == [("kidnap", "text")]
    # a post with no matching words but the same picture, re-posted smaller and recompressed
    by_image = matcher.suggest("look at this!!", _encode(pic.resize((300, 225)), "JPEG", quality=50))
    assert [(s.claim_id, s.kind) for s in by_image] == [("bridge", "image")]
    assert by_image[0].image_hash is not None
    assert matcher.suggest("look at this!!", _encode(_picture(6), "JPEG")) == []
    # an unreadable image is ignored; the text still counts
    assert [s.claim_id for s in matcher.suggest("बच्चा चोर गिरोह गया में सक्रिय, ५ बच्चे गायब", b"junk")] == ["kidnap"]
    matcher.drop("kidnap")
    assert matcher.suggest("बच्चा चोर गिरोह गया में सक्रिय, ५ बच्चे गायब") == []


def test_rebutted_needs_official_version_and_a_rebuttal() -> None:
    assert claim_problem(ClaimStatus.REBUTTED, "", 1) is not None
    assert claim_problem(ClaimStatus.REBUTTED, "The bridge is safe.", 0) is not None
    assert claim_problem(ClaimStatus.REBUTTED, "The bridge is safe.", 1) is None
    assert claim_problem(ClaimStatus.CLOSED, "", 0) is None
