"""Persons the tagger missed where the words before them introduce one (persons.introduced_names): a
given name after a title (الإمام علي), a foreign name after a nationality (والتشيكي بافل ندفيد). Two
surnames joined by و are two persons (persons.person_names: شافيز ولوكاشنكو), but a given name and a
surname beginning with و are one (ستيف وارن، ليوسف وهبي). A ruler's name takes in its regnal
ordinal (persons.name_spans: فرناندو الثالث)."""

from marsad.doc import Doc
from marsad.ner.mention import Mention
from marsad.ner.persons import introduced_names, name_spans, person_names
from ner_mentions import person_mentions


def introduced(text, *names):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    return [" ".join(words[m.first:m.last + 1]) for m in introduced_names(doc, person_mentions(doc, *names))]


def test_a_given_name_after_a_title():
    assert introduced("واستطاع الإمام علي ورجاله أن يحققوا النصر") == ["علي"]
    assert introduced("واستقبل الشيخ أحمد الوفد أمس") == ["احمد"]


def test_no_given_name_that_is_a_function_word():
    # على (the preposition) is علي once normalised; بأن is بان (Ban) once normalised
    assert introduced("وقال الرئيس على هامش القمة") == []
    assert introduced("وصرح الرئيس بأن المحادثات مستمرة") == []


def test_a_foreign_name_after_a_nationality():
    assert introduced("ولعب والتشيكي بافل ندفيد في يوفنتوس") == ["بافل ندفيد"]
    assert introduced("وضم الفريق اللاعب البرازيلي كاكاريتو بونسيفيدو مقابل مليون يورو") == [
        "كاكاريتو بونسيفيدو"]


def test_no_common_word_after_a_nationality():
    # words the news knows, or inflected words it does not (a plural ending)
    assert introduced("وقال المسؤول الفرنسي إن الحكومة مستعدة") == []
    assert introduced("وكان الجنود الفرنسيون يحلقون مفتقرين إلى الدعم") == []


def test_not_inside_another_mention():
    assert introduced("ولعب التشيكي بافل ندفيد أمس", "بافل ندفيد") == ["بافل ندفيد"]


def persons(text, name):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    first = words.index(Doc(name).tokens[0].norm)
    out = person_names(doc, [Mention("PER", first, first + len(name.split()) - 1, 0.8)])
    return [" ".join(words[m.first:m.last + 1]) for m in out]


def test_two_surnames_joined_by_waw_are_two_persons():
    assert persons("وأوضحت منسك أن محادثات شافيز ولوكاشنكو ستتناول المشاكل", "شافيز ولوكاشنكو") == [
        "شافيز", "ولوكاشنكو"]
    assert persons("انضم كانافارو وإيمرسون إلى المدرب", "كانافارو وإيمرسون") == ["كانافارو", "وايمرسون"]


def test_a_given_name_and_a_surname_beginning_with_waw_are_one():
    assert persons("وقال الكولونيل ستيف وارن إن الغارات مستمرة", "ستيف وارن") == ["ستيف وارن"]
    assert persons("وأهدى الفيلم ليوسف وهبي", "ليوسف وهبي") == ["ليوسف وهبي"]
    assert persons("وسجل داني ويلبيك الهدف", "داني ويلبيك") == ["داني ويلبيك"]


def spans(text, name):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    first = words.index(Doc(name).tokens[0].norm)
    out = name_spans(doc, [Mention("PER", first, first + len(name.split()) - 1, 0.8)], lambda tok: True)
    return [" ".join(words[m.first:m.last + 1]) for m in out]


def test_a_ruler_takes_in_his_regnal_ordinal():
    assert spans("التي سقطت في يد فرناندو الثالث ملك قشتالة", "فرناندو") == ["فرناندو الثالث"]
    assert spans("وبارك البابا بنديكت السادس عشر الحجاج", "بنديكت") == ["بنديكت السادس عشر"]
    assert spans("واستقبل الملك عبدالله الثاني الوفد", "عبدالله") == ["عبدالله الثاني"]
    # an ordinal not right after the name
    assert spans("وحل فرناندو في المركز الثالث", "فرناندو") == ["فرناندو"]


def test_one_foreign_word_after_a_title():
    assert introduced("فقد استولى عليها الحاكم القاجاري .") == ["القاجاري"]
    # not a word of the news behind a preposition or future س, nor after د alone (دكتور)
    assert introduced("عن صدام ان الفريق سيقاطع جلسة اليوم") == []
    assert introduced("بمدن رئيسة كالموصل كبرى مدن الشمال") == []
    assert introduced("لسيطرة تنظيم د اعش وقالت المصادر") == []


def test_a_surname_that_is_a_word_of_the_news_with_waw_stays():
    # وايت (White) is a word of the news; ايت is none
    assert persons("ودون ستيوارت وايت الذي تحول الى الاسلام", "ستيوارت وايت") == ["ستيوارت وايت"]


def test_no_regnal_ordinal_that_is_a_rank():
    assert spans("وكان ترتيب محفوظ الثاني على زملائه", "محفوظ") == ["محفوظ"]
