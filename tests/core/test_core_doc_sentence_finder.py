"""Doc.sentence_finder (the places step's sentence of a mention, one C call) gives what
Doc.sentence_of gives at every offset: inside, between and past the sentences, none at all."""

from __future__ import annotations

import pytest

from marsad.doc import Doc

TEXTS = [
    "",
    "   \n ",
    "قصف على حمص",
    "قُتل ثلاثة مدنيين في قصف على حمص. وأصيب آخرون في درعا.  \n\n",
    "  حلب.\nإدلب!  حماة؟ دير الزور\n\nاللاذقية. ",
    "قال أ. محمد إن القصف طال ريف دمشق. ثم توقف",
    "...؟! ..",
]


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_finder_is_sentence_of_at_every_offset(text):
    doc = Doc(text)
    find = doc.sentence_finder()
    n = len(doc.norm)
    for i in range(n + 3):
        assert find(i) == doc.sentence_of(i), (text, i)
    assert find(10 ** 9) == doc.sentence_of(10 ** 9)


def test_sentence_finder_is_kept_and_remade_when_the_sentences_change():
    """One finder a report (the places, dates and conditions steps share it), remade if the
    sentences change in number, as sentence_of's ends are."""
    doc = Doc("قصف على حمص. وأصيب آخرون في درعا. ثم توقف")
    find = doc.sentence_finder()
    assert doc.sentence_finder() is find
    doc.sentences = doc.sentences[:1]
    find2 = doc.sentence_finder()
    assert find2 is not find
    for i in range(len(doc.norm) + 3):
        assert find2(i) == doc.sentence_of(i) == 0
