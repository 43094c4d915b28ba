"""Same-incident grouping is the same on SQLite and PostgreSQL, whatever the ingest order."""

from __future__ import annotations

import pytest

from marsad.store import open_store

pytestmark = pytest.mark.postgres


def _groups(store) -> list[list[str]]:
    return sorted(sorted(store.get_report(r)["record_id"] for r in ev["report_ids"])
                  for ev in store.iter_events())


def test_sqlite_and_postgres_group_the_same_reports_in_any_order(pg_url, tmp_path):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent.parent / "store"))
    from test_store_link import _day_of_reports

    with open_store(tmp_path / "s.db") as s:
        s.load_results(_day_of_reports())
        sqlite_groups = _groups(s)
        sqlite_events = sorted((e["event_date"], e["location"], e["fatalities"], e["actor1"])
                               for e in s.iter_events())
    with open_store(pg_url) as p:
        p.load_results(_day_of_reports()[::-1])
        assert _groups(p) == sqlite_groups
        assert sorted((e["event_date"], e["location"], e["fatalities"], e["actor1"])
                      for e in p.iter_events()) == sqlite_events
    assert ["a", "b", "c"] in sqlite_groups


def test_sqlite_and_postgres_store_the_same_content_in_any_order(pg_url, tmp_path):
    """The cases that once depended on the order of ingest (tests/store/test_store_order.py):
    SQLite forward, PostgreSQL reversed and shuffled, the same rows under stable keys."""
    import random
    import sys
    from pathlib import Path
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent / "store"), str(here.parents[1] / "scripts")]
    import store_dump
    from test_store_order import _any_order_items

    items = _any_order_items()
    shuffled = list(items)
    random.Random(5).shuffle(shuffled)
    with open_store(tmp_path / "s.db") as s:
        s.load_results(items)
        expected = store_dump.dump_core_keys(s.db)
    import psycopg
    base, name = pg_url.rsplit("/", 1)
    for i, order in enumerate((items[::-1], shuffled)):
        url = pg_url
        if i:   # a second database beside the fixture's
            url = f"{base}/{name}_{i}"
            with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {name}_{i}")
        try:
            with open_store(url) as p:
                p.load_results(order)
                assert store_dump.dump_core_keys(p.db) == expected
        finally:
            if i:
                with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {name}_{i} WITH (FORCE)")
    assert any(d["table"] == "links" for d in expected)


def test_the_linking_code_uses_only_the_stores_public_methods_on_postgres(pg_url):
    """The store's boundary on the server backend: regroup, relink and a person's split
    through the Store's public methods (tests/store/test_store_boundary.py); no change mark,
    so a group's links are never kept for the next."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent.parent / "store"))
    from test_store_boundary import check_links_through_public_methods
    from test_store_link import _day_of_reports

    with open_store(pg_url) as p:
        assert p.db.change_mark() is None and p.db.rollbacks == 0
        check_links_through_public_methods(p)
        assert p.load_results(_day_of_reports(), group=True).duplicate == 5   # a group committed
        assert p._kept_links is None

