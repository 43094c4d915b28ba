"""The toll's options and choice, the role's swap, a sentence's clause breaks and its actors'
tokens compiled (events/_cand.pyx, API 4) give what their Python twins give (tolls.py's
toll_options and choose, roles.should_swap, clauses.clause_breaks, Ctx.actor_tokens), call by
call, on the bundled reports and composed Arabic ones; MARSAD_PURE=1 runs the twins."""

from __future__ import annotations

import random

import pytest

from marsad.components.events import clauses, native, roles, tolls
from marsad.components.events.context import Ctx

from twin_reports import needs_cand, reports

# composed: several killed counts a sentence (before and after the trigger, approximate, one
# inside another incident's stretch, "بينهم"), a toll of one count, a sentence with " - " (the
# breaks' scan), actors around the triggers, sides that swap
COMPOSED = [
    "قتل 5 مدنيين بينهم 3 أطفال وأصيب 12 آخرون أمس الاثنين في قصف جوي شنته طائرات التحالف على "
    "مدينة صعدة، فيما قتل 7 مسلحين في اشتباكات مع الجيش في مديرية نهم.",
    "لقي نحو 20 شخصا مصرعهم وقتل 4 جنود في انفجار سيارة مفخخة - حسب مصادر أمنية - في بغداد، "
    "وقتل عشرات آخرون في هجوم منفصل.",
    "أعلنت الشرطة مقتل 2 من عناصرها و3 مسلحين في هجوم شنه مسلحون على حاجز في العريش يوم السبت.",
    "قصفت قوات النظام بلدة الزبداني - ريف دمشق - بالبراميل المتفجرة ما أدى إلى مقتل 6 مدنيين، "
    "وقتل 11 عنصرا من قوات النظام في كمين نصبه مقاتلو المعارضة.",
    "اغتال مسلحون مجهولون ضابطا في الجيش اليمني في مدينة عدن، وقتل الحوثيون 3 من المقاومة الشعبية في تعز.",
]


def _reports():
    return reports(COMPOSED, seed=True)


def _opts_state(opts):
    """(the span, its features' items in order) of each option: the spans by identity."""
    return [(id(k), list(f.items())) for k, f in opts]


@needs_cand
def test_compiled_toll_options_choice_and_swap_equal_their_python_twins(monkeypatch):
    from marsad.components.events.model import default_model
    from marsad.pipeline import Pipeline

    cand = native.candidate_path()
    model_tolls = default_model().tolls
    rng = random.Random(11)
    seen = {"options": 0, "counts": 0, "before": 0, "chosen": 0, "pairs": 0, "swaps": 0}
    py_options, py_choose, py_swap = tolls.toll_options, tolls.choose, roles.should_swap

    def options_both(doc, ctx, ev):
        got = cand.toll_options(doc, ctx, ev)
        want = py_options(doc, ctx, ev)
        assert _opts_state(got) == _opts_state(want)
        seen["options"] += 1
        seen["counts"] += len(got)
        seen["before"] += sum(1 for _, f in got if any(k.startswith("tl:count_before:") for k in f))
        keys = [k for _, f in got for k in f] + ["margin", "bias"]
        for w in (model_tolls, {k: rng.uniform(-3, 3) for k in keys},
                  dict({k: rng.uniform(-3, 3) for k in keys}, margin=rng.uniform(0.5, 1.0))):
            assert cand.choose_tolls(w, got) == py_choose(w, want)
        return got

    def choose_both(weights, opts):
        got = cand.choose_tolls(weights, opts)
        assert got == py_choose(weights, opts)
        seen["chosen"] += bool(got)
        return got

    def swap_both(weights, feats):
        got = cand.should_swap(weights, feats)
        assert got is py_swap(weights, feats)
        keys = list(feats) + ["bias"]
        for w in ({k: rng.uniform(-3, 3) for k in keys}, {}, None):
            assert cand.should_swap(w, feats) is py_swap(w, feats)
        seen["pairs"] += bool(feats)
        seen["swaps"] += got
        return got

    # (replaced: the compiled loop then calls these, each comparing the two paths)
    monkeypatch.setattr(tolls, "toll_options", options_both)
    monkeypatch.setattr(tolls, "choose", choose_both)
    monkeypatch.setattr(roles, "should_swap", swap_both)
    nlp = Pipeline()
    for text, published in _reports():
        nlp(text, published, {})
    assert seen["options"] >= 10 and seen["counts"] >= 10 and seen["before"] >= 2, seen
    assert seen["chosen"] >= 5 and seen["pairs"] >= 3, seen


@needs_cand
def test_compiled_toll_choice_and_swap_on_set_weights():
    """choose and should_swap on set weights and features: no model, no options, the margin's
    two sides, a sure swap and a sure keep."""
    cand = native.candidate_path()
    opts = [(None, {"tl:bias": 1.0, "tl:rule": 1.0}), (None, {"tl:bias": 1.0, "tl:count:1": 1.0})]
    for w in ({}, None, {"tl:bias": 0.0}, {"tl:rule": -4.0, "margin": 0.9}, {"tl:count:1": 4.0, "margin": 0.6},
              {"bias": -1.0, "tl:bias": 0.5, "tl:rule": 3.0, "tl:count:1": 0.9}):
        assert cand.choose_tolls(w, opts) == tolls.choose(w, opts)
        assert cand.choose_tolls(w, []) == tolls.choose(w, [])
    feats = {"ro:bias": 1.0, "ro:kind:attack": 1.0}
    for w in ({}, None, {"ro:bias": 5.0}, {"ro:bias": -5.0}, {"bias": 0.2, "ro:kind:attack": -0.2}):
        for f in (feats, {}):
            assert cand.should_swap(w, f) is roles.should_swap(w, f)


@needs_cand
def test_compiled_clause_breaks_and_actor_tokens_equal_their_python_twins():
    """Every sentence of each report (and stretches that start or end inside one): the same
    breaks, the same actor tokens, the same caches left in the Ctx."""
    from marsad.doc import Doc
    from marsad.pipeline import default_pipeline

    cand = native.candidate_path()
    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    dashed = tokens = 0
    for text, published in _reports():
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        c, py = Ctx(doc), Ctx(doc)
        for si, (a, b) in enumerate(doc.sentences):
            for lo, hi in ((a, b), (a + 3, b), (a, max(a, b - 5)), (b, b)):
                assert cand.clause_breaks(doc, c, lo, hi) == clauses.clause_breaks(doc, py, lo, hi)
            dashed += doc.norm.find("-", a, b) >= 0
            got = cand.actor_tokens(doc, c, si)
            assert got == py.actor_tokens(si) and got is c.actor_tokens(si)
            tokens += len(got)
        assert c._actor_toks == py._actor_toks and c._puncts == py._puncts and c._openers == py._openers
    assert dashed >= 2 and tokens >= 20


# composed: lists after plural and dual heads, a name the gazetteer lacks, a list that ends at a
# word going on the sentence, one between "بين" and its two ends, a bearing and a digit ending one
LISTS = [
    "قصفت قوات النظام قرى الحويز والحواش والعنكاوي في ريف حماة بالبراميل المتفجرة.",
    "أصيب ثلاثة جنود بانفجار عبوة ناسفة في قريتي محمبل وجوزف بريف إدلب.",
    "تعرضت بلدتي كفريا والفوعة لقصف عنيف من مقاتلي المعارضة.",
    "سيطر الجيش على مناطق الجفينة والسائلة والتباب السود في محافظة مأرب.",
    "قطع مسلحون الطريق الرابط بين مدينتي بيتليس وديار بكر جنوب شرق تركيا.",
    "شنت طائرات التحالف غارات على مديريات حيس والخوخة وموزع غرب تعز وقتلت 9 مسلحين.",
    "اقتحمت قوات الاحتلال قرى بيت أمر وسعير 3 مرات واعتقلت شبانا.",
]


@needs_cand
def test_compiled_list_items_equal_their_python_twin(monkeypatch):
    """split._list_items compiled (_sides.list_items) on every place of each report, with the head
    test as shipped and with it passing every place (the full scan for each): the same items in
    the same shapes."""
    from marsad.components.events import _sides, split
    from marsad.doc import Doc
    from marsad.pipeline import default_pipeline

    assert split._list_items is _sides.list_items
    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    found = {True: 0, False: 0}
    for forced in (False, True):
        if forced:
            monkeypatch.setattr(split, "_head_before", lambda text, lo, n0, s1: True)
        for text, published in reports(COMPOSED + LISTS, seed=True):
            doc = Doc(text, published, {})
            for step in steps:
                step(doc)
            ctx = Ctx(doc)
            for p in doc.layer("places"):
                got = _sides.list_items(doc, ctx, p.sent, p)
                want = split._list_items_py(doc, ctx, p.sent, p)
                assert got == want and [type(x) for x in got] == [type(x) for x in want], doc.norm
                found[bool(got)] += 1
    assert found[True] >= 6 and found[False] >= 20, found


@needs_cand
def test_compiled_longest_hits_equal_their_python_twin(monkeypatch):
    """The triggers' and cues' hits of each report kept as their Python twin keeps them
    (candidates._longest_unique_py: lexicon.longest_hits, then the longest pattern per span): the
    same hits, by identity, in the same order; and on shuffled hits with nested and equal spans."""
    from marsad.components.events import _fast, candidates
    from marsad.pipeline import Pipeline

    assert candidates._longest_unique is _fast.longest_unique
    rng = random.Random(5)
    seen = {"calls": 0, "dropped": 0}

    def both(hits):
        got = _fast.longest_unique(hits)
        want = candidates._longest_unique_py(hits)
        assert [(k, id(v)) for k, v in got.items()] == [(k, id(v)) for k, v in want.items()]
        seen["calls"] += 1
        seen["dropped"] += len(hits) - len(got)
        return got

    monkeypatch.setattr(candidates, "_longest_unique", both)
    nlp = Pipeline()
    for text, published in reports(COMPOSED + LISTS):
        nlp(text, published, {})
    assert seen["calls"] >= 20 and seen["dropped"] >= 5, seen
    for _ in range(300):
        hits = []
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 20)
            hits.append((a, a + rng.randint(0, 6), a, "", {"_pat": "x" * rng.randint(1, 4)}))
        rng.shuffle(hits)
        got, want = _fast.longest_unique(hits), candidates._longest_unique_py(hits)
        assert [(k, id(v)) for k, v in got.items()] == [(k, id(v)) for k, v in want.items()]


@needs_cand
@pytest.mark.parametrize("eager", [False, True])
def test_compiled_split_places_equals_its_python_twin(monkeypatch, eager):
    """split.split_places compiled (_sides.split_places) on every incident the sentence loop
    splits, against split._split_places_py on a copy of the incident and of the report's chains:
    the same copies (field by field), the same split flag, the same links kept; with split._Links
    as shipped and replaced by one that works out every link first (the compiled code asks it)."""
    import copy

    from marsad.components.events import _sides, candidates, split
    from marsad.pipeline import Pipeline

    from twin_reports import incident_state

    assert split.split_places is _sides.split_places
    cand = native.candidate_path()
    seen = {"asked": 0, "copies": 0}
    if eager:
        class Eager(split._Links):
            def __init__(self, doc, ctx, here, known):
                super().__init__(doc, ctx, here, known)
                for k in range(len(here) - 1):
                    self[k]

        monkeypatch.setattr(split, "_Links", Eager)

    def both(doc, ctx, ev, si, breaks):
        shadow = copy.copy(ctx)
        shadow.place_chains = {k: (list(h), dict(kn)) for k, (h, kn) in ctx.place_chains.items()}
        ev_py = copy.copy(ev)
        ev_py.fields = dict(ev.fields)
        want = split._split_places_py(doc, shadow, ev_py, si, breaks)
        got = _sides.split_places(doc, ctx, ev, si, breaks)
        assert [incident_state(e) for e in got] == [incident_state(e) for e in want]
        assert ev.split == ev_py.split
        assert {k: (h, kn) for k, (h, kn) in ctx.place_chains.items()} == shadow.place_chains
        seen["asked"] += 1
        seen["copies"] += len(got)
        return got

    monkeypatch.setattr(candidates, "split_places", both)
    cand.bind_sentence(candidates)
    try:
        nlp = Pipeline()
        for text, published in reports(COMPOSED + LISTS, seed=True):
            nlp(text, published, {})
    finally:
        monkeypatch.undo()
        cand.bind_sentence(candidates)
    assert seen["asked"] >= 15 and seen["copies"] >= 4, seen
