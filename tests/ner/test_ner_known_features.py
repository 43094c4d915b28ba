"""The tagger hands crfsuite only the attributes its model knows: the same features, in the
same order, as the full list filtered afterwards, and the same labels and marginals."""

from __future__ import annotations

from marsad.doc import Doc
from marsad.text import sentence_ranges
from marsad.ner.features import WordFeatures, gap_features
from marsad.ner.tagger import Tagger

TEXT = ("قال المرصد السوري لحقوق الإنسان إن طائرات حربية قصفت بلدة كفرنبل بريف إدلب، "
        "وقتل 3 مدنيين. وأعلن محمد العبدالله، الناطق باسم «جيش الفتح»، السيطرة على "
        "قرية تل حميدية 2 قرب مدينة حماة. 123 ASD-7 وللمسلحين وبالرستن")


def _sentences(doc):
    for i, j in sentence_ranges(doc.tokens):
        yield doc.tokens[i:j]


def test_known_word_features_equal_the_full_list_filtered():
    tagger = Tagger()
    keep = {f.encode() for f in tagger._known_attributes()}
    full = WordFeatures()
    doc = Doc(TEXT)
    words = [t.norm for t in doc.tokens] + ["<s>", "</s>", "x1", "١٢"]
    for w in words:
        filtered = tuple([f for f in lst if f in keep] for lst in full.lists(w))
        assert tagger.words.lists(w) == filtered, w
    assert any(len(x) < len(y) for w in words
               for x, y in zip(tagger.words.lists(w), full.lists(w)))  # something was dropped


def test_dropping_unknown_attributes_changes_no_label_or_marginal():
    tagger = Tagger()
    full = WordFeatures()
    crf = tagger.crf
    doc = Doc(TEXT)
    lex = tagger.lex.for_tokens(doc.norm, doc.tokens)
    off = 0
    for sent in _sentences(doc):
        n = len(sent)
        known = tagger.features(doc.norm, sent, lex[off:off + n])
        every = full.sequence([t.norm for t in sent], lex[off:off + n], gap_features(doc.norm, sent))
        off += n
        assert sum(map(len, known)) < sum(map(len, every))
        a = crf.tag(known)
        ma = [[crf.marginal(y, k) for y in crf.labels()] for k in range(n)]
        b = crf.tag(every)
        mb = [[crf.marginal(y, k) for y in crf.labels()] for k in range(n)]
        assert a == b and ma == mb
