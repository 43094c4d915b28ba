#!/usr/bin/env python3
"""Event-date accuracy at the ceiling, on the training annotations (never on a gold set: their
articles are left out, as `marsad train events` leaves them out).

    .venv/bin/python scripts/date_errors.py [--annotations annotations/events] [--shared ../shared]
                                            [--sample N] [--out FILE.jsonl] [--folds]

The ceiling: exactly the candidates labelled positive are kept and go through the document step
(as scripts/event_errors.py). Predicted and annotated events are matched as
``../shared/eval/score.py events`` matches them (event type + country + admin1, closest first);
the date accuracy is, as there, the share of matched events with an annotated date whose
event_date equals it. Every wrong date is put in the first class it fits:

  null            no date coded
  recalled        an incident the report recalls (annotated more than one day before
                  publication) coded on the publication day
  off by one      one day early or late
  weekday         the day came from a weekday (الأحد ...) another week
  passage         the day came from the paragraph (no cue in the incident's own sentence)
  other           any other day said in its sentence (by the cue's kind)

and, by the causes CODING.md's date rules name (`cause`, the first that fits): a Hijri date; a
month, or a day and month, told without a year; a week or span of days (precision); a weekday (nights across
two days among them); the day of a statement (a source speaking just before the day, "إن" just
after it) dating the incident; a day carried from another sentence of the paragraph; a day told
relative to the report (أمس، اليوم) in the incident's own sentence read against the wrong anchor;
no cue at all (the publication day: an incident recalled, or the day before). They are also
counted by where the day came from (a cue in its own sentence, one of the paragraph, or
none: the publication day). Some wrong dates are a matter of matching, not dating: another
predicted event of the type, stating the annotated event (evidence overlapping), has the right
day; they are counted too. --out writes every error with its sentence, for reading against
CODING.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marsad.components.events import train as T  # noqa: E402
# score.py's greedy matching (type + country + admin1, closest first)
from marsad.components.events.actors_cv import matched as match_pairs  # noqa: E402


def kept(art) -> list:
    """The article's final events at the ceiling: exactly the candidates labelled positive kept."""
    return T.doc_events(art, ["keep" if y else None for y in T.label(art)])


def _day(s) -> date | None:
    try:
        return date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


def date_cue(art, inc):
    """The dates-layer span the incident's date came from (None: the publication day)."""
    ev = next((e for e in inc.get("evidence") or [] if e.get("field") == "date"), None)
    if ev is None:
        return None
    return next((d for d in art.doc.layer("dates") if d.start == ev["start"] and d.end == ev["end"]), None)


def source(art, inc, cue) -> str:
    """Where the date came from: its own sentence, the paragraph, or the publication day."""
    if cue is None:
        return "publication"
    ev = next((e for e in inc.get("evidence") or [] if e.get("field") == "event"), None)
    if ev is None:
        return "sentence"
    for a, b in art.doc.sentences:
        if art.doc.offsets[a] <= ev["start"] < art.doc.offsets[b - 1] + 1:
            return "sentence" if cue.sent == art.doc.sentences.index((a, b)) else "passage"
    return "sentence"


def classify(art, g: dict, p) -> str:
    gd, pd, pub = _day(g.get("event_date")), _day(p.get("event_date")), art.doc.published
    if pd is None:
        return "null"
    cue = date_cue(art, p)
    if pub is not None and pd == pub and (pub - gd).days > 1:
        return "recalled"
    if abs((pd - gd).days) == 1:
        return "off by one"
    if cue is not None and cue.data.get("kind") == "weekday":
        return "weekday"
    if source(art, p, cue) == "passage":
        return "passage"
    return "other: " + (cue.data.get("kind") if cue is not None else "publication")


_SAID_AFTER = re.compile(r"^\s*[،,:]?\s*(?:\S+\s+){0,2}?(?:ان|بان|عن)(?:\s|$)")


def cause(art, p, cue, src: str) -> str:
    """The cause of a wrong date, by the rules of CODING.md (the module docstring's order)."""
    if cue is None:
        return "no cue: publication day"
    kind = cue.data.get("kind")
    if kind == "hijri":
        return "hijri"
    if kind == "month" or (kind == "absolute" and not re.search(r"(?:19|20)\d\d", cue.text)):
        return "month or day-month without a year"
    if kind in ("week", "range"):
        return "precision (week, span of days)"
    if kind in ("weekday", "night"):
        return "weekday or night"
    n0, n1 = cue.data.get("n0", 0), cue.data.get("n1", 0)
    if any(c.data.get("cue") == "attribution" and c.sent == cue.sent and 0 <= n0 - c.data.get("n1", -99) <= 40
           for c in art.doc.layer("cues")) and _SAID_AFTER.match(art.doc.norm[n1:n1 + 30]):
        return "statement's day"
    if src == "passage":
        return "carried from another sentence"
    if kind == "relative":
        return "relative day, own sentence"
    return "other"


def sentence_of(art, spans) -> str:
    s = next((x for x in spans if isinstance(x, dict) and "start" in x), None)
    if s is None:
        return ""
    t = art.doc.text
    a, b = t.rfind("\n", 0, s["start"]) + 1, t.find("\n", s["end"])
    return t[a:b if b >= 0 else len(t)][:600]


def measure(arts, out: str | None = None) -> dict:
    n = ok = gold_null = elsewhere = 0
    errs, by_src, ok_src, cross, causes = Counter(), Counter(), Counter(), Counter(), Counter()
    rows = []
    for a in arts:
        pred = kept(a)
        for g, p in match_pairs(a.gold, pred):
            if not g.get("event_date"):
                gold_null += 1
                continue
            n += 1
            src = source(a, p, date_cue(a, p))
            if g.get("event_date") == p.get("event_date"):
                ok += 1
                ok_src[src] += 1
                continue
            c = classify(a, g, p)
            errs[c] += 1
            gev = [x for x in g.get("evidence") or [] if isinstance(x, dict) and "start" in x]
            elsewhere += any(q is not p and q.get("event_type") == g.get("event_type")
                             and q.get("event_date") == g.get("event_date")
                             and any(e.get("field") == "event" and e["start"] < x["end"] and x["start"] < e["end"]
                                     for e in q.get("evidence") or [] for x in gev) for q in pred)
            by_src[src] += 1
            cross[(c, src)] += 1
            cue = date_cue(a, p)
            why = cause(a, p, cue, src)
            causes[why] += 1
            rows.append({"id": a.id, "published": str(a.doc.published), "class": c, "cause": why, "source": src,
                         "gold": g.get("event_date"), "pred": p.get("event_date"),
                         "type": g.get("event_type"), "cue": cue.text if cue is not None else None,
                         "cue_kind": cue.data.get("kind") if cue is not None else None,
                         "gold_text": sentence_of(a, g.get("evidence") or []),
                         "pred_text": sentence_of(a, p.get("evidence") or [])})
    write_rows(out, rows)
    return {"matched": n + gold_null, "with_date": n, "right": ok, "accuracy": round(ok / n, 4) if n else 0.0,
            "annotated_null": gold_null, "right_day_elsewhere": elsewhere, "errors": dict(errs.most_common()),
            "errors_by_source": dict(by_src.most_common()), "right_by_source": dict(ok_src.most_common()),
            "errors_by_class_and_source": {f"{c} / {s}": k for (c, s), k in cross.most_common()},
            "errors_by_cause": dict(causes.most_common()),
            "rows": rows}


def write_rows(out: str | None, rows: list[dict]) -> None:
    """Every error as one JSON line (nothing when no file is asked for)."""
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


def parser(doc: str, what: str) -> argparse.ArgumentParser:
    """The options both error scripts take; `what` names an error's text in --out's help."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--annotations", default="annotations/events")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--sample", type=int, default=0, help="print this many errors drawn at random (seed 0)")
    ap.add_argument("--out", help=f"write every error with its {what} to this JSONL file")
    return ap


def training_articles(annotations: str, shared: str):
    """The annotated training articles with their candidates (a gold set's articles left out)."""
    records, _ = T.read_annotations(annotations)
    banned = T.gold_ids(shared)
    records = [r for r in records if r["id"] not in banned]
    return T.collect(records, T.read_texts(shared, {r["id"] for r in records}), log=lambda s: None)




def main() -> None:
    ap = parser(__doc__, "sentence")
    ap.add_argument("--folds", action="store_true", help="also the figures of each of the 5 folds by article")
    a = ap.parse_args()
    arts = training_articles(a.annotations, a.shared)
    pairs = [(x.gold, kept(x)) for x in arts]
    res = measure(arts, a.out)
    rows = res.pop("rows")
    print(f"articles {len(arts)}; ceiling {T.score(pairs)}")
    print(f"date accuracy at the ceiling: {res['right']}/{res['with_date']} = {res['accuracy']} "
          f"(matched {res['matched']}, annotated null {res['annotated_null']})")
    print("errors:", res["errors"])
    print("wrong dates whose annotated event another predicted event of its type states, on the right day:",
          res["right_day_elsewhere"])
    print("errors by where the day came from:", res["errors_by_source"])
    print("right by where the day came from:", res["right_by_source"])
    print("errors by class and source:", res["errors_by_class_and_source"])
    print("errors by cause:", res["errors_by_cause"])
    if a.folds:
        for f in range(T.FOLDS):
            sub = [x for x in arts if T.fold_of(x.id) == f]
            r = measure(sub)
            print(f"fold {f}: date {r['right']}/{r['with_date']} = {r['accuracy']}; ceiling F1 "
                  f"{T.score([(x.gold, kept(x)) for x in sub])['f1']}")
    for r in random.Random(0).sample(rows, min(a.sample, len(rows))):
        print(f"\n{r['id']} pub {r['published']} gold {r['gold']} pred {r['pred']} [{r['class']}, {r['source']}] "
              f"cue {r['cue']!r}\n  gold: {r['gold_text'][:300]}\n  pred: {r['pred_text'][:300]}")


if __name__ == "__main__":
    main()
