"""Train and check the role decision (roles.py) inside `marsad train events`.

Examples: the candidates that state an annotated event (train.gold_matches) and have a pair to
decide. A candidate's order (actor1, actor2) scores one point per side named as the annotation
names it; the example is positive when the swapped order scores more, negative when the rules'
order does (a tie teaches nothing). Cross-validation by article (train.fold_of) compares, on
every candidate stating an annotated event, the rules' actors with the actors after the model's
swaps: actor1 exact, actor2 exact, both (role accuracy), and the categories inter1/inter2. The
model ships only when its role accuracy beats the rules'; otherwise the rules decide alone.
"""

from __future__ import annotations

from . import roles


def _score(a1, a2, g: dict) -> int:
    return int(a1 is not None and a1 == g.get("actor1")) + int(a2 is not None and a2 == g.get("actor2"))


def rows(arts, gold_matches) -> list[tuple[dict, int]]:
    out = []
    for art in arts:
        for e, g in zip(art.cands, gold_matches(art)):
            f = e.role_feats
            if g is None or e.is_copy or not f:
                continue
            kept, swapped = _score(e["actor1"], e["actor2"], g), _score(e["actor2"], e["actor1"], g)
            if kept != swapped:
                out.append((f, int(swapped > kept)))
    return out


def fit_roles(arts, gold_matches, params: dict) -> dict[str, float]:
    from .model import fit
    data = rows(arts, gold_matches)
    return fit(data, **params) if data else {}


def _tally(counts: dict, e: dict, g: dict, swap: bool) -> None:
    a1, i1, a2, i2 = e["actor1"], e["inter1"], e["actor2"], e["inter2"]
    if swap:
        a1, i1, a2, i2 = a2, i2, a1, i1
    counts["events"] += 1
    counts["actor1"] += a1 == g.get("actor1")
    counts["actor2"] += a2 == g.get("actor2")
    counts["both"] += a1 == g.get("actor1") and a2 == g.get("actor2")
    counts["inter1"] += i1 == g.get("inter1")
    counts["inter2"] += i2 == g.get("inter2")


def _rates(counts: dict) -> dict:
    n = counts["events"] or 1
    return {"events": counts["events"], "swaps": counts["swaps"],
            **{k: round(counts[k] / n, 4) for k in ("actor1", "actor2", "both", "inter1", "inter2")}}


def cross_validate(arts, gold_matches, fold_of, folds: int, params: dict) -> dict:
    """Rules against rules + learned swaps, out of fold, on the candidates stating an annotated
    event (all of them, with or without a pair to decide)."""
    keys = ("events", "swaps", "actor1", "actor2", "both", "inter1", "inter2")
    rules, learned = dict.fromkeys(keys, 0), dict.fromkeys(keys, 0)
    fold = [fold_of(a.id, folds) for a in arts]
    for f in range(folds):
        w = fit_roles([a for a, x in zip(arts, fold) if x != f], gold_matches, params)
        for a in (a for a, x in zip(arts, fold) if x == f):
            for e, g in zip(a.cands, gold_matches(a)):
                if g is None or e.is_copy:
                    continue
                swap = roles.should_swap(w, e.role_feats or {})
                learned["swaps"] += swap
                _tally(rules, e, g, False)
                _tally(learned, e, g, swap)
    return {"rules": _rates(rules), "learned": _rates(learned)}
