"""The features of a pair of coded events from two reports (each in [0, 1], symmetric).

An event here is a CONTRACT event dict plus ``_published`` (the report's date), ``_text`` (the
words of its evidence) and ``_title`` (its report's title). The features say how much the two
agree on each thing an incident has: the day, the place, the sides, the kind of event, the toll
and the words. A field one report lacks is "unknown" (a middle value), not agreement.

What a feature reads of one event (its day, point, place name, sides, word stems, figures,
shingles...) is computed once per event in a ``View`` (``view(ev)``); the store keeps the views
of stored events, so scoring a pair reads attributes instead of parsing, normalising and
looking up the same values again for each of the event's candidates. ``features(a, b)`` (every
feature, by name: the fitting scripts and the explanations) and ``values`` (the store's scoring,
skipping the features of weight 0) are one code on the views.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from itertools import repeat

import numpy as np
from rapidfuzz import fuzz, process

from ..geo import distance_km
from ..lexicon import word_lists
from ..places.names import core_and_article
from ..store.search import key_words, readings
from ..text import normalize_key
from ..text.normalize import normalize_text
from ..text.native import compiled
from .tables import data_rows, side, site_words, summary_words, time_words, type_table
from .within import quarter_named, seat_named

NAMES = ("date", "place", "actors", "type", "toll", "text", "title", "words", "text_set",
         "same_day", "same_name", "same_toll", "actor_conflict", "type_mismatch", "places_apart",
         "shingles", "numbers", "numbers_clash", "time_of_day", "place_in_text", "same_seat",
         "coarse", "tolls_apart", "sites_clash", "counts_clash", "bomb", "summary_toll",
         "battles")
# days a date may be off, by its time precision (1 day, 2 week, 3 month known)
PRECISION_DAYS = {1: 0, 2: 7, 3: 31}
WINDOW_DAYS = 2            # blocking: candidate pairs are at most this far apart (plus precision)
# ... and a pair either of whose events is a bomb (pair_kinds.tsv): a bombing is retold for days
# with its toll rising (docs/linking.md, lk82); the date feature scores such gaps 0
BOMB_WINDOW_DAYS = 4
WIDEST_WINDOW_DAYS = max(WINDOW_DAYS, BOMB_WINDOW_DAYS)   # what the store's block query scans
NEAR_KM = 50.0             # blocking: two precise places farther apart are never one incident
_GENERIC = ("Unidentified", "Unknown")
_WORD = re.compile(r"\w+")
# a figure standing alone: digits with neither a word character nor a point either side
# ((?<![\w.])\d+(?![\w.])), written to start with the digit (the lookbehind asked after it, of
# the character before the digit) so that the scan skips to digits: a pattern opening with a
# lookbehind is tried at every character (Python's re finds a leading character class fast)
_NUMBER = re.compile(r"\d(?<![\w.]\d)\d*(?![\w.])")
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
    g = ev.get          # the store asks twice for each candidate (links._mutual)
    if not g("event_date"):
        return 1        # the publication day stands in: "yesterday" or a day late
    return PRECISION_DAYS.get(g("time_precision") or 1, 0)


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


def _side_of(name, inter) -> tuple | None:
    """One side of an event as _role compares it: (name, inter, generic, side), None unnamed."""
    if not name:
        return None
    text = isinstance(name, str)
    return (name, inter, text and name.startswith(_GENERIC), side(name) if text else name)


_UNSET = object()


class View:
    """What the pair features read of one event, computed once (the costly parts, its seat,
    shingles and told kinds, when first asked). ``ev`` is the event dict it was made from."""

    __slots__ = ("ev", "event_date", "ordinal", "slack", "loose", "country", "admin1", "coords",
                 "coarse", "pname", "geo_precision", "sides", "event_type", "sub", "civilians",
                 "battles", "fatalities", "positive_toll", "text", "words", "stems", "numbers", "title",
                 "_seat", "_shingles", "dated", "geo2", "quarter", "counted", "n_stems", "n_numbers",
                 "_sites", "_counts", "kinds", "_summary")

    def __init__(self, ev: dict):
        g = ev.get
        self.ev = ev
        self.event_date = g("event_date")
        day = link_day(ev)
        self.ordinal = day.toordinal() if day is not None else None
        self.slack = slack(ev)
        self.loose = (g("time_precision") or 1) > 1      # a week or month only
        self.country = g("country_code")
        self.admin1 = g("admin1_code")
        self.coords = _coords(ev)
        self.coarse = _coarse(ev)
        self.pname = _pname(ev)
        self.geo_precision = g("geo_precision")
        self.sides = (_side_of(g("actor1"), g("inter1")), _side_of(g("actor2"), g("inter2")))
        self.event_type = g("event_type")
        self.sub = g("sub_event_type")
        self.civilians = any(str(g(k) or "").startswith("Civilians") for k in ("actor1", "actor2"))
        self.battles = self.event_type == "Battles"
        self.fatalities = g("fatalities")
        self.positive_toll = isinstance(self.fatalities, int) and self.fatalities > 0
        self.text = g("_text")
        self.words, self.stems = _stems(self.text or "")
        self.numbers = _numbers(self.text or "")
        self.title = g("_title")
        self._seat = self._shingles = self._sites = self._counts = self._summary = _UNSET
        # what values_all would otherwise work out again for each candidate pair
        self.dated = bool(self.event_date)
        self.geo2 = self.geo_precision == 2
        self.quarter = self.pname + " - " if self.pname else None    # quarter_named (within.py), inlined below in values_all
        self.counted = isinstance(self.fatalities, (int, float))
        self.n_stems, self.n_numbers = len(self.stems), len(self.numbers)
        self.kinds = _kinds(self.event_type, self.sub)

    @property
    def seat(self) -> bool:
        if self._seat is _UNSET:
            self._seat = seat_named(self.ev)
        return self._seat

    @property
    def sites(self) -> tuple[frozenset[str], frozenset[str]]:
        """The sites its evidence names (_sites) and its words."""
        if self._sites is _UNSET:
            self._sites = _sites(self.text or "", self.ev.get("location_ar") or "", self.admin1,
                                 self.battles)
        return self._sites

    @property
    def summary(self) -> bool:
        """Whether its evidence tells a summary (summary_words.tsv: a stretch of days, a running toll)."""
        if self._summary is _UNSET:
            self._summary = _summary(self.text or "")
        return self._summary

    @property
    def counts(self) -> dict[str, frozenset[int]]:
        """What its evidence counts (_counts: strikes, shells...), by thing."""
        if self._counts is _UNSET:
            self._counts = _counts(self.text or "")
        return self._counts

    @property
    def shingles(self) -> tuple[np.ndarray, frozenset[str]]:
        if self._shingles is _UNSET:   # kept with the view: no recomputing for texts that left the cache
            self._shingles = _shingles(self.text or "")
        return self._shingles


def view(ev) -> View:
    """The event's View (ev itself when it is one)."""
    return ev if isinstance(ev, View) else View(ev)


def _gap(a: View, b: View) -> int | None:
    if a.ordinal is None or b.ordinal is None:
        return None
    return max(0, abs(a.ordinal - b.ordinal) - a.slack - b.slack)


def day_gap(a: dict, b: dict) -> int | None:
    """Days between the two events beyond what their precision allows (0 = may be the same day)."""
    return _gap(view(a), view(b))


_DATE_BASE = {0: 1.0, 1: 0.6, 2: 0.25}


def _date(a: View, b: View) -> float:
    gap = _gap(a, b)
    if gap is None:
        return 0.4
    base = _DATE_BASE.get(gap, 0.0)
    if not (a.event_date and b.event_date):
        base = min(base, 0.6)     # a missing date agrees with anything near, but says little
    elif a.loose or b.loose:
        base = min(base, 0.5)
    return base


def date_score(a: dict, b: dict) -> float:
    return _date(view(a), view(b))


def _nested(a: View, b: View) -> bool:
    if not a.admin1 or a.admin1 != b.admin1:
        return False
    if a.pname == b.pname:
        return False
    return quarter_named(a.pname, b.pname) or a.seat or b.seat


def nested(a: dict, b: dict) -> bool:
    """The place hierarchy: one place may hold the other (a seat told for its governorate, a
    quarter of a city), both of one governorate."""
    return _nested(view(a), view(b))


def _place_km(a: View, b: View) -> float | None:
    ca, cb = a.coords, b.coords
    return _km(ca, cb) if ca and cb else None


def place_km(a: dict, b: dict) -> float | None:
    return _place_km(view(a), view(b))


@lru_cache(maxsize=65536)
def _km(ca: tuple, cb: tuple) -> float:   # blocking and three features ask for each pair's
    return distance_km(*ca, *cb)


def _place(a: View, b: View) -> float:
    if a.country and b.country and a.country != b.country:
        return 0.0
    ga, gb = a.admin1, b.admin1
    ca, cb = a.coarse, b.coarse
    if ca or cb:
        if not ga or not gb:
            return 0.3                  # a country-level place: nothing to compare
        if ga != gb:
            return 0.0
        return 0.4 if (ca and cb) else 0.5
    na, nb = a.pname, b.pname
    km = _place_km(a, b)
    if _nested(a, b):
        return max(0.5, _distance_score(km, ga == gb)) if km is not None else 0.5
    if km is None:
        return 0.8 if na and na == nb else (0.3 if ga == gb else 0.0)
    if na and na == nb:
        km = 0.0
    elif 2 in (a.geo_precision, b.geo_precision) and km <= 10:
        # a place near a town takes the town's point: two such places are not "0 km apart"
        return 0.6
    return _distance_score(km, ga == gb)


def place_score(a: dict, b: dict) -> float:
    """1 same place; less with distance; a governorate-level point against a place inside the
    governorate is "nested" (0.5), two governorate-level points "unknown" (0.4), never 0 km."""
    return _place(view(a), view(b))


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


def _role(x: tuple | None, y: tuple | None) -> float:
    """Agreement of one side (_side_of): the same name 1, the same side of the conflict 0.8,
    one side unknown or unidentified 0.5, a generic name against one of its category 0.6,
    else 0."""
    if x is None or y is None:
        return 0.5
    if x[0] == y[0]:
        return 1.0
    gx, gy = x[2], y[2]
    if gx and gy:
        return 0.7
    if gx or gy:
        return 0.6 if x[1] is not None and x[1] == y[1] else 0.45
    if x[3] == y[3]:
        return 0.8
    return 0.0


def _roles_v(a: View, b: View) -> tuple[float, float, float, float]:
    """_role of a's sides against b's: actor1-actor1, 2-2, then swapped 1-2, 2-1."""
    (a1, a2), (b1, b2) = a.sides, b.sides
    return _role(a1, b1), _role(a2, b2), _role(a1, b2), _role(a2, b1)


def _roles(a: dict, b: dict) -> tuple[float, float, float, float]:
    return _roles_v(view(a), view(b))


def _actors(a: View, b: View, roles: tuple) -> float:
    r11, r22, r12, r21 = roles
    same = (r11 + r22) / 2
    swapped = (r12 + r21) / 2
    if not a.battles and not b.battles:
        swapped -= 0.2
    return max(same, swapped)


def actor_score(a: dict, b: dict, roles: tuple | None = None) -> float:
    """The better of the two readings: sides in the same roles or swapped (who attacked whom is
    told both ways in a battle; a report naming only the victim puts it as actor1 at times).
    roles: _roles(a, b), when the caller has them."""
    a, b = view(a), view(b)
    return _actors(a, b, roles or _roles_v(a, b))


@lru_cache(maxsize=256)
def _compatible(sub: str) -> tuple[str, ...]:
    return tuple(sorted({sub} | {k for pair in type_table() if sub in pair for k in pair}))


def compatible_sub_types(sub: str | None) -> list[str] | None:
    """The sub-event types the type table lets be one incident with ``sub`` (None: any)."""
    return list(_compatible(sub)) if sub else None


_GENERIC_KINDS = frozenset({"kill", "wound", "attack", "vac"})


class _Told(frozenset):
    """The sub-event types an evidence's own triggers tell, and (``in``) every kind of an event
    type it tells no kind of: its coded kind of that type is then the extractor's guess from a
    toll or "the attack" (a later report's "الهجوم الذي أوقع 32 قتيلا" of the Suruc bombing
    coded as shelling; "تجمع" of the crowd it hit tells a protest, not the attack's kind), so it
    says nothing against the other report's kind of that type: the blocking and the type score
    read such a kind as told (docs/linking.md, lk92). ``types``: the event types it tells."""

    __slots__ = ("types",)

    def __new__(cls, kinds, types):
        told = super().__new__(cls, kinds)
        told.types = frozenset(types)
        return told

    def __contains__(self, kind) -> bool:
        return frozenset.__contains__(self, kind) or _event_type_of().get(kind) not in self.types

    def __reduce__(self):
        return (_Told, (frozenset(self), self.types))


@lru_cache(maxsize=1)
def _event_type_of() -> dict[str, str]:
    """sub-event type -> its event type (event_kinds.tsv and the triggers' own types)."""
    from ..components.events.kinds import trigger_rows, type_of
    out = {sub: et for et, sub, _ in type_of().values()}
    out.update((r["sub_event_type"], r["event_type"]) for r in trigger_rows())
    return out


@lru_cache(maxsize=8192)
def _told_types(text: str) -> frozenset[str]:
    """The sub-event types the text's own event triggers tell (triggers.tsv), generic ones (a
    toll, "attack") left out, as a _Told (holding too every kind of an event type it tells none
    of)."""
    from ..components.events.kinds import trigger_matcher
    told = [m.entry for m in trigger_matcher().find(_key(text or ""))
            if m.entry.get("strength") != "0" and m.entry["kind"] not in _GENERIC_KINDS]
    return _Told((e["sub_event_type"] for e in told), (e["event_type"] for e in told))


def _type(a: View, b: View) -> float:
    coded = _coded_type(a, b)
    if coded >= 0.6:
        return coded
    sa, sb = a.sub, b.sub
    # one report's own words tell the kind the other report was coded with (a later report
    # recalling "the suicide attack" coded as shelling)
    if sa and sb and a.event_type == b.event_type and (
            sb in _told_types(a.text or "") or sa in _told_types(b.text or "")):
        return 0.6
    return coded


def type_score(a: dict, b: dict) -> float:
    return _type(view(a), view(b))


@lru_cache(maxsize=4096)
def _type_pair(sa, sb) -> tuple[float, str]:
    return type_table().get(frozenset((sa, sb)), (0.0, ""))


def _coded_type(a: View, b: View) -> float:
    sa, sb = a.sub, b.sub
    if sa == sb:
        return 1.0 if sa else (1.0 if a.event_type == b.event_type else 0.0)
    value, when = _type_pair(sa, sb)
    if when == "civilians" and not (a.civilians or b.civilians):
        return 0.0
    return value


def _toll(fa, fb) -> float:
    if not isinstance(fa, (int, float)) or not isinstance(fb, (int, float)):
        return 0.5
    if fa == fb:
        return 1.0 if fa > 0 else 0.6
    if fa == 0 or fb == 0:
        return 0.3           # one outlet gives a toll, the other none (yet)
    lo, hi = sorted((fa, fb))
    return 0.8 if lo / hi >= 0.6 else (0.5 if lo / hi >= 0.3 else 0.2)


def toll_score(a: dict, b: dict) -> float:
    return _toll(a.get("fatalities"), b.get("fatalities"))


TOLLS_APART = 0.3   # the lower of two positive tolls under this share of the higher: _toll's 0.2


def tolls_apart(a: dict, b: dict) -> bool:
    """Both give a toll above 0, the lower under TOLLS_APART of the higher (1 dead against 18):
    the annotators' pairs so told are one incident 8 times of 103 (a toll rising in later
    reports), so such a pair is at most a possible duplicate (link.CAPS)."""
    fa, fb = a.get("fatalities"), b.get("fatalities")
    if not isinstance(fa, (int, float)) or not isinstance(fb, (int, float)) or fa <= 0 or fb <= 0:
        return False
    return min(fa, fb) / max(fa, fb) < TOLLS_APART


@lru_cache(maxsize=512)
def _key(text: str) -> str:
    """normalize_key of an evidence text: five
    of the caches below ask for it when a text is first seen, all within the scoring of one new
    event (so a few hundred recent ones do). In C where built (``normalize_text``, from the tables
    of the Doc's compiled normalisation): the same text."""
    return normalize_text(text)


@lru_cache(maxsize=512)
def _key_words(text: str) -> tuple[str, ...]:
    """The words of an evidence text (_key's): its stems, shingles and padded words are made
    from them when the text is first seen, from one pass, not three (the search index's: one
    pass in C where built, the same words as _WORD.findall(_key(text)))."""
    return tuple(key_words(text))


@lru_cache(maxsize=200_000)
def _content_stem(word: str) -> str | None:
    """The word's stem, clitic-free as the search index reads it; None for a short one or a
    figure (not a content word)."""
    stem = min(readings(word), key=len)
    return stem if len(stem) >= 3 and not stem.isdigit() else None


@lru_cache(maxsize=8192)
def _stems(text: str) -> tuple[str, frozenset[str]]:
    """A text's content-word stems, sorted and joined by spaces (for rapidfuzz), and as a set
    of the stem cache's own strings (a set split off the joined string held a copy of each:
    4 MB more peak RSS in the ingest of the 1,213 articles)."""
    # each distinct word looked up once, in C (map over the cache): no Python loop per word
    out = set(map(_content_stem, set(_key_words(text or ""))))
    out.discard(None)
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


# a text's shingles, each pair's shared ones, the pair features' loop and the blocking test in C
# (_fast.pyx: the same numbers, counts, floats and rows), when built, current and wanted; the
# store's SQLite backend reads a full-text row's characters with it too (store.db.plain_terms)
_fast = compiled(__package__ + "._fast", 9)
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
    t = " ".join(_key_words(text or ""))
    n = len(t) - SHINGLE + 1
    if n <= 0:
        return _NO_SHINGLES
    if _fast is not None and (made := _fast.shingles(t)) is not None:   # the same, in C
        out = np.frombuffer(made, dtype=np.uint64)   # read-only: the bytes' own buffer
        return out, frozenset()
    if max(t) <= "\uffff":
        wide: frozenset[str] = frozenset()
        # the big-endian 64-bit number at each code unit of the UTF-16-BE text is the number
        # of the four units from there: no shifting and or-ing of four arrays
        codes = np.ndarray((n,), dtype=">u8", buffer=t.encode("utf-16-be", "surrogatepass"),
                           strides=(2,)).astype(np.uint64)
    else:  # a character beyond it (rare): those shingles as strings, the others as numbers
        grams = [t[i:i + SHINGLE] for i in range(n)]
        wide = frozenset(g for g in grams if max(g) > "\uffff")
        c = np.array([min(ord(ch), 0xFFFF) for ch in t], dtype=np.uint64)
        codes = c[:n] << np.uint64(48)
        for k in range(1, SHINGLE):
            codes |= c[k:n + k] << np.uint64(48 - 16 * k)
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
    return _jaccards(_shingles(x or ""), [_shingles(y or "") for y in ys])


_MIX, _TOP = np.uint64(0x9E3779B97F4A7C15), np.uint64(48)   # _jaccards' buckets (wrapping)


def _jaccards(x: tuple[np.ndarray, frozenset[str]],
              others: list[tuple[np.ndarray, frozenset[str]]]) -> list[float]:
    """The Jaccard similarity of the shingles x (as _shingles gives them) and each of others."""
    ax, wx = x
    ays = [ay for ay, _ in others]
    nx = len(ax) + len(wx)
    if not nx:
        return [0.0] * len(others)
    plain = not wx and not any(wy for _, wy in others)
    if len(ax) and _fast is not None:
        hits = _fast.shared(ax, ays, plain)
        if plain:   # the Jaccards themselves
            return hits
    elif len(ax):
        every = np.concatenate([ax[:0]] + ays)
        # only the others' shingles whose bucket (a multiplicative hash's top 16 bits) one of
        # x's falls in are searched for: 17% of them in bench_store's pairs, nearly all shared
        # (a binary search each was the most of the cost); the others cannot be x's, so the
        # counts are the same
        buckets = np.zeros(1 << 16, dtype=bool)
        buckets[(ax * _MIX) >> _TOP] = True
        at = np.flatnonzero(buckets[(every * _MIX) >> _TOP])
        maybe = every[at]
        at = at[ax.take(ax.searchsorted(maybe), mode="clip") == maybe]   # where x has it
        size = np.fromiter(map(len, ays), dtype=np.int64, count=len(ays))
        # hits of each other: the found positions before its end, less those before its start
        hits = np.diff(at.searchsorted(np.cumsum(size)), prepend=0)
        if plain:
            # the same floats as below: int64 over int64 is the division of the two as doubles,
            # as Python's for ints this small; one of none (size 0) is 0 / nx
            return (hits / (nx + size - hits)).tolist()
        hits = hits.tolist()
    else:
        hits = [0] * len(others)
    out = []
    for (ay, wy), shared in zip(others, hits):
        if wx and wy:
            shared += len(wx & wy)
        ny = len(ay) + len(wy)
        out.append(shared / (nx + ny - shared) if ny else 0.0)
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
    return f" {' '.join(_key_words(text or ''))} "


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


@lru_cache(maxsize=8192)
def _sites(text: str, own: str, admin1: str | None, taken: bool = False) -> tuple[frozenset[str], frozenset[str]]:
    """The sites an evidence text names (the word after a site noun: "حي اليرموك", "فندق صرح
    سبأ", tables.site_words) and its words, both without the article. Left out: a word of the
    event's own place name as told (own: "منطقة دوجو بايزيد"), a name the gazetteer gives a place
    of the event's governorate, a governorate or a country (سوروتش and سروج, two spellings of
    Suruc) and a common word (_known_here). taken (territory taken): only the sites told as what
    was taken, a few words after a verb or noun of taking (_taken_at)."""
    pattern, not_name = site_words()
    key = _key(text)
    found = _site_matches(pattern, key)
    if not found:
        return _NO_SITES
    own_words = {_bare(w) for w in _WORD.findall(normalize_key(own))}
    near = _taken_at(key) if taken else None
    named = frozenset(_bare(w) for m in found for w in (m.group(1),)
                      if _bare(w) not in not_name and len(w) > 2 and not w.isdigit()
                      and _bare(w) not in own_words and not _known_here(w, admin1)
                      and (near is None or any(e <= m.start() and len(key[e:m.start()].split()) <= TAKEN_WORDS
                                               for e in near)))
    return named, frozenset(map(_bare, _key_words(text))) if named else frozenset()


def _site_matches(pattern: re.Pattern, key: str) -> list[re.Match]:
    """pattern.finditer(key)'s matches (pattern: site_words'), tried only where a site noun is.
    A match starts at a word that is a site noun, after a proclitic at most, so only there and a
    character before (str.find of each noun); the pattern's own scan tries its lookbehind and
    nouns at every character of the text, which cost more (a quarter of the link features'
    regular expressions over the news articles). Left to right, each from the last one's end,
    as finditer's."""
    nouns = _site_nouns()
    if nouns is None:
        return list(pattern.finditer(key))
    starts = set()
    for w in nouns:
        i = key.find(w)
        while i >= 0:
            starts.update((i, i - 1) if i else (i,))
            i = key.find(w, i + 1)
    out, end = [], 0
    for s in sorted(starts):
        if s >= end and (m := pattern.match(key, s)) is not None:
            out.append(m)
            end = m.end()
    return out


_SITE_HEAD, _SITE_TAIL = r"(?<!\w)[وبل]?(?:", r")\s+(\w+)"   # site_words' pattern around its nouns


@lru_cache(maxsize=1)
def _site_nouns() -> tuple[str, ...] | None:
    """The site nouns _site_matches looks for, read from site_words' pattern (tables.py is
    part of the extractor's version: not changed for this). None when the pattern is not of
    that form or a noun is not a word of word characters (then a match might start elsewhere:
    the pattern scans the whole text)."""
    p = site_words()[0].pattern
    if not (p.startswith(_SITE_HEAD) and p.endswith(_SITE_TAIL)):
        return None
    nouns = p[len(_SITE_HEAD):-len(_SITE_TAIL)].split("|")
    return tuple(nouns) if all(_WORD.fullmatch(w) for w in nouns) else None


TAKEN_WORDS = 8   # words between a verb of taking and the site taken ("استعاد الثوار في وقت متأخر أول من أمس جبل المحايد")


def _taken_at(key: str) -> list[int]:
    """Where each trigger of territory taken (triggers.tsv, kind "territory": سيطرت على، استعاد،
    تحرير...) ends in a normalised text: a site told after one is what was taken; one named
    elsewhere is where forces came from or died ("من ميناء شقرة", "في مبنى الإذاعة")."""
    from ..components.events.kinds import trigger_matcher
    return [m.end for m in trigger_matcher().find(key) if m.entry["kind"] == "territory"]


def _bare(word: str) -> str:
    """A word without the article: "نقطة التفتيش" and "نقطة تفتيش" name one site."""
    return core_and_article(word)[0]


@lru_cache(maxsize=65536)
def _known_here(word: str, admin1: str | None) -> bool:
    """No site of the town: a gazetteer place of the governorate admin1 (the town itself, told
    in another spelling), a governorate or a country; or a word the gazetteer lacks that is not
    definite (a common noun or adjective: "سوق مزدحم", "مسجد قوات", "مركز ثقافي"; a site's
    own name mostly has the article, "منطقة الحديد", or is a place the gazetteer knows)."""
    from ..places import gazetteer
    places = gazetteer.load().lookup(word)
    if not places:
        return not word.startswith("ال")
    return any(p.admin1 == admin1 or p.feature in ("admin1", "country") for p in places)


_NO_SITES: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


# the battles that take a place: two sites taken the same day at one town are two events (the
# al-Nakhila area and Jabal al-Muhayid at al-Musaymir; docs/linking.md, branch link48)
TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def _sites_of(v: View) -> tuple[frozenset[str], frozenset[str]]:
    # armed clashes name none: the day's fighting at one town is one event (CODING.md), street
    # by street
    return _NO_SITES if v.battles and v.sub not in TERRITORY else v.sites


def _clash(sa: frozenset[str], wa: frozenset[str], b_sites: tuple) -> float:
    sb, wb = b_sites
    if not sb or sa & wb or sb & wa:
        return 0.0
    # one site spelled two ways (معسكر الصباحة, معسكر الصباحية) is no clash
    return 0.0 if any(fuzz.ratio(x, y) >= SPELLED_ALIKE for x in sa for y in sb) else 1.0


SPELLED_ALIKE = 80   # rapidfuzz ratio of two site names told as one


def sites_clash(a: View, b: View) -> float:
    """1 when both evidences name a site and neither names one the other's words hold (the Baqubah
    rockets on al-Hadid against the bomb in al-Yarmouk, one day): two incidents told alike. Not
    for armed clashes: the day's fighting at one town is one event, street by street (territory
    taken is read since branch link48)."""
    sa, wa = _sites_of(a)
    return _clash(sa, wa, _sites_of(b)) if sa else 0.0


@lru_cache(maxsize=1)
def counted_nouns() -> tuple[re.Pattern, re.Pattern, dict[str, str], dict[str, int], dict[str, int], frozenset[str]]:
    """What counts_clash reads (counted_nouns.tsv): a pattern finding a number, digits or a word
    of number_words.tsv's units and tens above one ("إحدى الغارات" is one of them, not a count)
    after a proclitic at most ("بـ7 غارات"; group 2), with the word before it (group 1), before a
    counted noun (group 3); one finding a dual noun alone ("غارتين"); the thing each noun counts;
    the number words' values; the duals' counts; and number_words.tsv's approximators ("نحو"،
    "أكثر من": a count so told is no count to compare)."""
    rows = data_rows("counted_nouns.tsv")
    thing = {normalize_key(r["word"]): r["thing"] for r in rows}
    dual = {normalize_key(r["word"]): int(r["count"]) for r in rows if r["count"]}
    lists = word_lists("number_words.tsv")
    value = {normalize_key(r["word"]): int(r["value"]) for lst in ("unit", "tens") for r in lists[lst]
             if int(r["value"]) > 1}
    approx = frozenset(normalize_key(r["word"]) for r in lists["approx"])

    def alt(ws) -> str:
        return "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))
    return (re.compile(rf"(?<!\w)(?:(\w+)\s+)?[وبل]?(\d+|{alt(value)})\s+({alt(set(thing) - set(dual))})(?!\w)"),
            re.compile(rf"(?<!\w)[وب]?({alt(dual)})(?!\w)"), thing, value, dual, approx)


SMALL_COUNT = 10   # a count of strikes from here up is a total (_counts)


@lru_cache(maxsize=8192)
def _counts(text: str) -> dict[str, frozenset[int]]:
    """The exact counts under SMALL_COUNT an evidence text gives of what an attack is made of
    ("أربع غارات", "3 قذائف", "غارتين": counted_nouns), by thing (strike, shell, rocket,
    barrel). Left out: an approximate count ("نحو سبع غارات", "أكثر من 40 غارة") and a larger one,
    a day's or a campaign's total that sources give differently (44 strikes on Saada against
    "more than 40"; 16 strikes on Daraa in a report that also counts 4 elsewhere)."""
    pattern, duals, thing, value, dual, approx = counted_nouns()
    # each pattern scans the text only when it holds a word the pattern needs (most evidence
    # texts name no counted noun, nearly none a dual): the scans cost more than the test
    nouns, duals_told = _count_words()
    words = _key_words(text) if nouns is not None else ()
    key = _key(text)
    found: dict[str, set[int]] = {}
    if nouns is None or not nouns.isdisjoint(words) and _counted_at(words, nouns, value):
        for before, n, noun in pattern.findall(key):
            count = int(n) if n.isdigit() else value[n]
            if before not in approx and count < SMALL_COUNT:
                found.setdefault(thing[noun], set()).add(count)
    if nouns is None or not duals_told.isdisjoint(words):
        for noun in duals.findall(key):
            found.setdefault(thing[noun], set()).add(dual[noun])
    return {k: frozenset(v) for k, v in found.items()}


def _counted_at(words: tuple[str, ...], nouns: frozenset[str], value: dict[str, int]) -> bool:
    """Whether a counted noun follows a figure or a number word (after و ب or ل at most) among
    the text's words: the first pattern's match is such a pair of words, one space apart. A
    quarter of the texts that name a counted noun have one."""
    for k in range(1, len(words)):
        if words[k] in nouns:
            w = words[k - 1]
            if w in value or w.isdecimal() or w[0] in "وبل" and (w[1:] in value or w[1:].isdecimal()):
                return True
    return False


@lru_cache(maxsize=1)
def _count_words() -> tuple[frozenset[str] | None, frozenset[str]]:
    """The words a text holds when each of counted_nouns' patterns finds something in it: a
    counted noun (the first pattern's: a whole word, after a space); a dual, alone or after و or
    ب (the second's). (None, _) when a noun is not one word of word characters or either list is
    empty (a pattern might then match elsewhere): no such test."""
    _, _, thing, _, dual, _ = counted_nouns()
    nouns = set(thing) - set(dual)
    if not nouns or not dual or not all(_WORD.fullmatch(w) for w in thing):
        return None, frozenset()
    return frozenset(nouns), frozenset(c + d for d in dual for c in ("", "و", "ب"))


def counts_clash(a: View, b: View) -> float:
    """1 when both evidences count one thing (the strikes) and share no count of it: four strikes
    on a front against three a day later, seven on convoys before a town against four on a hotel
    in it (two attacks told alike; docs/rounds/linking.md, branch link45)."""
    ca, cb = a.counts, b.counts
    shared = ca.keys() & cb.keys() if ca and cb else ()
    return 1.0 if shared and all(ca[k].isdisjoint(cb[k]) for k in shared) else 0.0


def features(a: dict, b: dict, shingles: float | None = None) -> dict[str, float]:
    """Every feature of the pair, by name (a and b: event dicts or their Views).
    shingles: the pair's shingle_similarity when the caller has it (shingle_similarities)."""
    return dict(zip(NAMES, values(view(a), view(b), shingles)))


def values(a: View, b: View, shingles: float | None = None, skip: frozenset = frozenset()) -> list[float]:
    """The pair's features in the order of NAMES; those named in skip (of weight 0 in the
    score: the store need not compute them) are 0.0."""
    return values_all(a, [b], [shingles], skip)[0]


def values_all(a: View, bs: list[View], shingles: list[float | None],
               skip: frozenset = frozenset()) -> list[list[float]]:
    """values(a, b, s, skip) for each b of bs and s of shingles: the coded fields' features
    (_coded_values, in C when built) and then those of the reports' own words beyond them."""
    rows = _coded_values(a, bs, shingles, skip)
    # sites_clash with a's side read once: most new events name no site (or are armed clashes)
    sa, wa = _NO_SITES if "sites_clash" in skip else _sites_of(a)
    if not sa:
        for row in rows:
            row.append(0.0)
    else:
        for b, row in zip(bs, rows):
            row.append(_clash(sa, wa, _sites_of(b)))
    # counts_clash, a's counts read once: most evidences count nothing
    if "counts_clash" in skip or not a.counts:
        for row in rows:
            row.append(0.0)
    else:
        for b, row in zip(bs, rows):
            row.append(counts_clash(a, b))
    # the kinds of pair_kinds.tsv (bomb): a's kinds read once
    for k in KINDS:
        if k in skip:
            for row in rows:
                row.append(0.0)
        elif k in a.kinds:
            for row in rows:
                row.append(1.0)
        else:
            for b, row in zip(bs, rows):
                row.append(1.0 if k in b.kinds else 0.0)
    # summary_toll: a's toll read once (most events give none above 0)
    if "summary_toll" in skip or not a.positive_toll:
        for row in rows:
            row.append(0.0)
    else:
        for b, row in zip(bs, rows):
            row.append(summary_toll(a, b))
    # battles: both events Battles (features.battles)
    if "battles" in skip or not a.battles:
        for row in rows:
            row.append(0.0)
    else:
        for b, row in zip(bs, rows):
            row.append(1.0 if b.battles else 0.0)
    return rows


def battles(a: View, b: View) -> float:
    """1 when both events are Battles (armed clashes, territory taken or regained). A front's
    battles agree on the coded fields day after day (the same place, sides and kind: the Al Anad
    airbase's triangle, camp, mountain and base, coded at the base) and are not one incident as
    often as their fields say; a bombing's reports disagree and are (lk81's `bomb`). Fitted
    (docs/linking.md, twelfth session, lk121: the largest class of the training CV's real false
    merges)."""
    return 1.0 if a.battles and b.battles else 0.0


@lru_cache(maxsize=8192)
def _summary(text: str) -> bool:
    return summary_words().search(_key(text)) is not None


def summary_toll(a: View, b: View) -> float:
    """1 when both give a toll above 0, not the same, and exactly one evidence tells a summary
    (summary_words.tsv: "المعارك الأخيرة أسفرت عن مقتل 56", "خلال 24 ساعة", "حصيلة"): a count of
    other days or of a stretch against one day's toll. Fitted (weight below 0): of the training
    golds' pairs so told 71 of 234 are one incident, against 621 of 1,327 of two different tolls
    neither told as a summary (docs/linking.md, tenth session, lk103)."""
    fa, fb = a.fatalities, b.fatalities
    if not (a.positive_toll and b.positive_toll) or fa == fb:
        return 0.0
    return 1.0 if a.summary != b.summary else 0.0


KINDS = ("bomb",)   # the features of pair_kinds.tsv, in the order of NAMES


@lru_cache(maxsize=1)
def pair_kinds() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(feature, field, values) of pair_kinds.tsv: an event is of the feature's kind when its
    field is one of the values."""
    by = {}
    for r in data_rows("pair_kinds.tsv"):
        by.setdefault((r["feature"], r["field"]), set()).add(r["value"])
    return tuple((k, field, frozenset(v)) for (k, field), v in by.items())


@lru_cache(maxsize=256)
def _kinds(event_type: str | None, sub: str | None) -> frozenset[str]:
    # one set per pair of types, shared by the views (the store keeps thousands)
    fields = {"event_type": event_type, "sub_event_type": sub}
    return frozenset(k for k, field, values in pair_kinds() if fields.get(field) in values)


def pair_kind(name: str, a: View, b: View) -> float:
    """1 when either event is of the kind `name` (pair_kinds.tsv: "bomb"). The reports of one
    bombing retell one act for days with rising tolls and other sides named, so they disagree
    on coded fields more than two reports of one incident of other kinds do and are still one
    incident (docs/linking.md, lk81). Either, not both: a kind meets another only where the
    blocking's type table lets it."""
    return 1.0 if name in a.kinds or name in b.kinds else 0.0


def _coded_values(a: View, bs: list[View], shingles: list[float | None],
                  skip: frozenset = frozenset()) -> list[list[float]]:
    """The features of NAMES up to tolls_apart for each b of bs and s of shingles: one loop with
    a's side read once and the features written out (what _date, _place, _actors, _type, _toll and _apart
    compute, the same floats; tests/store/test_link_features.py checks them against those),
    since the store scores each new event against all its candidates (Python per pair).

    Per pair it reads what the views hold (View: dated, quarter, counted, n_stems...), tests
    the cheap conditions first, and writes out min, max, sorted and float of a bool as the
    comparisons they make (the same values: max(x, y) is x unless y > x)."""
    title, text_set = "title" not in skip, "text_set" not in skip
    day_parts, in_text = "time_of_day" not in skip, "place_in_text" not in skip
    no_shingles = "shingles" in skip
    a_ord, a_slack, a_dated, a_loose = a.ordinal, a.slack, a.dated, a.loose
    a_country, ga, ca, na, a_coords, a_quarter = a.country, a.admin1, a.coarse, a.pname, a.coords, a.quarter
    a_geo2 = a.geo2
    (a1, a2), a_battles, a_type, sa, a_civ = a.sides, a.battles, a.event_type, a.sub, a.civilians
    fa, a_num, a_pos = a.fatalities, a.counted, a.positive_toll
    wa, sx, ns_a, nums_a, n_nums_a = a.words, a.stems, a.n_stems, a.numbers, a.n_numbers
    a_date = a.event_date
    a_told = None           # _told_types of a's text, when first needed
    role, km_of, type_pair, distance, ratio = _role, _km, _type_pair, _distance_score, fuzz.ratio
    get_base = _DATE_BASE.get
    # the text ratios of a's words and each b's in one call (rapidfuzz's scorer prepared once
    # for a's words: the same doubles as fuzz.ratio of each pair)
    ratios = process.cdist((wa,), [b.words for b in bs], scorer=ratio, dtype=np.float64)[0].tolist() \
        if wa and bs else repeat(0.0)
    if _fast is not None:   # the same loop in C (_fast.pyx)
        return _fast.values_all(a, bs, list(shingles), ratios if wa and bs else [0.0] * len(bs),
                                title, text_set, day_parts, in_text, no_shingles, _HELPERS)
    out = []
    append = out.append
    for b, sim, text in zip(bs, shingles, ratios):
        # date (_date)
        ob = b.ordinal
        if a_ord is None or ob is None:
            date_v = 0.4
        else:
            gap = abs(a_ord - ob) - a_slack - b.slack
            date_v = get_base(gap if gap > 0 else 0, 0.0)
            if not (a_dated and b.dated):
                if date_v > 0.6:
                    date_v = 0.6
            elif (a_loose or b.loose) and date_v > 0.5:
                date_v = 0.5
        # place (_place) and places_apart (_apart), the distance and nesting found once
        gb, cb, nb = b.admin1, b.coarse, b.pname
        other_country = a_country and b.country and a_country != b.country
        if ca or cb:
            apart = False
            if other_country:
                place = 0.0
            elif not ga or not gb:
                place = 0.3                  # a country-level place: nothing to compare
            elif ga != gb:
                place = 0.0
            else:
                place = 0.4 if (ca and cb) else 0.5
        else:
            cb_ = b.coords
            km = km_of(a_coords, cb_) if a_coords and cb_ else None
            one_gov = ga == gb
            # _nested: one governorate, other names, one a quarter of the other or a seat
            nest = ga and one_gov and na != nb and (
                (na and nb and (nb.startswith(a_quarter) or na.startswith(b.quarter)))
                or a.seat or b.seat)
            apart = not nest and bool(na and nb and na != nb and (km is None or km > 3))
            if other_country:
                place = 0.0
            elif nest:
                if km is None:
                    place = 0.5
                else:
                    place = distance(km, one_gov)
                    if not place > 0.5:
                        place = 0.5
            elif km is None:
                place = 0.8 if na and na == nb else (0.3 if one_gov else 0.0)
            elif na and na == nb:
                place = distance(0.0, one_gov)
            elif (a_geo2 or b.geo2) and km <= 10:
                place = 0.6
            else:
                place = distance(km, one_gov)
        # actors (_roles_v, _actors)
        b1, b2 = b.sides
        r11, r22, r12, r21 = role(a1, b1), role(a2, b2), role(a1, b2), role(a2, b1)
        same = (r11 + r22) / 2
        swapped = (r12 + r21) / 2
        if not a_battles and not b.battles:
            swapped -= 0.2
        # type (_type, _coded_type)
        sb = b.sub
        if sa == sb:
            kind = 1.0 if sa else (1.0 if a_type == b.event_type else 0.0)
        else:
            kind, when = type_pair(sa, sb)
            if when == "civilians" and not (a_civ or b.civilians):
                kind = 0.0
            if kind < 0.6 and sa and sb and a_type == b.event_type:
                if a_told is None:
                    a_told = _told_types(a.text or "")
                if sb in a_told or sa in _told_types(b.text or ""):
                    kind = 0.6
        # toll (_toll)
        fb = b.fatalities
        far = False     # tolls_apart
        if not a_num or not b.counted:
            toll = 0.5
        elif fa == fb:
            toll = 1.0 if fa > 0 else 0.6
        elif fa == 0 or fb == 0:
            toll = 0.3
        else:
            lo, hi = (fb, fa) if fb < fa else (fa, fb)     # sorted((fa, fb))
            toll = 0.8 if lo / hi >= 0.6 else (0.5 if lo / hi >= 0.3 else 0.2)
            far = lo > 0 and lo / hi < TOLLS_APART
        wb, sy, ns_b, n_nums_b = b.words, b.stems, b.n_stems, b.n_numbers
        if n_nums_a and n_nums_b:
            figures = len(nums_a & b.numbers) / (n_nums_a if n_nums_a <= n_nums_b else n_nums_b)
            numbers, clash = figures, 1.0 if figures == 0.0 else 0.0
        else:
            numbers, clash = 0.5, 0.0
        # one name, but a governorate's too (مأرب، تعز): the reports may mean two sites of it
        named = bool(na) and na == nb
        seat = named and (a.seat or b.seat)
        append([
            date_v, place, swapped if swapped > same else same, kind, toll,
            text / 100.0 if wa and wb else 0.0,
            text_similarity(a.title, b.title) if title else 0.0,
            len(sx & sy) / (ns_a if ns_a <= ns_b else ns_b) if ns_a and ns_b else 0.0,
            (fuzz.token_set_ratio(wa, wb) / 100.0 if wa and wb else 0.0) if text_set else 0.0,
            1.0 if a_dated and a_date == b.event_date else 0.0,
            1.0 if named and not seat else 0.0,
            1.0 if a_pos and fa == fb else 0.0,
            1.0 if (r11 == 0.0 or r22 == 0.0) and (r12 == 0.0 or r21 == 0.0) else 0.0,
            1.0 if kind < 0.5 else 0.0,
            1.0 if apart else 0.0,
            (0.0 if no_shingles else _jaccards(a.shingles, [b.shingles])[0]) if sim is None else sim,
            numbers,
            clash,
            time_of_day(a.text, b.text) if day_parts else 0.0,
            place_in_text(a.ev, b.ev) if in_text else 0.0,
            1.0 if seat else 0.0,
            # placed only at a governorate or country: its place says little either way, and
            # the date and words weigh more (linking gold: 22 of 38 such same-day pairs are one
            # incident, against 6 of 61 for two precise places of other names)
            (ca + cb) / 2,
            1.0 if far else 0.0])
    return out


# what the compiled values_all asks of this module
_HELPERS = (_DATE_BASE, _km, _type_pair, _told_types, text_similarity, fuzz.token_set_ratio,
            _jaccards, time_of_day, place_in_text, NEAR_KM, TOLLS_APART)


def actor_conflict(a: dict, b: dict, roles: tuple | None = None) -> bool:
    """Both reports name a side, and in neither reading (same roles, swapped) do they agree."""
    r11, r22, r12, r21 = roles or _roles(a, b)
    return 0.0 in (r11, r22) and 0.0 in (r12, r21)


def _apart(a: View, b: View) -> bool:
    if a.coarse or b.coarse or _nested(a, b):
        return False
    na, nb = a.pname, b.pname
    km = _place_km(a, b)
    return bool(na and nb and na != nb and (km is None or km > 3))


def places_apart(a: dict, b: dict) -> bool:
    """Two precise places with different names more than 3 km apart (two villages of one
    governorate, two quarters of a city)."""
    return _apart(view(a), view(b))


def window(a: View, b: View) -> int:
    """The blocking's date window of the pair, in days beyond the dates' precision."""
    return kinds_window(a.kinds, b.kinds)


def kinds_window(ka: frozenset[str], kb: frozenset[str]) -> int:
    """window() of two events of these kinds (View.kinds)."""
    return BOMB_WINDOW_DAYS if "bomb" in ka or "bomb" in kb else WINDOW_DAYS


def event_kinds(ev: dict) -> frozenset[str]:
    """View.kinds of an event dict."""
    return _kinds(ev.get("event_type"), ev.get("sub_event_type"))


def blocked(a: dict, b: dict) -> str | None:
    """Why the pair can never be one incident (None if it is a candidate): blocking on country,
    the date window widened by each date's precision, the governorate or 50 km, and type.
    a and b: event dicts or their Views."""
    # the store asks for each row of a new event's block: _gap and _type written out, the
    # type table looked up only for two kinds not the same
    if not isinstance(a, View):
        a = View(a)
    if not isinstance(b, View):
        b = View(b)
    if (a.country or None) != (b.country or None):
        return "different countries"
    oa, ob = a.ordinal, b.ordinal
    if oa is not None and ob is not None:
        gap = max(0, abs(oa - ob) - a.slack - b.slack)
        if gap > window(a, b):
            return f"{gap} days apart beyond their precision"
    sa, sb = a.sub, b.sub
    # _type(a, b) == 0.0 written out: the table's 0.0 (or its civilians' rule) and neither
    # report's words telling the other's kind; two events without a sub-event type of two
    # kinds 0.0
    if sa != sb:
        value, when = _type_pair(sa, sb)
        if (value == 0.0 or (when == "civilians" and not (a.civilians or b.civilians))) and not (
                sa and sb and a.event_type == b.event_type
                and (sb in _told_types(a.text or "") or sa in _told_types(b.text or ""))):
            return f"types {sa} / {sb} never one incident"
    elif not sa and a.event_type != b.event_type:
        return f"types {sa} / {sb} never one incident"
    ga, gb = a.admin1, b.admin1
    if ga and gb and ga != gb:
        km = _place_km(a, b)
        if km is None or km > NEAR_KM or a.coarse or b.coarse:
            return "different governorates"
    return None


_BLOCK_HELPERS = (_type_pair, _told_types, _place_km, WINDOW_DAYS, window, NEAR_KM)   # what _fast.unblocked asks


def unblocked(a: View, rows: list[dict]) -> list[dict]:
    """The rows (stored mentions, each with its View as "view") that blocked() lets through with
    a: the store's candidates of a new event (some 80,000 rows asked over the 1,213 news
    articles; in C when built)."""
    if _fast is not None:
        return _fast.unblocked(a, rows, _BLOCK_HELPERS)
    return [r for r in rows if not blocked(a, r["view"])]
