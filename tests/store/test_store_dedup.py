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


def test_same_day_and_place_but_unrelated_evidence_is_not_merged(store):
    # a background sentence about another attack, placed and dated like the air strike
    other = "وكان مسلحون قد هاجموا حاجزا للشرطة العسكرية في المدينة الشهر الماضي."
    st = store.load_results([coded("a", TEXT_A, "2015-08-03", "outlet-a", [event()]),
                             coded("b", other, "2015-08-03", "outlet-b", [event()])])
    assert len(st.new_event_ids) == 2 and store.merge_log() == []


def test_later_report_updates_fatalities(store):
    store.load_results([coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(fatalities=5)]),
                        coded("b", TEXT_B, "2015-08-03", "outlet-b", [event(fatalities=7)]),
                        coded("c", TEXT_C, "2015-08-04", "outlet-c", [event(fatalities=9)])])
    (ev,), total = store.query_events()
    assert total == 1 and ev["n_reports"] == 3 and ev["fatalities"] == 9


def test_no_merge_across_types_days_places_or_actors(store):
    base = coded("a", TEXT_A, "2015-08-03", "outlet-a", [event()])
    others = [
        ("type", event(event_type="Battles", sub_event_type="Armed clash")),
        ("sub-type", event(sub_event_type="Shelling/artillery/missile attack")),
        ("day", event(event_date="2015-08-04")),
        ("place", event(location="Idlib", latitude=35.9306, longitude=36.6339)),    # 13 km away
        ("actor", event(actor1="Military Forces of Russia", inter1=8)),
        ("no date", event(event_date=None)),
    ]
    pairs = [base] + [coded(n, f"{TEXT_B} {n}", "2015-08-03", f"outlet-{n}", [e]) for n, e in others]
    st = store.load_results(pairs)
    assert st.new == 7 and len(st.new_event_ids) == 7
    assert store.query_events()[1] == 7
    assert store.merge_log() == []


def test_compatible_actors_and_one_report_never_merges_with_itself(store):
    # a generic actor name merges with a specific one of the same category; the specific wins
    a = coded("a", TEXT_A, "2015-08-03", "outlet-a",
              [event(actor1="Unidentified Armed Group (Syria)", inter1=3, actor2=None, inter2=None,
                     event_type="Violence against civilians", sub_event_type="Attack"),
               event(actor1="Unidentified Armed Group (Syria)", inter1=3, actor2=None, inter2=None,
                     event_type="Violence against civilians", sub_event_type="Attack",
                     evidence=[{"start": 30, "end": 40, "field": "event"}])])
    b = coded("b", TEXT_B, "2015-08-03", "outlet-b",
              [event(actor1="Popular Mobilization Forces", inter1=3,
                     event_type="Violence against civilians", sub_event_type="Attack")])
    store.load_results([a, b])
    events, total = store.query_events(order="id")
    assert total == 2                       # the two events of report a stay apart
    assert events[0]["actor1"] == "Popular Mobilization Forces" and events[0]["n_reports"] == 2
    assert events[1]["n_reports"] == 1


def test_battle_sides_told_both_ways(store):
    kw = dict(event_type="Battles", sub_event_type="Armed clash", fatalities=3)
    a = coded("a", TEXT_A, "2015-08-03", "outlet-a",
              [event(actor1="Military Forces of Syria", inter1=1, actor2="Islamic State", inter2=2, **kw)])
    b = coded("b", TEXT_B, "2015-08-03", "outlet-b",
              [event(actor1="Islamic State", inter1=2, actor2="Military Forces of Syria", inter2=1, **kw)])
    store.load_results([a, b])
    assert store.query_events()[1] == 1
    assert "swapped" in store.merge_log()[0]["reason"]


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


def test_a_report_without_a_toll_does_not_cancel_one_with_a_toll(store):
    store.load_results([coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(fatalities=0)]),
                        coded("b", TEXT_B, "2015-08-03", "outlet-b", [event(fatalities=7)])])
    (ev,), _ = store.query_events()
    assert ev["n_reports"] == 2 and ev["fatalities"] == 7


def test_country_level_places_need_the_same_named_actor(store):
    country = dict(admin1_code=None, location="Syria", location_ar="سوريا", latitude=35.0,
                   longitude=38.0, geo_precision=3)
    store.load_results([
        coded("a", TEXT_A, "2015-08-03", "outlet-a", [event(actor1=None, inter1=None, **country)]),
        coded("b", TEXT_B, "2015-08-03", "outlet-b", [event(**country)]),
        coded("c", TEXT_C, "2015-08-03", "outlet-c", [event(**country)]),
    ])
    events, total = store.query_events(order="id")
    assert total == 2 and [e["n_reports"] for e in events] == [1, 2]


def test_governorate_level_place_does_not_merge_with_a_town_in_it(store):
    # the governorate's coordinates are its capital's: 0 km apart, yet not the same place
    gov = dict(location="Idlib", location_ar="محافظة إدلب", geo_precision=3)
    store.load_results([coded("a", TEXT_A, "2015-08-03", "outlet-a", [event()]),
                        coded("b", TEXT_B, "2015-08-03", "outlet-b", [event(**gov)]),
                        coded("c", TEXT_C, "2015-08-03", "outlet-c", [event(**gov)])])
    events, total = store.query_events(order="id")
    assert total == 2 and [e["n_reports"] for e in events] == [1, 2]
