"""Pipeline step "ner": the CRF tagger's LOC / PER / ORG mentions.

Every mention goes to the layer "ner" (label LOC/PER/ORG, data: score, tokens). PER and ORG
become entities (CONTRACT shape). LOC mentions are left to the places step, which resolves
them against the gazetteer or keeps them as unresolved places; when no places step that reads
them is installed, this step emits them itself as LOC entities without coordinates.

``MARSAD_NER=off`` switches the tagger off, leaving the lexicon and gazetteer entities only
(to measure what the tagger adds).
"""

from __future__ import annotations

import logging
import os
from importlib import import_module

log = logging.getLogger(__name__)

ENTITY_TYPES = ("LOC", "PER", "ORG")


def tagger_enabled() -> bool:
    return os.environ.get("MARSAD_NER", "on").strip().lower() not in ("off", "0", "no", "false")


def places_reads_ner() -> bool:
    """Whether the installed places step turns the "ner" LOC mentions into entities itself.

    Marsad's places step does (it keeps the ones its gazetteer lacks as unresolved places); a
    replacement that does not can say so with ``CONSUMES_NER_LOC = False`` in its module."""
    try:
        mod = import_module("marsad.places.component")
    except ImportError:
        return False
    return bool(getattr(mod, "CONSUMES_NER_LOC", True))


def _overlaps(ents: list[dict], start: int, end: int, types: tuple[str, ...]) -> bool:
    return any(e.get("type") in types and e.get("start", -1) < end and start < e.get("end", -1) for e in ents)


def add_mentions(doc, mentions, emit_loc: bool) -> None:
    """Put the tagger's mentions on the doc: layer "ner", and entities as described above."""
    for m in mentions:
        if m.type not in ENTITY_TYPES:
            continue  # MISC is learnt (it sharpens the other types) but not reported
        a, b = doc.tokens[m.first], doc.tokens[m.last]
        span = doc.span(a.start, b.end, m.type, a.sent, score=m.score, tokens=(m.first, m.last + 1))
        doc.add("ner", span)
        if m.type == "LOC" and not emit_loc:
            continue
        # one entity per span: an earlier step's entity over these words wins
        if _overlaps(doc.entities, span.start, span.end, ENTITY_TYPES):
            continue
        doc.entities.append({"type": m.type, "start": span.start, "end": span.end, "text": span.text})


def _off(doc) -> None:
    """The tagger switched off: names come only from the lexicon and gazetteer steps."""


def component():
    if not tagger_enabled():
        return _off
    from .tagger import default_tagger

    try:
        tagger = default_tagger()
    except (ImportError, OSError) as e:  # no python-crfsuite or no model: run without the tagger
        log.warning("ner: tagger unavailable (%s); lexicon-only entities", e)
        return _off
    emit_loc = not places_reads_ner()

    def ner(doc) -> None:
        add_mentions(doc, tagger.tag_doc(doc), emit_loc)
    return ner
