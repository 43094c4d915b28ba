"""Which day an event is coded on (CODING.md event_date and "Dates and scope, finer points"),
through the real default pipeline, and the date measure of scripts/date_errors.py."""

from datetime import date

import pytest

from marsad.components.events.passage import carries, paragraph_sizes
from marsad.pipeline import default_pipeline

PUB = date(2015, 8, 10)     # a Monday


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def dates(nlp, text, published=PUB):
    return [e["event_date"] for e in nlp(text, published).events]


def test_yesterday_of_a_longer_paragraph_does_not_date_the_next_one(nlp):
    # the surrounding passage is the same paragraph: a paragraph of two sentences ends its passage
    text = ("قصفت قوات النظام مدينة دوما أمس، ما أدى إلى مقتل خمسة مدنيين. وقال ناشطون إن القصف كان عنيفا.\n"
            "وقتل ثلاثة مدنيين في غارة للطيران الحربي على بلدة عربين.")
    assert dates(nlp, text) == ["2015-08-09", "2015-08-10"]


def test_yesterday_does_not_skip_a_paragraph(nlp):
    text = ("قصفت قوات النظام مدينة دوما أمس، ما أدى إلى مقتل خمسة مدنيين.\n"
            "وأعلن المرصد السوري أن عدد القتلى مرشح للارتفاع.\n"
            "وقتل ثلاثة مدنيين في غارة للطيران الحربي على بلدة عربين.")
    assert dates(nlp, text) == ["2015-08-09", "2015-08-10"]


def test_agency_copy_one_sentence_paragraphs_keep_yesterday(nlp):
    text = ("قصفت قوات النظام مدينة دوما أمس، ما أدى إلى مقتل خمسة مدنيين.\n"
            "وقتل ثلاثة مدنيين آخرين في غارة للطيران الحربي على بلدة عربين.")
    assert dates(nlp, text) == ["2015-08-09", "2015-08-09"]


def test_paragraph_sizes_and_carrying():
    norm = "a. b.\nc.\nd."
    para, sizes = paragraph_sizes(norm, [(0, 2), (3, 5), (6, 8), (9, 11)])
    assert para == [0, 0, 1, 2] and sizes == [2, 1, 1]
    assert carries("relative", 1, 1, 1)
    assert not carries("relative", 1, 2, 1) and not carries("relative", 2, 1, 1)
    assert not carries("weekday", 1, 1, 1)


@pytest.mark.parametrize("text, expected, kind", [
    # the night before last: not tonight (CODING.md: a night is coded on the day it began)
    ("صدت القوات هجوما في ساعة متأخرة من الليلة قبل الماضية.", date(2015, 8, 4), "relative"),
    ("قتل خمسة في غارة يوم الجمعة قبل الماضي.", date(2015, 7, 24), "weekday"),
    ("وقعت الاشتباكات خلال الأسبوع قبل الماضي.", date(2015, 7, 23), "week"),
    ("قصفت الطائرات البلدة الليلة الماضية.", date(2015, 8, 5), "relative"),
    ("قتلت قوات الاحتلال فجر الأول من أمس شابا.", date(2015, 8, 4), "relative"),
    ("أعلنت الشرطة قبل أمس اعتقال ثلاثة.", date(2015, 8, 4), "relative"),
])
def test_days_before_last(text, expected, kind):
    from marsad.pipeline import Pipeline
    [span] = Pipeline(["dates"])(text, date(2015, 8, 6)).layer("dates")
    assert (span.data["date"], span.data["kind"]) == (expected, kind)


def test_the_year_before_last_gives_no_day():
    from marsad.pipeline import Pipeline
    assert not [s for s in Pipeline(["dates"])("فاز الفريق في العام قبل الماضي.", date(2015, 8, 6)).layer("dates")
                if s.data.get("date")]


def test_the_start_of_ongoing_fighting_does_not_date_what_follows(nlp):
    # منذ ثلاثة أيام tells when the fighting began; the next sentence is news of the report's day
    text = ("وتتواصل الاشتباكات بين قوات النظام والفصائل في مدينة الزبداني منذ ثلاثة أيام. "
            "وقتل خمسة مدنيين في غارة للطيران الحربي على بلدة مضايا.")
    evs = nlp(text, PUB).events
    assert evs and evs[-1]["event_date"] == "2015-08-10"


def test_a_recalled_attack_of_monday_is_dated_monday(nlp):
    # الاثنين is also "the two"; after a verb of occurrence it is the day (docs/rounds/linking.md: the
    # Suruc bombing coded on each later report's own day)
    text = "وتعرفت الشرطة التركية على منفذ الهجوم الانتحاري الذي وقع الاثنين في مدينة سروج وأودى بحياة 32 شخصا."
    [ev] = nlp(text, date(2015, 7, 22)).events
    assert (ev["sub_event_type"], ev["event_date"]) == ("Suicide bomb", "2015-07-20")


def test_the_two_is_not_monday():
    from marsad.pipeline import Pipeline
    assert not Pipeline(["dates"])("وقتل الاثنين في الاشتباك بين الاثنين.", PUB).layer("dates")


def test_the_night_with_no_day_named_is_the_night_before_the_report(nlp):
    # CODING.md Overnight: last night is the day before publication
    [ev] = nlp("شنت طائرات التحالف خلال الليل غارات على مواقع الحوثيين في مدينة صعدة.", PUB).events
    assert ev["event_date"] == "2015-08-09"


def test_the_night_gives_way_to_any_other_day(nlp):
    # a day said in the sentence, or the paragraph's day, dates the incident; the night does not
    said = nlp("شنت طائرات التحالف خلال الليل الجمعة غارات على مواقع الحوثيين في مدينة صعدة.", PUB).events
    carried = nlp("قصفت قوات النظام مدينة دوما يوم السبت. وقتل ثلاثة مدنيين ليلا في غارة على بلدة عربين.",
                  PUB).events
    assert [e["event_date"] for e in said] == ["2015-08-07"]
    assert carried and carried[-1]["event_date"] == "2015-08-08"


def test_the_night_does_not_date_the_next_sentence(nlp):
    text = ("شنت طائرات التحالف خلال الليل غارات على مواقع الحوثيين في مدينة صعدة. "
            "وقتل ثلاثة مدنيين في غارة للطيران الحربي على بلدة عربين في ريف دمشق.")
    evs = nlp(text, PUB).events
    assert evs[0]["event_date"] == "2015-08-09" and evs[-1]["event_date"] == "2015-08-10"


def test_date_errors_names_the_cause_of_a_wrong_date():
    # scripts/date_errors.py puts each wrong date under one of CODING.md's date rules; the day of
    # a statement ("قال ... أمس إن") is told apart from a day of the incident's own sentence
    import sys
    from pathlib import Path
    from types import SimpleNamespace

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import date_errors  # noqa: E402  (scripts/date_errors.py)

    pub = date(2015, 8, 6)

    def why(text, src="sentence"):
        doc = default_pipeline()(text, pub)
        cue = doc.layer("dates")[0]
        return date_errors.cause(SimpleNamespace(doc=doc), None, cue, src)

    assert why("وقال المرصد السوري أمس إن الطائرات قصفت البلدة.") == "statement's day"
    assert why("قصفت الطائرات البلدة أمس وقتلت ثلاثة مدنيين.") == "relative day, own sentence"
    assert why("قصفت الطائرات البلدة أمس وقتلت ثلاثة مدنيين.", "passage") == "carried from another sentence"
    assert why("اندلعت المواجهات مساء الأحد في المدينة.") == "weekday or night"
    assert date_errors.cause(None, None, None, "publication") == "no cue: publication day"


def test_monday_after_a_toll_noun(nlp):
    # الاثنين is "the two" too: after an indefinite toll noun it is the day (the Suruc bombing's
    # later reports; docs/linking.md, dt51)
    text = "وكان الهجوم الذي أوقع 32 قتيلا ومئة جريح الاثنين في سوروتش قد تبناه تنظيم داعش."
    evs = nlp(text, date(2015, 7, 24)).events
    assert evs and evs[0]["event_date"] == "2015-07-20"
