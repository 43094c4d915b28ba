"""Which place an event belongs to.

``place_for_event(doc, sent, start, end)`` is called by the event step with the sentence and
the (original-text) offsets of an event's trigger. It returns a Span from layer "places" whose
data holds the event's location fields (location, location_ar, latitude, longitude,
country_code, admin1_code, geo_precision), or None when the report names no place at all.

Order of preference: the most specific resolved place of that sentence, the closest to the
trigger among equals; a place the gazetteer lacks (a village after a cue word, or a name only
the statistical tagger found) in that sentence, placed at the larger place it belongs to
(CODING.md: "the nearest larger place"); the places of the preceding sentences of the
passage; the document's main place. A tagger-only place never displaces a town or village
the gazetteer resolved in the same sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from ..doc import Doc, Span, new_span

_SPECIFIC = {"quarter": 0, "camp": 0, "base": 0, "airport": 0, "crossing": 0, "village": 1, "city": 1,
             "area": 2, "mountain": 2, "admin2": 2, "region": 3, "admin1": 4, "country": 5}
_COUNTRY = _SPECIFIC["country"]
PASSAGE = 3  # sentences looked back for the passage's place


def _rank(s: Span) -> int:
    return _SPECIFIC.get(s.data.get("feature", ""), 3) + (1 if s.data.get("geo_precision") == 2 else 0)


def _usable(s: Span) -> bool:
    # "المملكة" (context) names the outlet's country as an actor, not where things happen
    return bool(s.data.get("resolved")) and not s.data.get("demonym") and not s.data.get("context")


def _distance(s: Span, start: int, end: int) -> int:
    if s.end <= start:
        return start - s.end
    if s.start >= end:
        return s.start - end
    return 0


def _best(ranked: list[tuple[int, Span]], start: int, end: int) -> Span | None:
    """The most specific of the usable places ``ranked`` (PlaceIndex.usable), the closest on ties,
    the first of equals."""
    if not ranked:
        return None
    return min(ranked, key=lambda rs: (rs[0], _distance(rs[1], start, end)))[1]


def _best_own(ranked: list[tuple[int, Span]], start: int, end: int, doc: Doc | None = None) -> Span | None:
    """_best of the sentence, unless it lies in another governorate than the best of the places
    named inside the incident's own words [start, end): then that one (CODING.md: the place
    where it happened; a town of another clause in another governorate is another incident's or
    a source's). A more specific place of the clause's governorate stays (the most specific
    named place), and a country in the clause does not count ("في سوريا" with a town of it
    elsewhere in the sentence is at the town), nor does a place the incident's words name as a
    destination (``_destination``)."""
    best = _best(ranked, start, end)
    if best is None or start <= best.start < end:
        return best
    own = _best([rs for rs in ranked if rs[0] < _COUNTRY and start <= rs[1].start < end
                 and not (doc is not None and _destination(doc, rs[1]))], start, end)
    if own is None or _same_unit(own, best):
        return best
    return own


# "انسحبوا إلى منطقة الفيوش"، "في طريقها إلى مدينة تعز": where a side went is not where the
# incident happened, unless it entered it ("دخلت القوات إلى مدينة زنجبار"); "نجل محافظ المحويت":
# a place in an official's title is where the office is. Both read the normalised text (a report
# in presentation forms, "إﻟﻰ ﻣنطقة", reads as any other).
_DESTINATION = re.compile(r"(?:^|\s)[وف]?(?:الي|نحو|باتجاه|صوب)\s+"
                          r"(?:(?:ال)?(?:منطقه|مدينه|محافظه|مديريه|بلده|قريه|العاصمه)\s+)?$")
_ENTERED = re.compile(r"دخل|دخول|اقتحم|اقتحام")
# ... and a place named right after it as where it lies ("إلى منطقة الفيوش في محافظة لحج")
_DESTINATION_IN = re.compile(r"(?:^|\s)[وف]?(?:الي|نحو|باتجاه|صوب)\s+(?:\S+\s+){1,3}?(?:في|ب)\s*"
                             r"(?:(?:ال)?(?:منطقه|مدينه|محافظه|مديريه|بلده|قريه|العاصمه)\s+)?$")
_TITLE = re.compile(r"(?:^|\s)(?:ال)?(?:محافظ|مدير|وكيل)\s+(?:عام\s+)?(?:محافظه\s+|مديريه\s+)?$")


def _destination(doc: Doc, place: Span) -> bool:
    """The place is named as where a side went (after إلى, نحو, باتجاه, صوب, with no verb of
    entering just before), or in an official's title: not the scene of the clause it stands in."""
    n0 = place.data.get("n0")
    if n0 is None:
        n0 = bisect_left(doc.offsets, place.start)
    before = doc.norm[max(0, n0 - 60):n0]
    if _TITLE.search(before):
        return True
    m = _DESTINATION.search(before) or _DESTINATION_IN.search(before)
    return m is not None and _ENTERED.search(before, max(0, m.start() - 25)) is None


def _same_unit(a: Span, b: Span) -> bool:
    """a and b in one governorate (one country when either has none)."""
    x, y = a.data, b.data
    if x.get("country_code") != y.get("country_code"):
        return False
    return not x.get("admin1_code") or not y.get("admin1_code") or x.get("admin1_code") == y.get("admin1_code")


class PlaceIndex:
    """What place_for_event reads of one report, made once: each sentence's places, its usable
    ones with their ranks, the report's main place (the event step asks for every incident of a
    report; the places layer does not change in that step)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self._here: dict[int, list[Span]] = {}
        self._usable: dict[int, list[tuple[int, Span]]] = {}
        self._main: tuple[Span | None] | None = None
        self._main_in: dict[str, Span | None] = {}

    def here(self, sent: int) -> list[Span]:
        got = self._here.get(sent)
        if got is None:
            got = self._here[sent] = self.doc.in_sentence("places", sent)
        return got

    def usable(self, sent: int) -> list[tuple[int, Span]]:
        """(rank, span) of the sentence's usable places, in layer order."""
        got = self._usable.get(sent)
        if got is None:
            got = self._usable[sent] = [(_rank(s), s) for s in self.here(sent) if _usable(s)]
        return got

    def main(self) -> Span | None:
        if self._main is None:
            self._main = (main_place(self.doc),)
        return self._main[0]

    def main_in(self, country: str) -> Span | None:
        """The report's main place inside ``country`` (a town or a governorate, not the country)."""
        if country not in self._main_in:
            self._main_in[country] = main_place(self.doc, country)
        return self._main_in[country]


def _with_parent(village: Span, parent: Span) -> Span:
    """An unknown place, put at the known place it lies in (geo_precision 2)."""
    d = dict(parent.data)
    # in a known town or governorate: "a village near a known town, or a part of a region" (2);
    # only the country known: 3
    precision = 3 if parent.data.get("feature") == "country" else 2
    d.update(location=village.data.get("location") or village.text, location_ar=village.text,
             geo_precision=precision, resolved=True, feature="village",
             parent=parent.data.get("place_id"), place_id=None, geonameid=None)
    return new_span(village.start, village.end, d["location"], village.text, village.sent, d)


def main_place(doc: Doc, country: str | None = None) -> Span | None:
    """The report's main place: the most often named specific place, the earliest on ties;
    else its most named governorate, else its country. With ``country``: among the places inside
    that country, and never the country itself (None when the report names nothing inside it)."""
    spans = [s for s in doc.layer("places") if _usable(s)
             and (country is None or s.data.get("country_code") == country)]
    if not spans:
        return None
    for maxrank in (2, 4) if country else (2, 4, 5):
        cand = [s for s in spans if _rank(s) <= maxrank]
        if cand:
            counts = Counter(s.data.get("place_id") for s in cand)
            return min(cand, key=lambda s: (-counts[s.data.get("place_id")], s.start))
    return None if country else spans[0]


def place_for_event(doc: Doc, sent: int, start: int, end: int, index: PlaceIndex | None = None) -> Span | None:
    """``index``: the report's PlaceIndex, when the caller keeps one (else made for this call)."""
    index = index or PlaceIndex(doc)
    here = index.here(sent)
    best = _best_own(index.usable(sent), start, end, doc)
    # a village the gazetteer lacks, named closer to the trigger than anything more specific
    # a place only the tagger found counts when the sentence names nothing as specific as a
    # town (the tagger's errors are mostly verbs and nouns next to the trigger)
    unknown = [s for s in here if not s.data.get("resolved")
               and (s.data.get("source") != "ner" or best is None or _rank(best) > 1)]
    if unknown:
        u = min(unknown, key=lambda s: _distance(s, start, end))
        if best is None or _rank(best) > 1 or _distance(u, start, end) < _distance(best, start, end):
            # the place it lies in: the place named nearest to it ("قرية X في ريف حماة"; a
            # country only for a name after a cue word, the others being as often common words
            # or names of people), else the passage's or the report's place
            cued = u.data.get("feature", "place") != "place"
            near = min((x for r, x in index.usable(sent) if r <= 4 or cued),
                       key=lambda x: _distance(x, u.start, u.end), default=None)
            if near is not None and near.data.get("feature") == "country":
                # "منطقة العكر" after "البحرين" with a Yemeni town earlier in the sentence: in the
                # country named nearest, at a town or governorate of it the sentence or else the
                # report names, else at the country itself
                cc = near.data.get("country_code")
                inside = [x for r, x in index.usable(sent) if r <= 4 and x.data.get("country_code") == cc]
                near = min(inside, key=lambda x: _distance(x, u.start, u.end)) if inside \
                    else index.main_in(cc) or near
            parent = near or _passage_place(index, sent, start)
            if parent is None and u.data.get("source") != "ner":
                # a village after a cue word lies in the report's area; a name only the tagger
                # found, with no place around it, is as often abroad (جنيف in a report on Aden)
                parent = index.main() or best
            if parent is not None:
                return _with_parent(u, parent)
    if best is not None and _rank(best) <= 2:
        return best
    # only a governorate or country here: a more specific place of the passage inside it wins
    earlier = _passage_place(index, sent, start)
    if earlier is not None and (best is None or _inside(earlier, best)) and _rank(earlier) < (_rank(best) if best else 9):
        return earlier
    if best is not None:
        return best
    return index.main()


def _passage_place(index: PlaceIndex, sent: int, start: int) -> Span | None:
    """The place the passage is about: the most specific place of the sentences just before.
    A governorate named in between bounds the look-back ("أما على صعيد محافظة أبين" starts a
    new passage): an earlier town counts only if it lies inside it, else the governorate is
    the passage's place. A country in between bounds it the same way but is not returned
    (the report's main place is then a better guess)."""
    bound = None
    for k in range(sent - 1, max(-1, sent - 1 - PASSAGE), -1):
        b = _best(index.usable(k), start, start)
        if b is None:
            continue
        if _rank(b) <= 2:
            if bound is None or _inside(b, bound):
                return b
            break
        if bound is None:
            bound = b
    if bound is not None and bound.data.get("feature") != "country":
        return bound
    return None


def _inside(inner: Span, outer: Span) -> bool:
    a, b = inner.data, outer.data
    if a.get("country_code") != b.get("country_code"):
        return False
    if b.get("feature") == "country":
        return True
    return not b.get("admin1_code") or a.get("admin1_code") == b.get("admin1_code")
