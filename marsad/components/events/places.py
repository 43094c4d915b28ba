"""Place choice: the place an incident takes (its own stretch of the sentence, the passage, the
report), and which resolved places can place an incident at all."""

from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from typing import TYPE_CHECKING

from ...doc import Doc, Span
from .native import _fast, _sides

if TYPE_CHECKING:   # (context imports this module)
    from .context import Ctx

log = logging.getLogger(__name__)


def _place_of_py(doc: Doc, ctx: Ctx, si: int, start: int, end: int, nfirst: int,
              region: tuple[int, int] | None = None):
    # several incidents in one sentence: each takes a place from its own stretch when it has one
    own = [p for p in ctx.usable_places(si) if p.data.get("feature") != "country"
           and region[0] <= ctx.nstart(p) < region[1]] if region is not None else []
    if not own:
        try:
            p = ctx.event_place(si, start, end)
            if p is not None and id(p) in ctx.in_actor:
                p = None   # a place inside an actor's name: choose below without it
            # a resolved place the geoparser itself scores low is mostly a common word
            # (المصدر، البلاد): try the other places first
            if p is not None and not (p.data.get("resolved") and p.data.get("score") is not None
                                      and float(p.data["score"]) < MIN_PLACE_SCORE):
                # "بدأت الغارات ... في سوريا، بعد تفجير استهدف مدينة سوروج": an incident whose own
                # stretch names only a country is not placed in the town of the other incident
                mine = [c for c in ctx.usable_places(si) if c.data.get("feature") == "country"
                        and region is not None and region[0] <= ctx.nstart(c) < region[1]]
                if mine and not (region[0] <= ctx.nstart(p) < region[1]):
                    return mine[0]
                return _scene_not_landmark(doc, ctx, si, p, nfirst)
        except Exception:  # noqa: BLE001 - a geoparser bug must not lose the event: say so, place it below
            log.exception("events: the place next to the trigger could not be read; the sentence's other places are tried")
    cands = [p for p in ctx.usable_places(si) if id(p) not in ctx.in_actor]
    if region is not None:  # places in the incident's own stretch of the sentence first
        own = [p for p in cands if region[0] <= ctx.nstart(p) < region[1]]
        cands = own or cands
    if cands:
        admins = Counter(p.data.get("admin1_code") for p in cands if p.data.get("admin1_code"))

        def score(p: Span) -> float:
            d = p.data
            sc = float(d.get("score") or 0) / 10 + specificity(p) * 0.4
            if ctx.country and d.get("country_code") != ctx.country:
                sc -= 3.0               # a namesake abroad, most likely
            if d.get("admin1_code") and admins[d["admin1_code"]] > 1:
                sc += 1.0               # agrees with another place of the sentence
            sc -= abs(ctx.ntok(ctx.nstart(p)) - ctx.ntok(nfirst)) * 0.05
            return sc

        best = max(cands, key=score)
        if not (ctx.country and best.data.get("country_code") != ctx.country and ctx.passage_place is not None):
            return best
    if ctx.passage_place or ctx.doc_place:
        return ctx.passage_place or ctx.doc_place
    # nothing better: a place the geoparser resolved with less confidence (a city far from the
    # Arab world, "العاصمة الكينية نيروبي") still tells where it happened
    weak = [p for p in ctx.sl("places", si) if id(p) not in ctx.in_actor and p.data.get("resolved", True)
            and not p.data.get("context")
            and p.data.get("latitude") is not None and float(p.data.get("score") or 0) >= MIN_FALLBACK_SCORE]
    return max(weak, key=lambda p: float(p.data.get("score") or 0)) if weak else None


def coded_place(ctx: Ctx, p: Span | None) -> Span | None:
    """The place an incident is coded at, from the scene its sentence names (place_of):
    "غارات على مواقع للتنظيم في شمال سوريا" names only a country, and the annotations code such
    an incident in the report's own place in that country: that place, known only to its
    governorate (geo_precision 3). The detector still reads the scene (a country, in the sentence)."""
    if p is None or p.data.get("feature") != "country":
        return p
    inner = ctx.place_index.main_in(p.data.get("country_code"))
    if inner is None or not usable_place(inner) or id(inner) in ctx.in_actor:
        return p
    return Span(inner.start, inner.end, inner.label, inner.text, inner.sent, dict(inner.data, geo_precision=3))


# "وفي محافظة أبين، الواقعة شرق عدن"، "(20 كلم شمال شرقي بغداد)"، "إلى الشمال من عدن": a place named after a bearing
# is a landmark that locates the scene, not the scene
_BEARING = re.compile(r"(?:^|\s)(?:\d+\s*(?:كلم|كم|كيلومترا|كيلومتر)\s+)?(?:[وب]?(?:الي\s+)?(?:ال)?(?:شمال|جنوب|شرق|غرب)\S*)"
                      r"(?:\s+(?:ال)?(?:شرق|غرب)\S*)?\s+(?:من\s+)?(?:مدينه\s+|العاصمه\s+)?$")


# "مدير مكتب الصحة بمحافظة عدن ... في محافظة لحج": a place in the title of the one who speaks is
# where the office is, not the scene. Not "المسؤول في عدن" (مسوول in the normalised text): read
# so, the detector's out-of-fold F1 fell 0.6644 / 0.6606 -> 0.6634 / 0.6595 (docs/rounds/events.md)
_OFFICE = re.compile(r"(?:^|\s)(?:ال)?(?:مدير|مكتب|محافظ|وكيل|ناطق|متحدث|مراسل|مندوب)\S*(?:\s+\S+){0,3}?"
                     r"\s+(?:في|ب|ل)?(?:\s*(?:محافظه|مدينه|ولايه))?\s*$")


# "إثر هجوم شنته من عدن"، "قوات قادمة من مأرب": where an attack came from is not where it struck
_ORIGIN = re.compile(r"(?:^|\s)(?:انطلاقا|قادم\S*|القادم\S*|شن\S*|انطلق\S*|زحف\S*)\s+من\s*$")


# a word each match of the pattern holds: where none is, the pattern is not tried (most places)
_BEARING_WORDS = ("شمال", "جنوب", "شرق", "غرب")
_OFFICE_WORDS = ("مدير", "مكتب", "محافظ", "وكيل", "ناطق", "متحدث", "مراسل", "مندوب")
_ORIGIN_WORDS = ("انطلاقا", "انطلق", "قادم", "شن", "زحف")   # (القادم holds قادم)
# what the compiled test (_sides._landmark) reads first: each _ORIGIN match ends with "من" (then
# spaces); each _BEARING match ends with spaces after a last word that is one of these or holds a
# bearing word
_ORIGIN_ENDS = ("من",)
_BEARING_LAST = ("من", "مدينه", "العاصمه")


def _holds_any_py(text: str, words: tuple[str, ...]) -> bool:
    for w in words:
        if w in text:
            return True
    return False


holds_any = _holds_any_py if _fast is None else _fast.holds_any   # (the same, compiled: native.py)


def cued(text: str, words: tuple[str, ...], rx: re.Pattern) -> bool:
    """rx found in text, searched only where text holds one of ``words``: a pattern's prefilter,
    for a pattern each of whose matches holds one of its words whole. No words, no cue (what
    holds_any finds in no words): the one rule of every prefiltered scan, here and compiled
    (_sides._cued)."""
    return holds_any(text, words) and rx.search(text) is not None


def _landmark_py(doc: Doc, ctx: Ctx, p: Span) -> bool:
    """The place is named after a bearing, an office or an attack's origin (three searches of the
    words before it: asked once per place, every candidate of its sentence asks again; each
    search only where the words before hold one of the words its matches need)."""
    got = ctx.landmarks.get(id(p))
    if got is None:
        n0 = ctx.nstart(p)
        lo = max(0, n0 - 40)
        before = doc.norm[lo:n0]
        got = ctx.landmarks[id(p)] = bool(
            (holds_any(before, _BEARING_WORDS) and _BEARING.search(doc.norm, lo, n0))
            or cued(before, _OFFICE_WORDS, _OFFICE) or cued(before, _ORIGIN_WORDS, _ORIGIN))
    return got


def _scene_not_landmark(doc: Doc, ctx: Ctx, si: int, p: Span, nfirst: int) -> Span:
    """The attached place, unless it is a landmark and the sentence names a scene in another
    governorate of the same country: then the scene nearest the trigger."""
    if not landmark(doc, ctx, p):
        return p
    d = p.data
    scenes = [q for q in ctx.usable_places(si) if q is not p and id(q) not in ctx.in_actor
              and q.data.get("country_code") == d.get("country_code") and q.data.get("admin1_code")
              and q.data.get("admin1_code") != d.get("admin1_code") and not landmark(doc, ctx, q)]
    if not scenes:
        return p
    return min(scenes, key=lambda q: abs(ctx.ntok(ctx.nstart(q)) - ctx.ntok(nfirst)))


_SPECIFICITY = {"quarter": 5, "village": 4, "city": 3, "district": 3, "admin2": 2, "admin1": 1, "country": 0}


def specificity(p: Span) -> int:
    return _SPECIFICITY.get(p.data.get("feature", ""), 2)


MIN_PLACE_SCORE = 7.0  # the geoparser's score below which a place is mostly a common word
MIN_FALLBACK_SCORE = 5.0  # ... and below which not even an event with no other place takes it


def _usable_place_py(p: Span) -> bool:
    d = p.data
    # a country or capital named as its government ("التحالف الذي تقوده المملكة"، "سمحت أنقرة")
    # is context (places step), never a scene
    if not d.get("resolved", True) or d.get("latitude") is None or d.get("context"):
        return False
    return d.get("score") is None or float(d["score"]) >= MIN_PLACE_SCORE


def most_frequent_place(doc: Doc, skip: set[int] = frozenset()) -> Span | None:
    """The document's most frequent resolved place (fallback for events with no place); `skip`
    holds the ids of place spans that name a speaker or an actor, not a scene."""
    places = [p for p in doc.layer("places") if usable_place(p) and id(p) not in skip]
    if not places:
        return None
    c = Counter(p.label for p in places)
    top = c.most_common(1)[0][0]
    return next(p for p in places if p.label == top)


# the place and the place tests the step asks of each candidate, compiled where built (with
# attach.place_for_event for the incident's stretch: native.py)
if _sides is None:
    place_of, usable_place, landmark = _place_of_py, _usable_place_py, _landmark_py
else:
    from ...places import attach as _attach
    _sides.bind_places(sys.modules[__name__], _attach)
    place_of, usable_place, landmark = _sides.place_of, _sides.usable_place, _sides.landmark
