"""Coding many records at once: a process pool on one machine, a Dask cluster on many.

Both engines yield exactly what ``marsad.extract.extract_stream`` yields for the same records:
one output line per record, in input order, a bad record giving its error line in its place.

* ``engine="local"``: a pool of ``workers`` processes, each building the pipeline once (in its
  initializer) and coding chunks of records. At most a few chunks per worker are in flight, so
  memory stays flat on inputs of any length. If a worker process dies (a crash in a native
  library, the kernel's OOM killer), the chunk it held is coded again one record at a time in a
  fresh pool, and only the record that kills its worker gets an error line.
* ``engine="dask"``: partitions of the input are sent to the workers of a Dask distributed
  cluster (``scheduler`` address, or a ``LocalCluster`` started here), coded there with the
  pipeline each worker built once, written as Parquet (pyarrow) and loaded back here in order.
  By default each worker returns its Parquet partition as bytes (works on any cluster); with
  ``parquet_dir`` (or ``$MARSAD_PARQUET_DIR``), a directory every worker and this process can
  reach, the partitions are written there as files ``part-NNNNNN.parquet`` and kept.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Iterable, Iterator

from ..extract import RecordError, error_line, extract_stream

CHUNK = 16          # records per pool task: amortises pickling yet keeps both cores busy to the end
PARTITION = 200     # records per Dask partition (about 1.2 MB of news text)
IN_FLIGHT = 4       # tasks queued per worker: enough to hide latency, bounded for memory

log = logging.getLogger(__name__)


def extract_parallel(records: Iterable[Any], workers: int = 2, engine: str = "local",
                     scheduler: str | None = None, *, chunk: int | None = None,
                     parquet_dir: str | None = None) -> Iterator[dict]:
    """Output lines for ``records`` (dicts or ``RecordError``), in input order."""
    if engine == "dask":
        yield from extract_dask(records, workers, scheduler, partition=chunk or PARTITION,
                                parquet_dir=parquet_dir or os.environ.get("MARSAD_PARQUET_DIR"))
    elif engine == "local":
        if workers <= 1:
            yield from extract_stream(records)
        else:
            yield from extract_pool(records, workers, chunk=chunk or CHUNK)
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")


def _chunks(records: Iterable[Any], n: int) -> Iterator[list]:
    it = iter(records)
    while chunk := list(islice(it, n)):
        yield chunk


def record_error(rec: Any, message: str) -> dict:
    """The error line of an input record (a dict, or a RecordError from a broken line)."""
    return error_line(rec.get("id") if isinstance(rec, dict) else None, message)


# -- worker side (module-level so that both pool and Dask workers can import them) -----------

# Fault injection for the tests of worker death: a record with this id makes its worker exit
# abruptly, as a crash in a native library or the OOM killer would. Set from the parent's
# $MARSAD_TEST_KILL_WORKER_ON when the pool starts.
_KILL_ON: str | None = None


def warm_worker(kill_on: str | None = None) -> int:
    """Build this process's pipeline now (once per worker process); returns the pid."""
    global _KILL_ON
    from ..tune import warm_process
    _KILL_ON = kill_on
    warm_process()
    return os.getpid()


def code_chunk(chunk: list) -> list[dict]:
    if _KILL_ON is not None and any(isinstance(r, dict) and r.get("id") == _KILL_ON for r in chunk):
        os._exit(70)
    return list(extract_stream(chunk))


# -- one machine: a process pool ---------------------------------------------------------------

def _new_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process (no inherited threads, open files or a
    # pipeline built by the parent), without paying a full interpreter start each; the
    # forkserver builds the pipeline once for all of them (scale/warm.py)
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["marsad.scale.warm"])
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=warm_worker,
                               initargs=(os.environ.get("MARSAD_TEST_KILL_WORKER_ON"),))


def _discard(pool: ProcessPoolExecutor) -> None:
    """Shut a broken pool down. Its manager thread terminates the workers it knows, then joins
    them all; a worker the pool started while it was breaking (a submit racing the break) gets
    no signal and the join waits forever (seen in the suite). Once a future has failed the pool
    is flagged broken and starts no more, so killing every worker first leaves nothing to wait
    for."""
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        if p.is_alive():
            p.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def extract_pool(records: Iterable[Any], workers: int, chunk: int = CHUNK) -> Iterator[dict]:
    pool = _new_pool(workers)
    chunks = _chunks(records, chunk)
    pending: deque[list] = deque()   # [records, future], in input order

    def submit(c: list) -> Future:
        try:
            return pool.submit(code_chunk, c)
        except BrokenProcessPool as e:   # a worker died since the last result: this chunk waits
            fut: Future = Future()       # its turn, then goes through the recovery below
            fut.set_exception(e)
            return fut

    def fill() -> None:
        while len(pending) < workers * IN_FLIGHT:
            c = next(chunks, None)
            if c is None:
                return
            pending.append([c, submit(c)])

    try:
        fill()
        while pending:
            c, fut = pending.popleft()
            try:
                out = fut.result()
            except BrokenProcessPool:
                _discard(pool)
                pool, out = _isolate(c, workers)
                for p in pending:          # everything queued died with the pool: queue it again
                    p[1] = submit(p[0])
            yield from out
            fill()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolate(chunk: list, workers: int) -> tuple[ProcessPoolExecutor, list[dict]]:
    """Code a chunk whose worker died one record at a time, to find the record that kills it."""
    pool = _new_pool(workers)
    try:
        pool.submit(os.getpid).result()          # the workers start and build their pipeline
    except BrokenProcessPool:
        # Not a bad record: workers cannot even build the pipeline. Build it here to show why.
        _discard(pool)
        warm_worker()
        raise RuntimeError("worker processes die at start-up; run the pool from a script guarded "
                           "by `if __name__ == '__main__':`") from None
    out = []
    died = 0
    for rec in chunk:
        try:
            out.extend(pool.submit(code_chunk, [rec]).result())
        except BrokenProcessPool:
            died += 1
            log.warning("a worker process died while coding record %r", record_error(rec, "")["id"])
            out.append(record_error(rec, "internal error: the worker process died while coding this record"))
            _discard(pool)
            pool = _new_pool(workers)
    return pool, out


# -- many machines: Dask distributed ----------------------------------------------------------

# The pipeline of a process is not thread-safe (the CRF tagger keeps the last sequence it tagged
# for its marginals): the tasks of one Dask worker process take turns.
_PIPELINE_LOCK = threading.Lock()


def code_partition(index: int, records: list, parquet_dir: str | None = None) -> bytes | str:
    """Code one partition on a Dask worker and write it as Parquet (bytes, or a file path)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with _PIPELINE_LOCK:    # a worker started with --nthreads > 1 must not share the tagger
        results = code_chunk(records)
    table = pa.table({
        "seq": pa.array(range(len(results)), pa.int32()),
        "id": pa.array([None if r.get("id") is None else str(r["id"]) for r in results], pa.string()),
        "error": pa.array([r.get("error") for r in results], pa.string()),
        "n_events": pa.array([len(r.get("events") or []) for r in results], pa.int32()),
        "result": pa.array([json.dumps(r, ensure_ascii=False) for r in results], pa.string()),
    })
    if parquet_dir:
        path = os.path.join(parquet_dir, f"part-{index:06d}.parquet")
        pq.write_table(table, path)
        return path
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def load_partition(payload: bytes | str) -> list[dict]:
    """The output lines of a Parquet partition written by ``code_partition``, in order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = payload if isinstance(payload, str) else pa.BufferReader(payload)
    table = pq.read_table(source, columns=["seq", "result"]).sort_by("seq")
    return [json.loads(s) for s in table.column("result").to_pylist()]


def start_cluster(workers: int, scheduler: str | None):
    """A connected Client, and the LocalCluster to close afterwards (None for a given address)."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as e:
            raise ConnectionError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    # One single-threaded process per worker: the extractor is pure Python, threads would only
    # fight over the GIL.
    cluster = LocalCluster(n_workers=workers if workers > 1 else (os.cpu_count() or 1),
                           threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def extract_dask(records: Iterable[Any], workers: int = 2, scheduler: str | None = None,
                 partition: int = PARTITION, parquet_dir: str | None = None,
                 client=None) -> Iterator[dict]:
    """Code on a Dask cluster; ``client`` reuses a connected Client (left open)."""
    cluster = None
    own = client is None
    if own:
        client, cluster = start_cluster(workers, scheduler)
    if parquet_dir:
        os.makedirs(parquet_dir, exist_ok=True)
    try:
        client.run(warm_worker)                     # build the pipeline on every worker, once
        check_versions(client)
        n_workers = max(1, len(client.scheduler_info()["workers"]))
        parts = _chunks(records, partition)
        pending: deque[list] = deque()  # [index, records, future]
        index = 0

        def fill() -> None:
            nonlocal index
            while len(pending) < n_workers * 2:
                part = next(parts, None)
                if part is None:
                    return
                fut = client.submit(code_partition, index, part, parquet_dir, pure=False)
                pending.append([index, part, fut])
                index += 1

        fill()
        while pending:
            i, part, fut = pending.popleft()
            try:
                out = load_partition(fut.result())
            except Exception as e:  # noqa: BLE001 - a worker killed by this partition (KilledWorker)
                log.warning("partition %d failed on the cluster (%s); coding it record by record", i, e)
                out = _isolate_dask(client, i, part, parquet_dir)
            fut.release()
            yield from out
            fill()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def worker_version() -> str:
    from ..store.version import extractor_version
    return extractor_version()


def check_versions(client) -> None:
    """Refuse a cluster whose workers run another extractor than this process: their output
    would differ from a local run without anyone noticing."""
    mine = worker_version()
    other = {w: v for w, v in client.run(worker_version).items() if v != mine}
    if other:
        raise RuntimeError(f"workers run another Marsad extractor than this client ({mine}): "
                           + ", ".join(f"{w} has {v}" for w, v in sorted(other.items()))
                           + "; install the same version on every host")


def _isolate_dask(client, index: int, part: list, parquet_dir: str | None) -> list[dict]:
    out = []
    for rec in part:
        try:
            # a file name of its own per record, so a partition file is never half overwritten
            out.extend(load_partition(client.submit(code_partition, index, [rec], None,
                                                    pure=False).result()))
        except Exception as e:  # noqa: BLE001
            out.append(record_error(rec, f"internal error: the cluster could not code this record ({type(e).__name__})"))
    return out


__all__ = ["extract_parallel", "extract_pool", "extract_dask", "code_partition", "load_partition",
           "start_cluster", "warm_worker", "RecordError"]
