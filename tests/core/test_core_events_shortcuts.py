"""The event step's shortcuts (branch speed9) give what the code they replace gives: a pattern
tried only where the text holds a word each of its matches needs, the report's clause marks by
str.find, the clause-word keys, the argument models' sums, the last clause break by bisection,
and the links between a sentence's places worked out only where the chain reaches."""

from __future__ import annotations

import json
import random
from itertools import repeat
from operator import mul
from pathlib import Path

import pytest

from marsad.components.events import actors, build, candidates, clauses, context, features, linear, places, rules
from marsad.components.events import scores, split
from marsad.components.events.places import holds_any
from marsad.doc import Doc, Span

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"


def _demo_texts() -> list[str]:
    return [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]


# (pattern, the words one of which each of its matches holds, pieces of text its matches are made of)
PREFILTERED = [
    ("YEAR", rules.YEAR, ("19", "20"), ["2015", "1990", "20155", "19"]),
    ("_BEARING", places._BEARING, places._BEARING_WORDS, ["20 كلم ", "الي ", "الشمال ", "شرقي ", "مدينه "]),
    ("_OFFICE", places._OFFICE, places._OFFICE_WORDS, ["المسؤول ", "الصحي ", "ب", "محافظه ", "في "]),
    ("_ORIGIN", places._ORIGIN, places._ORIGIN_WORDS, ["انطلاقا ", "القادمه ", "شنته ", "من ", "زحفت "]),
    ("NEIGHBOUR_BEFORE", rules.NEIGHBOUR_BEFORE, rules.NEIGHBOUR_WORDS,
     ["الحدود ", "حدودها ", "البريه ", "مع ", "المحاذيه ", "المتاخم ", "ل", "لل"]),
    ("_SAYS_BEFORE", context._SAYS_BEFORE, context._SAYS_WORDS, ["وقال ", "اعلنت ", "ف"]),
    ("_BLAME_BEFORE", context._BLAME_BEFORE, context._BLAME_WORDS, ["وحملت ", "اتهم ", "يتهم "]),
    ("AGENT_BEFORE", actors.AGENT_BEFORE, actors._AGENT_WORDS, ["من قبل ", "علي يد ", "بنيران ", "نفذه "]),
    ("VICTIM_VERB", actors.VICTIM_VERB, actors._VICTIM_WORDS, ["تعرضت ", "طالت ", "تعرضوا "]),
    ("LOSER_BEFORE", actors.LOSER_BEFORE, actors._LOSER_WORDS,
     ["طرد ", "وطردت ", "دحروا ", "من ", "قبضه ", "ايدي ", "منذ ", "و", "ال"]),
    ("BETWEEN", actors.BETWEEN, ("بين",), ["بين ", "بين", "وبين "]),
    ("_TAMMA", scores._TAMMA, ("تم", "جري"), ["وتم ", "جري ", "يتم ", "فتم "]),
    ("_AFTER_CLAUSE", candidates._AFTER_CLAUSE, ("بعد",), ["بعدما ", "بعد ان ", "وبعد ان "]),
    ("_TARGET_BEFORE", actors._TARGET_BEFORE, actors._TARGET_WORDS,
     ["علي ", "وضد ", "مواقع ", "المعسكرات ", "تابعه ", "بالاليات ", "نقطه ", "تابع "]),
    ("CAUSE", actors.CAUSE, actors._CAUSE_WORDS,
     ["جراء ", "بغارات ", "بغاره ", "بغار", "وفي ", "فيه ", "نتيجه ", "اثر ", "الاثر ", "بقصف "]),
    # NUMBER: one of its words or a digit of any script (its \d), as actors.number_in tests
    ("NUMBER", rules.NUMBER, lambda w: holds_any(w, rules.NUMBER_WORDS) or any(c.isdecimal() for c in w),
     ["7 ", "١٢ ", "٣", "خمسه ", "وعشرات ", "بضعه ", "مايه ", "الست ", "عده ", "عدد ", "الفا ", "ثمانيه "]),
]


@pytest.mark.parametrize("name,rx,need,pieces", PREFILTERED, ids=[p[0] for p in PREFILTERED])
def test_a_pattern_matches_only_where_one_of_its_words_is(name, rx, need, pieces):
    """Where the pattern matches in text[lo:hi] (searched as the step searches it, with pos and
    endpos, or on the slice), the slice holds one of the words: skipping the search where none is
    gives the same answer. (``need``: the words, or the prefilter itself.)"""
    rnd = random.Random(sum(map(ord, name)))
    cued = need if callable(need) else (lambda w: holds_any(w, need))
    need = () if callable(need) else need
    parts = pieces * 3 + list(need) + [w[:-1] for w in need if len(w) > 2] + [
        "و", "ف", "ب", "ال", "الي", "من", "في", "كم", "20", "15", "3", " ", " ", " ", "  ", "\n",
        ",", "مدينه", "قوات", "قريه", "ان", "قبل", "يد", "x", "_"]
    texts = [Doc(t).norm for t in _demo_texts()]
    texts += ["".join(rnd.choice(parts) for _ in range(rnd.randint(1, 8))) for _ in range(4000)]
    found = skipped = 0
    for text in texts:
        n = len(text)
        for _ in range(6 if n > 60 else 3):
            hi = n if rnd.random() < 0.5 else rnd.randint(0, n)
            lo = max(0, hi - rnd.choice((8, 10, 12, 14, 16, 24, 40, n)))
            window = text[lo:hi]
            for hit in (rx.search(text, lo, hi), rx.search(window)):
                if hit:
                    found += 1
                    assert cued(window), (name, window)
            if not cued(window):
                skipped += 1
    assert found > 50 and skipped > 50, (found, skipped)   # the test saw both sides


def test_protest_score_from_the_sentence_tests_equals_the_scans(rules_nlp, monkeypatch):
    """score() given the sentence's support and crowd tests (made once per sentence) scores each
    candidate of the demo reports as scanning the sentence with the patterns does."""
    orig = scores.score
    seen = []

    def both(doc, ctx, ev, g, has_time, casualties, cues, sent_text="", support=None, crowd=None):
        got = orig(doc, ctx, ev, g, has_time, casualties, cues, sent_text, support, crowd)
        assert got == orig(doc, ctx, ev, g, has_time, casualties, cues, sent_text)
        seen.append(ev.kind in rules.PROTEST_KINDS)
        return got

    monkeypatch.setattr(candidates, "score", both)
    for t in _demo_texts() + ["تظاهر آلاف المواطنين أمس في البصرة للمطالبة بتحسين الخدمات ورفعوا لافتات."]:
        rules_nlp(t)
    assert any(seen) and not all(seen)


def test_punct_marks_equal_the_pattern():
    rnd = random.Random(9)
    parts = [",", ":", ";", "(", ")", "[", "]", "،", "-", " ", "قصف", "x", "\n"]
    texts = [Doc(t).norm for t in _demo_texts()] + ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30)))
                                                    for _ in range(2000)]
    for text in texts:
        assert clauses.punct_marks(text) == [m.start() for m in clauses._PUNCT_CHAR.finditer(text)]


def test_clause_keys_made_by_missing_words_and_bounded(monkeypatch):
    keys = features._ClauseKeys()
    monkeypatch.setattr(features, "_MAX_CLAUSE_KEYS", 3)
    words = ["والقصف", "بالمدينه", "قصف", "لل", "وال", "المعارك", "x"]
    got = dict.fromkeys(map(keys.__getitem__, words), 1.0)
    assert list(got) == list(dict.fromkeys("cw:" + features._stem(w) for w in words))
    assert len(keys) <= 4    # emptied past the bound, the keys still right
    assert keys["قصف"] == "cw:قصف"


def test_dot_is_the_generator_sum_bit_for_bit():
    rnd = random.Random(5)
    names = ["f%d" % i for i in range(40)]
    for _ in range(2000):
        w = {k: rnd.uniform(-3, 3) for k in rnd.sample(names, rnd.randint(0, 40))}
        f = {k: rnd.choice((1.0, rnd.uniform(-1, 1))) for k in rnd.sample(names, rnd.randint(0, 40))}
        want = sum(w.get(k, 0.0) * v for k, v in f.items())
        got = linear.dot(w, f)
        assert got == want and repr(got) == repr(want)
        assert got == sum(map(mul, map(w.get, f, repeat(0.0)), f.values()))


def test_last_break_equals_the_list():
    rnd = random.Random(3)
    for _ in range(5000):
        breaks = sorted(rnd.randint(0, 60) for _ in range(rnd.randint(0, 8)))
        lo, hi = rnd.randint(0, 60), rnd.randint(0, 60)
        brk = [x for x in breaks if lo <= x <= hi]
        assert build.last_break(breaks, lo, hi) == (brk[-1] if brk else lo)


def test_place_links_worked_out_lazily_give_the_same_events(rules_nlp, monkeypatch):
    """split_places with every link of the sentence worked out first (the code before) codes the
    demo reports as with the links worked out only where the chain reaches."""
    texts = _demo_texts() + [
        "قصفت قوات النظام قرى كفرنبل وحاس ومعرة النعمان وسراقب في ريف إدلب يوم الأحد، ما أسفر عن مقتل 12 مدنيا.",
        "شن طيران التحالف غارات على مديرية حيس بمحافظة الحديدة، ومديرية ميدي وحرض، وقتل 7 أشخاص.",
        "تظاهر المئات في البصرة وذي قار والحلة والنجف احتجاجا على انقطاع الكهرباء أمس."]

    def run():
        out = []
        for t in texts:
            doc = rules_nlp(t)
            out.append(json.dumps(doc.to_json()["events"], ensure_ascii=False, sort_keys=True, default=str))
        return out

    lazy = run()
    asked = []

    class Eager(split._Links):
        def __init__(self, doc, ctx, here, known):
            super().__init__(doc, ctx, here, known)
            for k in range(len(here) - 1):
                self[k]
            asked.append(len(here))

    monkeypatch.setattr(split, "_Links", Eager)
    assert run() == lazy
    assert asked and max(asked) > 2


def _docs_before_events():
    """The demo reports with the steps before the events step run on them."""
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    names = [n for n, _ in nlp.steps]
    before = nlp.steps[:names.index("events")]
    for text in _demo_texts():
        doc = Doc(text)
        for _, step in before:
            step(doc)
        yield doc


def test_cluster_of_a_word_is_the_table_lookup_and_bounded(monkeypatch):
    from marsad.lang import clusters

    if not clusters.read_table(clusters.PATH):
        pytest.skip("no word clusters built")
    words = [t.norm for text in _demo_texts()[:3] for t in Doc(text).tokens] + ["", "x"]
    assert any(clusters.lookup(w) is not None for w in words)
    monkeypatch.setattr(features, "_CLUSTER_OF", features._ClusterOf())
    monkeypatch.setattr(features, "_MAX_CLAUSE_KEYS", 50)
    for _ in range(2):   # asked again: the remembered answers
        for w in words:
            assert features._cluster(w) == (clusters.lookup(w) if w else None)
    assert len(features._CLUSTER_OF) <= 51    # emptied past the bound, the answers still right


def test_place_index_gives_each_sentence_its_best_place():
    """places.attach.PlaceIndex, kept by the event step for a report, answers as the places layer
    read afresh: the most specific usable place, the closest on ties, then the first; the
    report's main place."""
    from marsad.places import attach

    def best(spans, start, end):   # attach._best as it read the layer before the index
        spans = [s for s in spans if attach._usable(s)]
        return min(spans, key=lambda s: (attach._rank(s), attach._distance(s, start, end)), default=None)

    asked = 0
    for doc in _docs_before_events():
        ctx = context.Ctx(doc)
        index = ctx.place_index
        assert index.main() is attach.main_place(doc)
        for si, (a, b) in enumerate(doc.sentences):
            for t in doc.tokens:
                if a <= t.start < b:
                    s, e = doc.orig(t.start, t.end)
                    assert attach._best(index.usable(si), s, e) is best(doc.in_sentence("places", si), s, e)
                    assert attach.place_for_event(doc, si, s, e, index) == attach.place_for_event(doc, si, s, e)
                    asked += 1
    assert asked > 100


def _trigger_words_before(doc, ctx, t):
    """features._trigger_words as it was before its own part was kept per process (speed12)."""
    f = {}
    toks, norm = doc.tokens, doc.norm
    pat = t.data.get("pattern", "")
    f["p:" + pat] = 1.0
    pre = t.data.get("prefix", "")
    if pre:
        f["pre:" + pre] = 1.0
    word = norm[t.data.get("core_start", t.data["n0"]):t.data["n1"]]
    suf = word[len(pat):] if word.startswith(pat) else ""
    if suf:
        f["suf:" + suf] = 1.0
    f["pos:" + t.data.get("pos", "n")] = 1.0
    c = features._cluster(word)
    if c is not None:
        f["c:%d" % c[0]] = 1.0
        f["cf:%d" % c[1]] = 1.0
    i, j = ctx.ntok(t.data["n0"]), ctx.ntok(t.data["n1"])
    if i > 0 and toks[i - 1].sent == t.sent:
        c = features._cluster(toks[i - 1].norm)
        if c is not None:
            f["c-1:%d" % c[1]] = 1.0
    if j < len(toks) and toks[j].sent == t.sent:
        c = features._cluster(toks[j].norm)
        if c is not None:
            f["c+1:%d" % c[1]] = 1.0
    return f


def test_trigger_words_from_the_kept_own_part_are_the_same_keys_in_order(monkeypatch):
    """A trigger's word features, its own part kept per (pattern, proclitic, word, part of speech)
    and its neighbours' clusters added after it, are the keys the one-piece code made, in its
    order (the sums add them in order), asked twice (the kept answer) and past the bound."""
    from marsad.components.events.gapped import find

    monkeypatch.setattr(features, "_OWN_WORDS", {})
    monkeypatch.setattr(features, "_MAX_CLAUSE_KEYS", 5)
    from marsad.components.events.kinds import trigger_matcher

    m = trigger_matcher()
    n = 0
    for doc in _docs_before_events():
        candidates._match(doc, m.hits(doc.norm), "triggers")
        for sp in find(doc):
            doc.add("triggers", sp)
        ctx = context.Ctx(doc)
        for t in doc.layer("triggers"):
            want = _trigger_words_before(doc, ctx, t)
            for _ in range(2):
                got = features._trigger_words(doc, ctx, t)
                assert list(got.items()) == list(want.items())
            n += 1
    assert n > 20
    assert len(features._OWN_WORDS) <= 6


def test_actor_out_in_is_actor_out_asked_once_per_actor_and_country(monkeypatch):
    doc = Doc("قصفت قوات النظام مواقع لتنظيم داعش في حلب.")
    ctx = context.Ctx(doc)
    x = Span(0, 5, "Military Forces of {country}", "قوات", 0, {"inter": 1, "kind": "state"})
    asked = []
    real = actors.actor_out
    monkeypatch.setattr(actors, "actor_out", lambda sp, c: asked.append(c) or real(sp, c))
    for country in ("SY", "SY", "IQ", None, "SY"):
        assert actors.actor_out_in(ctx, x, country) == real(x, country)
    assert asked == ["SY", "IQ", None]
    assert actors.actor_out_in(ctx, None, "SY") == (None, None)


def test_between_marked_is_the_pattern_before_each_offset_asked_once():
    """actors.between_marked (kept per offset of a report) answers as BETWEEN searched in the 8
    characters before the offset, at every offset of the demo reports and of texts made of its
    pieces."""
    rnd = random.Random(8)
    parts = ["بين", "وبين", "بينهم", " ", "  ", "\n", "قوات", "و", "x", "ال"]
    texts = [Doc(t).norm for t in _demo_texts()[:20]]
    texts += [Doc("".join(rnd.choice(parts) for _ in range(rnd.randint(1, 10)))).norm for _ in range(300)]
    hits = 0
    for norm in texts:
        ctx = context.Ctx(Doc(norm))
        for s in range(len(ctx.doc.norm) + 1):
            want = actors.BETWEEN.search(ctx.doc.norm[max(0, s - 8):s]) is not None
            for _ in range(2):   # (the second answer is the kept one)
                assert actors.between_marked(ctx, s) == want
            hits += want
    assert hits > 20


def _clause_openers_by_join(doc: Doc) -> list[int]:
    """The clause openers as first written: each opener's rest compared as one joined string."""
    rests: dict[str, tuple[str, ...]] = {}
    for w in clauses.words("clause_opener"):
        ws = w.split()
        rests[ws[0]] = rests.get(ws[0], ()) + (" ".join(ws[1:]),)
    norms = [t.norm for t in doc.tokens]
    out = []
    for i, w in enumerate(norms):
        for rest in rests.get(w, ()):
            k = len(rest.split())
            if not rest or (i + k < len(norms) and " ".join(norms[i + 1:i + 1 + k]) == rest):
                out.append(doc.tokens[i].start)
                break
    return out


def test_clause_openers_by_next_word_equal_the_joined_rests():
    """(branch events16) The openers' rests compared word by word, the next word first."""
    firsts = sorted(clauses._CLAUSE_WORDS)
    pieces = firsts + [w for rs in clauses._CLAUSE_WORDS.values() for r in rs for w in r] + ["قصف", "و", "،", "."]
    rnd = random.Random(16)
    found = 0
    for text in _demo_texts()[:20] + [" ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30)))
                                       for _ in range(500)]:
        doc = Doc(text)
        got = clauses._clause_openers(doc)
        assert got == _clause_openers_by_join(doc), text
        found += len(got)
    assert found > 500


# reports whose places follow list heads ("قرى"، "بلدتي"، "مديريات") and whose sides are joined by "و"
_LISTS = [
    "قصفت قوات النظام قرى كفرنبل وحاس ومعرة النعمان وسراقب في ريف إدلب يوم الأحد، ما أسفر عن مقتل 12 مدنيا.",
    "حاصر مسلحو المعارضة وجبهة النصرة بلدتي كفريا والفوعة، واستهدفوا مواقع قوات النظام وحزب الله بالقذائف أمس.",
    "شن طيران التحالف غارات على مديريات حيس والخوخة وزبيد بمحافظة الحديدة، وقتل 7 أشخاص.",
    "اندلعت اشتباكات بين قوات الجيش واللجان الشعبية ومسلحي الحوثي وقوات صالح في مدينة تعز اليوم."]


def _coded_events(nlp) -> list[str]:
    return [json.dumps(nlp(t).to_json()["events"], ensure_ascii=False, sort_keys=True, default=str)
            for t in _demo_texts() + _LISTS]


def test_list_items_looked_for_only_where_a_head_word_is(monkeypatch):
    """split._list_items returns at once where the words before a place hold no list head: the
    events are those of the full scan (with the head test passing every place, the scan runs for
    each), and both sides were seen."""
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    found, orig = [], split._list_items

    def spy(doc, ctx, si, place):
        got = orig(doc, ctx, si, place)
        found.append(bool(got))
        return got

    monkeypatch.setattr(split, "_list_items", spy)
    quick = _coded_events(nlp)
    assert True in found and False in found
    monkeypatch.setattr(split, "_head_before", lambda text, lo, n0, s1: True)
    assert _coded_events(nlp) == quick


def test_head_word_test_is_the_head_loops_verdict():
    """split._head_among says whether the head loop of _list_items would find a head among the
    words: one of the last 12 (or its bare form, "وقرى") is a head; a word that merely holds one
    ("تقرير" holds "قري", which the substring test passes) is none."""
    assert not split._head_among(split._LIST_WORD.findall("وذكر تقرير للامم المتحده ان القصف طال حلب"))
    assert split.holds_any("وذكر تقرير للامم المتحده", split._HEAD_WORDS)   # (what the exact test is for)
    assert split._head_among(["قصفت", "وقري", "كفرنبل"])
    assert not split._head_among(["قري"] + ["كلمه"] * 12)
    rng = random.Random(5)
    pool = sorted(split._HEADS)[:20] + ["تقرير", "قريب", "بلدي", "المدنيين", "حلب", "قصف"]
    for _ in range(3000):
        ws = [rng.choice("وفبل" if rng.random() < 0.3 else [""]) + rng.choice(pool) for _ in range(rng.randint(1, 16))]
        assert split._head_among(ws) == any(split._bare(w) in split._HEADS for w in ws[-12:]), ws


def test_compiled_head_test_is_the_python_one():
    """_sides.head_before (the words read back from the place's first one) gives
    split._head_before_py's verdict on random texts: heads, bare and clitic forms, words that hold
    a head, the list's punctuation, quotes and spaces of several kinds, places inside a word, at
    the text's end or past the sentence's."""
    from marsad.components.events.native import _sides

    if _sides is None:
        pytest.skip("events/_sides.pyx is not built (or MARSAD_PURE)")
    rng = random.Random(7)
    pool = sorted(split._HEADS)[:25] + ["تقرير", "قريب", "بلدي", "المدنيين", "حلب", "قصف", "x1", "٣"]
    gaps = [" ", "  ", ", ", "، ", "\n", "\u00a0", " «", "» ", "(", ") ", ".", "؛ ", "\t", "-", "[", "]", "'", "“"]
    seen = {True: 0, False: 0}
    for _ in range(4000):
        text = ""
        for _ in range(rng.randint(0, 20)):
            text += rng.choice(gaps) + rng.choice(["", "و", "ف", "ب", "ل"]) + rng.choice(pool)
        text += rng.choice(["", " ", ")"])
        n = len(text)
        lo, n0 = rng.randint(0, n), rng.randint(0, n + 2)
        s1 = rng.choice([n, n + 3, rng.randint(0, n + 1)])
        want = split._head_before_py(text, lo, n0, s1)
        assert _sides.head_before(split._HEADS, text, lo, n0, s1) == want, (text, lo, n0, s1)
        seen[want] += 1
    assert min(seen.values()) > 500


def test_conjunct_heads_kept_per_stretch_give_the_same_sides(monkeypatch):
    """The heads of a stretch's actors ("قوات النظام وحزب الله") are worked out once per report:
    the events are those of working them out for every candidate."""
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    kept = _coded_events(nlp)

    class Forget(dict):
        def __setitem__(self, key, value):   # nothing kept: each candidate works them out again
            pass

    init = context.Ctx.__init__

    def forgetful(self, doc):
        init(self, doc)
        self.conjunct_heads = Forget()

    monkeypatch.setattr(context.Ctx, "__init__", forgetful)
    assert _coded_events(nlp) == kept


def test_conjunct_heads_are_those_of_the_stretch_asked(monkeypatch):
    """"قوات النظام وحزب الله": in a stretch holding both, Hezbollah's head is the regime forces;
    in a stretch holding Hezbollah alone, Hezbollah (the heads kept for one stretch are not
    another's)."""
    from marsad.pipeline import default_pipeline

    made, init = [], context.Ctx.__init__

    def spy(self, doc):
        init(self, doc)
        made.append(self)

    monkeypatch.setattr(context.Ctx, "__init__", spy)
    doc = default_pipeline()("قصفت قوات النظام وحزب الله مدينة الزبداني أمس.")
    ctx = made[-1]
    regime, hezbollah = ctx.sl("actors", 0)

    def name(x):
        return actors.actor_out_in(ctx, x, None)[0]

    assert actors._first_conjuncts(doc, ctx, [regime, hezbollah], hezbollah, None, name)[0] is regime
    assert actors._first_conjuncts(doc, ctx, [hezbollah], hezbollah, None, name)[0] is hezbollah
    assert actors._first_conjuncts(doc, ctx, [regime, hezbollah], None, hezbollah, name)[1] is regime


def test_inside_any_is_any_pair_holding_the_stretch():
    """context.inside_any (a place inside an actor's name, a trigger inside a place name) answers
    as any() over the pairs, at the ends of the pairs too."""
    rnd = random.Random(16)
    for _ in range(2000):
        pairs = [tuple(sorted((rnd.randint(0, 30), rnd.randint(0, 30)))) for _ in range(rnd.randint(0, 4))]
        s = rnd.randint(0, 30)
        e = s + rnd.randint(0, 6)
        assert context.inside_any(pairs, s, e) == any(x0 <= s and e <= x1 for x0, x1 in pairs)
    assert context.inside_any([(5, 9)], 5, 9) and not context.inside_any([(5, 9)], 4, 9)


def test_gapped_rule_scan_loops_answer_as_all_and_any():
    """gapped.find's tests of a report (sentences in order, a rule's words found by the scan) as
    loops: the same answers as the all()/any() they replace, on random inputs."""
    from marsad.components.events import gapped

    rnd = random.Random(61)
    for _ in range(2000):
        sents, at = [], 0
        for _ in range(rnd.randint(0, 5)):
            a = at + rnd.randint(-3, 3)
            b = a + rnd.randint(0, 6)
            sents.append((a, b))
            at = b
        assert gapped._in_order(sents) == all(sents[k][1] <= sents[k + 1][0] for k in range(len(sents) - 1))
        occ = {w: [0] * rnd.randint(0, 1) for w in "abcd" if rnd.random() < 0.6}
        words = tuple(rnd.sample("abcde", rnd.randint(0, 3)))
        assert gapped._occurs(occ, words) == any(occ.get(w) for w in words)
    assert not gapped._in_order([(0, 5), (4, 9)]) and gapped._in_order([(0, 5), (5, 9)])


def test_rejected_clause_placed_among_the_groups_as_the_sort_of_the_groups():
    """A clause of triggers the rules drop goes among the sentence's groups where sorting the
    groups by their first trigger puts it (stable: after the groups that start where it does),
    from the groups' first offsets read once."""
    rnd = random.Random(62)

    def group(n0s):
        return [Span(0, 1, "x", "x", 0, {"n0": n, "n1": n + 2}) for n in n0s]

    for _ in range(1000):
        merged = [group([rnd.randint(0, 20) for _ in range(rnd.randint(1, 3))]) for _ in range(rnd.randint(0, 4))]
        g = group([rnd.randint(0, 20) for _ in range(rnd.randint(1, 3))])
        firsts = [candidates._first_n0(x) for x in merged]
        assert firsts == [min(t.data["n0"] for t in x) for x in merged]
        allg, k = candidates._placed_among(merged, firsts, g)
        want = sorted(merged + [g], key=lambda x: min(t.data["n0"] for t in x))
        assert len(allg) == len(want) and all(x is y for x, y in zip(allg, want))
        assert k == next(i for i, x in enumerate(want) if x is g)
    a, b = group([5]), group([5])
    assert candidates._placed_among([a], [5], b) == ([a, b], 1)


def test_cause_and_count_between_a_trigger_and_an_actor_are_the_patterns_searches():
    """actors.cause_in and number_in (prefiltered) answer as CAUSE.search and NUMBER.search do,
    digits of other scripts included."""
    rnd = random.Random(16)
    parts = ["في ", "فيها ", "جراء ", "بغارات ", "7 ", "٤ ", "خمسه ", "الستار ", "عدد ", "قوات ", "مقتل ",
             "من ", "و", "ال", " ", "x", "بقصفها "]
    texts = [Doc(t).norm for t in _demo_texts()]
    texts += ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 6))) for _ in range(3000)]
    for text in texts:
        assert actors.cause_in(text) == (actors.CAUSE.search(text) is not None), text
        assert actors.number_in(text) == (rules.NUMBER.search(text) is not None), text
    assert actors.number_in("قتل ٣ مدنيين") and not actors.number_in("قتل مدنيون")
    assert actors.cause_in("مقتل جنديين جراء") and not actors.cause_in("مقتل جنديين من")
