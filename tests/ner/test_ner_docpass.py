"""The document pass (docpass.py): codes read off the first pass's labels of the other tokens of a
document, a model's document-feature weights change the labels, and a model without them tags
as before."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.doc import Doc
from marsad.ner import docpass, doctrain
from marsad.ner import tagger as tagger_mod
from marsad.ner.perceptron import LABELS
from marsad.ner.tagger import Tagger, _runs

L = {x: i for i, x in enumerate(LABELS)}


def _codes(words, labels, sent=None):
    ids = {}
    keys = np.array([ids.setdefault(w, len(ids)) for w in words], dtype=np.int64)
    lab = np.array([L[x] for x in labels], dtype=np.int64)
    sent = np.zeros(len(words), dtype=np.int64) if sent is None else np.array(sent, dtype=np.int64)
    return [[docpass.CODES[c] for c in row] for row in docpass.codes(keys, lab, sent)]


def test_a_word_reads_how_its_other_occurrences_were_tagged_not_itself():
    words = ["قال", "اميل", "لحود", "ان", "لحود", "لحود", "غادر"]
    labels = ["O", "B-PER", "I-PER", "O", "O", "B-PER", "O"]
    c = _codes(words, labels)
    assert c[0] == ["", "", ""] and c[6] == ["", "", ""]           # seen once: nothing
    assert c[4][0] == "dcm=PER:all"                                 # both others were names
    assert c[2][0] == "dcm=PER:most"                                # one of its two others: half
    assert _codes(["زيد", "زيد", "زيد", "زيد"], ["B-PER", "O", "O", "O"])[1][0] == "dcm=PER:some"
    assert c[4][1] == "dcl=PER" and c[5][1] == "dcl=PER"            # inside a longer name elsewhere
    assert c[2][1] == ""                                            # the longer name is itself
    assert _codes(["في", "حلب", "في"], ["O", "B-LOC", "O"])[0][0] == "dcm=O"


def test_a_recurring_name_sequence_marks_its_other_occurrences():
    words = ["اميل", "لحود", "قال", "اميل", "لحود", "و", "اميل"]
    labels = ["B-PER", "I-PER", "O", "O", "O", "O", "O"]
    c = _codes(words, labels)
    assert [r[2] for r in c] == ["", "", "", "dcs=PER:B", "dcs=PER:I", "", ""]
    # a sequence does not run across two sentences
    c = _codes(words, labels, sent=[0, 0, 0, 0, 1, 1, 1])
    assert all(r[2] == "" for r in c)


def test_a_model_without_the_document_pass_tags_as_its_first_pass():
    t = Tagger()
    t._doc_rows = None   # the shipped model's first pass alone, whether or not it has the pass
    doc = Doc("قال الرئيس اللبناني إميل لحود إن لحود لن يستقيل. وقال لحود أمس.")
    em, labels = t.first_pass(doc)
    em2, labels2, _ = t.decode(doc)
    assert np.array_equal(em, em2) and labels.tolist() == labels2.tolist()


def _with_doc_weights(native: bool) -> Tagger:
    """The shipped model with one document feature weighted by hand: a word named a person
    everywhere else in the document leans hard to B-PER."""
    t = Tagger(native=native)
    w = np.zeros((len(docpass.CODES), len(LABELS)), dtype=np.float32)
    w[docpass.CODES.index("dcm=PER:all"), L["B-PER"]] = 1000.0
    t.model = doctrain.merge(t.model, w)
    t._vocab["dcm=PER:all"] = len(t.model.weights) - 1
    t._doc_rows = docpass.rows(t._vocab.get)
    return t


# the shipped first pass names لحود after إميل and after الرئيس, and misses it alone in the second sentence
TWO = "قال الرئيس اللبناني إميل لحود إن الرئيس لحود لن يستقيل. وقال لحود أمس."
TEXT = TWO + " وعاد الوفد إلى بيروت."   # three sentences: docpass.MIN_SENTENCES


@pytest.mark.parametrize("native", [True, False])
def test_document_features_change_the_labels_through_a_second_viterbi(native):
    if native and tagger_mod._native is None:
        pytest.skip("the compiled decoder is not built")
    t = _with_doc_weights(native)
    doc = Doc(TEXT)
    _, first = t.first_pass(doc)
    k = [i for i, tok in enumerate(doc.tokens) if tok.norm == "لحود"]
    alone = [i for i in k if first[i] == L["O"]]
    assert len(alone) == 1 and len(k) == 3, "the first pass should miss one of the three"
    _, labels, local = t.decode(doc)
    assert labels[alone[0]] == L["B-PER"]
    assert local.shape == (len(doc.tokens), len(LABELS))
    assert ("PER", alone[0], alone[0]) in [(m.type, m.first, m.last) for m in t.tag_doc(doc)]


@pytest.mark.parametrize("native", [True, False])
def test_a_document_of_fewer_sentences_keeps_the_first_pass(native, monkeypatch):
    if native and tagger_mod._native is None:
        pytest.skip("the compiled decoder is not built")
    t = _with_doc_weights(native)
    doc = Doc(TWO)
    em, first = t.first_pass(doc)
    em2, labels, _ = t.decode(doc)
    assert labels.tolist() == first.tolist() and np.array_equal(em, em2)
    monkeypatch.setattr(docpass, "MIN_SENTENCES", 1)   # without the gate the pass would change it
    assert t.decode(doc)[1].tolist() != first.tolist()


def test_a_document_the_pass_leaves_is_scored_with_the_first_pass_temperatures():
    t = _with_doc_weights(False)
    t.first_temperature = dict(t.temperature)
    t.temperature = {k: 3 * v for k, v in t.temperature.items()}   # the pass's, fitted apart
    plain = Tagger(native=False)
    plain._doc_rows, plain.temperature = None, t.first_temperature
    found = [(m.type, m.first, m.last, m.score) for m in t.tag_doc(Doc(TWO))]
    assert found and found == [(m.type, m.first, m.last, m.score) for m in plain.tag_doc(Doc(TWO))]
    # a document the pass changed is scored with the pass's temperatures
    assert t._decode(Doc(TEXT), None)[4] is t.temperature


def test_evaluation_windows_are_the_tagger_on_each_sentence_without_the_pass():
    t = Tagger()
    t._doc_rows = None
    sents = [[("قال", "O"), ("اميل", "B-PERS"), ("لحود", "I-PERS"), (".", "O")],
             [("لحود", "B-PERS"), ("في", "O"), ("بيروت", "B-LOC")]]
    from marsad.ner.train import project
    items = doctrain.first_pass(t, sents, project)
    for it, (lab, local), s in zip(items, doctrain.decode_windows(t, items), sents):
        em, best, loc = t.decode(project(s)[0])
        assert lab.tolist() == best.tolist() and np.allclose(local, loc)
        assert len(list(zip(*_runs(it.sent)))) >= 1


def test_the_compiled_and_numpy_document_pass_agree():
    if tagger_mod._native is None:
        pytest.skip("the compiled decoder is not built")
    fast, slow = _with_doc_weights(True), _with_doc_weights(False)
    text = TEXT + " وزار لحود دمشق. " + "والتقى إميل لحود في بيروت وزير الخارجية، وقال لحود إنه سيعود."
    doc = Doc(text)
    ef, lf, xf = fast.decode(doc)
    es, ls, xs = slow.decode(doc)
    assert lf.tolist() == ls.tolist()
    assert np.allclose(ef, es, atol=1e-3) and np.allclose(xf, xs, atol=1e-3)


needs_native = pytest.mark.skipif(tagger_mod._native is None, reason="the compiled decoder is not built")


def _random_doc(rnd, n):
    """Word keys from a small vocabulary (so words recur), BIO-shaped labels, a few sentences."""
    keys = rnd.integers(0, max(1, n // 3), n).astype(np.int64) * 1_000_003  # keys far apart
    types = rnd.choice(["O", "O", "O", "PER", "LOC", "ORG", "MISC"], n)
    inside = rnd.random(n) < 0.5
    labels = np.array([L["O"] if t == "O" else L[("I-" if k and inside[k] and types[k - 1] == t else "B-") + t]
                       for k, t in enumerate(types)], dtype=np.int64)
    sent = np.cumsum(rnd.random(n) < 0.1).astype(np.int64)
    return keys, labels, sent


@needs_native
def test_the_compiled_codes_are_the_numpy_codes():
    native = tagger_mod._native
    rnd = np.random.default_rng(3)
    kinds = np.zeros(3, dtype=np.int64)
    for n in [0, 1, 2, 3] + [int(x) for x in rnd.integers(4, 60, 3000)]:
        keys, labels, sent = _random_doc(rnd, n)
        want = docpass.codes(keys, labels, sent)
        assert np.array_equal(docpass.codes(keys, labels, sent, native), want), (keys, labels, sent)
        kinds += (want > 0).sum(axis=0)
    assert (kinds > 0).all()    # every kind of code came up
    # the hand-made documents above, through the compiled codes
    words = ["اميل", "لحود", "قال", "اميل", "لحود", "و", "اميل"]
    keys = np.array([words.index(w) for w in words], dtype=np.int64)
    lab = np.array([L[x] for x in ["B-PER", "I-PER", "O", "O", "O", "O", "O"]], dtype=np.int64)
    got = docpass.codes(keys, lab, np.zeros(7, dtype=np.int64), native)
    assert [docpass.CODES[c] for c in got[:, 2]] == ["", "", "", "dcs=PER:B", "dcs=PER:I", "", ""]


@needs_native
def test_the_compiled_codes_of_words_recurring_as_o_and_as_names():
    # doc_codes gives a recurring word's O tokens (and tokens outside a multi-word name) the
    # word's best type over all its tokens, found once a word; its typed tokens take themselves
    # off: two or three words, so every word recurs under every type and in every kind of name
    native = tagger_mod._native
    rnd = np.random.default_rng(29)
    for n in [int(x) for x in rnd.integers(2, 40, 1500)]:
        keys, labels, sent = _random_doc(rnd, n)
        keys = keys % 3
        want = docpass.codes(keys, labels, sent)
        assert np.array_equal(docpass.codes(keys, labels, sent, native), want), (keys, labels, sent)


@needs_native
def test_the_compiled_codes_are_whole_over_reused_memory():
    # doc_codes sets its output and counters in its first pass (no zeroed arrays): memory that
    # held other values just before, of the documents' sizes, must not show through
    native = tagger_mod._native
    rnd = np.random.default_rng(11)
    for n in [1, 2, 3, 5] + [int(x) for x in rnd.integers(4, 400, 300)]:
        keys, labels, sent = _random_doc(rnd, n)
        want = docpass.codes(keys, labels, sent)
        for shape in [(n, 3), (n,), (3 * n, 4)]:   # freed blocks of the output's and counters' sizes
            junk = np.full(shape, -7, dtype=np.int64)
            del junk
        assert np.array_equal(docpass.codes(keys, labels, sent, native), want), n


@needs_native
def test_the_compiled_codes_find_every_hash_slot_empty_over_reused_memory():
    # the hash's slots are set empty by four-store turns and a tail (marsad_fill_empty): the
    # block a document of the same size just freed holds slot ids (>= 0), which must not read
    # as words seen
    native = tagger_mod._native
    rnd = np.random.default_rng(17)
    for n in list(range(2, 70)) + [int(x) for x in rnd.integers(70, 700, 40)]:
        docs = [_random_doc(rnd, n) for _ in range(3)]
        want = [docpass.codes(*d) for d in docs]
        got = [docpass.codes(*d, native) for d in docs]   # one after another: the same blocks
        for g, w in zip(got, want):
            assert np.array_equal(g, w), n


@needs_native
def test_the_compiled_second_pass_adds_the_same_scores_and_finds_the_same_labels():
    fast, slow = Tagger(), Tagger(native=False)
    rnd = np.random.default_rng(5)
    w = np.zeros((len(docpass.CODES), len(LABELS)), dtype=np.float32)
    w[1:] = rnd.normal(0, 3, (len(docpass.CODES) - 1, len(LABELS)))
    w[docpass.CODES.index("dcl=LOC")] = 0     # a code the model has no weight for
    for t in (fast, slow):
        t.model = doctrain.merge(t.model, w)
        t._vocab.update({f: t.model.vocab[f] for f in docpass.CODES if f in t.model.vocab})
        t._doc_rows = docpass.rows(t._vocab.get)
    changed = 0
    for _ in range(300):
        n = int(rnd.integers(2, 50))
        keys, _, sent = _random_doc(rnd, n)
        em = rnd.normal(0, 5, (n, len(LABELS))).astype(np.float32)
        starts, lengths = _runs(sent)
        labels = slow._viterbi(em, starts, lengths)   # the first pass's labels of these scores
        ef, lf = fast.second_pass(em, labels, keys, sent, starts, lengths)
        es, ls = slow.second_pass(em, labels, keys, sent, starts, lengths)
        assert np.array_equal(ef, es) and lf.tolist() == ls.tolist()
        changed += int((lf != labels).sum())
    assert changed


def test_the_shipped_model_has_the_document_pass_its_json_names():
    t = Tagger()
    assert ("doc" in t.meta.get("groups", [])) == (t._doc_rows is not None)


def test_training_with_the_doc_group_writes_a_model_that_reads_it(tmp_path):
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from test_ner_selftrain import _news, corpus

    from marsad.ner.train import main

    data = tmp_path / "mini.txt"
    data.write_text(corpus(), encoding="utf-8")
    out = tmp_path / "m.npz"
    assert main(["--data", str(data), "--out", str(out), "--no-lexicons", "--epochs", "3",
                 "--with", "tagged", "--with", "doc", "--news", str(_news(tmp_path / "news.jsonl"))]) == 0
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert "doc" in meta["groups"] and meta["heldout_token_spans"]["micro_f1"] > 0.9
    assert set(meta["first_pass_temperature"]) == set(meta["temperature"])   # fitted apart
    assert not {f for f, _ in Tagger(out).model.items() if docpass.is_doc_feature(f)} - set(docpass.CODES)
