#!/usr/bin/env python3
"""Cross-validated actor figures on the training annotations, measured as
`../shared/eval/score.py events` measures them (never on the dev gold, which training refuses).

    .venv/bin/python scripts/actor_cv.py [--annotations annotations/events] [--shared ../shared]
                                         [--cache FILE.pickle] [--errors N] [--dump FILE.jsonl]

The figures are those of events/actors_cv.py (5 folds by article, the shipped model's thresholds,
the document step, score.py's matching; categories as the unordered set score.py compares). With
--errors N, the category errors under the learned swaps are broken down by kind (an annotated side
missing, an extra side, a wrong name or category) and the N most frequent (annotated name,
predicted name) confusions are printed with the annotation's Arabic quote of the side; --dump
writes every matched (annotated, predicted) pair. For error analysis on the annotations only.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marsad.components.events import actors_cv  # noqa: E402
from marsad.components.events import train as T  # noqa: E402
from marsad.components.events.model import MODEL_PATH, load  # noqa: E402

DUMPED = ("event_type", "sub_event_type", "country_code", "actor1", "inter1", "actor2", "inter2", "evidence")


def articles(annotations: str, shared: str, cache: str | None):
    if cache and Path(cache).exists():
        with open(cache, "rb") as f:
            return pickle.load(f)
    records, _ = T.read_annotations(annotations)
    banned = T.gold_ids(shared)
    records = [r for r in records if r["id"] not in banned]
    arts = T.collect(records, T.read_texts(shared, {r["id"] for r in records}), log=lambda s: None)
    if cache:
        with open(cache, "wb") as f:
            pickle.dump(arts, f)
    return arts


def side_errors(g: dict, p: dict, errs: Counter, confusions: Counter, quotes: dict) -> None:
    """Each annotated side against the predicted side that best fits it (same name, else same
    category, else what is left): a side missing, an extra side, a wrong name or category."""
    gs = [(g.get(a), g.get(i), (g.get("spans") or {}).get(a, {}).get("text") or g.get(a + "_ar"))
          for a, i in (("actor1", "inter1"), ("actor2", "inter2")) if g.get(a)]
    left = [(p.get(a), p.get(i)) for a, i in (("actor1", "inter1"), ("actor2", "inter2")) if p.get(a)]
    for name, inter, quote in gs:
        hit = next((x for x in left if x[0] == name), None) or next((x for x in left if x[1] == inter), None) \
            or (left[0] if left else None)
        if hit is not None:
            left.remove(hit)
            if hit[0] == name:
                continue
        errs["annotated side missing" if hit is None else "name, right category" if hit[1] == inter
             else "wrong category"] += 1
        key = (name, hit[0] if hit else "-")
        confusions[key] += 1
        quotes.setdefault(key, Counter())[quote] += 1
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
    m = load(MODEL_PATH)
    errs, conf, quotes = Counter(), Counter(), {}
    dump = open(a.dump, "w", encoding="utf-8") if a.dump else None

    def each(aid, g, p):
        if actors_cv.inters(g) != actors_cv.inters(p):
            side_errors(g, p, errs, conf, quotes)
        if dump:
            dump.write(json.dumps({"id": aid, "gold": {k: g.get(k) for k in DUMPED + ("spans",)},
                                   "pred": {k: p.get(k) for k in DUMPED}}, ensure_ascii=False) + "\n")

    res = actors_cv.cross_validate(arts, m.keep, m.weak, m.veto, m.keep_by_type, each)
    print(f"thresholds of {MODEL_PATH.name}: keep {m.keep} {m.keep_by_type} weak {m.weak} veto {m.veto}")
    print("rules' roles:         ", res["rules"])
    print("rules + learned swaps:", res["learned"])
    if a.errors:
        print("category errors (learned swaps), by kind:", dict(errs.most_common()))
        for (gname, pname), n in conf.most_common(a.errors):
            q = "; ".join(f"{t} x{k}" for t, k in quotes.get((gname, pname), Counter()).most_common(4))
            print(f"  {n:4d}  {gname} -> {pname}   {q}")


if __name__ == "__main__":
    main()
