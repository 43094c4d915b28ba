"""How `scripts/links.py tune` chooses the linking setting, and the nested estimate of what that
choice delivers on incidents it never saw (docs/linking.md, "How the setting is chosen").

The rule (``choose``): precision first, the best F1 among the settings whose cross-validated
precision reaches the first floor of a list that any setting reaches with recall >= a minimum,
the precision taken on each training gold as well as on their union. The out-of-fold counts the
rule chooses from are also the figures reported for the chosen setting, so those figures are
fitted to the noise of the folds and the choice sits at the edge of the floor: ``inner_scores``
and ``nested`` give the precision the rule delivers to groups that had no part in the choice.

Counts: ``{setting: {set name: [tp, fp, fn]}}``, a setting any hashable (tune's (C, rule,
linkage, threshold)); the dict's order breaks ties (the first best wins), as tune's rows do.
"""

from __future__ import annotations

# The floor the rule asks of each training gold's cross-validated precision, and the precision the
# linking is meant to deliver (issue 13). A margin above it was looked for and not found (tune
# --nested, twelfth session, mg121; docs/linking.md): the rule's choice delivers k-ao 0.796 to the
# groups it never saw at floor 0.80 (dealings 0-5; 0.802 on 6-11), and no floor up to 0.85 lifts
# that past 0.797-0.799 (0.85 costs 0.015 of recall): the folds' own precision varies with the few
# large incidents they hold (sd 0.12 fold to fold) far more than with the threshold.
TARGET_PRECISION = 0.80
FLOOR = 0.80
FALLBACKS = (0.75, 0.70)   # asked in turn when no setting reaches the floor


def floors(first: float = FLOOR) -> list[float]:
    """The precision floors asked in turn: the first, then the fallbacks below it."""
    return [first] + [f for f in FALLBACKS if f < first]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def summed(by_set: dict) -> list[int]:
    """The union's tp, fp, fn."""
    return [sum(v[i] for v in by_set.values()) for i in range(3)]


def judged(by_set: dict, each: bool = True) -> tuple[float, float, float]:
    """The precision the rule reads (the lowest of the union's and each set's with each), the
    union's recall and F1."""
    p, r, f = prf(*summed(by_set))
    if each:
        p = min([p] + [prf(*v)[0] for v in by_set.values()])
    return p, r, f


def choose(counts: dict, min_precision=None, min_recall: float = 0.2, each: bool = True):
    """(the chosen setting, the floor it met, 0.0 when none was): the best F1 among the settings
    reaching the first floor of min_precision that any setting reaches with recall >= min_recall
    (a handful of merges proves nothing), else the best F1 of all."""
    rows = [(s, *judged(v, each)) for s, v in counts.items()]
    level = next((m for m in (floors() if min_precision is None else min_precision)
                  if any(p >= m and r >= min_recall for _, p, r, _ in rows)), 0.0)
    best = max(rows, key=lambda row: (row[1] >= level and row[2] >= min_recall, row[3]))
    return best[0], level


def inner_scores(make, X, y, keep, weight, gfold, F, pfold, outer: int, folds: int):
    """The stored pairs' scores for an inner choice that must not see fold `outer`'s labels: a
    pair of inner fold j by the model fitted on the folds other than j and `outer`, every other
    pair (of fold `outer`, or of no fold) by the model fitted on all folds but `outer`. X, y, keep,
    weight, gfold: the training pairs (features, labels, kept, weights, folds); F, pfold: the
    stored pairs' features and folds; make(): a new model (fit with sample_weight, predict_proba)."""
    def fitted(sel):
        return make().fit(X[sel], y[sel], sample_weight=weight[sel])
    base = keep & (gfold != outer)
    S = fitted(base).predict_proba(F)[:, 1] if len(F) else F[:, :0].sum(axis=1)
    for j in range(folds):
        if j != outer and (pfold == j).any():
            S[pfold == j] = fitted(base & (gfold != j)).predict_proba(F[pfold == j])[:, 1]
    return S


def inner_counts(by_fold: dict, outer: int) -> dict:
    """{setting: {set: counts}} summed over the folds other than `outer`, from
    {setting: {(set, fold): counts}}."""
    out = {}
    for s, v in by_fold.items():
        d = out.setdefault(s, {})
        for (name, k), c in v.items():
            if k != outer:
                d.setdefault(name, [0, 0, 0])
                for i in range(3):
                    d[name][i] += c[i]
    return out


def nested(inner: dict, outer: dict, min_precision, min_recall: float = 0.2, each: bool = True):
    """The nested estimate: inner[k] the counts the choice for fold k reads (no label of fold k
    behind them), outer[k] fold k's own {setting: {set: counts}}. Returns the summed counts by
    set at each fold's choice and the choices [(fold, setting, floor met)]."""
    total, picks = {}, []
    for k in sorted(inner):
        s, level = choose(inner[k], min_precision, min_recall, each)
        picks.append((k, s, level))
        for name, c in outer[k].get(s, {}).items():
            t = total.setdefault(name, [0, 0, 0])
            for i in range(3):
                t[i] += c[i]
    return total, picks
