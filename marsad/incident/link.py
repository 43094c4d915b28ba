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
from typing import Callable

from .features import NAMES, _coarse, blocked, features, place_km, shingle_similarities
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


@lru_cache(maxsize=1)
def weights() -> Weights:
    d = json.loads((DATA / "weights.json").read_text(encoding="utf-8"))
    return Weights(d["bias"], {k: float(d["weights"].get(k, 0.0)) for k in NAMES},
                   float(d["threshold"]), float(d["possible"]), float(d.get("linkage", 1.0)),
                   d.get("note", ""), d.get("linkage_rule", "share") == "average")


# Disagreements no score may outweigh: such a pair is at most a "possible duplicate" a person
# confirms (kinds of event the type table rates below 0.5; two named places more than 3 km apart:
# two villages of one governorate). A conflict of named sides is only weighed: the extractor
# often gets a side wrong in reports of one incident (the linking gold, scripts/links.py fit).
CAPS = {"type_mismatch": "the kinds of event rarely are one incident",
        "places_apart": "two named places more than 3 km apart"}


def capped(feats: dict[str, float]) -> str | None:
    return next((why for k, why in CAPS.items() if feats.get(k)), None)


@dataclass(frozen=True)
class Link:
    score: float
    features: dict[str, float]
    reason: str | Callable[[], str]     # a callable: worded only for the links the store keeps

    @property
    def why(self) -> str:
        return self.reason if isinstance(self.reason, str) else self.reason()

    def decision(self, w: Weights | None = None) -> str:
        w = w or weights()
        if self.score >= w.threshold and not capped(self.features):
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
    return _link(a, b, features(a, b), w)


def score_all(a: dict, bs: list[dict], w: Weights | None = None) -> list[Link]:
    """score(a, b, w, unblocked=True) for each of bs (the store's candidates of a), with the
    texts' shingles compared in one go."""
    sims = shingle_similarities(a.get("_text"), [b.get("_text") for b in bs])
    return [_link(a, b, features(a, b, s), w) for b, s in zip(bs, sims)]


def _link(a: dict, b: dict, feats: dict[str, float], w: Weights | None) -> Link:
    p = probability(feats, w)
    cap = capped(feats)
    return Link(round(p, 4), feats, lambda: f"link score {p:.2f}: {describe(a, b)}" +
                (f"; at most a possible duplicate: {cap}" if cap else ""))


def describe(a: dict, b: dict) -> str:
    """The pair's agreement in words, for the merge log and the event page."""
    da, db_ = a.get("event_date"), b.get("event_date")
    if da and da == db_:
        date = f"same date {da}"
    elif da and db_:
        date = f"dates {da} / {db_}"
    else:
        date = f"date {da or db_ or 'unknown'} (one report gives none)"
    km = place_km(a, b)
    la, lb = a.get("location") or "?", b.get("location") or "?"
    if km is not None and not (_coarse(a) or _coarse(b)):
        place = f"{km:.1f} km apart ({la} / {lb})"
    else:
        place = f"{la} / {lb} (governorate {a.get('admin1_code') or '?'} / {b.get('admin1_code') or '?'})"
    kinds = a.get("sub_event_type") if a.get("sub_event_type") == b.get("sub_event_type") else \
        f"{a.get('sub_event_type')} ~ {b.get('sub_event_type')}"
    actors = f"actors {a.get('actor1') or '?'} / {a.get('actor2') or '?'} ~ " \
             f"{b.get('actor1') or '?'} / {b.get('actor2') or '?'}"
    return f"{kinds}, {date}, {place}, {actors}"
