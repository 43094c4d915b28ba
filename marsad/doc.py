"""The document that flows through the pipeline.

One ``Doc`` per report. It holds the original text and its normalised form with an offset
map; every component adds ``Span`` objects (in original-text offsets) to named layers, and the
event step reads them to build events. Nothing is reported that does not point back at a span.
"""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass, field
from functools import partial
from datetime import date
from typing import Any

from .text import Token, normalize, split_sentences, tokenize


@dataclass(slots=True)
class Span:
    start: int          # original-text offsets, end exclusive
    end: int
    label: str          # what the span is: an event type, an actor name, a date, ...
    text: str           # the original text it covers
    sent: int = -1      # sentence index
    data: dict[str, Any] = field(default_factory=dict)

    def to_evidence(self, field_name: str) -> dict:
        return {"start": self.start, "end": self.end, "field": field_name, "text": self.text}


# Every step makes spans in its loops; ``Span(...)`` goes through type_call and the dataclass's
# Python __init__ (~1.5 us), the six slots set on a bare object ~0.5 us. The hot call sites build
# them as ``new_span`` does (all six fields given: the same object as ``Span(...)``). A
# __post_init__ or a seventh field would be skipped here: tests/test_doc_span.py fails then.
_new = object.__new__


def new_span(start: int, end: int, label: str, text: str, sent: int, data: dict) -> Span:
    """``Span(start, end, label, text, sent, data)`` without the dataclass's __init__."""
    s = _new(Span)
    s.start = start
    s.end = end
    s.label = label
    s.text = text
    s.sent = sent
    s.data = data
    return s


class Doc:
    def __init__(self, text: str, published: date | None = None, meta: dict | None = None):
        self.text = text
        self.published = published
        self.meta = meta or {}
        self.norm, self.offsets = normalize(text)
        self.sentences: list[tuple[int, int]] = split_sentences(self.norm)  # normalised offsets
        self.tokens: list[Token] = tokenize(self.norm, self.sentences)
        self.layers: dict[str, list[Span]] = {}
        self.events: list[dict] = []
        self.entities: list[dict] = []
        self.conditions: list[dict] = []
        self.sources: list[dict] = []
        self.timings: dict[str, float] = {}
        self._sent_ends: list[int] | None = None  # sentence ends, for sentence_of
        self._finder = None   # (_sent_ends then, sentence_finder's finder)
        # layer -> (the list indexed, its length then, spans by sentence): built on demand
        self._by_sent: dict[str, tuple[list[Span], int, dict[int, list[Span]]]] = {}

    # -- offsets ---------------------------------------------------------------
    def orig(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a normalised span to the original text.

        The end runs to the next kept character, so marks dropped by normalisation at the end
        of the last word (harakat, tatweel) stay inside the span."""
        if nend <= nstart:
            o = self.offsets[nstart]
            return o, o
        return self.offsets[nstart], self.offsets[nend]

    def span(self, nstart: int, nend: int, label: str, sent: int = -1, **data) -> Span:
        # (self.orig inlined; ``data`` is already a new dict, built for this call)
        a = self.offsets[nstart]
        b = self.offsets[nend] if nend > nstart else a
        s = _new(Span)    # Span(a, b, label, text, sent, data) as new_span builds it, inline
        s.start = a
        s.end = b
        s.label = label
        s.text = self.text[a:b]
        s.sent = sent
        s.data = data
        return s

    def sentence_of(self, nstart: int) -> int:
        """Index of the sentence containing normalised offset nstart; an offset between two
        sentences gives the next one, past the last the last (binary search over the ends)."""
        ends = self._sent_ends
        if ends is None or len(ends) != len(self.sentences):
            ends = self._sent_ends = [b for _, b in self.sentences]
        k = bisect.bisect_right(ends, nstart)
        return k if k < len(ends) else max(0, len(ends) - 1)

    def sentence_finder(self):
        """``sentence_of`` as one C call (``bisect_right`` bound to the ends, the last one made
        unbounded so that an offset past it gives the last sentence, as sentence_of's clamp
        does), for a caller asking once per mention (the places, dates and conditions steps): no
        Python frame a call. Made once a report and kept (those steps share it: a list of ends
        made per step cost more than the frames it saved), remade when sentence_of remakes its
        ends (one rule for when the sentences have changed)."""
        self.sentence_of(0)   # (its ends made anew if the sentences changed)
        ends = self._sent_ends
        kept = self._finder
        if kept is not None and kept[0] is ends:
            return kept[1]
        find = partial(bisect.bisect_right, ends[:-1] + [sys.maxsize] if ends else [])
        self._finder = (ends, find)
        return find

    def sentence_text(self, i: int) -> str:
        a, b = self.orig(*self.sentences[i])
        return self.text[a:b]

    # -- layers ----------------------------------------------------------------
    def add(self, layer: str, span: Span) -> Span:
        self.layers.setdefault(layer, []).append(span)
        return span

    def layer(self, name: str) -> list[Span]:
        return self.layers.get(name, [])

    def in_sentence(self, layer: str, sent: int) -> list[Span]:
        """The layer's spans in sentence ``sent``, in layer order (a new list each call).

        The index is rebuilt when the layer's list is replaced or changes length, since
        components also append to ``doc.layers[name]`` directly."""
        spans = self.layers.get(layer)
        if not spans:
            return []
        idx = self._by_sent.get(layer)
        if idx is None or idx[0] is not spans or idx[1] != len(spans):
            by: dict[int, list[Span]] = {}
            for s in spans:
                by.setdefault(s.sent, []).append(s)
            idx = self._by_sent[layer] = (spans, len(spans), by)
        return list(idx[2].get(sent, ()))

    def to_json(self) -> dict:
        """The CONTRACT.md output for this document (without the record id)."""
        return {"events": self.events, "entities": self.entities,
                "conditions": self.conditions, "sources": self.sources}
