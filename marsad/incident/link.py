"""The linking score: is a coded event of one report the same incident as one of another report?

``score(a, b)`` is a logistic function of the pair's features (features.py) with the weights in
``data/weights.json``, fitted on the project's linking gold (annotations/links.jsonl, by
``scripts/links.py fit``, cross-validated). A pair blocked by features.blocked scores 0. Above
``threshold`` the store merges the two; between ``possible`` and ``threshold`` it keeps them
apart as a "possible duplicate" a person can confirm.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from operator import mul
from typing import Callable

from .features import (NAMES, TOLLS_APART, View, _fast, _jaccards, blocked, counts_clash, features, place_km,
                       sites_clash, values_all, view)
from .tables import DATA


@dataclass(frozen=True)
class Weights:
    bias: float
    weights: dict[str, float]
    threshold: float
    possible: float
    linkage: float = 1.0     # share of cross pairs two groups need to join (cluster.groups)
    note: str = ""
    average: bool = False    # linkage is the mean score of the cross pairs, not their share

    @property
    def vector(self) -> tuple[float, ...]:
        """The weights in the order of NAMES."""
        return tuple(self.weights[k] for k in NAMES)


@lru_cache(maxsize=1)
def weights() -> Weights:
    d = json.loads((DATA / "weights.json").read_text(encoding="utf-8"))
    return Weights(d["bias"], {k: float(d["weights"].get(k, 0.0)) for k in NAMES},
                   float(d["threshold"]), float(d["possible"]), float(d.get("linkage", 1.0)),
                   d.get("note", ""), d.get("linkage_rule", "share") == "average")


# Disagreements no score may outweigh: such a pair is at most a "possible duplicate" a person
# confirms (kinds of event the type table rates below 0.5; two named places more than 3 km apart:
# two villages of one governorate; two tolls far apart, features.tolls_apart: a cap only, of
# weight 0, since fitted as a feature as well it cost recall in cross-validation, docs/rounds/linking.md
# branch link41; two sites named apart, features.sites_clash, a cap only as well, branch
# link43 (two sites of territory taken too since link48); two counts of the strikes or shells with none in common, features.counts_clash, a cap
# only, branch link45). A conflict of named sides is only
# weighed: the extractor often gets a side wrong in reports of one incident (the linking gold,
# scripts/links.py fit).
CAPS = {"type_mismatch": "the kinds of event rarely are one incident",
        "places_apart": "two named places more than 3 km apart",
        "tolls_apart": f"tolls far apart (the lower under {TOLLS_APART} of the higher)",
        "sites_clash": "the two reports name two sites, neither the other's",
        "counts_clash": "the two reports count the strikes (or shells) differently"}


def capped(feats: dict[str, float]) -> str | None:
    return next((why for k, why in CAPS.items() if feats.get(k)), None)


class Link:
    """A pair's score, its features (a dict, or a callable giving it: the store's scoring skips
    the features of weight 0, so they are computed only if asked for) and its reason."""

    __slots__ = ("score", "_features", "reason", "cap")

    def __init__(self, score: float, features: dict[str, float] | Callable[[], dict[str, float]],
                 reason: str | Callable[[], str], cap: str | None | object = ...):
        self.score = score
        self._features = features
        self.reason = reason     # a callable: worded only for the links the store keeps
        self.cap = capped(self.features) if cap is ... else cap

    @property
    def features(self) -> dict[str, float]:
        if callable(self._features):
            self._features = self._features()
        return self._features

    @property
    def why(self) -> str:
        return self.reason if isinstance(self.reason, str) else self.reason()

    def decision(self, w: Weights | None = None) -> str:
        w = w or weights()
        if self.score >= w.threshold and not self.cap:
            return "same"
        return "possible" if self.score >= w.possible else "different"


def probability(feats: dict[str, float], w: Weights | None = None) -> float:
    w = w or weights()
    z = w.bias + sum(w.weights[k] * feats.get(k, 0.0) for k in NAMES)
    return 1.0 / (1.0 + math.exp(-z))


def score(a: dict, b: dict, w: Weights | None = None, unblocked: bool = False) -> Link:
    """How likely events a and b (of two reports) are one incident, with the reason.
    unblocked: the caller's blocking (store.links.candidates) already let the pair through."""
    no = None if unblocked else blocked(a, b)
    if no:
        return Link(0.0, {}, no)
    feats = features(a, b)
    w = w or weights()
    return _link(a, b, _probability([feats[k] for k in NAMES], w.bias, w.vector), feats)


def score_all(a, bs: list, w: Weights | None = None, floor: float | None = None) -> list[Link | None]:
    """score(a, b, w, unblocked=True) for each of bs (the store's candidates of a; event dicts
    or their features.View, the store keeps those of stored events), with the texts' shingles
    compared in one go and the features of weight 0 left uncomputed (the same score: a term
    0.0 adds nothing to the sum). floor: a pair scoring below it gives None, not its Link (the
    store reads only the pairs at least "possible": some 11% of them)."""
    if not bs:   # nothing to score: a's shingles (a lazy part of its view) are not made for it
        return []
    w = w or weights()
    a = view(a)
    bs = [b if isinstance(b, View) else View(b) for b in bs]
    skip, vector, late = _prepared(w)
    bias = w.bias
    sims = _jaccards(a.shingles, [b.shingles for b in bs])
    scores, ps, caps = _link_scores(values_all(a, bs, sims, skip), vector, bias, _CAP_AT)
    if late:   # a pair without another cap has its late ones looked at when its cap is read
        caps = [late if cap is None else cap for cap in caps]
    if floor is None:
        return [_Scored(score, cap, (a, b, s, p)) for b, s, score, p, cap in zip(bs, sims, scores, ps, caps)]
    return [None if score < floor else _Scored(score, cap, (a, b, s, p))
            for b, s, score, p, cap in zip(bs, sims, scores, ps, caps)]


def _link_scores_py(rows: list[list[float]], vector: tuple[float, ...], bias: float,
                    cap_at: tuple) -> tuple[list[float], list[float], list[str | None]]:
    """Each row's score (its probability rounded to 4 decimals, as _link rounds it), its
    probability (_probability written out: the same terms summed in the same order) and its
    first cap (capped(), by column); _fast.link_scores is the same in C."""
    exp = math.exp
    ps, caps = [], []
    for vals in rows:
        ps.append(1.0 / (1.0 + exp(-(bias + sum(map(mul, vector, vals))))))
        for i, why in cap_at:   # a loop, not a generator made per pair
            if vals[i]:
                caps.append(why)
                break
        else:
            caps.append(None)
    return [round(p, 4) for p in ps], ps, caps


class _Scored(Link):
    """A Link of score_all: the pair kept, its features and reason worked out only when asked
    for (most pairs are "different", and the store reads neither of those): no two closures
    made for each pair."""

    __slots__ = ("_pair", "_cap")

    def __init__(self, score: float, cap: str | None | tuple, pair: tuple):
        self.score = score
        self._cap = cap        # or the late caps (_late) to look at when first read
        self._features = None
        self._pair = pair      # (a, b, shingle similarity, unrounded probability)

    @property
    def cap(self) -> str | None:
        cap = self._cap
        if cap.__class__ is tuple:
            a, b = self._pair[:2]
            cap = self._cap = next((why for test, why in cap if test(a, b)), None)
        return cap

    @property
    def features(self) -> dict[str, float]:
        if self._features is None:
            a, b, s, _ = self._pair
            self._features = features(a, b, s)
        return self._features

    @property
    def reason(self) -> Callable[[], str]:
        a, b, _, p = self._pair
        return _reason(a, b, p, self.cap)

    @property
    def why(self) -> str:
        return self.reason()


_CAP_AT = tuple((NAMES.index(k), why) for k, why in CAPS.items())   # capped(), by column
# the pairs' sums and caps in C when built (features._fast), else in Python: the same floats
_link_scores = _fast.link_scores if _fast is not None else _link_scores_py
_PREPARED: tuple = (None, frozenset(), (), ())

# Caps of weight 0 whose feature is read from the reports' words (the sites and counts each
# evidence names: the dearest of the pair features, values_all's Python beyond the C loop): a
# pair's score does not read them and its cap matters only once its score is at least
# "possible" (its decision and reason; some 11% of the store's pairs), so score_all leaves them
# out (values_all's skip) and the pair looks at them when its cap is first read (_Scored.cap):
# the same cap, since they come after every other cap in CAPS' order (_late).
LATE = {"sites_clash": sites_clash, "counts_clash": counts_clash}


def _prepared(w: Weights) -> tuple[frozenset, tuple[float, ...], tuple]:
    """_zero(w) with the late caps, w.vector and _late(w), kept for the last weights asked for
    (the store's, each time); one tuple read and replaced whole, so that two threads with other
    weights never mix them."""
    global _PREPARED
    kept = _PREPARED
    if kept[0] is not w:
        late = _late(w)
        kept = _PREPARED = (w, _zero(w) | {NAMES[i] for i, _ in _CAP_AT[len(_CAP_AT) - len(late):]},
                            w.vector, late)
    return kept[1], kept[2], kept[3]


def _zero(w: Weights) -> frozenset:
    return frozenset(k for k, x in w.weights.items() if x == 0.0 and k not in CAPS)


def _late(w: Weights) -> tuple:
    """(test, why) of the caps of LATE at the end of CAPS' order with weight 0 in w, in that
    order: a pair none of the caps before them caps is capped by the first of them it meets."""
    late = []
    for i, why in reversed(_CAP_AT):
        k = NAMES[i]
        if k not in LATE or w.weights.get(k, 0.0) != 0.0:
            break
        late.append((LATE[k], why))
    return tuple(reversed(late))


def _probability(vals: list[float], bias: float, vector: tuple[float, ...]) -> float:
    """probability() of the features in NAMES order (vector: Weights.vector): the same terms
    summed in the same order."""
    z = bias + sum(map(mul, vector, vals))
    return 1.0 / (1.0 + math.exp(-z))


def _link(a, b, p: float, feats) -> Link:
    cap = capped(feats)
    return Link(round(p, 4), feats, _reason(a, b, p, cap), cap)


def _reason(a, b, p: float, cap: str | None) -> Callable[[], str]:
    """The pair's reason, worded when asked for (the store asks only of the links it keeps),
    with the two events in their fields' order (in_order): the same text whichever of them
    was scored first."""
    return lambda: f"link score {p:.2f}: {describe(*in_order(a, b))}" + (
        f"; at most a possible duplicate: {cap}" if cap else "")


_DESCRIBED = ("sub_event_type", "event_date", "location", "admin1_code", "latitude", "longitude",
              "geo_precision", "actor1", "actor2")   # what describe reads of each event


def in_order(a, b) -> tuple:
    """a and b (event dicts or their Views) ordered by the fields describe reads, compared as
    text; a first when they are equal in those (then either order reads the same)."""
    return (a, b) if _said(a) <= _said(b) else (b, a)


def _said(x) -> list[str]:
    """What orders an event (a dict or its View) in a reason: the fields describe reads, as text."""
    return [*map(repr, map((x.ev if isinstance(x, View) else x).get, _DESCRIBED))]


def describe(a: dict, b: dict) -> str:
    """The pair's agreement in words, for the merge log and the event page (a and b: event
    dicts or their Views)."""
    a, b = view(a), view(b)
    km = place_km(a, b)
    coarse = a.coarse or b.coarse
    a, b = a.ev, b.ev
    da, db_ = a.get("event_date"), b.get("event_date")
    if da and da == db_:
        date = f"same date {da}"
    elif da and db_:
        date = f"dates {da} / {db_}"
    else:
        date = f"date {da or db_ or 'unknown'} (one report gives none)"
    la, lb = a.get("location") or "?", b.get("location") or "?"
    if km is not None and not coarse:
        place = f"{km:.1f} km apart ({la} / {lb})"
    else:
        place = f"{la} / {lb} (governorate {a.get('admin1_code') or '?'} / {b.get('admin1_code') or '?'})"
    kinds = a.get("sub_event_type") if a.get("sub_event_type") == b.get("sub_event_type") else \
        f"{a.get('sub_event_type')} ~ {b.get('sub_event_type')}"
    actors = f"actors {a.get('actor1') or '?'} / {a.get('actor2') or '?'} ~ " \
             f"{b.get('actor1') or '?'} / {b.get('actor2') or '?'}"
    return f"{kinds}, {date}, {place}, {actors}"
