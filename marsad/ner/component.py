"""Pipeline step "ner": the CRF tagger's LOC / PER / ORG mentions.

Every mention goes to the layer "ner" (label LOC/PER/ORG, data: score, tokens, gazetteer).
PER and ORG become entities (CONTRACT shape). One over a gazetteer place name (كوباني، السيدة
زينب، ريال مدريد) is left to the places step's LOC (one entity per span) unless the tagger is sure
of it (score >= CONFIDENT): a newspaper, club or university named after a city (الشرق الأوسط،
جامعة الأنبار) stays ORG, and the places step then makes no LOC entity inside it (its place
mention stays, for the events). LOC entities are the
places step's job: it runs next, reads the LOC spans of layer "ner" (its module says so with
``CONSUMES_NER_LOC = True``), gives coordinates to the names its gazetteer knows and keeps
the others as unresolved places, one entity each. Only when no such places step is installed
does this step emit the tagger's LOC as entities itself, without coordinates.

``MARSAD_NER=off`` switches the tagger off, leaving the lexicon and gazetteer entities only
(to measure what the tagger adds).
"""

from __future__ import annotations

import logging
import os
from importlib import import_module

log = logging.getLogger(__name__)

ENTITY_TYPES = ("LOC", "PER", "ORG")
# From this score a PER / ORG the tagger found is kept over a gazetteer place among its words
# (and the places step makes no LOC entity inside it: ``places.component.NAME_SCORE``). Chosen by
# five-fold CV of ANERcorp's training part through the extractor (marsad/ner/model/README.md,
# "The places step and the tagger's organisations"): micro-F1 0.7512 at 0.7, 0.7527 at 0.55,
# 0.7537 at 0.3 and at 0 (0.3 against 0.7: up in four folds, level in one; ORG gains most).
CONFIDENT = 0.3


def tagger_enabled() -> bool:
    return os.environ.get("MARSAD_NER", "on").strip().lower() not in ("off", "0", "no", "false")


def loc_policy() -> str:
    """Which tagger LOC become entities here: "all" without a places step that reads them, else "none"."""
    try:
        mod = import_module("marsad.places.component")
    except ImportError:
        return "all"
    return "none" if getattr(mod, "CONSUMES_NER_LOC", False) else "all"


def _spans(ents: list[dict], types: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of the entities of these types, read once per report (not per mention)."""
    return [(e.get("start", -1), e.get("end", -1)) for e in ents if e.get("type") in types]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    for a, b in spans:   # (a loop: the same tests, without a generator frame per entity)
        if a < end and start < b:
            return True
    return False


def add_rejected(doc, rejected) -> None:
    """Layer "ner_o": each gazetteer-covered token the tagger labels O, with the probability
    of O (data "score"); the places step makes no LOC entity of a name the tagger is sure is
    a common word (the place mention itself stays, for the events)."""
    toks = doc.tokens
    for k, p in rejected:
        t = toks[k]
        doc.add("ner_o", doc.span(t.start, t.end, "O", t.sent, score=p, token=k))


def add_mentions(doc, mentions, loc: str = "none") -> None:
    """Put the tagger's mentions on the doc: layer "ner", and entities as described above
    (loc: "all" makes the LOC entities here, "none" leaves them to the places step)."""
    taken = None  # the entities' spans, once one is asked for; kept up to date as entities are added
    for m in mentions:
        if m.type not in ENTITY_TYPES:
            continue  # MISC is learnt (it sharpens the other types) but not reported
        a, b = doc.tokens[m.first], doc.tokens[m.last]
        span = doc.span(a.start, b.end, m.type, a.sent, score=m.score, tokens=(m.first, m.last + 1),
                        gazetteer=m.gazetteer)
        doc.add("ner", span)
        if m.type == "LOC" and loc != "all":
            continue
        if m.in_gazetteer and loc != "all" and m.score < CONFIDENT:
            continue  # a person or group named like a place (كوباني), not surely: the places step's LOC stands alone
        # one entity per span: an earlier step's entity over these words wins
        if taken is None:
            taken = _spans(doc.entities, ENTITY_TYPES)
        if _overlaps(taken, span.start, span.end):
            continue
        doc.entities.append({"type": m.type, "start": span.start, "end": span.end, "text": span.text})
        taken.append((span.start, span.end))


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
    loc = loc_policy()

    def ner(doc) -> None:
        try:
            rejected: list = []
            mentions = tagger.tag_doc(doc, rejected)
            add_rejected(doc, rejected)
        except Exception:  # a tagger bug costs this report its names, not its events
            log.exception("ner: tagging failed; the report keeps its lexicon entities only")
            return
        add_mentions(doc, mentions, loc)
    return ner
