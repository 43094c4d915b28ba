"""Extractor speed and memory: one process, --workers N, a Dask LocalCluster, a long run.

    .venv/bin/python benchmarks/bench_extract.py [--input ../shared/data/news/conflict_2015.jsonl]
        [--workers 2] [--repeat 1] [--limit N] [--rounds 1] [--long 20000] [--skip-dask]
        [--skip-long] [--skip-pure] [--skip-ingest] [--json]

(about 7 minutes of a quiet 2-core machine, 4 of them the long run.)

Prints, over the same articles in one run (the machine may be shared: compare the ratios, which
are measured against baselines taken in the same run, more than the absolute figures):

  start-up      a fresh interpreter importing marsad and building the pipeline (what
                `marsad extract` pays once, and every worker pays once);
  floor         reading the JSONL and normalising each text (json.loads + normalize) - the
                least any extractor does; and the Doc (normalise + sentences + tokens);
  1 process     the extractor (extract_record) over every article, articles/s cold (a fresh
                process: word caches empty) and warm (the same articles again), per component
                shares (doc.timings); the records read as they are coded and each output line
                written to a file, as `marsad extract` does, so that the process's peak RSS is
                the extractor's (taken after the cold pass, and after the warm one);
  peak RSS      `marsad extract --input --output` of the same articles in a fresh process: its
                peak RSS as wait4() returns it (what `/usr/bin/time -v` prints), and its output
                compared line by line with the one-process line's (and the pure-Python one's);
  pure Python   the same cold pass with MARSAD_PURE=1 (the text core's pure-Python path): the
                compiled vs pure-Python ratio (whether both wrote the same output: above);
  ingest        the outputs of a cold pass stored into a new SQLite store (Store.load_results:
                events, mentions, full-text rows, merging), reports/s, and `marsad ingest`'s whole
                path (read, extract, store) over the same file into another store, in one
                process and with one coding process beside the writer (`marsad ingest` on two
                cores), and `marsad ingest --workers N` with the writer's CPU and its coders'
                per report and the rate those give on an idle machine;
  --workers N   the process pool of `marsad extract --workers N` (start-up shown apart), speed-up
                over one process, CPU per article of the workers and of the parent, the speed-up
                those CPU figures give on an idle machine, and peak RSS of each worker;
  dask          the Dask engine on a LocalCluster of N single-threaded workers (partitions coded
                on the workers, returned as Parquet, loaded here), with the cluster start-up
                apart, and peak RSS per worker;
  long run      one process over the articles repeated to --long articles, RSS sampled every
                1,000 articles: memory must stay flat after the warm-up.

Every configuration runs in a fresh process, so peak memory is that configuration's own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"


def _rss_mb(pid: int | None = None) -> float:
    import psutil
    return psutil.Process(pid or os.getpid()).memory_info().rss / 2**20


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _lines(args) -> list[str]:
    with open(args.input, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    return lines[:args.limit] if args.limit else lines


def _stream(args):
    """The input's lines (--limit, --repeat) read as they are used, as `marsad extract` reads
    them: an extracting process holding them all (11.5 MB for the 1,213 news articles) would
    show that in its peak RSS."""
    for _ in range(args.repeat):
        with open(args.input, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f):
                if args.limit and i >= args.limit:
                    break
                yield line


def _records(args):
    from marsad.extract import read_jsonl
    return read_jsonl(_stream(args))


class ChildSampler:
    """Peak RSS and CPU time of every descendant process, sampled every 100 ms."""

    def __init__(self):
        import psutil
        self.me = psutil.Process()
        self.peak: dict[int, float] = {}
        self.cpu: dict[int, float] = {}     # last seen user+system CPU seconds per process
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        procs: dict[int, object] = {}
        while not self._stop.is_set():
            for c in self.me.children(recursive=True):
                procs.setdefault(c.pid, c)        # keep the Process: its cpu_times are cached
            for pid, c in list(procs.items()):
                try:
                    with c.oneshot():
                        mb = c.memory_info().rss / 2**20
                        ct = c.cpu_times()
                except Exception:  # noqa: BLE001 - a process that exited
                    procs.pop(pid)
                    continue
                self.cpu[pid] = ct.user + ct.system
                self.peak[pid] = max(self.peak.get(pid, 0), mb)
            self._stop.wait(0.1)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


# -- the measurements, each run in a child process (mode) ---------------------------------

def m_startup(args) -> dict:
    t = time.perf_counter()
    import marsad.extract  # noqa: F401
    t_import = time.perf_counter() - t
    from marsad.pipeline import default_pipeline
    nlp = default_pipeline()
    return {"import_s": t_import, "startup_s": time.perf_counter() - t, "steps": nlp.names,
            "rss_mb": _rss_mb()}


def m_floor(args) -> dict:
    from marsad.doc import Doc
    from marsad.text import normalize
    t, c = time.perf_counter(), time.process_time()
    lines = _lines(args) * args.repeat
    texts = []
    chars = 0
    for line in lines:
        rec = json.loads(line)
        norm, _ = normalize(rec["text"])
        chars += len(norm)
        texts.append(rec["text"])
    floor, floor_cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    for text in texts:
        Doc(text)
    doc, doc_cpu = time.perf_counter() - t, time.process_time() - c
    return {"n": len(lines), "floor_s": floor, "floor_cpu_s": floor_cpu, "doc_s": doc,
            "doc_cpu_s": doc_cpu, "chars": chars}


def m_one(args) -> dict:
    """One process as `marsad extract` codes: records read as they are coded, each output line
    written to a file (args._out; the parent compares the files line by line, so that no run
    holds outputs or hashes them: hashlib alone maps 3.4 MB of OpenSSL). Peak RSS is taken after
    the cold pass (the extracting process) and again at the end (warm pass, step split)."""
    from marsad.extract import extract_stream
    from marsad.tune import warm_process
    t = time.perf_counter()
    nlp = warm_process()         # what `marsad extract` does on one process
    startup = time.perf_counter() - t
    steps: dict[str, float] = {}
    n = n_events = failed = 0
    secs = cpu = 0.0              # coding alone: reading and parsing the input is the floor's
    with open(args._out, "w", encoding="utf-8") as out_f:
        for rec in _records(args):
            t, c = time.perf_counter(), time.process_time()
            out = next(extract_stream((rec,), nlp))
            line = json.dumps(out, ensure_ascii=False) + "\n"     # `marsad extract`'s line
            secs, cpu = secs + time.perf_counter() - t, cpu + time.process_time() - c
            n += 1
            n_events += len(out.get("events") or [])
            failed += bool(out.get("error"))
            out_f.write(line)
    cold_rss = _maxrss_mb()
    warm_secs = warm_cpu = 0.0
    for rec in _records(args):    # warm: the same articles again, every per-word cache filled
        t, c = time.perf_counter(), time.process_time()
        next(extract_stream((rec,), nlp))
        warm_secs, warm_cpu = warm_secs + time.perf_counter() - t, warm_cpu + time.process_time() - c
    # per-component split on a second, shorter pass (doc.timings; extract_record hides the doc)
    from itertools import islice

    from marsad.extract import validate
    for rec in islice(_records(args), 300):
        try:
            _, text, pub = validate(rec)
        except Exception:  # noqa: BLE001
            continue
        t0 = time.perf_counter()
        doc = nlp(text, pub, {})
        total = time.perf_counter() - t0
        steps["doc (normalise, sentences, tokens)"] = steps.get("doc (normalise, sentences, tokens)", 0) \
            + total - sum(doc.timings.values())
        for k, v in doc.timings.items():
            steps[k] = steps.get(k, 0) + v
    from marsad.text import native
    return {"n": n, "secs": secs, "coding_cpu_s": cpu, "startup_s": startup,
            "warm_secs": warm_secs, "warm_cpu_s": warm_cpu, "out": args._out,
            "events": n_events, "failed": failed, "text_core": native.status(),
            "steps": steps, "cold_maxrss_mb": cold_rss, "maxrss_mb": _maxrss_mb()}


def run_cli(args, path: str, out: str) -> dict:
    """`marsad extract --input PATH --output OUT` in a fresh process; its peak RSS as wait4()
    returns it, the figure `/usr/bin/time -v` prints as "Maximum resident set size"."""
    cmd = [sys.executable, "-m", "marsad", "extract", "--input", path, "--output", out,
           "--no-progress"]
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_PURE"}
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode < 0 or not os.path.exists(out):   # exit N > 0: N records failed, as coded
        raise SystemExit(f"marsad extract failed:\n{err.decode(errors='replace')[-3000:]}")
    return {"secs": time.perf_counter() - t, "cpu_s": ru.ru_utime + ru.ru_stime,
            "maxrss_kb": ru.ru_maxrss, "maxrss_mb": ru.ru_maxrss / 1024, "out": out}


def first_difference(a: str, b: str) -> int | None:
    """The first line (from 1) where two output files differ, None if they are the same."""
    from itertools import zip_longest
    with open(a, "rb") as fa, open(b, "rb") as fb:
        for i, (x, y) in enumerate(zip_longest(fa, fb), 1):    # a missing line is None
            if x != y:
                return i
    return None


def m_ingest(args) -> dict:
    """Storing: the extractor's outputs into a new SQLite store (the store's own cost), then
    `marsad ingest`'s whole path over the same file into another one: in one process, then
    with one coding process beside the writer (what `marsad ingest` does on two cores; that
    process builds its own pipeline, where the one-process path reuses this one's)."""
    import tempfile

    from marsad.extract import extract_record
    from marsad.tune import warm_process
    from marsad.store import open_store
    from marsad.store.version import extractor_version
    nlp = warm_process()
    with open(args.input, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if args.limit:
        records = records[:args.limit]
    outs = [extract_record(r, nlp) for r in records]
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    store = open_store(tmp / "load.db")
    t = time.perf_counter()
    st = store.load_results(zip(records, outs), extractor_version=extractor_version(), group=True)
    store_s = time.perf_counter() - t
    store.close()
    src = str(args.input)
    if args.limit:
        src = str(tmp / "input.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    store = open_store(tmp / "ingest.db")
    t = time.perf_counter()
    st2 = store.ingest_paths([src])
    ingest_s = time.perf_counter() - t
    status = store.status()
    store.close()
    from marsad.scale.ingest import ingest_parallel
    from marsad.store.ingest import iter_paths
    store = open_store(tmp / "beside.db")
    t = time.perf_counter()
    ingest_parallel(store, iter_paths([src]), workers=1, group=True)
    beside_s = time.perf_counter() - t
    store.close()
    return {"n": len(records), "store_s": store_s, "ingest_s": ingest_s, "beside_s": beside_s,
            "events": st.events,
            "ingest_events": st2.events, "new": st2.new, "stored_events": status["events"],
            "coded_events": status["coded_events"], "maxrss_mb": _maxrss_mb()}


def m_ingest_workers(args) -> dict:
    """`marsad ingest --workers N` (scale.ingest_parallel: N coding processes, this one the
    writer) over the input into a new store, in a fresh process (its own forkserver, which
    builds the pipeline once for the workers): wall time, the writer's CPU and that of every
    process it started (the forkserver and the workers, sampled by psutil)."""
    import tempfile

    from marsad.scale.ingest import ingest_parallel
    from marsad.store import open_store
    from marsad.store.ingest import iter_paths
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    src = str(args.input)
    if args.limit:
        src = str(tmp / "input.jsonl")
        with open(args.input, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
            out.writelines(line for i, line in zip(range(args.limit), (x for x in f if x.strip())))
    store = open_store(tmp / "workers.db")
    with ChildSampler() as sampler:
        t, c = time.perf_counter(), time.process_time()
        st = ingest_parallel(store, iter_paths([src]), workers=args.workers, group=True)
        wall, writer = time.perf_counter() - t, time.process_time() - c
    store.close()
    return {"n": st.new + st.duplicate + st.failed, "secs": wall, "writer_cpu_s": writer,
            "coders_cpu_s": sum(sampler.cpu.values()), "workers": args.workers}


def m_pool(args) -> dict:
    from concurrent.futures import wait

    from marsad.scale import parallel
    recs = list(_records(args))     # parsed before the clock starts: the parent's memory
    with ChildSampler() as sampler:
        t = time.perf_counter()
        pool = parallel._new_pool(args.workers)
        pids: set[int] = set()
        while len(pids) < args.workers:       # every worker started and built its pipeline
            futs = [pool.submit(_pid_after, 0.2) for _ in range(args.workers * 2)]
            wait(futs)
            pids |= {f.result() for f in futs}
        startup = time.perf_counter() - t
        pool.shutdown()
        time.sleep(0.2)
        before = set(sampler.cpu)              # the start-up pool's processes, not counted below
        t = time.perf_counter()
        n = sum(1 for _ in parallel.extract_parallel(recs, workers=args.workers))
        total = time.perf_counter() - t
    me = resource.getrusage(resource.RUSAGE_SELF)
    # The pool's workers are children of the forkserver, not of this process: their CPU time
    # is sampled by psutil (the start-up pool above included), this process's own apart.
    return {"n": n, "total_s": total, "startup_s": startup,
            "worker_peak_mb": sorted(sampler.peak.values(), reverse=True),
            "workers_cpu_s": sum(v for k, v in sampler.cpu.items() if k not in before),
            "parent_cpu_s": me.ru_utime + me.ru_stime}


def _pid_after(delay: float) -> int:
    time.sleep(delay)
    return os.getpid()


def m_dask(args) -> dict:
    import logging
    logging.getLogger("distributed").setLevel(logging.ERROR)
    from marsad.scale.parallel import extract_dask, start_cluster, warm_worker
    recs = list(_records(args))
    t = time.perf_counter()
    client, cluster = start_cluster(args.workers, None)
    t_cluster = time.perf_counter() - t
    client.run(warm_worker)
    startup = time.perf_counter() - t
    try:
        t = time.perf_counter()
        n = sum(1 for _ in extract_dask(recs, client=client))
        secs = time.perf_counter() - t
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        client.close()
        cluster.close()
    return {"n": n, "secs": secs, "cluster_s": t_cluster, "startup_s": startup,
            "worker_peak_mb": sorted(peaks.values(), reverse=True)}


def m_long(args) -> dict:
    import gc

    from marsad.extract import extract_record
    from marsad.tune import warm_process
    nlp = warm_process()
    samples = []

    def cycle():
        while True:
            yield from _stream(args)
    lines = cycle()
    t = time.perf_counter()
    for i in range(args.long):
        rec = json.loads(next(lines))
        if isinstance(rec, dict):
            rec["id"] = f"{rec.get('id')}-{i}"     # ids differ, as in a real archive
        extract_record(rec, nlp)
        if (i + 1) % 1000 == 0:
            gc.collect()
            samples.append((i + 1, round(_rss_mb(), 1)))
    return {"n": args.long, "secs": time.perf_counter() - t, "samples": samples}


MODES = {"startup": m_startup, "floor": m_floor, "one": m_one, "pool": m_pool, "dask": m_dask,
         "long": m_long, "ingest": m_ingest, "ingest_workers": m_ingest_workers}


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def child(mode: str, args, pure: bool = False, out: str | None = None) -> dict:
    """Run one measurement in a fresh process; adds the CPU seconds it and its workers used.
    ``pure``: with MARSAD_PURE=1 (the text core's pure-Python path); ``out``: the file the
    one-process line writes its output to."""
    cmd = [sys.executable, __file__, "--_mode", mode, "--input", str(args.input),
           "--workers", str(args.workers), "--repeat", str(args.repeat), "--long", str(args.long),
           "--limit", str(args.limit or 0)] + (["--_out", out] if out else [])
    load = os.getloadavg()[0]
    cpu = _cpu_children()
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_PURE"}
    if pure:
        env["MARSAD_PURE"] = "1"
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{p.stderr[-3000:]}")
    out = json.loads(p.stdout.strip().splitlines()[-1])
    out["cpu_s"] = _cpu_children() - cpu
    out["load"] = load
    return out


def _mb(runs: list[dict], key: str) -> str:
    """Each round's figure in MiB (2**20 bytes, as every RSS here): "131 MB", "131 / 132 MB"."""
    return " / ".join(f"{x[key]:.1f}" for x in runs) + " MB"


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", default=str(DEFAULT_INPUT))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="Only the first N articles (0: all).")
    ap.add_argument("--repeat", type=int, default=1, help="Code the input this many times over.")
    ap.add_argument("--long", type=int, default=20000, help="Articles in the long-run memory check.")
    ap.add_argument("--rounds", type=int, default=1,
                    help="Alternate the one-process and pool runs this many times (medians).")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-long", action="store_true")
    ap.add_argument("--skip-pure", action="store_true", help="No pure-Python pass (compiled vs pure ratio).")
    ap.add_argument("--skip-ingest", action="store_true", help="No storing into SQLite.")
    ap.add_argument("--json", action="store_true", help="Print the figures as one JSON object too.")
    ap.add_argument("--_mode", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._mode:
        print(json.dumps(MODES[args._mode](args)))
        return

    res: dict = {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg()}
    print(f"input: {args.input} x{args.repeat}; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.2f} (other processes share the machine: compare ratios)")
    s = res["startup"] = child("startup", args)
    print(f"start-up:   {s['startup_s']:.2f} s (imports {s['import_s']:.2f} s), "
          f"RSS {s['rss_mb']:.0f} MB; steps: {', '.join(s['steps'])}")
    f = res["floor"] = child("floor", args)
    n = f["n"]
    print(f"floor:      {n / f['floor_s']:,.0f} articles/s, {n / f['floor_cpu_s']:,.0f} per CPU-second "
          f"(read + json + normalize; {f['chars'] / f['floor_cpu_s'] / 1e6:.1f} M chars per CPU-second); "
          f"Doc (normalize + sentences + tokens): {n / f['doc_cpu_s']:,.0f} per CPU-second")
    import shutil
    import tempfile
    tmp = tempfile.mkdtemp(prefix="marsad-bench-")
    try:
        _main_runs(args, res, f, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _cli_input(args, tmp: str) -> str:
    """The benchmark's input as one file for `marsad extract` (written only for --limit or
    --repeat)."""
    if not args.limit and args.repeat == 1:
        return str(args.input)
    path = os.path.join(tmp, "input.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(_stream(args))
    return path


def _main_runs(args, res: dict, f: dict, tmp: str) -> None:
    cli_in = _cli_input(args, tmp)
    ones, pools, pures, clis = [], [], [], []
    outs = []
    for r in range(args.rounds):          # alternated, so that a change of load hits all
        outs.append(os.path.join(tmp, f"one{r}.jsonl"))
        ones.append(child("one", args, out=outs[-1]))
        outs.append(os.path.join(tmp, f"cli{r}.jsonl"))
        clis.append(run_cli(args, cli_in, outs[-1]))
        if not args.skip_pure:
            outs.append(os.path.join(tmp, f"pure{r}.jsonl"))
            pures.append(child("one", args, pure=True, out=outs[-1]))
        pools.append(child("pool", args))
    # every output the same as the first, line by line (exact, nothing held in memory)
    diffs = {os.path.basename(o): first_difference(outs[0], o) for o in outs[1:]}
    diffs = {k: v for k, v in diffs.items() if v is not None}
    same = "identical output" if not diffs else "OUTPUT DIFFERS (first differing line: " + ", ".join(
        f"{k} line {v}" for k, v in diffs.items()) + ")"
    o, p = ones[0], pools[0]
    res["one"], res["pool"], res["cli"], res["same"] = ones, pools, clis, not diffs
    rate1 = _median([x["n"] / x["secs"] for x in ones])
    cpu1 = _median([x["n"] / x["coding_cpu_s"] for x in ones])
    warm = _median([x["n"] / x["warm_secs"] for x in ones])
    warm_cpu = _median([x["n"] / x["warm_cpu_s"] for x in ones])
    floor_cpu = f['floor_cpu_s'] / f['n']
    print(f"1 process:  text core {o['text_core']}; cold {rate1:,.1f} articles/s ({o['secs']:.1f} s for "
          f"{o['n']}; {o['events']} events, {o['failed']} failed), {cpu1:,.1f} per CPU-second = "
          f"{1 / cpu1 / floor_cpu:.1f}x the floor; warm {warm:,.1f} articles/s, {warm_cpu:,.1f} per "
          f"CPU-second = {1 / warm_cpu / floor_cpu:.1f}x the floor")
    kb = " / ".join(f"{x['maxrss_kb']:,}" for x in clis)
    print(f"peak RSS:   `marsad extract` of the same input {_mb(clis, 'maxrss_mb')} ({kb} KB: "
          f"wait4's ru_maxrss, the "
          f"\"Maximum resident set size\" of `/usr/bin/time -v`; {_median([x['cpu_s'] for x in clis]):.1f} "
          f"CPU s, start-up included); this line's process {_mb(ones, 'cold_maxrss_mb')} after the cold pass, "
          f"{_mb(ones, 'maxrss_mb')} after the warm pass; {same} (compiled, `marsad extract`"
          f"{', pure Python' if pures else ''})")
    total = sum(o["steps"].values()) or 1
    print("            time by step: " + ", ".join(
        f"{k} {v / total:.0%}" for k, v in sorted(o["steps"].items(), key=lambda kv: -kv[1])))
    if pures:
        py = pures[0]
        res["pure"] = pures
        cold = _median([p_["coding_cpu_s"] / c_["coding_cpu_s"] for p_, c_ in zip(pures, ones)])
        warm_r = _median([p_["warm_cpu_s"] / c_["warm_cpu_s"] for p_, c_ in zip(pures, ones)])
        # each step's share of its pass, times the CPU ratio of the passes: the load of the
        # machine, which changes the wall-clock step times, cancels out within a pass
        shares = {k: _median([(p_["steps"][k] / sum(p_["steps"].values())) /
                              (c_["steps"][k] / sum(c_["steps"].values())) *
                              (p_["coding_cpu_s"] / c_["coding_cpu_s"])
                              for p_, c_ in zip(pures, ones) if c_["steps"].get(k)])
                  for k in o["steps"]}
        print(f"pure Python: {py['text_core']}; cold {_median([x['n'] / x['secs'] for x in pures]):,.1f} "
              f"articles/s, {_median([x['n'] / x['coding_cpu_s'] for x in pures]):,.1f} per CPU-second; "
              f"compiled vs pure-Python {cold:.2f}x cold, {warm_r:.2f}x warm (CPU time, median of "
              f"{len(pures)} alternated runs); peak RSS {_mb(pures, 'cold_maxrss_mb')} after the cold pass")
        print("            pure/compiled time by step (from each pass's shares): " + ", ".join(
            f"{k} {v:.2f}x" for k, v in sorted(shares.items(), key=lambda kv: -kv[1])))
    ratep = _median([x["n"] / x["total_s"] for x in pools])
    cpup = _median([x["n"] / (x["workers_cpu_s"] + x["parent_cpu_s"]) for x in pools])
    parent = _median([x["parent_cpu_s"] / x["n"] for x in pools])
    print(f"--workers {args.workers}: {ratep:,.1f} articles/s ({p['total_s']:.1f} s, pool start-up "
          f"{p['startup_s']:.1f} s measured apart) = {ratep / rate1:.2f}x one process; "
          f"{cpup:,.1f} articles per CPU-second (all processes; the parent's share "
          f"{1000 * parent:.1f} ms/article); worker peak RSS "
          f"{', '.join(f'{x:.0f}' for x in p['worker_peak_mb'][:args.workers])} MB")
    # What the pool would do on an idle machine, from the CPU seconds measured (load does not
    # change them much): throughput is bounded by the cores over the CPU per article (workers
    # + parent), by the workers alone, and by the parent alone.
    w = _median([x["workers_cpu_s"] / x["n"] for x in pools])
    cores = os.cpu_count() or 1
    if w > 0:  # --workers 1 codes in the parent: no worker CPU to predict from
        predicted = min(cores / (w + parent), args.workers / w, 1 / parent if parent else 1e9)
        print(f"            from CPU time, on an idle {cores}-core machine: {predicted:,.1f} articles/s = "
              f"{predicted * (1 / cpu1):.2f}x one process (one process at its {cpu1:,.1f} articles "
              f"per CPU-second; workers' CPU {1000 * w:.1f} ms/article)")
    if args.rounds > 1:
        print("            rounds (1 process / pool articles/s, load): " + "; ".join(
            f"{a['n'] / a['secs']:.1f} / {b['n'] / b['total_s']:.1f} ({a['load']:.1f}, {b['load']:.1f})"
            for a, b in zip(ones, pools)))
    if not args.skip_ingest:
        g = res["ingest"] = child("ingest", args)
        print(f"ingest:     storing {g['n'] / g['store_s']:,.1f} reports/s into SQLite ({g['store_s']:.1f} s, "
              f"{g['events']} events); `marsad ingest` (read, extract, store) in one process "
              f"{g['n'] / g['ingest_s']:,.1f} reports/s ({g['ingest_s']:.1f} s, {g['new']} new), coding "
              f"beside the writer {g['n'] / g['beside_s']:,.1f}/s; {g['coded_events']} coded events, "
              f"{g['stored_events']} after merging; peak RSS {g['maxrss_mb']:.0f} MB")
        g = res["ingest_workers"] = child("ingest_workers", args)
        n, w, c = g["n"], g["writer_cpu_s"], g["coders_cpu_s"]
        # three processes on two cores: the CPU of all of them per report bounds the rate
        ncores = os.cpu_count() or 1
        idle = min(ncores / (w + c), 1 / w, g["workers"] / c) * n
        print(f"            `marsad ingest --workers {g['workers']}` {n / g['secs']:,.1f} reports/s "
              f"({g['secs']:.1f} s); CPU per report: writer {1000 * w / n:.2f} ms, forkserver and "
              f"coders {1000 * c / n:.2f} ms; from CPU time, on an idle {ncores}-core machine: "
              f"{idle:,.1f} reports/s")
    if not args.skip_dask:
        d = res["dask"] = child("dask", args)
        rated = d["n"] / d["secs"]
        print(f"dask local: {rated:,.1f} articles/s ({d['secs']:.1f} s; cluster start {d['cluster_s']:.1f} s, "
              f"+ pipelines {d['startup_s'] - d['cluster_s']:.1f} s) = {rated / rate1:.2f}x one process; "
              f"{d['n'] / d['cpu_s']:,.1f} articles per CPU-second (all processes); "
              f"worker peak RSS {', '.join(f'{x:.0f}' for x in d['worker_peak_mb'])} MB")
    if not args.skip_long:
        lr = res["long"] = child("long", args)
        smp = lr["samples"]
        base = smp[1][1] if len(smp) > 2 else smp[0][1]
        growth = smp[-1][1] - base
        print(f"long run:   {lr['n']:,} articles in {lr['secs']:.0f} s ({lr['n'] / lr['secs']:,.0f}/s); "
              f"RSS every 1,000: {' '.join(str(int(x[1])) for x in smp)} MB; "
              f"growth after 2,000: {growth:+.1f} MB")
    res["loadavg_after"] = os.getloadavg()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()
