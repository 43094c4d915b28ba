"""split's list link between two places compiled (events/_fast.pyx's link) answers as its Python
twin split._link_py, and the report's party actors compiled (_fast.party_actors) leave what
context._party_actors_py leaves: on real and composed reports' places and on place spans made at
every word (with and without their n0/n1, of every feature, usable or not), with doc.Span and a
subclass (fields read by name), with a Ctx and another context (its nstart/nend asked).
MARSAD_PURE=1 runs the twins (these comparisons then skip)."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from marsad.components.events import native
from marsad.components.events.context import Ctx
from marsad.doc import Doc, Span, new_span

from test_events_clause_list_passes import LISTS
from twin_reports import reports

needs_fast = pytest.mark.skipif(native._fast is None, reason="events/_fast.pyx is not built (or MARSAD_PURE)")

# governorates after list items ("the item lies there")
QUALIFIED = [
    "شنت طائرات التحالف غارات على مديرية «حيس» بمحافظة «الحديدة»، ومديرية «ميدي» في محافظة حجة.",
    "قتل 4 مدنيين في قصف على منطقة «رحبان» بمحافظة صعدة وقرية المحمبل في ريف إدلب.",
]
_FEATURES = ["city", "village", "admin1", "admin2", "country", "area", "region", None]


class _OtherSpan(Span):
    """A span of another class: its fields read by name."""


class _OtherCtx(Ctx):
    """A context of another class: its nstart/nend asked."""


def _place_data(rnd: random.Random, a: int, b: int) -> dict:
    d = {"feature": rnd.choice(_FEATURES)}
    if rnd.random() < 0.7:
        d.update(n0=a, n1=b)
    if rnd.random() < 0.8:
        d["latitude"] = 33.5
    if rnd.random() < 0.3:
        d["resolved"] = rnd.random() < 0.5
    if rnd.random() < 0.3:
        d["score"] = rnd.choice([0, 3, 5, 9, "7"])
    return d


def _places(doc: Doc, rnd: random.Random) -> list:
    """The report's places, then place spans at word starts of each sentence, by start."""
    out = list(doc.layer("places"))
    for si, (s0, s1) in enumerate(doc.sentences):
        for t in doc.tokens:
            if s0 <= t.start < s1 and rnd.random() < 0.5:
                a, b = t.start, t.end
                o1 = doc.offsets[b] if b < len(doc.offsets) else len(doc.text)
                cls = Span if rnd.random() < 0.8 else _OtherSpan
                sp = new_span(doc.offsets[a], o1, "LOC", doc.norm[a:b], si, _place_data(rnd, a, b))
                out.append(sp if cls is Span else _OtherSpan(sp.start, sp.end, sp.label, sp.text, sp.sent, sp.data))
    return out


def _docs():
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    for text, published in reports(LISTS + QUALIFIED, seed=True):
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        yield doc


@needs_fast
def test_link_equals_its_python_twin():
    """Each pair of neighbouring places of a sentence (and random pairs): the same link."""
    from marsad.components.events import _fast, split

    assert split._link is _fast.link
    rnd = random.Random(16)
    seen = defaultdict(int)
    for doc in _docs():
        places = _places(doc, rnd)
        for ctx in (Ctx(doc), _OtherCtx(doc)):
            by_sent = defaultdict(list)
            for p in places:
                by_sent[p.sent].append(p)
            for ps in by_sent.values():
                ps.sort(key=lambda p: p.start)
                pairs = list(zip(ps, ps[1:])) + [(rnd.choice(ps), rnd.choice(ps)) for _ in range(len(ps))]
                for x, y in pairs:
                    want = split._link_py(doc, ctx, x, y)
                    assert _fast.link(doc, ctx, x, y) == want, (doc.norm[ctx.nend(x):ctx.nstart(y)], y.data)
                    seen[want] += 1
    # (the composed reports alone give 24 items; the seed report, when ../shared is beside the
    # repository, more)
    assert seen["item"] >= 20 and seen["qualifier"] >= 5 and seen[None] >= 500, dict(seen)


@needs_fast
def test_party_actors_equal_their_python_twin():
    """Random sentences of actors whose data's "not_party" is missing, false or true, of both span
    classes, in a dict and a defaultdict: the same keys in the same order, new lists of the same
    spans."""
    from marsad.components.events import _fast
    from marsad.components.events.context import _party_actors_py

    rnd = random.Random(7)
    marks = [None, "", 0, False, "source", "speaker", 1, True, "absent"]
    for n in range(300):
        src = {}
        for si in rnd.sample(range(40), rnd.randint(0, 8)):
            xs = []
            for k in range(rnd.randint(0, 5)):
                mark = rnd.choice(marks)
                data = {} if mark == "absent" else {"not_party": mark}
                cls = Span if rnd.random() < 0.8 else _OtherSpan
                xs.append(cls(k, k + 1, "ACT", "x", si, data))
            src[si] = xs
        for kind in (dict, lambda d: defaultdict(list, d)):
            got, want = kind(dict(src)), kind(dict(src))
            _fast.party_actors(got)
            _party_actors_py(want)
            assert list(got) == list(want) == list(src)
            for si in src:
                assert got[si] is not src[si] and [id(x) for x in got[si]] == [id(x) for x in want[si]]


# gap pieces: list words and links, every class character of the patterns, other spaces and
# letters, words glued to و, NUL
_GAP_PIECES = [" ", "  ", "\u00a0", "\t", "\n", "\u2003", "\x00", "و", " و", "،", ",", "«", "»", "“", "”", "'", "\"",
               "(", ")", "في ", "وفي ", "وفي", "ب", "من ", "الي ", "فضلا عن ", "منها", "بينها ", "من بينها ",
               "بالاضافه الي ", "وكذلك", "او ", "ثم", "قريه", "وقريتي ", "بلدات ", "مدن", "محافظه ", "(جنوب)",
               "( شمال شرق )", "وسط", "اخري ", "متفرقه ", "3 ", "خمسه ", "اخرين ", "قرب ", "دمت ", "اعتقلت ", "x",
               ".", "؛"]


@needs_fast
def test_item_gap_sifted_equals_its_python_twin(monkeypatch):
    """_fast.item_gap against split._item_gap_py on random gaps (the sift by the first letters and
    the runs of letters), and with a pattern replaced (then asked on every gap)."""
    from marsad.components.events import _fast, split
    import re

    rnd = random.Random(11)
    gaps = ["".join(rnd.choice(_GAP_PIECES) for _ in range(rnd.randint(0, 7))) for _ in range(20000)]
    gaps += ["", " و", "و", " (جنوب) و", " و5 اخرين من قريه ", " ومواقع اخري في ", "من بينها قريه", " ,« بالاضافه الي وقريه »",
             "من بينها وقريه x", "\x00و", "و\x00", " (\x00"]
    found = 0
    for gap in gaps:
        want = split._item_gap_py(gap)
        assert _fast.item_gap(gap) is want, gap
        found += want
    assert 200 <= found < len(gaps) - 200
    # a pattern in the place of the shipped one: asked for every gap, no sift
    monkeypatch.setattr(split, "_COORD_GAP", re.compile(r"^.*$", re.S))
    for gap in gaps[:3000]:
        assert _fast.item_gap(gap) is split._item_gap_py(gap), gap


@needs_fast
def test_by_sent_runs_equal_their_python_twin():
    """_fast.by_sent (a run of one sentence's spans appended to the list at hand) against
    context._by_sent_py: spans in runs, interleaved and back to an earlier sentence, sentences as
    equal ints of distinct objects, both span classes: the same lists, keys in the same order."""
    from marsad.components.events import _fast
    from marsad.components.events.context import _by_sent_py

    rnd = random.Random(9)
    for n in range(500):
        spans = []
        for k in range(rnd.randint(0, 30)):
            si = rnd.choice([0, 1, 2, 7, 300, 301]) if rnd.random() < 0.5 or not spans else spans[-1].sent
            if si >= 300 and rnd.random() < 0.5:
                si = int(str(si))   # (an equal int, another object)
            cls = Span if rnd.random() < 0.8 else _OtherSpan
            spans.append(cls(k, k + 1, "X", "x", si, {}))
        got, want = _fast.by_sent(spans), _by_sent_py(spans)
        assert list(got) == list(want) and got == want and type(got) is type(want)
        assert all([id(x) for x in got[si]] == [id(x) for x in want[si]] for si in want)


@needs_fast
def test_str_comparisons_equal_python_equality():
    """_cand's _eq and _in (a str compared by length, hash, kind and letters) against == and in:
    equal strings of distinct objects, hashed or not, of every kind (ASCII, Latin-1, Arabic, beyond
    the BMP), a str subclass, None, numbers."""
    cand = native.candidate_path()
    if cand is None:
        pytest.skip("events/_cand.pyx is not built (or MARSAD_PURE)")

    class Sub(str):
        pass

    rnd = random.Random(4)
    alphabet = ["a", "b", "é", "ÿ", "ق", "ت", "ل", "\U0001f600", "\x00"]
    words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 4))) for _ in range(300)]
    words += ["actor1", "actor2", "location", "kill", "Armed clash", "Battles"]
    for _ in range(20000):
        a, b = rnd.choice(words), rnd.choice(words)
        if rnd.random() < 0.3:
            a = "".join(list(b))   # (equal, another object, maybe not hashed)
        if rnd.random() < 0.5:
            hash(a)
        if rnd.random() < 0.5:
            hash(b)
        if rnd.random() < 0.05:
            a = rnd.choice([None, 3, 2.5, Sub(b), Sub(a), (b,)])
        assert cand.eq_of(a, b) is (a == b), (a, b)
        opts = tuple(rnd.sample(words, 3)) + ((b,) if rnd.random() < 0.5 else ())
        assert cand.in_of(a, opts) is (a in opts), (a, opts)


def test_built_incident_fields_set_in_place():
    """build_event sets every field of Incident, each once, in its slot (the whole incidents are
    compared with the Python path's in test_events_cand)."""
    import dataclasses

    from marsad.components.events.incident import Incident

    cand = native.candidate_path()
    if cand is None:
        pytest.skip("events/_cand.pyx is not built (or MARSAD_PURE)")
    names = [f.name for f in dataclasses.fields(Incident)]
    assert sorted(cand.BUILT) == sorted(names) and cand.BUILT_IN_PLACE
