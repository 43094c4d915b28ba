"""Casualty counts (layer "casualties") on sentences written for these tests."""

from datetime import date

import pytest

from marsad.pipeline import Pipeline

PUB = date(2015, 8, 6)


@pytest.fixture(scope="module")
def nlp():
    return Pipeline(["numbers"])


def counts(nlp, text, label=None):
    doc = nlp(text, PUB)
    return [(s.label, s.data["count"]) for s in doc.layer("casualties") if label is None or s.label == label]


def spans(nlp, text):
    return nlp(text, PUB).layer("casualties")


def test_eastern_digits_killed_and_wounded_apart(nlp):
    text = "قتل ١٥ مدنيا وأصيب ٢٣ آخرون في قصف على السوق."
    assert counts(nlp, text) == [("killed", 15), ("wounded", 23)]
    s = spans(nlp, text)
    assert s[0].text == "قتل ١٥" and s[0].data["victims"] == "مدنيا"
    assert text[s[1].start:s[1].end] == s[1].text == "وأصيب ٢٣"


def test_number_words(nlp):
    assert counts(nlp, "أسفر الانفجار عن مقتل ثلاثة أشخاص وإصابة خمسة عشر آخرين.") == \
        [("killed", 3), ("wounded", 15)]
    assert counts(nlp, "أدت الغارة إلى مصرع خمسة وعشرين مسلحا.") == [("killed", 25)]
    assert counts(nlp, "قتل ثلاث مئة وعشرون شخصا خلال المعارك.", "killed") == [("killed", 320)]
    assert counts(nlp, "وأكد المرصد مقتل أكثر من أربعة آلاف شخص منذ بداية العام.", "killed") == [("killed", 4000)]


def test_labels_after_the_number(nlp):
    assert counts(nlp, "وأوقع الهجوم 35 قتيلا و40 جريحا في صفوف المسلحين.") == [("killed", 35), ("wounded", 40)]
    assert counts(nlp, "وخلف التفجير سبعة قتلى.") == [("killed", 7)]


def test_verb_after_the_number(nlp):
    assert counts(nlp, "وقال مسؤول إن 19 شخصا قتلوا في انفجار الألغام فيما أصيب 163 آخرون.") == \
        [("killed", 19), ("wounded", 163)]
    assert counts(nlp, "وذكرت مصادر أن 54 من المسلحين وحلفائهم قتلوا في المعارك.") == [("killed", 54)]


def test_range_takes_the_lowest(nlp):
    for text in ("قتل ما بين 10 و15 مدنيا في القصف.", "قتل 10-15 مدنيا في القصف.",
                 "قتل من 10 إلى 15 مدنيا في القصف.", "قتل ثلاثة أو أربعة مدنيين في القصف."):
        s = spans(nlp, text)
        assert len(s) == 1 and s[0].label == "killed", text
        assert s[0].data["count"] == s[0].data["range"][0] and s[0].data["approx"], text
    assert spans(nlp, "قتل ما بين 10 و15 مدنيا في القصف.")[0].data["range"] == (10, 15)


def test_dozens_hundreds_several_conventions(nlp):
    s = spans(nlp, "أعلن الجيش مقتل العشرات من عناصر التنظيم.")
    assert [(x.label, x.data["count"], x.data["vague"], x.data["approx"]) for x in s] == \
        [("killed", 12, "dozens", True)]
    s = spans(nlp, "وأصيب المئات جراء القصف.")
    assert [(x.label, x.data["count"], x.data["vague"]) for x in s] == [("wounded", 100, "hundreds")]
    s = spans(nlp, "وأدى القصف إلى مقتل عدد من المدنيين.")
    assert [(x.label, x.data["count"], x.data["vague"]) for x in s] == [("killed", 10, "several")]


def test_killed_and_wounded_given_only_together(nlp):
    for text, total in (("أفادت مصادر بمقتل وجرح 110 من المسلحين.", 110),
                        ("أسفر الهجوم عن 30 قتيلا وجريحا.", 30),
                        ("سقط عشرات القتلى والجرحى في المواجهات.", 12)):
        s = spans(nlp, text)
        assert len(s) == 1, text
        assert s[0].label == "killed" and s[0].data["count"] is None, text
        assert s[0].data["together"] and s[0].data["combined"] and s[0].data["total"] == total, text


def test_several_killed_and_wounded_is_no_figure_for_both(nlp):
    # CODING.md: "عدد من القتلى والجرحى" counts as several (10) dead; a figure for both
    # (30، عشرات) leaves the toll unknown
    for text in ("وأسفر القصف عن عدد من القتلى والجرحى بين المدنيين.", "أدى الانفجار إلى مقتل وجرح عدد من المارة."):
        s = spans(nlp, text)
        assert len(s) == 1 and s[0].label == "killed" and s[0].data["count"] is None, text
        assert s[0].data["vague"] == "several" and s[0].data["together"] and not s[0].data["combined"], text


def test_separate_figures_are_not_together(nlp):
    assert counts(nlp, "ما أسفر عن سقوط 16 قتيلا وجرح 12 آخرين.") == [("killed", 16), ("wounded", 12)]
    assert counts(nlp, "أسفر القصف عن مقتل 21 وإصابة 36 من المسلحين.") == [("killed", 21), ("wounded", 36)]


def test_victims_and_among(nlp):
    s = spans(nlp, "قتل 5 مدنيين بينهم طفلان في غارة على البلدة.")
    assert len(s) == 1 and s[0].data["count"] == 5
    assert s[0].data["victims"] == "مدنيين"
    assert s[0].data["among"] == [{"count": 2, "text": "طفلان"}]
    a, b = s[0].data["victims_span"]
    assert "قتل 5 مدنيين بينهم طفلان في غارة على البلدة."[a:b] == "مدنيين"


def test_duals_and_singulars(nlp):
    assert counts(nlp, "قتل شرطيان في هجوم على الحاجز.") == [("killed", 2)]
    assert counts(nlp, "أسفر الكمين عن مقتل جنديين.") == [("killed", 2)]
    assert counts(nlp, "وأدى القصف إلى مقتل طفل وإصابة والدته.", "killed") == [("killed", 1)]
    assert counts(nlp, "لقي شاب مصرعه برصاص قناص.") == [("killed", 1)]
    # -ين of a sound plural is not a dual: مدنيين is "civilians", no figure
    assert counts(nlp, "أدى القصف إلى مقتل مدنيين.") == []


def test_additional_killed_in_the_same_clause(nlp):
    assert counts(nlp, "أسفر التفجير عن استشهاد عشرة من الجنود إضافة إلى ثلاثة من العاملين.") == \
        [("killed", 10), ("killed", 3)]
    s = spans(nlp, "أسفر التفجير عن استشهاد عشرة من الجنود إضافة إلى ثلاثة من العاملين.")
    assert s[1].data.get("additive") is True


def test_plural_without_figure(nlp):
    s = spans(nlp, "وتسبب القصف في سقوط قتلى بين المدنيين.")
    assert [(x.label, x.data["count"], x.data["vague"]) for x in s] == [("killed", None, "plural")]
    assert not s[0].data["combined"]


def test_figures_that_count_no_people(nlp):
    assert counts(nlp, "سقطت 3 قذائف على الحي دون إصابات.") == []
    assert counts(nlp, "في 20 تموز قتل 13 جنديا على الأقل.") == [("killed", 13)]
    assert counts(nlp, "استمر القصف 3 ساعات وقتل جندي.") == [("killed", 1)]
    assert counts(nlp, "قتل 30 في المئة من السكان.") == []
    assert counts(nlp, "قتل أكثر من 70 ألفا في عام 2014.") == [("killed", 70000)]


def test_thousands_separator(nlp):
    assert counts(nlp, "وقتل 1,332 عراقيا خلال الشهر.") == [("killed", 1332)]


def test_no_crash_on_odd_text(nlp):
    for text in ("قتل", "مقتل 99999999999999999999 شخص", "و", "١٢٣ ٤٥٦ قتلى قتلى قتلى", "بين و و و 5 -"):
        nlp(text, PUB)


def test_cue_separated_from_the_figure(nlp):
    # "in which 58 were killed", the killer named between verb and figure, "the six members"
    assert counts(nlp, "بعد هجوم انتحاري قتل فيه 58 شخصا خارج السفارة.") == [("killed", 58)]
    assert counts(nlp, "وقتل مفجر انتحاري 42 مجندا في الهجوم.") == [("killed", 42)]
    assert counts(nlp, "ما أدى إلى مقتل العناصر الستة.") == [("killed", 6)]
    s = spans(nlp, "وقال مصدر إن «ثمانية أشخاص، بينهم طفلان، قتلوا جراء ضربة جوية».")
    assert [(x.label, x.data["count"]) for x in s] == [("killed", 8)]
    assert s[0].data["among"] == [{"count": 2, "text": "طفلان"}]


def test_toll_phrases(nlp):
    assert counts(nlp, "وارتفعت حصيلة ضحايا التفجير إلى 32 شخصا.") == [("killed", 32)]
    assert counts(nlp, "وبلغ عدد القتلى 40 والجرحى 100.") == [("killed", 40), ("wounded", 100)]
    assert counts(nlp, "وكان القتلى في 20 تموز من المدنيين.") == []


def test_a_number_after_its_noun_counts_the_victims(nlp):
    assert counts(nlp, "أسفر القصف عن مقتل مدنيين اثنين وإصابة عناصر أربعة من الشرطة.") == [
        ("killed", 2), ("wounded", 4)]
    # an ordinal is no count: one soldier
    assert counts(nlp, "أعلن عن مقتل جندي ثالث متأثرا بجراحه.") == [("killed", 1)]


def test_more_dead_added_after_a_count_told_with_its_verb(nlp):
    text = "قال مصدر إن سبعة من المسلحين قتلوا إضافة إلى ثلاثة من الجنود في الاشتباكات."
    assert counts(nlp, text, "killed") == [("killed", 7), ("killed", 3)]
