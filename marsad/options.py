"""Click parameter types for the options of Marsad's commands.

A bad value is a usage error naming the option (``Invalid value for '--to': not a YYYY-MM-DD
date: 'banana'``), never a filter that silently matches everything or nothing. The event
filters are checked by the same rules as the web app's (``marsad.web.filters.parse_filters``).
"""

from __future__ import annotations

import functools

import click

# ISO 3166-1 codes that Marsad's data uses although pycountry has no such country
_EXTRA_COUNTRIES = {"XK"}   # Kosovo


def _filter_value(key: str, value: str):
    """The value as the web app reads it: a string (dates) or a list (codes, names, several values)."""
    from .web.filters import BadParam, parse_filters

    try:
        return parse_filters({key: value}).get(key, "")
    except BadParam as e:
        raise ValueError(str(e).split(": ", 1)[-1]) from None


class FilterValue(click.ParamType):
    """One event filter (date, country, admin1, event type, sub-type), checked as the web app
    checks it."""

    def __init__(self, key: str, name: str):
        self.key = key
        self.name = name

    def convert(self, value, param, ctx):
        try:
            out = _filter_value(self.key, str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)
        values = out if isinstance(out, list) else [out] if out else []
        for code in values:
            if self.key == "country" and not _known_country(code):
                self.fail(f"no country has the ISO 3166-1 code {code!r}", param, ctx)
            if self.key == "admin1" and not _known_country(code[:2]):
                self.fail(f"{code!r} does not start with a known country code", param, ctx)
        return out or None


def _known_country(code: str) -> bool:
    import pycountry

    return code in _EXTRA_COUNTRIES or pycountry.countries.get(alpha_2=code) is not None


ISO_DATE = FilterValue("date_from", "YYYY-MM-DD")
COUNTRY = FilterValue("country", "ISO2")
ADMIN1 = FilterValue("admin1", "ISO3166-2")
EVENT_TYPE = FilterValue("event_type", "TYPE")
SUB_EVENT_TYPE = FilterValue("sub_event_type", "SUB-TYPE")

FILTER_OPTIONS = {"date_from": "--from", "date_to": "--to", "country": "--country",
                  "admin1": "--admin1", "event_type": "--type", "sub_event_type": "--sub-type"}


def check_filters(f):
    """Wrap a command taking the event filters: the filters that only make sense together
    (--from not after --to, --sub-type within --type) are checked before it runs."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from .web.filters import BadParam, parse_filters

        given = {k: v for k, v in kwargs.items() if k in FILTER_OPTIONS and v}
        try:
            parse_filters(given)
        except BadParam as e:
            message = str(e).split(": ", 1)[-1]
            for k in sorted(FILTER_OPTIONS, key=len, reverse=True):   # sub_event_type first
                message = message.replace(k, FILTER_OPTIONS[k])
            raise click.BadParameter(message, param_hint=f"'{FILTER_OPTIONS.get(e.param, e.param)}'") from None
        return f(*args, **kwargs)

    return wrapper


class Interval(click.ParamType):
    """A time interval such as 90s, 10m, 2h or a bare number of minutes, in seconds."""

    name = "INTERVAL"

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)):
            return float(value)
        from .follow.feeds import parse_every

        try:
            return parse_every(str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)
