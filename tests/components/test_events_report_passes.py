"""The events step's per-report passes compiled (events/_fast.pyx API 7, _sides.pyx API 7) give
what their Python twins give, call by call, on the bundled reports and composed Arabic ones: the
tokens' starts and words read from their slots (context._token_field_py), the clause openers
looked up only for words of an opener's length and first letter (clauses._clause_openers_py),
and the other names of a place's list coded as incidents of their own (split._listed_siblings_py).
MARSAD_PURE=1 runs the twins (these comparisons then skip)."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

import pytest

from marsad.components.events import clauses, native
from marsad.components.events.context import Ctx, _token_field_py
from marsad.doc import Doc

from twin_reports import incident_state, reports

needs_fast = pytest.mark.skipif(native._fast is None, reason="events/_fast.pyx is not built (or MARSAD_PURE)")
needs_sides = pytest.mark.skipif(native._sides is None or native.candidate_path() is None,
                                 reason="events/_sides.pyx is not built (or MARSAD_PURE)")

# composed: clause openers of one and several words ("في حين"، "مما أدى"، "من جهة أخرى"), their
# first words where they open nothing ("في"، "من"), lists of places after plural and dual heads,
# a name the gazetteer lacks in a list, a town already coded
COMPOSED = [
    "قصفت قوات النظام قرى الحويز والحواش والعنكاوي في ريف حماة، فيما قتل 3 مدنيين في حلب.",
    "شنت طائرات التحالف غارات على مديريات حيس والخوخة وموزع غرب تعز مما أدى إلى مقتل 9 مسلحين.",
    "اقتحمت قوات الاحتلال قرى بيت أمر وسعير واعتقلت شبانا، في حين أصيب 4 آخرون من جهة أخرى.",
    "أصيب ثلاثة جنود بانفجار عبوة ناسفة في قريتي محمبل وجوزف بريف إدلب بعد أن قصف الجيش المنطقة.",
    "سيطر الجيش على مناطق الجفينة والسائلة والتباب السود في محافظة مأرب، الا ان المعارك مستمرة.",
    "قتل 5 مدنيين في قصف على بلدات كفرنبل وحاس وسراقب وقرية الزرقاء، كما قتل جندي في درعا.",
]


@needs_fast
def test_token_fields_from_slots_equal_their_python_twin():
    """Each report's tokens: the same starts and words, by identity, as attrgetter reads them; a
    token of another class, or one whose slot is unset, is asked by name."""
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    n = 0
    for text, published in reports(COMPOSED, seed=True):
        doc = nlp(text, published, {})
        for name in ("start", "norm", "end", "sent"):
            got, want = native._fast.token_field(doc.tokens, name), _token_field_py(doc.tokens, name)
            assert got == want and all(x is y for x, y in zip(got, want))
        n += len(doc.tokens)

    @dataclass
    class Other:   # no slots: asked by name
        start: int
        norm: str

    toks = Doc("قصف الجيش مدينة حلب").tokens
    mixed = [toks[0], Other(7, "في"), toks[1]]
    assert native._fast.token_field(mixed, "norm") == [toks[0].norm, "في", toks[1].norm]
    assert native._fast.token_field([Other(3, "x")], "start") == [3]
    assert native._fast.token_field([], "norm") == []
    assert n > 300   # the demo and the composed reports: 359 tokens (the seed report, with ../shared, more)


@needs_fast
def test_clause_openers_sifted_equal_their_python_twin():
    """The openers of each report and of random texts of openers' words, by the shipped words and
    by word lists the sifting cannot use (an empty first word, 70 first letters): the same starts."""
    from marsad.pipeline import default_pipeline

    words = clauses._CLAUSE_WORDS
    nlp = default_pipeline()
    pieces = sorted(words) + [w for rs in words.values() for r in rs for w in r] + ["قصف", "و", "،", "فيما؟", "اثرها"]
    rnd = random.Random(7)
    texts = [t for t, _ in reports(COMPOSED, seed=True)]
    texts += [" ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30))) for _ in range(400)]
    odd = dict(words)
    odd.update({chr(0x4E00 + k): ([],) for k in range(70)})
    found = 0
    for k, text in enumerate(texts):
        doc = nlp(text) if k < 12 else Doc(text)
        norms = [t.norm for t in doc.tokens]
        want = clauses._clause_openers_py(doc, norms)
        assert native._fast.clause_openers(doc.tokens, norms, words) == want, text
        found += len(want)
        saved, clauses._CLAUSE_WORDS = clauses._CLAUSE_WORDS, odd
        try:
            want_odd = clauses._clause_openers_py(doc, norms)
        finally:
            clauses._CLAUSE_WORDS = saved
        assert native._fast.clause_openers(doc.tokens, norms, odd) == want_odd
        assert native._fast.clause_openers(doc.tokens, norms, {"": ([],), **words}) == want
    assert found > 300


@needs_sides
def test_compiled_listed_siblings_equal_their_python_twin(monkeypatch):
    """split._listed_siblings compiled (_sides.listed_siblings) on every incident split_places asks
    it of, against split._listed_siblings_py on a copy of the incident and of the sets it fills:
    the same copies (field by field), split flag and names; and with split._list_items replaced
    (the compiled code asks the module's)."""
    from marsad.components.events import _sides, candidates, split
    from marsad.pipeline import Pipeline

    assert split._listed_siblings is _sides.listed_siblings
    seen = {"asked": 0, "copies": 0, "spied": 0}

    def both(doc, ctx, ev, si, place, covered, named):
        ev_py = copy.copy(ev)
        ev_py.fields = dict(ev.fields)
        cov_py, named_py = set(covered), set(named)
        want = split._listed_siblings_py(doc, ctx, ev_py, si, place, cov_py, named_py)
        got = _sides.listed_siblings(doc, ctx, ev, si, place, covered, named)
        assert [incident_state(e) for e in got] == [incident_state(e) for e in want]
        assert ev.split == ev_py.split and named == named_py and covered == cov_py
        seen["asked"] += 1
        seen["copies"] += len(got)
        return got

    cand = native.candidate_path()
    monkeypatch.setattr(split, "_listed_siblings", both)
    try:
        nlp = Pipeline()
        for text, published in reports(COMPOSED, seed=True):
            nlp(text, published, {})
        assert seen["asked"] >= 10 and seen["copies"] >= 4, seen
        # the list's items as split.py holds them: a spy the compiled code must ask
        items = split._list_items

        def spy(doc, ctx, si, place):
            seen["spied"] += 1
            return items(doc, ctx, si, place)

        monkeypatch.setattr(split, "_list_items", spy)
        for text, published in reports(COMPOSED[:2]):
            nlp(text, published, {})
        assert seen["spied"] >= 2
    finally:
        monkeypatch.undo()
        cand.bind_sentence(candidates)
