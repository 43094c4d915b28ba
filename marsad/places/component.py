"""The pipeline step "places": place mentions as spans in layer "places" and LOC entities.

Each mention becomes a Span labelled with its English location name, covering the place as the
report names it (حي الخالدية); its data carries the fields an event's location needs (location,
location_ar, latitude, longitude, country_code, admin1_code, geo_precision, geonameid, place_id,
resolved, feature, parent). A governorate's latitude/longitude are those of its main town, as
ACLED codes governorate-only events; ``centroid`` keeps its own point. Mentions the gazetteer
does not know (a word after a cue such as بلدة or حي) are kept unresolved (no coordinates).

Each mention also becomes a LOC entity (CONTRACT.md) covering the name alone (حمص in
"محافظة حمص"), with coordinates when resolved. Country adjectives (القوات العراقية) are only
context for the resolution: neither spans nor entities.

The statistical tagger's LOC spans (layer "ner", filled by the step before) that no gazetteer
mention covers are places too (``tagged.py``): resolved when a variant of the name is in the
gazetteer and the context agrees, else unresolved places (``data["source"] == "ner"``), each
with one LOC entity. A gazetteer name inside a longer, confidently tagged person or
organisation name (الأنبار in جامعة الأنبار) keeps its span for the events but is no entity;
so does a gazetteer name the tagger is sure is a common word (الحدث "the event", layer "ner_o"),
unless a cue word (مدينة، بلدة) or a hashtag marks it as a place. A region named with a direction
word (جنوب لبنان) is one place mention, but its entity is the name after the direction (لبنان).
"""

from __future__ import annotations

import bisect
import re
from operator import attrgetter

from ..doc import Doc, Span
from ..lang.clusters import lookup as news_word
from ..ner.component import CONFIDENT
from .gazetteer import Place
from .geoparser import (_START, DIRECTIONS, FACTS_LIMIT, LOCATIVE, PRECISION, Geoparser, Mention, _scan,
                        _lands_of, after_and, bare_word, check_governorate, check_nesting, metonym, prev_word)
from .names import GENERIC_FEATURE, TWO_SENSE_CUES, article_behind_lam, transliterate
from .tagged import (apart, loc_spans, overlap_test, span_table, starts_and_reach, tagged_locs,
                     tagger_mentions, unresolved_mentions)

# The ner step leaves its LOC spans in layer "ner" for this step, which makes them places
# (resolved when a variant of the name is known, else unresolved) and their entities.
CONSUMES_NER_LOC = True
# A gazetteer name inside (or equal to) a tagger PER/ORG name this sure is no LOC entity of its own.
NAME_SCORE = CONFIDENT

# "عين اليوم – بغداد", "سبق- الرياض:", "دمشق - (رويترز):" at the start of a paragraph.
_DATELINE = re.compile(r"(?:^|\n)[^\n]{0,40}?[-:]\s*[^\n]{0,30}?[:-]|(?:^|\n)[^\n\-:]{2,30}[:-]")


def dateline_end_py(norm: str) -> int:
    """End (normalised offset) of the dateline area: the first lines' "X - PLACE:" prefixes."""
    # every match starts at the text's start or at a newline: the pattern is tried there only,
    # from where the last match ended, as finditer would find them (not at all 600 offsets)
    head = norm[:600]
    end = 0
    pos = 0
    match = _DATELINE.match
    while pos >= 0:
        m = match(head, pos)
        if m is not None:
            end = max(end, m.end())
            pos = head.find("\n", m.end())
        else:
            pos = head.find("\n", pos + 1)
    return end


# in C when the places scan is built (``_scan.dateline_end``: the pattern matched by hand in its
# backtracking order, where ``re`` tried its lazy repeats at each line start, about 62,000
# instructions a report)
dateline_end = _scan.dateline_end if _scan is not None else dateline_end_py


def location_name(gp: Geoparser, p: Place) -> str:
    if p.feature in ("quarter", "camp") and p.parent:
        par = gp.gaz.get(p.parent)
        if par is not None and par.feature == "city":
            return f"{par.name} - {p.name}"
    return p.name


def place_fields(gp: Geoparser, p: Place) -> tuple:
    """What a resolved mention's span data takes from its place alone, in ``mention_data``'s
    order: location, latitude, longitude, country_code, admin1_code, geonameid, place_id,
    feature, parent. A governorate's point is its main town's (ACLED codes governorate-only
    events there); the entity keeps the governorate's own centroid."""
    lat, lon = p.lat, p.lon
    if p.feature == "admin1" and p.admin1 in (gp.gaz.capital or {}):
        cap = gp.gaz.places[gp.gaz.capital[p.admin1]]
        lat, lon = cap.lat, cap.lon
    return (location_name(gp, p), lat, lon, p.cc, p.admin1 or None, p.geonameid, p.id, p.feature,
            p.parent or None)


# round(score, 2) in C when the places scan is built (``_scan.round2``: the same float; Python's
# round goes through decimal strings, about 2,900 instructions a call)
_round2 = _scan.round2 if _scan is not None else (lambda x: round(x, 2))


def place_template(gp: Geoparser, p: Place) -> dict:
    """A resolved mention's span data with ``place_fields``' values and every key in the data's
    order: the mention's own values (None here) are set by ``place_data``; geo_precision is the
    feature's (``PRECISION``), else None: the mention's cue and direction decide it."""
    location, lat, lon, cc, admin1, geonameid, pid, feature, parent = place_fields(gp, p)
    return {"location": location, "location_ar": None, "latitude": lat, "longitude": lon,
            "centroid": None, "country_code": cc, "admin1_code": admin1,
            "geo_precision": PRECISION.get(feature), "geonameid": geonameid, "place_id": pid,
            "resolved": True, "feature": feature, "parent": parent, "score": None, "countryside": None,
            "demonym": None, "context": None, "direction": None}


def place_data_py(fields: dict, text: str, m: Mention) -> dict | None:
    """A resolved mention's span data: a copy of its place's template (``fields[place id]``,
    ``place_template``: one pass over its keys, not a dict of 18 keys built key by key) with the
    mention's own values set; None when the mention has no place or its place no template yet.
    ``text`` is the mention in the original text."""
    p = m.place
    tmpl = fields.get(p.id) if p is not None else None
    if tmpl is None:
        return None
    data = tmpl.copy()
    data["location_ar"] = text
    data["centroid"] = [p.lat, p.lon]
    countryside = m.cue == "countryside"
    if data["geo_precision"] is None:  # as geo_precision(m) for a feature PRECISION lacks
        data["geo_precision"] = 2 if countryside or m.direction else 1
    data["score"] = _round2(m.score)
    data["countryside"] = countryside
    data["demonym"] = m.demonym
    data["context"] = m.context_only
    data["direction"] = m.direction or None
    return data


# in C when the places scan is built (``_scan.place_data``: the mention's fields from their
# slots, the copy and its values set without the interpreter; about 4,400 calls over news100)
place_data = _scan.place_data if _scan is not None else place_data_py


def mention_data(gp: Geoparser, doc: Doc, m: Mention, a: int, b: int, fields: dict | None = None) -> dict:
    """The place span's data; [a, b) is the mention in the original text (``doc.orig``).
    ``fields`` keeps, by place id across calls, a template of a resolved mention's data
    (``place_template``; a report names its places again and again, and news names the same
    places): the same values, not worked out anew; each span's data is a copy of it
    (``place_data``, which the places step asks first)."""
    text = doc.text[a:b]
    p = m.place
    if p is None:
        na, nb = doc.orig(m.name_start if m.name_start >= 0 else m.start, m.end)
        return {"location": transliterate(doc.text[na:nb]), "location_ar": text, "latitude": None, "longitude": None,
                "country_code": None, "admin1_code": None, "geo_precision": None, "geonameid": None,
                "place_id": None, "resolved": False, "feature": m.cue or "place", "parent": None,
                "score": 0.0}
    if fields is None:
        fields = {}
    data = place_data(fields, text, m)
    if data is None:
        if len(fields) >= FACTS_LIMIT:
            fields.clear()
        fields[p.id] = place_template(gp, p)
        data = place_data(fields, text, m)
    return data


def sure_names_py(spans: list[Span], score: float) -> list[tuple[int, int]]:
    """(start, end) of the PER/ORG spans scored at least ``score`` (a run of hashtags is no one
    name)."""
    return [(s.start, s.end) for s in spans if s.label in ("PER", "ORG")
            and float(s.data.get("score") or 0) >= score and "#" not in s.text]


# in C when the places scan is built (``_scan.sure_names``: the spans' fields read from their
# slots; about 70 spans of layer "ner" a report)
sure_names = _scan.sure_names if _scan is not None else sure_names_py


def _sure_names(doc: Doc) -> list[tuple[int, int]]:
    """Original spans of the tagger's PER/ORG names scored at least NAME_SCORE."""
    return sure_names(doc.layer("ner"), NAME_SCORE)


def _inside_name(names: list[tuple[int, int]]):
    """A test whether original span [a, b) lies inside one of the sure names (الأنبار in جامعة
    الأنبار; الشرق الأوسط the newspaper): the name is the entity, not the place. By start, with
    the furthest end so far (some name starting at or before a ends at or after b), in O(log n)
    rather than a scan of the names for every mention."""
    starts, reach = starts_and_reach(list(names))

    def inside(a: int, b: int) -> bool:
        k = bisect.bisect_right(starts, a)
        return k > 0 and reach[k - 1] >= b
    return inside


_END = attrgetter("end")


# A gazetteer name (not after a cue word, not a hashtag) whose every word the tagger labels O
# with at least this probability is the common word (الحدث، فرقة، القصير in "عمره القصير"): its
# place mention stays, for the events, but it is no LOC entity. On the ANERcorp tuning block 0.9
# scored best (LOC F1 +2 points), 0.95 a little less (-0.2 micro); but at 0.9 the IDRISI tweets
# lost 8 of 3,139 place mentions, at 0.95 none. With the perceptron tagger (issue 12, ner15):
# five-fold CV of ANERcorp's training part through the extractor, micro-F1 0.7552 at 0.95, 0.7567
# at 0.93, 0.7572 at 0.92, 0.7578 at 0.91 (LOC 0.848 -> 0.854, every fold up), 0.7583 at 0.9,
# 0.7616 at 0.8; IDRISI's place names recognised 0.9675 from 0.95 to 0.91, 0.9672 at 0.9, 0.9608
# at 0.8: 0.91 is the lowest that loses none.
REJECT = 0.91
# Where no place is expected (not after في، من، قرب، محافظة ... nor behind ب/ل, nor a country or
# one of a list of places: `_placed`; nor a name placed so elsewhere in the report), a gazetteer
# word is mostly a common noun or an adjective (الأجل القصير، يخفي الوجه، التحف النادرة): there the
# tagger's O is believed from 0.8 (ner40). Five-fold CV of ANERcorp's training part through the
# extractor (as for REJECT; marsad/ner/model/README.md), micro-F1 0.7720 with 0.91 everywhere;
# 0.7737 at 0.85, 0.7747 at 0.8, 0.7748 at 0.75, 0.7752 at 0.7, 0.7757 at 0.6; IDRISI's place
# names recognised 0.9675 down to 0.8, 0.9672 at 0.75, 0.9640 at 0.6: 0.8 is the lowest that
# loses none.
REJECT_FREE = 0.8
_REJECT_LOWER = min(REJECT, REJECT_FREE)


def _rejected(doc: Doc) -> dict[int, float]:
    """Token -> the tagger's probability of O, for the gazetteer words it labels O (layer "ner_o")."""
    return {s.data["token"]: s.data["score"] for s in doc.layer("ner_o")}


def _adjective_spelt(text: str, m: Mention) -> bool:
    """A country spelt as its feminine adjective, without ال (روسية، تركية، سورية): in مروحية روسية،
    مصادر تركية it is the adjective, so the country is placed only by the other rules of ``_placed``.
    Five-fold CV of ANERcorp's training part through the extractor (ner41): micro-F1 0.7747 ->
    0.7749 (3 adjectives fewer as LOC, no name lost); IDRISI unchanged."""
    return m.key.endswith("يه") and not text.startswith("ال", m.start)  # (m.start is after و/ب/ل)


def _placed(text: str, m: Mention, ends: set[int], starts: set[int]) -> bool:
    """Whether the name stands where a place is expected: a country (not one spelt as an
    adjective, ``_adjective_spelt``); after a generic word such as
    محافظة، مدينة (in its mention or before it); behind ب or ل (بالمملكة،
    للمنطقة); after a word of place or a bearing (في، من، قرب، العاصمة، جنوب: place_words.tsv's
    locative and direction lists); or joined by و to a place named right before it (حلب وحمص),
    or to a name that is no common word (``starts``: not weak) right after it (صفد وحيفا: ner44)."""
    if m.name_start > m.start:
        return True  # a name after a generic word of its own mention (محافظة إب)
    if m.place is not None and m.place.feature == "country" and not _adjective_spelt(text, m):
        return True
    w = m.start
    while w > 0 and text[w - 1].isalnum():
        w -= 1
    clitic = text[w:m.start]
    if "ب" in clitic or "ل" in clitic:
        return True
    prev, pstart = prev_word(text, w)
    if prev == "و":
        clitic, (prev, pstart) = "و", prev_word(text, pstart)
    if clitic[:1] == "و" and pstart + len(prev) in ends:
        return True
    prev = bare_word(prev)
    if prev in ("ب", "ل") or prev in LOCATIVE or prev in DIRECTIONS or prev in GENERIC_FEATURE:
        return True
    return after_and(text, m.end) in starts


def _key_placed(mentions: list[Mention], text: str, ends: set[int], starts: set[int]):
    """A test whether a name (a mention's key) is placed somewhere in the report: one of its
    mentions after a cue, as a hashtag, from the tagger or ``_placed``. Worked out for a key
    when first asked (the rules read the mentions and the text, which the places step does not
    change once they are found), not for every mention of the report."""
    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        by_key.setdefault(m.key, []).append(m)
    known: dict[str, bool] = {}

    def placed(key: str) -> bool:
        got = known.get(key)
        if got is None:
            got = known[key] = any(m.cue or m.hashtag or m.tagger or _placed(text, m, ends, starts)
                                   for m in by_key.get(key, ()))
        return got
    return placed


def says_word_py(toks: list, rejected: dict[int, float], start: int, end: int, reject: float) -> bool:
    """Whether the tagger is sure every word of normalised span [start, end) is no name: each
    token there has its O probability (``rejected``, by token index) at least ``reject``."""
    # the first token ending after start (by the tokens' ends, without listing them all)
    k = bisect.bisect_right(toks, start, key=_END)
    seen = False
    while k < len(toks) and toks[k].start < end:
        if rejected.get(k, 0.0) < reject:
            return False
        seen = True
        k += 1
    return seen


# in C when the places scan is built (``_scan.says_word``: the binary search reads the tokens'
# ends itself, where bisect's ``key=`` is a call a probe; 3,133 calls over news100)
says_word = _scan.says_word if _scan is not None else says_word_py


def _common_after_cue(doc: Doc, text: str, m: Mention, ns: int, ne: int, a: int, b: int) -> bool:
    """Whether a word the gazetteer lacks, kept as a place after a cue word, is the common word
    rather than a name, where it is often one: after a cue that is also a common noun
    (``TWO_SENSE_CUES``: قاعدة تبلغ، قضاء العطلة، ناحية مركب الصيد), or one word without ال written
    with a final ي, mostly a nisba adjective (مطار دولي، مدينة جنوبي), after any cue. It is when every
    word of normalised [ns, ne) is one the news knows (the clusters' words, ``lang.clusters.lookup``)
    and the tagger read no place over original [a, b). The place mention stays, for the events,
    but it is no LOC entity. Five-fold CV of ANERcorp's training part through the extractor
    (issue 12, ner41; marsad/ner/model/README.md): micro-F1 0.7749 -> 0.7752 with the two-sense
    cues (7 common words fewer as LOC, one name lost: قاعدة جوانتانامو), -> 0.7754 with the
    adjectives (4 fewer, none lost)."""
    if m.place is not None or m.tagger or m.hashtag or not m.cue_word:
        return False
    adjective = " " not in text[ns:ne] and not text.startswith("ال", ns) and doc.text[b - 1:b] == "ي"
    if m.cue_word not in TWO_SENSE_CUES and not adjective:
        return False
    if any(s.label == "LOC" and s.start < b and a < s.end for s in doc.layer("ner")):
        return False
    return all(news_word(w) is not None for w in text[ns:ne].split())


def _name_start(text: str, m: Mention) -> int:
    """Where the entity's name starts: after a generic word (``name_start``), and after a
    direction word that begins the gazetteer's name of a region (جنوب لبنان: the name is لبنان,
    as named-entity corpora mark it); a country (جنوب أفريقيا) keeps its whole name."""
    start = m.name_start if m.name_start >= 0 else m.start
    first, sep, rest = m.key.partition(" ")
    if sep and rest and first in DIRECTIONS and (m.place is None or m.place.feature != "country") \
            and text.startswith(first + " ", start) and not article_behind_lam(text, start):
        start += len(first) + 1
    return start


DESCRIPTION_HEAD = "عاصمه "  # the capital (the key, normalised, without ال)


def _described(mentions: list[Mention], text: str) -> set[int]:
    """The mentions (by id) of a description that a place's name follows, "العاصمة السورية
    دمشق" (the gazetteer lists العاصمة السورية for Damascus): the name is the entity, as NER
    corpora mark it (ANERcorp's training part: العاصمة and a country's adjective 15 times, never
    a name). Said alone (وصل إلى العاصمة السورية) the description stays the entity."""
    out = set()
    for m, n in zip(mentions, mentions[1:]):
        if (m.key.startswith(DESCRIPTION_HEAD) and m.place is not None and n.place is not None
                and not text[m.end:n.start].strip()):
            out.add(id(m))
    return out


def overlaps_entity_py(entities: list[dict], a: int, b: int) -> bool:
    """Whether a LOC, PER or ORG entity overlaps original span [a, b)."""
    return any(e.get("type") in ("LOC", "PER", "ORG") and e.get("start", -1) < b and a < e.get("end", -1)
               for e in entities)


# in C when the places scan is built (``_scan.overlaps_entity``: the entities' dicts read without
# the generator; a report holds about 100 entities, asked about each tagger's mention)
overlaps_entity = _scan.overlaps_entity if _scan is not None else overlaps_entity_py


def span_of_py(cls, start: int, end: int, label: str, text: str, sent: int, data: dict) -> Span:
    """doc.new_span's span, of class ``cls`` (doc.Span)."""
    s = object.__new__(cls)
    s.start, s.end, s.label, s.text, s.sent, s.data = start, end, label, text, sent, data
    return s


# in C when the places scan is built (``_scan.span_of``: doc.Span's slots set in place; one
# span a mention, about 35 a report)
span_of = _scan.span_of if _scan is not None else span_of_py


def component():
    gp = Geoparser()
    fields: dict[str, dict] = {}  # place id -> its span data's template (mention_data)

    def places(doc: Doc) -> None:
        mentions = gp.find(doc.norm, doc.sentence_finder(), lambda i: doc.text[doc.offsets[i]])
        spans = loc_spans(doc)
        # the tagger's places the gazetteer matcher missed, looked up under name variants and
        # resolved in the same context as the others (the tagger's spans on a mention are
        # skipped before their name tests: each list below asks only for the others)
        tables = span_table((mentions,))
        locs = tagged_locs(doc, gp.gaz, spans=apart(spans, *tables))
        mentions += tagger_mentions(gp, locs, mentions, overlap_test(mentions, tables))
        gp.resolve(mentions, doc.text, doc.orig, dateline_end(doc.norm))
        check_nesting(mentions, doc.norm.replace("_", " "), gp.gaz.places, gp.gaz.capital)
        check_governorate(mentions, gp.gaz.places, gp.gaz.capital)
        # what stays unknown is kept as an unresolved place
        tables = span_table((mentions,))
        locs = tagged_locs(doc, gp.gaz, spans=apart(spans, *tables))
        mentions += unresolved_mentions(gp, locs, mentions, overlap_test(mentions, tables))
        names = _sure_names(doc)
        inside_name = _inside_name(names) if names else None
        rejected = _rejected(doc)
        text = doc.norm.replace("_", " ")
        ends, starts = {m.end for m in mentions}, {m.start for m in mentions if not m.weak}
        # one sense per report: a name placed once (في الزبداني) is a place wherever it stands
        # (الهجوم على الزبداني); asked only where the tagger is sure enough of its O
        # (``_key_placed``)
        placed = _key_placed(mentions, text, ends, starts)
        last = None  # the previous mention's end, when it was named as a place
        mentions.sort(key=_START)
        described = _described(mentions, text)
        off = doc.offsets
        toks = doc.tokens
        national_ids = gp.national_ids
        layer = None  # the layer "places"
        for m in mentions:
            # a country adjective (القوات العراقية) names no place an event happens in: it only
            # served as context for the other names
            if m.demonym:
                continue
            sa = off[m.start]   # doc.orig(m.start, m.end), inline
            sb = off[m.end] if m.end > m.start else sa
            data = place_data(fields, doc.text[sa:sb], m)  # most: a place seen before
            if data is None:
                data = mention_data(gp, doc, m, sa, sb, fields)
            # سمحت أنقرة: the government, not the city (only a country or a national capital can
            # be one: asked of the data before the call); but "في سوريا والعراق": a name joined
            # by و to a name said as a place is a place too
            if (data["feature"] == "country" or data["place_id"] in national_ids) and not data.get("context"):
                listed = last is not None and text[last:m.start].strip() == "و"
                if not listed and metonym(text, m, national_ids, LOCATIVE, _lands_of):
                    data["context"] = True
            last = m.end if data["resolved"] and not data.get("context") else None
            if m.tagger:
                data.update(source="ner", ner_score=m.ner_score)
            # doc.span(..., **data) without copying data, built for this span alone; its text
            # is the location_ar mention_data cut at the same offsets (doc.add's list, taken
            # at the first span)
            if layer is None:
                layer = doc.layers.setdefault("places", [])
            layer.append(span_of(Span, sa, sb, data["location"], data["location_ar"], m.sent, data))
            # the entity is the name alone (حمص in "محافظة حمص"), as named-entity corpora mark it
            # (a key of one word starts with no direction word: ``_name_start`` finds no space)
            ns = _name_start(text, m) if " " in m.key else (m.name_start if m.name_start >= 0 else m.start)
            ne = m.name_end if m.name_end > 0 else m.end
            a = off[ns]   # doc.orig(ns, ne)
            b = off[ne] if ne > ns else a
            if inside_name and not m.tagger and not m.hashtag and inside_name(a, b):
                continue
            # (at the lower threshold first: only where the tagger is that sure does it matter
            # which threshold the name's sense asks for)
            if rejected and not (m.tagger or m.hashtag or m.cue) and says_word(
                    toks, rejected, ns, ne, _REJECT_LOWER) and says_word(
                    toks, rejected, ns, ne, REJECT if placed(m.key) else REJECT_FREE):
                continue
            # (asked only of an unknown word after a cue: ``_common_after_cue``'s first test)
            if m.cue_word and m.place is None and _common_after_cue(doc, text, m, ns, ne, a, b):
                continue
            if described and id(m) in described:
                continue
            if m.tagger and overlaps_entity(doc.entities, a, b):
                continue  # one entity per span: a lexicon's or the tagger's name over these words
            if data["resolved"]:
                # (one literal in the keys' order, not a dict of keywords for update)
                clat, clon = data["centroid"]
                ent = {"type": "LOC", "start": a, "end": b, "text": doc.text[a:b], "latitude": clat,
                       "longitude": clon, "country_code": data["country_code"],
                       "admin1_code": data["admin1_code"], "geonameid": data["geonameid"],
                       "place_id": data["place_id"], "location": data["location"],
                       "geo_precision": data["geo_precision"]}
            else:
                ent = {"type": "LOC", "start": a, "end": b, "text": doc.text[a:b]}
            doc.entities.append(ent)

    return places
