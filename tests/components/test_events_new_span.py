"""The events step's spans made in place (events/_fast.pyx ``new_span``: doc.Span's slots set
from C, no object.__new__ call or attribute set by name) are the spans ``doc.new_span`` makes:
the same class, fields, identity of the values, references held and garbage-collector tracking.
Skipped with MARSAD_PURE=1 (the compiled module is not loaded)."""

from __future__ import annotations

import gc
import random
import sys

import pytest

from marsad.components.events import native
from marsad.doc import Span, new_span

needs_fast = pytest.mark.skipif(native._fast is None, reason="events/_fast.pyx is not built (or MARSAD_PURE)")


@needs_fast
def test_doc_spans_are_made_in_place():
    assert native._fast.SPAN_SLOTS   # (else the fast path below would not be what runs)


@needs_fast
def test_a_span_made_in_place_is_new_spans_span():
    rnd = random.Random(131)
    for _ in range(2000):
        a, b = rnd.randint(0, 5000), rnd.randint(0, 5000)
        label = rnd.choice(["", "Battles", "kill", "قصف"])
        text = "نص" + "".join(rnd.choice("قصف الجيش ab") for _ in range(rnd.randint(0, 12)))   # (a new object)
        sent = rnd.randint(-1, 40)
        data = {"n0": a, "pattern": text} if rnd.random() < 0.8 else {}
        want = new_span(a, b, label, text, sent, dict(data))
        refs = sys.getrefcount(data), sys.getrefcount(text)
        got = native._fast.span_of(Span, a, b, label, text, sent, data)
        assert type(got) is Span and got == want
        assert got.data is data and got.text is text and got.label is label
        # each value held once more, by the span, and let go with it
        assert (sys.getrefcount(data), sys.getrefcount(text)) == (refs[0] + 1, refs[1] + 1)
        assert gc.is_tracked(got) == gc.is_tracked(want)
        got.sent = 7                      # (a slot set later as on any span)
        assert got.sent == 7
        del got
        assert (sys.getrefcount(data), sys.getrefcount(text)) == refs


@needs_fast
def test_another_span_class_is_made_by_its_attributes():
    class Other:
        __slots__ = ("start", "end", "label", "text", "sent", "data")

    got = native._fast.span_of(Other, 1, 2, "x", "t", 0, {})
    assert type(got) is Other and (got.start, got.end, got.label, got.text, got.sent, got.data) == (1, 2, "x", "t", 0, {})
