"""The document step's merging of one report's mentions (marsad/components/document.py), on
hand-made mentions: how many events one report makes."""

from marsad.components.document import merge_events
from marsad.components.events.incident import Incident
from marsad.doc import Span

TAIZZ = {"location": "Taizz", "place_id": "gn:70225", "parent": "iso:YE-TA", "feature": "city",
         "latitude": 13.5795, "longitude": 44.0209}
SABIR = {"location": "Taizz - Jabal Sabir", "place_id": "ye-taizz-jabal-sabir", "parent": "gn:70225",
         "feature": "quarter", "latitude": 13.56, "longitude": 44.03}
HAWBAN = {"location": "Taizz - Al Hawban", "place_id": "ye-taizz-al-hawban", "parent": "gn:70225",
          "feature": "quarter", "latitude": 13.59, "longitude": 44.08}
VILLAGE = {"location": "Al Sbahh", "place_id": None, "parent": "gn:70225", "feature": "village",
           "latitude": 13.50, "longitude": 44.10}


def mention(sent, etype, sub, place, actor1="Saudi-led Coalition", actor2=None, date="2015-08-01",
            cue=True, toll=None, weak=False):
    place = dict(place, country_code="YE", admin1_code="YE-TA", geo_precision=1)
    fields = {"event_type": etype, "sub_event_type": sub, "event_date": date, "time_precision": 1,
              "country_code": "YE", "admin1_code": "YE-TA", "location": place["location"],
              "location_ar": place.get("location_ar", ""), "latitude": place["latitude"], "longitude": place["longitude"],
              "geo_precision": 1, "actor1": actor1, "inter1": 8 if actor1 else None,
              "actor2": actor2, "inter2": 2 if actor2 else None, "fatalities": toll or 0,
              "weapons": [], "sources": [], "evidence": []}
    return Incident(fields, sent=sent, place_span=Span(0, 1, "place", "x", sent, place),
                    place_resolved=True, place_in_sentence=True, has_date_cue=cue, date_src=2 if cue else 0,
                    fat_known=toll is not None, weak=weak)


AIR = ("Explosions/Remote violence", "Air/drone strike")


def test_strikes_on_a_town_and_on_its_quarter_are_one_event_at_the_quarter():
    out = merge_events([mention(1, *AIR, TAIZZ), mention(4, *AIR, SABIR)])
    assert [e["location"] for e in out] == ["Taizz - Jabal Sabir"]


def test_strikes_on_two_quarters_or_a_nearby_village_stay_apart():
    assert len(merge_events([mention(1, *AIR, SABIR), mention(4, *AIR, HAWBAN)])) == 2
    assert len(merge_events([mention(1, *AIR, TAIZZ), mention(4, *AIR, VILLAGE)])) == 2


def test_a_clash_at_a_town_and_at_its_quarter_are_not_merged_by_the_quarter_rule():
    clash = ("Battles", "Armed clash")
    out = merge_events([mention(1, *clash, TAIZZ, "Popular Resistance (Yemen)", "Ansar Allah (Houthis)"),
                        mention(4, *clash, SABIR, "Popular Resistance (Yemen)", "Ansar Allah (Houthis)")])
    assert len(out) == 2


def _clash():
    return mention(1, "Battles", "Armed clash", SABIR, "Saudi-led Coalition", "Ansar Allah (Houthis)")


def test_an_air_strike_told_with_its_target_day_or_dead_stays_apart_from_the_clash():
    strike = mention(2, *AIR, SABIR, "Saudi-led Coalition", "Ansar Allah (Houthis)")
    assert len(merge_events([_clash(), strike])) == 2
    dead = mention(2, *AIR, SABIR, cue=False, toll=7)
    assert len(merge_events([_clash(), dead])) == 2


def test_air_cover_of_a_clash_and_shelling_by_its_sides_belong_to_it():
    cover = mention(2, *AIR, SABIR, cue=False)      # no target, no day, no dead of its own
    shelling = mention(3, "Explosions/Remote violence", "Shelling/artillery/missile attack", SABIR,
                       "Saudi-led Coalition", "Ansar Allah (Houthis)", toll=3)
    [battle] = merge_events([_clash(), cover, shelling])
    assert battle["event_type"] == "Battles" and battle["fatalities"] == 3


def test_a_capture_told_as_taken_and_as_lost_is_one_event():
    took = mention(1, "Battles", "Non-state actor overtakes territory", SABIR, "Ansar Allah (Houthis)",
                   "Popular Resistance (Yemen)")
    regained = mention(3, "Battles", "Government regains territory", SABIR, "Popular Resistance (Yemen)",
                       "Ansar Allah (Houthis)")
    assert len(merge_events([took, regained])) == 1
    elsewhere = mention(3, "Battles", "Government regains territory", HAWBAN, "Popular Resistance (Yemen)",
                        "Ansar Allah (Houthis)")
    assert len(merge_events([took, elsewhere])) == 2


def test_a_protest_told_as_peaceful_and_as_dispersed_is_one_protest_with_intervention():
    crowd = mention(1, "Protests", "Peaceful protest", TAIZZ, "Protesters (Yemen)")
    dispersed = mention(2, "Protests", "Protest with intervention", TAIZZ, "Protesters (Yemen)",
                        "Police Forces of Yemen")
    [ev] = merge_events([crowd, dispersed])
    assert ev["sub_event_type"] == "Protest with intervention"
    other_day = mention(2, "Protests", "Protest with intervention", TAIZZ, "Protesters (Yemen)",
                        "Police Forces of Yemen", date="2015-08-03")
    assert len(merge_events([crowd, other_day])) == 2


def test_two_mentions_at_one_place_and_day_sharing_a_side_are_one_incident():
    clash = ("Battles", "Armed clash")
    a = mention(1, *clash, SABIR, "Ansar Allah (Houthis)", "Popular Resistance (Yemen)")
    b = mention(5, *clash, SABIR, "Ansar Allah (Houthis)", "Military Forces of Saudi Arabia")
    assert len(merge_events([a, b])) == 1
    # no side in common, or another place: two incidents
    c = mention(5, *clash, SABIR, "Islamic State", "Military Forces of Saudi Arabia")
    assert len(merge_events([a, c])) == 2
    d = mention(5, *clash, HAWBAN, "Ansar Allah (Houthis)", "Military Forces of Saudi Arabia")
    assert len(merge_events([a, d])) == 2


def test_strikes_told_at_the_governorate_join_a_strike_of_another_kind_at_a_town_inside_it():
    gov = dict(TAIZZ, location="Taizz Governorate", place_id="iso:YE-TA", parent="iso:YE", feature="adm1")
    general = mention(1, *AIR, gov)
    general["geo_precision"] = 3
    shelling = mention(3, "Explosions/Remote violence", "Shelling/artillery/missile attack", SABIR)
    [ev] = merge_events([general, shelling])
    assert (ev["sub_event_type"], ev["location"]) == ("Shelling/artillery/missile attack", "Taizz - Jabal Sabir")
    # a battle told at the governorate does not join a capture: that rule is the strikes'
    clash = mention(1, "Battles", "Armed clash", gov, "Popular Resistance (Yemen)", "Ansar Allah (Houthis)")
    clash["geo_precision"] = 3
    took = mention(3, "Battles", "Government regains territory", HAWBAN, "Popular Resistance (Yemen)",
                   "Ansar Allah (Houthis)")
    assert len(merge_events([clash, took])) == 2


CLASH = ("Battles", "Armed clash", "Popular Resistance (Yemen)", "Ansar Allah (Houthis)")


def test_a_town_written_bare_with_its_governorates_name_joins_the_incident_at_a_place_of_that_governorate():
    # "معارك مع المقاومة الشعبية في تعز" (a title) and the clash at a village of Taizz: one event,
    # at the village; the gazetteer reads تعز as the town and as the governorate
    bare = mention(1, *CLASH[:2], dict(TAIZZ, location_ar="تعز"), *CLASH[2:])
    [ev] = merge_events([bare, mention(4, *CLASH[:2], VILLAGE, *CLASH[2:])])
    assert ev["location"] == "Al Sbahh"
    # with a cue word it is the town: two places, two events
    town = mention(1, *CLASH[:2], dict(TAIZZ, location_ar="مدينة تعز"), *CLASH[2:])
    assert len(merge_events([town, mention(4, *CLASH[:2], VILLAGE, *CLASH[2:])])) == 2


def test_arrests_in_a_town_written_bare_stay_apart_from_arrests_elsewhere_in_its_governorate():
    arrests = ("Strategic developments", "Arrests", "Ansar Allah (Houthis)", "Civilians (Yemen)")
    bare = mention(1, *arrests[:2], dict(TAIZZ, location_ar="تعز"), *arrests[2:])
    assert len(merge_events([bare, mention(4, *arrests[:2], VILLAGE, *arrests[2:])])) == 2


SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")


def test_explosions_with_no_device_named_at_a_strikes_place_and_day_are_its_blasts():
    # "شن طيران التحالف غارات على الحوبان" and "سماع دوي انفجارات عنيفة في الحوبان": one air strike
    blasts = mention(3, "Explosions/Remote violence", "Remote explosive/landmine/IED", HAWBAN, None)
    [ev] = merge_events([mention(1, *AIR, HAWBAN, "Saudi-led Coalition", "Ansar Allah (Houthis)"), blasts])
    assert ev["sub_event_type"] == "Air/drone strike"
    # a device named (a roadside bomb) is a bombing of its own
    bomb = mention(3, "Explosions/Remote violence", "Remote explosive/landmine/IED", HAWBAN, None)
    bomb["weapons"] = ["IED"]
    assert len(merge_events([mention(1, *AIR, HAWBAN, "Saudi-led Coalition", "Ansar Allah (Houthis)"), bomb])) == 2
    # nor are blasts on another day or at another place the strike's
    other = mention(3, "Explosions/Remote violence", "Remote explosive/landmine/IED", SABIR, None)
    assert len(merge_events([mention(1, *AIR, HAWBAN), other])) == 2


def test_an_attack_told_with_no_device_and_no_attacker_at_a_strikes_place_and_day_is_that_strike():
    # "قصف طيران التحالف مواقع الحوثيين في الحوبان" then "وأدى القصف إلى مقتل عشرة من الحوثيين": no
    # device, no attacker (typed Shelling by default): the air strike told again, with its dead
    retold = mention(3, *SHELLING, HAWBAN, None, "Ansar Allah (Houthis)", toll=10)
    [ev] = merge_events([mention(1, *AIR, HAWBAN, "Saudi-led Coalition", "Ansar Allah (Houthis)"), retold])
    assert (ev["sub_event_type"], ev["fatalities"]) == ("Air/drone strike", 10)
    # a shelling that names its attacker, or its guns, is one of its own
    assert len(merge_events([mention(1, *AIR, HAWBAN), mention(3, *SHELLING, HAWBAN, "Ansar Allah (Houthis)")])) == 2
    guns = mention(3, *SHELLING, HAWBAN, None)
    guns["weapons"] = ["artillery"]
    assert len(merge_events([mention(1, *AIR, HAWBAN), guns])) == 2
    # two such mentions of different kinds do not fold into each other (both would be lost)
    unnamed = mention(1, *AIR, HAWBAN, None)
    assert len(merge_events([unnamed, mention(3, *SHELLING, HAWBAN, None)])) == 2


def test_a_toll_joins_the_incident_at_its_place_before_that_incident_joins_a_more_specific_one():
    # "قصف الحوثيون مواقع في تعز" (a seat written bare), the shelling of a village of Taizz, and
    # "مقتل خمسة في تعز": the toll is the seat's incident's, which is the village's
    seat = mention(1, *SHELLING, dict(TAIZZ, location_ar="تعز"), "Ansar Allah (Houthis)")
    toll = mention(2, "Violence against civilians", "Attack", dict(TAIZZ, location_ar="تعز"), None, toll=5)
    toll.kind = "kill"
    [ev] = merge_events([seat, mention(4, *SHELLING, VILLAGE, "Ansar Allah (Houthis)"), toll])
    assert (ev["location"], ev["fatalities"]) == ("Al Sbahh", 5)


def test_a_governorates_clash_sharing_one_side_with_a_clash_inside_it_sums_that_clash_up():
    # "اشتباكات عنيفة بين المقاومة والجيش من جهة والحوثيين من جهة أخرى في محافظة تعز", read as the
    # resistance against the army, and the resistance against the Houthis at a village of Taizz:
    # one clash, at the village (its other side named otherwise in the summary)
    gov = dict(TAIZZ, location="Taizz Governorate", place_id="iso:YE-TA", parent="iso:YE", feature="adm1")
    summary = mention(1, "Battles", "Armed clash", gov, "Popular Resistance (Yemen)", "Military Forces of Yemen")
    summary["geo_precision"] = 3
    [ev] = merge_events([summary, mention(4, *CLASH[:2], VILLAGE, *CLASH[2:])])
    assert (ev["location"], ev["actor1"], ev["actor2"]) == ("Al Sbahh", *CLASH[2:])
    # no side in common, or arrests told at the governorate: apart
    other = mention(1, "Battles", "Armed clash", gov, "Islamic State", "Military Forces of Yemen")
    other["geo_precision"] = 3
    assert len(merge_events([other, mention(4, *CLASH[:2], VILLAGE, *CLASH[2:])])) == 2
    arrests = ("Strategic developments", "Arrests")
    held = mention(1, *arrests, gov, "Popular Resistance (Yemen)", "Civilians (Yemen)")
    held["geo_precision"] = 3
    assert len(merge_events([held, mention(4, *arrests, VILLAGE, "Popular Resistance (Yemen)", "Ansar Allah (Houthis)")])) == 2


def _shelling_told(norm: str, stretch: str):
    """A shelling by the clash's sides whose own stretch of the normalised text is `stretch`."""
    e = mention(1, "Explosions/Remote violence", "Shelling/artillery/missile attack", SABIR,
                "Saudi-led Coalition", "Ansar Allah (Houthis)")
    e.region = (norm.index(stretch), norm.index(stretch) + len(stretch))
    return e


def test_shelling_of_homes_or_a_market_beside_the_clash_is_an_event_of_its_own():
    # CODING.md: shells by the fighting sides that land away from the front are their own events
    norm = "اشتدت المواجهات في جبل صبر وقصف التحالف الاحياء السكنيه وسوق المدينه"
    out = merge_events([_clash(), _shelling_told(norm, "وقصف التحالف الاحياء السكنيه")], norm)
    assert sorted(e["event_type"] for e in out) == ["Battles", "Explosions/Remote violence"]
    out = merge_events([_clash(), _shelling_told(norm, "وقصف التحالف الاحياء السكنيه وسوق المدينه")], norm)
    assert len(out) == 2
    # the same shelling of the other side's positions, or of the quarter being stormed, is part of the fight
    for stretch in ("وقصف التحالف مواقع الحوثيين", "وقصف التحالف الحي"):
        norm = "اشتدت المواجهات في جبل صبر " + stretch
        [battle] = merge_events([_clash(), _shelling_told(norm, stretch)], norm)
        assert battle["event_type"] == "Battles"


def test_shelling_dated_another_day_than_the_clash_is_an_event_of_its_own():
    # one event per date (CODING.md): even a day the passage gives, with no cue of its own
    shelling = mention(3, "Explosions/Remote violence", "Shelling/artillery/missile attack", SABIR,
                       "Saudi-led Coalition", "Ansar Allah (Houthis)", date="2015-08-03", cue=False)
    assert len(merge_events([_clash(), shelling])) == 2


def test_fighting_at_the_governorate_on_a_told_day_and_a_clash_inside_it_on_its_passages_day_stay_apart():
    # "وفي تعز قالت المصادر إن المواجهات ... الأحد" then "تقدمت المقاومة في قرية الصبة" (the
    # passage's day) and "قتل عشرة أمس في معارك بمحافظة تعز" (yesterday, another day): two days'
    # fighting, two events; the same day, no day told in either, a village dated by the publication
    # only, or a span ("خلال اليومين الماضيين") at the governorate: one clash
    gov = dict(TAIZZ, location="Taizz Governorate", place_id="iso:YE-TA", parent="iso:YE", feature="adm1")

    def summary(date, cue, precision=1):
        e = mention(1, *CLASH[:2], gov, *CLASH[2:], date=date, cue=cue)
        e["geo_precision"], e["time_precision"] = 3, precision
        return e

    def village(date, cue, src=1):
        e = mention(4, *CLASH[:2], VILLAGE, *CLASH[2:], date=date, cue=cue)
        e.date_src = 2 if cue else src
        return e

    assert len(merge_events([summary("2015-07-31", True), village("2015-08-02", False)])) == 2
    assert len(merge_events([summary("2015-08-02", True), village("2015-08-02", False)])) == 1
    assert len(merge_events([summary("2015-07-31", False), village("2015-08-02", False)])) == 1
    assert len(merge_events([summary("2015-07-31", True), village("2015-08-02", False, src=0)])) == 1
    assert len(merge_events([summary("2015-07-31", True, precision=2), village("2015-08-02", False)])) == 1
    # strikes so told still sum up into the village's strike (for them the split lowered the figures)
    strike = mention(1, *AIR, gov, date="2015-07-31", cue=True)
    strike["geo_precision"] = 3
    shelled = mention(4, *AIR, VILLAGE, date="2015-08-02", cue=False)
    shelled.date_src = 1
    assert len(merge_events([strike, shelled])) == 1
