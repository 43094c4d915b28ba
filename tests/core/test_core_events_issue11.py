"""Misses seen on held-back reports (issue 11), on texts written for these tests."""

from datetime import date

import pytest

from marsad.pipeline import default_pipeline

PUB = date(2015, 8, 10)


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def kinds(nlp, text, published=PUB):
    return [(e["event_type"], e["country_code"]) for e in nlp(text, published).events]


@pytest.mark.parametrize("text", [
    "تجمع مئات المحتجين أمام مبنى المحافظة في مدينة البصرة اليوم للمطالبة بتحسين الخدمات.",
    "احتشد آلاف المواطنين في ساحة التحرير ببغداد أمس تنديدا بالفساد.",
    "نزل آلاف المتظاهرين إلى الشوارع في مدينة الناصرية مساء أمس.",
    "خرج المئات من سكان مدينة الحلة إلى الشوارع اليوم رافعين لافتات تطالب بالكهرباء.",
    "نصب عشرات العمال خيمة اعتصام أمام وزارة النفط في بغداد اليوم.",
    "نظم عشرات الصحفيين وقفة أمام مبنى النقابة في مدينة البصرة اليوم.",
    "قطع محتجون غاضبون الطريق الرئيسي في مدينة الديوانية اليوم.",
    "أحرق شبان غاضبون عددا من الإطارات في شوارع مدينة البصرة أمس.",
])
def test_a_protest_in_each_gathering_wording(nlp, text):
    assert kinds(nlp, text) == [("Protests", "IQ")]


def test_a_protest_abroad_is_placed_where_it_happened(nlp):
    assert kinds(nlp, "تظاهر مئات الأشخاص في مدينة كراتشي الباكستانية اليوم احتجاجا على ارتفاع الأسعار.") == [
        ("Protests", "PK")]
    assert kinds(nlp, "تظاهر آلاف الطلاب في العاصمة الكينية نيروبي أمس.") == [("Protests", "KE")]


def test_the_grievance_of_a_protest_is_not_the_event(nlp):
    [ev] = nlp("تظاهر مئات الطلاب في مدينة تعز اليوم احتجاجا على اعتقال زملائهم.", PUB).events
    assert (ev["event_type"], ev["sub_event_type"]) == ("Protests", "Peaceful protest")


def test_a_strike_on_a_village_no_gazetteer_has_is_kept_at_country_level(nlp):
    evs = nlp("قصف الطيران الحربي بلدة مجهولة الاسم في سوريا أمس ما أسفر عن مقتل أربعة مدنيين.", PUB).events
    assert len(evs) == 1
    ev = evs[0]
    assert ev["country_code"] == "SY" and ev["admin1_code"] is None and ev["geo_precision"] == 3
    assert ev["fatalities"] == 4


def test_a_court_in_another_clause_does_not_block_the_attack(nlp):
    text = ("أصدرت محكمة في القاهرة حكما بسجن ناشطين، فيما قتل ثلاثة جنود في هجوم مسلح على حاجز "
            "بمدينة العريش أمس.")
    evs = nlp(text, PUB).events
    assert len(evs) == 1 and evs[0]["location"] == "Al Arish" and evs[0]["fatalities"] == 3


def test_tallies_of_a_war_or_a_month_are_no_events(nlp):
    assert kinds(nlp, "أودت الحرب في سوريا بحياة أكثر من 250 ألف شخص منذ عام 2011.") == []
    assert kinds(nlp, "قتل 1200 مدني في العراق خلال شهر يوليو الماضي، بحسب الأمم المتحدة.") == []
    assert kinds(nlp, "أسفرت الحرب في اليمن عن مقتل 4500 شخص منذ مارس.") == []


def test_no_event_over_a_thousand_dead_without_one_incident(nlp):
    evs = nlp("قتل أكثر من 1500 مدني في غارات على مدينة حلب بحسب المرصد.", PUB).events
    assert all((e["fatalities"] or 0) <= 1000 for e in evs)


def test_two_villages_hit_in_one_sentence_are_two_events(nlp):
    text = "قصفت قوات النظام قريتي كفرنبل وحاس في ريف إدلب أمس ما أدى إلى مقتل ثلاثة مدنيين."
    evs = nlp(text, PUB).events
    assert len(evs) == 2
    assert {e["admin1_code"] for e in evs} == {"SY-ID"}
    assert sorted(e["location_ar"] for e in evs)[0] != sorted(e["location_ar"] for e in evs)[1]
    assert sum(e["fatalities"] for e in evs) == 3


def test_launched_rockets_at_a_town_is_shelling(nlp):
    [ev] = nlp("أطلق الحوثيون صواريخ كاتيوشا على مدينة نجران أمس.", PUB).events
    assert ev["sub_event_type"] == "Shelling/artillery/missile attack" and ev["country_code"] == "SA"
    assert ev["actor1"] == "Ansar Allah (Houthis)"


def test_history_stays_history_without_a_publication_date(nlp):
    text = ("وفي عام 2008 قتل تسعة أشخاص في تفجير سيارة مفخخة في مدينة الموصل.\n"
            "وقتل خمسة جنود في هجوم على حاجز في مدينة الرمادي في 3 أغسطس 2015.")
    evs = nlp(text, None).events
    assert [e["location"] for e in evs] == ["Ramadi"]


def test_hundreds_spelled_with_hamza_count_as_a_crowd_and_a_toll(nlp):
    from marsad.components.events.rules import CROWD, NUMBER
    from marsad.text import normalize

    assert CROWD.search(normalize("تظاهر مئات الطلاب")[0])
    assert NUMBER.search(normalize("مئة")[0]) and NUMBER.search(normalize("مائة")[0])
