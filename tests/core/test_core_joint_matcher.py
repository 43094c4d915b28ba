"""JointMatcher: one scan of a text gives each matcher's hits, the same tuples (the same row
objects) in the same order as the matcher's own scan, on the compiled and the pure-Python path."""

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


@pytest.mark.parametrize("pure", [False, True])
def test_each_matcher_gets_its_own_hits_in_its_order(monkeypatch, pure):
    if pure:
        monkeypatch.setattr(lexicon, "core", None)
    ma, mb, empty = PhraseMatcher(A), PhraseMatcher(B), PhraseMatcher([])
    joint = JointMatcher([ma, empty, mb])
    rnd = random.Random(16)
    shared = 0
    for _ in range(500):
        text = "".join(rnd.choice(WORDS) + rnd.choice(SEPS) for _ in range(rnd.randint(1, 40)))
        ha, he, hb = joint.hits(text)
        assert ha == ma.hits(text) and hb == mb.hits(text) and he == [], text
        # the same row objects (the events step keys its cache of a row's fields by id)
        assert all(x[4] is y[4] for x, y in zip(ha, ma.hits(text)))
        shared += len({x[:2] for x in ha} & {x[:2] for x in hb})
    assert shared > 100   # the two lexicons matched the same words often
