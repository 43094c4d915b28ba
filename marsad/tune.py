"""Process tuning for long coding runs, applied once the pipeline is built.

The extractor allocates many small, short-lived objects (tokens, spans, feature lists) while
the pipeline holds a large, long-lived heap (lexicon automata, gazetteer, model caches). With
CPython's default thresholds the cyclic collector ran about 500 young and 3 full collections
per 250 news articles, re-scanning that heap each full pass: 6% of the extractor's CPU time
(measured with gc.callbacks over 250 articles of conflict_2015.jsonl). ``gc.freeze()`` moves
the built pipeline into the permanent generation and a higher young-generation threshold makes
collections rare: 0.5% left. Memory stays flat (the long-run check in
benchmarks/bench_extract.py), since the extractor's garbage is freed by reference counting.
"""

from __future__ import annotations

import gc
import re

THRESHOLDS = (10_000, 50, 100)


def tune_gc() -> None:
    """Call after building the pipeline, in a process that then codes many documents."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def warm_process():
    """Build this process's pipeline (once) and tune the collector for a long run.

    The collector is off while the pipeline is built: the build makes some millions of container
    objects that all live (the tagger's and the clusters' tables, the gazetteer, the lexicons),
    and at the default thresholds each young collection re-scanned them and the older
    generations' passes the whole heap again: about 190 M of the build's 4.4 G instructions
    (callgrind, 2026-12-07 eleventh session: pr111). ``tune_gc``'s full collection right after
    frees what cyclic garbage the build left, as those passes did."""
    before = frozenset(getattr(re, "_cache", ()))   # what the build compiles (its imports included) regexcache may add
    from .pipeline import default_pipeline

    enabled = gc.isenabled()
    gc.disable()
    try:
        nlp = default_pipeline()
    finally:
        if enabled:
            gc.enable()
    from .regexcache import record
    record(new_since=before)   # the patterns the build compiled, for the next process (only when some are new)
    tune_gc()
    return nlp
