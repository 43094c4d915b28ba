"""The event filters shared by every view and API endpoint, parsed from a query string.

Bad values raise ``BadParam`` with a message a person can act on (shown as a 400 by the API and
as a notice on the pages); nothing reaches the store unchecked.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Mapping

# ACLED event types and sub-types (CODING.md).
EVENT_TYPES: dict[str, list[str]] = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}
SUB_EVENT_TYPES = {s: t for t, subs in EVENT_TYPES.items() for s in subs}

FILTER_KEYS = ("date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "q",
               "min_fatalities", "inter", "interaction", "geo_precision", "min_confidence", "location")
# Filters that take several values (repeated, comma-separated for codes and names of places,
# semicolon-separated for actors, whose names may hold commas): any of them matches.
MULTI = ("country", "admin1", "event_type", "sub_event_type", "actor", "inter", "interaction", "geo_precision",
         "location")
COMMA_SPLIT = ("country", "admin1", "inter", "interaction", "geo_precision")
MAX_TEXT = 200
MAX_VALUES = 50


class BadParam(ValueError):
    """A query parameter that cannot be used, with the reason."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


def parse_date(param: str, value: str) -> str:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadParam(param, f"not a YYYY-MM-DD date: {value[:40]!r}") from None


def _values(params, key: str) -> list[str]:
    """Every non-empty value of ``key``: repeated parameters, lists, or (for codes) a, b, c."""
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        raw = params.get(key)
        raw = [] if raw is None else list(raw) if isinstance(raw, (list, tuple, set)) else [raw]
    out: list[str] = []
    for r in raw:
        if r is None:
            continue
        parts = str(r).split(",") if key in COMMA_SPLIT else str(r).split(";") if key == "actor" else [str(r)]
        out.extend(p.strip() for p in parts if p.strip())
    return out


def _one(key: str, value: str):
    """One validated value of a filter."""
    from . import names
    if len(value) > MAX_TEXT:
        raise BadParam(key, f"too long ({len(value)} characters; at most {MAX_TEXT})")
    if key in ("date_from", "date_to"):
        return parse_date(key, value)
    if key == "country":
        code = names.country_code(value)
        if not code:
            raise BadParam(key, f"not a country code (like SY) or a country name in English or Arabic: {value!r}")
        return code
    if key == "admin1":
        code = names.admin1_code(value)
        if not code:
            raise BadParam(key, f"not an ISO 3166-2 code (like SY-HI) or a governorate name: {value!r}")
        return code
    if key == "event_type":
        if value not in EVENT_TYPES:
            raise BadParam(key, f"unknown event type {value!r}; one of: {', '.join(EVENT_TYPES)}")
        return value
    if key == "sub_event_type":
        if value not in SUB_EVENT_TYPES:
            raise BadParam(key, f"unknown sub-event type {value!r}")
        return value
    if key in ("inter", "geo_precision"):
        top = 8 if key == "inter" else 3
        if not re.fullmatch(r"[1-9]", value) or int(value) > top:
            raise BadParam(key, f"a code from 1 to {top}, got {value[:20]!r}")
        return int(value)
    if key == "interaction":
        if not re.fullmatch(r"[1-8][0-8]", value):
            raise BadParam(key, f"a two-digit ACLED interaction code like 17 or 20, got {value[:20]!r}")
        return value
    if key == "min_fatalities":
        if not re.fullmatch(r"\d{1,9}", value):
            raise BadParam(key, f"a whole number, got {value[:20]!r}")
        return int(value)
    if key == "min_confidence":
        try:
            x = float(value)
        except ValueError:
            x = -1.0
        if not 0.0 <= x <= 1.0:
            raise BadParam(key, f"a number from 0 to 1, got {value[:20]!r}")
        return x
    return value


def parse_filters(params: Mapping) -> dict:
    """The non-empty, validated filters among ``params`` (other keys are ignored). Filters in
    ``MULTI`` give a list of values; the others one value."""
    out: dict = {}
    for key in FILTER_KEYS:
        values = _values(params, key)
        if not values:
            continue
        if key in MULTI:
            if len(values) > MAX_VALUES:
                raise BadParam(key, f"at most {MAX_VALUES} values")
            got = []
            for v in values:
                x = _one(key, v)
                if x not in got:
                    got.append(x)
            out[key] = got
        else:
            out[key] = _one(key, values[-1])
    if "date_from" in out and "date_to" in out and out["date_from"] > out["date_to"]:
        raise BadParam("date_from", f"{out['date_from']} is after date_to {out['date_to']}")
    if "event_type" in out and "sub_event_type" in out:
        for s in out["sub_event_type"]:
            if SUB_EVENT_TYPES[s] not in out["event_type"]:
                raise BadParam("sub_event_type", f"{s!r} is not a sub-type of {' or '.join(map(repr, out['event_type']))}")
    return out


def store_filters(filters: dict) -> dict:
    """The filters as the store takes them: Arabic actor names become the stored English names."""
    from .names import actor_terms
    out = dict(filters)
    if "actor" in out:
        terms: list[str] = []
        for a in out["actor"]:
            terms.extend(t for t in actor_terms(a) if t not in terms)
        out["actor"] = terms
    return out


def parse_int(params: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    raw = params.get(key)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        n = int(str(raw).strip())
    except ValueError:
        raise BadParam(key, f"not a whole number: {str(raw)[:40]!r}") from None
    if not lo <= n <= hi:
        raise BadParam(key, f"must be between {lo} and {hi}, got {n}")
    return n
