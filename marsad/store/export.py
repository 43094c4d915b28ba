"""Exports: ACLED-style CSV (the exact ACLED column set), GeoJSON and JSON lines."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from typing import IO, Iterable

from ..components.actors import ACLED_COUNTRY

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
FORMATS = ("acled-csv", "geojson", "jsonl")

# ACLED's region names for the countries Marsad's reports are about (country names: ACLED_COUNTRY).
_REGION = {**{c: "Middle East" for c in "SY IQ YE LB JO PS IL SA IR TR KW BH QA AE OM".split()},
           **{c: "Northern Africa" for c in "LY EG TN DZ MA SD".split()},
           "SO": "Eastern Africa", "AF": "South Asia"}


@lru_cache(maxsize=None)
def _country(code: str) -> tuple[str, str, str]:
    """(ACLED country name, ISO3, ISO numeric) for an ISO2 code."""
    import pycountry
    c = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if c is None:
        return (code or "", "", "")
    name = ACLED_COUNTRY.get(code.upper()) or getattr(c, "common_name", None) or c.name
    return name, c.alpha_3, str(int(c.numeric))


def _ascii(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


@lru_cache(maxsize=None)
def _admin1(code: str) -> str:
    if not code:
        return ""
    import pycountry
    sub = pycountry.subdivisions.get(code=code.upper())
    return _ascii(sub.name) if sub else ""


def disorder_type(event_type: str | None, sub_event_type: str | None) -> str:
    if event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
        return "Political violence"
    if event_type == "Protests":
        return ("Political violence; Demonstrations"
                if sub_event_type == "Excessive force against protesters" else "Demonstrations")
    if event_type == "Riots":
        return "Political violence" if sub_event_type == "Mob violence" else "Demonstrations"
    return "Strategic developments" if event_type else ""


def interaction(inter1, inter2) -> str:
    """ACLED's two-digit interaction code (lower category first; 10, 20... for one actor)."""
    cats = sorted(int(x) for x in (inter1, inter2) if x)
    if not cats:
        return ""
    return str(cats[0] * 10) if len(cats) == 1 else f"{cats[0]}{cats[1]}"


def _timestamp(ev: dict) -> str:
    t = ev.get("updated_at") or ev.get("created_at")
    try:
        return str(int(datetime.fromisoformat(t).replace(tzinfo=timezone.utc).timestamp()))
    except (TypeError, ValueError):
        return ""


def _fmt(x) -> str:
    return "" if x is None else str(x)


def acled_row(ev: dict) -> dict:
    cc = (ev.get("country_code") or "").upper()
    name, iso3, numeric = _country(cc)
    d = ev.get("event_date") or ""
    civ = "Civilian targeting" if ev.get("inter2") == 7 and ev.get("event_type") in (
        "Violence against civilians", "Explosions/Remote violence") else ""
    tags = []
    if ev.get("weapons"):
        tags.append("weapons: " + ", ".join(ev["weapons"]))
    if (ev.get("n_reports") or 1) > 1:
        tags.append(f"merged from {ev['n_reports']} reports")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{ev['id']}",
        "event_date": d,
        "year": d[:4],
        "time_precision": _fmt(ev.get("time_precision")),
        "disorder_type": disorder_type(ev.get("event_type"), ev.get("sub_event_type")),
        "event_type": _fmt(ev.get("event_type")),
        "sub_event_type": _fmt(ev.get("sub_event_type")),
        "actor1": _fmt(ev.get("actor1")), "assoc_actor_1": "", "inter1": _fmt(ev.get("inter1")),
        "actor2": _fmt(ev.get("actor2")), "assoc_actor_2": "", "inter2": _fmt(ev.get("inter2")),
        "interaction": interaction(ev.get("inter1"), ev.get("inter2")),
        "civilian_targeting": civ,
        "iso": numeric, "region": _REGION.get(cc, ""), "country": name,
        "admin1": ev.get("admin1") or _admin1(ev.get("admin1_code") or ""),
        "admin2": _fmt(ev.get("admin2")), "admin3": _fmt(ev.get("admin3")),
        "location": _fmt(ev.get("location")),
        "latitude": "" if ev.get("latitude") is None else f"{ev['latitude']:.4f}",
        "longitude": "" if ev.get("longitude") is None else f"{ev['longitude']:.4f}",
        "geo_precision": _fmt(ev.get("geo_precision")),
        "source": "; ".join(ev.get("sources") or []),
        "source_scale": "",
        "notes": _fmt(ev.get("notes")),
        "fatalities": _fmt(ev.get("fatalities") if ev.get("fatalities") is not None else 0),
        "tags": "; ".join(tags),
        "timestamp": _timestamp(ev),
    }


def write_acled_csv(events: Iterable[dict], out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for ev in events:
        w.writerow(acled_row(ev))
        n += 1
    return n


def write_geojson(events: Iterable[dict], out: IO[str]) -> int:
    """A FeatureCollection; events without coordinates have a null geometry (valid GeoJSON)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for ev in events:
        geom = None
        if ev.get("latitude") is not None and ev.get("longitude") is not None:
            geom = {"type": "Point", "coordinates": [ev["longitude"], ev["latitude"]]}
        props = {k: v for k, v in ev.items() if k not in ("latitude", "longitude")}
        feat = {"type": "Feature", "id": ev["id"], "geometry": geom, "properties": props}
        out.write((",\n" if n else "") + json.dumps(feat, ensure_ascii=False, default=str))
        n += 1
    out.write("\n]}\n")
    return n


def write_jsonl(events: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for ev in events:
        out.write(json.dumps(ev, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def export(events: Iterable[dict], fmt: str, out: IO[str]) -> int:
    writer = {"acled-csv": write_acled_csv, "geojson": write_geojson, "jsonl": write_jsonl}.get(fmt)
    if writer is None:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return writer(events, out)
