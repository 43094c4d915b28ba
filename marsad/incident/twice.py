"""One incident a report coded twice (issue 13).

The document step keeps two mentions of one report apart when its rule sees two incidents, and
sometimes it is one incident told twice (the Al Anad retaking told on three days, the Suruc
bombing as a roadside bomb and a suicide bomb). The store's grouping (cluster.groups) never
put two events of one report in one incident; it now lets them join when this predicate says
the two may be one incident and another report's event links to both (cluster.groups, twice).
The predicate asks of the pair what the score asks of two reports' events before scoring: not
blocked (country, days, kinds, governorate), and no cap (two named places or sites apart, tolls
far apart, strikes counted differently): a report's genuinely different incidents of one day and
place differ there, since its own words tell them apart.
"""

from __future__ import annotations

from .features import blocked, features, view
from .link import capped


def may_be_one(a: dict, b: dict) -> bool:
    """Whether two coded events of ONE report (dicts as the score reads them, or their Views)
    may be one incident the report told twice."""
    a, b = view(a), view(b)
    if blocked(a, b) is not None:
        return False
    ga, gb = a.admin1, b.admin1
    if ga and gb and ga != gb:   # the store's rule for candidates (links.candidates)
        return False
    return capped(features(a, b)) is None
