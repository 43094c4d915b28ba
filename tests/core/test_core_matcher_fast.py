"""PhraseMatcher's early refusal of hits inside longer words finds exactly what the full
word-boundary scan found (``_reference``, the original loop, kept as the specification)."""

from __future__ import annotations

import random

from marsad.lexicon import _PROCLITIC_SET, SUFFIXES, PhraseMatcher, _is_letter

_MAX_SUFFIX = max(len(s) for s in SUFFIXES)


def _reference(m: PhraseMatcher, norm: str) -> list[tuple]:
    out = []
    for last, (pat, entries) in m.auto.iter(norm):
        a = last - len(pat) + 1
        b = last + 1
        w = a
        while w > 0 and _is_letter(norm[w - 1]):
            w -= 1
        prefix = norm[w:a]
        z = b
        while z < len(norm) and _is_letter(norm[z]):
            z += 1
        suffix = norm[b:z]
        for e in entries:
            if prefix and (e["_strict"] or prefix not in _PROCLITIC_SET):
                continue
            if suffix and not (e["_suffixes"] and len(suffix) <= _MAX_SUFFIX and suffix in SUFFIXES):
                continue
            out.append((w, z, a, prefix, e["pattern"]))
    return out


ENTRIES = [{"pattern": p} for p in (
    "لا", "=لم", "لن", "قصف+", "=قتل", "الجيش الحر", "الجيش", "داعش", "غاره+", "حزب الله",
    "مقاومه", "=مقاومه", "قال+", "حلب", "ال", "تنظيم داعش",
)]


def test_matches_equal_the_full_scan_on_random_texts():
    m = PhraseMatcher(ENTRIES)
    words = ["لا", "الا", "لم", "علم", "قصف", "وقصفت", "بالقصف", "قصفتهماالان", "قتل", "وقتل", "الجيش",
             "وبالجيش", "الحر", "داعش_", "غارات", "غاره", "حزب", "الله", "المقاومه", "مقاومه", "قالوا",
             "حلب", "لحلب", "فلحلبيون", "تنظيم", "x1", "_", "لالا", "كالجيش", "قصفاتهم", "ولن"]
    seps = [" ", " ", " ", ", ", "-", "\n", "", "#"]
    rnd = random.Random(11)
    for _ in range(400):
        text = "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(1, 40)))
        got = [(x.start, x.end, x.core_start, x.prefix, x.entry["pattern"]) for x in m.find(text)]
        assert got == _reference(m, text), text
        assert [(x.start, x.end) for x in m.find(text)] == [g[:2] for g in got]  # the kept answer


def test_strict_and_suffix_rules():
    m = PhraseMatcher(ENTRIES)
    found = {(x.entry["pattern"], x.prefix) for x in m.find("ولم يقتل احد وقتل اثنان وقصفتها الطائرات")}
    assert ("=قتل", "و") not in found and ("قصف+", "و") in found
    assert not [x for x in m.find("علم") if x.entry["pattern"] == "=لم"]


def test_longest_hits_keeps_what_drop_contained_keeps_in_its_order():
    """longest_hits (two stable sorts with C keys) gives _drop_contained's list: by start, longest
    first, hits inside a longer one dropped, hits of one span in their order."""
    from operator import itemgetter

    from marsad.lexicon import _drop_contained, longest_hits

    rnd = random.Random(16)
    for _ in range(3000):
        hits = []
        for i in range(rnd.randint(0, 25)):
            a = rnd.randint(0, 30)
            hits.append((a, a + rnd.randint(0, 6), a, "", {"row": i}))
        assert longest_hits(hits) == _drop_contained(hits, itemgetter(0, 1))
