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

from .i18n import EVENT_TYPE_COLOURS, OTHER_COLOUR

MAP_LIMIT = 50_000        # markers sent to the map at most (the page says when there are more)
FACET_TTL = 30.0          # seconds a facet list is reused

# The CONTRACT event fields, in the order the event page and the GeoJSON show them.
EVENT_FIELDS = ["event_type", "sub_event_type", "plover_type", "event_date", "time_precision",
                "country_code", "admin1_code", "location", "location_ar", "latitude", "longitude",
                "geo_precision", "actor1", "inter1", "actor2", "inter2", "fatalities", "weapons",
                "sources", "notes", "confidence"]


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


def place_names() -> tuple:
    """(country name, country name in Arabic, governorate name) functions from pycountry."""
    import gettext

    import pycountry
    try:
        ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"]).gettext
    except OSError:
        ar = None

    def country(code: str) -> tuple[str, str]:
        c = pycountry.countries.get(alpha_2=code)
        if c is None:
            return code, code
        en = getattr(c, "common_name", None) or c.name
        return en, ar(c.name) if ar else en

    def admin1(code: str) -> str:
        sub = pycountry.subdivisions.get(code=code)
        return sub.name if sub is not None else code
    return country, admin1


def compute_facets(store) -> dict:
    countries: Counter = Counter()
    admin1: Counter = Counter()
    actors: Counter = Counter()
    places: dict[tuple, dict] = {}
    for ev in store.iter_events():
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
    country_name, admin1_name = place_names()
    return {
        "countries": [{"code": c, "name": country_name(c)[0], "name_ar": country_name(c)[1], "events": n}
                      for c, n in countries.most_common()],
        "admin1": [{"code": c, "name": admin1_name(c), "events": n}
                   for c, n in sorted(admin1.items(), key=lambda x: (-x[1], x[0]))],
        "actors": [{"name": a, "events": n} for a, n in actors.most_common()],
        "places": sorted(places.values(), key=lambda p: (-p["events"], p["location"] or "")),
    }


def event_points(store, filters: dict, limit: int) -> tuple[list[dict], int]:
    """The map's columns of the matching events (newest first) and their total."""
    return store.event_points(limit=limit, **filters)


def map_points(store, filters: dict) -> dict:
    """Compact markers for the map: [id, lat, lon, type index, fatalities, date] per event."""
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
        points.append([ev["id"], lat, lon, index[t], ev.get("fatalities"),
                       day.isoformat() if hasattr(day, "isoformat") else day])
        if bounds is None:
            bounds = [lat, lon, lat, lon]
        else:
            bounds = [min(bounds[0], lat), min(bounds[1], lon), max(bounds[2], lat), max(bounds[3], lon)]
    return {"total": total, "sent": len(events), "unplaced": unplaced, "types": types, "bounds": bounds,
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


def timeline(store, filters: dict, interval: str) -> dict:
    """Events and fatalities per day or week, per event type, on a gap-free axis."""
    st = store.stats(**filters)
    rows = st.get("by_day") or []
    ev: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    fat: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    buckets: set[date] = set()
    for r in rows:
        raw = r.get("date")
        if not raw:
            continue
        try:
            d = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
        except ValueError:
            continue
        b = week_start(d) if interval == "week" else d
        t = r.get("event_type") or ""
        buckets.add(b)
        ev[t][b] += int(r.get("events") or 0)
        fat[t][b] += int(r.get("fatalities") or 0)
    axis: list[date] = []
    if buckets:
        step = timedelta(days=7 if interval == "week" else 1)
        d, last = min(buckets), max(buckets)
        while d <= last and len(axis) < 20_000:
            axis.append(d)
            d += step
    types = sorted(ev, key=lambda t: -sum(ev[t].values()))
    return {
        "interval": interval,
        "buckets": [d.isoformat() for d in axis],
        "types": types,
        "colours": [EVENT_TYPE_COLOURS.get(t, OTHER_COLOUR) for t in types],
        "events": {t: [ev[t].get(d, 0) for d in axis] for t in types},
        "fatalities": {t: [fat[t].get(d, 0) for d in axis] for t in types},
        "total": st.get("total", sum(sum(v.values()) for v in ev.values())),
        "total_fatalities": st.get("fatalities", sum(sum(v.values()) for v in fat.values())),
        "undated": max(0, (st.get("total") or 0) - sum(sum(v.values()) for v in ev.values())),
    }
