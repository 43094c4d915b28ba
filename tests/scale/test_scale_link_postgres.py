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
