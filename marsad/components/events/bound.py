"""Candidates the learned detector cannot keep, told before they are built (issue 16).

A candidate whose triggers a gate holds (a cue, background, an aggregate, ...) or that is another
event type of its clause has the rules' verdict "drop", and the model keeps it only where its
probability reaches the keep threshold of its event type (model.decide). Its detector sum is the
bias, its stretch's clause words and its triggers' word features (shared with the other
candidates of the stretch, known before it is built), the features of its sentence, triggers and
gates (known too), and those of the fields build_event fills (sides, place, toll, day, weapon, the
rules' score). Each group of the last kind adds at most its largest weight (or nothing), and the
type at most what the kinds the candidate can end with give: where even that sum stays under the
threshold, build_event, the rules' score and the features would only make a candidate the
verdict drops, and none of them changes anything the step keeps (their caches are memos of
answers that do not depend on it). About a quarter of the candidates of news reports.
"""

from __future__ import annotations

import math

from . import features
from .build import group_kind, stretch
from .features import group_flags, shared_ids, shared_words
from .native import candidate_path
from .rules import TYPE_OF, strength, trigger_kind

# build_event's two named sub-types of a territory change and the protest one (the others come
# from TYPE_OF or from a trigger's row)
_TERRITORY_SUBS = ("Government regains territory", "Non-state actor overtakes territory")
_EXCESSIVE = "Excessive force against protesters"
# (a float sum in another order differs by far less; a candidate this close is built)
_SLACK = 1e-6
# the prefixes of every feature own_features sets, each of a group the bound accounts for (one
# list, features.OWN_KEYS; tests/core/test_core_events_bound.py checks the candidates' keys)
COVERED = features.OWN_KEYS
_MAX_TYPED = 10_000   # (outcomes, gates, alt) keys kept: a few hundred in the news reports


class Bound:
    """One model's upper bound of a "drop" candidate's detector sum (made once per model)."""

    def __init__(self, model):
        self.model = model
        w = self.w = model.weights

        def top(prefix: str) -> float:   # the largest weight of a group of which one key is set, else 0
            return max([0.0] + [v for k, v in w.items() if k.startswith(prefix)])

        def pos(key: str) -> float:
            return max(0.0, w.get(key, 0.0))

        g = w.get
        # own_features' groups that build_event's fields and the rules' score decide: at most one
        # key set in each, so each adds at most its largest weight (or nothing, where it may be absent)
        self.fields = (abs(g("margin", 0.0))   # the score's margin is within [-1, 1]
                       + max(0.0, g("fat:known", 0.0) + pos("fat:100+") + pos("fat:approx"), g("fat:combined", 0.0))
                       + max(g("datesrc:0", 0.0), g("datesrc:1", 0.0), g("datesrc:2", 0.0))   # (one always set)
                       + max(0.0, g("a1", 0.0) + top("i1:") + pos("a1:explicit"))
                       + max(0.0, g("a2", 0.0) + top("i2:"))
                       + max(g("place:none", 0.0), top("gp:") + pos("place:sent") + pos("place:abroad"))
                       + pos("weapon")
                       + max(g("tw:verb", 0.0), g("tw:strong", 0.0), g("tw:weak", 0.0))   # (one always set)
                       + (top("sent:") if features.POSITION else 0.0))
        # event type -> the sum under which the model drops a "drop" candidate (None: always drops)
        self.limits: dict[str, float | None] = {}
        self._typed_of: dict[tuple, list[tuple[float, float]]] = {}   # _typed's answers
        cand = candidate_path()   # (drop_sum compiled where built: _cand.pyx)
        self._drop_sum = None if cand is None else cand.drop_sum
        for et in {t[0] for t in TYPE_OF.values()}:
            if et in model.rule_types:
                self.limits[et] = None   # the rules' verdict: drop
                continue
            p = min(model.weak, model.keep_by_type.get(et, model.keep))
            self.limits[et] = math.inf if p >= 1 else -math.inf if p <= 0 else math.log(p / (1 - p))

    def cannot_keep(self, *args) -> bool:
        """True where the candidate (rules' verdict "drop": ``gates`` or ``alt``) stays under the
        keep threshold of every event type it can end with, whatever build_event makes of it."""
        return self.headroom(*args) < -_SLACK

    def headroom(self, doc, ctx, si: int, a: int, b: int, g: list, groups, gi: int, weapons: list,
                 breaks, gates: list[str], alt: str | None, info: dict, prev) -> float:
        """The most the candidate's detector sum can exceed the sum under which its event type is
        dropped (-inf: always dropped); ``prev`` the sentence's last event kept so far (an air
        strike its shelling goes on)."""
        fast = ctx.fast
        if fast is not None and self._drop_sum is not None:
            z, kind = self._drop_sum(doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info, fast)
        else:
            z, kind = drop_sum(self.model, doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info)
        z += self.fields
        most = -math.inf
        for typed, limit in self._typed(tuple(_outcomes(kind, g, prev)), tuple(gates), alt):
            most = max(most, z + typed - limit)
        return most

    def _typed(self, outcomes: tuple, gates: tuple, alt: str | None) -> list[tuple[float, float]]:
        """(the type's weights, its limit) of each outcome that can be kept: the same sums for
        the same outcomes, gates and alt, so kept per model (a few hundred keys)."""
        key = (outcomes, gates, alt)
        got = self._typed_of.get(key)
        if got is not None:
            return got
        w = self.w
        got = []
        for k, et, st in outcomes:
            limit = self.limits.get(et, -math.inf)
            if limit is None:
                continue
            typed = w.get("k:" + k, 0.0) + w.get("t:" + et, 0.0) + w.get("st:" + st, 0.0) + w.get(
                "rule:drop|t:" + et, 0.0)
            for gate in gates:
                typed += w.get("gate:%s|t:%s" % (gate, et), 0.0)
            if alt:
                typed += w.get("alt:t:" + et, 0.0)
            got.append((typed, limit))
        if len(self._typed_of) < _MAX_TYPED:
            self._typed_of[key] = got
        return got


def drop_sum(model, doc, ctx, si: int, a: int, b: int, g: list, groups, gi: int, weapons: list, breaks,
             gates: list[str], alt: str | None, info: dict) -> tuple[float, str]:
    """The detector's sum of what own_features sets from the sentence, the triggers and the gates
    of a "drop" candidate, with its stretch's clause words and its triggers' word features, and
    the first kind of its group (_cand.pyx's drop_sum is this code typed: change both)."""
    lo, hi = stretch(groups, gi, a, b, breaks)
    my_weapons = ctx.within(weapons, lo, hi) or (weapons if len(groups) == 1 else [])
    kind = group_kind(ctx, g, {trigger_kind(t) for t in g}, my_weapons)[1]
    f: dict[str, float] = {"rule:drop": 1.0}
    for gate in gates:
        f["gate:" + gate] = 1.0
    if not gates:
        f["gate:none"] = 1.0
    if alt:
        f["alt"] = 1.0
    f["str:%d" % max(strength(t) for t in g)] = 1.0
    if len(g) > 1:
        f["ntrig:2+"] = 1.0
    if len({t.data["kind"] for t in g}) > 1:
        f["nkinds:2+"] = 1.0
    if info.get("has_time"):
        f["time"] = 1.0
    if any(s.label for s in ctx.sl("sources", si)):
        f["source"] = 1.0
    group_flags(g, info, f)
    fast = ctx.fast
    if fast is not None:
        return fast.table.sums(f, fast.bias, shared_ids(doc, ctx, (lo, hi), g, fast))[0], kind
    shared_words(doc, ctx, (lo, hi), g, f)
    return model.total(f), kind


def _outcomes(kind: str, g: list, prev) -> list[tuple[str, str, str]]:
    """The (kind, event type, sub-type) build_event can give a group of first kind ``kind``: a
    battle where two armed sides are named or fighters fell, a territory change by who took it,
    a protest met with force; a shelling goes on the air strike before it (candidates.py)."""
    kinds = [kind] + (["battle"] if kind in ("attack", "kill", "wound", "vac") else [])
    out = []
    for k in kinds:
        et, st, _ = TYPE_OF[k]
        out.append((k, et, st))
        if k == "territory":
            out += [(k, et, s) for s in _TERRITORY_SUBS]
            out += [(k, et, t.data["sub_event_type"]) for t in g if t.data["kind"] == "territory"]
        elif k == "protest":
            out.append((k, et, _EXCESSIVE))
    if kind == "shell" and prev is not None and prev.kind == "air":
        out.append(("air", TYPE_OF["shell"][0], prev["sub_event_type"]))
    return out


def bound_for(model) -> Bound | None:
    """The bound of ``model`` (made once per model), or None without one."""
    if model is None:
        return None
    got = model.__dict__.get("_bound")
    if got is None:
        got = model._bound = Bound(model)
    return got


# Bound.headroom compiled where built (_cand.headroom_c, which the compiled sentence loop asks for
# a Bound whose cannot_keep and headroom are these; tests/core/test_core_events_bound.py compares them)
if candidate_path() is not None:
    import sys
    candidate_path().bind_bound(sys.modules[__name__])
