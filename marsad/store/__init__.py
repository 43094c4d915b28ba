"""The observatory's memory: ingest, store, deduplicate, search and export (issue 4).

Public API (other areas use only this; everything else is internal)::

    from marsad.store import open_store
    store = open_store(path_or_url=None, extract=None)   # SQLite file path; None = $MARSAD_DB
                                           # or ./marsad.db; "postgresql://..." = PostgreSQL
                                           # (store/postgres.py); extract: the extractor to code
                                           # with (default marsad.extract.Extractor())

Ingest (each report is committed with all its events in ONE transaction, or in a transaction
group of many reports where each has its own savepoint, so a crash leaves whole reports only;
idempotent by the SHA-256 of the report text, so re-running an ingest after a crash completes it):

    store.ingest_records(records, progress=None, group=False) -> IngestStats
        records: CONTRACT input dicts {id, text, published?, source?, url?, title?, file?}
        (a marsad.extract.RecordError in the stream is recorded as a failure).
        group: transaction groups of up to 0.5 s / 200 reports (input that never waits).
    store.ingest_record(rec) -> ReportResult            # one record (RSS items, pasted text)
    store.ingest_text(text, published=None, source=None, url=None, title=None) -> ReportResult
    store.ingest_paths(paths, published=None, source=None, progress=None) -> IngestStats
        text files, folders (recursive), .jsonl, .csv, .html/.htm; "-" = JSONL on stdin
        (files in transaction groups, stdin a report per transaction).
    store.load_results(pairs, extractor_version=None, progress=None, group=False) -> IngestStats
        pairs: iterable of (input_record, output_line) already coded elsewhere (CONTRACT
        output); stored and deduplicated exactly like ingest, without re-running the extractor.
    store.record_failure(origin, reason, kind="input", record_id=None, sample=None)
    store.report_with_hash(h) -> int | None   # the stored report whose text has
        marsad.store.store.content_hash(text) == h (what ingest skips as a duplicate)

    ReportResult: .status ("new" | "duplicate" | "failed"), .report_id, .event_ids (events the
        report's mentions ended in), .new_event_ids (events CREATED by this report, i.e. not
        merged into an existing one: use these for alerts), .reason (failed), .record_id
    IngestStats: .new, .duplicate, .failed, .events, .new_event_ids, .report_ids, .seconds

Read:
    store.query_events(date_from=None, date_to=None, country=None, admin1=None, event_type=None,
                       sub_event_type=None, actor=None, q=None, report_id=None, limit=50,
                       offset=0, order="date_desc") -> (list[dict], total)
        Each event: the CONTRACT event fields (event_type ... confidence, weapons, sources) plus
        id, report_ids, n_reports, extractor_version, created_at, updated_at.
        country = ISO2 code (SY), admin1 = ISO 3166-2 (SY-HI), actor = substring of actor1/actor2,
        q = Arabic/English text search (normalised, clitic-insensitive: قصف finds بقصف، وقصفت).
    store.get_event(event_id) -> dict | None
        event fields + "reports": [{report_id, source, url, published, title, mention (the event
        as coded from that report), evidence: [{start, end, field, text}]}] + "merges" (log).
    store.get_report(report_id) -> dict | None
        id, text, title, source, url, published, file, content_hash, ingested_at,
        extractor_version, error, events (as coded from this report, each with event_id and
        evidence), entities, conditions, sources.
    store.report_by_url(url) -> int | None        # report id already stored for this url
    store.search_reports(q, limit=50, offset=0) -> (list[dict], total)   # id, title, source, ...
    store.failures(limit=100, offset=0) -> list[dict]  # id, created_at, origin, record_id, kind, reason
    store.stats(**same filters as query_events) -> {"total", "fatalities",
        "by_day": [{"date", "event_type", "events", "fatalities"}], "by_type": {type: n},
        "reports", "failures"}
    store.status() -> dict                          # counts, schema versions, extractor versions
    store.iter_events(**filters)                    # all matching events, for export
    store.event_points(limit=50000, **filters)       # (map columns of the matching events, total)
    store.merge_log(limit=100, offset=0) -> list[dict]   # event_id, report_id, reason
    store.possible_duplicates(event_id=None, limit=100)  # near-misses: event_a, event_b, score, reason
    store.split_report(event_id, report_id, note=None)   # a person: not this incident
    store.merge_events(event_a, event_b, note=None)      # a person: one incident
    store.link_decisions()  store.relink()
    store.last_report_id()  store.report_ids_after(id, limit)  store.first_reports_of_events(lo, hi)
    store.recode(all_reports=False, progress=None) -> dict   # re-run the current extractor
    store.close()

Same-incident linking (marsad.incident, store side in links.py): each coded event is compared
with the stored events of other reports in its block (same country, dates within 2 days widened
by their precision); the linking score (date, place and its precision and nesting, actor sides,
type compatibility, toll, evidence and title words; weights fitted on annotations/links.jsonl)
decides "same" (grouped into one event), "possible" (a near-miss kept in ``links`` for a person)
or "different". Events are then grouped from scratch around the new report, deterministically
(complete linkage over stable keys): the same reports give the same events in any order, on
SQLite and PostgreSQL. A person's decisions (``store.split_report``, ``store.merge_events``) are
kept in ``link_decisions`` and survive a recode; ``store.relink()`` scores everything again.
Fatalities: the lowest figure, unless a report published later updates it; a report giving no
death does not cancel one that gives a toll. Each merge is logged with its reason.

Schema and migrations (marsad/store/schema.py): a list of Migration(name, sql) per area, applied
in order and recorded in the schema_version table (area, version, name; a version recorded under
another name refuses the list: MigrationMismatch, a shipped migration is never edited). Another area adds its own
tables with ONE call, e.g. in marsad/follow:

    FOLLOW_MIGRATIONS = [Migration("feeds", "CREATE TABLE feeds (id {pk}, url TEXT UNIQUE)")]
    store.migrate("follow", FOLLOW_MIGRATIONS)     # idempotent; run it after open_store

and a later change is one more list item. ``{pk}`` becomes the dialect's auto-increment integer
primary key; ``Migration(name, {"sqlite": ..., "postgresql": ...})`` for dialect-specific SQL.

Backends: ``store.Store`` holds all the logic over the small ``Database`` protocol (db.py;
``SQLiteDatabase``: connection, WAL and pragmas, transactions, migrations, and the FTS5 parts).
The PostgreSQL backend (postgres.py) implements the same protocol (``execute``, ``query``, ``one``,
``insert`` (RETURNING id), ``transaction``, ``migrate``, ``fts_index`` and ``fts_delete`` (many rows at once),
``fts_filter``, ``size_bytes``, ``close``, and ``null``, the parameter that stores NULL; SQL is
written with ``?`` placeholders) and is
registered in ``BACKENDS`` below for "postgresql://" URLs.

Provenance: every report keeps source, url, published, file and its raw text; every event keeps
the extractor_version that produced it, its sources, its reports and their evidence spans, and
a merge log saying why reports were merged into it.
"""

from __future__ import annotations

import os
from importlib import import_module

from .schema import Migration, MigrationMismatch

# URL scheme -> "module:callable(url) -> Database" for server databases.
BACKENDS: dict[str, str] = {
    "postgresql": "marsad.store.postgres:PostgresDatabase",
    "postgres": "marsad.store.postgres:PostgresDatabase",
}


def default_db_path() -> str:
    return os.environ.get("MARSAD_DB") or "marsad.db"


def open_store(target: str | os.PathLike | None = None, extract=None):
    """A Store over a SQLite file (default $MARSAD_DB or ./marsad.db) or a database URL, coding
    with ``extract`` (default: marsad.extract.Extractor, the pipeline built on first use)."""
    from ..extract import Extractor
    from .db import SQLiteDatabase
    from .store import Store

    target = str(target) if target is not None else default_db_path()
    scheme = target.split("://", 1)[0] if "://" in target else ""
    if scheme in BACKENDS:
        mod, name = BACKENDS[scheme].split(":")
        db = getattr(import_module(mod), name)(target)
    else:
        db = SQLiteDatabase(target)
    return Store(db, extract=extract or Extractor())


__all__ = ["open_store", "default_db_path", "Migration", "MigrationMismatch", "BACKENDS"]
