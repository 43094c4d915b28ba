"""The word sets the tagger's rules look for, kept per word type (``Tagger._word_sets``,
``persons.token_sets``, compiled ``_decode.token_sets``), and the mentions put in order
(``mention.in_order``, compiled ``_decode.in_order``): each gives what its definition gives, token
by token and call by call, on composed reports (hamza-seat spellings among them, whose word-type
row is not their word's), before and after the word-type cache starts again."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.doc import Doc
from marsad.ner import mention as mention_mod
from marsad.ner import persons
from marsad.ner import tagger as tagger_mod
from marsad.ner.mention import FIRST, Mention, in_order

native = tagger_mod._native
needs_native = pytest.mark.skipif(native is None, reason="the compiled decoder is not built")

# titles and nationalities before names, reporting verbs, newspaper heads, news persons, hamza
# seats (سوريا الجنوبية، مسؤول، رئيس، هيئة), the same words again in a second report
TEXTS = [
    "وقال الرئيس الكوبي راؤول كاسترو إن صحيفة الأهرام نقلت عن مسؤول في هيئة الأركان أن بوتين وصل.",
    "أعلن الشيخ أحمد والتشيكي بافل ندفيد وللكيني كيبلاغات كيبكورير فوزهم، وأشار أوباما إلى جريدة الحياة.",
    "قصفت طائرات مواقع في ريف حلب الشمالي، وقال رئيس المجلس المحلي إن الهيئة وثقت سقوط ضحايا.",
    "وقال الرئيس الكوبي إن نادي النصر فاز. فأشار شافيز إلى أن الرئيس الكوبي راؤول كاسترو سيزور دمشق.",
    "د",
]


def _definition(toks: list, kinds: dict, stop: int) -> list[list[int]]:
    """The word sets by their definitions, token by token in Python."""
    out: list[list[int]] = [[], [], []]
    for k, t in enumerate(toks):
        for b in range(3):
            if kinds.get(t.norm, 0) >> b & 1:
                out[b].append(k)
    ends, tails = persons._introducing_ends()
    out.append([k for k, t in enumerate(toks[:stop])
                if t.norm[-2:] in tails and any(t.norm[i:] in ends for i in range(len(t.norm)))])
    return out


def test_the_word_sets_kept_per_word_type_are_each_tokens_own():
    """Two passes over the reports (the second reads the answers kept per word type), then the
    same after the word-type cache starts again: each time the tokens each rule looks for."""
    tagger = tagger_mod.default_tagger()
    kinds = tagger._word_kinds()
    seen = [0, 0, 0, 0]
    spelt = 0
    for round_ in range(3):
        if round_ == 2:
            tagger._cache.reset()
        for doc in map(Doc, TEXTS):
            tagger._decode(doc, None)
            toks = doc.tokens
            got = tagger._word_sets(toks, tagger._ids.index)
            assert got == _definition(toks, kinds, len(toks) - 1), doc.text
            spelt += len(tagger._ids.forms)
            for b in range(4):
                seen[b] += len(got[b])
    assert all(seen[b] for b in (0, 1, 3)) and (seen[2] or not tagger._news_persons)
    assert spelt or not tagger.words.spelled


def test_the_word_sets_of_another_texts_rows_are_read_token_by_token():
    """Rows left by another text (or two indexes of the cache) are not read: the sets are found
    token by token, the same."""
    tagger = tagger_mod.default_tagger()
    a, b = Doc(TEXTS[0]), Doc(TEXTS[1])
    tagger._decode(a, None)
    index = tagger._ids.index
    assert index is not None and index[0] is a.tokens
    assert tagger._word_sets(b.tokens, index) == _definition(b.tokens, tagger._word_kinds(), len(b.tokens) - 1)
    assert tagger._word_sets(a.tokens, None) == _definition(a.tokens, tagger._word_kinds(), len(a.tokens) - 1)
    tagger.tag_doc(a)   # tag_doc takes the text's tokens out of _ids: nothing of it kept after
    assert getattr(tagger._ids, "index", None) is None


@needs_native
def test_token_sets_in_c_asks_a_spelt_token_its_own_word():
    """A token listed as spelt is asked of its own word whatever its row's byte says; the others
    read their row's byte once it is set, and the first asking sets it."""
    doc = Doc("وقال الرئيس الكوبي إن صحيفة الأهرام نشرت")
    toks = doc.tokens
    kinds = {"وقال": 2, "صحيفه": 1}
    ends = persons._endings()
    ids = np.arange(len(toks), dtype=np.int64)
    ids[2] = 1   # the adjective on the title's row, but spelt: asked of its own word
    marks = bytearray(len(toks) + 2)
    first = native.token_sets(toks, kinds, 3, ids, [2], marks, len(toks) - 1, ends)
    assert first == _definition(toks, kinds, len(toks) - 1)
    assert all(marks[r] & 0x80 for r in range(len(toks)) if r != 2) and not marks[2]
    # the rows' bytes are read now: a token whose byte says "a reporting verb" is one
    marks[ids[5]] = 0x80 | 2
    again = native.token_sets(toks, kinds, 3, ids, [2], marks, len(toks) - 1, ends)
    assert again[1] == sorted(first[1] + [5]) and again[0] == first[0] and again[3] == first[3]
    # a row past the bytes is asked and not kept
    short = bytearray(2)
    assert native.token_sets(toks, kinds, 3, ids, [], short, len(toks) - 1, ends)[1] == first[1]
    with pytest.raises(ValueError):
        native.token_sets(toks, kinds, 3, ids[:2], [], marks, len(toks) - 1, ends)


class _Other:
    def __init__(self, first):
        self.first = first


@needs_native
def test_in_order_in_c_is_the_stable_sort_by_first():
    """Mostly sorted lists with mentions added at the end (as the rules hand them), random ones,
    ties, long lists and other objects: the same objects in the same order as ``sorted``."""
    rnd = np.random.default_rng(5)
    cases = [[], [Mention("PER", 3, 3, 0.5)]]
    for _ in range(400):
        n = int(rnd.integers(0, 60))
        firsts = sorted(int(x) for x in rnd.integers(0, 80, size=n))
        if rnd.random() < 0.5:   # a few added after a sorted list
            firsts += [int(x) for x in rnd.integers(0, 80, size=int(rnd.integers(1, 4)))]
        elif rnd.random() < 0.5:
            rnd.shuffle(firsts)
        cases.append([Mention(str(rnd.choice(["PER", "LOC"])), f, f, 0.5) for f in firsts])
    cases.append([Mention("LOC", int(f), int(f), 0.5) for f in rnd.integers(0, 9, size=1500)])
    cases.append([_Other(2), _Other(1), _Other(2)])
    mixed = [Mention("LOC", 4, 4, 0.5), Mention("LOC", 1, 1, 0.5)]
    mixed[1].first = np.int64(1)   # no int: sorted's comparisons
    cases.append(mixed)
    for ms in cases:
        want = sorted(ms, key=FIRST)
        got = native.in_order(ms)
        assert got is not ms and len(got) == len(want) and all(x is y for x, y in zip(got, want))
        assert [id(x) for x in in_order(ms)] == [id(x) for x in want]


def test_in_order_in_python_is_the_stable_sort_by_first(monkeypatch):
    monkeypatch.setattr(mention_mod, "decoder", None)
    ms = [Mention("PER", 5, 5, 0.5), Mention("LOC", 2, 2, 0.5), Mention("ORG", 5, 6, 0.5), Mention("PER", 2, 3, 0.5)]
    assert [(m.first, m.type) for m in in_order(ms)] == [(2, "LOC"), (2, "PER"), (5, "PER"), (5, "ORG")]


def test_tag_doc_is_the_same_with_the_sets_kept_or_found_token_by_token(monkeypatch):
    """The mentions of each report with the word sets kept per word type, and with them found
    token by token (no rows), are the same."""
    tagger = tagger_mod.default_tagger()
    docs = [Doc(t) for t in TEXTS]
    kept = [[(m.type, m.first, m.last, m.score) for m in tagger.tag_doc(d)] for d in docs + docs]
    monkeypatch.setattr(tagger_mod.Tagger, "_word_sets", lambda self, toks, toks_index: _definition(
        toks, self._word_kinds(), len(toks) - 1))
    plain = [[(m.type, m.first, m.last, m.score) for m in tagger.tag_doc(d)] for d in docs + docs]
    assert kept == plain and any(kept)


def test_the_longest_listed_names_in_c_are_those_of_the_python_rule(monkeypatch):
    """``tagger._longest`` compiled and in Python: the same names kept, the same objects, in the
    same order, over random overlapping ranges with ties of length and start."""
    rnd = np.random.default_rng(11)
    cases = []
    for _ in range(300):
        n = int(rnd.integers(2, 40))
        orgs = []
        for _ in range(n):
            i = int(rnd.integers(0, 30))
            j = i + int(rnd.integers(1, 5))
            orgs.append((i, j, i + int(rnd.random() < 0.3)))
        cases.append(orgs)
    cases.append([(3, 5, 3), (3, 5, 4), (4, 5, 4), (0, 2, 0)])   # one range twice: the first kept; ties by start
    want = []
    with monkeypatch.context() as m:
        m.setattr(tagger_mod, "_native", None)
        for orgs in cases:
            want.append(tagger_mod._longest(orgs))
    for orgs, kept in zip(cases, want):
        got = tagger_mod._longest(orgs)
        assert [id(o) for o in got] == [id(o) for o in kept]
    if native is not None:
        assert native.longest([(0, 1, 0), (1.0, 2, 1)]) is None   # no int: the Python rule answers
        assert [o[2] for o in native.longest(cases[-1])] == [0, 3]


def test_the_listed_organisations_token_ranges_in_c_are_those_of_the_python_rule(monkeypatch):
    """``Tagger._org_tokens``: each listed name's token range and where the corpus starts the
    name (after حركة), compiled in one pass and in Python."""
    texts = TEXTS + ["قالت حركة طالبان إن تنظيم الدولة الإسلامية وجامعة الدول العربية وحركة حماس اجتمعت.",
                     "أعلن تنظيم القاعدة في جزيرة العرب وحزب الله أن الأمم المتحدة ومنظمة الصحة العالمية"]
    got = [tagger_mod.Tagger._org_tokens(Doc(t)) for t in texts]
    with monkeypatch.context() as m:
        m.setattr(tagger_mod, "_native", None)
        want = [tagger_mod.Tagger._org_tokens(Doc(t)) for t in texts]
    assert got == want and any(o[2] > o[0] for orgs in want for o in orgs)


@needs_native
def test_quote_starts_eight_letters_at_a_time_finds_every_mark():
    """Two-byte text scanned eight letters at a time: every mark at every position (across the
    eight-letter blocks and in the tail), for sets of one to nine marks, repeated marks, a mark
    beyond two bytes, and none."""
    rnd = np.random.default_rng(3)
    letters = list("احبتثجدرزسشصضطظعغفقكلمنهوي ") + ["\u0620", "\u06ab", "\uab20", "\u2012"]
    sets = ['"', '"«“\'', "«" * 3 + '"', "".join(chr(0x2010 + i) for i in range(8)),
            "".join(chr(0x2010 + i) for i in range(9)), '"\U0001d400', ""]
    for marks in sets:
        for _ in range(60):
            n = int(rnd.integers(1, 70))
            text = [str(c) for c in rnd.choice(letters, size=n)]
            for _ in range(int(rnd.integers(0, 4))):
                if marks:
                    text[int(rnd.integers(0, n))] = marks[int(rnd.integers(0, len(marks)))]
            text = "".join(text)
            assert native.quote_starts(text, marks) == [i for i, c in enumerate(text) if c in marks], (text, marks)
