"""Parallel ingest: code on many processes (or a Dask cluster), store from one writer.

``ingest_parallel(store, items, workers, engine, scheduler)`` gives the same store content as
``store.ingest_records(items)``: the records are checked here (a record already stored, by the
SHA-256 of its text, is not coded again; a bad record goes straight to the store's failure
log), the others are coded by a pool of ``workers`` processes (one is a pool too: it codes the
next records while this process stores) or a Dask cluster, and the (record, output line) pairs
are written, in input order, by this single process through ``store.load_results``. So the
database never has more than one writer per ingest and a crash leaves whole reports only;
re-running the same ingest completes it.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from ..extract import RecordError, validate
from .parallel import CHUNK, extract_parallel, extract_pool

# `marsad ingest --workers 1` codes in a process of its own, beside the writer, from this many
# records: on two cores the writer stores while the next records are coded, where coding and
# storing in one process take turns; below it, the pool's start-up is much of the run
BESIDE_FROM = 8 * CHUNK


def coded_pairs(store, items: Iterable[Any], workers: int = 2, engine: str = "local",
                scheduler: str | None = None, **kw) -> Iterator[Any]:
    """(record, output line, validate's result) in input order; the records not coded pass
    through as (record, {}) (the store says why), read failures unchanged."""
    from ..store.store import record_origin

    # ("pass", item) | ("code", (record, validate's result for it)), in input order
    queue: deque[tuple[str, Any]] = deque()

    def to_code() -> Iterator[dict]:
        for item in items:
            if not isinstance(item, dict):       # a reader's Failure or a RecordError
                queue.append(("pass", item))
                continue
            rec = dict(item)
            if rec.get("id") in (None, ""):
                rec["id"] = record_origin(rec)
            try:
                valid = validate(rec)
            except RecordError:
                queue.append(("pass", (item, {})))   # the store records why it is bad
                continue
            if store.is_duplicate(rec, valid[1], valid[2]):
                queue.append(("pass", (item, {})))   # already stored: the store says duplicate
                continue
            queue.append(("code", (item, valid)))
            yield rec

    if engine == "local":   # a pool even of one process: it codes while this one stores
        outs = extract_pool(to_code(), workers, chunk=kw.get("chunk") or CHUNK)
    else:
        outs = extract_parallel(to_code(), workers=workers, engine=engine, scheduler=scheduler, **kw)
    for out in outs:
        while queue[0][0] == "pass":
            yield queue.popleft()[1]
        item, valid = queue.popleft()[1]
        yield (item, out, valid)   # the store need not validate the record again
    while queue:
        yield queue.popleft()[1]


def ingest_parallel(store, items: Iterable[Any], workers: int = 2, engine: str = "local",
                    scheduler: str | None = None, progress: Any = None, group: bool = False, **kw):
    """Code ``items`` in parallel and store them; returns the store's IngestStats.
    group: store in transaction groups (Store.load_results), for input that does not wait."""
    from ..store.version import extractor_version

    pairs = coded_pairs(store, items, workers=workers, engine=engine, scheduler=scheduler, **kw)
    return store.load_results(pairs, extractor_version=extractor_version(), progress=progress,
                              group=group)
