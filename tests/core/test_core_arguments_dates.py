"""Date expressions resolved against the publication date (layer "dates")."""

from datetime import date

import pytest

from marsad.pipeline import Pipeline

THU = date(2015, 8, 6)      # a Thursday


@pytest.fixture(scope="module")
def nlp():
    return Pipeline(["dates"])


def found(nlp, text, pub=THU):
    return [(s.text, s.data["date"], s.data["precision"], s.data["kind"]) for s in nlp(text, pub).layer("dates")]


def first(nlp, text, pub=THU):
    spans = nlp(text, pub).layer("dates")
    assert spans, text
    return spans[0]


@pytest.mark.parametrize("text, expected, words", [
    ("قصفت الطائرات البلدة اليوم.", date(2015, 8, 6), "اليوم"),
    ("قصفت الطائرات البلدة أمس.", date(2015, 8, 5), "أمس"),
    ("نصب المقاتلون كمينا فجر أمس.", date(2015, 8, 5), "فجر أمس"),
    ("وكانت الاشتباكات قد بدأت أول أمس.", date(2015, 8, 4), "أول أمس"),
    ("وقعت الاشتباكات أول من أمس.", date(2015, 8, 4), "أول من أمس"),
    ("سيطر التنظيم على البلدة الليلة الماضية.", date(2015, 8, 5), "الليلة الماضية"),
    ("اندلعت المواجهات مساء الأحد.", date(2015, 8, 2), "مساء الأحد"),
    ("اندلعت المواجهات يوم الخميس.", date(2015, 8, 6), "يوم الخميس"),
    ("اندلعت المواجهات الخميس الماضي.", date(2015, 7, 30), "الخميس الماضي"),
    ("بدأت العملية منذ 4 أيام.", date(2015, 8, 2), "منذ 4 أيام"),
    ("بدأت العملية قبل يومين.", date(2015, 8, 4), "قبل يومين"),
    ("بدأت العملية منذ ثلاثة أيام.", date(2015, 8, 3), "منذ ثلاثة أيام"),
])
def test_relative_day_cues(nlp, text, expected, words):
    s = first(nlp, text)
    assert s.data["date"] == expected and s.data["precision"] == 1, text
    assert s.text == words and text[s.start:s.end] == words
    assert s.label == expected.isoformat() and s.data["valid"]


def test_weekday_named_with_yesterday_or_today(nlp):
    s = first(nlp, "قال المرصد أمس الأربعاء إن الغارات استمرت.")
    assert s.data["date"] == date(2015, 8, 5) and s.data["weekday_agrees"]
    # an agency text republished later: the named weekday wins
    s = first(nlp, "قال المرصد اليوم (الثلاثاء) إن الغارات استمرت.")
    assert s.data["date"] == date(2015, 8, 4)


def test_week_and_month_precision(nlp):
    s = first(nlp, "قصفت الطائرات مواقع الأسبوع الماضي.")
    assert (s.data["date"], s.data["precision"]) == (date(2015, 7, 30), 2)
    # الفائت is written with ئ; the patterns read the normalised text (ي): past, not next week
    for rel in ("الماضي", "المنصرم", "الفائت"):
        s = first(nlp, f"قصفت الطائرات مواقع الأسبوع {rel}.")
        assert (s.data["date"], s.data["precision"]) == (date(2015, 7, 30), 2), rel
    s = first(nlp, "وقتل 54 خلال اليومين الماضيين.")
    assert (s.data["date"], s.data["precision"], s.data["kind"]) == (date(2015, 8, 5), 2, "range")
    s = first(nlp, "سيطر المقاتلون على البلدة الشهر الماضي.")
    assert (s.data["date"], s.data["precision"]) == (date(2015, 7, 15), 3)


def test_past_month_in_both_series(nlp):
    assert found(nlp, "شهد تموز الماضي مقتل 844 مدنيا.") == [("تموز الماضي", date(2015, 7, 15), 3, "month")]
    assert found(nlp, "شهد شهر يوليو الماضي مقتل 844 مدنيا.") == [("شهر يوليو الماضي", date(2015, 7, 15), 3, "month")]
    # a later month than publication without a year is last year's
    assert found(nlp, "وقعت المجزرة في شهر كانون الأول.") == [("شهر كانون الأول", date(2014, 12, 15), 3, "month")]


@pytest.mark.parametrize("text, expected", [
    ("وقع الانفجار في 3 آب 2015.", date(2015, 8, 3)),
    ("وقع الانفجار في 3 أغسطس 2015.", date(2015, 8, 3)),
    ("وقع الانفجار في 20 تموز/ يوليو.", date(2015, 7, 20)),
    ("وقع الانفجار في 6 من أغسطس (آب).", date(2015, 8, 6)),
    ("وقع الانفجار في الخامس من حزيران.", date(2015, 6, 5)),
    ("وقع الانفجار في ١٢ شباط ٢٠١٥.", date(2015, 2, 12)),
    ("وقع الانفجار يوم الأحد 2 أغسطس.", date(2015, 8, 2)),
    ("وقع الانفجار في 12 تشرين الثاني 2014.", date(2014, 11, 12)),
    ("وقع الانفجار في 12 كانون الثاني 2015.", date(2015, 1, 12)),
])
def test_absolute_dates(nlp, text, expected):
    s = first(nlp, text)
    assert s.data["date"] == expected and s.data["precision"] == 1, text


def test_hijri_dates(nlp):
    s = first(nlp, "صدر البيان في 20 شوال 1436 هـ.")
    assert (s.data["date"], s.data["kind"], s.data["precision"]) == (date(2015, 8, 5), "hijri", 1)
    # without a year: the latest such day on or before publication
    s = first(nlp, "وقع التفجير في 15 رمضان.")
    assert s.data["date"] == date(2015, 7, 2)
    s = first(nlp, "وقعت التفجيرات في رمضان الماضي.")
    assert s.data["precision"] == 3 and s.data["kind"] == "hijri"


def test_iso_like_dates(nlp):
    assert [x[1] for x in found(nlp, "التاريخ 2015-08-03 و 03/08/2015")] == [date(2015, 8, 3)] * 2


def test_future_dates_are_marked(nlp):
    s = first(nlp, "سيعقد الاجتماع يوم الأحد المقبل.")
    assert s.data["future"] and not s.data["valid"] and s.data["date"] == date(2015, 8, 9)
    s = first(nlp, "تبدأ المفاوضات في 20 أغسطس.")
    assert s.data["future"] and not s.data["valid"]


def test_without_publication_date(nlp):
    s = first(nlp, "بدأت العملية قبل 4 أيام على حمص.", pub=None)
    assert s.data["date"] is None and s.label == "" and s.data["offset"] == -4 and not s.data["valid"]
    s = first(nlp, "وقع الانفجار في 3 آب 2015.", pub=None)
    assert s.data["date"] == date(2015, 8, 3)


def test_words_that_are_not_dates(nlp):
    assert found(nlp, "عاد في اليوم التالي إلى منزله.") == []
    assert found(nlp, "قال الأب إن ابنه في الخارج.") == []
    assert found(nlp, "انتهت المباراة بنتيجة 5 صفر.") == []
    assert found(nlp, "اتفق الاثنان على التهدئة.") == []


def test_since_and_years(nlp):
    s = first(nlp, "منذ عام 2012 والحرب مستمرة.")
    assert s.data["kind"] == "year" and s.data["year"] == 2012 and s.data["since"] and s.data["date"] is None


def test_no_crash_on_impossible_dates(nlp):
    for text in ("في 31 شباط 2015", "في 45 تموز", "2015-13-45", "في 30 ذو الحجة 1999 هـ", "منذ 9999 يوما"):
        nlp(text, THU)


def test_impossible_dates_resolve_to_no_date(nlp):
    # a day the month does not have is kept as an unresolved date, never moved to a real one
    assert [(t, d) for t, d, _, _ in found(nlp, "في 31 شباط 2015")] == [("31 شباط 2015", None)]
    for text in ("في 45 تموز", "2015-13-45", "منذ 9999 يوما"):
        assert [d for _, d, _, _ in found(nlp, text) if d is not None] == [], text


def test_a_night_across_two_days_is_dated_by_its_last_day(nlp):
    # CODING.md: an incident over several named days is coded on its last day
    assert found(nlp, "قصفت الطائرات البلدة ليل الثلاثاء - الأربعاء.") == [
        ("ليل الثلاثاء - الأربعاء", date(2015, 8, 5), 1, "weekday")]
    assert first(nlp, "ليلة الاثنين/الثلاثاء").data["date"] == date(2015, 8, 4)
    assert first(nlp, "في ساعات متأخرة من ليل الأحد الاثنين").data["date"] == date(2015, 8, 3)
    # two days that do not follow each other are two dates
    assert [d for _, d, _, _ in found(nlp, "يومي الأحد والأربعاء")][:1] == [date(2015, 8, 2)]


def test_since_a_weekday_is_not_a_day_ago(nlp):
    # منذ يوم الجمعة: since Friday, not "a day ago"
    [s] = nlp("ومنذ يوم الجمعة تقصف تركيا مواقع التنظيم.", date(2015, 7, 30)).layer("dates")
    assert (s.data["date"], s.data["kind"], s.data["since"]) == (date(2015, 7, 24), "weekday", True)


def test_a_part_of_the_day_keeps_the_weekday_with_its_date(nlp):
    # "فجر الجمعة 31 يوليو الماضي": the day of the month, not the last Friday before the report
    s = first(nlp, "هاجم مستوطنون منزل العائلة فجر الجمعة 31 يوليو الماضي.", date(2015, 8, 9))
    assert (s.data["date"], s.data["kind"]) == (date(2015, 7, 31), "absolute")


def test_a_day_of_this_or_last_month_with_its_weekday(nlp):
    # "the 20th of this month" with its weekday agreeing is that day (a recalled bombing was coded
    # on the report's day from الشهر الحالي alone; docs/linking.md, dt61)
    pub = date(2015, 7, 31)
    assert found(nlp, "يوم الاثنين في الـ20 من الشهر الحالي نفذ انتحاري عملية في مدينة سروج.", pub) == [
        ("يوم الاثنين في الـ20 من الشهر الحالي", date(2015, 7, 20), 1, "absolute")]
    assert first(nlp, "قتل ثلاثة مساء الأحد الخامس من الشهر الماضي.", date(2015, 8, 3)).data["date"] == date(2015, 7, 5)
    # a weekday that does not agree, or none: the day of the month is not read
    assert date(2015, 7, 20) not in [d for _, d, _, _ in found(nlp, "يوم الثلاثاء في الـ20 من الشهر الحالي.", pub)]
    assert [p for _, _, p, _ in found(nlp, "قتل ثلاثة في 15 من الشهر الماضي.", pub)] == [3]
