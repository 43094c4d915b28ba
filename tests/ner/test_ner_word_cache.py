"""The tagger's per-word-type cache gives the scores the training features define: the same
emissions, hence the same labels, as summing every feature of every token from scratch."""

from __future__ import annotations

import numpy as np

from marsad.doc import Doc
from marsad.ner.perceptron import LABELS, viterbi
from marsad.ner.tagger import Tagger, _slots, token_features
from marsad.text import sentence_ranges

TEXT = ("قال المرصد السوري لحقوق الإنسان إن طائرات حربية قصفت بلدة كفرنبل بريف إدلب، "
        "وقتل 3 مدنيين. وأعلن محمد العبدالله، الناطق باسم «جيش الفتح»، السيطرة على "
        "قرية تل حميدية 2 قرب مدينة حماة. 123 ASD-7 وللمسلحين وبالرستن. حلب")


def _from_scratch(tagger, doc):
    lex = tagger.lex.for_tokens(doc.norm, doc.tokens) if tagger.lex.sources else None
    w = tagger.model.weights
    rows = []
    forms = tagger.words.forms(doc)  # hamza-seat forms, when the model reads the `tg` table
    for i, j in sentence_ranges(doc.tokens):
        for f in token_features(tagger.words, doc.norm, doc.tokens[i:j], lex[i:j] if lex else None, forms):
            rows.append(w[[0, *tagger.model.rows(f)]].sum(axis=0))
    return np.array(rows), lex


def test_cached_emissions_equal_the_sum_of_every_feature():
    tagger = Tagger()
    for _ in range(2):  # cold, then warm caches
        doc = Doc(TEXT)
        want, lex = _from_scratch(tagger, doc)
        got = tagger.emissions(doc, tagger.lex.matches(doc.norm, doc.tokens))
        assert got.shape == (len(doc.tokens), len(LABELS))
        assert np.allclose(got, want, atol=1e-3)


def test_batched_viterbi_equals_one_sentence_at_a_time():
    rnd = np.random.default_rng(3)
    tagger = Tagger()
    m = tagger.model
    lengths = np.array([1, 7, 3, 12, 2])
    em = rnd.normal(size=(len(lengths), lengths.max(), len(LABELS))).astype(np.float32)
    batch = viterbi(em, lengths, m.trans, m.start, m.end)
    for b, n in enumerate(lengths):
        one = viterbi(em[b:b + 1, :n], np.array([n]), m.trans, m.start, m.end)[0]
        assert batch[b, :n].tolist() == one.tolist()
        labels = [LABELS[x] for x in one]
        # BIO holds: an I- label only after the B- or I- of its own type
        for prev, lab in zip(["O", *labels], labels):
            assert not lab.startswith("I-") or prev[2:] == lab[2:]


def test_feature_ids_of_a_word_equal_the_ids_of_its_feature_strings():
    """``own_ids`` (the tagger's path for a new word type) looks up what ``own`` (training)
    spells out, in the same order, for every group and for rare, clustered, cue, Latin,
    digit and proclitic words."""
    from marsad.ner.features import WordFeatures

    tagger = Tagger()
    kinds = tagger._cache.kinds
    base, _ = _slots(tagger.model.vocab.items())   # the unprefixed features kinds was made from
    words = [t.norm for t in Doc(TEXT).tokens] + ["<s>", "</s>", "فغوانتيسكو", "ووزارة", "x", "واوباما", "محمد"]
    for groups in (("base",), ("base", "shape"), ("base", "lexicon", "clusters"), ("base", "names"), tagger.words.groups):
        wf = WordFeatures(groups)
        for w in words:
            assert wf.own_ids(w, kinds) == [base.get(f, 0) for f in wf.own(w)], (groups, w)
