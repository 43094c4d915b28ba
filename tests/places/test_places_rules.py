"""Resolution rules added for event placement: ACLED's Jerusalem, nesting, compound village
names, context-only "المملكة", passages bounded by a governorate (synthetic reports)."""

from marsad.components.events.places import MIN_PLACE_SCORE
from marsad.places.attach import place_for_event


def spans(doc, text):
    return [s for s in doc.layer("places") if text in s.text]


def test_jerusalem_is_coded_palestine_as_acled_does(run):
    doc = run("اقتحمت قوات الاحتلال باحات المسجد الأقصى في مدينة القدس واعتقلت عشرة مصلين.")
    (s,) = spans(doc, "القدس")
    assert (s.data["country_code"], s.data["admin1_code"]) == ("PS", "PS-JEM")
    (aqsa,) = spans(doc, "الأقصى")
    assert aqsa.data["admin1_code"] == "PS-JEM"


def test_west_bank_village_gets_a_governorate(run):
    doc = run("أحرق مستوطنون منزلا في قرية دوما جنوب نابلس في الضفة الغربية.")
    (s,) = spans(doc, "دوما")
    assert s.data["country_code"] == "PS" and s.data["admin1_code"].startswith("PS-")


def test_name_nested_in_a_far_place_is_not_the_namesake(run):
    doc = run("قصف الطيران بلدة الحويجة قرب الرقة وقتل خمسة مدنيين.")
    (s,) = spans(doc, "الحويجة")
    assert s.data["country_code"] != "IQ"
    ev = place_for_event(doc, 0, 0, 3)
    assert (ev.data["country_code"], ev.data["admin1_code"]) == ("SY", "SY-RA")


def test_compound_village_name_is_not_its_second_word(run):
    doc = run("قتل أربعة مدنيين في قصف على خربة السودا في ريف حماة الشمالي.")
    (s,) = spans(doc, "خربة السودا")
    assert not s.data["resolved"]
    ev = place_for_event(doc, 0, 0, 3)
    assert ev.data["admin1_code"] == "SY-HM"


def test_two_letter_first_word_after_a_cue(run):
    doc = run("قصفت المدفعية قرية تل شعيب في ريف حلب الجنوبي.")
    (s,) = spans(doc, "تل شعيب")
    assert s.data["feature"] == "village"


def test_the_kingdom_is_context_not_the_event_place(run):
    doc = run("أدانت المملكة الهجوم الذي أسفر عن مقتل ثلاثة أشخاص.")
    (s,) = spans(doc, "المملكة")
    assert s.data["country_code"] == "SA"
    assert place_for_event(doc, 0, 0, 5) is None


def test_passage_place_stops_at_a_new_governorate(run):
    doc = run("قتل مسلحان في اشتباكات في مقبنة. "
              "أما على صعيد محافظة أبين فلا تزال المعارك مستمرة. "
              "وقالت مصادر إن عشرة مسلحين قتلوا في مواجهات أمس.")
    ev = place_for_event(doc, 2, doc.text.index("قتلوا"), doc.text.index("قتلوا") + 5)
    assert ev.data["admin1_code"] == "YE-AB"


def test_tagger_alone_does_not_make_a_common_word_a_place():
    from marsad.places.geoparser import Geoparser
    from marsad.places.tagged import TaggedLoc, tagger_mentions
    gp = Geoparser()
    sure = [TaggedLoc(0, 7, 0, [w], [w], 0.99) for w in ("التحالف", "المصدر")]
    assert tagger_mentions(gp, sure, []) == []
    town = TaggedLoc(0, 3, 0, ["حمص"], ["حمص"], 0.99)
    assert [m.key for m in tagger_mentions(gp, [town], [])] == ["حمص"]


def test_city_of_a_name_listed_for_one_town_still_finds_its_namesakes(run):
    # GeoNames lists "مدينة البيضاء" for the Libyan town only; the Yemeni one is البيضاء
    doc = run("قصفت طائرات التحالف مواقع في منطقة مكيراس بمدينة البيضاء وسط اليمن.")
    (s,) = spans(doc, "البيضاء")
    assert s.data["country_code"] == "YE"
    (mk,) = spans(doc, "مكيراس")
    assert mk.data["country_code"] == "YE"


def test_a_town_named_before_a_smaller_place_is_not_nested_in_it(run):
    doc = run("اصطدم القطار القادم من سوهاج في منطقة إمبابة بقطار آخر.")
    (s,) = spans(doc, "سوهاج")
    assert s.data["resolved"] and s.data["country_code"] == "EG"


def test_an_unknown_place_lies_in_the_country_named_nearest_to_it(run):
    # العكر is unknown; Bahrain is named next to it, a Yemeni town earlier in the sentence
    doc = run("استعادت القوات الحكومية مدينة الحزم في اليمن، وفي البحرين قتل فتى بانفجار قنبلة في منطقة العكر.")
    (s,) = spans(doc, "العكر")
    assert not s.data["resolved"]
    assert place_for_event(doc, 0, s.start, s.end).data["country_code"] == "BH"
    # a town of that country named in the sentence is where it lies
    doc = run("قصف الطيران حلب، فيما سيطرت القوات على مدينة زنجبار، وقتل مدنيان في قرية الخربوطلي في سوريا.")
    (s,) = spans(doc, "الخربوطلي")
    assert not s.data["resolved"]
    assert place_for_event(doc, 0, s.start, s.end).data["admin1_code"] == "SY-HL"


def test_a_site_listed_whole_is_as_sure_as_one_after_a_cue(run, pipeline):
    # "قاعدة العند" is a gazetteer name with its generic word: the word fits the base as a cue
    # before a bare name would, so a report naming nothing else still places its incident there
    doc = run("شنت طائرات التحالف غارات عنيفة على قاعدة العند الجوية أمس.")
    (s,) = spans(doc, "العند")
    assert s.data["feature"] == "base" and s.data["score"] >= MIN_PLACE_SCORE
    doc = pipeline("شنت طائرات التحالف غارات عنيفة على قاعدة العند الجوية أمس وقتل عشرة مسلحين.")
    assert [(e["location"], e["admin1_code"]) for e in doc.events] == [("Al Anad airbase", "YE-LA")]


def test_an_incident_takes_the_place_of_its_own_clause(run):
    # Zinjibar, a town, is more specific than the governorate of Marib, but it is the place of
    # the other clause: the strikes' clause names Marib (CODING.md: where it happened)
    text = ("شنت طائرات التحالف غارات جوية على مواقع للحوثيين في مأرب، "
            "فيما دخلت القوات الحكومية إلى مدينة زنجبار في أبين.")
    doc = run(text)
    strikes = text.index("شنت"), text.index("، فيما")
    assert place_for_event(doc, 0, *strikes).data["admin1_code"] == "YE-MA"
    entered = text.index("دخلت"), len(text)
    assert place_for_event(doc, 0, *entered).data["location"] == "Zinjibar"
    # with no place of its own words, the sentence's most specific place, as before
    assert place_for_event(doc, 0, 0, 3).data["location"] == "Zinjibar"


def test_a_country_in_the_clause_gives_way_to_a_town_of_the_sentence(run):
    text = "قصفت طائرات تركية مواقع في سوريا، بعد يومين من هجوم على بلدة الراعي في ريف حلب."
    doc = run(text)
    clause = text.index("قصفت"), text.index("، بعد")
    assert place_for_event(doc, 0, *clause).data["admin1_code"] == "SY-HL"


def test_a_destination_in_the_clause_is_not_where_it_happened(run):
    # the clause names Marib only as where a side went ("إلى"): the sentence's town stays
    text = "انسحب المسلحون إلى محافظة مأرب بعد اشتباكات عنيفة، وذلك في مدينة زنجبار."
    doc = run(text)
    clause = 0, text.index("، وذلك")
    assert place_for_event(doc, 0, *clause).data["location"] == "Zinjibar"
    # entering a town is being there
    text = ("شنت طائرات التحالف غارات جوية على مواقع للحوثيين في مأرب، "
            "فيما دخلت القوات الحكومية إلى مدينة زنجبار في أبين.")
    doc = run(text)
    entered = text.index("دخلت"), len(text)
    assert place_for_event(doc, 0, *entered).data["location"] == "Zinjibar"
    # nor the governorate the destination is said to lie in
    text = "انسحب المسلحون إلى منطقة الفيوش في محافظة لحج بعد اشتباكات عنيفة، وذلك في منطقة دار سعد بعدن."
    doc = run(text)
    assert place_for_event(doc, 0, 0, text.index("، وذلك")).data["location"] == "Aden - Dar Saad"
    # the same in presentation forms ("إﻟﻰ ﻣنطقة" as some outlets print it)
    text = "انسحب المسلحون إﻟﻰ محافظة مأرب بعد اشتباكات عنيفة، وذلك في مدينة زنجبار."
    doc = run(text)
    assert place_for_event(doc, 0, 0, text.index("، وذلك")).data["location"] == "Zinjibar"


def test_a_place_in_an_officials_title_is_not_where_it_happened(run):
    text = "اعتقلت المقاومة الشعبية نجل محافظ المحويت، في مدينة الضالع."
    doc = run(text)
    assert place_for_event(doc, 0, 0, text.index("، في")).data["admin1_code"] == "YE-DA"
