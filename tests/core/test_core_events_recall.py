"""Candidates the events step used to miss (issue 11, "What the misses look like"), on texts
written for these tests."""

from datetime import date

import pytest

from marsad.components.events.candidates import component
from marsad.pipeline import DEFAULT_PIPELINE, Pipeline, default_pipeline

PUB = date(2015, 8, 10)


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


@pytest.fixture(scope="module")
def candidates():
    """Every candidate incident of a text, before the detector decides (what training sees)."""
    pre = Pipeline([n for n in DEFAULT_PIPELINE if n not in ("events", "document")])
    step = component(collect=True)

    def run(text):
        doc = pre(text, PUB)
        step(doc)
        return doc.events
    return run


def coded(nlp, text):
    return sorted((e["event_type"], e["admin1_code"]) for e in nlp(text, PUB).events)


def test_a_list_of_districts_each_in_its_governorate_is_one_strike_each(nlp):
    text = ("شنت طائرات التحالف أمس غارات على معسكر للحوثيين في مديرية «حيس» بمحافظة «الحديدة»، "
            "ومواقع أخرى في مديرية «ميدي» التابعة لمحافظة «حجة» وفي مناطق متفرقة من محافظة «مأرب».")
    assert coded(nlp, text) == [("Explosions/Remote violence", "YE-HJ"), ("Explosions/Remote violence", "YE-HU"),
                                ("Explosions/Remote violence", "YE-MA")]


def test_protests_in_a_list_of_cities_and_governorates_are_one_each(nlp):
    text = "وخرجت تظاهرات حاشدة أمس في البصرة وذي قار والنجف للمطالبة بتحسين الكهرباء."
    assert coded(nlp, text) == [("Protests", "IQ-BA"), ("Protests", "IQ-DQ"), ("Protests", "IQ-NA")]


def test_strikes_counted_place_by_place_are_one_each(nlp):
    text = "وقال التحالف إن طائراته شنت أمس خمس غارات قرب الموصل، وثلاث قرب الرمادي."
    assert coded(nlp, text) == [("Explosions/Remote violence", "IQ-AN"), ("Explosions/Remote violence", "IQ-NI")]


def test_a_crowd_going_out_in_a_city_is_a_protest(nlp):
    assert coded(nlp, "خرج المئات في مدينة كربلاء أمس رافعين لافتات تطالب بإقالة المحافظ.") == [
        ("Protests", "IQ-KA")]


def test_a_projectile_falling_from_across_the_border_is_shelling(nlp):
    [ev] = nlp("سقط مقذوف عسكري أطلق من داخل الأراضي اليمنية على منزل في مدينة نجران أمس.", PUB).events
    assert (ev["sub_event_type"], ev["admin1_code"]) == ("Shelling/artillery/missile attack", "SA-10")


def test_skirmishes_are_a_candidate_armed_clash(candidates):
    # whether the detector keeps a lone skirmish depends on its trained thresholds; the trigger
    # row makes it a candidate of the right type at its place
    evs = candidates("اندلعت مناوشات بين الجيش ومسلحي القبائل في مدينة مأرب أمس.")
    assert [(e["event_type"], e["sub_event_type"], e["admin1_code"]) for e in evs] == [
        ("Battles", "Armed clash", "YE-MA")]


def test_bodies_found_with_gunshot_wounds_are_a_candidate_attack(candidates):
    # the words stand apart ("عثرت الشرطة أمس على جثتي"): a candidate the detector weighs
    evs = candidates("عثرت الشرطة أمس على جثتي رجلين عليهما آثار طلقات نارية في حي الدورة جنوب بغداد.")
    assert [(e["event_type"], e["admin1_code"]) for e in evs] == [("Violence against civilians", "IQ-BG")]


def test_self_restraint_is_no_arrest(nlp):
    assert nlp("دعا وزير الخارجية الأطراف في مدينة عدن إلى ضبط النفس أمس.", PUB).events == []


def test_other_cities_among_them_each_have_their_protest(nlp):
    text = "تظاهر الآلاف أمس في العاصمة بغداد ومدن أخرى، منها البصرة والنجف، للمطالبة بتوفير الكهرباء."
    assert coded(nlp, text) == [("Protests", "IQ-BA"), ("Protests", "IQ-BG"), ("Protests", "IQ-NA")]


@pytest.mark.parametrize("text, admin1", [
    # a town named after a bearing is a landmark
    ("وفي محافظة الضالع، شمال عدن، قتل أربعة متمردين في كمين نصبته المقاومة الشعبية أمس.", "YE-DA"),
    ("وفي محافظة الضالع، إلى الشمال من عدن، قتل أربعة متمردين في كمين نصبته المقاومة الشعبية أمس.", "YE-DA"),
    # where an attack came from
    ("اشتبكت قوات قادمة من مأرب مع الحوثيين في محافظة الجوف أمس.", "YE-JA"),
    ("شنت المقاومة هجوما انطلاقا من عدن على مواقع الحوثيين في محافظة لحج أمس.", "YE-LA"),
    # the place in a speaker's title: the health office is in Aden, the mines went off in Lahij
    ("أكد مدير عام مكتب الصحة بمحافظة عدن مقتل 11 مواطنا وإصابة 33 آخرين في انفجار ألغام "
     "زرعتها ميليشيات الحوثي في محافظة لحج.", "YE-LA"),
], ids=["bearing", "bearing-from", "came-from", "launched-from", "speakers-title"])
def test_a_place_that_only_locates_the_scene_is_not_the_scene(nlp, text, admin1):
    assert [e["admin1_code"] for e in nlp(text, PUB).events] == [admin1]


@pytest.mark.parametrize("text, sub", [
    ("ألقى الطيران المروحي عشرين برميلًا متفجرًا على مدينة داريا أمس.", "Air/drone strike"),
    ("ودمرت طائرات التحالف أمس دبابتين للحوثيين في مدينة مأرب.", "Air/drone strike"),
])
def test_strikes_worded_with_words_between_verb_and_weapon(nlp, text, sub):
    assert [e["sub_event_type"] for e in nlp(text, PUB).events] == [sub]


def test_opened_fire_with_words_between_is_an_attack(nlp):
    [ev] = nlp("فتح مسلحان صباح أمس النار على مركز للشرطة في مدينة العريش.", PUB).events
    assert ev["event_type"] != "Protests" and ev["admin1_code"] == "EG-SIN"


def test_a_country_named_as_its_government_is_no_scene(nlp):
    # المملكة after "تقوده" is the coalition's leader (context), the strikes fell in Lahij
    text = "شنت طائرات التحالف العربي الذي تقوده المملكة غارات عنيفة على مواقع الحوثيين في معسكر لبوزة بمحافظة لحج أمس."
    assert [e["country_code"] for e in nlp(text, PUB).events] == ["YE"]
