"""Lexicon and gazetteer hits read back from word ends (``marsad/text/_ends.pyx``) are those of
the Python twins (``PhraseMatcher._hits_py``, ``geoparser.gazetteer_hits_py``), in the same order,
on many texts: the shipped lexicons and synthetic ones with the cases the rules tell apart
(suffixes, proclitics, strict rows, the article, several words, patterns ending in punctuation,
parts of a text)."""

from __future__ import annotations

import random

import pytest

from marsad.lexicon import PhraseMatcher, matcher
from marsad.text import native, normalize

try:
    from marsad.text import _ends
except ImportError:  # no compiler where the suite runs: only the pure path can be tested
    _ends = None

needs_ends = pytest.mark.skipif(_ends is None or native.ends is None, reason="the compiled scan is not built")

PIECES = list(" .،,\"«»()_#\n5٣a") + [
    "ال", "و", "ف", "ب", "ل", "لل", "وال", "بال", "كال", "فب", "ت", "ها", "وا", "ون", "ين", "ات", "تهم", "ي",
    "قصف", "قوات", "الجيش", "الجيش الحر", "داعش", "حمص", "دمشق", "النصرة", "نصرة", "حزب الله", "مسلحي",
    "\u064b", "¹", "Ⅻ", "😀"]

SYNTHETIC = [
    {"pattern": "قصف+"}, {"pattern": "قوات"}, {"pattern": "=ال"}, {"pattern": "الجيش"},
    {"pattern": "الجيش الحر"}, {"pattern": "النصرة"}, {"pattern": "=نصرة"}, {"pattern": "حزب الله"},
    {"pattern": "ت"}, {"pattern": "داعش+"}, {"pattern": "داعش"}, {"pattern": "م. ج"}, {"pattern": "(حمص)"},
    {"pattern": "حمص"}, {"pattern": "مسلحي"}, {"pattern": "a"}, {"pattern": "5"},
]


def _texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 50))) for _ in range(n)]


def _same(m: PhraseMatcher, norm: str) -> None:
    n = len(norm)
    for start, end in ((0, n), (0, None), (min(3, n), n), (n // 2, n), (0, n // 2), (n, n)):
        stop = n if end is None else end
        assert m._hits(norm, start, stop) == list(m._hits_py(norm, start, stop)), (norm, start, end)


@needs_ends
@pytest.mark.parametrize("name", ["actors.tsv", "weapons.tsv", "sources.tsv", "conditions.tsv",
                                  "triggers.tsv", "cues.tsv"])
def test_shipped_lexicons_give_the_pure_hits(name):
    m = matcher(name)
    for text in _texts(400, seed=11):
        _same(m, normalize(text)[0])


@needs_ends
def test_synthetic_patterns_give_the_pure_hits():
    m = PhraseMatcher(SYNTHETIC)
    assert m._end_trie() is m._end_trie()   # built once
    hits = 0
    for text in _texts(3000, seed=5) + ["والقوات قصفتها، ولداعش وبالجيش الحر", "م. ج (حمص) a5"]:
        norm = normalize(text)[0]
        _same(m, norm)
        hits += len(m._hits(norm, 0, len(norm)))
    assert hits > 1000   # the texts do reach the patterns


@needs_ends
def test_lexicons_scanned_together_give_each_ones_hits():
    # one pass for several matchers (the lexicons step's four; an empty one and the synthetic
    # patterns, some ending in punctuation, among them): each gets what its own scan gives
    from marsad.lexicon import hits_together
    names = ["actors.tsv", "weapons.tsv", "sources.tsv", "conditions.tsv"]
    found = 0
    for text in _texts(600, seed=13) + ["قصفت قوات النظام بالبراميل المتفجرة حي الوعر (حمص) a5"]:
        norm = normalize(text)[0]
        ms = [matcher(n) for n in names] + [PhraseMatcher([]), PhraseMatcher(SYNTHETIC)]
        for m in ms:
            m._last = (None, 0, None, [])   # nothing kept from an earlier scan
        got = hits_together(ms, norm)
        assert got == [[] if m.empty else list(m._hits_py(norm, 0, len(norm))) for m in ms], norm
        assert got[0] is ms[0].hits(norm)   # kept, as hits keeps its own answer
        found += sum(map(len, got))
    assert found > 1000


@needs_ends
def test_a_hit_keeps_the_rules():
    m = PhraseMatcher([{"pattern": "قصف+"}, {"pattern": "=نصرة"}, {"pattern": "الجيش"}])
    norm = normalize("قصفوا ونصرة نصرة بالجيش قصفتموهم")[0]
    got = [(norm[w:z], prefix) for w, z, _, prefix, _ in m._hits(norm, 0, len(norm))]
    # a listed suffix after a + pattern; no proclitic before a strict one; the article optional
    assert got == [("قصفوا", ""), (normalize("نصرة")[0], ""), ("بالجيش", "بال")]


@needs_ends
def test_the_gazetteer_scan_gives_the_pure_hits():
    from marsad.places.geoparser import Geoparser, gazetteer_hits, gazetteer_hits_py
    import marsad.places.geoparser as geo
    gp = Geoparser()
    for text in _texts(500, seed=9) + ["#بلدة_الزبداني في ريف دمشق ولبنان والقاهرة وبحمص"]:
        norm = normalize(text)[0]
        spaced = norm.replace("_", " ")
        geo._last_scan = (None, None, [])
        assert gazetteer_hits(gp.gaz, spaced, norm) == \
            gazetteer_hits_py(gp.auto, gp.gaz.index, spaced, norm), text


@needs_ends
def test_a_trie_refuses_empty_and_repeated_patterns():
    t = _ends.EndTrie([("ab", 1)])
    assert len(t) == 1 and t.values == [1]
    with pytest.raises(ValueError):
        t.add("ab", 2)
    with pytest.raises(ValueError):
        t.add("", 3)



@needs_ends
def test_tries_sharing_patterns_scanned_together_give_each_ones_hits():
    # one walk from each place for all the tries (their union): a pattern in several tries with
    # other flags (suffixes, strict, proclitics) gives each trie its own rows, in its own order;
    # a trie grown after its union was made is walked anew; an empty trie among them
    from marsad.lexicon import _MAX_PROCLITIC, _MAX_SUFFIX, _PROCLITIC_SET, _SUFFIX_SET, _suffix_trie
    args = (_suffix_trie(), _PROCLITIC_SET, _SUFFIX_SET, _MAX_SUFFIX, _MAX_PROCLITIC)
    rows = [[{"pattern": "قصف+"}, {"pattern": "قوات"}, {"pattern": "=الجيش"}, {"pattern": "(حمص)"}],
            [{"pattern": "قصف"}, {"pattern": "=قوات"}, {"pattern": "الجيش+"}, {"pattern": "حمص"}],
            [{"pattern": "قصف+"}, {"pattern": "الجيش الحر"}, {"pattern": "ت"}, {"pattern": "5"}],
            SYNTHETIC]
    texts = [normalize(t)[0] for t in _texts(800, seed=21)]
    tries = [PhraseMatcher(r)._end_trie() for r in rows]
    found = 0
    for grown in (False, True):
        if grown:
            tries[1].add("لقصف", tries[0].values[0], _ends.SUFFIXES | _ends.PROCLITICS)
        for lst in (tries, tries[::-1], [tries[1], _ends.EndTrie(), tries[2]]):
            for norm in texts:
                for start, end in ((0, len(norm)), (len(norm) // 3, len(norm))):
                    got = _ends.phrase_hits_many(lst, norm, start, end, *args)
                    assert got == [_ends.phrase_hits(t, norm, start, end, *args) for t in lst], norm
                    found += sum(map(len, got))
    assert found > 5000


@needs_ends
def test_places_before_a_suffix_give_the_pure_hits():
    # the places before a listed suffix (a word whose end is no suffix makes none): patterns that
    # take suffixes and patterns that do not, ending in the same letters, alone and in a union
    # with a trie that takes none, give the pure hits
    rows = [{"pattern": "قصف+"}, {"pattern": "وصف"}, {"pattern": "هدف"}, {"pattern": "الجيش+"},
            {"pattern": "جيش"}, {"pattern": "حرس"}, {"pattern": "داعش"}, {"pattern": "قوات+"}, {"pattern": "ات"}]
    plain = [{"pattern": "قصف"}, {"pattern": "الجيش"}, {"pattern": "حرس"}, {"pattern": "بات"}]
    stems = ["قصف", "وصف", "هدف", "الجيش", "جيش", "حرس", "داعش", "قوات", "بات", "ات"]
    ends = ["", "ها", "ون", "ات", "تهم", "ي", "ه", "ت"]
    rnd = random.Random(31)
    texts = [normalize(" ".join(rnd.choice(["", "و", "ال", "ب"]) + rnd.choice(stems) + rnd.choice(ends)
                                for _ in range(rnd.randint(1, 12))))[0] for _ in range(400)]
    m, p = PhraseMatcher(rows), PhraseMatcher(plain)
    inside = 0
    for norm in texts:
        _same(m, norm)
        _same(p, norm)
        got = _ends.phrase_hits_many([m._end_trie(), p._end_trie()], norm, 0, len(norm),
                                     *_scan_args())
        assert got == [list(m._hits_py(norm, 0, len(norm))), list(p._hits_py(norm, 0, len(norm)))], norm
        inside += sum(1 for h in got[0] if h[1] > h[2] + len(h[4]["_pat"]))
    assert inside > 100   # (hits before a suffix were found)


def _scan_args():
    from marsad.lexicon import _MAX_PROCLITIC, _MAX_SUFFIX, _PROCLITIC_SET, _SUFFIX_SET, _suffix_trie
    return (_suffix_trie(), _PROCLITIC_SET, _SUFFIX_SET, _MAX_SUFFIX, _MAX_PROCLITIC)
