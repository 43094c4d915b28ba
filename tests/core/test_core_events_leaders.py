"""CODING.md rules on synthetic sentences written for these tests: leaders as parties (an agreement
between states is an event; the leaders who conclude it act for their governments), the one arrested,
headline verbs with a dual subject, undated acts in an "after it had" clause."""

from datetime import date

import pytest

from marsad.pipeline import default_pipeline

PUB = date(2015, 8, 10)


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def test_an_agreement_between_two_leaders_is_an_agreement_between_their_governments(rules_nlp):
    text = ("أسفرت المحادثات التي أجراها الرئيس التونسي ونظيره الجزائري في العاصمة تونس أمس "
            "عن اتفاق على تأمين الحدود المشتركة.")
    evs = [e for e in rules_nlp(text, PUB).events if e["sub_event_type"] == "Agreement"]
    assert len(evs) == 1
    ev = evs[0]
    assert ev["plover_type"] == "AGREE"
    assert {ev["actor1"], ev["actor2"]} == {"Government of Tunisia", "Government of Algeria"}
    # a leader abroad still acts as his state, not as an external force
    assert ev["inter1"] == 1 and ev["inter2"] == 1
    assert ev["event_date"] == "2015-08-09"


def test_forces_loyal_to_the_president_are_not_the_president(nlp):
    text = "سيطرت القوات الموالية للرئيس اليمني على قاعدة العند الجوية في محافظة لحج أمس بعد معارك مع الحوثيين."
    evs = nlp(text, PUB).events
    assert evs and all(e["actor1"] != "Government of Yemen" for e in evs)


def test_a_leader_named_and_then_speaking_is_the_speaker_not_a_party(nlp):
    text = "وأعلن الرئيس الصومالي حسن شيخ محمود أن القوات هاجمت مواقع حركة الشباب في مدينة جوهر أمس."
    evs = nlp(text, PUB).events
    assert all("Government of Somalia" not in (e["actor1"], e["actor2"]) for e in evs)


def test_the_accused_is_the_one_arrested(nlp):
    # CODING.md: actor2 is the side acted upon; in a crime story that is "المتهم"
    text = "ألقت الشرطة المصرية القبض على المتهم في مدينة طنطا أمس بعد ساعات من الجريمة."
    [ev] = nlp(text, PUB).events
    assert ev["sub_event_type"] == "Arrests"
    assert ev["actor1"] == "Police Forces of Egypt"
    assert ev["actor2"] == "Civilians (Egypt)" and ev["inter2"] == 7


def test_a_headline_verb_with_a_dual_subject_states_the_incident(rules_nlp):
    # Arabic headlines tell past incidents in the present; two subjects take the dual ("يصدان")
    text = ("الجيش والشرطة يصدان هجوما لتنظيم داعش في مدينة الرمادي\n\n"
            "قالت مصادر أمنية إن الهجوم وقع فجر اليوم.")
    evs = rules_nlp(text, PUB).events
    assert [(e["event_type"], e["sub_event_type"]) for e in evs] == [("Battles", "Armed clash")]
    assert evs[0]["location"] == "Ramadi"
    assert "Islamic State" in (evs[0]["actor1"], evs[0]["actor2"])


def test_an_undated_arrest_after_which_the_police_investigate_is_background(nlp):
    # what the police say now is the news; the arrests before it come with no day of their own
    text = "وقالت الشرطة الأردنية إنها تواصل التحقيقات في الحادثة بمدينة إربد، بعدما اعتقلت نحو 30 مواطنا وأطلقت سراحهم."
    assert nlp(text, PUB).events == []
    # the act told in the main clause, with its day, stays an event
    text = "اعتقلت الشرطة الأردنية أمس 20 شخصا في مدينة إربد، بعدما اعتقلت الشرطة خمسة آخرين."
    assert [e["sub_event_type"] for e in nlp(text, PUB).events] == ["Arrests"]
    # an incident in the "after" clause of a toll is the incident itself
    text = "قتل خمسة مدنيين بعدما قصفت طائرات النظام بلدة سراقب في ريف إدلب."
    assert [e["sub_event_type"] for e in nlp(text, PUB).events] == ["Air/drone strike"]


def test_a_battle_that_began_the_day_before_is_one_event_on_its_last_day(nlp):
    # CODING.md: an event spread over several named days is coded on its last day
    text = ("قتل 12 عنصرا من قوات النظام في اشتباكات مع فصائل المعارضة في مدينة درعا أمس، بحسب المرصد السوري. "
            "وكانت الاشتباكات قد اندلعت بعد أن هاجمت الفصائل مواقع للنظام في مدينة درعا مساء أول من أمس.")
    evs = nlp(text, PUB).events
    assert [(e["event_type"], e["event_date"], e["location"]) for e in evs] == [("Battles", "2015-08-09", "Dara")]
    assert evs[0]["fatalities"] == 12
