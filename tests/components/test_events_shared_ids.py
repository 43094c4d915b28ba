"""The detector's shared ids in C (events/_cand.pyx's shared_ids: the report's tables, tokens and
cluster cache read once per call, not once per new trigger) give features.shared_ids' ids, call by
call, each side from empty caches; an evidence made by copying a template dict (_cand's
evidence_of) is Span.to_evidence's, the same keys in the same order. MARSAD_PURE=1 runs the twins
(these comparisons then skip)."""

from __future__ import annotations

import json
import random

from marsad.components.events import candidates, features, native
from marsad.doc import new_span

from twin_reports import needs_cand, reports

# triggers at a sentence's start and end (no neighbour there), several a sentence, a trigger's word
# coming back with other neighbours, words no cluster knows
COMPOSED = [
    "قتل 5 مدنيين وأصيب 12 آخرون أمس الاثنين في قصف جوي شنته طائرات التحالف على مدينة صعدة، "
    "فيما اندلعت اشتباكات عنيفة بين الجيش والحوثيين في مديرية نهم.",
    "اشتباكات. قصف. قتل جندي.",
    "وقال مصدر عسكري إن الجيش صد هجوما لمسلحي داعش على حاجز قرب الرمادي وقتل 20 منهم، "
    "وقصفت المدفعية مواقع التنظيم وقتل 3 آخرون بقصف زززز على قرية ققققق.",
    "سيطر مقاتلو المعارضة على بلدة الشيخ مسكين بعد معارك ضمن معركة تحرير سهل الغاب.",
]


def _code_composed(sums) -> None:
    """Code the composed reports with ``sums`` in place of the detector's incident_sums (a wrapper
    that checks each call, then calls the shipped one)."""
    from marsad.pipeline import Pipeline
    shipped = candidates.incident_sums
    candidates.incident_sums = sums
    try:
        nlp = Pipeline()
        for text, published in reports(COMPOSED, seed=True):
            nlp(text, published, {})
    finally:
        candidates.incident_sums = shipped


@needs_cand
def test_compiled_shared_ids_are_the_python_ones():
    cand = native.candidate_path()
    shipped = candidates.incident_sums
    seen = {"calls": 0, "triggers": 0}

    def fresh(ctx, fast):
        ctx.clause_ids, ctx.trigger_ids = {}, {}
        fast.trigger_own, fast.neighbour_ids = {}, {}

    def sums_both(doc, ctx, ev, g, info, fast):
        kept = (ctx.clause_ids, ctx.trigger_ids, fast.trigger_own, fast.neighbour_ids)
        try:
            fresh(ctx, fast)
            got = cand.shared_ids_of(doc, ctx, ev.region, g, fast)
            got_own = dict(fast.trigger_own)
            fresh(ctx, fast)
            want = features.shared_ids(doc, ctx, ev.region, g, fast)
            assert got == want and type(got) is tuple
            assert got_own == fast.trigger_own
            # and again with the caches the first call filled (the hit path)
            assert cand.shared_ids_of(doc, ctx, ev.region, g, fast) == want
        finally:
            ctx.clause_ids, ctx.trigger_ids, fast.trigger_own, fast.neighbour_ids = kept
        seen["calls"] += 1
        seen["triggers"] += len(g)
        return shipped(doc, ctx, ev, g, info, fast)

    _code_composed(sums_both)
    assert seen["calls"] > 20 and seen["triggers"] > seen["calls"]


@needs_cand
def test_compiled_evidence_is_span_to_evidence():
    cand = native.candidate_path()
    rng = random.Random(7)
    for i in range(500):
        a = rng.randrange(0, 5000)
        s = new_span(a, a + rng.randrange(0, 40), rng.choice(["", "Battles", "x"]),
                     rng.choice(["", "قصف", "مدينة حلب", "a\nb"]), rng.randrange(-1, 9), {"n0": i})
        field = rng.choice(["event", "date", "actor1", "location", ""])
        got, want = cand.evidence(s, field), s.to_evidence(field)
        assert got == want and list(got) == list(want)
        assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)
    # each a dict of its own: changing one leaves the next as made
    e1 = cand.evidence(s, "event")
    e1["start"] = -5
    e1["extra"] = 1
    assert cand.evidence(s, "event") == s.to_evidence("event")


@needs_cand
def test_compiled_neighbours_of_long_and_reversed_triggers():
    """The token after a trigger (neighbour_key's steps from its first token, a bisection past 8)
    is the twin's for triggers of 1 to 20 tokens, ending at a sentence's end or the report's, and
    for one whose end is before its start: copies of each report's triggers so stretched."""
    import random

    cand = native.candidate_path()
    shipped = candidates.incident_sums
    rnd = random.Random(23)
    seen = {"long": 0, "reversed": 0}

    def sums_both(doc, ctx, ev, g, info, fast):
        starts = ctx.tok_starts
        kept = (ctx.clause_ids, ctx.trigger_ids, fast.trigger_own, fast.neighbour_ids)
        try:
            for t in g:
                i = ctx.ntok(t.data["n0"])
                for k in (1, 2, 7, 8, 9, 10, 20):
                    d = dict(t.data)
                    j = i + k
                    d["n1"] = starts[j] - 1 if j < len(starts) else len(doc.norm) + rnd.randrange(2)
                    if k > 8:
                        seen["long"] += 1
                    if rnd.random() < 0.1:
                        d["n1"] = max(0, d["n0"] - rnd.randrange(1, 30))
                        seen["reversed"] += 1
                    u = new_span(t.start, t.end, t.label, t.text, t.sent, d)
                    ctx.clause_ids, ctx.trigger_ids, fast.trigger_own, fast.neighbour_ids = {}, {}, {}, {}
                    got = cand.shared_ids_of(doc, ctx, ev.region, [u], fast)
                    ctx.clause_ids, ctx.trigger_ids, fast.trigger_own, fast.neighbour_ids = {}, {}, {}, {}
                    assert got == features.shared_ids(doc, ctx, ev.region, [u], fast)
        finally:
            ctx.clause_ids, ctx.trigger_ids, fast.trigger_own, fast.neighbour_ids = kept
        return shipped(doc, ctx, ev, g, info, fast)

    _code_composed(sums_both)
    assert seen["long"] > 20 and seen["reversed"] > 5


@needs_cand
def test_compiled_word_features_are_the_python_ones():
    """_cand.own_words_of and neighbour_feats_of (a new key's features in C) give
    features._own_words' and _neighbour_feats' dicts, the same keys in the same order: patterns
    that start the word or not, with and without a proclitic, words of known and unknown clusters
    (a proclitic before a known one too), the empty word; neighbours missing on either side."""
    from marsad.lang import clusters

    cand = native.candidate_path()
    known = sorted(clusters.read_table(clusters.PATH))[:40:4]
    words = known + ["و" + w for w in known[:3]] + ["بال" + w for w in known[:3]] + ["زززز", "ق", ""]
    n = 0
    for word in words:
        for pat in ("", word[:2], "قصف", word):
            for pre in ("", "و", "بال"):
                for pos in ("n", "v", "vi"):
                    key = (pat, pre, word, pos)
                    got, want = cand.own_words_of(key), dict(features._own_words(key))
                    assert list(got.items()) == list(want.items()), key
                    n += "c:" in "".join(got)
    assert n > 20
    fines = [None, 0, 7, 511]
    for wb in (None, "قصف"):
        for cb in fines:
            for wa in (None, "على"):
                for ca in fines:
                    key = (wb, cb, wa, ca)
                    got, want = cand.neighbour_feats_of(key), features._neighbour_feats(key)
                    assert list(got.items()) == list(want.items()), key
