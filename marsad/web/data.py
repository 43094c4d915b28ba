"""What the pages and the API ask of the store, shaped for the web.

Everything goes through the store's public API (``marsad.store``). Lists that every page's
filter bar offers (countries, governorates, actors, places) are computed from the events and
cached for a few seconds, and dropped when a report is ingested through the web.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from .. import fields
from .i18n import EVENT_TYPE_COLOURS, OTHER_COLOUR

MAP_LIMIT = 50_000        # markers sent to the map at most (the page says when there are more)
FACET_TTL = 30.0          # seconds a facet list is reused
# A toll is flagged as an outlier when it is at least OUTLIER_FACTOR times the 90th percentile of
# the store's non-zero tolls, and at least OUTLIER_MIN: war-wide totals coded as one event
# (300,000 killed) stand out, a large massacre of the day does not. The 90th percentile, not a
# higher one, because such totals can be a few per cent of all tolls.
OUTLIER_FACTOR = 10
OUTLIER_MIN = 100
FLAG_OUTLIER, FLAG_APPROXIMATE = 1, 2

# The CONTRACT event fields, in the order the event page and the GeoJSON show them.
EVENT_FIELDS = [f for f in fields.EVENT_FIELDS if f != "evidence"]


def jsonable(value: Any) -> Any:
    """Dates and other non-JSON values from the store, made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def public_status(store) -> dict:
    """The store's status without where its file lives on the server (its name only)."""
    import os
    st = jsonable(store.status())
    db = st.get("database")
    if isinstance(db, str) and "://" not in db:
        st["database"] = os.path.basename(db)
    elif isinstance(db, str):
        st["database"] = db.split("://", 1)[0]
    return st


class Facets:
    """Distinct countries, governorates, actors and places with event counts (cached)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._at = 0.0
        self._data: dict | None = None

    def clear(self) -> None:
        with self._lock:
            self._data = None

    def get(self, store) -> dict:
        with self._lock:
            if self._data is not None and time.monotonic() - self._at < FACET_TTL:
                return self._data
        data = compute_facets(store)
        with self._lock:
            self._data, self._at = data, time.monotonic()
        return data


def outlier_threshold(tolls: list[int]) -> int:
    """The smallest toll flagged as an outlier among these tolls."""
    tolls = sorted(t for t in tolls if t and t > 0)
    if not tolls:
        return OUTLIER_MIN
    q90 = tolls[int(0.9 * (len(tolls) - 1))]
    return max(OUTLIER_MIN, OUTLIER_FACTOR * q90)


def is_outlier(fatalities, threshold: int) -> bool:
    return isinstance(fatalities, int) and fatalities >= threshold


def compute_facets(store) -> dict:
    countries: Counter = Counter()
    tolls: list[int] = []
    admin1: Counter = Counter()
    actors: Counter = Counter()
    places: dict[tuple, dict] = {}
    for ev in store.iter_events():
        if ev.get("fatalities"):
            tolls.append(ev["fatalities"])
        cc = ev.get("country_code")
        if cc:
            countries[cc] += 1
        a1 = ev.get("admin1_code")
        if a1:
            admin1[a1] += 1
        for key in ("actor1", "actor2"):
            if ev.get(key):
                actors[ev[key]] += 1
        if ev.get("location") or ev.get("location_ar"):
            k = (ev.get("location"), ev.get("country_code"), ev.get("admin1_code"))
            p = places.get(k)
            if p is None:
                p = places[k] = {"location": ev.get("location"), "location_ar": ev.get("location_ar"),
                                 "country_code": cc, "admin1_code": a1, "latitude": ev.get("latitude"),
                                 "longitude": ev.get("longitude"), "events": 0, "fatalities": 0}
            p["events"] += 1
            p["fatalities"] += ev.get("fatalities") or 0
    from .names import actor_label, admin1_label, country_label
    return {
        "countries": [{"code": c, "name": country_label(c, "en"), "name_ar": country_label(c, "ar"), "events": n}
                      for c, n in countries.most_common()],
        "admin1": [{"code": c, "name": admin1_label(c, "en"), "name_ar": admin1_label(c, "ar"), "events": n}
                   for c, n in sorted(admin1.items(), key=lambda x: (-x[1], x[0]))],
        "actors": [{"name": a, "name_ar": actor_label(a, "ar"), "events": n} for a, n in actors.most_common()],
        "outlier_threshold": outlier_threshold(tolls),
        "places": sorted(places.values(), key=lambda p: (-p["events"], p["location"] or "")),
    }


def event_points(store, filters: dict, limit: int) -> tuple[list[dict], int]:
    """The map's columns of the matching events (newest first) and their total."""
    return store.event_points(limit=limit, **filters)


def map_points(store, filters: dict, threshold: int = OUTLIER_MIN) -> dict:
    """Compact markers for the map: [id, lat, lon, type index, fatalities, date, flags] per
    event; flags: FLAG_OUTLIER (toll at or above ``threshold``), FLAG_APPROXIMATE (only the
    governorate or country is known: not a precise point)."""
    events, total = event_points(store, filters, MAP_LIMIT)
    types: list[str] = []
    index: dict[str, int] = {}
    points = []
    unplaced = 0
    bounds = None
    for ev in events:
        lat, lon = ev.get("latitude"), ev.get("longitude")
        if lat is None or lon is None:
            unplaced += 1
            continue
        lat, lon = round(float(lat), 5), round(float(lon), 5)
        t = ev.get("event_type") or ""
        if t not in index:
            index[t] = len(types)
            types.append(t)
        day = ev.get("event_date")
        flags = (FLAG_OUTLIER if is_outlier(ev.get("fatalities"), threshold) else 0) | \
            (FLAG_APPROXIMATE if (ev.get("geo_precision") or 0) >= 3 else 0)
        points.append([ev["id"], lat, lon, index[t], ev.get("fatalities"),
                       day.isoformat() if hasattr(day, "isoformat") else day, flags])
        if bounds is None:
            bounds = [lat, lon, lat, lon]
        else:
            bounds = [min(bounds[0], lat), min(bounds[1], lon), max(bounds[2], lat), max(bounds[3], lon)]
    return {"total": total, "sent": len(events), "unplaced": unplaced, "types": types, "bounds": bounds,
            "outlier_threshold": threshold,
            "colours": [EVENT_TYPE_COLOURS.get(t, OTHER_COLOUR) for t in types], "points": points}


def geojson(events: list[dict], total: int) -> dict:
    feats = []
    for ev in events:
        lat, lon = ev.get("latitude"), ev.get("longitude")
        geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        props = {k: v for k, v in ev.items() if k not in ("latitude", "longitude")}
        feats.append({"type": "Feature", "id": ev.get("id"), "geometry": geom, "properties": props})
    return jsonable({"type": "FeatureCollection", "total": total, "features": feats})


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())   # weeks start on Monday (ISO)


def dense_start(days: dict[date, int], share: float = 0.05, gap: int = 30, quantile: float = 0.01) -> date:
    """The first day of the dense part of the data: the later of (a) the day after the last gap
    of more than ``gap`` days with at most ``share`` of the events before it, and (b) the day by
    which ``quantile`` of the events have happened. Stray events months or years before the
    rest (a misread date, a background reference) do not stretch the axis."""
    total = sum(days.values())
    ordered = sorted(days)
    after_gap, acc = ordered[0], 0
    for prev, d in zip(ordered, ordered[1:]):
        acc += days[prev]
        if acc > share * total:
            break
        if (d - prev).days > gap:
            after_gap = d
    acc = 0
    by_quantile = ordered[-1]
    for d in ordered:
        acc += days[d]
        if acc > quantile * total:
            by_quantile = d
            break
    return max(after_gap, by_quantile)


def timeline(store, filters: dict, interval: str, threshold: int = OUTLIER_MIN) -> dict:
    """Events and fatalities per day or week, per event type, on a gap-free axis over the chosen
    range (date_from, date_to), else over the dense part of the data (``dense_start`` to the
    last day), with the number of events outside it. Fatalities of flagged outliers (tolls of
    ``threshold`` or more) are left out of the sums and totalled apart."""
    st = store.stats(**filters)
    outlier_rows = store.stats(**{**filters, "min_fatalities": max(threshold, filters.get("min_fatalities") or 0)})["by_day"]
    rows = st.get("by_day") or []
    ev: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    fat: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    per_day: dict[date, int] = defaultdict(int)

    def day_of(raw):
        if not raw:
            return None
        try:
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
        except ValueError:
            return None
    dated = 0
    for r in rows:
        d = day_of(r.get("date"))
        if d is None:
            continue
        t = r.get("event_type") or ""
        n = int(r.get("events") or 0)
        dated += n
        per_day[d] += n
        ev[t][d] += n
        fat[t][d] += int(r.get("fatalities") or 0)
    outlier_fatalities = 0
    for r in outlier_rows:
        d = day_of(r.get("date"))
        f = int(r.get("fatalities") or 0)
        outlier_fatalities += f
        if d is not None:
            fat[r.get("event_type") or ""][d] -= f
    axis: list[date] = []
    start = end = None
    if per_day:
        start = date.fromisoformat(filters["date_from"]) if filters.get("date_from") else dense_start(per_day)
        end = date.fromisoformat(filters["date_to"]) if filters.get("date_to") else max(per_day)
        if interval == "week":
            start = week_start(start)
        step = timedelta(days=7 if interval == "week" else 1)
        d = start
        while d <= end and len(axis) < 20_000:
            axis.append(d)
            d += step

    def bucket(d: date) -> date:
        return week_start(d) if interval == "week" else d
    types = sorted(ev, key=lambda t: -sum(ev[t].values()))
    series_ev = {t: defaultdict(int) for t in types}
    series_fat = {t: defaultdict(int) for t in types}
    outside = 0
    for t in types:
        for d, n in ev[t].items():
            if start is None or d < start or d > end:
                outside += n
                continue
            series_ev[t][bucket(d)] += n
            series_fat[t][bucket(d)] += fat[t][d]
    total_fat = sum(int(r.get("fatalities") or 0) for r in rows) - outlier_fatalities
    return {
        "interval": interval,
        "buckets": [d.isoformat() for d in axis],
        "range": [start.isoformat(), end.isoformat()] if start else None,
        "data_range": data_range(store, filters, per_day),
        "outside": outside,
        "types": types,
        "colours": [EVENT_TYPE_COLOURS.get(t, OTHER_COLOUR) for t in types],
        "events": {t: [series_ev[t].get(d, 0) for d in axis] for t in types},
        "fatalities": {t: [series_fat[t].get(d, 0) for d in axis] for t in types},
        "total": st.get("total", dated),
        "total_fatalities": total_fat,
        "outlier_fatalities": outlier_fatalities,
        "outlier_events": sum(int(r.get("events") or 0) for r in outlier_rows),
        "outlier_threshold": threshold,
        "undated": max(0, (st.get("total") or 0) - dated),
    }


def data_range(store, filters: dict, per_day: dict) -> list[str] | None:
    """First and last day of the events matching the filters other than the dates (the range a
    time slider can cover)."""
    if filters.get("date_from") or filters.get("date_to"):
        rows = store.stats(**{k: v for k, v in filters.items() if k not in ("date_from", "date_to")})["by_day"]
        days = [str(r["date"])[:10] for r in rows if r.get("date")]
        return [min(days), max(days)] if days else None
    return [min(per_day).isoformat(), max(per_day).isoformat()] if per_day else None


def summary(store, filters: dict, threshold: int, limit: int = 8) -> dict:
    """Events and fatalities by type, country, governorate and actor, and the top places, for
    the filters; outlier tolls are left out of the fatality sums (and counted apart)."""
    out = {by: store.group_counts(by, limit=limit if by != "event_type" else None,
                                  fatality_cap=threshold, **filters)
           for by in ("event_type", "country", "admin1", "actor", "location")}
    st = store.stats(**filters)
    outliers = store.stats(**{**filters, "min_fatalities": max(threshold, filters.get("min_fatalities") or 0)})
    return jsonable({**out, "total": st["total"], "fatalities": st["fatalities"] - outliers["fatalities"],
                     "outlier_events": outliers["total"], "outlier_fatalities": outliers["fatalities"],
                     "outlier_threshold": threshold})


_outline_names: dict | None = None


def outline_names() -> dict:
    """Arabic names of the base map's outlines: {"countries": {name: ar}, "admin1": {name: ar}},
    from the names the outline files carry (Natural Earth, English), through names.py. Outlines
    whose name or HASC code cannot be matched keep their English name."""
    global _outline_names
    if _outline_names is not None:
        return _outline_names
    import json
    from pathlib import Path

    import pycountry

    from . import names
    folder = Path(__file__).resolve().parent / "static" / "vendor" / "outlines"
    out: dict = {"countries": {}, "admin1": {}}
    try:
        countries = json.loads((folder / "countries.geojson").read_text(encoding="utf-8"))["features"]
        admin1 = json.loads((folder / "admin1.geojson").read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError):
        countries, admin1 = [], []
    for f in countries:
        name = (f.get("properties") or {}).get("name")
        code = names.country_code(name) if name else None
        if code:
            out["countries"][name] = names.country_label(code, "ar")
    for f in admin1:
        props = f.get("properties") or {}
        name, hasc = props.get("name"), (props.get("hasc") or "").replace(".", "-")
        if not name:
            continue
        code = hasc if len(hasc) > 3 and (pycountry.subdivisions.get(code=hasc) or names.admin1_label(hasc, "ar") != hasc) \
            else names.admin1_code(name)
        label = names.admin1_label(code, "ar") if code else None
        if label and names.is_arabic(label):
            out["admin1"][name] = label
    _outline_names = out
    return out
