"""Names of countries, governorates and actors in Arabic and English, both ways.

Shown: an event's codes and English actor names get their Arabic names in the Arabic interface.
Searched: a filter may name a country, governorate or actor in either language ("Syria", "سوريا",
"SY"; "الحوثي" or "Houthi"). The names come from the data files the extractor already uses
(``marsad/places/data/countries.tsv`` and ``admin1.tsv``, ``marsad/lang/ar/actors.tsv``) and
pycountry, so there is one list of names, not a copy.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..lexicon import load_tsv
from ..text import normalize_key

PLACES_DATA = Path(__file__).resolve().parents[1] / "places" / "data"
_ARABIC = re.compile(r"[\u0600-\u06FF]")


def is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text or ""))


def _key(text: str) -> str:
    """Comparison form: Arabic-normalised, lower case, single spaces; Latin without accents and
    with one apostrophe, so the map outlines' "Al Minufiyah" finds pycountry's "Al Minūfīyah"."""
    text = text or ""
    if not is_arabic(text):   # NFKD would split Arabic hamza forms
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = text.replace("`", "'").replace("\u2019", "'")
    return " ".join(normalize_key(text).lower().split())


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(code -> (English, Arabic)), (any name in either language -> code)."""
    import gettext

    import pycountry

    from ..components.actors import country_name
    try:
        ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"]).gettext
    except OSError:
        ar = None
    names: dict[str, tuple[str, str]] = {}
    index: dict[str, str] = {}
    for c in pycountry.countries:
        en = country_name(c.alpha_2) or c.name
        names[c.alpha_2] = (en, ar(c.name) if ar else en)
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None), en,
                  names[c.alpha_2][1], c.alpha_3):
            if n:
                index.setdefault(_key(n), c.alpha_2)
    for row in load_tsv("countries.tsv", PLACES_DATA):   # Arabic usage first (سوريا, not the official name)
        code = row["iso"].upper()
        ars = [a for a in row.get("names_ar", "").split("|") if a]
        if ars:
            names[code] = (row.get("name") or names.get(code, (code,))[0], ars[0])
        for n in [row.get("name", "")] + ars:
            if n:
                index[_key(n)] = code
    return names, index


@lru_cache(maxsize=1)
def _admin1() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(ISO 3166-2 code -> (English, Arabic)), (name -> code) for the divisions of the data file
    and pycountry's English names."""
    import pycountry
    names: dict[str, tuple[str, str]] = {}
    index: dict[str, str] = {}
    for row in load_tsv("admin1.tsv", PLACES_DATA):
        code = row["code"].upper()
        ars = [a for a in row.get("names_ar", "").split("|") if a]
        names[code] = (row.get("name") or code, ars[0] if ars else row.get("name") or code)
        for n in [row.get("name", "")] + ars:
            if n:
                index.setdefault(_key(n), code)
    # Then iso3166-2's names (Arabic and English, diacritics dropped), as the gazetteer reads them.
    try:
        import json
        from importlib import resources
        iso = json.loads((Path(str(resources.files("iso3166_2"))) / "iso3166-2.json").read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError):
        iso = {}
    for country, subs in iso.items():
        for code, info in (subs or {}).items():
            other = [x.strip() for x in (info.get("localOtherName") or "").split(",")]
            ar = [_strip_marks(x[:-6].strip()) for x in other if x.endswith("(ara)")]
            en = [x[:-6].strip() for x in other if x.endswith("(eng)")] or [info.get("name") or code]
            if code not in names:
                names[code] = (en[0], ar[0] if ar else en[0])
            for n in ar + en:
                index.setdefault(_key(n), code)
    for sub in pycountry.subdivisions:
        names.setdefault(sub.code, (sub.name, sub.name))
        index.setdefault(_key(sub.name), sub.code)
    return names, index


def _strip_marks(text: str) -> str:
    """Arabic without short-vowel marks (أَبْيَنْ -> أبين)."""
    return re.sub(r"[\u064B-\u0652\u0670]", "", text)


def country_label(code: str | None, lang: str) -> str:
    if not code:
        return ""
    pair = _countries()[0].get(code.upper())
    if not pair:
        return code
    return pair[1] if lang == "ar" else pair[0]


def admin1_label(code: str | None, lang: str) -> str:
    if not code:
        return ""
    pair = _admin1()[0].get(code.upper())
    if pair is None:
        import pycountry
        sub = pycountry.subdivisions.get(code=code.upper())
        return sub.name if sub is not None else code
    return pair[1] if lang == "ar" else pair[0]


def country_code(value: str) -> str | None:
    """The ISO code a filter value names: a code ("sy"), or a name in English or Arabic."""
    v = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", v) and v.upper() in _countries()[0]:
        return v.upper()
    return _countries()[1].get(_key(v))


def admin1_code(value: str) -> str | None:
    v = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", v):
        return v.upper()
    return _admin1()[1].get(_key(v))


# -- actors -------------------------------------------------------------------------------------

def _clean_pattern(p: str) -> str:
    return p.strip().strip("+=").strip()


@lru_cache(maxsize=1)
def _actor_patterns() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(canonical name or template -> its first Arabic pattern), [(normalised pattern, name)]."""
    first: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for row in load_tsv("actors.tsv"):
        name, pat = row.get("actor", ""), _clean_pattern(row.get("pattern", ""))
        if not name or not pat:
            continue
        first.setdefault(name, pat)
        pairs.append((_key(pat), name))
    return first, pairs


@lru_cache(maxsize=4096)
def actor_label(name: str | None, lang: str) -> str:
    """An actor's name in the interface language: the Arabic of the actor table for a canonical
    name; for a name made from a template ("Civilians (Syria)") the template's Arabic and the
    country's Arabic name; the English name when nothing is known."""
    if not name or lang != "ar":
        return name or ""
    first, _ = _actor_patterns()
    if name in first:
        return first[name]
    names, _ = _countries()
    for code, (en, ar) in names.items():
        for template, sep in (("({country})", " ({})"), ("of {country}", " {}"), ("of the {country}", " {}")):
            filled = template.replace("{country}", en)
            if name.endswith(filled):
                base = name[: -len(filled)].strip() + " " + template
                base = base.replace(" (", " (") if "(" in template else base
                if base.strip() in first:
                    return first[base.strip()] + sep.format(ar)
    return name


@lru_cache(maxsize=1024)
def actor_terms(value: str) -> tuple[str, ...]:
    """What an actor filter value looks for in the stored (English) actor names: the value itself,
    and for an Arabic value, the names of every actor whose Arabic patterns contain it or are
    contained in it ("الحوثي" -> "Ansar Allah (Houthis)"). A template name keeps its fixed part
    ("Civilians ({country})" -> "Civilians (")."""
    v = value.strip()
    if not is_arabic(v):
        return (v,)
    q = _key(v)
    if len(q) < 2:
        return (v,)
    out: dict[str, None] = {}
    for pat, name in _actor_patterns()[1]:
        if q in pat or (len(pat) >= 3 and pat in q):
            out[name.split("{country}")[0] if "{country}" in name else name] = None
    return tuple(out) or (v,)
