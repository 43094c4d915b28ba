"""Spans built without the dataclass's __init__ (doc.new_span, Doc.span, the lexicon and place
loops) are the same objects as ``Span(...)``: equal, the same repr, unhashable as before."""

from __future__ import annotations

import dataclasses

import pytest

from marsad.doc import Doc, Span, new_span


def test_span_is_still_six_plain_fields():
    # new_span sets exactly these; a new field or a __post_init__ would be skipped by it
    assert [f.name for f in dataclasses.fields(Span)] == ["start", "end", "label", "text", "sent", "data"]
    assert not hasattr(Span, "__post_init__")
    assert Span.__slots__ == ("start", "end", "label", "text", "sent", "data")


def test_new_span_is_span():
    data = {"location": "Homs", "n0": 3}
    a = Span(3, 7, "Homs", "حمص", 2, data)
    b = new_span(3, 7, "Homs", "حمص", 2, data)
    assert type(b) is Span and b == a and repr(b) == repr(a)
    assert b.data is data and b.to_evidence("location") == a.to_evidence("location")
    assert b != new_span(3, 7, "Homs", "حمص", 1, data)
    with pytest.raises(TypeError):
        hash(b)  # a dataclass with eq and no frozen: unhashable, as Span(...) is
    b.sent = 5  # the fields stay settable
    assert b.sent == 5 and b != a


def test_doc_span_matches_span_built_from_orig():
    text = "قُتل ثلاثة مدنيين في قصف على حمص. وأصيب آخرون في درعا."
    doc = Doc(text)
    for a, b in [(0, 4), (21, 24), (30, 33), (5, 5), (len(doc.norm) - 4, len(doc.norm))]:
        o0, o1 = doc.orig(a, b)
        got = doc.span(a, b, "x", doc.sentence_of(a), n0=a, n1=b)
        want = Span(o0, o1, "x", text[o0:o1], doc.sentence_of(a), {"n0": a, "n1": b})
        assert got == want and repr(got) == repr(want)
    assert doc.span(0, 4, "y") == Span(*doc.orig(0, 4), "y", text[slice(*doc.orig(0, 4))])


def test_step_spans_are_spans():
    # the lexicon and place loops build their spans inline: plain Spans, as before
    from marsad.pipeline import Pipeline

    doc = Pipeline()("قتل ثلاثة مدنيين وأصيب خمسة آخرون في قصف لقوات النظام على مدينة حمص يوم الاثنين.")
    spans = [s for layer in doc.layers.values() for s in layer]
    assert spans and {type(s) for s in spans} == {Span}
    for s in spans:
        assert Span(s.start, s.end, s.label, s.text, s.sent, s.data) == s
        assert s.text == doc.text[s.start:s.end] or s.label  # places keep location_ar as text
    assert any(s.label == "Homs" or "حمص" in s.text for s in doc.layers.get("places", []))
