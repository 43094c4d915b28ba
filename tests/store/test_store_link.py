"""Same-incident linking in the store (issue 13): reports of one incident from several outlets
and days are one event; two incidents near each other stay two; the grouping does not depend on
the order of ingestion; a person's split or merge is kept, also by a recode."""

from __future__ import annotations

from store_data import coded, event

from marsad.incident import cluster

# Synthetic reports written for these tests (not from any outlet).
CLASH_A = ("اندلعت اشتباكات عنيفة أمس بين قوات النظام وفصائل المعارضة في حي جوبر شرق دمشق، "
           "وقتل خمسة من عناصر النظام، بحسب المرصد السوري.")
CLASH_B = ("قتل خمسة من عناصر قوات النظام في اشتباكات عنيفة مع فصائل المعارضة في حي جوبر "
           "بدمشق، وفق ناشطين.")
JOBAR = dict(event_type="Battles", sub_event_type="Armed clash", country_code="SY",
             admin1_code="SY-DI", location="Jobar", location_ar="جوبر", latitude=33.5286,
             longitude=36.3367, geo_precision=1, actor1="Syrian Opposition (unspecified)", inter1=2,
             actor2="Military Forces of Syria", inter2=1, fatalities=5, weapons=[],
             sources=["Syrian Observatory for Human Rights"])


def _groups(store) -> list[list[str]]:
    """The stored events as sorted lists of the record ids of their reports."""
    out = []
    for ev in store.iter_events():
        ids = [store.get_report(r)["record_id"] for r in ev["report_ids"]]
        out.append(sorted(ids))
    return sorted(out)


def test_the_same_clash_reported_a_day_apart_by_two_outlets_is_one_event(store):
    # outlet a (crawled on the 4th) says "yesterday"; outlet b, crawled the same day, gives no day
    a = coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**JOBAR, event_date="2015-08-03")])
    b = coded("b", CLASH_B, "2015-08-04", "outlet-b", [event(**JOBAR, event_date="2015-08-04")])
    st = store.load_results([a, b])
    assert st.events == 2 and len(st.new_event_ids) == 1
    (ev,), total = store.query_events()
    assert total == 1 and ev["n_reports"] == 2
    full = store.get_event(ev["id"])
    assert "dates 2015-08-04 / 2015-08-03" in full["merges"][0]["reason"] or \
        "dates 2015-08-03 / 2015-08-04" in full["merges"][0]["reason"]


def test_a_government_and_its_forces_or_an_unnamed_attacker_do_not_block_the_merge(store):
    gov = dict(JOBAR, actor2="Government of Syria")
    unnamed = dict(JOBAR, actor1=None, inter1=None)
    store.load_results([coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**JOBAR, event_date="2015-08-03")]),
                        coded("b", CLASH_B, "2015-08-04", "outlet-b", [event(**gov, event_date="2015-08-03")]),
                        coded("c", CLASH_B + " c", "2015-08-04", "outlet-c",
                              [event(**unnamed, event_date="2015-08-03")])])
    assert _groups(store) == [["a", "b", "c"]]


def test_two_clashes_in_two_villages_of_one_governorate_on_one_day_are_two_events(store):
    # Kafr Nabl and Hass, 4 km apart in Idlib governorate, both fought over on the 3rd
    text_a = "اشتباكات عنيفة بين قوات النظام وفصائل المعارضة في بلدة كفرنبل بريف إدلب اليوم."
    text_b = "اشتباكات عنيفة بين قوات النظام وفصائل المعارضة في بلدة حاس بريف إدلب اليوم."
    idlib = dict(JOBAR, admin1_code="SY-ID", fatalities=0)
    store.load_results([
        coded("a", text_a, "2015-08-03", "outlet-a",
              [event(**dict(idlib, location="Kafr Nabl", location_ar="كفرنبل", latitude=35.6136,
                            longitude=36.5611), event_date="2015-08-03")]),
        coded("b", text_b, "2015-08-03", "outlet-b",
              [event(**dict(idlib, location="Hass", location_ar="حاس", latitude=35.5836,
                            longitude=36.5796), event_date="2015-08-03")])])
    assert _groups(store) == [["a"], ["b"]]


def test_a_governorate_level_and_a_village_level_report_of_one_strike_are_one_event(store):
    text_a = "قتل خمسة مدنيين في غارة جوية لطيران النظام على بلدة أريحا في ريف إدلب صباح اليوم."
    text_b = "قتل خمسة مدنيين في غارة جوية لطيران النظام على ريف إدلب صباح اليوم."
    gov = dict(location="Idlib", location_ar="ريف إدلب", latitude=35.9306, longitude=36.6339,
               geo_precision=3)
    store.load_results([coded("b", text_b, "2015-08-03", "outlet-b", [event(**gov)]),
                        coded("a", text_a, "2015-08-03", "outlet-a", [event()])])
    (ev,), total = store.query_events()
    assert total == 1 and ev["n_reports"] == 2
    assert ev["location"] == "Ariha" and ev["geo_precision"] == 1     # the precise place is kept


def _day_of_reports():
    """Five reports of one day: three of the Jobar clash, one of a strike in Ariha, one of a
    clash in Kafr Nabl."""
    kafr = dict(JOBAR, admin1_code="SY-ID", location="Kafr Nabl", location_ar="كفرنبل",
                latitude=35.6136, longitude=36.5611, fatalities=2)
    return [
        coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**JOBAR, event_date="2015-08-03")]),
        coded("b", CLASH_B, "2015-08-04", "outlet-b", [event(**JOBAR, event_date="2015-08-04")]),
        coded("c", CLASH_A.replace("أمس", "اليوم"), "2015-08-03", "outlet-c",
              [event(**JOBAR, event_date="2015-08-03")]),
        coded("d", "قتل خمسة مدنيين في غارة جوية لطيران النظام على بلدة أريحا.", "2015-08-03",
              "outlet-d", [event()]),
        coded("e", "قتل اثنان في اشتباكات بين قوات النظام والمعارضة في كفرنبل.", "2015-08-03",
              "outlet-e", [event(**kafr, event_date="2015-08-03")]),
    ]


def test_ingest_order_does_not_change_the_grouping(tmp_path):
    from marsad.store import open_store
    results = []
    for name, order in (("forward", _day_of_reports()), ("reversed", _day_of_reports()[::-1])):
        with open_store(tmp_path / f"{name}.db") as s:
            s.load_results(order)
            results.append((_groups(s), sorted((e["event_date"], e["location"], e["fatalities"],
                                                e["actor1"]) for e in s.iter_events())))
    assert results[0] == results[1]
    assert ["a", "b", "c"] in results[0][0]


def test_a_person_splits_a_report_out_and_merges_two_events_and_a_recode_keeps_it(store):
    store.load_results(_day_of_reports(), extractor_version="old")
    jobar = next(e for e in store.iter_events() if e["n_reports"] == 3)
    b = next(r for r in store.get_event(jobar["id"])["reports"] if r["source"] == "outlet-b")
    store.split_report(jobar["id"], b["report_id"], note="b is another clash")
    assert sorted(len(g) for g in _groups(store)) == [1, 1, 1, 2]
    ariha = next(e for e in store.iter_events() if e["location"] == "Ariha")
    kafr = next(e for e in store.iter_events() if e["location"] == "Kafr Nabl")
    store.merge_events(ariha["id"], kafr["id"], note="one raid")
    groups = _groups(store)
    assert ["d", "e"] in groups and ["b"] in groups and ["a", "c"] in groups
    decisions = store.link_decisions()
    assert {d["kind"] for d in decisions} == {"same", "different"}
    # a recode replaces every mention (same coding here: the synthetic outputs again); the
    # person's decisions still hold
    outputs = {rec["id"]: out for rec, out in _day_of_reports()}
    for r in store.db.query("SELECT * FROM reports ORDER BY id"):
        store._recode_one(r["id"], r, outputs[r["record_id"]], "new")
    assert _groups(store) == groups


def test_grouping_is_complete_linkage_and_independent_of_key_order():
    # a-b and b-c are linked, a-c is not even a possible duplicate: no chain a-b-c
    keys = [("r1", 0), ("r2", 0), ("r3", 0)]
    scores = {(keys[0], keys[1]): 0.9, (keys[1], keys[2]): 0.95}
    assert cluster.groups(keys, scores, 0.8) == [[keys[0]], [keys[1], keys[2]]]
    assert cluster.groups(keys[::-1], dict(reversed(scores.items())), 0.8) == \
        cluster.groups(keys, scores, 0.8)
    # two events of one report never join, a person's "same" joins anyway
    two = [("r1", 0), ("r1", 1), ("r2", 0)]
    sc = {(two[0], two[2]): 0.9, (two[1], two[2]): 0.9}
    assert cluster.groups(two, sc, 0.8) == [[two[0], two[2]], [two[1]]]
    assert cluster.groups(two, sc, 0.8, same=[(two[1], two[2])],
                          different=[(two[0], two[2])]) == [[two[0]], [two[1], two[2]]]


def test_a_report_linked_to_most_of_an_incident_joins_it_under_partial_linkage():
    # a, b, c are one incident; d (another outlet's place or side) is linked to a and b only,
    # e to a only: with half the cross pairs needed d joins and e stays apart; complete
    # linkage keeps d apart too
    a, b, c, d, e = [(f"r{i}", 0) for i in range(5)]
    scores = {(a, b): 0.95, (a, c): 0.9, (b, c): 0.9, (d, a): 0.85, (d, b): 0.5, (e, a): 0.85}
    assert cluster.groups([a, b, c, d, e], scores, 0.8, linkage=0.5) == [[a, b, c, d], [e]]
    assert cluster.groups([a, b, c, d, e], scores, 0.8, linkage=1.0) == [[a, b, c], [d], [e]]


def test_a_refit_of_the_linking_weights_leaves_the_extractor_version_alone():
    # new weights are applied by `marsad relink`; were they part of the extractor's version,
    # `marsad recode` would code every stored report again for nothing
    from pathlib import Path

    import marsad
    from marsad.store.version import extractor_files

    root = Path(marsad.__file__).parent
    files = {p.relative_to(root).as_posix() for p in extractor_files()}
    assert not files & {"incident/data/weights.json", "incident/link.py", "incident/features.py",
                        "incident/cluster.py", "incident/data/counted_nouns.tsv",
                        "incident/data/pair_kinds.tsv"}
    # the document step's part of the same module does change what is extracted
    assert {"incident/merging.py", "incident/within.py", "incident/data/type_compat.tsv"} <= files


# Synthetic reports of one suicide bombing, the second told four days later with its toll risen.
BOMBING_A = ("قتل ثلاثون شخصا وأصيب العشرات في تفجير انتحاري استهدف سوقا شعبيا في مدينة أريحا "
             "بريف إدلب اليوم، وفق المرصد السوري.")
BOMBING_B = ("ارتفع عدد قتلى التفجير الانتحاري الذي استهدف سوقا شعبيا في مدينة أريحا بريف إدلب "
             "إلى ثلاثين شخصا، بحسب المرصد السوري.")


def test_two_reports_of_one_suicide_bombing_four_days_apart_are_one_event(tmp_path):
    """A bombing is retold for days (features.window: a pair with a bomb is blocked beyond 4
    days, not 2; docs/linking.md, lk82): its reports link whichever came first, and the same
    two reports of an air strike stay apart."""
    from marsad.store import open_store
    for kind, linked in (("Suicide bomb", True), ("Air/drone strike", False)):
        bomb = dict(sub_event_type=kind, actor1="Islamic State (Syria)", inter1=2, fatalities=30,
                    weapons=[])
        reports = [coded("a", BOMBING_A, "2015-08-03", "outlet-a", [event(**bomb, event_date="2015-08-03")]),
                   coded("b", BOMBING_B, "2015-08-07", "outlet-b", [event(**bomb, event_date="2015-08-07")])]
        for order in (reports, reports[::-1]):
            with open_store(tmp_path / f"{kind[:3]}{order[0][0]['id']}.db") as s:
                s.load_results(order)
                assert _groups(s) == ([["a", "b"]] if linked else [["a"], ["b"]])
