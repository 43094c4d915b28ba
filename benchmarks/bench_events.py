"""The events step alone: its time per article and its share of the pipeline, over the same articles.

    .venv/bin/python benchmarks/bench_events.py [--input ../shared/data/news/conflict_2015.jsonl]
        [--limit N] [--rounds 3]

The steps before it run once per article; the events step then runs --rounds times on a fresh copy
of each article's Doc, so its figure is not mixed with the name tagger's or the geoparser's. Times
are CPU times of this process (the best round for the events step). The
machine may be shared: compare two versions by running this for each in turn, more than once
(PYTHONPATH=<a checkout of the other version> runs that version's code), and compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from pathlib import Path

from marsad.doc import Doc
from marsad.extract import RecordError, validate
from marsad.pipeline import default_pipeline

DEFAULT_INPUT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", default=str(DEFAULT_INPUT))
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    nlp = default_pipeline()
    names = [n for n, _ in nlp.steps]
    k = names.index("events")
    before, events = nlp.steps[:k], nlp.steps[k][1]
    docs, other = [], 0.0
    with open(args.input, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if args.limit and i >= args.limit:
                break
            try:
                _, text, published = validate(json.loads(line))
            except (RecordError, ValueError):
                continue
            c = time.process_time()
            doc = Doc(text, published, {})
            for _, step in before:
                step(doc)
            other += time.process_time() - c
            docs.append(pickle.dumps(doc))   # each round codes a fresh copy
    runs, cpu = [], []
    for _ in range(args.rounds):
        copies = [pickle.loads(d) for d in docs]
        t, c = time.perf_counter(), time.process_time()
        for doc in copies:
            events(doc)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    best = min(cpu)   # CPU time: on a shared machine the wall clock also counts the waits
    print(json.dumps({"articles": len(docs), "events_wall_s": [round(r, 3) for r in runs],
                      "events_cpu_s": [round(r, 3) for r in cpu],
                      "events_cpu_ms_per_article": round(1000 * best / len(docs), 2),
                      "events_articles_per_cpu_s": round(len(docs) / best, 1),
                      "steps_before_cpu_s": round(other, 2),
                      "events_vs_steps_before": round(best / other, 4)}))


if __name__ == "__main__":
    main()
