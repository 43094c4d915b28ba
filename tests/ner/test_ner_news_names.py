"""A surname the news names as a person wherever it occurs is a person when it stands alone
(persons.news_persons, persons.news_names): بوتين، محفوظ in a sentence that names nobody else. The
words come from the model's `tagged` table (read inside a person in at least 90% of at least 10
news occurrences); given names and common words stay out (عمر، بيان "statement" is no ب + يان)."""

import numpy as np

from marsad.doc import Doc
from marsad.ner.persons import news_names, news_persons
from marsad.ner.selftrain import table_path
from marsad.ner.tagger import MODEL_PATH
from ner_mentions import person_mentions


def found(text, names, *persons, placed=None):
    """The names news_names adds to the given persons (as the tagger would give them)."""
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    mentions = person_mentions(doc, *persons)
    given = {(m.first, m.last) for m in mentions}
    flags = None if placed is None else np.array([w == placed for w in words], dtype=np.uint8)
    out = news_names(doc, mentions, frozenset(names), lambda tok: tok.norm, flags)
    return [" ".join(words[m.first:m.last + 1]) for m in out if (m.first, m.last) not in given]


def test_the_table_keeps_words_read_as_persons_nearly_always(tmp_path):
    table = tmp_path / "m.tagged.tsv"
    table.write_text("# a header\nword\tclass\tcount\ttotal\n"
                     "بوتين\tper\t283\t283\n"          # always a person
                     "عمر\tper\t1179\t2055\n"          # a given name and a word ("age")
                     "ساير\tper\t9\t9\n"               # too rare to tell
                     "جنبلاط\tper\t21\t22\n"
                     "جنبلاط\torg\t1\t22\n", encoding="utf-8")
    assert news_persons(str(table)) == frozenset({"بوتين", "جنبلاط"})
    assert news_persons(str(tmp_path / "absent.tsv")) == frozenset()


def test_the_shipped_table():
    names = news_persons(str(table_path(MODEL_PATH)))
    assert {"بوتين", "محفوظ"} <= names
    assert not {"عمر", "جميل", "بيان"} & names       # a given name and common words


def test_a_surname_alone_is_a_person():
    assert found("وقال بوتين إن روسيا لن تتراجع", {"بوتين"}) == ["بوتين"]
    assert found("لم يقدم عملا لمحفوظ على مدار سنوات", {"محفوظ"}) == ["لمحفوظ"]


def test_no_common_word_behind_a_proclitic():
    # بيان "statement" is a word of the news as a whole: not ب + يان (Yan)
    assert found("وقال الجيش في بيان إن القصف مستمر", {"يان"}) == []


def test_no_cue_word_nor_a_place_nor_inside_a_mention():
    assert found("وقال عمر إن الوضع هادئ", {"عمر"}) == []
    assert found("قصفت الطائرات بلدة حيان أمس", {"حيان"}, placed="حيان") == []
    assert found("وقال فلاديمير بوتين إن روسيا لن تتراجع", {"بوتين"}, "فلاديمير بوتين") == []

