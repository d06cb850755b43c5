"""Text likeness for Hindi and English posts: a normal form, character trigrams, and an index.

Why character trigrams and not MinHash: a post or a claim is a few hundred characters, and HQ holds
thousands of claims, not millions. Exact trigram sets are small enough to keep in memory, an inverted
index (trigram -> claims) finds the candidates in one pass over the post's trigrams, and the score is
exact, so the same post always gets the same suggestions (MinHash estimates the same Jaccard with a
random error of about 1/sqrt(k), which makes borderline posts flicker between runs for no gain at
this size). Character n-grams, unlike words, survive the spelling variation of social-media Hindi
(a dropped nukta, a short matra for a long one, Devanagari or ASCII digits) once the text is
normalised, and romanised and Devanagari text do not match each other, which is what we want: an
operator confirms, the machine only proposes.

Nothing here decides: a likeness above ``SIMILAR_MIN`` is a suggestion an operator confirms or
dismisses (``core.claims``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Dice coefficient of two trigram sets at or above which texts are proposed as the same rumour.
# Chosen on the pairs in tests/unit/core/test_textmatch.py: paraphrases with spelling variants score
# 0.6-0.9, different news on the same subject 0.2-0.45.
SIMILAR_MIN = 0.55
# A post that quotes a whole claim and adds its own words ("is this true? <rumour>") matches by
# containment: at least this share of the claim's trigrams are in the post...
CONTAINED_MIN = 0.85
# ...but only for claims long enough that containment means something.
CONTAINED_MIN_GRAMS = 40
N = 3

_NUKTA = "\u093c"
# Spelling variants that social-media Hindi mixes freely, folded to one form. Long vowel signs and
# letters to short ones; chandrabindu, anusvara, nukta and zero-width marks dropped.
_FOLD = str.maketrans(
    {
        "\u0940": "\u093f",  # ी -> ि
        "\u0942": "\u0941",  # ू -> ु
        "\u0908": "\u0907",  # ई -> इ
        "\u090a": "\u0909",  # ऊ -> उ
        "\u0901": None,  # chandrabindu and anusvara: often left out when typing (मे for में)
        "\u0902": None,
        "\u093c": None,  # nukta
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u00ad": None,  # soft hyphen
    }
)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form two texts are compared in.

    NFKD (nukta split off its consonant: क़ = क + ़), nukta, anusvara, chandrabindu and zero-width
    marks dropped, long matras folded to short ones, case folded, every digit (Devanagari, Arabic-Indic...) to its ASCII
    digit, punctuation and symbols (the danda too) to spaces, spaces collapsed; then NFC.
    """
    text = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD)
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Nd":
            out.append(str(unicodedata.digit(ch)))
        elif cat[0] in "LM" or cat == "Nl" or cat == "No":
            if cat == "Mn" and not _is_indic_mark(ch):
                continue  # Latin accents: "café" and "cafe" are one word here
            out.append(ch)
        else:
            out.append(" ")
    return unicodedata.normalize("NFC", _SPACES.sub(" ", "".join(out)).strip())


def _is_indic_mark(ch: str) -> bool:
    """A combining mark of an Indian script (a matra, virama, anusvara): it is part of the word."""
    return "\u0900" <= ch <= "\u0dff"


def trigrams(text: str) -> frozenset[str]:
    """The character trigrams of ``normalise(text)``, each word padded with a space on both sides."""
    norm = normalise(text)
    if not norm:
        return frozenset()
    padded = f" {norm} "
    if len(padded) < N:
        return frozenset({padded})
    return frozenset(padded[i : i + N] for i in range(len(padded) - N + 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def likeness(post: frozenset[str], claim: frozenset[str]) -> float:
    """How alike a post is to a claim, 0..1: Dice of the trigram sets, or the share of a long
    claim's trigrams found in the post when that share is high (a post quoting the claim)."""
    if not post or not claim:
        return 0.0
    shared = len(post & claim)
    score = 2 * shared / (len(post) + len(claim))
    if len(claim) >= CONTAINED_MIN_GRAMS and shared / len(claim) >= CONTAINED_MIN:
        score = max(score, shared / len(claim))
    return score


def similar(a: str, b: str) -> bool:
    """Whether ``a`` (a post) is close enough to ``b`` (a claim) to be proposed as the same rumour."""
    return likeness(trigrams(a), trigrams(b)) >= SIMILAR_MIN


@dataclass(frozen=True)
class Match:
    key: str
    score: float


class TrigramIndex:
    """Texts by key, looked up by likeness. Not thread-safe: build, then read (or lock around it).

    The inverted index maps each trigram to the keys holding it; a lookup counts, per key, the
    trigrams it shares with the query, then scores only keys that could reach the threshold.
    Trigrams held by more than ``common_share`` of all texts are too common to find anything and are
    left out of the candidate count (they still count in the score, and the candidate bound allows
    for them, so leaving them out loses no match).
    """

    def __init__(self, common_share: float = 0.2) -> None:
        self._grams: dict[str, frozenset[str]] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._common_share = common_share

    def __len__(self) -> int:
        return len(self._grams)

    def add(self, key: str, text: str) -> None:
        self.remove(key)
        grams = trigrams(text)
        self._grams[key] = grams
        for g in grams:
            self._postings[g].add(key)

    def add_all(self, items: Iterable[tuple[str, str]]) -> None:
        for key, text in items:
            self.add(key, text)

    def remove(self, key: str) -> None:
        old = self._grams.pop(key, None)
        for g in old or ():
            keys = self._postings.get(g)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._postings[g]

    def lookup(self, text: str, *, threshold: float = SIMILAR_MIN, limit: int = 10) -> list[Match]:
        """Keys whose text is alike ``text`` at ``threshold`` or above, best first."""
        query = trigrams(text)
        if not query:
            return []
        common = max(50, int(len(self._grams) * self._common_share))
        counts: dict[str, int] = defaultdict(int)
        skipped = 0  # the query's trigrams too common to count
        for g in query:
            keys = self._postings.get(g)
            if keys is None:
                continue
            if len(keys) > common:
                skipped += 1
                continue
            for key in keys:
                counts[key] += 1
        # A text can reach the threshold only if it shares enough of the query's trigrams. Dice >= t
        # needs shared >= t/2 * (|q| + |c|) >= t/2 * |q|; containment needs shared >= CONTAINED_MIN *
        # CONTAINED_MIN_GRAMS. At most ``skipped`` of the shared trigrams went uncounted, so a key
        # counted fewer than the smaller bound minus ``skipped`` cannot match: no match is lost. A
        # query made almost only of common trigrams has no such bound: every text is scored then.
        need = min(threshold / 2 * len(query), CONTAINED_MIN * CONTAINED_MIN_GRAMS)
        floor = math.ceil(need) - skipped
        candidates = counts.items() if floor > 0 else ((key, floor) for key in self._grams)
        found: list[Match] = []
        for key, n in candidates:
            if n < floor:
                continue
            score = likeness(query, self._grams[key])
            if score >= threshold:
                found.append(Match(key, round(score, 3)))
        found.sort(key=lambda m: (-m.score, m.key))
        return found[:limit]


__all__ = ["SIMILAR_MIN", "Match", "TrigramIndex", "dice", "likeness", "normalise", "similar", "trigrams"]
