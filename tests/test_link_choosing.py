"""The linking setting's rule and its nested estimate (marsad/incident/choosing.py; `scripts/links.py
tune --nested`): the rule takes the best F1 among the settings reaching the precision floor on
each training gold, and the nested choice for a fold never reads that fold's labels."""
import numpy as np
import pytest

from marsad.incident import choosing


def test_the_rule_takes_the_best_f1_reaching_the_floor_on_each_set():
    counts = {
        0.70: {"a": [90, 10, 10], "b": [70, 30, 30]},   # b's precision 0.70: under the floor
        0.75: {"a": [85, 5, 15], "b": [60, 14, 40]},    # b 0.811, the best F1 reaching 0.80
        0.80: {"a": [80, 2, 20], "b": [40, 4, 60]},     # b 0.909, lower recall
    }
    assert choosing.choose(counts, [0.80, 0.75]) == (0.75, 0.80)
    # on the union alone the 0.70 row reaches 0.80 (160 / 200) and has the best F1
    assert choosing.choose(counts, [0.80, 0.75], each=False) == (0.70, 0.80)
    # a floor none reaches falls back to the next one asked
    assert choosing.choose(counts, [0.95, 0.80]) == (0.75, 0.80)
    # a floor reached only with recall under the minimum does not count
    assert choosing.choose(counts, [0.90, 0.80], min_recall=0.65) == (0.75, 0.80)


def test_the_default_floor_comes_first_then_the_fallbacks():
    assert choosing.floors()[0] == choosing.FLOOR >= choosing.TARGET_PRECISION
    assert choosing.floors(0.82) == [0.82, 0.75, 0.70]


def _data(seed=0, n=600, m=900, folds=5):
    rng = np.random.default_rng(seed)
    w = np.array([2.0, -1.0, 0.5])
    X = rng.normal(size=(n, 3))
    y = (X @ w + rng.normal(size=n) > 0).astype(int)
    F = rng.normal(size=(m, 3))
    truth = (F @ w + rng.normal(size=m) > 0).astype(int)
    gfold = rng.integers(0, folds, size=n)
    pfold = rng.integers(-1, folds, size=m)   # -1: a stored pair of no fold
    return X, y, np.ones(n, dtype=bool), np.ones(n), gfold, F, pfold, truth


def _make():
    sklearn = pytest.importorskip("sklearn.linear_model")
    return lambda: sklearn.LogisticRegression(C=1.0, max_iter=1000)


def _by_fold(S, truth, pfold, thresholds):
    """A stand-in for tune's grouping: a stored pair linked when its score reaches the
    threshold, counted against its truth, by ("s", fold)."""
    out = {}
    for t in thresholds:
        d = out.setdefault(t, {})
        for k in set(pfold.tolist()) - {-1}:
            sel = pfold == k
            linked = S[sel] >= t
            d[("s", k)] = [int((linked & (truth[sel] == 1)).sum()), int((linked & (truth[sel] == 0)).sum()),
                           int((~linked & (truth[sel] == 1)).sum())]
    return out


def test_the_nested_choice_never_reads_the_outer_folds_labels():
    make = _make()
    X, y, keep, sw, gfold, F, pfold, truth = _data()
    thresholds = [round(0.30 + 0.05 * i, 2) for i in range(12)]
    outer = 2
    S = choosing.inner_scores(make, X, y, keep, sw, gfold, F, pfold, outer, 5)
    flipped_y = np.where(gfold == outer, 1 - y, y)
    flipped_truth = np.where(pfold == outer, 1 - truth, truth)   # the outer fold's stored pairs too
    S2 = choosing.inner_scores(make, X, flipped_y, keep, sw, gfold, F, pfold, outer, 5)
    assert np.array_equal(S, S2)
    inner = choosing.inner_counts(_by_fold(S, truth, pfold, thresholds), outer)
    inner2 = choosing.inner_counts(_by_fold(S2, flipped_truth, pfold, thresholds), outer)
    assert inner == inner2
    pick = choosing.choose(inner, [0.80, 0.75])
    assert pick == choosing.choose(inner2, [0.80, 0.75])
    # the outer fold's own counts do change with its labels: the check can fail
    own = _by_fold(S, truth, pfold, thresholds)[pick[0]][("s", outer)]
    assert own != _by_fold(S2, flipped_truth, pfold, thresholds)[pick[0]][("s", outer)]
    # while the plain out-of-fold scores of the other folds do read them (their models saw fold 2)
    plain = make().fit(X[gfold != 0], y[gfold != 0]).predict_proba(F[pfold == 0])[:, 1]
    plain2 = make().fit(X[gfold != 0], flipped_y[gfold != 0]).predict_proba(F[pfold == 0])[:, 1]
    assert not np.array_equal(plain, plain2)


def test_nested_sums_each_fold_at_its_own_choice():
    # fold 0's inner counts favour 0.5, fold 1's favour 0.7: each outer fold counted at its pick
    inner = {0: {0.5: {"s": [80, 10, 20]}, 0.7: {"s": [50, 5, 50]}},
             1: {0.5: {"s": [80, 30, 20]}, 0.7: {"s": [60, 10, 40]}}}
    outer = {0: {0.5: {"s": [8, 1, 2]}, 0.7: {"s": [5, 0, 5]}},
             1: {0.5: {"s": [9, 3, 1]}, 0.7: {"s": [6, 1, 4]}}}
    total, picks = choosing.nested(inner, outer, [0.80, 0.75])
    assert [s for _, s, _ in picks] == [0.5, 0.7]
    assert total == {"s": [14, 2, 6]}
