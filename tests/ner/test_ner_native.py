"""The compiled decoder (_decode.pyx) gives the numpy path's labels, mentions, scores and lexicon
features; spans read off label ids are those of the BIO reader."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.doc import Doc
from marsad.ner import tagger as tagger_mod
from marsad.ner.perceptron import LABELS, viterbi
from marsad.ner.tagger import Tagger

needs_native = pytest.mark.skipif(tagger_mod._native is None, reason="the compiled decoder is not built")

TEXTS = [
    "قال المرصد السوري لحقوق الإنسان إن طائرات حربية قصفت بلدة كفرنبل بريف إدلب، وقتل 3 مدنيين.",
    "وأعلن محمد العبدالله، الناطق باسم «جيش الفتح»، السيطرة على قرية تل حميدية قرب مدينة حماة. "
    "واستقبل وزير الخارجية الأردني أيمن الصفدي نظيره الفرنسي في عمان. ASD-7 حلب",
    "حلب",
    "",
    "التقى أبو محمد الجولاني بقادة من حركة أحرار الشام في سراقب؛ وقالت وكالة سانا إن الجيش تقدم.",
]


def _kept(trans, start, end):
    """The transitions as the compiled Viterbi and local scores take them."""
    return tagger_mod._native.Transitions(trans, start, end)


def _mentions(tagger, text):
    return [(m.type, m.first, m.last, m.score, m.gazetteer, m.in_gazetteer)
            for m in tagger.tag_doc(Doc(text))]


@needs_native
def test_compiled_and_numpy_paths_tag_alike():
    fast, slow = Tagger(), Tagger(native=False)
    assert fast.native is not None and slow.native is None
    for _ in range(2):  # cold, then warm word-type caches
        for text in TEXTS:
            doc = Doc(text)
            if doc.tokens:
                ef, lf, xf = fast.decode(doc)
                es, ls, xs = slow.decode(doc)
                # np.add.reduceat (the numpy word-type sums) may add in another order
                assert np.allclose(ef, es, atol=1e-4)
                assert lf.tolist() == ls.tolist()
                assert np.allclose(xf, xs, atol=1e-4)
                # the token features summed in C: numpy's sums of the same lists, to the bit
                lex = fast.lex.matches(doc.norm, doc.tokens)
                assert np.array_equal(ef, fast.emissions(doc, lex))
            assert _mentions(fast, text) == _mentions(slow, text)
    assert any(_mentions(fast, t) for t in TEXTS)


@needs_native
def test_compiled_viterbi_equals_numpy_on_random_scores():
    rnd = np.random.default_rng(7)
    m = Tagger().model
    lengths = np.array([1, 9, 4, 15, 2], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = rnd.normal(scale=3, size=(int(lengths.sum()), len(LABELS))).astype(np.float32)
    got = tagger_mod._native.viterbi(flat, starts, lengths, _kept(m.trans, m.start, m.end))
    for a, n in zip(starts, lengths):
        want = viterbi(flat[None, a:a + n], np.array([n]), m.trans, m.start, m.end)[0]
        assert got[a:a + n].tolist() == want.tolist()


@needs_native
def test_compiled_viterbi_equals_numpy_with_ties_and_many_sentences():
    # whole-number scores and transitions: many ties, which go to the lowest label id both ways
    rnd = np.random.default_rng(3)
    L = len(LABELS)
    trans = rnd.integers(-2, 3, size=(L, L)).astype(np.float32)
    start, end = rnd.integers(-2, 3, size=L).astype(np.float32), rnd.integers(-2, 3, size=L).astype(np.float32)
    lengths = rnd.integers(1, 30, size=200).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = rnd.integers(-3, 4, size=(int(lengths.sum()), L)).astype(np.float32)
    got = tagger_mod._native.viterbi(flat, starts, lengths, _kept(trans, start, end))
    for a, n in zip(starts, lengths):
        want = viterbi(flat[None, a:a + n], np.array([n]), trans, start, end)[0]
        assert got[a:a + n].tolist() == want.tolist()
    # only some sentences asked (the document pass decodes those whose scores changed)
    some = np.arange(0, 200, 3)
    again = tagger_mod._native.viterbi(flat, starts[some], lengths[some], _kept(trans, start, end))
    for a, n in zip(starts[some], lengths[some]):
        assert again[a:a + n].tolist() == got[a:a + n].tolist()


@needs_native
def test_compiled_viterbi_leaves_the_tokens_no_sentence_covers_at_0():
    # the labels are not zeroed when the sentences cover the tokens from 0 on, one after
    # another; any other set of sentences leaves 0 elsewhere, over memory that held other values
    rnd = np.random.default_rng(5)
    m = Tagger().model
    L = len(LABELS)
    lengths = rnd.integers(1, 12, size=40).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    n = int(lengths.sum())
    flat = (rnd.normal(size=(n, L)) * 3).astype(np.float32)
    whole = tagger_mod._native.viterbi(flat, starts, lengths, _kept(m.trans, m.start, m.end))
    assert (whole != 0).any()
    zero_len = lengths.copy()
    zero_len[7] = 0   # a sentence of no tokens: its tokens are no sentence's
    cases = [(np.arange(1, 40), lengths), (np.arange(0, 39), lengths), (np.arange(0, 40, 2), lengths),
             (np.arange(39, -1, -1), lengths), (np.arange(40), zero_len)]
    for some, lens in cases:
        junk = np.full(n, 5, dtype=np.int64)   # a freed block of the labels' size
        del junk
        got = tagger_mod._native.viterbi(flat, starts[some], lens[some], _kept(m.trans, m.start, m.end))
        covered = np.zeros(n, dtype=bool)
        for a, k in zip(starts[some], lens[some]):
            covered[a:a + k] = True
            assert got[a:a + k].tolist() == whole[a:a + k].tolist()
        assert (got[~covered] == 0).all()


@needs_native
@pytest.mark.parametrize("L", [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 17])
def test_compiled_viterbi_equals_numpy_for_any_number_of_labels(L):
    # the compiled step takes up to twelve labels side by side and more one by one: both, with
    # ties (whole numbers) and without (small fractions that round in float32)
    rnd = np.random.default_rng(L)
    lengths = rnd.integers(1, 12, size=40).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    for whole in (True, False):
        draw = (lambda *size: rnd.integers(-2, 3, size=size)) if whole else \
            (lambda *size: rnd.normal(scale=2, size=size) * 1e-3 + 1e4)
        trans = draw(L, L).astype(np.float32)
        start, end = draw(L).astype(np.float32), draw(L).astype(np.float32)
        flat = draw(int(lengths.sum()), L).astype(np.float32)
        got = tagger_mod._native.viterbi(flat, starts, lengths, _kept(trans, start, end))
        for a, n in zip(starts, lengths):
            want = viterbi(flat[None, a:a + n], np.array([n]), trans, start, end)[0]
            assert got[a:a + n].tolist() == want.tolist()



@needs_native
def test_the_tagger_keeps_its_transitions_and_makes_them_again_for_other_arrays():
    import copy

    fast, slow = Tagger(), Tagger(native=False)
    doc = Doc(TEXTS[1])
    before = fast.decode(doc)[1]
    kept = fast._transitions()
    assert fast._transitions() is kept and kept.trans is fast.model.trans
    # a model given other transitions (anything into O much better): decoded with them, as numpy
    trans = fast.model.trans.copy()
    trans[:, 0] += 1e4
    for t in (fast, slow):
        t.model = copy.copy(t.model)
        t.model.trans = trans
    _, lf, xf = fast.decode(doc)
    _, ls, xs = slow.decode(doc)
    assert fast._transitions() is not kept and fast._transitions().trans is trans
    assert lf.tolist() == ls.tolist() != before.tolist()
    assert np.allclose(xf, xs, atol=1e-4)


@needs_native
def test_transitions_of_mismatched_shapes_are_refused():
    native, L = tagger_mod._native, len(LABELS)
    square, row = np.zeros((L, L), np.float32), np.zeros(L, np.float32)
    for trans, start, end in [(square[:, :L - 1].copy(), row, row), (square, row[:-1], row),
                              (square, row, np.zeros(L + 1, np.float32))]:
        with pytest.raises(ValueError):
            native.Transitions(trans, start, end)
    em = np.zeros((3, L - 1), np.float32)
    runs = np.array([0], np.int64), np.array([3], np.int64)
    with pytest.raises(ValueError):
        native.viterbi(em, *runs, _kept(square, row, row))
    with pytest.raises(ValueError):
        native.local_scores(em, np.zeros(3, np.int64), *runs, _kept(square, row, row))


def _bio_trans(rnd, whole: bool):
    """A nine-label BIO model's transitions (the trainer's -1e9 into an I label from outside its
    type), starts and ends: whole numbers (ties) or fractions."""
    draw = (lambda *size: rnd.integers(-2, 3, size=size)) if whole else (lambda *size: rnd.normal(scale=4, size=size))
    trans, start, end = draw(9, 9).astype(np.float32), draw(9).astype(np.float32), draw(9).astype(np.float32)
    for to in (2, 4, 6, 8):
        for fr in range(9):
            if fr not in (to - 1, to):
                trans[fr, to] = -1e9
        start[to] = -1e9
    return trans, start, end


def _runs(rnd, count, longest=30):
    lengths = rnd.integers(1, longest, size=count).astype(np.int64)
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64), lengths


@needs_native
def test_the_shipped_model_decodes_by_the_bio_step():
    m = Tagger().model
    assert tagger_mod._native.bio_steps(_kept(m.trans, m.start, m.end))
    trans = m.trans.copy()
    trans[0, 2] = -10.0   # O -> I-LOC allowed: not the BIO layout, the general step
    assert not tagger_mod._native.bio_steps(_kept(trans, m.start, m.end))
    trans = m.trans.copy()
    trans[3, 3] = np.nan
    assert not tagger_mod._native.bio_steps(_kept(trans, m.start, m.end))


@needs_native
@pytest.mark.parametrize("scale", [3, 1e4, 1e8, 1e10])
def test_compiled_bio_viterbi_equals_numpy_and_the_general_step(scale):
    # the BIO step skips an I label's predecessors from outside its type only where the check
    # shows they cannot win: at 1e8-1e10 they can (a huge O before an I), and the full step runs
    rnd = np.random.default_rng(int(scale) % 1000 + 5)
    native = tagger_mod._native
    for whole in (True, False):
        trans, start, end = _bio_trans(rnd, whole)
        assert native.bio_steps(_kept(trans, start, end))
        starts, lengths = _runs(rnd, 60)
        size = (int(lengths.sum()), 9)
        flat = (rnd.integers(-3, 4, size=size) * scale if whole else rnd.normal(scale=scale, size=size))
        flat = flat.astype(np.float32)
        got = native.viterbi(flat, starts, lengths, _kept(trans, start, end))
        assert got.tolist() == native.viterbi(flat, starts, lengths, _kept(trans, start, end), bio=False).tolist()
        for a, n in zip(starts, lengths):
            want = viterbi(flat[None, a:a + n], np.array([n]), trans, start, end)[0]
            assert got[a:a + n].tolist() == want.tolist()


@needs_native
def test_compiled_bio_viterbi_takes_a_skipped_predecessor_when_it_wins():
    # token 0 all but certain O (1e10), token 1 I-LOC (5e10): O -> I-LOC costs 1e9 and still
    # beats B-LOC -> I-LOC; the BIO step must find it as the full step does
    m = Tagger().model
    em = np.zeros((2, 9), dtype=np.float32)
    em[0, 0], em[1, 2] = 1e10, 5e10
    starts, lengths = np.array([0], dtype=np.int64), np.array([2], dtype=np.int64)
    want = viterbi(em[None], lengths, m.trans, m.start, m.end)[0].tolist()
    assert want == [0, 2]
    assert tagger_mod._native.viterbi(em, starts, lengths, _kept(m.trans, m.start, m.end)).tolist() == want


@needs_native
def test_compiled_bio_viterbi_with_scores_that_are_not_finite_as_the_general_step():
    # a sentence with an infinite or NaN emission is decoded by the general step (the BIO
    # step's check needs scores that are not NaN); the others by the BIO step, alike
    rnd = np.random.default_rng(17)
    m = Tagger().model
    starts, lengths = _runs(rnd, 40, 12)
    flat = rnd.normal(scale=5, size=(int(lengths.sum()), 9)).astype(np.float32)
    for k, bad in zip(rnd.choice(len(flat), size=12, replace=False), [np.inf, -np.inf, np.nan] * 4):
        flat[k, rnd.integers(0, 9)] = bad
    native = tagger_mod._native
    got = native.viterbi(flat, starts, lengths, _kept(m.trans, m.start, m.end))
    assert got.tolist() == native.viterbi(flat, starts, lengths, _kept(m.trans, m.start, m.end), bio=False).tolist()
    # some sentences only (the document pass)
    some = np.arange(0, 40, 3)
    again = native.viterbi(flat, starts[some], lengths[some], _kept(m.trans, m.start, m.end))
    for a, n in zip(starts[some], lengths[some]):
        assert again[a:a + n].tolist() == got[a:a + n].tolist()


@needs_native
def test_compiled_bio_viterbi_takes_the_lowest_label_of_tied_predecessors():
    # two-token sentences: the second forced to each label, the first's emissions tied over a
    # set S of labels (0.0 or -0.0, the others -5): the predecessor found again going back is
    # the lowest label of the set (among an I label's B and I), whatever the slots' order
    import itertools

    trans, start, end = np.zeros((9, 9), np.float32), np.zeros(9, np.float32), np.zeros(9, np.float32)
    for to in (2, 4, 6, 8):
        trans[[fr for fr in range(9) if fr not in (to - 1, to)], to] = -1e9
    rnd = np.random.default_rng(23)
    native = tagger_mod._native
    assert native.bio_steps(_kept(trans, start, end))
    sets = [S for r in range(1, 10) for S in itertools.combinations(range(9), r)]
    for to in range(9):
        em = np.zeros((len(sets), 2, 9), np.float32)
        em[:, 1, to] = 100
        for k, S in enumerate(sets):
            em[k, 0] = [(-0.0 if rnd.random() < 0.5 else 0.0) if x in S else -5 for x in range(9)]
        flat = em.reshape(-1, 9)
        starts = np.arange(0, len(flat), 2, dtype=np.int64)
        lengths = np.full(len(sets), 2, dtype=np.int64)
        got = native.viterbi(flat, starts, lengths, _kept(trans, start, end)).reshape(-1, 2)
        assert got.tolist() == native.viterbi(flat, starts, lengths, _kept(trans, start, end),
                                              bio=False).reshape(-1, 2).tolist()
        assert got.tolist() == viterbi(em, lengths, trans, start, end).tolist()
        for S, (first, second) in zip(sets, got.tolist()):
            allowed = [x for x in S if to % 2 or to == 0 or x in (to - 1, to)] or [to - 1]
            assert (first, second) == (min(allowed), to)


def test_spans_read_off_label_ids_equal_bio_spans():
    from marsad.ner.tagger import bio_spans, id_spans

    rnd = np.random.default_rng(11)
    for _ in range(200):
        ids = rnd.choice(len(LABELS), size=int(rnd.integers(0, 30)), p=[0.5] + [0.0625] * 8)
        assert id_spans(ids) == bio_spans([LABELS[x] for x in ids])
        if tagger_mod._native is not None:   # the compiled twin, on the decoder's int64 ids
            assert tagger_mod._native.id_spans(ids.astype(np.int64), tagger_mod._LABEL_TYPE) == id_spans(ids)


@needs_native
def test_compiled_lexicon_spread_equals_the_python_loop():
    from marsad.ner.features import LexiconFeatures, available_sources

    sources = available_sources()
    fast, slow = LexiconFeatures(sources), LexiconFeatures(sources, native=False)
    found = 0
    for text in TEXTS:
        doc = Doc(text)
        got = fast.matches(doc.norm, doc.tokens)
        assert got == slow.matches(doc.norm, doc.tokens)
        assert list(got) == list(slow.matches(doc.norm, doc.tokens))  # the same order of tokens
        found += len(got)
    assert found


@needs_native
def test_compiled_feature_ids_of_new_words_equal_the_python_ones():
    """The ids of a batch of new word types, in C, are those of ``own_ids`` word by word, for
    every group, and for a kind read from a word table (``WordFeatures.lookups``) too."""
    from marsad.ner.features import KindSlots, WordFeatures

    tagger = Tagger()
    words = [t.norm for text in TEXTS for t in Doc(text).tokens]
    words += ["<s>", "</s>", "فغوانتيسكو", "ووزارة", "x", "123", "ABC", "٣٤٥", "محمد٢", "ومحمد"]
    # first letters read from the compiled table of proclitics (U+0600-U+06FF) and outside it
    words += ["وب", "لل", "للجيش", "بالحسكة", "فكابل", "کابل", "ۆو", "ﻻجئ", "\u05d0ب", "éو"]
    # words of the boundary markers' lengths that are not them; proclitics letter by letter
    words += ["<t>", "</S>", "s>", "فبالحسكة", "وكالة", "فبال", "وبال", "و", "فب"]
    words = list(dict.fromkeys(words))
    base, _ = tagger_mod._slots(tagger.model.vocab.items())
    # a kind the C code does not name: its values come from a table, with the proclitic fallback
    base.update({"nm=per1": len(base), "nm=org0": len(base) + 1})
    slots = KindSlots(base)
    for groups in (("base",), ("base", "shape"), ("base", "lexicon", "clusters"), tagger.words.groups):
        wf = WordFeatures(groups)
        wf.lookups.append(("nm", {"محمد": ("per1",), "حلب": ("org0", "per1", "unseen")}))
        ids, starts = wf.own_ids_batch(words, slots, tagger_mod._native)
        want_ids, want_starts = wf.own_ids_batch(words, slots)
        assert ids.tolist() == want_ids and starts.tolist() == want_starts, groups
        assert want_ids == [x for w in words for x in [0, *wf.own_ids(w, slots)]]
    assert wf.own("ومحمد")[-1] == "nm=per1"  # found through its stem
    assert wf.own_ids("ومحمد", slots)[-1] == base["nm=per1"]


@needs_native
def test_compiled_sums_of_new_words_equal_type_sums_of_their_ids():
    """``own_sums`` (the ids and their rows' sums in one compiled call, ``_WordCache._add``)
    fills each new word's row, from the one given on, as ``type_sums`` does from the ids of
    ``own_ids`` (those of the Python ``own_ids``), seat forms and table words behind proclitics
    included; no other row."""
    native = tagger_mod._native
    tagger = Tagger()
    wf, kinds, rows, weights = tagger.words, tagger._cache.kinds, tagger._cache.slots, tagger.model.weights
    words = [t.norm for text in TEXTS for t in Doc(text).tokens]
    words += ["<s>", "</s>", "فغوانتيسكو", "ووزارة", "x", "123", "هادئ", "ووائل", "للمسؤول", "ﻻجئ", "😀"]
    words += ["و" + k for t in (wf.cues, *(t for _, t in wf.lookups)) for k in list(t)[:50]]
    words = list(dict.fromkeys(words))
    ids, starts = wf.own_ids_batch(words, kinds, native)
    want_ids, want_starts = wf.own_ids_batch(words, kinds)
    assert ids.tolist() == want_ids and starts.tolist() == want_starts
    want = np.full((len(words) + 5, 5, weights.shape[1]), 7.0, dtype=np.float32)
    native.type_sums(ids, starts, rows, weights, want, 3)
    out = np.full_like(want, 7.0)
    wf.own_sums(words, kinds, native, rows, weights, out, 3)
    assert np.array_equal(out, want) and (out[3:3 + len(words)] != 7.0).any(axis=(1, 2)).all()


@needs_native
def test_key_filter_holds_every_key_and_skips_most_others():
    """``_decode.KeyFilter`` says "maybe" of every key of its tables (else own_ids would miss a
    cue or a table's values) and "no" of most other strings; a table with a key that is not an
    exact str (whose hash may be its own) makes it skip nothing."""
    native = tagger_mod._native
    wf = Tagger().words
    tables = [wf.cues, wf.seated_cues, *(t for _, t in wf.lookups)]
    keys = native.KeyFilter(tables)
    assert keys.size == sum(map(len, tables)) and not keys.every
    assert all(k in keys for t in tables for k in t)
    others = [f"x{k}ق" for k in range(5000)]
    assert sum(s in keys for s in others) < 500
    assert not any(s in native.KeyFilter([]) for s in others[:100])

    class Odd(str):
        def __hash__(self):
            return 7

    odd = native.KeyFilter([{"a": 1}, {Odd("b"): 2}])
    assert odd.every and all(s in odd for s in others[:100])


@needs_native
def test_compiled_feature_ids_of_table_words_with_proclitics_equal_the_python_ones():
    """The readings of words made of the cue, names and tagged tables' keys, bare and behind
    proclitics (والرييس، بحلب), and of near misses, are found in C as in Python: the key filter
    skips no reading a table holds. A table added to ``lookups`` later is filtered too."""
    from marsad.ner.features import WordFeatures

    tagger = Tagger()
    wf, slots = tagger.words, tagger._cache.kinds
    keys = [k for t in (wf.cues, *(t for _, t in wf.lookups)) for k in list(t)[:400]]
    words = [p + k + q for k in keys for p, q in (("", ""), ("و", ""), ("بال", ""), ("ل", ""), ("", "ي"))]
    words += [k.replace("ي", "ئ") for k in wf.seated_cues] + ["وهادئ", "هادئ", "<s>", "</s>"]
    words = list(dict.fromkeys(words))
    ids, starts = wf.own_ids_batch(words, slots, tagger_mod._native)
    want_ids, want_starts = wf.own_ids_batch(words, slots)
    assert ids.tolist() == want_ids and starts.tolist() == want_starts
    other = WordFeatures(wf.groups, dict(wf.tagged))
    other.own_ids_batch(words[:10], slots, tagger_mod._native)
    other.lookups.append(("nm", {"قزحيا": ("per1",)}))
    got, _ = other.own_ids_batch(["وقزحيا"], slots, tagger_mod._native)
    assert got.tolist() == [0, *other.own_ids("وقزحيا", slots)]
    assert slots.kinds["nm"]["per1"] in got.tolist()


@needs_native
def test_compiled_affix_ids_equal_the_python_ones_beyond_the_packed_letters():
    """``_decode.Affixes`` packs affixes and trigrams of letters below U+0800 into ints; one with
    any other character (presentation forms, emoji) is looked up as a str: the ids are the same
    either way, a value the model lacks is 0 either way."""
    from marsad.ner.features import KindSlots, WordFeatures

    words = ["ﻻﻻحلب", "حلبﻻﻻ", "ab😀cd", "😀😀😀😀😀", "حلبون", "ﺑﺴﻢx", "xyzﺑﺴﻢ", "a", "ab", "Ωmega"]
    feats = ["bias", "pre1=ﻻ", "pre2=ﻻﻻ", "pre4=ab😀c", "suf2=ﻻﻻ", "suf3=😀cd", "suf1=😀", "tri=b😀c",
             "tri=ﺑﺴﻢ", "tri=لبو", "pre3=حلب", "suf2=ون", "pre1=Ω", "suf4=mega"]
    base = {"": 0, **{f: k for k, f in enumerate(feats, 1)}}
    slots = KindSlots(base)
    wf = WordFeatures(("base", "shape", "clusters"))
    ids, starts = wf.own_ids_batch(words, slots, tagger_mod._native)
    want_ids, want_starts = wf.own_ids_batch(words, slots)
    assert ids.tolist() == want_ids and starts.tolist() == want_starts
    got = set(want_ids)
    for f in ("pre2=ﻻﻻ", "suf2=ﻻﻻ", "suf3=😀cd", "tri=ﺑﺴﻢ", "pre3=حلب", "suf2=ون", "pre1=Ω", "suf4=mega"):
        assert base[f] in got, f
    assert slots.affixes.size == len(feats) - 1 - sum(any(ord(c) >= 0x800 for c in f) for f in feats)


@needs_native
def test_compiled_feature_ids_of_hamza_seat_forms_equal_the_python_ones():
    """A word type spelt with its hamza seat (هادئ، وائل، للمسؤول: ``features.spelled_forms``) gets
    in C the ids the Python ``own_ids`` gives it: the normalised word's features but for the cue
    classes and the `tg` values, which are those of the seat form."""
    from marsad.ner.features import KindSlots, WordFeatures

    table = {"هاني": ("per0",), "هانئ": ("per2",), "مسؤول": ("per1",), "وايل": ("per1",)}
    seated = ["هادئ", "هادي", "هانئ", "وهانئ", "وائل", "ووائل", "للمسؤول", "المسؤول", "رئيس", "ؤ", "<s>"]
    for groups in (("base", "shape", "lexicon", "clusters", "tagged"), ("base", "tagged"), ("base", "lexicon")):
        wf = WordFeatures(groups, table)
        feats = list(dict.fromkeys(f for w in seated for f in wf.own(w)))
        base = {f: k for k, f in enumerate(feats, 1)}
        slots = KindSlots(base)
        ids, starts = wf.own_ids_batch(seated, slots, tagger_mod._native)
        want_ids, want_starts = wf.own_ids_batch(seated, slots)
        assert ids.tolist() == want_ids and starts.tolist() == want_starts, groups
    hadi, hadia = (wf.own_ids(w, slots) for w in ("هادي", "هادئ"))
    assert hadi != hadia   # the given name هادي is a cue word, the adjective هادئ none


@needs_native
def test_compiled_word_tests_equal_the_python_ones():
    """The words that may introduce a name (``persons._may_introduce``: a title's or a country
    adjective's end) and the tokens among a word set (``persons.tokens_in``), in C and in Python."""
    from marsad.ner import persons
    from marsad.text.tokens import Token

    ends, tails = persons._introducing_ends()
    ends = sorted(ends)
    words = [t.norm for text in TEXTS for t in Doc(text).tokens]
    words += [*ends, *tails, "", "د", "ا", "x", "ABC"]
    words += [w[:-1] for w in ends] + ["و" + w for w in ends] + [w + "ه" for w in ends]
    # each string width (the letters are read in place): Latin-1, two bytes, four bytes
    words += ["é" + w for w in ends[:3]] + ["\U0001d400" + w for w in ends[:3]] + ["é", "\U0001d400"]
    # a word ending in some end's last three letters but in no end (the suffixes past them read)
    words += ["ز" + w[1:] for w in ends if len(w) > 3] + ["ز" + w[-3:] for w in ends]
    toks = [Token(0, 0, w, k, 0) for k, w in enumerate(words)]
    want = [k for k, w in enumerate(words) if w[-2:] in tails and any(w[i:] in ends for i in range(len(w)))]
    assert persons._endings().hits(toks, len(toks)) == want
    assert persons._endings().hits(toks, 5) == [k for k in want if k < 5]
    assert want and len(want) < len(words)
    some = frozenset(words[::7]) | {"غير موجودة"}
    assert persons.tokens_in(toks, some) == [k for k, w in enumerate(words) if w in some]
    assert persons.decoder.tokens_in(toks, some) == persons.tokens_in(toks, some)


@needs_native
def test_compiled_readings_of_a_new_word_equal_the_python_ones():
    """``persons._introduces`` (a title, a country adjective with its article, behind the
    proclitics) read in C (``Endings.introduces``) as in Python, word by word: the ends and their
    last three letters behind each proclitic, with لل (its article put back), cut short, lengthened,
    and words of composed reports."""
    from marsad.ner import persons
    from marsad.ner.features import cue_words
    from marsad.ner.nationalities import country_adjectives
    from marsad.text import PROCLITICS
    from marsad.text.tokens import _BY_FIRST

    ends, _ = persons._introducing_ends()
    ends = sorted(ends)
    words = [t.norm for text in TEXTS for t in Doc(text).tokens]
    words += ["الرئيس", "للرئيس", "والرئيس", "وللشيخ", "الكوبي", "للكوبي", "بالكوبي", "كوبي", "د", "", "ال"]
    words += [p + w for p in ("",) + PROCLITICS for w in ends[::9]]
    words += [w[:-1] for w in ends] + [w[1:] for w in ends] + [w + "ه" for w in ends] + [w[-3:] for w in ends]
    words += ["لل" + w[2:] for w in ends if w.startswith("ال")][::5]
    test, cues, adjectives = persons._endings(), cue_words(), country_adjectives()
    seen = set()
    for w in words:
        got = test.introduces(w, _BY_FIRST, cues, adjectives)
        assert got == persons._introduces_py(w), w
        assert type(got[0]) is bool and type(got[1]) is bool
        seen.add(got)
    assert {(False, False), (True, False), (False, True)} <= seen


@needs_native
def test_compiled_punctuation_features_equal_the_regex_ones():
    from marsad.ner.features import doc_gap_features

    texts = TEXTS + ["قال:  «حلب»  -- و(إدلب)،\nثم  سراقب _ #حفر_الباطن ... ؟! سياسيًا ، 3.5 كم",
                     "أ  ب", "a, b . c", "  حلب  "]
    found = 0
    for text in texts:
        doc = Doc(text)
        got = tagger_mod._native.gap_features(doc.norm, *tagger_mod._native.token_arrays(doc.tokens)[:3])
        assert got == doc_gap_features(doc.norm, doc.tokens), text
        found += len(got)
    assert found



@needs_native
def test_compiled_punctuation_features_at_the_arabic_letters_edges():
    """_gap_scan skips runs of U+0620-U+064A in 2-byte text without the general test: texts of
    each width (Latin-1 only, 2-byte, 4-byte with an emoji) give the regex features, also where
    the normalised text holds the characters at and beside the range's ends (normalisation maps
    most of them, so they are put into the norm in place of a marker letter, tokens unchanged)."""
    import random

    from marsad.ner.features import doc_gap_features

    chars = ["\u0638", "\u0638", "\u0628", "a", "_", "1", "-", ".", "(", "\u00ab", "\u060c", " ", " "]
    edges = ["\u061f", "\u0620", "\u064a", "\u064b", "\u0660", "\u06cc", "\u0638"]
    rnd = random.Random(11)
    found = 0
    for k in range(400):
        text = "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 60)))
        if k % 4 == 1:
            text = "".join(c for c in text if ord(c) < 256) or "a , b"
        elif k % 4 == 2:
            text += " \U0001f600 \u0628\u064a\u062a ."
        doc = Doc(text)
        norm = "".join(rnd.choice(edges) if c == "\u0638" else c for c in doc.norm)
        got = tagger_mod._native.gap_features(norm, *tagger_mod._native.token_arrays(doc.tokens)[:3])
        assert got == doc_gap_features(norm, doc.tokens), (text, norm)
        found += len(got)
    assert found
    # long runs of letters and lone spaces (skipped eight at a time), broken at any place of a
    # block by punctuation, two spaces, a character beside the range or a sentence's end
    letters = ["\u0638"] * 12 + ["\u0628"] * 6 + [" "] * 4
    breaks = [",", ".", "  ", "(", "a", "\u060c", "1", "\u00ab"]
    for k in range(300):
        text = "".join(rnd.choice(letters) if rnd.random() < 0.97 else rnd.choice(breaks)
                       for _ in range(rnd.randint(20, 300)))
        doc = Doc(text)
        norm = "".join(rnd.choice(edges) if c == "\u0638" and rnd.random() < 0.05 else c for c in doc.norm)
        got = tagger_mod._native.gap_features(norm, *tagger_mod._native.token_arrays(doc.tokens)[:3])
        assert got == doc_gap_features(norm, doc.tokens), (text, norm)


PUNCTUATED = [
    "قال:  «حلب»  -- و(إدلب)،\nثم  سراقب _ #حفر_الباطن ... ؟! سياسيًا ، 3.5 كم",
    "أعلن (( جيش الفتح )) ، « السيطرة » على - تل حميدية -- قرب « حماة » ؛ وقتل 3 . ثم : انسحب ! « إدلب »",
    "a, b . c ; d -- e", "  حلب  ", "حلب ، ، دمشق «» حمص ~~ ^^ درعا",
]


@needs_native
def test_compiled_token_features_with_punctuation_equal_numpy_sums():
    """The token features summed in C (punctuation read off the text's gaps without a list per
    token, ``_decode._gap_scan``, and the lexicons' tags) are numpy's sums of the feature lists of
    ``emissions`` to the bit: gaps before and after a token, several between two words, at a
    sentence's end, of characters the model has no feature for; the gaps' rows cached by the
    tagger, so asked cold and warm."""
    fast = Tagger()
    assert fast.native is not None
    for _ in range(2):
        for text in PUNCTUATED + TEXTS:
            doc = Doc(text)
            if not doc.tokens:
                continue
            em = fast.first_pass(doc)[0]
            assert np.array_equal(em, fast.emissions(doc, fast.lex.matches(doc.norm, doc.tokens))), text
    assert fast._gap_rows


@needs_native
def test_compiled_lexicon_tags_equal_the_python_loop_whatever_the_label_objects():
    """``_hit_spans`` reuses the codes of the hit before when its label is the same object: a label
    equal but another object, labels interleaved, each source's hits spread as the Python loop
    spreads them."""
    from marsad.ner.features import LexiconFeatures

    x1, x2 = "".join(["ac", "tor"]), "".join(["act", "or"])   # equal, other objects
    assert x1 == x2 and x1 is not x2

    def first(norm):
        out = []
        for w, label in (("حلب", x1), ("إدلب", x2), ("الجيش", "org"), ("حماة", x1), ("سراقب", "org")):
            i = norm.find(w)
            if i >= 0:
                out.append((i, i + len(w), label))
        return out

    def second(norm):
        i = norm.find("جيش الفتح")
        return [(i, i + 9, x2), (i, i + 3, x1)] if i >= 0 else []

    sources = {"a": first, "b": second}
    fast, slow = LexiconFeatures(sources), LexiconFeatures(sources, native=False)
    text = "قصف الجيش حلب وإدلب ثم حماة ، وقال جيش الفتح إن سراقب و حلب سقطتا."
    doc = Doc(text)
    got = fast.matches(doc.norm, doc.tokens)
    assert got == slow.matches(doc.norm, doc.tokens) and list(got) == list(slow.matches(doc.norm, doc.tokens))
    assert any("actor=B" in f for f in got.values()) and any("org=B" in f for f in got.values())


@needs_native
@pytest.mark.parametrize("order", ["forward", "backward", "shuffled"])
def test_compiled_lexicon_tags_of_hits_anywhere_in_any_order_equal_the_python_loop(order):
    """``_hit_spans`` finds a hit's tokens outward from the hit before and keeps the codes of the
    labels it met (16 at most): hits starting and ending at every offset of the text (inside a
    word, on a space, at its ends), met forward, backward and shuffled, under 20 labels, are
    spread as the Python loop's bisections spread them, and so are the summed token features."""
    import random

    from marsad.ner.features import LexiconFeatures

    text = TEXTS[1]
    norm = Doc(text).norm
    labels = ["lab%d" % q for q in range(20)]
    hits = [(a, b, labels[(a * 7 + b) % 20]) for a in range(len(norm))
            for b in range(a + 1, min(a + 14, len(norm) + 1))]
    if order == "backward":
        hits.reverse()
    elif order == "shuffled":
        random.Random(5).shuffle(hits)
    sources = {"all": lambda _norm: hits}
    fast, slow = LexiconFeatures(sources), LexiconFeatures(sources, native=False)
    doc = Doc(text)
    got = fast.matches(doc.norm, doc.tokens)
    assert got == slow.matches(doc.norm, doc.tokens) and list(got) == list(slow.matches(doc.norm, doc.tokens))
    tagger = Tagger()
    tagger.lex = fast
    em = tagger.first_pass(doc)[0]
    assert np.array_equal(em, tagger.emissions(doc, slow.matches(doc.norm, doc.tokens)))


@needs_native
def test_compiled_gazetteer_labels_equal_the_python_ones():
    from marsad.places.geoparser import Geoparser, gazetteer_hits

    gp = Geoparser()
    found = 0
    for text in TEXTS:
        norm = Doc(text).norm
        hits = gazetteer_hits(gp.gaz, norm.replace("_", " "), norm)
        want = [(b - len(name), b, "gaz" if any(not weak for _, weak in cands) else "gazw")
                for _, b, _, name, cands, _ in hits]
        assert tagger_mod._native.gazetteer_tags(hits) == want
        found += len(want)
    assert found


def test_kind_slots_share_the_given_words_strings():
    """``KindSlots(base, same)``: the same tables, a value that is a word of ``same`` being its
    string object there (the cluster table's words: one copy in memory)."""
    from marsad.ner.features import KindSlots

    base = {"": 0, "w=حلب": 1, "stem=حلب": 2, "w=دمشق": 3, "len=3": 4, "cc=7": 5}
    word = "".join(list("حلب"))   # made at run time: equal to the features' value, not the same object
    words = {word: word}
    plain, shared = KindSlots(base), KindSlots(base, words)
    assert shared.kinds == plain.kinds and shared.cc == plain.cc and shared.length == plain.length
    for kind in ("w", "stem"):
        assert next(v for v in shared.kinds[kind] if v == "حلب") is word
        assert next(v for v in plain.kinds[kind] if v == "حلب") is not word


@needs_native
def test_compiled_word_shape_equals_the_python_one():
    from marsad.ner.features import _shape

    words = ["", "5", "٣٤", "¹²", "Ⅻ", "abc", "Abc", "ABC", "a1", "A_b", "حلب", "حلب3", "حلب٣", "ـ", "Éa",
             "aé", "😀", "a😀", "x.y", "ﻻ", "\u064b", "حَلب", "12a", "_",
             # the edges of the Arabic letters read without a call (U+0620-U+064A)
             "\u0620\u064a", "\u061fحلب", "حلب\u064b", "حلب\u0660", "\u061f3"]
    rnd = np.random.default_rng(5)
    pool = list("aZ5٣¹Ⅻحـ_é😀.\u064b\u061f\u0620\u064a")
    words += ["".join(rnd.choice(pool, size=rnd.integers(1, 6))) for _ in range(2000)]
    for w in words:
        assert tagger_mod._native.word_shape(w) == _shape(w), w


@needs_native
def test_word_rows_when_the_cache_starts_again_or_fails_tag_as_before(monkeypatch):
    """The compiled path puts new words into the word cache before their rows are computed:
    a cache that starts again at every report, and one whose rows failed to be computed, tag
    as a fresh one (no word is left pointing at a row that was not filled)."""
    want = [_mentions(Tagger(), t) for t in TEXTS]
    tagger = Tagger()
    monkeypatch.setattr(tagger_mod, "_CACHE_MAX", 3)
    assert [_mentions(tagger, t) for t in TEXTS + TEXTS[::-1]] == want + want[::-1]
    monkeypatch.setattr(tagger_mod, "_CACHE_MAX", 100_000)
    known = dict(tagger._cache.index)

    def fail(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(tagger.words, "own_sums", fail)
    with pytest.raises(MemoryError):
        tagger.tag_doc(Doc("وصل وفد أممي إلى مدينة القامشلي صباح الأحد."))
    assert tagger._cache.index == known
    monkeypatch.undo()
    assert [_mentions(tagger, t) for t in TEXTS] == want


@needs_native
def test_token_fields_read_from_slots_equal_those_asked_by_name():
    from types import SimpleNamespace

    native = tagger_mod._native
    toks = [t for text in TEXTS for t in Doc(text).tokens]
    plain = [SimpleNamespace(start=t.start, end=t.end, norm=t.norm, sent=t.sent) for t in toks]
    for a, b in zip(native.token_arrays(toks), native.token_arrays(plain)):
        assert a.tolist() == b.tolist()
    assert native.token_arrays(toks)[0].tolist() == [t.start for t in toks]
    assert native.token_arrays(toks)[2].tolist() == [t.sent for t in toks]
    # ints of any size, other ints and other objects among the tokens: read by name, and the
    # tokens after them read in place again
    from marsad.text.tokens import Token

    class Sub(int):
        pass

    class SubToken(Token):
        __slots__ = ()

    odd = [0, 1, 2**30 - 1, 2**30, 2**40, 2**62, -1, -(2**35), True, Sub(7), np.int64(9)]
    mixed = []
    for k, v in enumerate(odd):
        mixed += [Token(v, k, "x", k, 3), Token(k, v, "x", k, 3), Token(k, k + 1, "x", k, v),
                  SimpleNamespace(start=k, end=v, norm="x", sent=k), SubToken(v, k, "x", k, v),
                  Token(k, k + 1, "x", k, k)]
    for got, name in zip(native.token_arrays(mixed), ("start", "end", "sent")):
        assert got.tolist() == [int(getattr(t, name)) for t in mixed]
    index = {t.norm: k for k, t in enumerate(toks[::2])}
    first = max(index.values()) + 1
    before, index2 = dict(index), dict(index)
    rows, missing = native.word_rows(toks, index, first)
    rows2, missing2 = native.word_rows(plain, index2, first)
    assert rows.tolist() == rows2.tolist() and missing == missing2 and index == index2
    # the absent words, each once in the order they come, added to index with the next rows
    assert missing == list(dict.fromkeys(t.norm for t in toks if t.norm not in before))
    assert index == {**before, **{w: first + j for j, w in enumerate(missing)}}
    assert rows.tolist() == [index[t.norm] for t in toks]
    words = {toks[0].norm, toks[-1].norm}
    assert native.tokens_in(toks, words) == native.tokens_in(plain, words) == \
        [k for k, t in enumerate(toks) if t.norm in words]


@needs_native
def test_compiled_token_arrays_give_the_fields_and_the_sentence_runs():
    # token_arrays' last two arrays are ``_runs`` of its sentence numbers (Viterbi's and
    # local_scores' starts and lengths), also for one token, no token, and a sentence number
    # met again after another (a new run, as in _runs)
    from marsad.text.tokens import Token
    rnd = np.random.default_rng(3)
    cases = [[], [0], [0, 0, 1, 1, 1, 2], [4, 4, 2, 4], rnd.integers(0, 4, 200).tolist(),
             np.repeat(np.arange(30), rnd.integers(1, 9, 30)).tolist()]
    for sents in cases:
        toks = [Token(2 * k, 2 * k + 1, "و", k, s) for k, s in enumerate(sents)]
        starts, ends, sent, run_starts, lengths = tagger_mod._native.token_arrays(toks)
        assert starts.tolist() == [t.start for t in toks] and ends.tolist() == [t.end for t in toks]
        assert sent.tolist() == sents
        want_starts, want_lengths = tagger_mod._runs(np.array(sents, dtype=np.int64))
        assert run_starts.tolist() == want_starts.tolist() and lengths.tolist() == want_lengths.tolist()
        assert run_starts.dtype == want_starts.dtype and lengths.dtype == want_lengths.dtype
