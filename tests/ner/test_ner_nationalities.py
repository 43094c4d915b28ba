"""Country adjectives around persons (persons.introduced_names, persons.nationalities_dropped): a
foreign name after a nationality of data/nationalities.tsv, which the places gazetteer lacks
(الكونغولي، الصربية), also after لل (للكيني); the adjective itself is no part of a person
(والأرجنتيني | ميسي) nor a person alone (الرئيس الكوبي)."""

from marsad.doc import Doc
from marsad.ner.features import word_list
from marsad.ner.nationalities import country_adjective, country_adjectives
from marsad.ner.persons import introduced_names, nationalities_dropped
from ner_mentions import person_mentions


def introduced(text, *names):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    return [" ".join(words[m.first:m.last + 1]) for m in introduced_names(doc, person_mentions(doc, *names))]


def dropped(text, *names):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    return [" ".join(words[m.first:m.last + 1]) for m in nationalities_dropped(doc, person_mentions(doc, *names))]


def test_the_listed_nationalities_in_both_genders():
    listed = word_list("nationalities.tsv")
    assert {"ايطالي", "كونغولي", "كونجولي", "روسي"} <= listed
    assert {"ايطالي", "ايطاليه", "صربيه", "كونغولي"} <= country_adjectives()
    assert "مالي" not in listed   # also "financial"


def test_a_country_adjective_needs_its_article():
    # the gazetteer's (الفرنسيه) and the list's (الكونغولي) alike; behind a proclitic the callers
    # read the stem (persons._readings)
    assert country_adjective("الفرنسيه") and country_adjective("الكونغولي") and country_adjective("الايطاليه")
    assert not country_adjective("ايطالي") and not country_adjective("والايطالي") and not country_adjective("المالي")


def test_a_foreign_name_after_a_listed_nationality():
    assert introduced("مليون يورو واللاعب الكونغولي شاباني نوندا مقابل جلب الشماخ") == ["شاباني نوندا"]
    assert introduced("صفر ، والصربية يلينا يانكوفيتش على التشيكية") == ["يلينا يانكوفيتش"]
    assert introduced("والمرتبة الثالثة للكيني كيبلاغات كيبكورير .") == ["كيبلاغات كيبكورير"]


def test_a_name_at_the_end_of_the_text():
    # the words after the name are looked for past the last token
    assert introduced("ولعب التشيكي بافل ندفيد") == ["بافل ندفيد"]


def test_no_name_of_two_accusative_words():
    # عزما أكيدا "a firm resolve": indefinite accusatives of words of the news, not a foreign name
    assert introduced("وقال ان لديه والرئيس الاميركي عزما اكيدا على التعامل") == []


def test_the_nationality_is_no_part_of_a_person():
    assert dropped("لكن نجميه رونالدينيو والأرجنتيني ميسي أضاعا فرصا", "والأرجنتيني ميسي") == ["ميسي"]
    assert dropped("ذلك امتنانا من الرئيس الكوبي للمساعدة", "الكوبي") == []
    assert dropped("رؤساء الوزراء الايطالي والفنلندي والتركي", "والتركي") == []
    assert dropped("وقال الرئيس بشار الأسد", "بشار الأسد") == ["بشار الاسد"]
