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

FILTER_KEYS = ("date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "q")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_ADMIN1 = re.compile(r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")
MAX_TEXT = 200


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


def parse_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The non-empty, validated filters among ``params`` (other keys are ignored)."""
    out: dict[str, str] = {}
    for key in FILTER_KEYS:
        raw = params.get(key)
        if raw is None:
            continue
        value = str(raw).strip()
        if not value:
            continue
        if len(value) > MAX_TEXT:
            raise BadParam(key, f"too long ({len(value)} characters; at most {MAX_TEXT})")
        if key in ("date_from", "date_to"):
            value = parse_date(key, value)
        elif key == "country":
            if not _COUNTRY.match(value):
                raise BadParam(key, f"not an ISO 3166-1 alpha-2 country code (like SY): {value!r}")
            value = value.upper()
        elif key == "admin1":
            if not _ADMIN1.match(value):
                raise BadParam(key, f"not an ISO 3166-2 code (like SY-HI): {value!r}")
            value = value.upper()
        elif key == "event_type":
            if value not in EVENT_TYPES:
                raise BadParam(key, f"unknown event type {value!r}; one of: {', '.join(EVENT_TYPES)}")
        elif key == "sub_event_type":
            if value not in SUB_EVENT_TYPES:
                raise BadParam(key, f"unknown sub-event type {value!r}")
        out[key] = value
    if "date_from" in out and "date_to" in out and out["date_from"] > out["date_to"]:
        raise BadParam("date_from", f"{out['date_from']} is after date_to {out['date_to']}")
    if "event_type" in out and "sub_event_type" in out and \
            SUB_EVENT_TYPES[out["sub_event_type"]] != out["event_type"]:
        raise BadParam("sub_event_type", f"{out['sub_event_type']!r} is not a sub-type of {out['event_type']!r}")
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
