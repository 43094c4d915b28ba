"""Train and check the within-report merge decision (merging.py) inside `marsad train events`.

Pairs: the mentions the document step sees in a training article under the rules' verdicts
(a candidate the rules keep or call weak; a per-town copy of a kept one), every two of them.
Label: one incident when both state the same annotated event (train.gold_matches: evidence
overlap, or type, country, governorate and day), two when they state different ones. A pair with
a mention that states no annotated event is left out of the training: the annotation does not say
whether that mention is a false event or an unannotated retelling. Such mentions still count in
the event F1 below, where merging them away or not changes the false positives.

Cross-validation by article (train.fold_of): per fold, the weights fitted on the other folds; the
threshold of each fold chosen on its training articles by an inner cross-validation (the event F1
after the document step, as score.py counts it; ties go to 0.5), so the held-out figure is not
chosen on itself. Compared with the rule: the out-of-fold event F1 and the pair accuracy (on the
labelled pairs). The learned decision ships only when its event F1 beats the rule's.
"""

from __future__ import annotations

from dataclasses import replace

from .merging import Decision, deciding, pair_features
from .within import same_incident

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def mentions(art) -> list[tuple[int, object]]:
    """(index in art.cands, the mention as the document step gets it) under the rules' verdicts,
    as train.evaluate_rules hands them to train.doc_events."""
    out, parent = [], None
    for i, e in enumerate(art.cands):
        v = None if e.rule in (None, "drop") else e.rule
        if not e.is_copy:
            parent = v
        v = parent if e.is_copy else v
        if v is None or (e.is_copy and v != "keep"):
            continue
        out.append((i, replace(e, weak=v == "weak")))
    return out


def pairs(art, gold_matches) -> list[tuple[object, object, int]]:
    """(earlier mention, later mention, 1 same annotated event / 0 different ones)."""
    gold = gold_matches(art)
    ms = mentions(art)
    out = []
    for k, (i, a) in enumerate(ms):
        for j, b in ms[k + 1:]:
            if gold[i] is not None and gold[j] is not None:
                out.append((a, b, int(gold[i] is gold[j])))
    return out


def fit_merge(arts, gold_matches, params: dict) -> dict[str, float]:
    from ..components.events.model import fit
    rows = [(pair_features(a, b), y) for art in arts for a, b, y in pairs(art, gold_matches)]
    return fit(rows, **params) if rows else {}


def documents(arts, decision) -> list[tuple[list, list]]:
    """(annotated events, events after the document step) of each article under the rules'
    verdicts, merging with `decision` (None: the rule)."""
    from ..components.events import train as t
    out = []
    with deciding(decision):
        for art in arts:
            art.cache.clear()     # the document step's cache holds the other decision's events
            out.append((art.gold, t.doc_events(art, [None if e.rule == "drop" else e.rule for e in art.cands])))
            art.cache.clear()
    return out


def choose_threshold(arts, gold_matches, fold_of, folds: int, params: dict) -> float:
    """The threshold of the best out-of-fold event F1 on `arts` (ties: the one nearest 0.5)."""
    from ..components.events.train import score
    fold = [fold_of(a.id, folds) for a in arts]
    ws = [fit_merge([a for a, x in zip(arts, fold) if x != f], gold_matches, params) for f in range(folds)]
    best = None
    for th in THRESHOLDS:
        docs = [d for f in range(folds) for d in documents([a for a, x in zip(arts, fold) if x == f],
                                                            Decision(ws[f], th))]
        key = (score(docs)["f1"], -abs(th - 0.5))
        if best is None or key > best[0]:
            best = (key, th)
    return best[1]


def cross_validate(arts, gold_matches, fold_of, folds: int, params: dict, log=print) -> dict:
    from ..components.events import train as t
    fold = [fold_of(a.id, folds) for a in arts]
    rules_pairs = learned_pairs = n_pairs = 0
    rule_docs, learned_docs, thresholds = [], [], []
    for f in range(folds):
        train = [a for a, x in zip(arts, fold) if x != f]
        test = [a for a, x in zip(arts, fold) if x == f]
        if not train or not test:
            continue
        th = choose_threshold(train, gold_matches, lambda aid, k: fold_of(aid + "/inner", k), folds - 1, params)
        d = Decision(fit_merge(train, gold_matches, params), th)
        thresholds.append(th)
        for art in test:
            for a, b, y in pairs(art, gold_matches):
                n_pairs += 1
                rules_pairs += same_incident(a, b) == bool(y)
                learned_pairs += d(a, b) == bool(y)
        rule_docs += documents(test, None)
        learned_docs += documents(test, d)
        log(f"  merge fold {f}: threshold {th}")
    n = n_pairs or 1
    return {"pairs": n_pairs, "thresholds": thresholds,
            "rules": dict(t.score(rule_docs), pair_accuracy=round(rules_pairs / n, 4)),
            "learned": dict(t.score(learned_docs), pair_accuracy=round(learned_pairs / n, 4))}


def fit_decision(arts, gold_matches, fold_of, folds: int, params: dict) -> dict:
    """The shipped decision: weights from every article, the threshold by cross-validation."""
    return {"weights": fit_merge(arts, gold_matches, params),
            "threshold": choose_threshold(arts, gold_matches, fold_of, folds, params)}
