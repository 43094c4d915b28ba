"""Dump a store's content as JSON lines, to check that a change to the write path stores the same.

    .venv/bin/python scripts/store_dump.py DB [--output FILE] [--keys]

Every row of the core tables (reports, events, mentions, evidence, entities, sources,
conditions, places, actors, links, merges, failures) and of the full-text tables, in id order,
without the columns that hold the time of writing. Two stores filled from the same records in
the same order must dump byte-identical. With ``--keys`` ids are replaced by stable keys (a
report's content hash, a mention's (hash, index), an event's set of mention keys), so stores
filled in different orders can be compared too.
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
        for rowid, terms in conn.execute(f"SELECT rowid, terms FROM {t} ORDER BY rowid"):
            yield {"table": t, "rowid": rowid, "terms": terms}


def dump_keys(conn: sqlite3.Connection):
    """The content with ids replaced by keys that do not depend on the order of ingest."""
    rep = {r["id"]: r["content_hash"] for r in rows(conn, "reports")}
    men = {r["id"]: (rep[r["report_id"]], r["idx"]) for r in rows(conn, "mentions")}
    members: dict[int, list] = {}
    for r in rows(conn, "mentions"):
        members.setdefault(r["event_id"], []).append(men[r["id"]])
    ev = {e: sorted(m) for e, m in members.items()}
    fts_ev = dict(conn.execute("SELECT rowid, terms FROM fts_events"))
    fts_rep = dict(conn.execute("SELECT rowid, terms FROM fts_reports"))
    place = {r["id"]: r["key"] for r in rows(conn, "places")}
    out = []
    for r in rows(conn, "reports"):
        fts = fts_rep.get(r.pop("id"))
        out.append({"table": "reports", **r, "fts": fts})
    for r in rows(conn, "events"):
        eid = r.pop("id")
        r["place"] = place.get(r.pop("place_id"))
        out.append({"table": "events", "members": ev.get(eid), **r, "fts": fts_ev.get(eid)})
    for r in rows(conn, "mentions"):
        mid = r.pop("id")
        r.pop("report_id")
        r["event"] = ev[r.pop("event_id")]
        out.append({"table": "mentions", "key": men[mid], **r})
    for t in ("evidence", "entities", "sources", "conditions"):
        for r in rows(conn, t):
            r.pop("id")
            r["report_id"] = rep[r["report_id"]]
            if "mention_id" in r:
                r["mention_id"] = men[r["mention_id"]]
            out.append({"table": t, **r})
    for r in rows(conn, "links"):
        r.pop("id", None)
        r["pair"] = sorted((men[r.pop("mention_a")], men[r.pop("mention_b")]))
        out.append({"table": "links", **r})
    for r in rows(conn, "merges"):
        r.pop("id")
        r["event"] = ev[r.pop("event_id")]
        r["mention_id"], r["report_id"] = men[r["mention_id"]], rep[r["report_id"]]
        out.append({"table": "merges", **r})
    for t in ("places", "actors", "failures"):
        for r in rows(conn, t):
            r.pop("id", None)
            out.append({"table": t, **r})
    return sorted(out, key=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--output", default="-")
    ap.add_argument("--keys", action="store_true", help="Stable keys instead of ids.")
    args = ap.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with out:
        for d in (dump_keys(conn) if args.keys else dump_ids(conn)):
            out.write(json.dumps(d, ensure_ascii=False, sort_keys=True, default=list) + "\n")


if __name__ == "__main__":
    main()
