"""Deciding when two reports describe the same incident, and what the merged event says.

Two coded events are the same incident when they have the same event type and sub-type, the
same event date and country, the same place (within MERGE_KM, or the same place name when
coordinates are missing) and compatible actors (equal, one side unknown, or a generic name
against a specific one of the same ACLED category). Never across types or days; never two
events of the same report (the extractor already split them). Fatalities follow ACLED: the
lowest figure, unless a report published later updates it (then the lowest of the latest).
"""

from __future__ import annotations

import math
from typing import Any

from ..text import normalize_key

MERGE_KM = 5.0
# Share of the shorter evidence's content words that the other report's evidence must also
# have. Two outlets telling one incident share words (the place, the weapon, what happened);
# two incidents in one governorate on one day, or a background sentence coded as an event,
# mostly do not. Chosen on a hand-checked sample of merges (see the store's report).
MIN_OVERLAP = 0.25
_GENERIC = ("unidentified", "unspecified", "unknown")
_STOP = set("في من على الى الي عن مع ان او ثم قد كان كانت التي الذي الذين هذا هذه ذلك تلك بعد "
            "قبل منذ حيث كما فيما بين عند خلال اليوم امس لا ما لم لن هو هي هم وقال قال اكد "
            "اضاف مصادر مصدر".split())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _place_name(ev: dict) -> str:
    return normalize_key(ev.get("location") or "").strip() or \
        normalize_key(ev.get("location_ar") or "").strip()


def same_place(a: dict, b: dict) -> tuple[bool, str]:
    if a.get("country_code") != b.get("country_code"):
        return False, "different countries"
    na, nb = _place_name(a), _place_name(b)
    if (a.get("geo_precision") == 3) != (b.get("geo_precision") == 3) and na != nb:
        # a place known only by its governorate (whose coordinates are often those of its
        # capital) says nothing about which town of it the other report names
        return False, "governorate-level place against a named town"
    if None not in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        d = distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
        if d <= MERGE_KM:
            return True, f"{d:.1f} km apart ({a.get('location') or '?'} / {b.get('location') or '?'})"
        return False, f"{d:.0f} km apart"
    if na and na == nb:
        return True, f"same place name {a.get('location') or a.get('location_ar')} (no coordinates)"
    return False, "places unknown or different"


def _generic(actor: str) -> bool:
    return any(g in actor.lower() for g in _GENERIC)


def actor_compatible(a: str | None, ia: Any, b: str | None, ib: Any) -> bool:
    if not a or not b or a == b:
        return True
    return (_generic(a) or _generic(b)) and ia == ib and ia is not None


def actors_compatible(a: dict, b: dict) -> tuple[bool, str]:
    def pair(x, y, swap=False):
        k1, k2 = ("actor2", "actor1") if swap else ("actor1", "actor2")
        i1, i2 = ("inter2", "inter1") if swap else ("inter1", "inter2")
        return (actor_compatible(x.get("actor1"), x.get("inter1"), y.get(k1), y.get(i1))
                and actor_compatible(x.get("actor2"), x.get("inter2"), y.get(k2), y.get(i2)))
    if pair(a, b):
        return True, f"actors {a.get('actor1') or '?'} / {a.get('actor2') or '?'} ~ " \
                     f"{b.get('actor1') or '?'} / {b.get('actor2') or '?'}"
    # in a battle who attacked whom is often told both ways
    if a.get("event_type") == "Battles" and pair(a, b, swap=True):
        return True, f"battle sides {a.get('actor1')} / {a.get('actor2')} ~ " \
                     f"{b.get('actor2')} / {b.get('actor1')} (swapped)"
    return False, "actors differ"


def evidence_terms(texts: list[str | None]) -> set[str]:
    """Content-word stems of a report's evidence for an event (for ``overlap``)."""
    from .search import _chunk_terms
    out: set[str] = set()
    for text in texts:
        for chunk in (text or "").split():
            readings = _chunk_terms(chunk)
            if readings:
                stem = min(readings, key=len)
                if len(stem) >= 3 and stem not in _STOP and not stem.isdigit():
                    out.add(stem)
    return out


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 1.0


def match(new: dict, existing: dict, new_terms: set[str] | None = None,
          existing_terms: list[set[str]] | None = None) -> tuple[bool, str]:
    """Whether the new coded event is the same incident as the existing event, and why.
    ``existing_terms``: the evidence terms of each report already merged into it."""
    for key in ("event_type", "sub_event_type"):
        if (new.get(key) or None) != (existing.get(key) or None):
            return False, f"different {key}"
    if not new.get("event_date") or new.get("event_date") != existing.get("event_date"):
        return False, "different or unknown date"
    ok, place = same_place(new, existing)
    if not ok:
        return False, place
    ok, actors = actors_compatible(new, existing)
    if not ok:
        return False, actors
    if not (new.get("admin1_code") and existing.get("admin1_code")):
        # placed only at country level: "the same place" says little, so the acting side
        # must be named and the same in both
        if not new.get("actor1") or new.get("actor1") != existing.get("actor1"):
            return False, "country-level place and actor1 not the same"
    words = ""
    if new_terms and existing_terms:
        best = max(overlap(new_terms, t) for t in existing_terms)
        if best < MIN_OVERLAP:
            return False, f"evidence shares {best:.0%} of its words"
        words = f", evidence shares {best:.0%} of its words"
    return True, (f"same type {new['event_type']} / {new.get('sub_event_type')}, same date "
                  f"{new['event_date']}, {place}, {actors}{words}")


def choose_fatalities(figures: list[tuple[str | None, int]]) -> tuple[int | None, str]:
    """ACLED: the lowest figure, unless a later report updates it. figures = (published, n).
    A report that gives no death (0) does not cancel one that gives a toll: 0 is kept only
    when no report gives a positive figure."""
    if not figures:
        return None, "no figure"
    if any(n > 0 for _, n in figures):
        figures = [(p, n) for p, n in figures if n > 0]
    else:
        return 0, "no report gives a death toll: 0"
    dates = [p for p, _ in figures if p]
    latest = max(dates) if dates else None
    if latest and len(set(dates)) > 1:
        latest_figs = [n for p, n in figures if p == latest]
        return min(latest_figs), f"lowest of the latest reports ({latest}): {min(latest_figs)}"
    low = min(n for _, n in figures)
    return low, f"lowest of {sorted({n for _, n in figures})}: {low}"


def combine(mentions: list[dict]) -> dict:
    """The merged event's fields from its mentions (each: the coded event plus
    _published, _outlet, _report_id). The first mention leads; the most precise place wins;
    the actors come from the report that names them best."""
    lead = mentions[0]
    out = {k: lead.get(k) for k in ("event_type", "sub_event_type", "plover_type", "event_date",
                                    "time_precision", "notes")}
    place = min(mentions, key=lambda m: (m.get("latitude") is None, m.get("geo_precision") or 9))
    for k in ("country_code", "admin1_code", "location", "location_ar", "latitude", "longitude",
              "geo_precision"):
        out[k] = place.get(k)
    # both actors from ONE report, the one naming them best (a pair mixed from two reports can
    # be nonsense when one told a battle the other way round)
    def named(m: dict) -> tuple[int, int]:
        names = [m.get("actor1"), m.get("actor2")]
        return (sum(1 for n in names if n and not _generic(n)), sum(1 for n in names if n))
    pair = max(mentions, key=named)   # max keeps the first of equals
    for k in ("actor1", "inter1", "actor2", "inter2"):
        out[k] = pair.get(k)
    out["time_precision"] = min((m.get("time_precision") or 9 for m in mentions), default=None)
    if out["time_precision"] == 9:
        out["time_precision"] = None
    figs = [(m.get("_published"), int(m["fatalities"])) for m in mentions
            if isinstance(m.get("fatalities"), (int, float))]
    out["fatalities"], out["_fatalities_why"] = choose_fatalities(figs)
    confs = [m["confidence"] for m in mentions if isinstance(m.get("confidence"), (int, float))]
    out["confidence"] = max(confs) if confs else None
    weapons: list[str] = []
    sources: list[str] = []
    for m in mentions:
        for w in m.get("weapons") or []:
            if w not in weapons:
                weapons.append(w)
        for s in m.get("sources") or []:
            s = s if isinstance(s, str) else (s.get("name") or s.get("label") or "")
            if s and s not in sources:
                sources.append(s)
    for m in mentions:
        if m.get("_outlet") and m["_outlet"] not in sources:
            sources.append(m["_outlet"])
    out["weapons"], out["sources"] = weapons, sources
    return out
