"""Misinformation claims: the rumour, where it spread, the official version, the rebuttals, and the
matcher that proposes incoming posts as the same rumour (text by ``core.textmatch``, images by
perceptual hash).

The matcher only proposes: a ``Suggestion`` becomes a link to a claim when an operator confirms it.
Knows neither Qt nor HTTP; HQ stores claims (``hq.claims``), the desktop shows them (``ui.claims``).
"""

from __future__ import annotations

import enum
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.textmatch import SIMILAR_MIN, TrigramIndex


class ClaimStatus(enum.StrEnum):
    INVESTIGATING = "investigating"
    REBUTTED = "rebutted"
    CLOSED = "closed"


class SuggestionStatus(enum.StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


PLATFORMS = ("facebook", "instagram", "x", "youtube", "whatsapp", "other")

# Two images whose 64-bit perceptual hashes differ in at most this many bits are the same picture
# (re-encoded, resized, lightly cropped or recompressed by a platform). Measured in
# tests/unit/core/test_claims_match.py: a JPEG q40 re-encode, a half-size JPEG and a greyscale WebP of
# a picture differ from it by 0 bits; six different pictures of the same kind (coloured shapes on
# a plain ground) by 10 to 50. The margin at 10 is thin for pictures that alike; real photographs
# differ more, and an operator confirms every suggestion anyway.
IMAGE_BITS_MAX = 8


def claim_problem(status: ClaimStatus, official_version: str, rebuttals: int) -> str | None:
    """Why a claim may not be in ``status`` with these contents, or None.

    A claim is *rebutted* only once the official version is written and at least one rebuttal is
    published: the status is what the reports count as "rebutted", so it must mean it.
    """
    if status is ClaimStatus.REBUTTED:
        if not official_version.strip():
            return "a rebutted claim needs the official version"
        if rebuttals < 1:
            return "a rebutted claim needs at least one published rebuttal"
    return None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def image_hash(data: bytes) -> str:
    """The 64-bit perceptual hash (pHash, DCT) of an image, as 16 hex digits.

    ``imagehash.phash`` on the image's greyscale: stable under re-encoding, resizing and small
    crops. Raises ``ValueError`` if the bytes are not an image Pillow can read. Imports Pillow and
    imagehash lazily: only HQ (the ``hq`` extra) computes hashes.
    """
    import imagehash
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return str(imagehash.phash(img))
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not an image: {exc}") from None


def hash_distance(a: str, b: str) -> int:
    """Bits that differ between two hex image hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class Suggestion:
    """A claim a post may be about: by ``text`` likeness (``score`` 0..1) or the same ``image``
    (``score`` = 1 - differing bits / 64). ``image_hash`` is the post image's hash, if it had one."""

    claim_id: str
    kind: str  # text | image
    score: float
    image_hash: str | None = None


@dataclass
class ClaimMatcher:
    """Every claim's text and image hashes in memory, for ``suggest``. Not thread-safe: HQ holds
    one per database behind a lock (``hq.claims.service``)."""

    texts: TrigramIndex = field(default_factory=TrigramIndex)
    images: dict[str, set[str]] = field(default_factory=dict)  # claim id -> image hashes

    def put(self, claim_id: str, text: str, image_hashes: Iterable[str]) -> None:
        self.texts.add(claim_id, text)
        hashes = {h for h in image_hashes if h}
        if hashes:
            self.images[claim_id] = hashes
        else:
            self.images.pop(claim_id, None)

    def drop(self, claim_id: str) -> None:
        self.texts.remove(claim_id)
        self.images.pop(claim_id, None)

    def suggest(
        self, text: str, image_bytes: bytes | None = None, *, threshold: float = SIMILAR_MIN, limit: int = 10
    ) -> list[Suggestion]:
        """Claims the post (``text``, optional image) may be about, best first; one per claim
        (the image's, when both match). An unreadable image is ignored (the text still counts)."""
        found: dict[str, Suggestion] = {}
        for m in self.texts.lookup(text, threshold=threshold, limit=limit):
            found[m.key] = Suggestion(m.key, "text", m.score)
        if image_bytes:
            try:
                h = image_hash(image_bytes)
            except ValueError:
                h = None
            if h is not None:
                for claim_id, hashes in self.images.items():
                    bits = min(hash_distance(h, other) for other in hashes)
                    if bits <= IMAGE_BITS_MAX:
                        found[claim_id] = Suggestion(claim_id, "image", round(1 - bits / 64, 3), h)
        return sorted(found.values(), key=lambda s: (-s.score, s.claim_id))[:limit]


__all__ = [
    "IMAGE_BITS_MAX",
    "PLATFORMS",
    "ClaimMatcher",
    "ClaimStatus",
    "Suggestion",
    "SuggestionStatus",
    "claim_problem",
    "hash_distance",
    "image_hash",
    "sha256_hex",
]
