"""Same incident WITHIN one report: which mentions of a report the document step merges.

The rules of CODING.md's granularity for mentions of one text (the title and the body, a
sentence repeated further down, a clause that only adds the toll): the same event type and
sub-type; the same place, or a mention without a place in the same country, or the same precise
toll a few kilometres away; compatible dates (the same day, a mention without a date cue, or a
battle told again the next day); compatible sides (each named side the same, an ally, or
unnamed; or, at the same named place, one side in common). Across reports the evidence is weaker
and the store scores pairs instead (link.py); both share the distance (marsad.geo) and this
module's place and actor notions.
"""

from __future__ import annotations

from datetime import date as _date
from functools import lru_cache

from ..geo import distance_km
from ..components.events.incident import Incident
from ..places import gazetteer
from ..places.names import GENERIC_FEATURE, name_key


def _same_side(x: str, y: str) -> bool:
    from ..components.events import same_side as same   # the event step's allies table
    return same(x, y)


def _actors_compatible(a: Incident, b: Incident) -> bool:
    """Each side named in one mention is the same side, or unnamed, in the other."""
    fa, fb = a.fields, b.fields   # (read directly, not through Incident.get: asked of many pairs)
    a1, a2, b1, b2 = (_named(fa.get("actor1")), _named(fa.get("actor2")), _named(fb.get("actor1")),
                      _named(fb.get("actor2")))

    def ok(x, y):
        # allies count as one side: "the resistance" in the headline, "pro-government forces" in the body
        return x is None or y is None or x == y or _same_side(x, y)

    x, y = {n for n in (a1, a2) if n}, {n for n in (b1, b2) if n}
    return x <= y or y <= x or (ok(a1, b1) and ok(a2, b2)) or (ok(a1, b2) and ok(a2, b1))


def _named(actor: str | None) -> str | None:
    """An unidentified group is no evidence of a different side: it matches anyone."""
    return None if not actor or actor.startswith("Unidentified") else actor


# The tests below read a mention's coded fields from its dict (``Incident.fields``), not through
# ``Incident.get`` (a Python call each): the document step asks them of some 20,000 pairs over
# 300 news reports.
def _place_key(e: Incident):
    f = e.fields
    return (f.get("country_code"), f.get("admin1_code"), f.get("location"))


def _places_compatible(a: Incident, b: Incident) -> bool:
    fa, fb = a.fields, b.fields
    if fa.get("location") is None or fb.get("location") is None:
        # a mention without a place (a title, "the attack") joins one in the same country
        return not (fa.get("country_code") and fb.get("country_code")) or fa["country_code"] == fb["country_code"]
    return _place_key(a) == _place_key(b)


def _dates_compatible(a: Incident, b: Incident) -> bool:
    return (a.fields.get("event_date") == b.fields.get("event_date") or not a.has_date_cue or not b.has_date_cue
            or _went_on(a, b) or _went_on(b, a))


def told_another_day(told: Incident, bare: Incident) -> bool:
    """`told` says its exact day in its sentence ("أمس"، "مساء الأربعاء"; a span such as "خلال
    اليومين الماضيين" is no day), `bare` says none but takes the day of its passage (an earlier
    sentence's), and the two days differ: compatible dates (a mention without a date cue joins
    any), yet two days told. A mention dated only by the publication is left out: that day is no
    told one, and the told day is likelier its own."""
    dt, db = told.get("event_date"), bare.get("event_date")
    return bool(dt and db and dt != db and told.has_date_cue and not bare.has_date_cue and bare.date_src == 1
                and told.get("time_precision") == 1)


def _went_on(first: Incident, later: Incident) -> bool:
    """A battle said to have begun on a day ("اندلعت ... أول من أمس") and told again on the next
    day: one incident over several named days (CODING.md: code its last day)."""
    if not (first.began and first.get("event_date") and later.get("event_date")):
        return False
    try:
        gap = (_date.fromisoformat(later["event_date"]) - _date.fromisoformat(first["event_date"])).days
    except (TypeError, ValueError):
        return False
    return 0 < gap <= 1


def same_incident(a: Incident, b: Incident) -> bool:
    fa, fb = a.fields, b.fields
    if fa["event_type"] != fb["event_type"] or fa["sub_event_type"] != fb["sub_event_type"]:
        return False
    # _places_compatible, _dates_compatible and _passages_apart inline (the document step asks this
    # of every pair of one type of a report, and of each weak mention against every incident)
    la, lb = fa.get("location"), fb.get("location")
    if la is None or lb is None:
        ca, cb = fa.get("country_code"), fb.get("country_code")
        placed = not (ca and cb) or ca == cb
    else:
        placed = (la == lb and fa.get("admin1_code") == fb.get("admin1_code")
                  and fa.get("country_code") == fb.get("country_code"))
    if not placed and not _same_toll_nearby(a, b):
        return False
    da, db = fa.get("event_date"), fb.get("event_date")
    if da != db:
        if a.has_date_cue and b.has_date_cue and not (_went_on(a, b) or _went_on(b, a)):
            return False
        if da and db and a.date_src == 1 and b.date_src == 1 and not a.has_date_cue and not b.has_date_cue:
            return False   # (_passages_apart)
    return _actors_compatible(a, b) or _one_side_shared(a, b)


def _passages_apart(a: Incident, b: Incident) -> bool:
    """Neither mention says a day in its sentence, each takes one from its own passage, and the
    two days differ. CODING.md dates such a sentence by "the date the surrounding passage gives",
    so each has a told date, and "one event per ... date" keeps them apart; a mention dated by the
    publication only (no passage) still joins any day (docs/events.md, dc91)."""
    da, db = a.fields.get("event_date"), b.fields.get("event_date")
    return bool(da and db and da != db and a.date_src == 1 and b.date_src == 1
                and not a.has_date_cue and not b.has_date_cue)


def _one_side_shared(a: Incident, b: Incident) -> bool:
    """Two mentions of one sub-type at the same named place and day that share a side ("الحوثيون"
    against the resistance in one sentence, against "the army" in the next) tell one incident whose
    other side one of them names otherwise: within one report the annotators coded such pairs once
    more often than twice (docs/rounds/events.md, 2026-12-04 night: out-of-fold F1 rose at both fixed
    thresholds)."""
    if a.get("location") is None or _place_key(a) != _place_key(b):
        return False
    return side_shared(a, b)


def side_shared(a: Incident, b: Incident) -> bool:
    """The two mentions name one side in common (an unidentified group is no side)."""
    xa = {n for n in (_named(a.get("actor1")), _named(a.get("actor2"))) if n}
    xb = {n for n in (_named(b.get("actor1")), _named(b.get("actor2"))) if n}
    return bool(xa & xb)


# the types whose actor1 acts on actor2 (CODING.md: "actor1 the side that acted", "actor2 the side
# acted upon"); in a battle both sides fight
ONE_SIDED = frozenset({"Explosions/Remote violence", "Violence against civilians"})


def side_shared_in_role(a: Incident, b: Incident) -> bool:
    """The two mentions name one side in common in the same role: the attacker of both, or the
    target of both (an unidentified group is no side)."""
    a1, a2, b1, b2 = (_named(a.get("actor1")), _named(a.get("actor2")), _named(b.get("actor1")),
                      _named(b.get("actor2")))
    return bool((a1 and a1 == b1) or (a2 and a2 == b2))


def _same_toll_nearby(a: Incident, b: Incident) -> bool:
    """"مقتل ثمانية مدنيين في قصف على جبال قنديل" and "قرية زاركلي قرب جبال قنديل ... ثمانية
    قتلى": the same precise toll at two places a few kilometres apart is one incident told twice."""
    fa, fb = a.fields.get("fatalities"), b.fields.get("fatalities")   # (asked of most pairs apart)
    if not (isinstance(fa, int) and fa > 0 and fa == fb and a.fat_known and b.fat_known
            and not a.fat_approx and not b.fat_approx):
        return False
    if a.get("country_code") != b.get("country_code") or a.split or b.split:
        return False   # towns told apart in one sentence (a shared-out toll) stay apart
    try:
        return distance_km(float(a["latitude"]), float(a["longitude"]), float(b["latitude"]), float(b["longitude"])) <= NEARBY_KM
    except (KeyError, TypeError, ValueError):
        return False


NEARBY_KM = 25.0


def seat_named(e, wide_cues: bool = True) -> bool:
    """e is placed at a town told bare by the name its governorate shares ("غارات على مواقعهم
    بمأرب", "معارك في تعز"; with a cue word, "مدينة مأرب", it is the town): such a name mostly sums
    up an incident of a district, village or quarter of the governorate, where the annotators
    coded it (CODING.md: the most specific place). One predicate for both steps (issue 13): the
    document step folds such a mention into a more precise one of the governorate, and the link
    features read such a pair as "nested", not "apart" (e: a mention or a coded event dict).
    wide_cues: after a cue of a wider area ("منطقة جازان", "ريف دمشق") the name still stands for
    its governorate, as the linking reads it; the document step reads any cue as the place's own
    (docs/rounds/events.md: the fold of "منطقة جازان" lowered Violence against civilians)."""
    admin1, told = e.get("admin1_code"), e.get("location_ar")
    if not admin1 or not told or (e.get("geo_precision") or 3) >= 3:
        return False
    return _names_governorate(told, admin1, wide_cues)


# the kinds of place_name_words.tsv's generic words that name a wider area than a place
_WIDE_CUES = ("admin1", "province", "area", "region", "countryside")


@lru_cache(maxsize=4096)
def _names_governorate(told: str, admin1: str, wide_cues: bool) -> bool:
    key = name_key(told)
    cue = GENERIC_FEATURE.get(key.split()[0]) if key else None
    if not key or cue is not None and not (wide_cues and cue in _WIDE_CUES):
        return False
    return any(p.feature == "admin1" and p.admin1 == admin1 for p in gazetteer.load().found(key))


def _inside(general: Incident, specific: Incident) -> bool:
    """The place of `general` contains that of `specific` and is less precise."""
    g, s = general.fields, specific.fields
    if not g.get("country_code") or g.get("country_code") != s.get("country_code"):
        return False
    if g.get("location") == s.get("location"):
        return False
    ga, sa = g.get("admin1_code"), s.get("admin1_code")
    if ga and ga != sa:
        return False
    gp, sp = g.get("geo_precision") or 3, s.get("geo_precision") or 3
    return (not ga and sa) or gp > sp


def _inside_either(a: Incident, b: Incident) -> bool:
    return _inside(a, b) or _inside(b, a)


def _nested_same(m: Incident, e: Incident) -> bool:
    """Vague fighting told at a place that holds the battle's place ("معارك في حمص" and the battle
    for its Khalidiya quarter): the same fighting, not a second event."""
    if m["event_type"] != e["event_type"] or not _actors_compatible(m, e):
        return False
    if _inside(m, e) or _inside(e, m):
        return True
    return m.get("admin1_code") == e.get("admin1_code") and quarter_named(m.get("location"), e.get("location"))


def quarter_named(a: str | None, b: str | None) -> bool:
    """One place name is a quarter or site the gazetteer names after the other ("Homs - Khalidiya"
    in "Homs"): the town holds it."""
    return bool(a and b) and (a.startswith(b + " - ") or b.startswith(a + " - "))
