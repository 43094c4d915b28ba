"""The store's boundary (issue 13): the linking code (marsad.store.links) reads and writes
through the Store's public methods and the Database protocol, the same on SQLite and PostgreSQL
(tests/scale/test_scale_link_postgres.py runs the check below on a PostgreSQL store)."""

from __future__ import annotations

import threading

import pytest
from test_store_link import _day_of_reports, _groups

from marsad.store import Migration, MigrationMismatch, links, open_store


class PublicOnly:
    """A store seen only through its public names: reaching a private one fails."""

    def __init__(self, store):
        object.__setattr__(self, "_store", store)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(f"the linking code reached the store's private {name}")
        return getattr(object.__getattribute__(self, "_store"), name)

    def __setattr__(self, name, value):
        raise AttributeError(f"the linking code set the store's {name}")


def check_links_through_public_methods(store) -> None:
    """Regrouping and relinking through a PublicOnly store give the store's own grouping, a
    person's split included; the store knows it holds a decision once one is recorded."""
    store.load_results(_day_of_reports(), extractor_version="t")
    grouped = _groups(store)
    assert ["a", "b", "c"] in grouped
    shown = PublicOnly(store)
    ids = [r["id"] for r in store.db.query("SELECT id FROM mentions ORDER BY id")]
    with store.db.transaction():
        placed = links.regroup(shown, ids)
    assert sorted(placed) == ids and _groups(store) == grouped
    assert links.relink(shown)["mentions"] == len(ids)
    assert _groups(store) == grouped
    assert not store.has_link_decisions()
    jobar = next(e for e in store.iter_events() if e["n_reports"] == 3)
    b = next(r for r in store.get_event(jobar["id"])["reports"] if r["source"] == "outlet-b")
    store.split_report(jobar["id"], b["report_id"])
    assert store.has_link_decisions()
    split = _groups(store)
    assert ["a", "c"] in split and ["b"] in split
    links.relink(shown)
    assert _groups(store) == split


def test_the_linking_code_uses_only_the_stores_public_methods(store):
    check_links_through_public_methods(store)


def test_a_refreshed_event_is_its_mentions_combined_and_goes_with_the_last(store):
    store.load_results(_day_of_reports(), extractor_version="t")
    jobar = next(e for e in store.iter_events() if e["n_reports"] == 3)
    mentions = store.mentions_of_events([jobar["id"]])[jobar["id"]]
    assert len(mentions) == 3
    ariha = next(e for e in store.iter_events() if e["location"] == "Ariha")
    with store.db.transaction():
        assert store.refresh_event(jobar["id"])["fatalities"] == jobar["fatalities"]
        store.db.execute("UPDATE mentions SET event_id = ? WHERE event_id = ?",
                         (ariha["id"], jobar["id"]))
        assert store.refresh_event(jobar["id"]) == {}
        assert store.refresh_event(ariha["id"])
    assert store.get_event(jobar["id"]) is None
    assert store.get_event(ariha["id"])["n_reports"] == 4
    assert [e["id"] for e in store.query_events(q="جوبر")[0]] == [ariha["id"]]   # its terms moved


def test_an_area_is_migrated_once_per_store_until_it_has_a_new_migration(store):
    asked = []
    migrate = store.db.migrate
    store.db.migrate = lambda area, ms: asked.append(area) or migrate(area, ms)
    area = [Migration("one", "CREATE TABLE area_one (x INTEGER)")]
    assert store.migrate("area", area) == ["one"]
    assert store.migrate("area", area) == []
    assert asked == ["area"]   # the second call read nothing
    area.append(Migration("two", "CREATE TABLE area_two (x INTEGER)"))
    assert store.migrate("area", area) == ["two"]
    assert store.db.scalar("SELECT COUNT(*) FROM area_two") == 0


def test_other_migrations_of_the_same_length_are_not_taken_as_applied(store, tmp_path):
    # the store once remembered an area by its count of migrations: a list of the same length
    # that is not the one applied (a shipped migration edited) read as applied, its table missing
    one = [Migration("one", "CREATE TABLE area_one (x INTEGER)")]
    other = [Migration("other", "CREATE TABLE area_other (x INTEGER)")]
    assert store.migrate("area", one) == ["one"]
    with pytest.raises(MigrationMismatch, match="'one' in the database, 'other' here"):
        store.migrate("area", other)
    assert store.migrate("area", one) == []
    store.close()
    again = open_store(tmp_path / "test.db")    # nothing remembered: the database refuses it too
    try:
        with pytest.raises(MigrationMismatch):
            again.migrate("area", other)
        assert again.migrate("area", one + ["CREATE TABLE area_two (x INTEGER)"]) == ["area 2"]
        assert again.migrate("area", one + ["CREATE TABLE area_two (x INTEGER)"]) == []
        assert again.db.scalar("SELECT COUNT(*) FROM area_two") == 0
    finally:
        again.close()


def test_the_change_mark_moves_with_any_connections_writes_and_waits_only_when_asked(store,
                                                                                       tmp_path):
    import sqlite3

    mark = store.db.change_mark()
    assert store.db.change_mark() == mark
    store.load_results(_day_of_reports()[:1], extractor_version="t")
    assert store.db.change_mark() != mark
    mark = store.db.change_mark()
    other = sqlite3.connect(store.db.path)
    other.execute("DELETE FROM failures")
    other.commit()
    other.close()
    assert store.db.change_mark() != mark
    held, done = threading.Event(), threading.Event()

    def hold():
        with store.db.lock:
            held.set()
            done.wait(10)
    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    try:
        assert store.db.change_mark(wait=False) is None   # busy: the web cache asks again later
    finally:
        done.set()
        t.join()
    assert store.db.change_mark(wait=False) is not None


def test_a_failed_report_counts_a_rollback(store, monkeypatch):
    """Database.rollbacks: what tells the store's caches that rows they hold may be gone."""
    def broken(*a, **k):
        raise RuntimeError("disk full")
    before = store.db.rollbacks
    monkeypatch.setattr(store, "_write_coded", broken)
    st = store.load_results(_day_of_reports()[:1], extractor_version="t", group=True)
    assert st.failed == 1 and store.db.rollbacks == before + 1
