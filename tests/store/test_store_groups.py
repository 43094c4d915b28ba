"""Transaction groups: many reports per commit, each in its own savepoint."""

from __future__ import annotations

from marsad.store import open_store

from store_data import coded, dump, event

# Synthetic reports written for these tests: one air strike told by three outlets, a clash, and
# a strike on another town the next day.
STRIKE = "قصفت طائرات حربية بلدة أريحا في ريف إدلب صباح اليوم ما أدى إلى مقتل خمسة مدنيين."
CLASH = "اشتباكات بين قوات النظام ومقاتلي المعارضة في حي جوبر بدمشق أسفرت عن مقتل ثلاثة مقاتلين."
OTHER = "غارة جوية على مدينة سراقب في ريف إدلب أوقعت قتيلين وعددا من الجرحى."


def pairs() -> list[tuple[dict, dict]]:
    clash = event(event_type="Battles", sub_event_type="Armed clash", admin1_code="SY-DI",
                  location="Jobar", location_ar="جوبر", latitude=33.53, longitude=36.33,
                  actor2="Opposition Rebels (Syria)", inter2=2, fatalities=3)
    other = event(event_date="2015-08-04", location="Saraqib", location_ar="سراقب",
                  latitude=35.8644, longitude=36.8006, fatalities=2)
    return [coded("a1", STRIKE, "2015-08-03", "outlet-a", [event()]),
            coded("b1", STRIKE + " وقال ناشطون إن الطائرات روسية.", "2015-08-03", "outlet-b", [event()]),
            coded("c1", CLASH, "2015-08-03", "outlet-c", [clash]),
            coded("d1", "أفاد ناشطون بأن " + STRIKE, "2015-08-04", "outlet-d", [event(fatalities=6)]),
            coded("e1", OTHER, "2015-08-04", "outlet-e", [other])]


def _content(store) -> dict:
    """The store's rows without the times they were written at."""
    return {t: [{k: v for k, v in r.items() if not k.endswith("_at")} for r in rows]
            for t, rows in dump(store).items() if t != "schema_version"}


def test_grouped_and_per_report_writes_store_the_same(tmp_path):
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "group.db") as grouped:
        s1 = one.load_results(pairs(), extractor_version="test")
        s2 = grouped.load_results(pairs(), extractor_version="test", group=True)
        assert (s1.new, s1.events) == (s2.new, s2.events) == (5, 5)
        assert one.status()["merged_events"] == 1        # the three reports of the strike
        assert _content(one) == _content(grouped)


def test_a_report_that_fails_in_a_group_leaves_nothing_and_the_others_stay(tmp_path, monkeypatch):
    store = open_store(tmp_path / "g.db")
    write = store._write_coded

    def broken(report_id, text, *args):
        if text.startswith("اشتباكات"):      # after its report row and full-text row are written
            raise RuntimeError("a store bug")
        return write(report_id, text, *args)
    monkeypatch.setattr(store, "_write_coded", broken)
    stats = store.load_results(pairs(), extractor_version="test", group=True)
    assert (stats.new, stats.failed) == (4, 1)
    assert [r["record_id"] for r in store.db.query("SELECT record_id FROM reports ORDER BY id")] == \
        ["a1", "b1", "d1", "e1"]
    assert store.db.scalar("SELECT COUNT(*) FROM fts_reports_rows") == 4
    assert store.db.scalar("SELECT COUNT(*) FROM mentions") == 4
    fail = store.failures()
    assert [(f["kind"], f["record_id"]) for f in fail] == [("store", "c1")]
    assert "a store bug" in fail[0]["reason"]
    store.close()


def test_a_group_is_committed_when_the_input_stops_it(tmp_path):
    def stream():
        yield from pairs()[:2]
        raise KeyboardInterrupt

    store = open_store(tmp_path / "g.db")
    try:
        store.load_results(stream(), extractor_version="test", group=True)
    except KeyboardInterrupt:
        pass
    store.close()
    with open_store(tmp_path / "g.db") as again:   # what another process sees
        assert again.db.scalar("SELECT COUNT(*) FROM reports") == 2
        assert again.db.scalar("SELECT COUNT(*) FROM mentions") == 2


def test_full_text_rows_wait_for_the_group_and_a_failed_report_leaves_none(tmp_path, monkeypatch):
    """The full-text rows of a group are written at its end: those of a report that failed
    after writing its events (the last one, so no later report takes its ids) are not."""
    store = open_store(tmp_path / "g.db")
    write = store._write_coded

    def broken(report_id, text, *args):
        out = write(report_id, text, *args)
        if text.startswith("غارة"):
            raise RuntimeError("a store bug")
        return out
    monkeypatch.setattr(store, "_write_coded", broken)
    assert store.load_results(pairs(), extractor_version="test", group=True).failed == 1

    def ids(sql):
        return [r["id"] for r in store.db.query(sql)]
    assert ids("SELECT rowid AS id FROM fts_reports_rows ORDER BY rowid") == \
        ids("SELECT id FROM reports ORDER BY id") == [1, 2, 3, 4]
    assert ids("SELECT rowid AS id FROM fts_events_rows ORDER BY rowid") == \
        ids("SELECT id FROM events ORDER BY id")
    store.close()


def test_in_a_group_a_text_is_looked_up_once_and_one_stored_in_it_is_found(tmp_path, monkeypatch):
    """A record's text is looked up once in a group (its write lock held since the check), not
    again before its row is written; a text the group stored earlier is still a duplicate, and a
    record that supersedes one of the group's is coded again, as with a transaction a report."""
    items = pairs()
    again = (dict(items[0][0], id="a2"), items[0][1])                 # the same text, later
    earlier = (dict(items[4][0], id="e0", published="2015-08-01"), items[4][1])   # published first
    items += [again, earlier]
    asked: dict[str, int] = {}
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "group.db") as grouped:
        for name, store in (("one", one), ("group", grouped)):
            look = store.report_with_hash

            def counted(h, name=name, look=look):
                asked[name] = asked.get(name, 0) + 1
                return look(h)
            monkeypatch.setattr(store, "report_with_hash", counted)
        s1 = one.load_results(items, extractor_version="test")
        s2 = grouped.load_results(items, extractor_version="test", group=True)
        assert (s1.new, s1.duplicate) == (s2.new, s2.duplicate) == (5, 2)
        assert grouped.db.scalar("SELECT record_id FROM reports WHERE id = 5") == "e0"
        assert _content(one) == _content(grouped)
    # per report: the check, then again in the report's own transaction (another process may
    # have stored the text between them), but for the duplicate found by the check
    assert asked == {"one": 2 * len(items) - 1, "group": len(items)}
