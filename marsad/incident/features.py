"""The features of a pair of coded events from two reports (each in [0, 1], symmetric).

An event here is a CONTRACT event dict plus ``_published`` (the report's date), ``_text`` (the
words of its evidence) and ``_title`` (its report's title). The features say how much the two
agree on each thing an incident has: the day, the place, the sides, the kind of event, the toll
and the words. A field one report lacks is "unknown" (a middle value), not agreement.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from ..geo import distance_km
from ..store.search import readings
from ..text import normalize_key
from .tables import side, time_words, type_table

NAMES = ("date", "place", "actors", "type", "toll", "text", "title", "words", "text_set",
         "same_day", "same_name", "same_toll", "actor_conflict", "type_mismatch", "places_apart",
         "shingles", "numbers", "numbers_clash", "time_of_day", "place_in_text", "same_seat",
         "coarse")
# days a date may be off, by its time precision (1 day, 2 week, 3 month known)
PRECISION_DAYS = {1: 0, 2: 7, 3: 31}
WINDOW_DAYS = 2            # blocking: candidate pairs are at most this far apart (plus precision)
NEAR_KM = 50.0             # blocking: two precise places farther apart are never one incident
_GENERIC = ("Unidentified", "Unknown")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
SHINGLE = 4                # characters per shingle of the evidence's words


def link_day(ev: dict) -> date | None:
    """The day an event is compared by: its date, else its report's publication date."""
    day = _day(str(ev.get("event_date"))[:10])
    return day if day is not None else _day(str(ev.get("_published"))[:10])


@lru_cache(maxsize=65536)
def _day(text: str) -> date | None:   # every pair reads both days: parsed once per string
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def slack(ev: dict) -> int:
    if not ev.get("event_date"):
        return 1        # the publication day stands in: "yesterday" or a day late
    return PRECISION_DAYS.get(ev.get("time_precision") or 1, 0)


def day_gap(a: dict, b: dict) -> int | None:
    """Days between the two events beyond what their precision allows (0 = may be the same day)."""
    da, db = link_day(a), link_day(b)
    if da is None or db is None:
        return None
    return max(0, abs((da - db).days) - slack(a) - slack(b))


def date_score(a: dict, b: dict) -> float:
    gap = day_gap(a, b)
    if gap is None:
        return 0.4
    base = {0: 1.0, 1: 0.6, 2: 0.25}.get(gap, 0.0)
    if not (a.get("event_date") and b.get("event_date")):
        base = min(base, 0.6)     # a missing date agrees with anything near, but says little
    elif (a.get("time_precision") or 1) > 1 or (b.get("time_precision") or 1) > 1:
        base = min(base, 0.5)
    return base


def _coords(ev: dict):
    la, lo = ev.get("latitude"), ev.get("longitude")
    return (la, lo) if isinstance(la, (int, float)) and isinstance(lo, (int, float)) else None


def _coarse(ev: dict) -> bool:
    """Placed only at governorate or country level: its point is the seat, not the place."""
    return (ev.get("geo_precision") or 3) >= 3 or not ev.get("admin1_code")


def _pname(ev: dict) -> str:
    return _name_key(ev.get("location") or "")


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    # "Suruc (alt)": the gazetteer's row for another Arabic spelling of the same place
    return normalize_key(name.removesuffix(" (alt)")).strip()


_CITY_WORDS = ("مدينه ", "بلده ")   # as normalize_key writes مدينة / بلدة


@lru_cache(maxsize=4096)
def _names_governorate(name_ar: str, admin1: str) -> bool:
    """The Arabic name as the report tells it may name the governorate itself (تعز، مأرب، لحج,
    in the gazetteer)."""
    from ..places.gazetteer import load
    g = load()
    i = g.admin1.get(admin1)
    return i is not None and any(p.id == g.places[i].id for p in g.lookup(name_ar))


def _seat(ev: dict) -> bool:
    """A place told by a name its governorate shares, without "city" (تعز، مأرب، لحج): the
    report may mean the whole governorate, so against a place inside it the pair is "nested",
    not "apart"."""
    ga, told = ev.get("admin1_code"), normalize_key(ev.get("location_ar") or "").strip()
    if not ga or not told or _coarse(ev) or told.startswith(_CITY_WORDS):
        return False
    return _names_governorate(told, ga)


def _inside(a: dict, b: dict) -> bool:
    """One place is a quarter or site of the other ("Taizz - Al Hawban" in "Taizz")."""
    na, nb = _pname(a), _pname(b)
    return bool(na and nb) and (nb.startswith(na + " - ") or na.startswith(nb + " - "))


def nested(a: dict, b: dict) -> bool:
    """The place hierarchy: one place may hold the other (a seat told for its governorate, a
    quarter of a city), both of one governorate."""
    if not a.get("admin1_code") or a.get("admin1_code") != b.get("admin1_code"):
        return False
    if _pname(a) == _pname(b):
        return False
    return _inside(a, b) or _seat(a) or _seat(b)


def place_km(a: dict, b: dict) -> float | None:
    ca, cb = _coords(a), _coords(b)
    return _km(ca, cb) if ca and cb else None


@lru_cache(maxsize=65536)
def _km(ca: tuple, cb: tuple) -> float:   # blocking and three features ask for each pair's
    return distance_km(*ca, *cb)


def place_score(a: dict, b: dict) -> float:
    """1 same place; less with distance; a governorate-level point against a place inside the
    governorate is "nested" (0.5), two governorate-level points "unknown" (0.4), never 0 km."""
    if a.get("country_code") and b.get("country_code") and a["country_code"] != b["country_code"]:
        return 0.0
    ga, gb = a.get("admin1_code"), b.get("admin1_code")
    ca, cb = _coarse(a), _coarse(b)
    if ca or cb:
        if not ga or not gb:
            return 0.3                  # a country-level place: nothing to compare
        if ga != gb:
            return 0.0
        return 0.4 if (ca and cb) else 0.5
    na, nb = _pname(a), _pname(b)
    km = place_km(a, b)
    if nested(a, b):
        return max(0.5, _distance_score(km, ga == gb)) if km is not None else 0.5
    if km is None:
        return 0.8 if na and na == nb else (0.3 if ga == gb else 0.0)
    if na and na == nb:
        km = 0.0
    elif 2 in (a.get("geo_precision"), b.get("geo_precision")) and km <= 10:
        # a place near a town takes the town's point: two such places are not "0 km apart"
        return 0.6
    return _distance_score(km, ga == gb)


def _distance_score(km: float, one_governorate: bool) -> float:
    if km <= 3:
        return 1.0
    if km <= 10:
        return 0.8
    if km <= 25:
        return 0.55 if one_governorate else 0.4
    if km <= NEAR_KM:
        return 0.3 if one_governorate else 0.15
    return 0.0


def _role(x: str | None, y: str | None, ix, iy) -> float:
    """Agreement of one side: the same name 1, the same side of the conflict 0.8, one side
    unknown or unidentified 0.5, a generic name against one of its category 0.6, else 0."""
    if not x or not y:
        return 0.5
    if x == y:
        return 1.0
    gx, gy = x.startswith(_GENERIC), y.startswith(_GENERIC)
    if gx and gy:
        return 0.7
    if gx or gy:
        return 0.6 if ix is not None and ix == iy else 0.45
    if side(x) == side(y):
        return 0.8
    return 0.0


def _roles(a: dict, b: dict) -> tuple[float, float, float, float]:
    """_role of a's sides against b's: actor1-actor1, 2-2, then swapped 1-2, 2-1."""
    a1, a2, b1, b2 = a.get("actor1"), a.get("actor2"), b.get("actor1"), b.get("actor2")
    i1, i2, j1, j2 = a.get("inter1"), a.get("inter2"), b.get("inter1"), b.get("inter2")
    return _role(a1, b1, i1, j1), _role(a2, b2, i2, j2), _role(a1, b2, i1, j2), _role(a2, b1, i2, j1)


def actor_score(a: dict, b: dict, roles: tuple | None = None) -> float:
    """The better of the two readings: sides in the same roles or swapped (who attacked whom is
    told both ways in a battle; a report naming only the victim puts it as actor1 at times).
    roles: _roles(a, b), when the caller has them."""
    r11, r22, r12, r21 = roles or _roles(a, b)
    same = (r11 + r22) / 2
    swapped = (r12 + r21) / 2
    if a.get("event_type") != "Battles" and b.get("event_type") != "Battles":
        swapped -= 0.2
    return max(same, swapped)


@lru_cache(maxsize=256)
def _compatible(sub: str) -> tuple[str, ...]:
    return tuple(sorted({sub} | {k for pair in type_table() if sub in pair for k in pair}))


def compatible_sub_types(sub: str | None) -> list[str] | None:
    """The sub-event types the type table lets be one incident with ``sub`` (None: any)."""
    return list(_compatible(sub)) if sub else None


_GENERIC_KINDS = frozenset({"kill", "wound", "attack", "vac"})


@lru_cache(maxsize=8192)
def _told_types(text: str) -> frozenset[str]:
    """The sub-event types the text's own event triggers tell (triggers.tsv), generic ones (a
    toll, "attack") left out."""
    from ..components.events.kinds import trigger_matcher
    return frozenset(m.entry["sub_event_type"] for m in trigger_matcher().find(_key(text or ""))
                     if m.entry.get("strength") != "0" and m.entry["kind"] not in _GENERIC_KINDS)


def type_score(a: dict, b: dict) -> float:
    coded = _type_score(a, b)
    if coded >= 0.6:
        return coded
    sa, sb = a.get("sub_event_type"), b.get("sub_event_type")
    # one report's own words tell the kind the other report was coded with (a later report
    # recalling "the suicide attack" coded as shelling)
    if sa and sb and a.get("event_type") == b.get("event_type") and (
            sb in _told_types(a.get("_text") or "") or sa in _told_types(b.get("_text") or "")):
        return 0.6
    return coded


def _type_score(a: dict, b: dict) -> float:
    sa, sb = a.get("sub_event_type"), b.get("sub_event_type")
    if sa == sb:
        return 1.0 if sa else (1.0 if a.get("event_type") == b.get("event_type") else 0.0)
    value, when = type_table().get(frozenset((sa, sb)), (0.0, ""))
    if when == "civilians" and not any(str(e.get(k) or "").startswith("Civilians")
                                       for e in (a, b) for k in ("actor1", "actor2")):
        return 0.0
    return value


def toll_score(a: dict, b: dict) -> float:
    fa, fb = a.get("fatalities"), b.get("fatalities")
    if not isinstance(fa, (int, float)) or not isinstance(fb, (int, float)):
        return 0.5
    if fa == fb:
        return 1.0 if fa > 0 else 0.6
    if fa == 0 or fb == 0:
        return 0.3           # one outlet gives a toll, the other none (yet)
    lo, hi = sorted((fa, fb))
    return 0.8 if lo / hi >= 0.6 else (0.5 if lo / hi >= 0.3 else 0.2)


@lru_cache(maxsize=512)
def _key(text: str) -> str:
    """normalize_key of an evidence text: five of the caches below ask for it when a text is
    first seen, all within the scoring of one new event (so a few hundred recent ones do)."""
    return normalize_key(text)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return min(readings(word), key=len)        # clitic-free, as the search index reads it


@lru_cache(maxsize=8192)
def _stems(text: str) -> tuple[str, frozenset[str]]:
    """A text's content-word stems, sorted and joined by spaces (for rapidfuzz), and as a set
    of the stem cache's own strings (a set split off the joined string held a copy of each:
    4 MB more peak RSS in the ingest of the 1,213 articles)."""
    out = set()
    for word in _WORD.findall(_key(text or "")):
        stem = _stem(word)
        if len(stem) >= 3 and not stem.isdigit():
            out.add(stem)
    return " ".join(sorted(out)), frozenset(out)


def _words(text: str) -> str:
    return _stems(text)[0]


def text_similarity(x: str | None, y: str | None) -> float:
    """Similarity of two texts' content-word stems (rapidfuzz token-sort ratio, order-free)."""
    return _similarity(_words(x or ""), _words(y or ""))


def _similarity(wx: str, wy: str) -> float:
    # the ratio of the words as _words gives them: sorted and distinct already, so that the
    # token-sort ratio's own split and sort would give them back as they are
    return fuzz.ratio(wx, wy) / 100.0 if wx and wy else 0.0


def word_overlap(x: str | None, y: str | None) -> float:
    """Share of the shorter text's content-word stems that the other has."""
    sx, sy = _stems(x or "")[1], _stems(y or "")[1]
    return len(sx & sy) / min(len(sx), len(sy)) if sx and sy else 0.0


_NO_SHINGLES: tuple[np.ndarray, frozenset[str]] = (np.zeros(0, dtype=np.uint64), frozenset())
_NO_SHINGLES[0].flags.writeable = False


@lru_cache(maxsize=2048)
def _shingles(text: str) -> tuple[np.ndarray, frozenset[str]]:
    """The character shingles of a text's normalised words, spaces collapsed: the same sentence
    reworded or reordered by two outlets keeps most of them; two incidents told alike do not.

    Each shingle of four characters of the Basic Multilingual Plane is kept as the 64-bit number
    of its four UTF-16 code units (one-to-one: no two shingles share a number), in a sorted
    array: 8 bytes a shingle where a set of strings took about 140 (52 MB for the cache on the
    1,213 articles). The rare shingles with a character beyond it go in the set, as strings."""
    t = " ".join(_WORD.findall(_key(text or "")))
    n = len(t) - SHINGLE + 1
    if n <= 0:
        return _NO_SHINGLES
    if max(t) <= "\uffff":
        wide: frozenset[str] = frozenset()
        c = np.frombuffer(t.encode("utf-16-le", "surrogatepass"), dtype="<u2").astype(np.uint64)
    else:  # a character beyond it (rare): those shingles as strings, the others as numbers
        grams = [t[i:i + SHINGLE] for i in range(n)]
        wide = frozenset(g for g in grams if max(g) > "\uffff")
        c = np.array([min(ord(ch), 0xFFFF) for ch in t], dtype=np.uint64)
    codes = c[:n] << np.uint64(48)
    for k in range(1, SHINGLE):
        codes |= c[k:n + k] << np.uint64(48 - 16 * k)
    if wide:
        codes = codes[np.array([max(g) <= "\uffff" for g in grams], dtype=bool)]
    codes.sort()   # distinct by their neighbours: np.unique's hashing cost more on a few hundred
    out = codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
    out.flags.writeable = False  # shared by every caller through the cache
    return out, wide


def shingle_similarity(x: str | None, y: str | None) -> float:
    """Jaccard similarity of the two texts' character shingles."""
    return shingle_similarities(x, [y])[0]


def shingle_similarities(x: str | None, ys: list[str | None]) -> list[float]:
    """shingle_similarity of x and each of ys, with one numpy search for them all: a search
    per pair spent more in numpy's per-call overhead than in searching."""
    ax, wx = _shingles(x or "")
    others = [_shingles(y or "") for y in ys]
    every = np.concatenate([ax[:0]] + [ay for ay, _ in others])
    # found[k]: how many of the first k shingles of the others are in x's (sorted, distinct)
    found = np.zeros(len(every) + 1, dtype=np.int64)
    if len(ax):
        i = np.searchsorted(ax, every)
        i[i == len(ax)] = 0
        np.cumsum(ax[i] == every, out=found[1:])
    nx, end, out = len(ax) + len(wx), 0, []
    for ay, wy in others:
        start, end = end, end + len(ay)
        ny = len(ay) + len(wy)
        shared = int(found[end] - found[start]) + len(wx & wy)
        out.append(shared / (nx + ny - shared) if nx and ny else 0.0)
    return out


@lru_cache(maxsize=8192)
def _numbers(text: str) -> frozenset[str]:
    """The figures a text gives (tolls, counts, hours), years left out: a date says little."""
    return frozenset(n for n in _NUMBER.findall(_key(text or ""))
                     if not (len(n) == 4 and n.startswith(("19", "20"))))


def number_agreement(x: str | None, y: str | None) -> float | None:
    """Share of the figures of the text giving fewer that the other gives (None: one gives none)."""
    nx, ny = _numbers(x or ""), _numbers(y or "")
    return len(nx & ny) / min(len(nx), len(ny)) if nx and ny else None


@lru_cache(maxsize=8192)
def _day_parts(text: str) -> frozenset[str]:
    pattern, part = time_words()
    return frozenset(part[m.group(1)] for m in pattern.finditer(_key(text or "")))


def time_of_day(x: str | None, y: str | None) -> float:
    """1 both tell one part of the day, 0 both tell only other parts, 0.5 one tells none."""
    px, py = _day_parts(x or ""), _day_parts(y or "")
    if not px or not py:
        return 0.5
    return 1.0 if px & py else 0.0


@lru_cache(maxsize=8192)
def _padded(text: str) -> str:
    return f" {' '.join(_WORD.findall(_key(text or '')))} "


@lru_cache(maxsize=8192)
def _name_words(name: str) -> str:
    return " ".join(_WORD.findall(normalize_key(name)))


def _names_in(name: str | None, text: str | None) -> bool | None:
    key = _name_words(name or "")
    if not key or not text:
        return None
    padded = _padded(text)
    if key not in padded:   # most pairs: no need to try each proclitic
        return False
    # the name as words of the text, a proclitic (ب، و، في's ف) allowed before it
    return any(f"{p}{key} " in padded for p in (" ", " ب", " و", " ف", " ل", " وب"))


def place_in_text(a: dict, b: dict) -> float:
    """1 a report's place (as it names it in Arabic) is in the other's evidence, 0 both name a
    place and neither is in the other's words (a village in one, another in the other), 0.5
    unknown."""
    found = [_names_in(x.get("location_ar"), y.get("_text")) for x, y in ((a, b), (b, a))]
    if any(found):
        return 1.0
    return 0.0 if found == [False, False] else 0.5


def features(a: dict, b: dict, shingles: float | None = None) -> dict[str, float]:
    """shingles: the pair's shingle_similarity when the caller has it (shingle_similarities)."""
    wa, wb = _words(a.get("_text") or ""), _words(b.get("_text") or "")
    fa, fb = a.get("fatalities"), b.get("fatalities")
    kind = type_score(a, b)
    na = _pname(a)
    ta, tb = a.get("_text"), b.get("_text")
    figures = number_agreement(ta, tb)
    roles = _roles(a, b)
    # one name, but a governorate's too (مأرب، تعز): the reports may mean two sites of it
    named = bool(na) and na == _pname(b)
    seat = named and (_seat(a) or _seat(b))
    return {"date": date_score(a, b), "place": place_score(a, b), "actors": actor_score(a, b, roles),
            "type": kind, "toll": toll_score(a, b),
            "text": _similarity(wa, wb),
            "title": text_similarity(a.get("_title"), b.get("_title")),
            "words": word_overlap(a.get("_text"), b.get("_text")),
            "text_set": fuzz.token_set_ratio(wa, wb) / 100.0 if wa and wb else 0.0,
            "same_day": float(bool(a.get("event_date")) and a.get("event_date") == b.get("event_date")),
            "same_name": float(named and not seat),
            "same_toll": float(isinstance(fa, int) and fa > 0 and fa == fb),
            "actor_conflict": float(actor_conflict(a, b, roles)),
            "type_mismatch": float(kind < 0.5),
            "places_apart": float(places_apart(a, b)),
            "shingles": shingle_similarity(ta, tb) if shingles is None else shingles,
            "numbers": 0.5 if figures is None else figures,
            "numbers_clash": float(figures == 0.0),
            "time_of_day": time_of_day(ta, tb),
            "place_in_text": place_in_text(a, b),
            "same_seat": float(seat),
            # placed only at a governorate or country: its place says little either way, and
            # the date and words weigh more (linking gold: 22 of 38 such same-day pairs are one
            # incident, against 6 of 61 for two precise places of other names)
            "coarse": (_coarse(a) + _coarse(b)) / 2}


def actor_conflict(a: dict, b: dict, roles: tuple | None = None) -> bool:
    """Both reports name a side, and in neither reading (same roles, swapped) do they agree."""
    r11, r22, r12, r21 = roles or _roles(a, b)
    return 0.0 in (r11, r22) and 0.0 in (r12, r21)


def places_apart(a: dict, b: dict) -> bool:
    """Two precise places with different names more than 3 km apart (two villages of one
    governorate, two quarters of a city)."""
    if _coarse(a) or _coarse(b) or nested(a, b):
        return False
    na, nb = _pname(a), _pname(b)
    km = place_km(a, b)
    return bool(na and nb and na != nb and (km is None or km > 3))


def blocked(a: dict, b: dict) -> str | None:
    """Why the pair can never be one incident (None if it is a candidate): blocking on country,
    the date window widened by each date's precision, the governorate or 50 km, and type."""
    if (a.get("country_code") or None) != (b.get("country_code") or None):
        return "different countries"
    gap = day_gap(a, b)
    if gap is not None and gap > WINDOW_DAYS:
        return f"{gap} days apart beyond their precision"
    if type_score(a, b) == 0.0:
        return f"types {a.get('sub_event_type')} / {b.get('sub_event_type')} never one incident"
    ga, gb = a.get("admin1_code"), b.get("admin1_code")
    km = place_km(a, b)
    if ga and gb and ga != gb and (km is None or km > NEAR_KM or _coarse(a) or _coarse(b)):
        return "different governorates"
    return None
