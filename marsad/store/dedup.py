"""What a merged event says, from the events its reports coded (which reports are one incident is
decided by marsad.incident, see store/links.py).

The first mention (the earliest report) leads; the most precise place wins; both actors come from
the one report that names them best. Fatalities follow CODING.md and ACLED: the lowest figure,
unless a report published later updates it (then the lowest of the latest); a report that gives no
death does not cancel one that gives a toll.
"""

from __future__ import annotations

_GENERIC = ("unidentified", "unspecified", "unknown")


def _generic(actor: str) -> bool:
    # _GENERIC's words written out: no generator for each actor of each mention combined
    low = actor.lower()
    return "unidentified" in low or "unspecified" in low or "unknown" in low


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


_LEAD = ("event_type", "sub_event_type", "plover_type", "event_date", "time_precision", "notes")
_PLACE = ("country_code", "admin1_code", "location", "location_ar", "latitude", "longitude",
          "geo_precision")
_PAIR = ("actor1", "inter1", "actor2", "inter2")


def combine(mentions: list[dict]) -> dict:
    """The merged event's fields from its mentions (each: the coded event plus
    _published, _outlet, _report_id). The first mention leads; the most precise place wins;
    the actors come from the report that names them best."""
    lead = mentions[0]
    # an event of one mention (most: a report linked to none) is its own place and actors:
    # min and max of one item give it without calling the key
    one = len(mentions) == 1
    place = lead if one else min(mentions, key=lambda m: (m.get("latitude") is None,
                                                          m.get("geo_precision") or 9))
    # both actors from ONE report, the one naming them best (a pair mixed from two reports can
    # be nonsense when one told a battle the other way round)
    def named(m: dict) -> tuple[int, int]:
        names = [m.get("actor1"), m.get("actor2")]
        return (sum(1 for n in names if n and not _generic(n)), sum(1 for n in names if n))
    pair = lead if one else max(mentions, key=named)   # max keeps the first of equals
    # each part's fields read by one map (an event is combined each time it is written)
    out = dict(zip(_LEAD, map(lead.get, _LEAD)))
    out.update(zip(_PLACE, map(place.get, _PLACE)))
    out.update(zip(_PAIR, map(pair.get, _PAIR)))
    tp = (lead.get("time_precision") or 9) if one else min(m.get("time_precision") or 9 for m in mentions)
    out["time_precision"] = None if tp == 9 else tp
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
