"""The write path's shortcuts of 2026-12-04 (branch store11) store what the plain code stored:
a new event written whole, full-text rows in rowid order and deletes of rows not there, a
place's catalog key."""

from __future__ import annotations

from marsad.store import open_store

from store_data import coded, dump, event
from test_store_groups import pairs


def _hits(db, word: str) -> list[int]:
    """The event rows the full-text search finds for a word."""
    sql, params = db.fts_filter("events", "rowid", [[word]])
    return [r["rowid"] for r in db.query(f"SELECT rowid FROM fts_events_rows WHERE {sql} ORDER BY rowid", params)]


def _content(store) -> dict:
    return {t: [{k: v for k, v in r.items() if not k.endswith("_at")} for r in rows]
            for t, rows in dump(store).items() if t != "schema_version"}


def test_events_written_whole_are_the_events_recomputed(tmp_path):
    """A report linked to none inserts each of its events whole (no UPDATE once its mention is
    written): the rows are those refresh_event makes from the stored mentions."""
    lone = [coded("z1", "قتل مدنيان في قصف على سراقب.", "2015-09-01", "outlet-z",
                  [event(event_date="2015-09-01", location="Saraqib", location_ar="سراقب",
                         latitude=35.8644, longitude=36.8006, weapons=[], sources=[]),
                   event(event_type="Battles", sub_event_type="Armed clash", event_date="2015-09-01",
                         actor2="Opposition Rebels (Syria)", inter2=2, fatalities=None)])]
    with open_store(tmp_path / "s.db") as store:
        store.load_results(pairs() + lone, extractor_version="test", group=True)
        before = _content(store)
        with store.db.transaction():
            for r in store.db.query("SELECT id FROM events ORDER BY id"):
                store.refresh_event(r["id"])
        assert _content(store) == before


def test_full_text_rows_in_any_order_and_deletes_of_rows_not_there(tmp_path):
    with open_store(tmp_path / "f.db") as store:
        db = store.db
        with db.transaction():
            db.fts_index("events", [(5, "قصف جوبر"), (2, "اشتباك"), (9, "غارة")])
            db.fts_delete("events", [9, 100, 7])          # 100 and 7 were never there
            db.fts_index("events", [(5, "قصف حلب"), (11, "قصف")])
        rows = db.query("SELECT rowid, terms FROM fts_events_rows ORDER BY rowid")
        assert [(r["rowid"], r["terms"]) for r in rows] == [(2, "اشتباك"), (5, "قصف حلب"), (11, "قصف")]
        assert _hits(db, "قصف") == [5, 11]
        db.fts_delete("reports", [1, 2])                  # an empty table
        db.fts_delete("events", [])
        assert db.scalar("SELECT COUNT(*) FROM fts_events_rows") == 3


def test_full_text_rows_replaced_or_added_below_the_last_find_only_their_new_terms(tmp_path):
    """A group's rows go in by REPLACE up to the table's last rowid (a row there or not), by
    INSERT above it: the old terms of a replaced row no longer match, and the index is sound."""
    with open_store(tmp_path / "r.db") as store:
        db = store.db
        with db.transaction():
            db.fts_index("events", [(2, "اشتباك"), (5, "قصف جوبر"), (11, "قصف")])
        with db.transaction():
            db.fts_delete("events", [5])
            db.fts_index("events", [(7, "غارة"), (2, "قصف حلب"), (5, "غارة جوبر"), (12, "حلب")])
        rows = db.query("SELECT rowid, terms FROM fts_events_rows ORDER BY rowid")
        assert [(r["rowid"], r["terms"]) for r in rows] == [
            (2, "قصف حلب"), (5, "غارة جوبر"), (7, "غارة"), (11, "قصف"), (12, "حلب")]
        for word, found in (("قصف", [2, 11]), ("اشتباك", []), ("جوبر", [5]), ("غارة", [5, 7]),
                            ("حلب", [2, 12])):
            assert _hits(db, word) == found, word
        for table in ("fts_events", "fts_events_plain"):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")


def test_a_places_catalog_key_is_its_values_joined(tmp_path):
    with open_store(tmp_path / "p.db") as store:
        evs = [event(), event(latitude=35.81371234, longitude=36.6, location=None),
               event(country_code=None, admin1_code=None, latitude=None, longitude=None),
               event(latitude=35, longitude=36)]
        with store.db.transaction():
            ids = [store._catalog_place(ev) for ev in evs]
        assert store._catalog_place(event(location=None, latitude=None)) is None
        keys = {r["id"]: r["key"] for r in store.db.query("SELECT id, key FROM places")}
        for ev, i in zip(evs, ids):
            rounded = [round(x, 4) if isinstance(x, float) else x
                       for x in (ev.get("latitude"), ev.get("longitude"))]
            assert keys[i] == "|".join(str(x) for x in (ev.get("country_code"), ev.get("admin1_code"),
                                                        ev.get("location"), *rounded))
