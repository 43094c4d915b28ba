"""Same-incident merging within one report (the document step; marsad/incident/merging.py), on
texts written for these tests."""

import threading
from datetime import date

import pytest

from marsad.components.events.incident import Incident
from marsad.components.events.model import Model, load
from marsad.incident.merging import Decision, deciding, pair_features, rule_decides, same
from marsad.incident.within import same_incident
from marsad.pipeline import DEFAULT_PIPELINE, Pipeline, default_pipeline

PUB = date(2015, 8, 10)
TITLE_BODY = ("اشتباكات بين الجيش وتنظيم الدولة في الرمادي\n"
              "اندلعت اشتباكات عنيفة اليوم بين الجيش العراقي ومسلحي تنظيم الدولة الإسلامية في مدينة "
              "الرمادي، ما أسفر عن مقتل خمسة جنود.")
TWO_VILLAGES = ("اندلعت اشتباكات عنيفة أمس بين قوات النظام وفصائل المعارضة في بلدة كفرنبل بريف إدلب. "
                "وفي سياق منفصل، دارت اشتباكات أخرى بين الطرفين في بلدة سراقب بريف إدلب أمس.")
TWO_TYPES = ("اندلعت اشتباكات عنيفة أمس بين قوات النظام وفصائل المعارضة في بلدة كفرنبل بريف إدلب. "
             "وقصف الطيران الحربي مدينة دوما في ريف دمشق أمس.")
TOLL_CLAUSE = "قصف الطيران الحربي مدينة دوما في ريف دمشق أمس. وقتل سبعة مدنيين في دوما أمس."


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


@pytest.fixture(scope="module")
def mentions_of():
    """The report's mentions as the document step receives them, before merging."""
    pre = Pipeline([n for n in DEFAULT_PIPELINE if n != "document"])
    return lambda text: [e for e in pre(text, PUB).events if isinstance(e, Incident)]


def test_a_title_and_its_body_are_one_clash(nlp, mentions_of):
    assert len(mentions_of(TITLE_BODY)) >= 2
    [ev] = nlp(TITLE_BODY, PUB).events
    assert (ev["event_type"], ev["location"], ev["fatalities"]) == ("Battles", "Ramadi", 5)
    title_end = TITLE_BODY.index("\n")
    starts = [x["start"] for x in ev["evidence"]]
    assert min(starts) < title_end < max(starts)   # evidence from the title and from the body


def test_two_clashes_in_two_villages_of_one_governorate_are_two_events(nlp):
    evs = nlp(TWO_VILLAGES, PUB).events
    assert sorted(e["location"] for e in evs) == ["Kafr Nabl", "Saraqib"]
    assert {e["admin1_code"] for e in evs} == {"SY-ID"}


def test_a_toll_only_clause_joins_its_incident(nlp, mentions_of):
    assert len(mentions_of(TOLL_CLAUSE)) == 2
    [ev] = nlp(TOLL_CLAUSE, PUB).events
    assert (ev["sub_event_type"], ev["location"], ev["fatalities"]) == ("Air/drone strike", "Douma", 7)
    toll_at = TOLL_CLAUSE.index("سبعة")
    assert any(x["field"] == "fatalities" and x["start"] <= toll_at < x["end"] for x in ev["evidence"])


def test_the_pair_features_carry_the_rule_and_the_place_relation(mentions_of):
    a, b = mentions_of(TWO_VILLAGES)[:2]
    f = pair_features(a, b)
    assert f["rule"] == 0.0 and "pl:same_admin1" in f and "pl:other_admin1" not in f
    t, body = mentions_of(TITLE_BODY)[:2]
    g = pair_features(t, body)
    assert g["rule"] == float(same_incident(t, body)) == 1.0 and "se:title_body" in g


def test_the_document_step_merges_by_the_decision_in_force(nlp, mentions_of):
    a, b = mentions_of(TWO_VILLAGES)[:2]
    # weights that merge any pair: the two villages become one event
    with deciding(Decision({"bias": 10.0})):
        assert same(a, b)
        assert len(nlp(TWO_VILLAGES, PUB).events) == 1
    # weights that follow the rule's verdict decide as the rule does
    follow = Decision({"bias": -5.0, "rule": 10.0})
    t, body = mentions_of(TITLE_BODY)[:2]
    assert follow(t, body) and not follow(a, b)
    with deciding(None):
        assert same(t, body) == same_incident(t, body) and not same(a, b)


def test_only_a_learned_decision_may_merge_two_event_types(nlp, mentions_of):
    # with the rule deciding the step asks it only of mentions of one type; a learned decision
    # in force is asked of every pair, and one that merges any pair merges these two
    a, b = mentions_of(TWO_TYPES)[:2]
    assert a["event_type"] != b["event_type"]
    with deciding(None):
        assert rule_decides()
        assert len(nlp(TWO_TYPES, PUB).events) == 2
    with deciding(Decision({"bias": 10.0})):
        assert not rule_decides()
        assert len(nlp(TWO_TYPES, PUB).events) == 1


def test_a_decision_in_force_in_one_thread_leaves_another_threads_merges_alone(mentions_of):
    # training sets a decision while a server in the same process may be coding reports
    a, b = mentions_of(TWO_VILLAGES)[:2]
    started, release = threading.Event(), threading.Event()

    def train():
        with deciding(Decision({"bias": 10.0})):
            started.set()
            release.wait(10)

    t = threading.Thread(target=train)
    t.start()
    try:
        assert started.wait(10)
        assert not same(a, b)   # the shipped decision (or the rule) keeps the two villages apart
    finally:
        release.set()
        t.join()
    # nested blocks: the inner decision, then the outer one again
    with deciding(Decision({"bias": 10.0})):
        with deciding(None):
            assert not same(a, b)
        assert same(a, b)


def test_the_merge_decision_is_saved_with_the_detector(tmp_path):
    m = Model({"bias": 0.1}, merge={"weights": {"bias": -0.5, "rule": 2.0, "tiny": 1e-9}, "threshold": 0.6})
    m.save(tmp_path / "d.json")
    back = load(tmp_path / "d.json")
    assert back.merge == {"weights": {"bias": -0.5, "rule": 2.0}, "threshold": 0.6}
    Model({"bias": 0.1}).save(tmp_path / "e.json")
    assert load(tmp_path / "e.json").merge == {}    # none trained: the rule decides


def test_training_labels_only_the_pairs_the_annotation_decides(mentions_of):
    from marsad.incident.merging_train import label
    a, b = mentions_of(TWO_VILLAGES)[:2]
    x = {"event_type": "Battles", "country_code": "SY", "admin1_code": "SY-ID"}
    y = dict(x)
    elsewhere = dict(x, admin1_code="SY-HM")
    assert label(a, b, [x], [y], [x, y]) == 0                   # two annotated events: two incidents
    assert label(a, b, [x], [x], [x]) == 1                      # one event, both at its place
    assert label(a, b, [x], [x], [x, y]) is None                # another battle in the governorate
    assert label(a, b, [elsewhere], [elsewhere], [elsewhere]) is None   # told at another place
    assert label(a, b, [x, y], [x], [x, y]) is None             # a mention that may state two
    assert label(a, b, [], [x], [x]) is None                    # a mention stating no annotated event


def test_ground_taken_in_a_clash_is_the_clash_not_a_second_battle(nlp, mentions_of):
    text = ("اندلعت اشتباكات عنيفة أمس بين قوات النظام وتنظيم الدولة في بلدة مهين بريف حمص. "
            "وتمكن تنظيم الدولة أمس من السيطرة على بلدة مهين بعد المعارك.")
    subs = {m["sub_event_type"] for m in mentions_of(text)}
    assert {"Armed clash", "Non-state actor overtakes territory"} <= subs
    [ev] = [e for e in nlp(text, PUB).events if e["event_type"] == "Battles"]
    assert ev["sub_event_type"] == "Armed clash" and ev["location"] == "Mahin"
    # both sentences are its evidence
    second = text.index("وتمكن")
    assert any(x["start"] < second for x in ev["evidence"]) and any(x["start"] >= second for x in ev["evidence"])


def test_ground_taken_elsewhere_stays_its_own_battle(nlp):
    text = ("اندلعت اشتباكات عنيفة أمس بين قوات النظام وتنظيم الدولة في بلدة مهين بريف حمص. "
            "وتمكن تنظيم الدولة أمس من السيطرة على بلدة القريتين بريف حمص.")
    subs = sorted(e["sub_event_type"] for e in nlp(text, PUB).events if e["event_type"] == "Battles")
    assert subs == ["Armed clash", "Non-state actor overtakes territory"]


CLASH = "دارت اشتباكات عنيفة بين قوات النظام وجبهة النصرة في مدينة جسر الشغور أمس. "


def test_shelling_of_the_other_side_in_a_clash_is_the_clash(nlp):
    # CODING.md: a fight that includes shelling by the fighting sides is one Battles event
    [ev] = nlp(CLASH + "وقصفت قوات النظام مواقع جبهة النصرة في المدينة بالمدفعية أمس.", PUB).events
    assert (ev["event_type"], ev["sub_event_type"]) == ("Battles", "Armed clash")


def test_an_air_strike_on_civilians_during_a_clash_stays_its_own_event(nlp):
    # CODING.md: strikes that land away from the front are their own events
    evs = nlp(CLASH + "وقصفت طائرات النظام المدينة أمس، ما أدى إلى مقتل ثلاثة مدنيين.", PUB).events
    assert sorted((e["sub_event_type"], e["fatalities"]) for e in evs) == [("Air/drone strike", 3),
                                                                           ("Armed clash", 0)]


def test_shelling_of_civilians_during_a_clash_stays_its_own_event(nlp):
    # CODING.md: shells that land away from the front are their own events; the dead are counted once
    evs = nlp(CLASH + "وقصفت قوات النظام أحياء المدينة بالمدفعية أمس، ما أدى إلى مقتل ثلاثة مدنيين.", PUB).events
    got = {e["sub_event_type"]: e for e in evs}
    assert set(got) == {"Armed clash", "Shelling/artillery/missile attack"}
    assert got["Shelling/artillery/missile attack"]["actor2"] == "Civilians (Syria)"
    assert (got["Shelling/artillery/missile attack"]["fatalities"], got["Armed clash"]["fatalities"]) == (3, 0)


def test_a_clash_and_its_shelling_told_with_one_toll_count_the_dead_once(nlp):
    # the shelling folds into the clash (CODING.md); both read their toll from the same words
    text = ("قصفت قوات النظام بالمدفعية مواقع جبهة النصرة خلال اشتباكات عنيفة بين الطرفين في مدينة جسر الشغور "
            "أمس، أسفرت عن مقتل ثلاثة من عناصر الجبهة.")
    [ev] = nlp(text, PUB).events
    assert (ev["sub_event_type"], ev["fatalities"]) == ("Armed clash", 3)


# Two paragraphs, each dating its shelling by an earlier sentence of its own (CODING.md: "the date
# the surrounding passage gives"): two told days, two events; dated by the publication only, the
# second shelling has no day of its own and joins the first.
TWO_PASSAGES = ("قال ناشطون إن اجتماعا عقد يوم الخميس في مدينة إدلب. "
                "وقصفت قوات النظام بلدة كفرنبل بالمدفعية الثقيلة.\n"
                "وقال ناشطون إن اجتماعا آخر عقد {day}في مدينة إدلب. "
                "وقصفت قوات النظام بلدة كفرنبل بالمدفعية الثقيلة.")


def test_one_place_shelled_on_two_days_its_passages_tell_is_two_events(nlp, mentions_of):
    text = TWO_PASSAGES.format(day="يوم السبت ")
    assert sorted(e["event_date"] for e in mentions_of(text)) == ["2015-08-06", "2015-08-08"]
    evs = nlp(text, PUB).events
    assert sorted((e["location"], e["event_date"]) for e in evs) == [("Kafr Nabl", "2015-08-06"),
                                                                      ("Kafr Nabl", "2015-08-08")]


def test_a_shelling_dated_by_the_publication_only_joins_the_one_its_passage_dates(nlp, mentions_of):
    text = TWO_PASSAGES.format(day="")
    assert len(mentions_of(text)) == 2
    [ev] = nlp(text, PUB).events
    assert (ev["location"], ev["event_date"]) == ("Kafr Nabl", "2015-08-06")


# An air strike on the Houthis told at the governorate and a Houthi shelling of a quarter of it:
# the side shared is struck in one and strikes in the other, two actor pairs (CODING.md: actor1
# the side that acted, actor2 the side acted upon); the coalition striking in both is one summary.
STRIKE_AND_SHELLING = ("شن طيران التحالف العربي أمس غارات على مواقع الحوثيين في محافظة تعز. "
                       "وقصف الحوثيون أمس بالمدفعية منازل المواطنين في حي الروضة بمدينة تعز، ما أدى إلى "
                       "مقتل ثلاثة مدنيين.")


def test_a_summary_whose_shared_side_was_struck_stays_apart_from_that_sides_shelling(nlp):
    evs = nlp(STRIKE_AND_SHELLING, PUB).events
    assert sorted((e["sub_event_type"], e["actor1"]) for e in evs) == [
        ("Air/drone strike", "Saudi-led Coalition"), ("Shelling/artillery/missile attack", "Ansar Allah (Houthis)")]
    assert {e["admin1_code"] for e in evs} == {"YE-TA"}


def test_a_summary_whose_shared_side_strikes_in_both_joins_the_strike_inside_it(nlp):
    text = ("قصف الحوثيون أمس بالمدفعية منازل المواطنين في محافظة تعز. "
            "وقصف الحوثيون أمس بالمدفعية مواقع المقاومة الشعبية في حي الروضة بمدينة تعز.")
    [ev] = nlp(text, PUB).events
    assert (ev["location"], ev["actor1"]) == ("Taizz - Al Rawdah", "Ansar Allah (Houthis)")
