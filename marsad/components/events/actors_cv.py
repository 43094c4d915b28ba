"""Cross-validated actor figures, counted as ``../shared/eval/score.py events`` counts them.

Five folds by article (train.fold_of). In each fold the detector (with its typing and place
models) and the role model are fitted on the other folds; the held-out articles' candidates are
decided with the given thresholds (those chosen by CV on the same annotations) and go through the
document step. The final events are matched to the annotated ones as score.py matches them
(greedy one-to-one, event type + country + governorate, closest pairs first) and, on the matched
events, counted:

- ``categories``: score.py's actor_category_accuracy, the SET {inter1, inter2} equal on both sides
  (unordered: which side is actor1 does not count, so the role model cannot move it);
- ``inter1``/``inter2`` and ``actor1``/``actor2`` exact (ordered), ``both`` names exact, and
  ``names_unordered``.

For the rules' roles and for the rules + the learned swaps. Used by `marsad train events` (meta
figures ``cv_actors``) and by scripts/actor_cv.py (with an error breakdown).
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from . import roles, roles_train
from . import train as T
from .model import Model

KEYS = ("categories", "inter1", "inter2", "actor1", "actor2", "both", "names_unordered")


def inters(e) -> set:
    return {x for x in (e.get("inter1"), e.get("inter2")) if x}


def matched(gold: list[dict], pred: list) -> list[tuple[dict, dict]]:
    """score.py's greedy one-to-one matching (same event type and place, closest pairs first)."""
    pairs = sorted((T._km(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)
                   if g.get("event_type") == p.get("event_type") and T.same_place(g, p))
    ug, up, out = set(), set(), []
    for _, i, j in pairs:
        if i not in ug and j not in up:
            ug.add(i)
            up.add(j)
            out.append((gold[i], pred[j]))
    return out


def final_events(art, verdicts, ps, swaps: list[bool]) -> list[dict]:
    """The document step's events with the learned swaps applied to the candidates (a copy of a
    candidate follows its parent, as at run time, where the swap comes before the copies)."""
    done = []
    parent = False
    for e, s in zip(art.cands, swaps):
        parent = parent if e.is_copy else s
        if parent:
            roles.swap(e)
            done.append(e)
    art.cache.clear()
    try:
        return list(T.doc_events(art, verdicts, [x[1] for x in ps], [x[2] for x in ps]))
    finally:
        for e in done:
            roles.swap(e)
        art.cache.clear()


def tally(c: Counter, g: dict, p: dict) -> None:
    c["matched"] += 1
    c["categories"] += inters(g) == inters(p)
    for k in ("inter1", "inter2", "actor1", "actor2"):
        c[k] += g.get(k) == p.get(k)
    c["both"] += g.get("actor1") == p.get("actor1") and g.get("actor2") == p.get("actor2")
    c["names_unordered"] += {g.get("actor1"), g.get("actor2")} - {None} == {p.get("actor1"), p.get("actor2")} - {None}


def rates(c: Counter) -> dict:
    n = c["matched"] or 1
    return {"matched": c["matched"], **{k: round(c[k] / n, 4) for k in KEYS}}


def cross_validate(arts, keep: float, weak: float, veto: float, keep_by_type: dict | None,
                   each: Callable | None = None) -> dict:
    """{"rules": figures, "learned": figures}; ``each(article id, annotated, predicted)`` is
    called for every matched pair under the learned swaps."""
    folds = [T.fold_of(a.id) for a in arts]
    rules, learned = Counter(), Counter()
    for f in range(T.FOLDS):
        train = [a for a, k in zip(arts, folds) if k != f]
        test = [a for a, k in zip(arts, folds) if k == f]
        if not train or not test:
            continue
        m = T.fit_all(train)
        w = roles_train.fit_roles(train, T.gold_matches, T.PARAMS)
        d = Model({}, keep, weak, rule_types=sorted(m.rule_types), veto=veto, keep_by_type=keep_by_type)
        for art, ps in zip(test, T.predict(m, test)):
            vs = [d.decide(x[0], e["event_type"], e.rule) for x, e in zip(ps, art.cands)]
            for g, p in matched(art.gold, final_events(art, vs, ps, [False] * len(art.cands))):
                tally(rules, g, p)
            for g, p in matched(art.gold, final_events(art, vs, ps, [roles.should_swap(w, e.role_feats or {})
                                                                     for e in art.cands])):
                tally(learned, g, p)
                if each is not None:
                    each(art.id, g, p)
    return {"rules": rates(rules), "learned": rates(learned)}
