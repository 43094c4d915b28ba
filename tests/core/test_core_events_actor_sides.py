"""Sides of an event that the report joins with "و" or leaves unnamed (events/actors.py).

Texts are written for the test; the rules decide which candidates are events (rules_nlp), so
that the sides are tested whatever the learned detector keeps. ACLED names the lead actor of sides told together and codes an
unclaimed bomb's sides as an Unidentified Armed Group and the civilians it hit (CODING.md).
"""

from marsad.components.events.actors import drop_bystanders, fill_unnamed
from marsad.components.events.incident import Incident


def _sides(doc):
    return [(e["actor1"], e["inter1"], e["actor2"], e["inter2"]) for e in doc.events]


def _evidence(ev, field):
    return [x for x in ev["evidence"] if x["field"] == field]


def test_allies_told_together_are_never_opposite_sides(rules_nlp):
    doc = rules_nlp("قصفت قوات النظام وحزب الله بالمدفعية مدينة الزبداني بريف دمشق أمس الاثنين، ما أدى إلى مقتل ثلاثة أشخاص.")
    assert doc.events
    for a1, _, a2, _ in _sides(doc):
        assert a1 == "Military Forces of Syria"
        assert a2 != "Hezbollah"


def test_sides_told_together_are_named_by_the_first(rules_nlp):
    doc = rules_nlp("قوات الجيش الوطني والمقاومة الشعبية سيطرت على مدينة زنجبار بمحافظة أبين أمس بعد معارك "
              "مع الحوثيين.")
    assert doc.events
    assert doc.events[0]["actor1"] == "Military Forces of Yemen"
    assert "الجيش الوطني" in _evidence(doc.events[0], "actor1")[0]["text"]


def test_an_unclaimed_bomb_is_an_unidentified_group_against_civilians(rules_nlp):
    doc = rules_nlp("قتل 12 شخصا وأصيب 30 آخرون في انفجار سيارة مفخخة في سوق شعبي ببغداد يوم الأحد.")
    assert _sides(doc) == [("Unidentified Armed Group (Iraq)", 3, "Civilians (Iraq)", 7)]
    ev = doc.events[0]
    for field in ("actor1", "actor2"):   # the event's own words are the evidence of a side it leaves unnamed
        x = _evidence(ev, field)[0]
        assert "انفجار" in x["text"] and doc.text[x["start"]:x["end"]] == x["text"]


def test_a_claimed_bomb_keeps_its_named_attacker(rules_nlp):
    doc = rules_nlp("قتل 12 شخصا في انفجار سيارة مفخخة تبناه تنظيم داعش في سوق شعبي ببغداد يوم الأحد.")
    assert doc.events and doc.events[0]["actor1"] == "Islamic State"


def test_opening_fire_is_not_the_fatah_movement(rules_nlp):
    doc = rules_nlp("فتح مسلحون مجهولون النار على دورية للشرطة في مدينة ديار بكر أمس.")
    assert all(x.label != "Fatah" for x in doc.layer("actors"))


def _strike(country, actor1=None, inter1=None, sub="Air/drone strike"):
    return Incident({"event_type": "Explosions/Remote violence", "sub_event_type": sub, "country_code": country,
                     "actor1": actor1, "inter1": inter1, "actor2": None, "inter2": None,
                     "evidence": [{"field": "event", "start": 0, "end": 10, "text": "غارة جوية"}]})


def test_an_unattributed_air_strike_is_the_country_s_air_war():
    syria, yemen, egypt = _strike("SY"), _strike("YE"), _strike("EG")
    fill_unnamed([syria])
    fill_unnamed([yemen])
    fill_unnamed([egypt])
    assert (syria["actor1"], syria["inter1"]) == ("Military Forces of Syria", 1)
    assert (yemen["actor1"], yemen["inter1"]) == ("Saudi-led Coalition", 8)
    assert egypt["actor1"] is None          # no convention for that country: left unnamed
    assert _evidence(yemen, "actor1")[0]["text"] == "غارة جوية"


def test_an_air_strike_takes_the_attacker_of_the_report_s_other_strikes():
    named, bare = _strike("SY", "Military Forces of Russia", 8), _strike("SY")
    fill_unnamed([named, bare])
    assert (bare["actor1"], bare["inter1"]) == ("Military Forces of Russia", 8)
    assert bare["actor2"] is None           # a strike's target is not assumed


def test_a_bomb_s_filled_sides_never_repeat_a_named_one():
    ev = _strike("TR", sub="Suicide bomb")
    ev["actor2"], ev["inter2"] = "Unidentified Armed Group (Turkey)", 3
    fill_unnamed([ev])
    assert ev["actor1"] is None


def test_a_side_without_aircraft_is_what_an_air_strike_hit():
    ev = _strike("YE", "Ansar Allah (Houthis)", 2)
    ev["evidence"].append({"field": "actor1", "start": 20, "end": 28, "text": "الحوثيين"})
    fill_unnamed([ev])
    assert (ev["actor1"], ev["actor2"], ev["inter2"]) == ("Saudi-led Coalition", "Ansar Allah (Houthis)", 2)
    assert _evidence(ev, "actor2")[0]["text"] == "الحوثيين"


def test_an_air_strike_told_the_other_way_round_is_turned():
    ev = _strike("SY", "Islamic State", 2)
    ev["actor2"], ev["inter2"] = "Military Forces of Russia", 8
    fill_unnamed([ev])
    assert (ev["actor1"], ev["actor2"]) == ("Military Forces of Russia", "Islamic State")


def _battle(a1, i1, a2, i2):
    return Incident({"event_type": "Battles", "sub_event_type": "Armed clash", "country_code": "SY",
                     "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2,
                     "evidence": [{"field": "event", "start": 0, "end": 9, "text": "اشتباكات"},
                                  {"field": "actor1", "start": 10, "end": 15, "text": "أ"},
                                  {"field": "actor2", "start": 20, "end": 25, "text": "ب"}]})


def test_civilians_are_no_side_of_a_battle():
    ev = _battle("Civilians (Syria)", 7, "Islamic State", 2)
    drop_bystanders([ev])
    assert (ev["actor1"], ev["inter1"], ev["actor2"]) == ("Islamic State", 2, None)
    assert [x["start"] for x in _evidence(ev, "actor1")] == [20] and not _evidence(ev, "actor2")
    strike = _battle("Military Forces of Syria", 1, "Civilians (Syria)", 7)
    strike["event_type"] = "Explosions/Remote violence"
    drop_bystanders([strike])
    assert strike["actor2"] == "Civilians (Syria)"   # outside a battle the civilians hit are its actor2
    lost = _battle(None, None, "Ansar Allah (Houthis)", 2)
    drop_bystanders([lost])
    assert (lost["actor1"], lost["actor2"]) == (None, "Ansar Allah (Houthis)")   # "طرد الحوثيين": they lost it


def test_the_shipped_sides_of_the_events_step_and_of_linking():
    from marsad.components.events.actors import same_side
    from marsad.incident.tables import side
    assert same_side("Saudi-led Coalition", "Military Forces of Yemen")       # an extractor row
    assert side("Saudi-led Coalition") != side("Military Forces of Yemen")   # linking's own row
    assert same_side("Forces loyal to Ali Abdullah Saleh", "Ansar Allah (Houthis)")   # a row of both
    assert same_side("Police Forces of Iraq", "Government of Iraq")
    assert not same_side("Free Syrian Army", "Ahrar al-Sham")                 # linking's rows only
    assert side("Free Syrian Army") == side("Ahrar al-Sham")
    assert not same_side(None, None)


def test_the_events_step_reads_its_sides_from_the_table(tmp_path, monkeypatch):
    from marsad.components.events.actors import same_side
    from marsad.incident import tables

    def use(text):
        (tmp_path / "actor_sides.tsv").write_text(text, encoding="utf-8")
        tables.side.cache_clear()
        tables._side_rules.cache_clear()

    monkeypatch.setattr(tables, "DATA", tmp_path)
    try:
        head = "# a table written for the test\nmatch\tside\tused_by\tsource\n"
        use(head + "=Hezbollah\tstate:Syria\textractor\ttest\nMilitary Forces of {C}\tstate:{C}\tboth\ttest\n")
        assert same_side("Hezbollah", "Military Forces of Syria")
        assert not same_side("Saudi-led Coalition", "Military Forces of Yemen")
        use(head + "=Hezbollah\tstate:Syria\tlinking\ttest\nMilitary Forces of {C}\tstate:{C}\tboth\ttest\n")
        assert not same_side("Hezbollah", "Military Forces of Syria")   # a linking row is not the extractor's
        assert tables.side("Hezbollah") == tables.side("Military Forces of Syria")
    finally:
        monkeypatch.undo()
        tables.side.cache_clear()
        tables._side_rules.cache_clear()
