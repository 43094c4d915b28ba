"""Deduplication: one incident from several reports is one event; never across types or days."""

from __future__ import annotations

from store_data import coded, event

TEXT_A = "أغارت طائرات حربية تابعة للنظام على مدينة أريحا صباح اليوم وقتل خمسة مدنيين."
TEXT_B = "قتل سبعة مدنيين بغارة جوية لطيران النظام على أريحا في ريف إدلب، بحسب ناشطين."
END_B = TEXT_B.index(" في ريف")
TEXT_C = "ارتفع عدد قتلى الغارة على أريحا أمس إلى تسعة مدنيين بعد وفاة جرحى."


def test_two_outlets_one_incident(store):
    a = coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(fatalities=5)])
    # the second outlet places it 1.5 km away, names an unidentified-looking generic target
    b = coded("b", TEXT_B, "2015-08-03", "outlet-b",
              [event(fatalities=7, latitude=35.8250, longitude=36.6150, location="Ariha",
                     sources=["activists"], evidence=[{"start": 0, "end": END_B, "field": "event"}])])
    st = store.load_results([a, b])
    assert st.new == 2 and st.events == 2 and len(st.new_event_ids) == 1
    events, total = store.query_events()
    assert total == 1
    ev = store.get_event(events[0]["id"])
    assert ev["n_reports"] == 2 and len(ev["report_ids"]) == 2
    assert ev["fatalities"] == 5                            # lowest of the same-day reports
    assert set(ev["sources"]) >= {"Syrian Observatory for Human Rights", "activists",
                                  "outlet-a", "outlet-b"}
    assert [r["source"] for r in ev["reports"]] == ["outlet-a", "outlet-b"]
    assert ev["reports"][1]["evidence"][0]["text"] == TEXT_B[:END_B]   # each report's own evidence
    assert len(ev["merges"]) == 1
    why = ev["merges"][0]["reason"]
    assert "same date 2015-08-03" in why and "km apart" in why and "fatalities" in why


def test_later_report_updates_fatalities(store):
    store.load_results([coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(fatalities=5)]),
                        coded("b", TEXT_B, "2015-08-03", "outlet-b", [event(fatalities=7)]),
                        coded("c", TEXT_C, "2015-08-04", "outlet-c", [event(fatalities=9)])])
    (ev,), total = store.query_events()
    assert total == 1 and ev["n_reports"] == 3 and ev["fatalities"] == 9


def test_no_merge_across_types_days_places_or_actors(store):
    base = coded("a", TEXT_A, "2015-08-03", "outlet-a", [event()])
    others = [
        ("type", event(event_type="Protests", sub_event_type="Peaceful protest")),
        ("kind", event(event_type="Battles", sub_event_type="Armed clash")),   # 0.3 in the table
        ("days", event(event_date="2015-08-07")),
        ("place", event(location="Idlib", latitude=35.9306, longitude=36.6339)),    # 13 km away
        ("country", event(country_code="TR", admin1_code="TR-31")),
    ]
    pairs = [base] + [coded(n, f"{TEXT_B} {n}", "2015-08-03", f"outlet-{n}", [e]) for n, e in others]
    st = store.load_results(pairs)
    assert st.new == 6 and len(st.new_event_ids) == 6
    assert store.query_events()[1] == 6
    assert store.merge_log() == []


def test_compatible_actors_and_one_report_merges_with_itself_only_through_another(store):
    # a generic actor name merges with a specific one of the same category; the specific wins.
    # Report a coded one attack twice: alone its two events stay apart (one report's events are
    # never linked to each other); report b links "same" to both, so both copies join b's event
    # (one incident a report coded twice: cluster.groups' twice, dr91)
    a = coded("a", TEXT_A, "2015-08-03", "outlet-a",
              [event(actor1="Unidentified Armed Group (Syria)", inter1=3, actor2=None, inter2=None,
                     event_type="Violence against civilians", sub_event_type="Attack"),
               event(actor1="Unidentified Armed Group (Syria)", inter1=3, actor2=None, inter2=None,
                     event_type="Violence against civilians", sub_event_type="Attack",
                     evidence=[{"start": 30, "end": 40, "field": "event"}])])
    b = coded("b", TEXT_B, "2015-08-03", "outlet-b",
              [event(actor1="Popular Mobilization Forces", inter1=3,
                     event_type="Violence against civilians", sub_event_type="Attack")])
    store.load_results([a])
    assert store.query_events()[1] == 2     # the two events of report a alone stay apart
    store.load_results([b])
    events, total = store.query_events(order="id")
    assert total == 1
    assert events[0]["n_reports"] == 2 and events[0]["actor1"] == "Popular Mobilization Forces"
    assert len(store.db.query("SELECT id FROM mentions WHERE event_id = ?", (events[0]["id"],))) == 3


def test_battle_sides_told_both_ways(store):
    kw = dict(event_type="Battles", sub_event_type="Armed clash", fatalities=3)
    a = coded("a", TEXT_A, "2015-08-03", "outlet-a",
              [event(actor1="Military Forces of Syria", inter1=1, actor2="Islamic State", inter2=2, **kw)])
    b = coded("b", TEXT_B, "2015-08-03", "outlet-b",
              [event(actor1="Islamic State", inter1=2, actor2="Military Forces of Syria", inter2=1, **kw)])
    store.load_results([a, b])
    assert store.query_events()[1] == 1
    assert "Islamic State / Military Forces of Syria ~ Military Forces of Syria / Islamic State" \
        in store.merge_log()[0]["reason"]


def test_recode_is_idempotent_and_keeps_merges_consistent(store):
    store.load_results([coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(fatalities=5)]),
                        coded("b", TEXT_B, "2015-08-03", "outlet-b", [event(fatalities=7)])],
                       extractor_version="old")
    res = store.recode(all_reports=True)
    assert res["reports"] == 2 and res["version"] != "old"
    # the current extractor codes the synthetic texts its own way; each report is re-coded
    # and nothing is left pointing at the old mentions
    assert store.db.scalar("SELECT COUNT(*) FROM mentions WHERE extractor_version = 'old'") == 0
    assert store.db.scalar("SELECT COUNT(*) FROM events e WHERE NOT EXISTS "
                           "(SELECT 1 FROM mentions m WHERE m.event_id = e.id)") == 0
    again = store.recode()
    assert again["reports"] == 0        # nothing coded by another version is left


def test_a_report_without_a_toll_does_not_cancel_one_with_a_toll():
    from marsad.store.dedup import choose_fatalities
    assert choose_fatalities([("2015-08-03", 0), ("2015-08-03", 7)])[0] == 7
    assert choose_fatalities([("2015-08-03", 0), ("2015-08-04", 0)])[0] == 0
    assert choose_fatalities([("2015-08-03", 5), ("2015-08-04", 9), ("2015-08-04", 8)])[0] == 8


def test_an_event_of_one_mention_is_that_mention_as_the_general_path_combines_it():
    """combine of one mention (its place and actors taken without min and max) gives what the
    general path gives for that mention told twice: a place with no coordinates, generic or
    missing actors, no toll, weapons and sources."""
    from marsad.store.dedup import combine
    for m in (event(), event(latitude=None, longitude=None, geo_precision=None),
              event(actor1="Unidentified Armed Group", actor2=None, fatalities=None),
              dict(event(weapons=["mortar"], sources=[{"name": "SOHR"}, "activists"]),
                   _published="2015-08-03", _outlet="outlet-a", confidence=0.7)):
        assert combine([m]) == combine([m, dict(m)])


def test_a_reports_new_events_are_those_no_other_reports_mention_is_in(store):
    """A report's new events (for alerts) are its events that hold no mention of another report,
    whether it joined an incident or stood alone, stored one report per transaction and in a
    group (the store reads them from its grouping, not from the table: checked against it)."""
    reports = [coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(fatalities=5)]),
               coded("b", TEXT_B, "2015-08-03", "outlet-b",
                     [event(fatalities=7), event(event_type="Battles", sub_event_type="Armed clash")]),
               coded("c", TEXT_C, "2015-08-04", "outlet-c",
                     [event(fatalities=9), event(event_date="2015-08-20")])]
    for group in (False, True):
        for rec, out in reports:
            rec = dict(rec, id=f"{rec['id']}-{group}", text=f"{rec['text']} {group}")
            res = store.load_result(rec, out) if not group else None
            if group:
                st = store.load_results([(rec, out)], group=True)
                res_events = [r["event_id"] for r in store.db.query(
                    "SELECT DISTINCT event_id FROM mentions WHERE report_id = ?", (st.report_ids[0],))]
                new, rid = st.new_event_ids, st.report_ids[0]
            else:
                res_events, new, rid = res.event_ids, res.new_event_ids, res.report_id
            told = {r["event_id"] for r in store.db.query(
                "SELECT DISTINCT event_id FROM mentions WHERE report_id <> ?", (rid,))}
            assert sorted(new) == sorted(e for e in set(res_events) if e not in told)
    assert store.merge_log()   # some joined an incident
