"""Tip media: fetched with a size limit per kind, typed from its bytes, hashed, sealed, cleaned.

Two copies are kept of every file, both encrypted at rest (AES-256-GCM):

- the **original**, exactly as the tipster sent it, sealed under the relay's seal key. It is evidence
  (``original_sha256`` is its SHA-256, quoted in the case) and it may identify the tipster (a photo's
  GPS position, a phone model), so police never get it through the API;
- the **police copy**, under the media key HQ serves police with: an image decoded and re-encoded by
  Pillow with nothing but its pixels (EXIF, GPS, XMP, ICC and comments gone, rotation applied);
  an audio file with its tags removed by mutagen; an MP4/3GP video with its user-data and metadata
  boxes (``udta``, ``meta``: GPS ``©xyz``, make, model, dates) blanked in place into ``free`` boxes,
  so sample offsets stay valid. What could not be removed is written in ``cleaning`` and shown with
  the copy: a video's container is not re-encoded, so anything the encoder wrote inside the stream
  itself stays.

The claimed MIME type of the Cloud API is never trusted: ``filetype`` reads the magic bytes.
Runs on the relay's worker thread.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import struct
from dataclasses import dataclass
from typing import Any

import filetype
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from PIL import Image, ImageOps

from core.tips import TipMediaKind

MIB = 1024 * 1024
# The Cloud API's own limits: images 5 MB, audio and video 16 MB.
MAX_BYTES: dict[TipMediaKind, int] = {
    TipMediaKind.IMAGE: 5 * MIB,
    TipMediaKind.AUDIO: 16 * MIB,
    TipMediaKind.VIDEO: 16 * MIB,
}
MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
SNIFFED_KINDS: dict[str, TipMediaKind] = {
    "image/jpeg": TipMediaKind.IMAGE,
    "image/png": TipMediaKind.IMAGE,
    "image/webp": TipMediaKind.IMAGE,
    "audio/ogg": TipMediaKind.AUDIO,
    "audio/mpeg": TipMediaKind.AUDIO,
    "audio/mp4": TipMediaKind.AUDIO,
    "audio/m4a": TipMediaKind.AUDIO,
    "audio/amr": TipMediaKind.AUDIO,
    "audio/aac": TipMediaKind.AUDIO,
    "video/mp4": TipMediaKind.VIDEO,
    "video/3gpp": TipMediaKind.VIDEO,
    "video/quicktime": TipMediaKind.VIDEO,
}
# Boxes whose content is metadata, blanked in a video's police copy (inside moov and each trak).
_META_BOXES = {b"udta", b"meta"}
_CONTAINERS = {b"moov", b"trak"}
NONCE_BYTES = 12


class MediaRefused(ValueError):
    """The file is not one the tip line takes (unknown type, too large, undecodable). ``code`` is
    what the tipster is told about (a catalogue key), never the file's content."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CleanMedia:
    kind: TipMediaKind
    mime: str
    original_sha256: str
    original_bytes: int
    police: bytes
    police_mime: str
    police_sha256: str
    cleaning: dict[str, Any]


def sniff(data: bytes) -> tuple[TipMediaKind, str]:
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess is not None else ""
    if mime == "video/mp4" and _is_audio_only_mp4(data):
        mime = "audio/mp4"
    kind = SNIFFED_KINDS.get(mime)
    if kind is None:
        raise MediaRefused("media_type")
    return kind, mime


def _is_audio_only_mp4(data: bytes) -> bool:
    return data[8:12] in (b"M4A ", b"M4B ")


def clean(data: bytes) -> CleanMedia:
    """Type ``data`` by its bytes and make the police copy. Raises ``MediaRefused``."""
    kind, mime = sniff(data)
    if len(data) > MAX_BYTES[kind]:
        raise MediaRefused("media_too_large")
    if kind is TipMediaKind.IMAGE:
        police, police_mime, cleaning = _clean_image(data)
    elif kind is TipMediaKind.AUDIO:
        police, police_mime, cleaning = _clean_audio(data, mime)
    else:
        police, police_mime, cleaning = _clean_video(data, mime)
    return CleanMedia(
        kind=kind,
        mime=mime,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_bytes=len(data),
        police=police,
        police_mime=police_mime,
        police_sha256=hashlib.sha256(police).hexdigest(),
        cleaning=cleaning,
    )


def _clean_image(data: bytes) -> tuple[bytes, str, dict[str, Any]]:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            had = sorted(k for k in ("exif", "icc_profile", "xmp", "comment", "dpi") if k in img.info)
            if img.getexif():
                had = sorted({*had, "exif"})
            upright = ImageOps.exif_transpose(img)
            pixels = upright.convert("RGB")
            # A new image from the pixels alone: nothing of the original's info dict comes along.
            bare = Image.frombytes("RGB", pixels.size, pixels.tobytes())
            out = io.BytesIO()
            bare.save(out, format="JPEG", quality=90, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise MediaRefused("media_unreadable") from None
    return out.getvalue(), "image/jpeg", {"method": "re-encoded from pixels", "removed": had, "kept": []}


def _clean_audio(data: bytes, mime: str) -> tuple[bytes, str, dict[str, Any]]:
    import mutagen

    buf = io.BytesIO(data)
    try:
        audio = mutagen.File(buf)
        removed = sorted({str(k) for k in audio.tags}) if audio is not None and audio.tags else []
        if audio is not None and audio.tags is not None:
            buf.seek(0)
            audio.delete(buf)
    except Exception as exc:  # mutagen raises many kinds for odd files; the copy is then not shown clean
        return data, mime, {"method": "none", "removed": [], "kept": [f"tags could not be read ({type(exc).__name__})"]}
    return buf.getvalue(), mime, {"method": "tags removed", "removed": removed, "kept": ["the recorded sound itself"]}


def _clean_video(data: bytes, mime: str) -> tuple[bytes, str, dict[str, Any]]:
    out = bytearray(data)
    blanked: list[str] = []
    _blank_boxes(out, 0, len(out), blanked, "")
    return (
        bytes(out),
        mime,
        {
            "method": "metadata boxes blanked",
            "removed": blanked,
            "kept": ["anything the encoder wrote inside the video stream itself"],
        },
    )


def _blank_boxes(buf: bytearray, start: int, end: int, blanked: list[str], path: str) -> None:
    """Walk ISO-BMFF boxes in ``buf[start:end]``; turn metadata boxes into zero-filled ``free`` boxes."""
    pos = start
    while pos + 8 <= end:
        size, box = struct.unpack(">I4s", buf[pos : pos + 8])
        header = 8
        if size == 1 and pos + 16 <= end:
            size = struct.unpack(">Q", buf[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        if box in _META_BOXES:
            buf[pos + 4 : pos + 8] = b"free"
            buf[pos + header : pos + size] = bytes(size - header)
            blanked.append(f"{path}/{box.decode('latin-1')}")
        elif box in _CONTAINERS:
            _blank_boxes(buf, pos + header, pos + size, blanked, f"{path}/{box.decode('latin-1')}")
        pos += size


def encrypt(key: bytes, plain: bytes, context: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plain, context.encode())


def decrypt(key: bytes, sealed: bytes, context: str) -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())


def cleaning_json(c: CleanMedia) -> str:
    return json.dumps({**c.cleaning, "police_mime": c.police_mime}, sort_keys=True)


__all__ = ["MAX_BYTES", "CleanMedia", "MediaRefused", "clean", "cleaning_json", "decrypt", "encrypt", "sniff"]
