"""Tagging speed of the name tagger, in sentences per second on one core, and its share of
extraction time.

    .venv/bin/python benchmarks/bench_ner.py [--data ../shared/data/news/conflict_2015.jsonl] [--docs 400] [--numpy]

--numpy times the numpy path where the compiled decoder (marsad/ner/_decode.pyx) is built: run
both, one after the other, for their ratio on a shared machine.

Reads news reports (JSONL with "text") in place and prints, from the same run:
  floor        building the Doc only (normalise, split sentences, tokenise): what any step pays
  tag cold     a fresh tagger on reports it has never seen (every word-type cache empty)
  tag warm     the same reports again (caches full: the steady state of a long batch)
  no lexicons  warm, without the gazetteer / actor / organisation membership features
  pipeline     (wall-clock) the whole default extractor over the next reports (not seen by the tagger before),
               with the time of each step: the tagger's share of extraction time
Times are CPU seconds of this process (time.process_time), so other work on a shared machine
inflates them less than wall-clock time would; still, read the ratios between lines of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/news/conflict_2015.jsonl")
    ap.add_argument("--docs", type=int, default=400, help="reports to tag")
    ap.add_argument("--pipeline-docs", type=int, default=300, help="further reports for the extraction share")
    ap.add_argument("--numpy", action="store_true", help="the numpy path, not the compiled decoder")
    a = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    from marsad.doc import Doc
    from marsad.ner.tagger import MODEL_PATH, Tagger

    texts = []
    with open(a.data, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if len(texts) >= a.docs + a.pipeline_docs:
                break
    texts, rest = texts[:a.docs], texts[a.docs:]
    t = time.process_time()
    native = not a.numpy
    tagger = Tagger(native=native)
    load = time.process_time() - t

    def floor() -> tuple[list, float]:
        t = time.process_time()
        docs = [Doc(x) for x in texts]
        return docs, time.process_time() - t

    def tag(tg, docs) -> tuple[int, float]:
        t = time.process_time()
        n = sum(len(tg.tag_doc(d)) for d in docs)
        return n, time.process_time() - t

    docs, t_floor = floor()
    n_sent = sum(len(d.sentences) for d in docs)
    n_tok = sum(len(d.tokens) for d in docs)
    _, t_cold = tag(tagger, docs)
    types = len(tagger._cache.index)
    docs, t_floor2 = floor()
    n_ment, t_warm = tag(tagger, docs)
    bare = Tagger(MODEL_PATH, sources={}, native=native)
    tag(bare, docs)
    _, t_bare = tag(bare, docs)
    t_floor = min(t_floor, t_floor2)

    def rate(sec: float) -> str:
        return f"{n_sent / sec:,.0f} sentences/s ({n_tok / sec:,.0f} tokens/s)"

    print(f"reports: {len(docs)}  sentences: {n_sent:,}  tokens: {n_tok:,}  word types: {types:,}  "
          f"tokens/sentence: {n_tok / n_sent:.1f}  mentions: {n_ment:,}")
    print(f"decoder: {'compiled' if tagger.native is not None else 'numpy'}  model load: {load:.2f}s  lexicons: {sorted(tagger.lex.sources)}  features: {len(tagger.model.weights):,}")
    print(f"floor (Doc only): {rate(t_floor)}")
    print(f"tag cold:         {rate(t_cold)}")
    print(f"tag warm:         {rate(t_warm)}")
    print(f"no lexicons warm: {rate(t_bare)}")
    print(f"tag warm / floor time: {t_warm / t_floor:.2f}x")
    sys.stdout.flush()

    if rest:
        from marsad.pipeline import default_pipeline

        nlp = default_pipeline()
        nlp(texts[0])  # loads every step's data (gazetteer, lexicons) outside the timing
        steps: Counter = Counter()
        t = time.perf_counter()  # the steps' timings are wall-clock (perf_counter) too
        for x in rest:
            d = nlp(x)
            steps.update(d.timings)
        total = time.perf_counter() - t
        share = ", ".join(f"{k} {v / total:.0%}" for k, v in steps.most_common())
        print(f"pipeline, {len(rest)} further reports: {len(rest) / total:,.0f} reports/s; time by step: {share}")


if __name__ == "__main__":
    main()
