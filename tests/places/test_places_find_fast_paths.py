"""Geoparser.find's faster ways (sp142) against the code they replace: the same answers."""

import random
from dataclasses import fields

import pytest

from marsad.places import geoparser as g
from marsad.places.names import COMPOUND_FIRST, TAA_CUES, UNKNOWN_CUES


def _hits(rnd, n_text):
    """Random (word start, end, start, core, cands, hashtag) hits, many of one span or length."""
    out = []
    for _ in range(rnd.randint(0, 60)):
        w = rnd.randint(0, max(0, n_text - 2))
        b = min(n_text, w + rnd.randint(1, 6))
        start = rnd.choice([w, min(b - 1, w + 1)])
        cands = [(rnd.randint(0, 9), rnd.random() < 0.5) for _ in range(rnd.randint(1, 3))]
        out.append((w, b, start, "core%d" % rnd.randint(0, 3), cands, rnd.random() < 0.1))
    return out


def test_longest_first_sorts_as_the_key_it_replaces():
    rnd = random.Random(5)
    for _ in range(3000):
        n = rnd.randint(1, 80)
        hits = _hits(rnd, n)
        got = g.longest_first(hits, n)
        want = sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0]))
        assert got == want
        assert all(x is y for x, y in zip(got, want))  # equals keep their order: the same objects
        assert got is not hits or not hits             # a new list (the scan's is shared)


class _Priors:
    def __init__(self, priors):
        self.priors = priors


def test_ranked_orders_as_the_negated_key():
    rnd = random.Random(11)
    for _ in range(3000):
        # few distinct priors: many equals, whose order is the set's
        priors = [rnd.choice([0.0, -0.0, 1.5, 2.0, 2.0, -3.25]) for _ in range(60)]
        use = [(rnd.randrange(60), rnd.random() < 0.5) for _ in range(rnd.randint(1, 70))]
        got = g.Geoparser.ranked(_Priors(priors), use)
        if len(use) == 1:
            want = [(use[0][0], priors[use[0][0]])]
        else:
            want = sorted({(i, priors[i]) for i, _ in use}, key=lambda c: -c[1])[:g.MAX_CANDIDATES]
        assert got == want


def test_mention_fields_in_the_order_find_passes_them():
    # find and _unknown build a Mention by position (keywords cost its __init__ a dict per call)
    assert [f.name for f in fields(g.Mention)] == [
        "start", "end", "key", "sent", "cands", "cue", "direction", "hashtag", "demonym", "weak",
        "name_start", "nested", "name_end", "place", "score", "context_only", "tagger", "ner_score",
        "cue_word"]
    by_keywords = g.Mention(3, 9, "حمص", 1, cands=[(1, 2.0)], cue="city", direction="شمال", hashtag=True,
                            demonym=False, weak=True, name_start=4, nested=True, name_end=8,
                            context_only=True, cue_word="مدينه")
    assert g.Mention(3, 9, "حمص", 1, [(1, 2.0)], "city", "شمال", True, False, True, 4, True, 8, None, 0.0,
                     True, False, 0.0, "مدينه") == by_keywords


def _list_joins_before(text, hits, stop, weak_of=None):
    """_list_joins as it was: both strong tables built first."""
    if weak_of is None:
        weak_of = [all(wk for _, wk in cands) for _, _, _, _, cands, _ in hits]
    weak = [(w, b, start) for (w, b, start, core, _, _), wk in zip(hits, weak_of)
            if wk and core not in stop and "ال" + core not in stop]
    if not weak:
        return set()
    ends, names = set(), {}
    for (w, b, start, _, _, _), wk in zip(hits, weak_of):
        if not wk:
            ends.add(b)
            names[w] = start
    out = set()
    for w, b, start in weak:
        j = w if start > w and text[w] == "و" else -1
        if j < 0:
            prev, pj = g.prev_word(text, w)
            j = pj if prev == "و" else -1
        if j >= 0:
            prev, pj = g.prev_word(text, j)
            if prev and pj + len(prev) in ends:
                out.add((w, b))
                continue
        k = g.after_and(text, b)
        if k < 0:
            continue
        if text[k - 1] == "و":
            if names.get(k - 1, k - 1) > k - 1:
                out.add((w, b))
        elif k in names:
            out.add((w, b))
    return out


def test_list_joins_as_with_both_tables_built_first():
    rnd = random.Random(13)
    pieces = ["و", " و ", " ", "و ", "حيفا", "عكا", "قم", "#", "ب", "ال"]
    stop = {"core1", "الcore2"}
    found = 0
    for _ in range(4000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25)))
        hits = _hits(rnd, len(text))
        weak_of = [rnd.random() < 0.4 for _ in hits]
        got = g._list_joins(text, hits, stop, weak_of)
        assert got == _list_joins_before(text, hits, stop, weak_of)
        assert g._list_joins(text, hits, stop) == _list_joins_before(text, hits, stop)
        found += bool(got)
    assert found > 100  # the joins are there to be found, not only the empty set


def _unknown_before(gp, text, taken, sentence_of, written=None):
    """Geoparser._unknown as it was: each cue's next word matched and tested before the taken
    spans are asked."""
    out = []
    stop = gp.stop
    for s, j in g._cue_words(text):
        cue = g._bare(text[s:j])
        if cue not in UNKNOWN_CUES:
            continue
        if cue in TAA_CUES and written is not None and written(j - 1) == "ه":
            continue
        while j < len(text) and text[j] in " \"'«#":
            j += 1
        nm = g._WORD_AT.match(text, j)
        if not nm or nm.group().isdigit():
            continue
        a, b = j, nm.end()
        first = nm.group()
        if first in g._SKIP_AFTER_CUE or first in UNKNOWN_CUES or (
                (first in stop or len(first) < 3) and first not in COMPOUND_FIRST) or (
                first not in COMPOUND_FIRST and g.common_behind_clitic(first, stop)):
            continue
        if cue not in g._NOUN_CUES and not first.startswith("ال") and first.endswith("ه"):
            continue
        if taken.overlaps(a, b):
            continue
        nm2 = g._NEXT_WORD_AT.match(text, b)
        if first in COMPOUND_FIRST and len(first) < 3 and not nm2:
            continue
        if nm2 and (first in g._TWO_WORD_FIRST
                    or (nm2.group(1).startswith("ال") and nm2.group(1) not in g._SKIP_AFTER_CUE
                        and nm2.group(1) not in stop and len(nm2.group(1)) > 4 and not first.startswith("ال"))):
            if not taken.overlaps(b, nm2.end()):
                b = nm2.end()
        taken.add(a, b)
        out.append((a, b, text[a:b], g.GENERIC_FEATURE.get(cue, "village"), a, cue))
    return out


@pytest.fixture(scope="module")
def gp():
    return g.Geoparser()


def test_unknown_asks_the_taken_spans_first_with_the_same_mentions(gp):
    rnd = random.Random(17)
    words = list(UNKNOWN_CUES)[:12] + ["وبلدة", "بلده", "الزيادية", "كفرنبل", "تل", "ابو", "الخالدية",
                                        "ساحلية", "المحاصرة", "12", "قرية", "حي", "مخيم", "عين", "الشيخ"]
    seps = [" ", " ", "  ", " «", '"', "#", "، "]
    for _ in range(1500):
        text = "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(1, 14)))
        spans = sorted({(a, a + rnd.randint(1, 8)) for a in (rnd.randrange(len(text)) for _ in range(rnd.randint(0, 5)))})
        t1, t2 = g.TakenPy(), g.TakenPy()
        last = -1
        for a, b in spans:
            if a >= last:  # disjoint, as find leaves them
                t1.add(a, b)
                t2.add(a, b)
                last = b
        written = (lambda i: rnd.choice("هة")) if rnd.random() < 0.3 else None
        state = rnd.getstate()
        got = gp._unknown(text, [], t1, None, written)
        rnd.setstate(state)
        want = _unknown_before(gp, text, t2, None, written)
        assert [(m.start, m.end, m.key, m.cue, m.name_start, m.cue_word) for m in got] == want
        assert (t1.starts, t1.ends) == (t2.starts, t2.ends)


def test_key_facts_strong_candidates_rank_as_their_own_list(gp):
    for core, entries in list(gp.gaz.index.items())[:3000]:
        cands = [(i, wk) for i, _, wk in entries]
        f = g._KeyFacts(gp, core, cands)
        strong = [(i, wk) for i, wk in cands if not wk]
        assert f.mixed == (len(strong) < len(cands))
        assert f.ranked_strong == (gp.ranked(strong) if strong else None)
