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


@needs_cand
def test_compiled_shared_ids_are_the_python_ones():
    from marsad.pipeline import Pipeline

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

    candidates.incident_sums = sums_both
    try:
        nlp = Pipeline()
        for text, published in reports(COMPOSED, seed=True):
            nlp(text, published, {})
    finally:
        candidates.incident_sums = shipped
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
