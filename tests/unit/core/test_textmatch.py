"""Normal form and likeness of Hindi and English posts (core.textmatch): paraphrases and spelling
variants match, different news on the same subject does not."""

from __future__ import annotations

import pytest

from core.textmatch import SIMILAR_MIN, TrigramIndex, likeness, normalise, similar, trigrams


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Curfew in PATNA, tomorrow!!", "curfew in patna tomorrow"),
        ("क़ानून", "कानुन"),  # precomposed nukta letter: the nukta goes; long u to short
        ("क\u093cानून", "कानुन"),  # decomposed nukta
        ("पानी।  बिजली॥", "पानि बिजलि"),  # long ii to short i, dandas are punctuation
        ("में", "मे"),  # anusvara dropped
        ("चाँद", "चाद"),  # chandrabindu dropped
        ("५ बच्चे", "5 बच्चे"),  # Devanagari digits to ASCII
        ("café\u200d", "cafe"),  # accents and zero-width joiners go
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


SAME = [
    # Hindi with spelling variants: nukta, anusvara, long/short matras, punctuation
    ("पटना में कल कर्फ्यू लगेगा, सभी दुकानें बंद रहेंगी!", "पटना मे कल कर्फ़्यू लगेगा सभी दुकाने बंद रहेगी"),
    ("बच्चा चोर गिरोह गया में सक्रिय, ५ बच्चे गायब", "बच्चा चोर गिरोह गया मे सक्रीय 5 बच्चे गायब"),
    # English: case, punctuation, a word form changed
    ("Curfew in Patna tomorrow, all shops to stay closed!!", "CURFEW IN PATNA TOMORROW all shops to stay closed"),
    (
        "Child kidnappers gang seen in Gaya, 5 children missing",
        "Child kidnapping gang active in Gaya, 5 children missing",
    ),
]

DIFFERENT = [
    # the official rebuttal of a rumour shares its words but is not the rumour
    ("Curfew in Patna tomorrow, all shops to stay closed", "Patna police: no curfew tomorrow, shops open as usual"),
    # same place, same subject words, different event
    ("Child kidnappers gang seen in Gaya, 5 children missing", "Police arrest gang of mobile thieves in Gaya"),
    ("पटना में कल कर्फ्यू लगेगा", "गया में आज बारिश होगी"),
    ("बच्चा चोर गिरोह गया में सक्रिय", "गया पुलिस ने मोबाइल चोर गिरोह पकड़ा"),
    # the same story in another script is not proposed (romanised vs Devanagari)
    ("patna me kal curfew lagega", "पटना में कल कर्फ्यू लगेगा"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_variants_of_one_rumour_match(a: str, b: str) -> None:
    assert similar(a, b), likeness(trigrams(a), trigrams(b))
    assert similar(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_near_misses_do_not_match(a: str, b: str) -> None:
    assert not similar(a, b), likeness(trigrams(a), trigrams(b))


def test_a_post_quoting_a_long_claim_matches_by_containment() -> None:
    claim = "Viral message says the Ganga bridge at Patna has cracked and will be closed to all traffic from Monday"
    post = f"Is this true?? my uncle sent this on whatsapp: {claim}. please someone from police confirm"
    assert likeness(trigrams(post), trigrams(claim)) >= SIMILAR_MIN
    # but a short claim inside a long unrelated post does not
    assert not similar(f"{post} and also other news about cricket and weather and trains", "Patna")


def test_index_finds_the_claim_and_not_the_others() -> None:
    index = TrigramIndex()
    index.add_all((str(i), f"unrelated district news item number {i} about roads and water") for i in range(300))
    index.add("curfew", SAME[0][0])
    index.add("kidnap", SAME[3][0])
    found = index.lookup(SAME[0][1])
    assert [m.key for m in found] == ["curfew"]
    assert found[0].score >= SIMILAR_MIN
    assert [m.key for m in index.lookup(SAME[3][1])] == ["kidnap"]
    assert index.lookup(DIFFERENT[0][1]) == []
    index.remove("curfew")
    assert index.lookup(SAME[0][1]) == []
    assert len(index) == 301
