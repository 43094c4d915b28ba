"""The regex-based punctuation features give what the token-by-token loop gave (``_reference``)."""

from __future__ import annotations

import random

from marsad.doc import Doc
from marsad.ner.features import gap_features


def _reference(norm, tokens):
    n = len(tokens)
    gaps = [""] * (n + 1)
    for i in range(1, n):
        g = norm[tokens[i - 1].end:tokens[i].start]
        if g != " ":
            gaps[i] = g.replace(" ", "")[:2]
    out = []
    for i in range(n):
        f = []
        if gaps[i]:
            f.append("lp=" + gaps[i])
        if gaps[i + 1]:
            f.append("rp=" + gaps[i + 1])
        out.append(f)
    return out


def test_gap_features_equal_the_reference():
    words = ["قال", "مصدر", "«الجيش»", "(حلب)", "-", "،", "ريف", "\"ادلب\"", "x_y", "12", "...", "،،"]
    seps = [" ", "  ", ", ", " - ", "/", ""]
    rnd = random.Random(5)
    for _ in range(300):
        doc = Doc(" ".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(1, 30))))
        for si in range(len(doc.sentences)):
            toks = [t for t in doc.tokens if t.sent == si]
            assert gap_features(doc.norm, toks) == _reference(doc.norm, toks), doc.norm


def test_quotes_and_brackets_mark_their_neighbours():
    doc = Doc("قال «الجيش الحر» (في حلب)")
    f = gap_features(doc.norm, doc.tokens)
    assert f[1] == ['lp="'] and f[0] == ['rp="']
    assert f[2] == ['rp="('] and f[3] == ['lp="(']


def test_the_document_pass_gives_what_each_sentence_gives():
    from marsad.ner.features import doc_gap_features

    words = ["قال", "«الجيش»", "(حلب).", "-", "،", "ريف", "\"ادلب\"!", "12", "...", "؟"]
    rnd = random.Random(7)
    for _ in range(300):
        doc = Doc(" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 30))))
        want = {}
        for si in range(len(doc.sentences)):
            toks = [t for t in doc.tokens if t.sent == si]
            for t, f in zip(toks, gap_features(doc.norm, toks)):
                if f:
                    want[t.i] = f
        assert doc_gap_features(doc.norm, doc.tokens) == want, doc.norm
