"""Ingest benchmark and deduplication measurement.

    .venv/bin/python benchmarks/bench_ingest.py [--input ../shared/data/news/conflict_2015.jsonl]
        [--limit N] [--merges /tmp/marsad_merges.txt] [--sample 30] [--keep-db PATH]

Prints, over the same records in one run (timings on a shared machine are noisy, so compare
the ratios):
  1. extract only   - marsad.extract over the records, nothing stored (the baseline);
  2. store only     - Store.load_results of those outputs (the store's own cost);
  3. full ingest    - `marsad ingest`'s path: validate, hash, extract, store, merge;
  4. re-ingest      - the same file again (all duplicates);
then reports/s for each, the store size, and the coded events before and after merging.
A sample of merges is written, with each report's evidence, to a file OUTSIDE the repository
for a person to check by hand (the articles are third-party data).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", default=str(DEFAULT_INPUT))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--merges", default="/tmp/marsad_merges.txt")
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--keep-db", default=None, help="Keep the full-ingest store here.")
    args = ap.parse_args()

    from marsad.extract import extract_record
    from marsad.pipeline import default_pipeline
    from marsad.store import open_store
    from marsad.store.version import extractor_version

    with open(args.input, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if args.limit:
        records = records[: args.limit]
    n = len(records)
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    src = args.input
    if args.limit:   # the first N lines as a file of their own, so (3) reads a file like (1)
        src = str(tmp / "input.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    t = time.perf_counter()
    nlp = default_pipeline()
    extractor_version()
    print(f"records: {n} from {args.input}")
    print(f"pipeline load: {time.perf_counter() - t:.2f} s ({', '.join(nlp.names)})")

    # warm-up (lazy caches in the pipeline), so that (1) and (3) are timed alike
    for r in records[:30]:
        extract_record(r, nlp)

    # 1. extract only (baseline)
    t, c = time.perf_counter(), time.process_time()
    outs = [extract_record(r, nlp) for r in records]
    t_extract, c_extract = time.perf_counter() - t, time.process_time() - c
    coded = sum(len(o["events"]) for o in outs)

    # 2. store only: the same outputs through the bulk loader
    s2 = open_store(tmp / "load.db")
    t, c = time.perf_counter(), time.process_time()
    st2 = s2.load_results(zip(records, outs), extractor_version=extractor_version(), group=True)
    t_load, c_load = time.perf_counter() - t, time.process_time() - c
    s2.close()

    # 3. full ingest from the file (as `marsad ingest FILE`)
    db = args.keep_db or str(tmp / "ingest.db")
    if os.path.exists(db):
        os.remove(db)
    store = open_store(db)
    t, c = time.perf_counter(), time.process_time()
    st3 = store.ingest_paths([src])
    t_ingest, c_ingest = time.perf_counter() - t, time.process_time() - c

    # 4. again: everything is a duplicate
    t = time.perf_counter()
    st4 = store.ingest_paths([src])
    t_again = time.perf_counter() - t
    store.db.checkpoint()
    size = store.db.size_bytes()
    status = store.status()

    def rate(k, sec):
        return f"{k / sec:8.1f} reports/s ({sec:6.1f} s)"
    print(f"1. extract only : {rate(n, t_extract)}  = 1.00")
    print(f"2. store only   : {rate(n, t_load)}  = {t_load / t_extract:.2f} x extract time")
    print(f"3. full ingest  : {rate(n, t_ingest)}  = {t_ingest / t_extract:.2f} x extract time "
          f"(new {st3.new}, duplicate {st3.duplicate}, failed {st3.failed})")
    print(f"4. re-ingest    : {rate(n, t_again)}  (duplicate {st4.duplicate}, new {st4.new})")
    # on a shared machine the wall clock mostly measures the others' load: CPU time does not
    print(f"CPU time of this process: extract {c_extract:.1f} s, store only {c_load:.1f} s "
          f"({c_load / c_extract:.2f} x, {n / c_load:.0f} reports/s), full ingest {c_ingest:.1f} s "
          f"({c_ingest / c_extract:.2f} x)")
    print(f"store size: {size / 1e6:.1f} MB for {status['reports']} reports "
          f"({size / max(1, status['reports']) / 1e3:.1f} kB/report; input "
          f"{os.path.getsize(args.input) / 1e6:.1f} MB)")
    print(f"coded events: {coded} in extract only, {status['coded_events']} stored")
    print(f"events after merging: {status['events']} "
          f"({status['coded_events'] - status['events']} merged away, "
          f"{status['merged_events']} events from 2+ reports; "
          f"{100 * (1 - status['events'] / max(1, status['coded_events'])):.1f}% fewer)")
    print(f"failures: {status['failures']}")

    # same-incident links kept by the store (marsad.incident): merged pairs and near-misses
    links = {r["status"]: r["n"] for r in store.db.query(
        "SELECT status, COUNT(*) AS n FROM links GROUP BY status ORDER BY status")}
    print(f"same-incident links: {links.get('same', 0)} same, {links.get('possible', 0)} possible "
          f"duplicates kept for a person")
    print(f"bulk loader (2) agrees with ingest (3): events {st2.events} vs {st3.events}")

    dump_merges(store, args.merges, args.sample, args.seed)
    store.close()


def dump_merges(store, path: str, k: int, seed: int) -> None:
    """A random sample of merges with both sides' evidence, for checking by hand."""
    merges = store.db.query("SELECT * FROM merges ORDER BY id")
    if not merges:
        print("no merges to sample")
        return
    rng = random.Random(seed)
    sample = sorted(rng.sample(merges, min(k, len(merges))), key=lambda m: m["id"])
    with open(path, "w", encoding="utf-8") as f:
        for i, m in enumerate(sample, 1):
            ev = store.get_event(m["event_id"])
            f.write(f"=== {i}. merge {m['id']}: report {m['report_id']} into event {ev['id']}\n")
            f.write(f"WHY: {m['reason']}\n")
            f.write(f"EVENT: {ev['event_date']} {ev['event_type']} / {ev['sub_event_type']} @ "
                    f"{ev['location']} ({ev['location_ar']}) {ev['actor1']} vs {ev['actor2']}, "
                    f"fatalities {ev['fatalities']}, {ev['n_reports']} reports\n")
            for r in ev["reports"]:
                mm = r["mention"]
                quote = " | ".join((sp["text"] or "").replace("\n", " ")[:300] for sp in r["evidence"])
                f.write(f"  - report {r['report_id']} [{r['source']} {r['published']}] "
                        f"{mm.get('location')} {mm.get('actor1')} vs {mm.get('actor2')} "
                        f"fat={mm.get('fatalities')}\n    {quote}\n")
            f.write("\n")
    print(f"{len(sample)} of {len(merges)} merges written to {path}")


if __name__ == "__main__":
    sys.exit(main())
