"""Is an event's point inside another country than its country_code?

No border geometry: the country of the nearest GeoNames town (cities500) stands for the
point's country, and only when that town is close; a coastal or border town's own point is
its country's, and a point far from any town (sea, desert) is not judged.
"""

from __future__ import annotations

import math
import threading

from ..geo import distance_km

NEAR_KM = 25.0        # farther than this from any town, the nearest town's country says nothing
_CELL = 0.5           # degrees: a grid cell is ~55 km, so a 3x3 block covers NEAR_KM everywhere but the poles

_grid: dict[tuple[int, int], list[tuple[float, float, str, str]]] | None = None
_lock = threading.Lock()


def _cells() -> dict:
    global _grid
    with _lock:
        if _grid is None:
            from ..places import gazetteer
            grid: dict = {}
            for p in gazetteer.load().places:
                if p.geonameid and p.feature == "city" and p.lat is not None and p.lon is not None and p.cc:
                    key = (math.floor(p.lat / _CELL), math.floor(p.lon / _CELL))
                    grid.setdefault(key, []).append((p.lat, p.lon, p.cc, p.name))
            _grid = grid
    return _grid


def nearest_town(lat: float, lon: float) -> tuple[float, str, str] | None:
    """(km, country code, name) of the nearest town within NEAR_KM, else None."""
    grid = _cells()
    ci, cj = math.floor(lat / _CELL), math.floor(lon / _CELL)
    best = None
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            for tlat, tlon, cc, name in grid.get((ci + di, cj + dj), ()):
                d = distance_km(lat, lon, tlat, tlon)
                if d <= NEAR_KM and (best is None or d < best[0]):
                    best = (d, cc, name)
    return best


def other_country(ev: dict) -> dict | None:
    """{"country_code", "near", "km"} when the event's point lies by a town of another country."""
    lat, lon, cc = ev.get("latitude"), ev.get("longitude"), ev.get("country_code")
    if lat is None or lon is None or not cc:
        return None
    try:
        hit = nearest_town(float(lat), float(lon))
    except Exception:  # no gazetteer (a broken cache dir): no flag rather than no page
        return None
    if hit is None or hit[1] == cc:
        return None
    return {"country_code": hit[1], "near": hit[2], "km": round(hit[0], 1)}
