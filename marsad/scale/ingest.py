"""Parallel ingest: code on many processes (or a Dask cluster), store from one writer.

``ingest_parallel(store, items, workers, engine, scheduler)`` gives the same store content as
``store.ingest_records(items)``: the records are checked here (a record already stored, by the
SHA-256 of its text, is not coded again; a bad record goes straight to the store's failure
log), the others are coded by ``extract_parallel`` and the (record, output line) pairs are
written, in input order, by this single process through ``store.load_results``, one
transaction per report. So the database never has more than one writer per ingest and a crash
leaves whole reports only; re-running the same ingest completes it.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from ..extract import RecordError, validate
from .parallel import extract_parallel


def coded_pairs(store, items: Iterable[Any], workers: int = 2, engine: str = "local",
                scheduler: str | None = None, **kw) -> Iterator[Any]:
    """(record, output line) pairs in input order; read failures pass through unchanged."""
    from ..store.store import record_origin

    queue: deque[tuple[str, Any]] = deque()    # ("pass", item) | ("code", record), input order

    def to_code() -> Iterator[dict]:
        for item in items:
            if not isinstance(item, dict):       # a reader's Failure or a RecordError
                queue.append(("pass", item))
                continue
            rec = dict(item)
            if rec.get("id") in (None, ""):
                rec["id"] = record_origin(rec)
            try:
                _, text, published = validate(rec)
            except RecordError:
                queue.append(("pass", (item, {})))   # the store records why it is bad
                continue
            if store.is_duplicate(rec, text, published):
                queue.append(("pass", (item, {})))   # already stored: the store says duplicate
                continue
            queue.append(("code", item))
            yield rec

    for out in extract_parallel(to_code(), workers=workers, engine=engine, scheduler=scheduler, **kw):
        while queue[0][0] == "pass":
            yield queue.popleft()[1]
        yield (queue.popleft()[1], out)
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
