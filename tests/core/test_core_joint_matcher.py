"""JointMatcher: one scan of a text gives each matcher's hits, the same tuples (the same row
objects) in the same order as the matcher's own scan, on each path: from word ends (``_ends``,
where built), the compiled automaton filter (``_core``) and pure Python."""

from __future__ import annotations

import random

import pytest

from marsad import lexicon
from marsad.lexicon import JointMatcher, PhraseMatcher

# two lexicons sharing patterns ("لا", "قصف", "الجيش"), with different clitic rules for the same
# word ("=قتل" strict in one, "قتل+" with suffixes in the other), patterns inside others' words
A = [{"pattern": p, "src": "a"} for p in ("لا", "=لم", "قصف+", "=قتل", "الجيش الحر", "الجيش", "حزب الله", "حلب")]
B = [{"pattern": p, "src": "b"} for p in ("لا", "لن", "قصف", "قتل+", "الجيش", "قال+", "ال", "تنظيم داعش", "جيش")]
WORDS = ["لا", "الا", "لم", "علم", "قصف", "وقصفت", "بالقصف", "قصفتهماالان", "قتل", "وقتل", "قتلوا", "الجيش",
         "وبالجيش", "الحر", "داعش_", "حزب", "الله", "قالوا", "حلب", "لحلب", "تنظيم", "x1", "_", "لالا", "ولن", "جيش"]
SEPS = [" ", " ", " ", ", ", "-", "\n", "", "#"]


def _path(monkeypatch, path):
    """Run ``path``: "ends" (as shipped where built), "core" (no word-end scan), "pure"."""
    if path == "ends" and lexicon.ends is None:
        pytest.skip("the word-end scan is not built here (or MARSAD_PURE)")
    if path in ("core", "pure"):
        monkeypatch.setattr(lexicon, "ends", None)
    if path == "pure":
        monkeypatch.setattr(lexicon, "core", None)


PATHS = ["ends", "core", "pure"]


@pytest.mark.parametrize("path", PATHS)
def test_each_matcher_gets_its_own_hits_in_its_order(monkeypatch, path):
    _path(monkeypatch, path)
    ma, mb, empty = PhraseMatcher(A), PhraseMatcher(B), PhraseMatcher([])
    joint = JointMatcher([ma, empty, mb])
    rnd = random.Random(16)
    shared = 0
    for _ in range(500):
        text = "".join(rnd.choice(WORDS) + rnd.choice(SEPS) for _ in range(rnd.randint(1, 40)))
        (ha, he, hb), occ = joint.hits(text)
        assert ha == ma.hits(text) and hb == mb.hits(text) and he == [] and occ == {}, text
        # the same row objects (the events step keys its cache of a row's fields by id)
        assert all(x[4] is y[4] for x, y in zip(ha, ma.hits(text)))
        shared += len({x[:2] for x in ha} & {x[:2] for x in hb})
    assert shared > 100   # the two lexicons matched the same words often
    if path == "ends":
        assert joint._all is None   # (read from word ends: the joint patterns and automaton are never made)


@pytest.mark.parametrize("path", PATHS)
def test_the_same_scan_gives_every_occurrence_of_the_words(monkeypatch, path):
    """``words``: every occurrence, inside longer words too, as the words' own automaton finds
    them; the matchers' hits do not change (a word that is also a pattern keeps its rows)."""
    import ahocorasick

    _path(monkeypatch, path)
    words = frozenset({"قصف", "الجيش", "داعش", "صواريخ", "لا"})
    own = ahocorasick.Automaton()
    for w in words:
        own.add_word(w, w)
    own.make_automaton()
    ma, mb = PhraseMatcher(A), PhraseMatcher(B)
    joint = JointMatcher([ma, mb], words)
    rnd = random.Random(17)
    found = 0
    for _ in range(300):
        text = "".join(rnd.choice(WORDS + ["صواريخ"]) + rnd.choice(SEPS) for _ in range(rnd.randint(1, 40)))
        (ha, hb), occ = joint.hits(text)
        assert ha == ma.hits(text) and hb == mb.hits(text)
        want: dict[str, list[int]] = {}
        for last, w in own.iter(text):
            want.setdefault(w, []).append(last - len(w) + 1)
        assert {w: v for w, v in occ.items() if v} == want and set(occ) == words, text
        assert list(occ) == list(joint._words)   # (the same dict, keys in the same order, on each path)
        found += sum(map(len, want.values()))
    assert found > 300


def test_gapped_triggers_from_the_joint_scan_equal_their_own_scan():
    from marsad.components.events import gapped
    from marsad.components.events.kinds import trigger_matcher
    from marsad.doc import Doc

    words = gapped.scan_words()
    joint = JointMatcher([trigger_matcher()], words)
    texts = ["نزل آلاف المتظاهرين إلى الشوارع في صنعاء. وأطلق الحوثيون صواريخ على مواقع الجيش.",
             "أحرق شبان غاضبون عددا من الإطارات وسط المدينة.\nقصف الطيران مواقع المسلحين."]
    n = 0
    for text in texts:
        doc = Doc(text)
        _, occ = joint.hits(doc.norm)
        got = [(s.start, s.end, s.data) for s in gapped.find(doc, occ)]
        assert got == [(s.start, s.end, s.data) for s in gapped.find(doc)]
        n += len(got)
    assert n >= 2
