"""The pipeline step "places": place mentions as spans in layer "places" and LOC entities.

Each mention becomes a Span labelled with its English location name; its data carries the
fields an event's location needs (location, location_ar, latitude, longitude, country_code,
admin1_code, geo_precision, geonameid / place_id, resolved, feature, parent). Mentions the
gazetteer does not know are kept unresolved (no coordinates). LOC spans of the statistical
tagger (layer "ner") that the gazetteer did not find are added unresolved too.
"""

from __future__ import annotations

import re

from ..doc import Doc
from .gazetteer import Place
from .geoparser import Geoparser, Mention, geo_precision
from .names import transliterate

# "عين اليوم – بغداد", "سبق- الرياض:", "دمشق - (رويترز):" at the start of a paragraph.
_DATELINE = re.compile(r"(?:^|\n)[^\n]{0,40}?[-:]\s*[^\n]{0,30}?[:-]|(?:^|\n)[^\n\-:]{2,30}[:-]")


def dateline_end(norm: str) -> int:
    """End (normalised offset) of the dateline area: the first lines' "X - PLACE:" prefixes."""
    end = 0
    for m in _DATELINE.finditer(norm[:600]):
        end = max(end, m.end())
    return end


def location_name(gp: Geoparser, p: Place) -> str:
    if p.feature in ("quarter", "camp") and p.parent:
        par = gp.gaz.get(p.parent)
        if par is not None and par.feature == "city":
            return f"{par.name} - {p.name}"
    return p.name


def mention_data(gp: Geoparser, doc: Doc, m: Mention) -> dict:
    a, b = doc.orig(m.start, m.end)
    text = doc.text[a:b]
    p = m.place
    if p is None:
        return {"location": transliterate(text), "location_ar": text, "latitude": None, "longitude": None,
                "country_code": None, "admin1_code": None, "geo_precision": None, "geonameid": None,
                "place_id": None, "resolved": False, "feature": m.cue or "place", "parent": None,
                "score": 0.0}
    return {"location": location_name(gp, p), "location_ar": text, "latitude": p.lat, "longitude": p.lon,
            "country_code": p.cc, "admin1_code": p.admin1 or None, "geo_precision": geo_precision(m),
            "geonameid": p.geonameid, "place_id": p.id, "resolved": True, "feature": p.feature,
            "parent": p.parent or None, "score": round(m.score, 2), "countryside": m.cue == "countryside",
            "direction": m.direction or None}


def component():
    gp = Geoparser()

    def places(doc: Doc) -> None:
        mentions = gp.find(doc.norm, doc.sentence_of)
        gp.resolve(mentions, doc.text, doc.orig, dateline_end(doc.norm))
        spans = []
        for m in mentions:
            data = mention_data(gp, doc, m)
            spans.append(doc.span(m.start, m.end, data["location"], m.sent, **data))
        covered = [(s.start, s.end) for s in spans]
        for s in doc.layer("ner"):
            if s.label == "LOC" and not any(s.start < b and a < s.end for a, b in covered):
                nstart = _norm_index(doc, s.start)
                m = Mention(nstart, nstart, s.text, s.sent)
                data = mention_data(gp, doc, m)
                data.update(location=transliterate(s.text), location_ar=s.text, source="ner")
                spans.append(type(s)(s.start, s.end, data["location"], s.text, s.sent, data))
        spans.sort(key=lambda s: s.start)
        for s in spans:
            doc.add("places", s)
            d = s.data
            ent = {"type": "LOC", "start": s.start, "end": s.end, "text": s.text}
            if d["resolved"]:
                ent.update(latitude=d["latitude"], longitude=d["longitude"], country_code=d["country_code"],
                           admin1_code=d["admin1_code"], geonameid=d["geonameid"], place_id=d["place_id"],
                           location=d["location"], geo_precision=d["geo_precision"])
            doc.entities.append(ent)

    return places


def _norm_index(doc: Doc, orig: int) -> int:
    import bisect
    return min(bisect.bisect_left(doc.offsets, orig), len(doc.norm))
