"""`marsad ingest | status | query | export | recode | relink | duplicates`: the store's commands.

Every command takes ``--db PATH`` (default ``$MARSAD_DB`` or ./marsad.db; a postgresql:// URL
selects the server backend). Heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
import sys

import click

from ..options import ISO_DATE


def _default_db() -> str:
    from . import default_db_path
    return default_db_path()


def _db_option(f):
    return click.option("--db", "db", default=_default_db,
                        show_default="$MARSAD_DB or ./marsad.db",
                        help="SQLite file (or postgresql:// URL) of the store.")(f)


def filter_options(f):
    """The event filters of `marsad query`, shared by every command that selects events; each
    value is checked as the web app checks it, and a bad one is an error naming the option."""
    from ..options import ADMIN1, COUNTRY, EVENT_TYPE, ISO_DATE, SUB_EVENT_TYPE, check_filters

    opts = [
        click.option("--from", "date_from", type=ISO_DATE, help="Events on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", type=ISO_DATE, help="Events on or before (YYYY-MM-DD)."),
        click.option("--country", type=COUNTRY, help="Country code, e.g. SY."),
        click.option("--admin1", type=ADMIN1, help="First-level division, e.g. SY-HI."),
        click.option("--type", "event_type", type=EVENT_TYPE, help='Event type, e.g. "Battles".'),
        click.option("--sub-type", "sub_event_type", type=SUB_EVENT_TYPE,
                     help='Sub-event type, e.g. "Air/drone strike".'),
        click.option("--actor", help="Part of an actor's name (actor1 or actor2)."),
        click.option("-q", "--text", "q", help="Text search (Arabic or English; clitic-insensitive)."),
    ]
    f = check_filters(f)
    for o in reversed(opts):
        f = o(f)
    return f


def _open(db):
    from . import open_store
    return open_store(db)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("--published", type=ISO_DATE, help="Publication date for text/HTML files without one.")
@click.option("--source", help="Outlet name for files that do not say.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to code with (the store keeps one writer; one codes beside it "
                   "when the files hold many records and the machine has two cores).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --engine dask); a LocalCluster if omitted.")
def ingest(paths, db, published, source, progress, as_json, workers, engine, scheduler):
    """Store and code reports: text files, folders, .jsonl, .csv, .html ("-" = JSONL on stdin).

    A report already stored (same text) is skipped, so re-running after a crash completes the
    ingest. Bad input is recorded with its reason (see `marsad status`) and never stops the run.
    A file's publication date is the one in an HTML page's metadata, else a YYYY-MM-DD in its
    name, else --published. CSV needs a text column (text/body/content/article) and
    may have id, title, published (or date), source, url.
    """
    from ..scale.ingest import BESIDE_FROM
    from .ingest import count_items

    store = _open(db)
    show = sys.stderr.isatty() if progress is None else progress
    # None for stdin; without a bar, one process needs only to know whether there are enough
    # records to code beside the writer: the count stops there (_code_beside)
    total = count_items(paths) if show else count_items(paths, at_most=BESIDE_FROM) if workers == 1 else None
    if show:   # a bar with a total: the records the inputs hold, counted quickly
        show = total or True
    try:
        if workers > 1 or engine == "dask" or _code_beside(total):   # scale area: code there, write here
            from ..scale.ingest import ingest_parallel
            from .ingest import iter_paths
            stats = ingest_parallel(store, iter_paths(paths, published, source), workers=workers,
                                    engine=engine, scheduler=scheduler, progress=show or None,
                                    group="-" not in paths)
        else:
            stats = store.ingest_paths(paths, published=published, source=source, progress=show or None)
    finally:
        store.close()
    d = stats.as_dict()
    if as_json:
        click.echo(json.dumps(d))
    else:
        rate = (d["new"] + d["duplicate"]) / d["seconds"] if d["seconds"] else 0
        click.echo(f"{d['new']} new, {d['duplicate']} duplicate, {d['failed']} failed reports; "
                   f"{d['events']} coded events, {d['new_events']} new after merging "
                   f"({d['seconds']:.1f} s, {rate:.1f} reports/s)")
        if d["failed"]:
            click.echo("see the reasons with: marsad status --failures", err=True)


def _code_beside(records: int | None) -> bool:
    """Whether `ingest --workers 1` codes in a process beside the writer (scale.ingest): on
    more than one core, for files (not stdin, whose records may come one by one) holding
    enough records for the pool's start-up to pay."""
    import os

    from ..scale.ingest import BESIDE_FROM

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1 and records is not None and records >= BESIDE_FROM


@click.command()
@_db_option
@click.option("--failures", "n_failures", type=click.IntRange(min=1), default=None, is_flag=False, flag_value=20,
              help="List the last N failed inputs with their reasons (default 20).")
@click.option("--merges", "n_merges", type=click.IntRange(min=1), default=None, is_flag=False, flag_value=20,
              help="List the first N merges with their reasons.")
@click.option("--json", "as_json", is_flag=True)
def status(db, n_failures, n_merges, as_json):
    """What the store holds: reports, events, merges, failures, schema and extractor versions."""
    store = _open(db)
    try:
        st = store.status()
        fails = store.failures(limit=n_failures) if n_failures else []
        merges = store.merge_log(limit=n_merges) if n_merges else []
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({**st, "failure_list": fails, "merge_list": merges},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"store:    {st['database']} ({st['size_bytes'] / 1e6:.1f} MB), schema "
               + ", ".join(f"{a} v{v}" for a, v in sorted(st["schema"].items())))
    click.echo(f"reports:  {st['reports']} ({st['reports_with_extractor_error']} with extractor errors)")
    click.echo(f"events:   {st['events']} ({st['coded_events']} coded from reports, "
               f"{st['merged_events']} merged from several reports)")
    nf = sum(st["failures"].values())
    click.echo(f"failures: {nf}" + (" (" + ", ".join(f"{k} {v}" for k, v in st["failures"].items())
                                     + ")" if nf else ""))
    for v, n in st["extractor_versions"].items():
        click.echo(f"extractor {v}: {n} reports")
    for f in fails:
        click.echo(f"  FAILED [{f['kind']}] {f['origin']}: {f['reason']}")
    for m in merges:
        click.echo(f"  MERGED report {m['report_id']} into event {m['event_id']}: {m['reason']}")


@click.command()
@_db_option
@filter_options
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="At most this many events.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many events first.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def query(db, limit, offset, as_json, **filters):
    """Events matching the filters, newest first, as a table."""
    store = _open(db)
    try:
        events, total = store.query_events(limit=limit, offset=offset, **filters)
    finally:
        store.close()
    if as_json:
        for e in events:
            click.echo(json.dumps(e, ensure_ascii=False))
        return
    cols = [("id", 6), ("event_date", 10), ("sub_event_type", 34), ("location", 22),
            ("actor1", 26), ("actor2", 26), ("fat", 4), ("rep", 3)]
    click.echo(" ".join(n.ljust(w) for n, w in cols))
    for e in events:
        vals = [e["id"], e.get("event_date") or "?",
                e.get("sub_event_type") or e["event_type"],
                e.get("location") or e.get("location_ar") or "", e.get("actor1") or "",
                e.get("actor2") or "", "" if e.get("fatalities") is None else e["fatalities"],
                e.get("n_reports")]
        click.echo(" ".join(str(v)[:w].ljust(w) for v, (_, w) in zip(vals, cols)))
    click.echo(f"{len(events)} of {total} events", err=True)


@click.command()
@_db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "geojson", "jsonl"]),
              default="acled-csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              default="-", help="File to write (default stdout).")
def export(db, fmt, output, **filters):
    """Export events: ACLED-style CSV, GeoJSON, or JSON lines (with each report's evidence)."""
    from .export import export as do_export

    store = _open(db)
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    try:
        events = store.iter_events(**filters)
        if fmt == "jsonl":   # full records: merged reports and their evidence spans
            events = (store.get_event(e["id"]) for e in events)
        n = do_export(events, fmt, out)
    finally:
        if out is not sys.stdout:
            out.close()
        store.close()
    click.echo(f"{n} events exported", err=True)


@click.command()
@_db_option
@click.option("--all", "all_reports", is_flag=True,
              help="Code every report again, not only those coded by another extractor version.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many reports.")
@click.option("--progress/--no-progress", default=None)
def recode(db, all_reports, limit, progress):
    """Re-run the current extractor over stored reports and re-merge their events."""
    store = _open(db)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        res = store.recode(all_reports=all_reports, progress=show or None, limit=limit)
    finally:
        store.close()
    click.echo(f"recoded {res['reports']} reports with extractor {res['version']}: coded events "
               f"{res['events_before']} -> {res['events_after']}, {res['failed']} extractor "
               f"errors ({res['seconds']} s)")


@click.command()
@_db_option
def relink(db):
    """Score every pair of stored events again and regroup them into incidents (after new
    linking weights or tables); a person's split and merge decisions are kept."""
    store = _open(db)
    try:
        res = store.relink()
    finally:
        store.close()
    click.echo(f"relinked {res['mentions']} coded events ({res['pairs_scored']} candidate pairs "
               f"scored): {res['events']} events; links {res['links']}")


@click.command()
@_db_option
@click.option("--event", "event_id", type=int, default=None, help="Only those of this event.")
@click.option("--limit", type=int, default=20, show_default=True)
def duplicates(db, event_id, limit):
    """Possible duplicates: pairs of events whose reports nearly scored as one incident."""
    store = _open(db)
    try:
        rows = store.possible_duplicates(event_id=event_id, limit=limit)
    finally:
        store.close()
    for r in rows:
        click.echo(f"events {r['event_a']} ~ {r['event_b']}: {r['reason']}")


COMMANDS = [ingest, status, query, export, recode, relink, duplicates]
