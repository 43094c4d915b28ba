"""Train and check the within-report merge decision (merging.py) inside `marsad train events`.

Pairs: the mentions the document step gets in a training article (train.mentions_of) as the
detector decides its candidates out of fold (verdict, type, place; the rules' verdicts when none
are given), every two of them.
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

from .merging import Decision, deciding, pair_features
from .within import same_incident

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _rules(art) -> tuple[list, None, None]:
    """The rules' verdicts of an article's candidates, as train.doc_events takes them."""
    return [None if e.rule in (None, "drop") else e.rule for e in art.cands], None, None


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


def pairs(art, gold_hits, given=None) -> list[tuple[object, object, int]]:
    """(earlier mention, later mention, label) of the pairs with a label; `given`: the article's
    (verdicts, types, places) as train.doc_events takes them (None: the rules' verdicts)."""
    from ..components.events.train import mentions_of
    hits = gold_hits(art)
    ms = mentions_of(art, *(given or _rules(art)))
    out = []
    for k, (i, a) in enumerate(ms):
        for j, b in ms[k + 1:]:
            y = label(a, b, hits[i], hits[j], art.gold)
            if y is not None:
                out.append((a, b, y))
    return out


def fit_merge(arts, gold_hits, params: dict, given=None) -> dict[str, float]:
    from ..components.events.model import fit
    given = given or [None] * len(arts)
    rows = [(pair_features(a, b), y) for art, g in zip(arts, given) for a, b, y in pairs(art, gold_hits, g)]
    return fit(rows, **params) if rows else {}


def documents(arts, decision, given=None) -> list[tuple[list, list]]:
    """(annotated events, events after the document step) of each article, merging with
    `decision` (None: the rule)."""
    from ..components.events import train as t
    out = []
    with deciding(decision):
        for art, g in zip(arts, given or [None] * len(arts)):
            art.cache.clear()     # the document step's cache holds the other decision's events
            out.append((art.gold, t.doc_events(art, *(g or _rules(art)))))
            art.cache.clear()
    return out


def _part(xs, fold, f, inside: bool) -> list:
    return [x for x, k in zip(xs, fold) if (k == f) == inside]


def choose_threshold(arts, gold_hits, fold_of, folds: int, params: dict, given=None) -> float:
    """The threshold of the best out-of-fold event F1 on `arts` (ties: the one nearest 0.5)."""
    from ..components.events.train import score
    given = given or [None] * len(arts)
    fold = [fold_of(a.id, folds) for a in arts]
    ws = [fit_merge(_part(arts, fold, f, False), gold_hits, params, _part(given, fold, f, False))
          for f in range(folds)]
    best = None
    for th in THRESHOLDS:
        docs = [d for f in range(folds)
                for d in documents(_part(arts, fold, f, True), Decision(ws[f], th), _part(given, fold, f, True))]
        key = (score(docs)["f1"], -abs(th - 0.5))
        if best is None or key > best[0]:
            best = (key, th)
    return best[1]


def cross_validate(arts, gold_hits, fold_of, folds: int, params: dict, given=None, log=print) -> dict:
    """The rule against the learned decision, out of fold by article; `given`: each article's
    (verdicts, types, places) as the detector decides them out of fold (None: the rules')."""
    from ..components.events import train as t
    given = given or [None] * len(arts)
    fold = [fold_of(a.id, folds) for a in arts]
    rules_pairs = learned_pairs = n_pairs = 0
    rule_docs, learned_docs, thresholds = [], [], []
    for f in range(folds):
        train, test = _part(arts, fold, f, False), _part(arts, fold, f, True)
        g_train, g_test = _part(given, fold, f, False), _part(given, fold, f, True)
        if not train or not test:
            continue
        th = choose_threshold(train, gold_hits, lambda aid, k: fold_of(aid + "/inner", k), folds - 1, params, g_train)
        d = Decision(fit_merge(train, gold_hits, params, g_train), th)
        thresholds.append(th)
        for art, g in zip(test, g_test):
            for a, b, y in pairs(art, gold_hits, g):
                n_pairs += 1
                rules_pairs += same_incident(a, b) == bool(y)
                learned_pairs += d(a, b) == bool(y)
        rule_docs += documents(test, None, g_test)
        learned_docs += documents(test, d, g_test)
        log(f"  merge fold {f}: threshold {th}")
    n = n_pairs or 1
    return {"pairs": n_pairs, "thresholds": thresholds,
            "rules": dict(t.score(rule_docs), pair_accuracy=round(rules_pairs / n, 4)),
            "learned": dict(t.score(learned_docs), pair_accuracy=round(learned_pairs / n, 4))}


def fit_decision(arts, gold_hits, fold_of, folds: int, params: dict, given=None) -> dict:
    """The shipped decision: weights from every article, the threshold by cross-validation."""
    return {"weights": fit_merge(arts, gold_hits, params, given),
            "threshold": choose_threshold(arts, gold_hits, fold_of, folds, params, given)}
