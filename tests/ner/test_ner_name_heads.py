"""A name right after a word for a kind of organisation (data/name_heads.tsv) is the organisation."""

from marsad.doc import Doc
from marsad.ner.features import name_heads
from marsad.ner.tagger import Mention, _after_head


def tagged(text, typ, name):
    """The doc and a mention of type typ over the words of name (as the tagger would give it)."""
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    first = words.index(Doc(name).tokens[0].norm)
    m = Mention(typ, first, first + len(name.split()) - 1, 0.8)
    _after_head(doc, m, -1)
    return m.type, " ".join(words[m.first:m.last + 1])


def test_a_place_after_a_newspaper_word_is_the_newspaper_without_the_word():
    assert tagged("ونشرت جريدة القدس مقابلة مع الوزير.", "LOC", "القدس") == ("ORG", "القدس")


def test_a_place_after_a_university_word_is_the_university_with_the_word():
    assert tagged("تخرج في جامعة زيورخ عام 1990.", "LOC", "زيورخ") == ("ORG", "جامعه زيورخ")


def test_an_organisation_takes_its_head_word_in_through_a_proclitic():
    assert tagged("دعا الأمين العام لمنظمة الأمم المتحدة إلى وقف القتال.", "ORG", "الأمم المتحدة") == (
        "ORG", "لمنظمه الامم المتحده")


def test_the_word_with_its_article_is_no_head():
    # اللجنة المنظمة: "the organising committee", المنظمة an adjective; and a place after the
    # article-bearing word is left as it is
    assert tagged("وصل وفد الجامعة الأردنية إلى عمان.", "LOC", "الأردنية") == ("LOC", "الاردنيه")
    assert tagged("هرعت فرق الصيانة للشركة السعودية للكهرباء.", "LOC", "السعودية") == ("LOC", "السعوديه")


def test_a_word_not_in_the_table_or_not_next_to_the_name_changes_nothing():
    assert tagged("قصفت الطائرات مدينة حلب أمس.", "LOC", "حلب") == ("LOC", "حلب")
    assert tagged("درس في جامعة « نورث كارولاينا » الأمريكية.", "LOC", "نورث كارولاينا") == (
        "LOC", "نورث كارولاينا")
    assert tagged("قال رئيس حزب الأمة إن ...", "MISC", "الأمة")[0] == "MISC"


def test_the_table_reads_its_data_file():
    heads = name_heads()
    assert heads["جامعه"] is True and heads["جريده"] is False and "الجامعه" not in heads and "قناه" not in heads
