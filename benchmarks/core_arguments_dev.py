"""Recall of the argument layers (casualties, dates, actors) against the gold events of a dev set.

    .venv/bin/python benchmarks/core_arguments_dev.py [../shared/eval/gold/articles_dev.jsonl]

For every gold event it asks whether the article's layers contain the gold value anywhere: the
fatalities among the "killed" counts (or their sum over one sentence) (0 needs nothing; null needs a killed+wounded-together span),
the event_date among the resolved "dates" (or equal to the publication date, the default), actor1
and actor2 among the "actors" spans resolved with the event's country. These are upper bounds for
the event step, which must still pick the right value. Also prints articles per second for the
three argument steps alone.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from marsad.components.actors import resolve_actor
from marsad.pipeline import Pipeline

GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "gold" / "articles_dev.jsonl"


def main(path: str | None = None, verbose: bool = False) -> None:
    with open(path or GOLD, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    nlp = Pipeline(["lexicons", "numbers", "dates"])
    c: Counter = Counter()
    misses: list[str] = []
    t0 = time.perf_counter()
    docs = [nlp(r["text"], date.fromisoformat(r["published"]) if r.get("published") else None) for r in recs]
    dt = time.perf_counter() - t0
    for r, doc in zip(recs, docs):
        pub = doc.published
        killed = [s for s in doc.layer("casualties") if s.label == "killed"]
        counts = {s.data["count"] for s in killed if s.data["count"] is not None}
        by_sent: dict[int, int] = {}
        for s in killed:
            if s.data["count"] is not None:
                by_sent[s.sent] = by_sent.get(s.sent, 0) + s.data["count"]
        sums = counts | set(by_sent.values())      # the event step sums the killed counts of an incident
        together = any(s.data.get("together") for s in killed)
        dates = {s.data["date"] for s in doc.layer("dates") if s.data["valid"]}
        for e in r["events"]:
            f = e["fatalities"]
            if f is None:
                c["fat_null"] += 1
                c["fat_null_found"] += together
            elif f > 0:
                c["fat_pos"] += 1
                ok = f in counts
                c["fat_pos_found"] += ok
                c["fat_pos_found_sum"] += f in sums
                if not ok:
                    misses.append(f"fatalities {r['id']} gold={f} found={sorted(counts)}")
            if e["event_date"]:
                g = date.fromisoformat(e["event_date"])
                c["date"] += 1
                c["date_is_pub"] += g == pub
                c["date_found"] += g in dates
                c["date_found_or_pub"] += g in dates or g == pub
                if g != pub and g not in dates:
                    misses.append(f"date {r['id']} gold={g} pub={pub} found={sorted(str(d) for d in dates)}")
            cc = e.get("country_code")
            names = {resolve_actor(s.label, s.data, cc)[0] for s in doc.layer("actors")}
            for k in ("actor1", "actor2"):
                if e.get(k):
                    c["actor"] += 1
                    ok = e[k] in names
                    c["actor_found"] += ok
                    if not ok:
                        misses.append(f"{k} {r['id']} gold={e[k]!r}")
    def pct(a, b):
        return f"{c[a]}/{c[b]} = {c[a] / c[b]:.3f}" if c[b] else "n/a"
    if verbose:
        print("\n".join(misses))
    print(f"articles: {len(recs)}  events: {sum(len(r['events']) for r in recs)}")
    print("fatalities>0 gold figure among killed counts:", pct("fat_pos_found", "fat_pos"))
    print("fatalities>0 gold figure among killed counts or a sentence's sum of them:", pct("fat_pos_found_sum", "fat_pos"))
    print("fatalities null with a killed+wounded-together span:", pct("fat_null_found", "fat_null"))
    print("event_date equal to published:", pct("date_is_pub", "date"))
    print("event_date among resolved dates:", pct("date_found", "date"))
    print("event_date among resolved dates or published:", pct("date_found_or_pub", "date"))
    print("actor1/actor2 among resolved actor spans:", pct("actor_found", "actor"))
    print(f"lexicons+numbers+dates: {len(recs) / dt:.0f} articles/s ({dt:.2f} s)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    main(args[0] if args else None, verbose="-v" in sys.argv)
