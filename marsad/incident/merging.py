"""The learned same-incident decision for two mentions of ONE report (the document step's merge).

The hand-set rule (within.same_incident) is one conjunction: same type and sub-type, compatible
places, dates and sides. Here the pair is described by that verdict and each of its conditions
apart, with what the rule does not weigh (how far apart the places are and how precise, the gap
between the days, the tolls, the sentences between the two mentions, the title against the body,
the copies of one incident split per town), and a logistic model trained on the annotations
(merging_train.py) says whether the two are one incident. The weights and the threshold ship in the
event detector's JSON under "merge"; without them the rule decides.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache

from ..geo import distance_km
from .tables import type_table
from . import within


def _bucket(x: float, edges: tuple, names: tuple) -> str:
    for e, n in zip(edges, names):
        if x < e:
            return n
    return names[-1]


def _day(e) -> date | None:
    try:
        return date.fromisoformat(str(e.get("event_date"))[:10])
    except (TypeError, ValueError):
        return None


def _km(a, b) -> float | None:
    try:
        return distance_km(float(a["latitude"]), float(a["longitude"]), float(b["latitude"]), float(b["longitude"]))
    except (KeyError, TypeError, ValueError):
        return None


def _place(a, b) -> dict[str, float]:
    la, lb = a.get("location"), b.get("location")
    if la is None and lb is None:
        return {"pl:both_missing": 1.0}
    if la is None or lb is None:
        same_country = a.get("country_code") == b.get("country_code") or not (a.get("country_code") and b.get("country_code"))
        return {"pl:one_missing": 1.0, "pl:one_missing_country_" + ("same" if same_country else "other"): 1.0}
    f: dict[str, float] = {}
    if within._place_key(a) == within._place_key(b):
        f["pl:same"] = 1.0
    elif a.get("country_code") != b.get("country_code"):
        f["pl:other_country"] = 1.0
    elif a.get("admin1_code") and a.get("admin1_code") == b.get("admin1_code"):
        f["pl:same_admin1"] = 1.0
        km = _km(a, b)
        if km is not None:
            f["pl:km" + _bucket(km, (5, 25, 100), ("<5", "5-25", "25-100", "100+"))] = 1.0
    else:
        f["pl:other_admin1"] = 1.0
    pa, pb = sorted((a.get("geo_precision") or 3, b.get("geo_precision") or 3))
    f[f"pl:precision{pa}{pb}"] = 1.0
    if within._inside_either(a, b):
        f["pl:nested"] = 1.0
    return f


def _dates(a, b) -> dict[str, float]:
    f: dict[str, float] = {}
    if not (a.has_date_cue and b.has_date_cue):
        f["dt:" + ("no_cue_both" if not (a.has_date_cue or b.has_date_cue) else "no_cue_one")] = 1.0
    da, db = _day(a), _day(b)
    if da is None or db is None:
        f["dt:missing"] = 1.0
    else:
        f["dt:gap" + _bucket(abs((da - db).days), (1, 2, 4), ("0", "1", "2-3", "4+"))] = 1.0
    if within._went_on(a, b) or within._went_on(b, a):
        f["dt:went_on"] = 1.0
    return f


def _actors(a, b) -> dict[str, float]:
    xa = {n for n in (within._named(a.get("actor1")), within._named(a.get("actor2"))) if n}
    xb = {n for n in (within._named(b.get("actor1")), within._named(b.get("actor2"))) if n}
    if not xa or not xb:
        return {"ac:" + ("none_named" if not (xa or xb) else "one_unnamed"): 1.0}
    f = {}
    if xa == xb:
        f["ac:same"] = 1.0
    elif xa <= xb or xb <= xa:
        f["ac:subset"] = 1.0
    elif within._actors_compatible(a, b):
        f["ac:allies"] = 1.0
    else:
        f["ac:conflict"] = 1.0
    return f


def _tolls(a, b) -> dict[str, float]:
    fa, fb = a.get("fatalities") if a.fat_known else None, b.get("fatalities") if b.fat_known else None
    if fa is None and fb is None:
        return {"tl:none": 1.0}
    if fa is None or fb is None:
        return {"tl:one": 1.0}
    if fa == fb:
        return {"tl:same" + ("_zero" if fa == 0 else ""): 1.0}
    return {"tl:close" if min(fa, fb) > 0 and max(fa, fb) <= 1.5 * min(fa, fb) else "tl:apart": 1.0}


def pair_features(a, b) -> dict[str, float]:
    """The pair (a, b) of a report's mentions (a: the incident so far, b: the mention weighed)."""
    f = {"rule": float(within.same_incident(a, b))}
    same_type = a["event_type"] == b["event_type"]
    f["ty:same" if same_type else "ty:other"] = 1.0
    if a["sub_event_type"] == b["sub_event_type"]:
        f["ty:same_sub"] = 1.0
    elif same_type:
        f["ty:compat"] = type_table().get(frozenset((a["sub_event_type"], b["sub_event_type"])), (0.0, ""))[0]
    f["rule:places" if within._places_compatible(a, b) else "rule:places_no"] = 1.0
    f["rule:dates" if within._dates_compatible(a, b) else "rule:dates_no"] = 1.0
    f["rule:actors" if within._actors_compatible(a, b) else "rule:actors_no"] = 1.0
    if within._same_toll_nearby(a, b):
        f["rule:toll_nearby"] = 1.0
    f.update(_place(a, b))
    f.update(_dates(a, b))
    f.update(_actors(a, b))
    f.update(_tolls(a, b))
    gap = abs(a.sent - b.sent)
    f["se:" + _bucket(gap, (1, 2, 4), ("same", "next", "2-3", "4+"))] = 1.0
    if (a.sent == 0) != (b.sent == 0):
        f["se:title_body"] = 1.0
    if a.sent == b.sent and a.split and b.split:
        f["se:split_copies"] = 1.0
    if a.sent == b.sent and a.clause_place and b.clause_place:
        f["se:own_places"] = 1.0
    for name, e in (("a", a), ("b", b)):
        if e.kind in ("kill", "wound"):
            f["mk:toll_only"] = 1.0
        if e.weak:
            f["mk:weak_" + name] = 1.0
    return f


class Decision:
    """Weights and a threshold: two mentions are one incident from probability `threshold` on."""

    def __init__(self, weights: dict[str, float], threshold: float = 0.5):
        self.weights, self.threshold = weights, threshold

    def prob(self, a, b) -> float:
        w = self.weights
        z = w.get("bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in pair_features(a, b).items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def __call__(self, a, b) -> bool:
        return self.prob(a, b) >= self.threshold


# The decisions set by `deciding`, innermost last: per thread (and asyncio task), so a training
# run in one thread does not change how documents coded in another are merged.
_OVERRIDE: ContextVar[tuple] = ContextVar("merge_decision", default=())


@contextmanager
def deciding(decision):
    """Training: the document step merges with `decision` (None: the rule) inside the block."""
    token = _OVERRIDE.set(_OVERRIDE.get() + (decision,))
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def _in_force() -> Decision | None:
    stack = _OVERRIDE.get()
    return stack[-1] if stack else _shipped()


def same(a, b) -> bool:
    """Whether the document step merges the mentions a and b: the shipped learned decision, or
    the rule when none ships (or MARSAD_EVENTS=rules)."""
    d = _in_force()
    return d(a, b) if d is not None else within.same_incident(a, b)


def rule_decides() -> bool:
    """Whether `same` is the hand-set rule here (no learned decision in force, in this context):
    then it merges only mentions of one type and sub-type, and a caller that asks many pairs may
    skip the others. A learned decision weighs every pair: it may merge two types."""
    return _in_force() is None


@lru_cache(maxsize=1)
def _shipped() -> Decision | None:
    from ..components.events.model import default_model
    m = default_model()
    return Decision(m.merge["weights"], m.merge["threshold"]) if m is not None and m.merge.get("weights") else None
