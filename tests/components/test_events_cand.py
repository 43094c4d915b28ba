"""A built candidate's compiled path (events/_cand.pyx: build_event, the rules' score, the
detector's sums) gives what its Python twins (build.py, scores.py, features.py) give, candidate by
candidate, on the bundled reports and composed Arabic ones; MARSAD_PURE=1 runs the twins."""

from __future__ import annotations

import os
import subprocess
import sys

from marsad.components.events import build, candidates, gates, native, scores

from twin_reports import incident_state, needs_cand, reports


# composed: several incidents a sentence, a toll, a day, both sides, a protest, a place list,
# wounded only, a campaign's name, a transfer of ground
COMPOSED = [
    "قتل 5 مدنيين وأصيب 12 آخرون أمس الاثنين في قصف جوي شنته طائرات التحالف على مدينة صعدة، "
    "فيما اندلعت اشتباكات عنيفة بين الجيش والحوثيين في مديرية نهم.",
    "تظاهر مئات الطلاب في مدينة تعز احتجاجا على انقطاع الكهرباء، وأطلقت قوات الأمن الرصاص "
    "عليهم فقتلت متظاهرا.",
    "أصيب ثلاثة جنود بانفجار عبوة ناسفة زرعها مسلحون في قريتي محمبل وجوزف بريف إدلب يوم السبت.",
    "سيطر مقاتلو المعارضة على بلدة الشيخ مسكين بعد معارك ضمن معركة تحرير سهل الغاب.",
    "وقال مصدر عسكري إن الجيش صد هجوما لمسلحي داعش على حاجز قرب الرمادي وقتل 20 منهم.",
]


def _reports():
    return reports(COMPOSED)


_state = incident_state


@needs_cand
def test_compiled_candidate_path_equals_its_python_twins():
    from marsad.pipeline import Pipeline

    cand = native.candidate_path()
    assert candidates.build_event is cand.build_event and candidates.score is cand.score
    seen = {"built": 0, "none": 0, "scored": 0, "weighed": 0}

    def build_both(*args, **kw):
        got = cand.build_event(*args, **kw)
        want = build.build_event(*args, **kw)
        if want is None:
            assert got is None
            seen["none"] += 1
        else:
            assert got is not None and _state(got) == _state(want)
            seen["built"] += 1
        return got

    def score_both(*args, **kw):
        got = cand.score(*args, **kw)
        assert got == scores.score(*args, **kw) and type(got) is float
        # asked again, every weight read from ctx.weights (held in a local across the loops)
        assert cand.score(*args, **kw) == got
        # the triggers' weights and "a verb says it happened" the compiled score cached: the
        # Python twins' own figures, not read back from the cache
        doc, ctx, _, g = args[:4]
        for t in g:
            if id(t) in ctx.weights:   # (a protest's score reads no weight)
                assert ctx.weights[id(t)] == scores._trigger_weight_of(doc, ctx, t)
                seen["weighed"] += 1
            if id(t) in ctx.occurred:
                assert ctx.occurred[id(t)] == gates._occurred_near(doc, ctx, t)
        seen["scored"] += 1
        return got

    candidates.build_event, candidates.score = build_both, score_both
    try:
        nlp = Pipeline()
        for text, published in _reports():
            nlp(text, published, {})
    finally:
        candidates.build_event, candidates.score = cand.build_event, cand.score
    assert seen["built"] > 20 and seen["scored"] > 20 and seen["weighed"] > 20


@needs_cand
def test_compiled_words_ids_are_the_python_ones():
    from marsad.components.events.features import _stem

    cand = native.candidate_path()

    class Table:
        def id_of(self, key):
            return key

    compiled, python = cand.WordIds(Table()), native._WordIds(Table(), _stem)
    for w in ("والمدينة", "بالقصف", "قصف", "لل", "وبالعاصمة", "فلسطين", "", "x"):
        assert compiled[w] == python[w]
    assert dict(compiled) == dict(python)


def test_pure_flag_selects_the_python_twins():
    code = ("from marsad.components.events import candidates, native, build; "
            "print(native.candidate_path() is None, candidates.build_event is build.build_event)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MARSAD_PURE": "1"}).stdout.split()
    assert out == ["True", "True"]


@needs_cand
def test_compiled_step_reads_span_fields_alike_from_slots_and_by_name():
    """The compiled events step reads a Span's fields from its slots, and those of any other
    class by name: the same reports with every layer's spans made a Span subclass (read by name)
    give the same events, field for field."""
    import copy
    from datetime import date as _date

    from marsad.doc import Doc, Span
    from marsad.pipeline import default_pipeline

    class _Sub(Span):
        __slots__ = ()

    def _coded(e):
        spans = ("agent", "victim", "place_span")   # (spans: by their fields)
        return ({k: v for k, v in vars(e).items() if k not in spans} if hasattr(e, "__dict__") else e.fields,
                [None if getattr(e, k) is None else (getattr(e, k).start, getattr(e, k).end) for k in spans],
                e.score, e.p, e.feats, e.role_feats)

    nlp = default_pipeline()
    names = [n for n, _ in nlp.steps]
    k = names.index("events")
    before, events = nlp.steps[:k], nlp.steps[k][1]
    coded = 0
    for text, published in list(_reports()) + [(t, _date(2015, 8, 10)) for t in COMPOSED]:
        doc = Doc(text, published, {})
        for _, step in before:
            step(doc)
        other = copy.deepcopy(doc)
        for spans in other.layers.values():
            spans[:] = [_Sub(s.start, s.end, s.label, s.text, s.sent, s.data) for s in spans]
        events(doc)
        events(other)
        # (an Incident holds its spans, and a dataclass's == tells a subclass apart: its fields
        # and figures compared)
        assert [_coded(e) for e in other.events] == [_coded(e) for e in doc.events], text
        coded += len(doc.events)
    assert coded > 20


@needs_cand
def test_compiled_crowd_test_equals_the_rule():
    """_cand.crowd_of (the sentence's crowd test in C: a crowd word, or a token of decimal digits
    only) answers as rules.crowd_in on random token lists: crowd words, ASCII and Arabic-Indic
    digits, digits mixed with letters, empty and one-character tokens."""
    import random

    from marsad.components.events import rules

    cand = native.candidate_path()
    assert rules._CROWD_SET is not None
    pieces = ["حشد", "الاف", "قتل", "12", "١٢٣", "۴۵", "3x", "x3", "", "٣", "a", "عشرات", "²", "¼", "مدينه", "0"]
    rnd = random.Random(7)
    seen = {True: 0, False: 0}
    for _ in range(3000):
        toks = [rnd.choice(pieces) for _ in range(rnd.randint(0, 6))]
        want = rules.crowd_in(" ".join(toks), toks)
        assert cand.crowd_of(toks) is want, toks
        seen[want] += 1
    assert seen[True] > 100 and seen[False] > 100


@needs_cand
def test_compiled_punct_marks_equal_the_python_ones():
    """_cand.punct_marks (the report's one-character clause marks in one pass) gives
    clauses.punct_marks' offsets on random texts of the marks, Arabic letters, brackets and the
    marks that are not among them ("-", "،", ".")."""
    import random

    from marsad.components.events import clauses

    cand = native.candidate_path()
    pieces = [",", ":", ";", "(", ")", "[", "]", "-", "،", ".", " ", "قتل", "x", "\n", "٣"]
    rnd = random.Random(11)
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        assert cand.punct_marks(text) == clauses.punct_marks(text), text
    for text, _ in _reports():
        assert cand.punct_marks(text) == clauses.punct_marks(text)


@needs_cand
def test_compiled_punct_marks_equal_the_python_ones_in_every_width():
    """_cand.punct_marks reads the text by its width (1, 2 or 4 bytes a character) and tests a
    mark by its distance from "(": every character near the marks' span, and characters whose low
    bits are a mark's ("\u0628", "\U00010028"), give clauses.punct_marks' offsets in each width."""
    import random

    from marsad.components.events import clauses

    cand = native.candidate_path()
    near = [chr(c) for c in range(0x20, 0x80)]
    widths = {1: near + ["\xe9", "\xa0"], 2: near + ["\u0628", "\u0629", "\u065d", "\u0100", "\u2028"],
              4: near + ["\U00010028", "\U0001005d", "\U0001f600", "\u0628"]}
    rnd = random.Random(5)
    for wide, pieces in widths.items():
        for _ in range(1500):
            text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
            assert cand.punct_marks(text) == clauses.punct_marks(text), text
        every = "".join(pieces)
        assert cand.punct_marks(every) == clauses.punct_marks(every) and len(cand.punct_marks(every)) == 7
        assert wide == {1: 1, 2: 2, 4: 4}[max(1 if ord(c) < 256 else 2 if ord(c) < 65536 else 4 for c in every)]


@needs_cand
def test_compiled_iso_day_equals_isoformat():
    """_cand.iso_day_of (an incident's day as text, kept by day) gives date.isoformat() for days
    across the years, asked again (from the kept texts) and past the cache's bound."""
    from datetime import date as _date, timedelta

    cand = native.candidate_path()
    day = _date(1999, 12, 25)
    for k in range(5000):
        d = day + timedelta(days=k)
        assert cand.iso_day_of(d) == d.isoformat()
        assert cand.iso_day_of(_date(d.year, d.month, d.day)) == d.isoformat()   # (another object)
    assert cand.iso_day_of(_date(1, 1, 1)) == "0001-01-01"


@needs_cand
def test_compiled_round2_equals_round():
    """_cand.round2_of (an incident's score rounded to two places, kept by value) gives round(x, 2)
    alike in value, type and sign: sums of the rules' weights, halves at the third place, random
    floats, zeros of either sign, NaN, infinities and ints, asked twice."""
    import math
    import random

    cand = native.candidate_path()
    rnd = random.Random(3)
    weights = [1.4, 1.0, 0.3, 0.3, 0.2, 1.0, 0.3, 0.5, 0.4, 0.2, 0.3, 0.2, 0.2, 0.4, -0.5]
    xs = [sum(rnd.sample(weights, rnd.randint(0, 8))) for _ in range(3000)]
    xs += [rnd.uniform(-10, 10) for _ in range(3000)] + [k / 1000 + 0.0005 for k in range(-3000, 3000)]
    xs += [0.0, -0.0, math.inf, -math.inf, 0, 3, -7, 2.675, 1.005, 0.125, -0.125, 1e300, 5e-324]
    for x in xs + xs:
        got, want = cand.round2_of(x), round(x, 2)
        assert type(got) is type(want) and got == want and math.copysign(1, got) == math.copysign(1, want), x
    assert math.isnan(cand.round2_of(math.nan))


@needs_cand
def test_compiled_best_type_equals_the_model_method():
    """_cand.best_type_of (the typing models' pass over the types in C, from the judge's sums)
    names the type Model.best_type names: random sums, sums past the logistic's clamps (ties
    between saturated types: the first by name), equal sums, NaN, the incident's own type among
    them, a rule-decided type, an unknown one; and with no sums (the method itself)."""
    import math
    import random

    from marsad.components.events.model import default_model

    cand = native.candidate_path()
    model = default_model()
    if model is None or not model._terms[0]:
        import pytest
        pytest.skip("no shipped typing model")
    names = list(model._terms[0])
    currents = names + sorted(model.rule_types) + ["Nothing such", ""]
    rnd = random.Random(13)
    picked = 0
    for _ in range(3000):
        pool = [rnd.uniform(-5, 5), 31.0, 45.0, -40.0, 0.0, 2.5, math.nan, 29.999]
        sums = [rnd.choice(pool) if rnd.random() < 0.5 else rnd.uniform(-8, 8) for _ in names]
        current = rnd.choice(currents)
        want = model.best_type({}, current, sums)
        assert cand.best_type_of(model, {}, current, sums) == want, (current, sums)
        picked += want is not None
    assert picked > 100
    for current in currents:
        assert cand.best_type_of(model, {"bias": 1.0}, current, None) == model.best_type({"bias": 1.0}, current)


@needs_cand
def test_compiled_group_flags_equal_the_python_twin():
    """_cand.group_flags_of (own_features' and drop_sum's group flags) sets what features.group_flags
    sets, in the same order, on a dict already holding features: random groups (titles true,
    false, missing, of other types; a Span subclass), infos with or without each key, cue kinds
    as sets, frozensets, tuples and lists; a cue that is no str raises the twin's TypeError."""
    import random

    from marsad.components.events.features import group_flags
    from marsad.doc import Span

    class Sub(Span):
        __slots__ = ()

    cand = native.candidate_path()
    rnd = random.Random(17)
    titles = [None, True, False, 0, 1, "", "t", [], [1]]
    cues = ["kill", "air", "shell", "wound", "protest", "vac"]
    seen = set()
    for _ in range(4000):
        g = []
        for _ in range(rnd.randrange(4)):
            d = {"kind": "kill"}
            if rnd.random() < 0.6:
                d["title"] = rnd.choice(titles)
            g.append((Sub if rnd.random() < 0.2 else Span)(0, 1, "", "", 0, d))
        info = {}
        if rnd.random() < 0.7:
            ks = rnd.sample(cues, rnd.randrange(len(cues)))
            info["cue_kinds"] = rnd.choice([set, frozenset, tuple, list])(ks)
        for k, pool in (("n_groups", [0, 1, 2, 3]), ("protest_support", [None, True, 0, "x"]),
                        ("crowd", [None, False, True, 2])):
            if rnd.random() < 0.6:
                info[k] = rnd.choice(pool)
        f = {"rule:drop": 1.0, "gate:none": 1.0} if rnd.random() < 0.5 else {}
        want, got = dict(f), dict(f)
        group_flags(g, info, want)
        cand.group_flags_of(g, info, got)
        assert list(got.items()) == list(want.items()), (g, info)
        seen.update(want)
    assert {"title", "groups:2+", "prot:support", "prot:crowd", "cue:air"} <= seen
    for bad in ({"cue_kinds": {1}}, {"cue_kinds": ("a", 2)}):
        for fn in (group_flags, cand.group_flags_of):
            try:
                fn([], bad, {})
            except TypeError as e:
                kind = type(e)
            else:
                kind = None
            assert kind is TypeError


@needs_cand
def test_compiled_group_kind_equals_its_python_twin():
    """_cand.group_kind_of (build_event's and drop_sum's group kind: primary_kind and disrupted in
    C, ``kinds - DEPENDENT`` only where needed) gives build.group_kind's core and kind on random
    groups: campaign, seizure and generic-IED words among others, dependent, protest, assault,
    explosive and unranked kinds, verbs and nouns, weapons of each kind and none; ``kinds`` itself
    is left as it was."""
    import random

    from marsad.components.events import rules
    from marsad.components.events.context import Ctx
    from marsad.doc import new_span
    from marsad.pipeline import Pipeline

    cand = native.candidate_path()
    doc = Pipeline()(COMPOSED[3], None, {})
    ctx = Ctx(doc)
    n = len(doc.norm)
    rnd = random.Random(19)
    patterns = (sorted(rules.CAMPAIGN_WORDS)[:4] + sorted(rules.SEIZE_WORDS)[:3] + sorted(rules.GENERIC_IED)[:3]
                + ["قصف", "قتل", "تفكيك"])
    kinds = rules.PRECEDENCE + sorted(rules.PROTEST_KINDS) + ["disrupt", "zzz"]
    labels = [k for keys, _ in rules.WEAPON_KIND for k in keys] + ["Rifle", "", "x"]
    seen_kinds, seen_core_cut = set(), 0
    for _ in range(6000):
        g = []
        for _ in range(rnd.randrange(1, 5)):
            a = rnd.randrange(n)
            d = {"kind": rnd.choice(kinds), "pattern": rnd.choice(patterns), "n0": a,
                 "n1": min(n, a + rnd.randrange(1, 12))}
            if rnd.random() < 0.5:
                d["pos"] = rnd.choice(["v", "vi", "n"])
            if rnd.random() < 0.3:
                d["strength"] = rnd.choice([0, 1, 2])
            g.append(new_span(0, 1, "", "", 0, d))
        weapons = [new_span(0, 1, rnd.choice(labels), "", 0, {}) for _ in range(rnd.randrange(3))]
        ks = {rules.trigger_kind(t) for t in g}
        if rnd.random() < 0.2:
            ks.add(rnd.choice(kinds))
        before = set(ks)
        got, want = cand.group_kind_of(ctx, g, ks, weapons), build.group_kind(ctx, g, set(ks), weapons)
        assert got == want, (g, ks, weapons)
        assert ks == before
        seen_kinds.add(want[1])
        seen_core_cut += want[0] != before - rules.DEPENDENT
    assert {"disrupt", "riot", "intervention", "protest", "kill", "suicide", "air", "zzz"} <= seen_kinds
    assert seen_core_cut > 0


@needs_cand
def test_compiled_strength_key_is_the_format():
    """_cand.str_key_of (the candidates' "str:" feature) is ``"str:%d" % s``, kept strings or not."""
    cand = native.candidate_path()
    for s in [0, 1, 2, 3, 4, -1, 10 ** 30, True, False, 2.0, 2.7, -0.5]:
        assert cand.str_key_of(s) == "str:%d" % s
    for bad in (None, "2"):
        for fn in (cand.str_key_of, lambda s: "str:%d" % s):
            try:
                fn(bad)
            except TypeError as e:
                kind = type(e)
            else:
                kind = None
            assert kind is TypeError
