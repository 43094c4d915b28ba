#!/usr/bin/env python3
"""Cross-validated actor figures on the training annotations, measured as
`../shared/eval/score.py events` measures them (never on the dev gold, which training refuses).

    .venv/bin/python scripts/actor_cv.py [--annotations annotations/events] [--shared ../shared]
                                         [--cache FILE.pickle] [--errors N]

Five folds by article (train.fold_of). In each fold the detector, the typing and place models and
the role model are fitted on the other folds; the held-out articles' candidates get the shipped
model's thresholds (chosen by CV on the same annotations) and go through the document step. The
final events are matched to the annotated ones as score.py matches them (greedy, event type +
country + governorate, closest first), and on the matched events it counts:
  - categories: score.py's actor_category_accuracy, the SET {inter1, inter2} of both equal
    (unordered: which side is actor1 does not count);
  - inter1 / inter2 and actor1 / actor2 names exact (ordered), both names exact, and the names as
    an unordered pair.
Printed for the rules' roles and for the rules + the learned swaps. With --errors N, the category
errors are broken down by kind (a side missing, an extra side, a wrong category) and the N most
frequent (annotated name, predicted name) confusions are printed, with the annotation's Arabic
quote of the side, to guide lexicon work.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marsad.components.events import roles, roles_train  # noqa: E402
from marsad.components.events import train as T  # noqa: E402
from marsad.components.events.model import MODEL_PATH, Model, load  # noqa: E402


def articles(annotations: str, shared: str, cache: str | None):
    if cache and Path(cache).exists():
        with open(cache, "rb") as f:
            return pickle.load(f)
    records, _ = T.read_annotations(annotations)
    banned = T.dev_ids(shared)
    records = [r for r in records if r["id"] not in banned]
    arts = T.collect(records, T.read_texts(shared, {r["id"] for r in records}), log=lambda s: None)
    if cache:
        with open(cache, "wb") as f:
            pickle.dump(arts, f)
    return arts


def matched(gold: list[dict], pred: list) -> list[tuple[dict, object]]:
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


def final_events(art, verdicts, ps, swaps: list[bool]) -> list:
    """The document step's events with the learned swaps applied to the candidates (a copy of a
    candidate follows its parent's decision, as at run time where the swap comes first)."""
    done = []
    parent = False
    for e, s in zip(art.cands, swaps):
        parent = parent if e.is_copy else s
        if parent:
            roles.swap(e)
            done.append(e)
    art.cache.clear()
    try:
        return [x.record() if hasattr(x, "record") else x
                for x in T.doc_events(art, verdicts, [x[1] for x in ps], [x[2] for x in ps])]
    finally:
        for e in done:
            roles.swap(e)
        art.cache.clear()


def tally(c: Counter, g: dict, p: dict) -> None:
    gi = {x for x in (g.get("inter1"), g.get("inter2")) if x}
    pi = {x for x in (p.get("inter1"), p.get("inter2")) if x}
    c["matched"] += 1
    c["categories"] += gi == pi
    c["inter1"] += g.get("inter1") == p.get("inter1")
    c["inter2"] += g.get("inter2") == p.get("inter2")
    c["actor1"] += g.get("actor1") == p.get("actor1")
    c["actor2"] += g.get("actor2") == p.get("actor2")
    c["both"] += g.get("actor1") == p.get("actor1") and g.get("actor2") == p.get("actor2")
    c["names_unordered"] += {g.get("actor1"), g.get("actor2")} - {None} == {p.get("actor1"), p.get("actor2")} - {None}


def rates(c: Counter) -> dict:
    n = c["matched"] or 1
    return {"matched": c["matched"], **{k: round(c[k] / n, 4) for k in
            ("categories", "inter1", "inter2", "actor1", "actor2", "both", "names_unordered")}}


def side_errors(g: dict, p: dict, errs: Counter, confusions: Counter, quotes: dict) -> None:
    """Each annotated side against the predicted side that best fits it (same name, else same
    category, else the other slot): a missing side, an extra side or a wrong name/category."""
    gs = [(g.get(a), g.get(i), (g.get("spans") or {}).get(a, {}).get("text") or g.get(a + "_ar"))
          for a, i in (("actor1", "inter1"), ("actor2", "inter2")) if g.get(a)]
    ps = [(p.get(a), p.get(i)) for a, i in (("actor1", "inter1"), ("actor2", "inter2")) if p.get(a)]
    left = list(ps)
    for name, inter, quote in gs:
        hit = next((x for x in left if x[0] == name), None) or next((x for x in left if x[1] == inter), None) \
            or (left[0] if left else None)
        if hit is None:
            errs["annotated side missing"] += 1
            confusions[(name, "-")] += 1
            quotes.setdefault((name, "-"), Counter())[quote] += 1
            continue
        left.remove(hit)
        if hit[0] == name:
            continue
        errs["name right category" if hit[1] == inter else "wrong category"] += 1
        confusions[(name, hit[0])] += 1
        quotes.setdefault((name, hit[0]), Counter())[quote] += 1
    for name, _ in left:
        errs["extra predicted side"] += 1
        confusions[("-", name)] += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--annotations", default="annotations/events")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--cache", help="pickle of the collected articles (written if missing)")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--dump", help="write the matched (annotated, predicted) pairs here, as JSON lines")
    a = ap.parse_args()
    arts = articles(a.annotations, a.shared, a.cache)
    shipped = load(MODEL_PATH)
    keep, weak, veto, kbt = shipped.keep, shipped.weak, shipped.veto, shipped.keep_by_type
    folds = [T.fold_of(x.id) for x in arts]
    rules, learned = Counter(), Counter()
    errs, conf, quotes = Counter(), Counter(), {}
    dump = open(a.dump, "w", encoding="utf-8") if a.dump else None
    for f in range(T.FOLDS):
        train = [x for x, k in zip(arts, folds) if k != f]
        m = T.fit_all(train)
        w = roles_train.fit_roles(train, T.gold_matches, T.PARAMS)
        test = [x for x, k in zip(arts, folds) if k == f]
        for art, ps in zip(test, T.predict(m, test)):
            d = Model({}, keep, weak, rule_types=sorted(m.rule_types), veto=veto, keep_by_type=kbt)
            vs = [d.decide(x[0], e["event_type"], e.rule) for x, e in zip(ps, art.cands)]
            sw = [roles.should_swap(w, e.role_feats or {}) for e in art.cands]
            for g, p in matched(art.gold, final_events(art, vs, ps, [False] * len(sw))):
                tally(rules, g, p)
            for g, p in matched(art.gold, final_events(art, vs, ps, sw)):
                tally(learned, g, p)
                if dump:
                    keys = ("event_type", "sub_event_type", "country_code", "actor1", "inter1", "actor2", "inter2",
                            "evidence", "fatalities")
                    dump.write(json.dumps({"id": art.id, "gold": {k: g.get(k) for k in keys + ("spans",)},
                                           "pred": {k: p.get(k) for k in keys}}, ensure_ascii=False) + "\n")
                if {x for x in (g.get("inter1"), g.get("inter2")) if x} != \
                        {x for x in (p.get("inter1"), p.get("inter2")) if x}:
                    side_errors(g, p, errs, conf, quotes)
    print(f"thresholds of {MODEL_PATH.name}: keep {keep} {kbt} weak {weak} veto {veto}")
    print("rules' roles:        ", rates(rules))
    print("rules + learned swaps:", rates(learned))
    if a.errors:
        print("category errors (learned swaps), by kind:", dict(errs.most_common()))
        for (gname, pname), n in conf.most_common(a.errors):
            q = "; ".join(f"{t} x{k}" for t, k in quotes.get((gname, pname), Counter()).most_common(4))
            print(f"  {n:4d}  {gname} -> {pname}   {q}")


if __name__ == "__main__":
    main()
