"""The PostgreSQL backend behind the store's interface, against a real server (see conftest)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from marsad.store import open_store
from marsad.store.schema import MIGRATIONS

pytestmark = pytest.mark.postgres
MARSAD = [str(Path(sys.executable).with_name("marsad"))]


def test_postgres_store_gives_what_the_sqlite_store_gives(pg_url, records, tmp_path, snapshot):
    bad = [{"id": "empty", "text": ""}, {"id": "latin", "text": "only latin letters here"}]
    items = records[:30] + bad + records[:6]          # the last six are duplicates
    lite = open_store(str(tmp_path / "m.db"))
    pg = open_store(pg_url)
    try:
        s1 = lite.ingest_records(items)
        s2 = pg.ingest_records(items)
        assert (s2.new, s2.duplicate, s2.failed) == (s1.new, s1.duplicate, s1.failed) == (30, 6, 2)
        a, b = snapshot(lite), snapshot(pg)
        assert b["total"] > 0 and b["events"][0]["report_ids"]
        for key in a:
            assert b[key] == a[key], key
        assert all(n > 0 for n in b["search"][:4])
        st = pg.status()
        assert st["database"].startswith("postgresql://postgres@127.0.0.1:")
        assert st["schema"] == {"store": len(MIGRATIONS), "store-postgresql": 1}
        json.dumps(pg.stats())                     # numbers are int/float, not Decimal
    finally:
        lite.close()
        pg.close()


def test_a_report_that_cannot_be_stored_leaves_nothing_behind(pg_url, records):
    pg = open_store(pg_url)
    try:
        rec = records[0]
        out = {"id": rec["id"], "entities": [{"type": "LOC", "start": 0, "end": 3, "text": "قصف"}],
               "events": [{"event_type": "Battles", "sub_event_type": "Armed clash",
                           "event_date": "2015-03-02", "country_code": "SY",
                           # beyond PostgreSQL's INTEGER: the insert fails half-way
                           "evidence": [{"start": 10 ** 12, "end": 10 ** 12 + 3, "field": "event"}]}]}
        stats = pg.load_results([(rec, out)])
        assert stats.failed == 1 and stats.new == 0
        for table in ("reports", "entities", "events", "mentions", "evidence"):
            assert pg.db.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table
        assert pg.failures()[0]["kind"] == "store"
        assert pg.ingest_records([rec]).new == 1       # the batch goes on, the report can come later
    finally:
        pg.close()


def test_concurrent_writers_store_each_report_once(pg_url, records):
    """Two processes' worth of writers on the same input: no report twice, no event lost."""
    pg = open_store(pg_url)                 # migrate once before the race
    pg.close()
    results = []

    def writer(order):
        s = open_store(pg_url)
        try:
            results.append(s.ingest_records(order))
        finally:
            s.close()

    threads = [threading.Thread(target=writer, args=(records[:24],)),
               threading.Thread(target=writer, args=(records[:24][::-1],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sum(r.new for r in results) == 24
    assert sum(r.duplicate for r in results) == 24
    pg = open_store(pg_url)
    try:
        assert pg.db.scalar("SELECT COUNT(*) FROM reports") == 24
        assert pg.db.scalar("SELECT COUNT(DISTINCT content_hash) FROM reports") == 24
        # every coded event is in exactly one merged event
        assert pg.db.scalar("SELECT COUNT(*) FROM mentions m LEFT JOIN events e ON e.id = m.event_id "
                            "WHERE e.id IS NULL") == 0
    finally:
        pg.close()


def test_cli_ingest_into_postgres_with_two_workers(pg_url, records, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records[:20]) + "\n{bad\n",
                   encoding="utf-8")
    p = subprocess.run(MARSAD + ["ingest", "--db", pg_url, str(src), "--workers", "2", "--json",
                                 "--no-progress"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    counts = json.loads(p.stdout)
    assert (counts["new"], counts["failed"]) == (20, 1)
    q = subprocess.run(MARSAD + ["query", "--db", pg_url, "--json", "-q", "قصف"],
                       capture_output=True, text=True, timeout=120)
    assert q.returncode == 0, q.stderr
    events = [json.loads(x) for x in q.stdout.splitlines()]
    assert events and all(e["event_type"] for e in events)
