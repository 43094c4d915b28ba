"""Storing alone: the extractor's outputs of a file loaded into a new SQLite store.

    .venv/bin/python benchmarks/bench_store.py [--input ../shared/data/news/conflict_2015.jsonl]
        [--outputs /tmp/marsad-outputs.jsonl] [--db /tmp/marsad-bench-store.db] [--reverse]
        [--shuffle SEED] [--per-report] [--profile FILE] [--pairs FILE]

The outputs are coded once and kept in --outputs (outside the repository: they hold the
articles' text spans); later runs read them, so only the store is timed: Store.load_results,
which is what `marsad ingest` does after extraction (linking, grouping, full-text rows).
Prints wall and CPU seconds and reports/s, and the load average (compare runs taken in the same
window; on a shared machine CPU seconds vary less than wall time). On Linux it also splits the
storing thread's wall time (/proc/thread-self/schedstat): on a CPU, waiting for one (the
machine's other load) and blocked (the disk: fdatasync at checkpoints, writes waiting; locks);
wall time less the wait for a CPU is what the store itself takes. --reverse stores the reports
in reversed order, --shuffle SEED in a seeded random order; --per-report uses a transaction per
report instead of transaction groups (and runs with code from before the groups).
Compare two stores with scripts/store_dump.py. --pairs FILE writes, for every candidate pair
the store scores, its score, decision, reason, every feature (features.features) and the
logistic's sum as JSON lines: run it with each checkout on PYTHONPATH and compare the files
(`cmp`) to check that a change to the linking code scores every pair as before (not timed).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", default=str(DEFAULT_INPUT))
    ap.add_argument("--outputs", default="/tmp/marsad-outputs.jsonl")
    ap.add_argument("--db", default="/tmp/marsad-bench-store.db")
    ap.add_argument("--reverse", action="store_true")
    ap.add_argument("--shuffle", type=int, metavar="SEED", help="Store in a random order (seeded).")
    ap.add_argument("--per-report", action="store_true", help="A transaction per report.")
    ap.add_argument("--profile", help="Write a cProfile of the store (CPU time) here.")
    ap.add_argument("--pairs", help="Write every scored candidate pair here (JSON lines).")
    args = ap.parse_args()

    from marsad.store import open_store

    with open(args.input, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if not os.path.exists(args.outputs):
        from marsad.extract import extract_record
        from marsad.pipeline import default_pipeline
        nlp = default_pipeline()
        with open(args.outputs, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(extract_record(r, nlp), ensure_ascii=False) + "\n")
    with open(args.outputs, encoding="utf-8") as f:
        outs = [json.loads(line) for line in f]
    pairs = list(zip(records, outs))
    if args.reverse:
        pairs.reverse()
    if args.shuffle is not None:
        import random
        random.Random(args.shuffle).shuffle(pairs)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    store = open_store(args.db)
    if args.pairs:
        _record_pairs(args.pairs)
    prof = cProfile.Profile(time.process_time) if args.profile else None
    load0 = os.getloadavg()[0]
    s0 = _schedstat()
    t, c = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    # main before 2026-12-03 has no groups: run it with --per-report
    st = store.load_results(pairs, extractor_version="bench", **({} if args.per_report else {"group": True}))
    if prof:
        prof.disable()
        prof.dump_stats(args.profile)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    s1 = _schedstat()
    store.close()
    n = len(pairs)
    print(f"{n} reports stored: wall {wall:.2f} s ({n / wall:.1f} reports/s), CPU {cpu:.2f} s "
          f"({n / cpu:.1f} reports per CPU-second); new {st.new}, duplicate {st.duplicate}, "
          f"failed {st.failed}, {st.events} coded events; load average {load0:.1f}-{os.getloadavg()[0]:.1f}")
    if s0 and s1:
        run, waiting = (s1[0] - s0[0]) / 1e9, (s1[1] - s0[1]) / 1e9
        own = wall - waiting
        print(f"storing thread: {run:.2f} s on a CPU, {waiting:.2f} s waiting for one, "
              f"{own - run:.2f} s blocked (the two clocks agree to about 0.1 s); {n / own:.1f} "
              f"reports/s of wall time less the wait for a CPU")


def _schedstat() -> tuple[int, int] | None:
    """This thread's nanoseconds on a CPU and waiting in a run queue (Linux), else None."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            run, waiting = f.read().split()[:2]
        return int(run), int(waiting)
    except (OSError, ValueError):
        return None


def _record_pairs(path: str) -> None:
    """Wrap link.score_all to write each pair it scores (code before and after features.View)."""
    from marsad.incident import link
    from marsad.incident.features import NAMES, features

    out = open(path, "w", encoding="utf-8")
    score_all = link.score_all

    def recorded(a, bs, w=None, floor=None):
        links = score_all(a, bs, w)   # every pair's Link, whatever the store's floor
        w = w or link.weights()
        for b, lk in zip(bs, links):
            f = features(getattr(a, "ev", a), getattr(b, "ev", b))
            z = w.bias + sum(w.weights[k] * f.get(k, 0.0) for k in NAMES)
            out.write(json.dumps([lk.score, lk.decision(w), lk.why, f, z], ensure_ascii=False) + "\n")
        out.flush()
        return links if floor is None else [None if lk.score < floor else lk for lk in links]
    link.score_all = recorded


if __name__ == "__main__":
    sys.exit(main())
