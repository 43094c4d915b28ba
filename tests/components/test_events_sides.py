"""A candidate's sides and place in C (events/_sides.pyx) decide as their Python twins
(actors._assign_actors_py, places._place_of_py): on the candidates of real and composed reports,
each compiled call gives the same spans and leaves the report's caches as the Python code leaves
them from the same state; MARSAD_PURE=1 selects the Python code (the end-to-end comparison of the
two paths' output is tests/core/test_core_native.py's)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from datetime import date

import pytest

from marsad.components.events import actors, build, native, places

from twin_reports import reports


needs_sides = pytest.mark.skipif(native._sides is None, reason="events/_sides.pyx is not built (or MARSAD_PURE)")

# composed to reach the rules' branches: sides between "بين", a passive agent, a lost town, the
# attacked, the dead, sides joined by "و", a landmark after a bearing, a country and a town
COMPOSED = [
    "اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم داعش في ريف حمص الشرقي، قتل فيها 12 عنصرا من التنظيم.",
    "قتل 5 مدنيين على يد مسلحين مجهولين في مدينة درعا، فيما أصيب آخرون بجروح.",
    "استعادت القوات الحكومية السيطرة على مدينة زنجبار بعد طرد مسلحي القاعدة من المدينة.",
    "تعرضت قوات الجيش اليمني لهجوم شنه مسلحو الحوثي في محافظة مأرب، وقتل جنديان.",
    "قصفت طائرات التحالف مواقع للحوثيين وقوات صالح في صنعاء، ما أدى إلى مقتل 7 من الحوثيين.",
    "انفجرت سيارة مفخخة في بلدة تقع على بعد 20 كلم شمال مدينة بغداد، ما أسفر عن مقتل 4 أشخاص.",
    "بدأت الغارات على مواقع التنظيم في سوريا، بعد تفجير استهدف مدينة سوروج التركية أمس.",
    "قتلت قوات الأمن المصرية 3 مسلحين في اشتباك بمدينة العريش في شمال سيناء.",
    # a governorate in one clause, a more specific town of another in the next
    "شنت طائرات التحالف غارات جوية على مواقع للحوثيين في مأرب، فيما دخلت القوات الحكومية إلى مدينة زنجبار في أبين.",
    # a destination in the incident's clause, another governorate's town in the sentence
    "دارت اشتباكات عنيفة في مدينة الضالع، وانسحب المسلحون بعدها إلى منطقة العند في لحج.",
    "اعتقلت المقاومة الشعبية نجل محافظ المحويت، في مدينة الضالع.",
    "انسحب المسلحون إلى منطقة الفيوش في محافظة لحج بعد اشتباكات عنيفة، وذلك في منطقة دار سعد بعدن.",
]

_CACHES = ("actor_names", "agent_before", "loser_before", "between_before", "attacked", "targeted",
           "conjunct_heads", "landmarks", "_usable", "_event_places")


def _reports():
    return reports(COMPOSED, seed=True)


def _twin(compiled, pure, calls: list):
    """compiled(doc, ctx, ...), checked against pure(...) run on a copy of ctx whose caches hold
    what ctx's held before the compiled call."""

    def both(doc, ctx, *args):
        before = {k: copy.copy(getattr(ctx, k)) for k in _CACHES}
        got = compiled(doc, ctx, *args)
        shadow = copy.copy(ctx)
        for k, v in before.items():
            setattr(shadow, k, v)
        want = pure(doc, shadow, *args)
        if isinstance(want, tuple):
            assert len(got) == len(want) and all(a is b for a, b in zip(got, want))
        else:
            assert got is want
        for k in _CACHES:
            assert getattr(ctx, k) == getattr(shadow, k), k
        calls.append(got)
        return got

    return both


@needs_sides
def test_compiled_sides_and_place_equal_their_python_twins(monkeypatch):
    from marsad.pipeline import Pipeline

    assert actors.assign_actors is native._sides.assign_actors and places.place_of is native._sides.place_of
    sides, scenes = [], []
    # build_event is build.py's or, compiled, _cand.pyx's: each calls the two by its module's name
    for owner in filter(None, (build, native.candidate_path())):
        monkeypatch.setattr(owner, "assign_actors", _twin(actors.assign_actors, actors._assign_actors_py, sides))
        monkeypatch.setattr(owner, "place_of", _twin(places.place_of, places._place_of_py, scenes))
    nlp = Pipeline()
    for text, published in _reports():
        nlp(text, published, {})
    # the checks saw sides and places named, not only empty answers
    assert sum(1 for a, v in sides if a is not None and v is not None) >= 5
    assert sum(1 for p in scenes if p is not None) >= 10


@needs_sides
def test_compiled_helpers_equal_their_python_twins():
    """Each helper on fresh caches: every actor offset, every pair of side names, every place,
    every trigger's stretch (attach.place_for_event), the compiled and the Python answer alike."""
    from marsad.components.events import _sides
    from marsad.components.events.context import Ctx
    from marsad.doc import Doc
    from marsad.pipeline import default_pipeline
    from marsad.places import attach

    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    asked = 0
    for text, published in _reports():
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        c, py = Ctx(doc), Ctx(doc)
        xs = doc.layer("actors")
        for x in xs:
            for s in (c.nstart(x), c.nend(x), max(0, c.nstart(x) - 3)):
                for name in ("agent_marked", "between_marked", "loser_marked", "targeted_in"):
                    assert getattr(_sides, name)(c, s) == getattr(actors, "_%s_py" % name)(py, s), (name, s)
                    asked += 1
            for country in (None, c.country, "ye"):
                assert _sides.actor_out_in(c, x, country) == actors._actor_out_in_py(py, x, country)
        names = [actors._actor_out_in_py(py, x, c.country)[0] for x in xs] + [None, ""]
        for a in names:
            for b in names:
                assert _sides.same_side(a, b) == actors._same_side_py(a, b)
        for p in doc.layer("places"):
            assert _sides.usable_place(p) == places._usable_place_py(p)
            assert _sides.landmark(doc, c, p) == places._landmark_py(doc, py, p)
        for t in doc.layer("triggers"):
            for start, end in ((t.start, t.end), (t.start, t.start), (0, len(doc.text))):
                assert _same_place(_sides.place_for_event(doc, t.sent, start, end, c.place_index),
                                   attach.place_for_event(doc, t.sent, start, end, py.place_index))
                asked += 1
        for si in sorted({s.sent for s in doc.layer("places")} | {0, 999}):   # (999: no places)
            here, want_here = _sides.index_here(c.place_index, si), py.place_index.here(si)
            assert len(here) == len(want_here) and all(a is b for a, b in zip(here, want_here))
            got, want = _sides.index_usable(c.place_index, si), py.place_index.usable(si)
            assert [r for r, _ in got] == [r for r, _ in want] and all(a is b for (_, a), (_, b) in zip(got, want))
            assert len(got) == len(want)
        for p in doc.layer("places"):   # a stretch naming one place of the sentence
            assert _same_place(_sides.place_for_event(doc, p.sent, p.start, p.end, c.place_index),
                               attach.place_for_event(doc, p.sent, p.start, p.end, py.place_index))
            asked += 1
        for k in _CACHES:
            if k not in ("conjunct_heads", "_usable", "_event_places", "attacked"):
                assert getattr(c, k) == getattr(py, k), k
    assert asked > 100


def _same_place(a, b) -> bool:
    """The same place: the same span, or a new span of the same village at the same parent
    (attach._with_parent makes one per call)."""
    return a is b or (a is not None and b is not None
                      and (a.start, a.end, a.label, a.data) == (b.start, b.end, b.label, b.data))


def test_pure_flag_selects_the_python_sides():
    code = ("from marsad.components.events import native, actors, places; "
            "print(native._sides is None, actors.assign_actors is actors._assign_actors_py, "
            "places.place_of is places._place_of_py, actors.targeted_in is actors._targeted_in_py)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MARSAD_PURE": "1"}).stdout.split()
    assert out == ["True", "True", "True", "True"]


@needs_sides
def test_prefiltered_scans_follow_one_rule_compiled_and_pure():
    """places.cued and its compiled twin: a pattern is searched only where the text holds one of
    its words, and an empty word list finds nothing (no search), on texts with and without the
    words, for patterns that would match anywhere."""
    import re

    from marsad.components.events import _sides

    anywhere, marker = re.compile(r""), re.compile(r"من قبل\s*$")
    for text in ("", "قتل من قبل ", "قتل على يد ", "من قبل المسلحين", "abc"):
        for words in ((), ("قبل",), ("يد", "قبل"), ("zzz",)):
            for rx in (anywhere, marker):
                want = places.cued(text, words, rx)
                assert _sides.cued(text, words, rx) is want, (text, words, rx)
                if not words:
                    assert want is False
    assert places.cued("قتل من قبل ", ("قبل",), marker) is True


_ROLE_CACHES = ("side_words", "agent_before", "loser_before", "targeted")


@needs_sides
def test_compiled_pair_features_and_place_choice_equal_their_python_twins(monkeypatch):
    """roles.pair_features and arguments.chosen_place compiled (_sides.pyx) give what their Python
    twins give from the same caches, on every candidate the detector keeps: the same feature dict
    (keys in the same order), the same place; each option's score the float of linear.dot over
    arguments.option_features, with the model's place weights and with random ones."""
    import random

    from marsad.components.events import arguments, roles
    from marsad.components.events.linear import dot
    from marsad.pipeline import Pipeline

    assert roles.pair_features is native._sides.pair_features
    assert arguments.chosen_place is native._sides.chosen_place
    rng = random.Random(7)
    pairs, places_seen, scored = [], [], []

    def pair(doc, ctx, ev):
        before = {k: copy.copy(getattr(ctx, k)) for k in _ROLE_CACHES}
        got = native._sides.pair_features(doc, ctx, ev)
        shadow = copy.copy(ctx)
        for k, v in before.items():
            setattr(shadow, k, v)
        want = roles._pair_features_py(doc, shadow, ev)
        assert list(got.items()) == list(want.items())
        for k in _ROLE_CACHES:
            assert getattr(ctx, k) == getattr(shadow, k), k
        pairs.append(got)
        return got

    def place(doc, ctx, ev, weights):
        kinds = copy.copy(ctx.place_option_kinds)
        got = native._sides.chosen_place(doc, ctx, ev, weights)
        shadow = copy.copy(ctx)
        shadow.place_option_kinds, shadow.place_parts = kinds, {}
        assert got is arguments._chosen_place_py(doc, shadow, ev, weights)
        assert ctx.place_option_kinds == shadow.place_option_kinds
        counts = ctx.place_counts()
        opts = arguments.options(doc, shadow, ev)
        keys = [k for p in opts for k in arguments.option_features(doc, shadow, ev, p, counts)]
        for w in (weights, {k: rng.uniform(-3, 3) for k in keys + ["pl:other"]}):
            probe = copy.copy(ctx)
            probe.place_weights = {}
            for p in opts:
                want = dot(w, arguments.option_features(doc, shadow, ev, p, counts))
                assert native._sides.place_option_score(doc, probe, ev, w, p) == want
                scored.append(want)
            assert native._sides.chosen_place(doc, probe, ev, w) is arguments._chosen_place_py(doc, shadow, ev, w)
        places_seen.append(got)
        return got

    monkeypatch.setattr(roles, "pair_features", pair)
    monkeypatch.setattr(arguments, "chosen_place", place)
    nlp = Pipeline()
    for text, published in _reports():
        nlp(text, published, {})
    assert sum(1 for f in pairs if f) >= 5 and len(places_seen) >= 10 and len(scored) >= 20


# composed to reach each mark: the one who blames, the one who speaks (a state official named
# after the verb), a generic attacker tied to a named group, a word inside a source's name
NON_PARTIES = [
    "حملت الحكومة التركية مسلحي التنظيم المسؤولية عن التفجير الذي وقع في مدينة سوروج.",
    "وقال الجيش في بيان إن الغارات استهدفت مواقع لتنظيم داعش في ريف الرقة.",
    "قال الرئيس اليمني عبد ربه منصور هادي إن قوات التحالف قصفت مواقع الحوثيين.",
    "فجر انتحاري من تنظيم داعش نفسه في مسجد بمدينة القطيف.",
    "وقالت مصادر الحكومة إن مسلحين هاجموا نقطة تفتيش في سيناء.",
]


@needs_sides
def test_compiled_non_party_marks_equal_their_python_twin():
    """context._mark_non_parties compiled (_sides.mark_non_parties) leaves every actor span's data
    as the Python twin leaves it, from the same spans, on the demo reports and composed ones."""
    from marsad.components.events import _sides, context
    from marsad.doc import Doc
    from marsad.pipeline import default_pipeline

    assert context._mark_non_parties is _sides.mark_non_parties
    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    marked = 0
    texts = list(_reports()) + [(t, date(2015, 8, 10)) for t in NON_PARTIES]
    for text, published in texts:
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        xs = doc.layer("actors")
        before = [dict(x.data) for x in xs]
        context.Ctx(doc)   # (marks with the compiled twin)
        got = [dict(x.data) for x in xs]
        for x, d in zip(xs, before):
            x.data.clear()
            x.data.update(d)
        shadow = context.Ctx.__new__(context.Ctx)
        shadow.doc, shadow.by_sent = doc, {k: context._by_sent_py(doc.layer(k)) for k in ("actors", "sources")}
        shadow.tok_starts, shadow._orig_starts = [t.start for t in doc.tokens], doc.offsets
        context._mark_non_parties_py(doc, shadow)
        assert got == [dict(x.data) for x in xs], text
        marked += sum(1 for d in got if d.get("not_party") or d.get("blamed"))
    assert marked >= 4


@needs_sides
def test_compiled_main_country_and_actor_places_equal_their_python_twins():
    """The report's main country and the places that name no scene (inside an actor's name, a
    country that speaks, a neighbour across a border), compiled (_sides.main_country,
    _sides.actor_places) and by their Python twins, alike on the demo and composed reports."""
    from marsad.components.events import _sides, context
    from marsad.doc import Doc
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    texts = list(_reports()) + [(t, date(2015, 8, 10)) for t in NON_PARTIES + [
        "أدانت المملكة الهجوم الذي استهدف محافظة شيرناك الحدودية مع سوريا والعراق.",
        "قصف طيران التحالف الذي تقوده الولايات المتحدة مواقع لتنظيم داعش في الرقة.",
        "قتل جندي تركي في هجوم على مخفر في ولاية هكاري الحدودية مع العراق."]]
    found = neighbours = countries = 0
    for text, published in texts:
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        assert _sides.main_country(doc) == context._main_country_py(doc)
        countries += _sides.main_country(doc) is not None
        ctx = context.Ctx(doc)
        all_actors = dict(context._by_sent_py(doc.layer("actors")))
        got, want = (set(), set()), (set(), set())
        _sides.actor_places(doc, ctx, all_actors, *got)
        context._actor_places_py(doc, ctx, all_actors, *want)
        assert got == want, text
        assert got == (ctx.in_actor, ctx.neighbours)
        found += len(got[0])
        neighbours += len(got[1])
    assert found >= 4 and neighbours >= 2 and countries >= 5


@needs_sides
def test_compiled_word_tests_equal_their_python_twins():
    """The letter-mask prefilter of the compiled word test (_sides.holds_any) and the compiled
    "aimed at" test (_sides.targeted_in's word before, "ل"/"لل") answer as places._holds_any_py and
    actors.targeted, on random texts of the lists' words, their letters, proclitics and spaces,
    at every offset (past the text's end too)."""
    import random

    from marsad.components.events import _sides

    lists = [tuple(actors._TARGET_WORDS), tuple(actors._AGENT_WORDS), tuple(actors._VICTIM_WORDS),
             tuple(actors._CAUSE_WORDS), tuple(places._BEARING_WORDS), ("بين",), ("",), (), ("zz", "a b")]
    pieces = sorted({w for ws in lists for w in ws if w}) + ["ل", "لل", "ولل", "فل", "وف", "و", "ف", " ", "  ",
                                                             "ة", "ى", "a", "b", "،", "ـ", "\n", "ضدد", "نح"]
    rnd = random.Random(7)
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) + rnd.choice(("", " ", " ")) for _ in range(rnd.randrange(0, 9)))
        if rnd.random() < 0.3:   # a list word cut short or with a letter changed: all its letters but one
            w = rnd.choice(pieces)
            text += w[:-1] + rnd.choice("ابتث")
        for words in lists:
            want = places._holds_any_py(text, words)
            assert _sides.holds_any(text, words) is want, (text, words)
            found += want
        for s in range(len(text) + 2):
            assert _sides.targeted_at(text, s) is actors.targeted(text, s), (text, s)
    assert found > 1000


@needs_sides
def test_compiled_actor_markers_equal_their_python_twins():
    """The compiled markers search their pattern only where the text before the actor ends with
    one of the pattern's ends and holds one of its words (_sides._ends_in, _holds_in, no slice):
    on random texts of the markers' words, their letters, proclitics, spaces and near misses, at
    every offset (past the text's end too), each answers as the Python marker (a regular
    expression over the slice), the attacked test too ("تعرض" after, a victim verb before)."""
    import random
    from types import SimpleNamespace

    from marsad.components.events import _sides
    from marsad.doc import Span

    words = set(actors._AGENT_WORDS) | set(actors._LOSER_ENDS) | set(actors._TARGET_ENDS) | set(actors._VICTIM_WORDS)
    pieces = sorted(words | {"بين", "يتعرض", "تتعرض", "تعرض", "و", "ف", "ب", "ال", "من", " ", "  ", "\n", "\t",
                             "a", "ة", "ى", "،", "ا", "ن", "قبضة", "جيش"})
    rnd = random.Random(11)
    found = dict.fromkeys(("agent_marked", "between_marked", "loser_marked", "targeted_in", "attacked"), 0)

    def ctx_of(norm):
        return SimpleNamespace(doc=SimpleNamespace(norm=norm), agent_before={}, between_before={},
                               loser_before={}, targeted={}, attacked={}, _orig_starts=list(range(len(norm) + 1)),
                               nstart=lambda x: x.data["n0"], nend=lambda x: x.data["n1"])

    for _ in range(2500):
        norm = "".join(rnd.choice(pieces) + rnd.choice(("", " ", " ", " ")) for _ in range(rnd.randrange(0, 10)))
        if rnd.random() < 0.3:   # a word cut short or with a letter changed
            norm += rnd.choice(pieces)[:-1] + rnd.choice("ابتث ")
        c, py = ctx_of(norm), ctx_of(norm)
        for s in range(len(norm) + 2):
            for name in ("agent_marked", "between_marked", "loser_marked", "targeted_in"):
                got = getattr(_sides, name)(c, s)
                assert got == getattr(actors, "_%s_py" % name)(py, s), (name, norm, s)
                found[name] += bool(got)
            assert _sides.victim_verb_at(norm, s) == actors.victim_verb_before(norm, s), (norm, s)
            for e in range(s, min(len(norm), s + 6) + 1):
                x = Span(s, e, "x", norm[s:e], 0, {"n0": s, "n1": e})
                got = _sides.attacked(c, x)
                assert got == actors._attacked(py, x), (norm, s, e)
                found["attacked"] += bool(got)
        assert c.agent_before == py.agent_before and c.loser_before == py.loser_before
        assert c.between_before == py.between_before and c.targeted == py.targeted
    assert all(n > 20 for n in found.values()), found


@needs_sides
def test_compiled_range_word_tests_equal_slices():
    """_sides.holds_in(norm, lo, hi, words) is holds_any(norm[lo:hi], words), and ends_in is
    norm[lo:hi] with its trailing spaces left out ending with one of the words, for every range
    of random texts (ranges past the text's end and empty ones too)."""
    import random

    from marsad.components.events import _sides

    lists = [tuple(actors._TARGET_WORDS), tuple(actors._LOSER_ENDS), ("بين",), ("",), (), ("zz", "a b")]
    pieces = sorted({w for ws in lists for w in ws if w} | {" ", "\n", "و", "ل", "a", "b"})
    rnd = random.Random(3)
    hits = 0
    for _ in range(400):
        norm = "".join(rnd.choice(pieces) + rnd.choice(("", " ")) for _ in range(rnd.randrange(0, 7)))
        for lo in range(len(norm) + 2):
            for hi in range(max(0, lo - 1), len(norm) + 2):   # (no negative offsets: none is asked)
                for words in lists:
                    want = places._holds_any_py(norm[lo:hi], words)
                    assert _sides.holds_in(norm, lo, hi, words) is want, (norm, lo, hi, words)
                    hits += want
                    if all(w and not w[-1].isspace() for w in words):
                        want = norm[lo:hi].rstrip().endswith(words) if words else False
                        assert _sides.ends_in(norm, lo, hi, words) is want, (norm, lo, hi, words)
    assert hits > 1000


@needs_sides
def test_compiled_landmark_equals_its_python_twin():
    """The compiled landmark test searches the bearing's pattern only where the words before the
    place end with spaces after a last word that may close a match (_sides.bearing_last), the
    origin's only after "من", each in the range itself: on random texts of the three patterns'
    words, digits, spaces and near misses, a place at every offset, the same answer as
    places._landmark_py."""
    import random
    from types import SimpleNamespace

    from marsad.components.events import _sides
    from marsad.doc import Span

    pieces = sorted(set(places._BEARING_WORDS) | set(places._OFFICE_WORDS) | set(places._ORIGIN_WORDS)
                    | set(places._BEARING_LAST) | {"الشمال", "شمالي", "شرقي", "الغربي", "الي", "و", "ب", "ال",
                                                   "20", "كم", "كلم", "في", "ل", "محافظه", "القادمه", "شنها",
                                                   " ", "  ", "\n", "a", "ا"})
    rnd = random.Random(5)
    found = 0
    for _ in range(2500):
        norm = "".join(rnd.choice(pieces) + rnd.choice(("", " ", " ", " ")) for _ in range(rnd.randrange(0, 12)))
        if rnd.random() < 0.3:
            norm += rnd.choice(pieces)[:-1] + rnd.choice("ابتث ")
        norm += "حلب"
        c = SimpleNamespace(landmarks={}, _orig_starts=list(range(len(norm) + 1)))
        py = SimpleNamespace(landmarks={}, nstart=lambda x: x.data["n0"])
        doc = SimpleNamespace(norm=norm)
        for s in range(len(norm) + 1):
            p = Span(s, len(norm), "p", norm[s:], 0, {"n0": s, "n1": len(norm)})
            got = _sides.landmark(doc, c, p)
            assert got == places._landmark_py(doc, py, p), (norm, s)
            found += bool(got)
    assert found > 200, found


class _OtherSpan:
    """A span of another class (no Span slots): the compiled code asks its fields by name."""

    def __init__(self, s):
        self.start, self.end, self.label, self.text, self.sent, self.data = (
            s.start, s.end, s.label, s.text, s.sent, s.data)


@needs_sides
@pytest.mark.parametrize("variant", ["spans", "other_class", "reversed"])
def test_compiled_report_context_reads_spans_as_their_python_twins(variant):
    """The report's context compiled (_sides.mark_non_parties, main_country, actor_places: the
    spans' fields read from Span's slots, or by name for another class) marks, votes and picks as
    the Python twins, every report of the demo, composed and non-party texts, with and without
    the spans' cached normalised offsets (n0, n1), the layers in order or reversed (the compiled
    sort only copies a list already in order)."""
    from marsad.components.events import _sides, context
    from marsad.doc import Doc
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    texts = list(_reports()) + [(t, date(2015, 8, 10)) for t in NON_PARTIES]
    checked = 0
    for text, published in texts:
        for drop_offsets in (False, True):
            doc = Doc(text, published, {})
            for step in steps:
                step(doc)
            for name in ("actors", "places", "cues", "sources"):
                spans = doc.layer(name)
                if variant == "other_class":
                    spans[:] = [_OtherSpan(s) for s in spans]
                elif variant == "reversed":
                    spans.reverse()
                if drop_offsets:
                    for s in spans:
                        s.data.pop("n0", None)
                        s.data.pop("n1", None)
            assert _sides.main_country(doc) == context._main_country_py(doc)
            before = [dict(x.data) for x in doc.layer("actors")]
            ctx = context.Ctx(doc)   # (the compiled marks and places)
            got = [dict(x.data) for x in doc.layer("actors")]
            for x, d in zip(doc.layer("actors"), before):
                x.data.clear()
                x.data.update(d)
            shadow = context.Ctx.__new__(context.Ctx)
            shadow.doc, shadow.by_sent = doc, {k: context._by_sent_py(doc.layer(k))
                                               for k in ("actors", "sources", "cues", "places")}
            shadow.tok_starts, shadow._orig_starts = [t.start for t in doc.tokens], doc.offsets
            context._mark_non_parties_py(doc, shadow)
            assert got == [dict(x.data) for x in doc.layer("actors")], text
            all_actors = dict(shadow.by_sent["actors"])
            want = (set(), set())
            context._actor_places_py(doc, ctx, all_actors, *want)
            assert (ctx.in_actor, ctx.neighbours) == want, text
            checked += 1
    assert checked == 2 * len(texts)
