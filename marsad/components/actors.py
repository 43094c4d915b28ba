"""Actor names that depend on where the event happened.

The actor table (``lang/ar/actors.tsv``) writes some names with a ``{country}`` placeholder
("Civilians ({country})", "Military Forces of {country}"), some with overrides by the event's country
(bare التحالف is the Saudi-led coalition in Yemen, the international one in Iraq and Syria), and an
ACLED category that changes abroad (Saudi forces: 1 at home, 8 elsewhere). ``resolve_actor`` turns an
"actors" span plus the event's country into the final (name, inter).
"""

from __future__ import annotations

from functools import lru_cache

# English short names as ACLED writes them (pycountry's official names differ: "Syrian Arab Republic").
ACLED_COUNTRY = {
    "SY": "Syria", "IQ": "Iraq", "YE": "Yemen", "LY": "Libya", "EG": "Egypt", "LB": "Lebanon",
    "PS": "Palestine", "IL": "Israel", "JO": "Jordan", "SA": "Saudi Arabia", "TR": "Turkey", "IR": "Iran",
    "RU": "Russia", "US": "United States", "GB": "United Kingdom", "PK": "Pakistan", "AF": "Afghanistan",
    "SO": "Somalia", "SD": "Sudan", "SS": "South Sudan", "DZ": "Algeria", "TN": "Tunisia", "MA": "Morocco",
    "KW": "Kuwait", "BH": "Bahrain", "AE": "United Arab Emirates", "QA": "Qatar", "OM": "Oman",
    "ET": "Ethiopia", "ER": "Eritrea", "KE": "Kenya", "TD": "Chad", "MR": "Mauritania", "ML": "Mali",
    "NG": "Nigeria", "IN": "India", "FR": "France", "DJ": "Djibouti", "KR": "South Korea",
    "KP": "North Korea", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "CI": "Ivory Coast",
    "CZ": "Czech Republic", "XK": "Kosovo", "SZ": "eSwatini", "TL": "East Timor", "CV": "Cape Verde",
    "VA": "Vatican City", "BN": "Brunei",
}


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """ACLED-style English short name of an ISO 3166-1 alpha-2 code ("" if unknown)."""
    code = (code or "").upper()
    if not code:
        return ""
    if code in ACLED_COUNTRY:
        return ACLED_COUNTRY[code]
    names = _iso_names()
    if names is not None:
        return names.get(code.lower(), "")
    try:
        import pycountry
        c = pycountry.countries.get(alpha_2=code)
    except Exception:  # pycountry missing or a bad code: no name rather than a crash
        return ""
    if c is None:
        return ""
    return getattr(c, "common_name", None) or c.name.split(",")[0]


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str] | None:
    """pycountry's alpha_2 (lowercased, as its index) -> the name country_name gives, read from
    its ISO 3166-1 file without importing it: ``import pycountry`` asks importlib.metadata for
    its version, which with the file's load was about 16 M instructions at a process's first
    code outside ACLED_COUNTRY (docs/scale.md, sp151). {} without pycountry (no name, as its
    ImportError gave); None (then asked through pycountry) when the file is not as expected."""
    import json
    from importlib.util import find_spec
    try:
        spec = find_spec("pycountry")
    except (ImportError, ValueError):
        return {}
    if spec is None:
        return {}
    try:
        folder = list(spec.submodule_search_locations or ())[0]
        with open(f"{folder}/databases/iso3166-1.json", encoding="utf-8") as f:
            rows = json.load(f)["3166-1"]
        # (pycountry's index keeps the last entry of a code; a Country's field is its JSON value)
        return {r["alpha_2"].lower(): r.get("common_name") or r["name"].split(",")[0] for r in rows}
    except Exception:
        return None


def fill_country(actor_name: str, country_code: str | None) -> str:
    """"Civilians ({country})" + "SY" -> "Civilians (Syria)". Without a known country the
    placeholder goes: "Civilians ({country})" -> "Civilians", "Military Forces of {country}" ->
    "Military Forces"."""
    if "{country}" not in actor_name:
        return actor_name
    name = country_name(country_code or "")
    if name:
        if name.startswith("United") and " of {country}" in actor_name:
            name = "the " + name      # ACLED: Military Forces of the United States, Civilians (United States)
        return actor_name.replace("{country}", name)
    return actor_name.replace(" ({country})", "").replace(" of {country}", "").replace("{country}", "").strip()


def _parse_overrides(spec: str) -> dict[str, str]:
    out = {}
    for part in (spec or "").split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip().upper()] = v.strip()
    return out


@lru_cache(maxsize=1)
def _actor_rows() -> dict[str, dict]:
    """Canonical name -> its first row of the actor table (for the inter/country of an override),
    each value as ``lexicon.load_tsv`` reads it; kept in the cache folder (marsad/tablecache.py):
    reading the 2,700 lines was about 23 M instructions at the first override of every process
    (docs/scale.md, sp151)."""
    from pathlib import Path

    from .. import tablecache
    from ..lexicon import LANG_DIR
    return tablecache.cached("actor_rows", (LANG_DIR / "actors.tsv", Path(__file__), Path(tablecache.__file__)),
                             _actor_rows_read)


def _actor_rows_read() -> dict[str, dict]:
    """_actor_rows from the file. The lines are split here: load_tsv's csv.DictReader of all
    2,700 rows, for the few hundred first rows kept, was about 110 M instructions (docs/scale.md,
    ev101; the test compares the two)."""
    from ..lexicon import LANG_DIR
    with open(LANG_DIR / "actors.tsv", encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    if not lines:
        return {}
    head = lines[0].rstrip("\r\n").split("\t")
    at = len(head) - 1 - head[::-1].index("actor")   # (a repeated column: its last, as a dict keeps)
    rows: dict[str, dict] = {}
    for ln in lines[1:]:
        cut = ln.split("\t", at + 1)   # (the line split as far as its actor only)
        name = cut[at].strip() if at < len(cut) else ""
        if name not in rows:
            vals = ln.rstrip("\r\n").split("\t")
            # (as csv.DictReader: a missing field is "", one past the header has no key)
            rows[name] = {k: (vals[i].strip() if i < len(vals) else "") for i, k in enumerate(head) if k}
    return rows


def _int(v, default=None):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def resolve_actor(label: str, data: dict, event_country: str | None) -> tuple[str, int]:
    """The final actor name and ACLED inter for an "actors" span in an event in event_country.

    ``data`` is the span's data (inter, inter_abroad, country, by_country)."""
    ec = (event_country or "").upper()
    inter = _int(data.get("inter"), 0)
    inter_abroad = _int(data.get("inter_abroad"))
    home = (data.get("country") or "").upper()
    over = _parse_overrides(data.get("by_country", ""))
    if ec and ec in over:
        label = over[ec]
        row = _actor_rows().get(label)
        if row is not None:
            inter = _int(row.get("inter"), inter)
            inter_abroad = _int(row.get("inter_abroad"))
            home = (row.get("country") or "").upper()
        else:
            inter_abroad, home = None, ""
    if "{country}" in label:
        return fill_country(label, ec), inter
    if inter_abroad is not None and home and ec and ec != home:
        inter = inter_abroad
    return label, inter
