"""The learned event detector: a logistic regression over sparse named features.

Trained by `marsad train events` (see train.py) from the project's annotations; shipped as a small
JSON file (feature weights, the two thresholds chosen by cross-validation, the data versions and
figures), so no learning library is needed at run time. The model and the hand-set rules decide
together: a mention the rules keep stays unless its probability is under ``veto``; any other
candidate is an event from probability ``keep`` on, and between ``weak`` and ``keep`` a weakly
worded mention, which the document step only folds into an incident stated clearly elsewhere. The
three thresholds are chosen by cross-validation (train.py).
"""

from __future__ import annotations

import json
import math
import os
import random
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from ...text.native import core
from .linear import sigmoid

MODEL_PATH = Path(__file__).resolve().parent / "detector.json"


class Model:
    def __init__(self, weights: dict[str, float], keep: float = 0.5, weak: float = 0.35, meta: dict | None = None,
                 rule_types: list[str] | tuple = (), veto: float = 0.0, types: dict | None = None,
                 places: dict | None = None, keep_by_type: dict | None = None,
                 roles: dict | None = None, tolls: dict | None = None, merge: dict | None = None):
        # the document step's same-incident decision (incident/merging.py): {"weights", "threshold"}
        self.merge = merge or {}
        # weights of the role decision (roles.py): whether the rules' actor1 and actor2 swap
        self.roles = roles or {}
        # weights of the toll decision (tolls.py): which killed counts of the sentence are the incident's
        self.tolls = tolls or {}
        self.weights = weights
        # weights of the place chooser (arguments.py): which of an incident's places holds it
        self.places = places or {}
        # event type -> weights of a one-vs-rest model of the type of an incident (learned typing),
        # kept only as the table best_type reads (the dicts repeated each feature per type: 3 MB
        # of every process); ``types`` gives them back as dicts
        self._terms = _type_table(types or {})
        # the detector's weight of each feature of that table, by row (0.0 where it has none): the
        # compiled path reads both with one look-up (judge)
        names, index, _ = self._terms
        self._det = np.zeros(len(index) + 2)
        for k, i in index.items():
            self._det[i] = weights.get(k, 0.0)
        self.keep = keep
        # event type -> its own keep threshold (chosen by cross-validation; other types: keep)
        self.keep_by_type = keep_by_type or {}
        self.weak = weak
        self.veto = veto
        self.meta = meta or {}
        # event types too rare in the training annotations to learn: the rules' verdict stands
        self.rule_types = set(rule_types)

    @property
    def types(self) -> dict[str, dict[str, float]]:
        """Event type -> the weights of its typing model, from the table; a weight of 0.0 is left
        out, as saving leaves it out."""
        names, index, terms = self._terms
        out = {}
        for j, t in enumerate(names):
            col = terms[:, j].tolist()
            out[t] = {k: col[i] for k, i in index.items() if col[i] != 0.0}
        return out

    def judge(self, feats: dict[str, float]) -> tuple[float, list[float] | None]:
        """prob(feats), and the typing models' sums for best_type (None: best_type makes them)."""
        if core is None or not self._terms[0]:
            return self.prob(feats), None
        names, index, terms = self._terms
        z, sums = core.detector_sums(self.weights, index, self._det, terms, feats, self.weights.get("bias", 0.0))
        return _sigmoid(z), sums

    def best_type(self, feats: dict[str, float], current: str, sums: list[float] | None = None) -> str | None:
        """The event type the typing model prefers for an incident (None: keep its own); ``sums``
        from judge(feats) when it gave them."""
        if not self._terms[0] or current in self.rule_types:
            return None
        names, index, terms = self._terms
        # all the type models at once: row k of `terms` holds feature k's weight in each model (0.0
        # where a model lacks it: adding 0.0 * value leaves a sum the same float, values being
        # finite); cumsum adds left to right, bias first then the features in their order, as
        # prob() does, so each model's probability is the same float as prob(feats, its weights)
        if sums is not None:
            z = sums
        elif core is not None:   # the same sums, in C (no table of rows built per candidate)
            z = core.type_sums(index, terms, feats)
        else:
            rows = terms[[0] + list(map(index.get, feats, repeat(1)))]
            rows[1:] *= np.fromiter(feats.values(), float, len(feats))[:, None]
            z = np.cumsum(rows, axis=0)[-1].tolist()
        # the most probable type, on a tie the first by name (as max() over the sorted types
        # gives), in one pass: no dict of the scores nor sort per candidate
        rule_types = self.rule_types
        best, top, mine = None, 0.0, 0.0
        for i, t in enumerate(names):
            if t in rule_types:
                continue
            p = _sigmoid(z[i])
            if best is None or p > top or (p == top and t < best):
                best, top = t, p
            if t == current:
                mine = p
        return best if best is not None and top > mine else None

    def prob(self, feats: dict[str, float], weights: dict[str, float] | None = None) -> float:
        return _sigmoid(self.total(feats, weights))

    def total(self, feats: dict[str, float], weights: dict[str, float] | None = None) -> float:
        """The sum prob() takes the logistic of: the bias, then each feature's weight times its value."""
        w = self.weights if weights is None else weights
        z = w.get("bias", 0.0)
        if core is not None:   # the loop below, in C
            return core.weighted_sum(w, feats, z)
        # the same additions in the same order as a loop over feats.items() with w.get(k)
        for x, v in zip(map(w.get, feats), feats.values()):
            if x is not None:
                z += x * v
        return z

    def decide(self, p: float, event_type: str = "", rule: str = "drop") -> str | None:
        """"keep", "weak" or None for a candidate of probability p (of a type the rules decide:
        their verdict)."""
        if event_type in self.rule_types:
            return None if rule == "drop" else rule
        keep = self.keep_by_type.get(event_type, self.keep)
        if rule != "drop":
            # a mention the rules keep and the model doubts only adds to an incident stated elsewhere
            return "weak" if p < self.veto else "keep" if rule == "keep" or p >= keep else "weak"
        if p >= keep:
            return "keep"
        if p >= min(self.weak, keep):
            return "weak"
        return None

    def to_json(self) -> dict:
        return {"keep": self.keep, "keep_by_type": dict(sorted(self.keep_by_type.items())), "weak": self.weak,
                "veto": self.veto, "rule_types": sorted(self.rule_types), "meta": self.meta,
                "weights": _rounded(self.weights),
                "types": {t: _rounded(w) for t, w in sorted(self.types.items())},
                "places": _rounded(self.places), "roles": _rounded(self.roles),
                "tolls": _rounded(self.tolls),
                "merge": dict(self.merge, weights=_rounded(self.merge["weights"])) if self.merge else {}}

    def save(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False, indent=1, sort_keys=False)
            f.write("\n")


_sigmoid = sigmoid   # (linear.py: compiled where built)


def _rounded(w: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 5) for k, v in sorted(w.items()) if abs(v) >= 1e-5}


def load(path: str | Path) -> Model:
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    return Model(d["weights"], d["keep"], d["weak"], d.get("meta"), d.get("rule_types", ()), d.get("veto", 0.0),
                 d.get("types"), d.get("places"), d.get("keep_by_type"), d.get("roles"), d.get("tolls"),
                 d.get("merge"))


_TABLECACHE = Path(__file__).resolve().parents[2] / "tablecache.py"   # its code builds the cached table


@lru_cache(maxsize=1)
def default_model() -> Model | None:
    """The shipped model, or None (then the hand-set rules decide) when it is absent or
    MARSAD_EVENTS=rules."""
    if os.environ.get("MARSAD_EVENTS", "").lower() == "rules" or not MODEL_PATH.exists():
        return None
    # compiled once into the cache folder: parsing the 3 MB of JSON and building the type table
    # was about 250 M instructions of each process's start-up (marsad/tablecache.py)
    from ...tablecache import cached
    return cached("detector", (MODEL_PATH, Path(__file__), _TABLECACHE), lambda: load(MODEL_PATH))


MIN_EVENTS = 20   # annotated events of a type below which the model does not decide that type (Riots, 26
# annotated: learned, CV F1 0 -> 0.11 with a threshold of its own)
TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
         "Strategic developments")


def rule_types_of(gold_events: list[dict]) -> list[str]:
    """The event types with fewer than MIN_EVENTS annotated events: too few to learn from."""
    n: dict[str, int] = {}
    for e in gold_events:
        n[e.get("event_type")] = n.get(e.get("event_type"), 0) + 1
    return [t for t in TYPES if n.get(t, 0) < MIN_EVENTS]


def fit(samples: list[tuple[dict[str, float], int]], epochs: int = 30, l2: float = 1e-3,
        rate: float = 0.5, seed: int = 1) -> dict[str, float]:
    """L2-regularised logistic regression by AdaGrad over shuffled samples (deterministic: a
    fixed seed and sorted feature order). Returns the weights ("bias" included)."""
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    order = list(range(len(samples)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, y = samples[i]
            z = w.get("bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in feats.items())
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            err = p - y
            for k, v in list(feats.items()) + [("bias", 1.0)]:
                grad = err * v + (l2 * w.get(k, 0.0) if k != "bias" else 0.0)
                g2[k] = g2.get(k, 0.0) + grad * grad
                w[k] = w.get(k, 0.0) - rate * grad / math.sqrt(g2[k] + 1e-8)
    return w


def _type_table(types: dict[str, dict[str, float]]) -> tuple[list[str], dict[str, int], np.ndarray]:
    """The type models as one table: (the types, feature -> its row, the rows: 0 the biases, 1
    zeros for a feature no model knows, then one per feature)."""
    names = list(types)
    feats = sorted({k for w in types.values() for k in w})
    index = {k: i + 2 for i, k in enumerate(feats)}
    terms = np.zeros((len(feats) + 2, len(names)))
    for j, t in enumerate(names):
        w = types[t]
        terms[0, j] = w.get("bias", 0.0)
        for k, x in w.items():
            terms[index[k], j] = x
    return names, index, terms
