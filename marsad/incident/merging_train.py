"""Train and check the within-report merge decision (merging.py) inside `marsad train events`.

Pairs: the mentions the document step sees in a training article under the rules' verdicts
(a candidate the rules keep or call weak; a per-town copy of a kept one), every two of them.
Label (train.gold_hits: the annotated events a mention may state, by evidence overlap or by type,
country, governorate and day): two incidents when the two mentions can state no common annotated
event; one incident when each can state only one, the same, both are at its place as score.py
counts it (country, governorate), and no other annotated event of its type is there. Other pairs
are left out: a mention that may state two events, or one of two events of a type in one
governorate (a title naming the day's fighting), says nothing sure about the pair; nor does a
mention that states no annotated event (a false event or an unannotated retelling). Labelling
by the first matching event instead (train.gold_matches) made even merging exactly the pairs
labelled "one incident" lose recall (event F1 0.4885 against the rule's 0.5146 on the training
annotations), as it takes two events of a type in one governorate for one. The unlabelled pairs
still count in the event F1 below.

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


def label(a, b, hits_a: list, hits_b: list, gold: list) -> int | None:
    """1 one incident, 0 two, None unknown (see the module's docstring)."""
    from ..components.events.train import same_place
    if not hits_a or not hits_b:
        return None
    ids_a, ids_b = {id(g) for g in hits_a}, {id(g) for g in hits_b}
    if not ids_a & ids_b:
        return 0
    if len(hits_a) > 1 or len(hits_b) > 1:
        return None
    (g,) = hits_a
    rivals = any(x is not g and x.get("event_type") == g.get("event_type") and same_place(x, a) for x in gold)
    return 1 if same_place(g, a) and same_place(g, b) and not rivals else None


def pairs(art, gold_hits) -> list[tuple[object, object, int]]:
    """(earlier mention, later mention, label) of the pairs with a label."""
    hits = gold_hits(art)
    ms = mentions(art)
    out = []
    for k, (i, a) in enumerate(ms):
        for j, b in ms[k + 1:]:
            y = label(a, b, hits[i], hits[j], art.gold)
            if y is not None:
                out.append((a, b, y))
    return out


def fit_merge(arts, gold_hits, params: dict) -> dict[str, float]:
    from ..components.events.model import fit
    rows = [(pair_features(a, b), y) for art in arts for a, b, y in pairs(art, gold_hits)]
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


def choose_threshold(arts, gold_hits, fold_of, folds: int, params: dict) -> float:
    """The threshold of the best out-of-fold event F1 on `arts` (ties: the one nearest 0.5)."""
    from ..components.events.train import score
    fold = [fold_of(a.id, folds) for a in arts]
    ws = [fit_merge([a for a, x in zip(arts, fold) if x != f], gold_hits, params) for f in range(folds)]
    best = None
    for th in THRESHOLDS:
        docs = [d for f in range(folds) for d in documents([a for a, x in zip(arts, fold) if x == f],
                                                            Decision(ws[f], th))]
        key = (score(docs)["f1"], -abs(th - 0.5))
        if best is None or key > best[0]:
            best = (key, th)
    return best[1]


def cross_validate(arts, gold_hits, fold_of, folds: int, params: dict, log=print) -> dict:
    from ..components.events import train as t
    fold = [fold_of(a.id, folds) for a in arts]
    rules_pairs = learned_pairs = n_pairs = 0
    rule_docs, learned_docs, thresholds = [], [], []
    for f in range(folds):
        train = [a for a, x in zip(arts, fold) if x != f]
        test = [a for a, x in zip(arts, fold) if x == f]
        if not train or not test:
            continue
        th = choose_threshold(train, gold_hits, lambda aid, k: fold_of(aid + "/inner", k), folds - 1, params)
        d = Decision(fit_merge(train, gold_hits, params), th)
        thresholds.append(th)
        for art in test:
            for a, b, y in pairs(art, gold_hits):
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


def fit_decision(arts, gold_hits, fold_of, folds: int, params: dict) -> dict:
    """The shipped decision: weights from every article, the threshold by cross-validation."""
    return {"weights": fit_merge(arts, gold_hits, params),
            "threshold": choose_threshold(arts, gold_hits, fold_of, folds, params)}
