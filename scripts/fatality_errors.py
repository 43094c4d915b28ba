#!/usr/bin/env python3
"""Fatalities accuracy at the ceiling, on the training annotations (never on a gold set: their
articles are left out, as `marsad train events` leaves them out).

    .venv/bin/python scripts/fatality_errors.py [--annotations annotations/events] [--shared ../shared]
                                                [--sample N] [--out FILE.jsonl]

The ceiling and the matching are scripts/date_errors.py's (exactly the candidates labelled
positive kept; score.py's greedy matching by type and place). The accuracy is
``../shared/eval/score.py events``'s: the share of matched events with an annotated toll (not
null) whose fatalities equal it. The tolls are the rules' (build._fatalities, shared out by
split.py): the learned toll decision (tolls.py) is applied only at run time. Every wrong toll is
put in the first class it fits:

  null coded         the toll coded null (killed and wounded read as one figure)
  wounded as killed  the coded toll's words are a count of wounded
  another event's    the coded toll's words are the annotated toll of another event of the report
  missed             none coded (0) where the annotation has dead; by where its toll is said:
                     in the incident's sentence, another sentence, or no span annotated
  none killed        a toll coded where the annotation has none (0)
  vague              "several", "dozens", "hundreds" or a plural with no figure on either side
  same words         the coded toll's words are the annotated toll's, the figure differs
                     (number words, ranges, "X of them")
  summed             more than one count added up, one of them the annotated toll
  larger / smaller   another count, above or below the annotated one (a cumulative or overall
                     toll, a part of it)

Some wrong tolls are a matter of matching: another predicted event stating the annotated event
(evidence overlapping) has the right toll; they are counted too. --out writes every error with
its sentences, for reading against CODING.md.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from date_errors import kept, match_pairs, parser, sentence_of, training_articles, write_rows  # noqa: E402

from marsad.components.events import train as T  # noqa: E402

_WOUNDED = re.compile("جرح|جريح|إصاب|اصاب|مصاب")
_KILLED = re.compile("قتل|قتيل|مصرع|شهيد|شهداء|استشهد|حتف|وفا|موت|جثث|جثة")


def _spans(inc: dict, name: str) -> list[dict]:
    return [x for x in inc.get("evidence") or [] if x.get("field") == name]


def _overlaps(a: dict, b: dict) -> bool:
    return "start" in a and "start" in b and a["start"] < b["end"] and b["start"] < a["end"]


def _gold_span(g: dict) -> dict:
    return (g.get("spans") or {}).get("fatalities") or {}


def _sentence(art, pos: int) -> int | None:
    for i, (a, b) in enumerate(art.doc.sentences):
        if art.doc.offsets[a] <= pos <= art.doc.offsets[b - 1]:
            return i
    return None


def classify(art, g: dict, p) -> str:
    gf, pf = g["fatalities"], p.get("fatalities")
    if pf is None:
        return "null coded"
    mine, gs = _spans(p, "fatalities"), _gold_span(g)
    text = " ".join(x["text"] for x in mine)
    if pf and _WOUNDED.search(text) and not _KILLED.search(text):
        return "wounded as killed"
    if mine and not any(_overlaps(x, gs) for x in mine) and any(
            o is not g and _overlaps(x, _gold_span(o)) for o in art.gold for x in mine):
        return "another event's"
    if pf == 0:
        if "start" not in gs:
            return "missed / no span"
        ev = _spans(p, "event")
        here = ev and _sentence(art, ev[0]["start"]) == _sentence(art, gs["start"])
        return "missed / " + ("its sentence" if here else "another sentence")
    if gf == 0:
        return "none killed"
    vague = any(w in (x.get("text") or "") for x in mine + [gs] for w in ("عدد", "عشرات", "مئات", "عدة", "العديد"))
    if vague or pf in (10, 12, 100) and not re.search(r"\d", text):
        return "vague"
    if any(_overlaps(x, gs) for x in mine):
        return "same words"
    if len(mine) > 1 and pf > gf:
        return "summed"
    return "larger" if pf > gf else "smaller"


def measure(arts, out: str | None = None) -> dict:
    n = ok = gold_null = elsewhere = 0
    errs, conf = Counter(), Counter()
    rows = []
    for a in arts:
        pred = kept(a)
        for g, p in match_pairs(a.gold, pred):
            gf, pf = g.get("fatalities"), p.get("fatalities")
            if gf is None:
                gold_null += 1
                continue
            n += 1
            conf[("0" if gf == 0 else ">0", "null" if pf is None else "0" if pf == 0 else ">0")] += 1
            if gf == pf:
                ok += 1
                continue
            c = classify(a, g, p)
            errs[c] += 1
            gev = [x for x in g.get("evidence") or [] if isinstance(x, dict) and "start" in x]
            elsewhere += any(q is not p and q.get("event_type") == g.get("event_type") and q.get("fatalities") == gf
                             and any(_overlaps(e, x) for e in _spans(q, "event") for x in gev) for q in pred)
            rows.append({"id": a.id, "class": c, "gold": gf, "pred": pf, "type": g.get("event_type"),
                         "gold_toll": _gold_span(g).get("text"), "pred_toll": [x["text"] for x in _spans(p, "fatalities")],
                         "gold_text": sentence_of(a, g.get("evidence") or []),
                         "pred_text": sentence_of(a, p.get("evidence") or [])})
    write_rows(out, rows)
    return {"matched": n + gold_null, "with_toll": n, "right": ok, "accuracy": round(ok / n, 4) if n else 0.0,
            "annotated_null": gold_null, "right_toll_elsewhere": elsewhere,
            "errors": dict(sorted(errs.items(), key=lambda x: (-x[1], x[0]))),
            "annotated_vs_coded": {f"{g} -> {p}": k for (g, p), k in sorted(conf.items())}, "rows": rows}


def main() -> None:
    a = parser(__doc__, "sentences").parse_args()
    arts = training_articles(a.annotations, a.shared)
    res = measure(arts, a.out)
    rows = res.pop("rows")
    print(f"articles {len(arts)}; ceiling {T.score([(x.gold, kept(x)) for x in arts])}")
    print(f"fatalities accuracy at the ceiling: {res['right']}/{res['with_toll']} = {res['accuracy']} "
          f"(matched {res['matched']}, annotated null {res['annotated_null']})")
    print("annotated -> coded:", res["annotated_vs_coded"])
    print("errors:", res["errors"])
    print("wrong tolls whose annotated event another predicted event of its type states, with the right toll:",
          res["right_toll_elsewhere"])
    for r in random.Random(0).sample(rows, min(a.sample, len(rows))):
        print(f"\n{r['id']} gold {r['gold']} pred {r['pred']} [{r['class']}] gold toll {r['gold_toll']!r} "
              f"pred toll {r['pred_toll']}\n  gold: {r['gold_text'][:300]}\n  pred: {r['pred_text'][:300]}")


if __name__ == "__main__":
    main()
