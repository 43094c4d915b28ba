"""Dump a store's content as JSON lines, to check that a change to the write path stores the same.

    .venv/bin/python scripts/store_dump.py DB [--output FILE] [--keys [--core]]

Every row of the core tables (reports, events, mentions, evidence, entities, sources,
conditions, places, actors, links, merges, failures) and of the full-text tables, in id order,
without the columns that hold the time of writing. Two stores filled from the same records in
the same order must dump byte-identical. With ``--keys`` ids are replaced by stable keys (a
report's content hash, a mention's (hash, index), an event's set of mention keys), so stores
filled in different orders can be compared too. With ``--keys --core`` the core tables are read
through the store itself, so DB may be a PostgreSQL URL: a SQLite and a PostgreSQL store of the
same records compare (the full-text rows, which differ by backend, are left out).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys

TABLES = ("reports", "events", "mentions", "evidence", "entities", "sources", "conditions",
          "places", "actors", "links", "merges", "failures")
CLOCK = {"created_at", "updated_at", "ingested_at", "coded_at"}


def rows(conn: sqlite3.Connection, table: str) -> list[dict]:
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in CLOCK]
    order = "rowid" if table != "actors" else "name"
    return [dict(zip(cols, r)) for r in conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")]


def dump_ids(conn: sqlite3.Connection):
    for t in TABLES:
        for r in rows(conn, t):
            yield {"table": t, **r}
    for t in ("fts_reports", "fts_events"):
        for rowid, terms in conn.execute(f"SELECT rowid, terms FROM {_fts_rows(conn, t)} ORDER BY rowid"):
            yield {"table": t, "rowid": rowid, "terms": terms}


def dump_keys(conn: sqlite3.Connection):
    """The content with ids replaced by keys that do not depend on the order of ingest."""
    return _keys(lambda t: rows(conn, t),
                 dict(conn.execute(f"SELECT rowid, terms FROM {_fts_rows(conn, 'fts_reports')}")),
                 dict(conn.execute(f"SELECT rowid, terms FROM {_fts_rows(conn, 'fts_events')}")))


def _fts_rows(conn: sqlite3.Connection, table: str) -> str:
    """Where a kind's full-text rows are read: the view of its two tables (the ascii
    tokenizer's and unicode61's), or its one table in a store made before them."""
    view = f"{table}_rows"
    return view if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (view,)).fetchone() else table


def dump_core_keys(db):
    """dump_keys of the core tables through a store's own connection (SQLite or PostgreSQL:
    the two backends' full-text rows differ, so they are left out)."""
    def read(table: str) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in CLOCK}
                for r in db.query(f"SELECT * FROM {table}")]
    return _keys(read, {}, {})


def _keys(rows_of, fts_rep: dict, fts_ev: dict):
    """dump_keys from rows_of(table) (the rows, without the clock columns) and the full-text
    terms by rowid."""
    rep = {r["id"]: r["content_hash"] for r in rows_of("reports")}
    men = {r["id"]: (rep[r["report_id"]], r["idx"]) for r in rows_of("mentions")}
    members: dict[int, list] = {}
    for r in rows_of("mentions"):
        members.setdefault(r["event_id"], []).append(men[r["id"]])
    ev = {e: sorted(m) for e, m in members.items()}
    place = {r["id"]: r["key"] for r in rows_of("places")}
    out = []
    for r in rows_of("reports"):
        fts = fts_rep.get(r.pop("id"))
        out.append({"table": "reports", **r, "fts": fts})
    for r in rows_of("events"):
        eid = r.pop("id")
        r["place"] = place.get(r.pop("place_id"))
        out.append({"table": "events", "members": ev.get(eid), **r, "fts": fts_ev.get(eid)})
    for r in rows_of("mentions"):
        mid = r.pop("id")
        r.pop("report_id")
        r["event"] = ev[r.pop("event_id")]
        out.append({"table": "mentions", "key": men[mid], **r})
    for t in ("evidence", "entities", "sources", "conditions"):
        for r in rows_of(t):
            r.pop("id")
            r["report_id"] = rep[r["report_id"]]
            if "mention_id" in r:
                r["mention_id"] = men[r["mention_id"]]
            out.append({"table": t, **r})
    for r in rows_of("links"):
        r.pop("id", None)
        r["pair"] = sorted((men[r.pop("mention_a")], men[r.pop("mention_b")]))
        out.append({"table": "links", **r})
    for r in rows_of("merges"):
        r.pop("id")
        r["event"] = ev[r.pop("event_id")]
        r["mention_id"], r["report_id"] = men[r["mention_id"]], rep[r["report_id"]]
        out.append({"table": "merges", **r})
    for t in ("places", "actors", "failures"):
        for r in rows_of(t):
            r.pop("id", None)
            out.append({"table": t, **r})
    return sorted(out, key=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--output", default="-")
    ap.add_argument("--keys", action="store_true", help="Stable keys instead of ids.")
    ap.add_argument("--core", action="store_true",
                    help="With --keys: the core tables only, read through the store (DB may be a "
                         "postgresql:// URL), to compare a SQLite and a PostgreSQL store.")
    args = ap.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    if args.core:
        from marsad.store import open_store
        store = open_store(args.db)
        dump = dump_core_keys(store.db)
    else:
        conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        dump = dump_keys(conn) if args.keys else dump_ids(conn)
    with out:
        for d in dump:
            out.write(json.dumps(d, ensure_ascii=False, sort_keys=True, default=list) + "\n")


if __name__ == "__main__":
    main()
