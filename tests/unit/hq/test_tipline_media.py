"""Tip media (hq.tipline.media): typed from the bytes, police copies without metadata."""

from __future__ import annotations

import hashlib
import io
import struct

import pytest
from PIL import Image

from core.tips import TipMediaKind
from hq.tipline.media import MediaRefused, clean, decrypt, encrypt
from tests.fixtures.whatsapp_sim import photo_with_gps, voice_note


def test_a_photos_police_copy_has_no_exif_gps_or_camera_and_the_original_is_hashed() -> None:
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture really has GPS
    c = clean(original)
    assert c.kind is TipMediaKind.IMAGE and c.mime == "image/jpeg"
    assert c.original_sha256 == hashlib.sha256(original).hexdigest()
    assert c.police_sha256 == hashlib.sha256(c.police).hexdigest()
    copy = Image.open(io.BytesIO(c.police))
    assert not copy.getexif() and b"Exif" not in c.police and b"TipsterPhoneMaker" not in c.police
    assert "exif" in c.cleaning["removed"]


def test_a_voice_notes_tags_are_removed() -> None:
    c = clean(voice_note())
    assert c.kind is TipMediaKind.AUDIO and c.mime == "audio/ogg"
    assert b"LOCATION" not in c.police and c.police.startswith(b"OggS")
    assert "LOCATION" in " ".join(c.cleaning["removed"]).upper()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def test_a_videos_metadata_boxes_are_blanked_in_place() -> None:
    gps = _box(b"\xa9xyz", b"\x00\x12\x15\xc7+25.3176+082.9739/")
    moov = _box(b"moov", _box(b"mvhd", bytes(100)) + _box(b"udta", gps) + _box(b"trak", _box(b"udta", b"make:X")))
    video = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + moov + _box(b"mdat", bytes(64))
    c = clean(video)
    assert c.kind is TipMediaKind.VIDEO and len(c.police) == len(video)
    assert b"+25.3176" not in c.police and b"make:X" not in c.police and b"mdat" in c.police
    assert c.cleaning["removed"] == ["/moov/udta", "/moov/trak/udta"]


def test_the_type_is_read_from_the_bytes_not_the_claim() -> None:
    with pytest.raises(MediaRefused) as refused:
        clean(b"MZ\x90\x00 this is a Windows program, whatever the API says")
    assert refused.value.code == "media_type"
    with pytest.raises(MediaRefused):
        clean(b"\xff\xd8\xff\xe0" + b"not really a jpeg")


def test_sealed_bytes_open_only_with_their_key_and_context() -> None:
    key, other = bytes(32), bytes([1]) * 32
    sealed = encrypt(key, b"evidence", "media-1")
    assert decrypt(key, sealed, "media-1") == b"evidence"
    for k, ctx in ((other, "media-1"), (key, "media-2")):
        with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
            decrypt(k, sealed, ctx)
