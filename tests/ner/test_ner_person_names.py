"""Person names through the tagger's clean-up (persons.person_names): a person cut before a word
with the conjunction و (بوش وبلير), two persons side by side joined into one (خوسي | لويس
ثاباتيرو), but not at a name word that begins with و (ولد، وليد), before a word the news does not
know (ستيف وارن), nor at a rank, kinship word or title (data/name_breaks.tsv, cues.tsv) or a nisba
adjective (بالكولومبي)."""

from marsad.doc import Doc
from marsad.ner.features import name_breaks, waw_names
from marsad.ner.mention import Mention
from marsad.ner.persons import person_names


def persons(text, *names, typ="PER"):
    """The names of the mentions person_names leaves of the given ones (each the words of a
    name in text, as the tagger would give it)."""
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    mentions, start = [], 0
    for name in names:
        first = words.index(Doc(name).tokens[0].norm, start)
        start = first + len(Doc(name).tokens)   # its words: no punctuation
        mentions.append(Mention(typ, first, start - 1, 0.8))
    return [(m.type, " ".join(words[m.first:m.last + 1])) for m in person_names(doc, mentions)]


def test_a_person_is_cut_before_a_word_with_the_conjunction():
    assert persons("وكرر بوش وبلير خلال لقائهما موقفهما.", "بوش وبلير") == [("PER", "بوش"), ("PER", "وبلير")]
    assert persons("واتهم صالح والحوثي بالتمرد.", "صالح والحوثي") == [("PER", "صالح"), ("PER", "والحوثي")]
    assert persons("وحضر محمد علي وصالح سعيد وخالد أحمد الحفل.", "محمد علي وصالح سعيد وخالد أحمد") == [
        ("PER", "محمد علي"), ("PER", "وصالح سعيد"), ("PER", "وخالد احمد")]


def test_no_cut_at_a_name_word_that_begins_with_waw():
    # ولد: "son of" in Mauritanian names; وليد: a given name of cues.tsv
    assert persons("وقال إسماعيل ولد الشيخ أحمد إن المحادثات مستمرة.", "إسماعيل ولد الشيخ أحمد") == [
        ("PER", "اسماعيل ولد الشيخ احمد")]
    assert persons("وسجل أحمد وليد الهدف الأول.", "أحمد وليد") == [("PER", "احمد وليد")]


def test_no_cut_before_a_word_the_news_does_not_know():
    # وارن is Warren, not و + ارن
    assert persons("وقال الكولونيل ستيف وارن إن الغارات مستمرة.", "ستيف وارن") == [("PER", "ستيف وارن")]


def test_only_persons_are_cut():
    assert persons("وقعت شركة صالح وبلير العقد.", "صالح وبلير", typ="ORG") == [("ORG", "صالح وبلير")]


def test_two_persons_side_by_side_are_one():
    assert persons("يقوم رئيس الحكومة خوسي لويس ثاباتيرو بزيارة.", "خوسي", "لويس ثاباتيرو") == [
        ("PER", "خوسي لويس ثاباتيرو")]
    # a title inside a longer name is part of it (عبد الملك: الملك is a title)
    assert persons("وقال عبد الملك الحوثي في خطاب.", "عبد الملك", "الحوثي") == [("PER", "عبد الملك الحوثي")]


def test_no_join_at_a_rank_a_kinship_word_a_title_a_conjunction_or_a_gap():
    assert persons("وقال العميد الركن قاسم المحمدي إن ...", "الركن", "قاسم المحمدي") == [
        ("PER", "الركن"), ("PER", "قاسم المحمدي")]
    assert persons("ودعا عبدالخالق الحوثي شقيق عبدالملك الحوثي إلى ...", "عبدالخالق الحوثي",
                   "شقيق عبدالملك الحوثي") == [("PER", "عبدالخالق الحوثي"), ("PER", "شقيق عبدالملك الحوثي")]
    # a title standing alone as a person (cues.tsv: الشيخ)
    assert persons("وصل الشيخ أحمد إلى المدينة.", "الشيخ", "أحمد") == [("PER", "الشيخ"), ("PER", "احمد")]
    assert persons("وقال بوش وبلير إن ...", "بوش", "وبلير") == [("PER", "بوش"), ("PER", "وبلير")]
    assert persons("حضر محمد ، أحمد الاجتماع.", "محمد", "أحمد") == [("PER", "محمد"), ("PER", "احمد")]
    # a nisba adjective after a preposition, or alone with its article
    assert persons("تعاقد النادي مع دروغبا بالكولومبي راداميل فالكاو.", "دروغبا بالكولومبي", "راداميل فالكاو") == [
        ("PER", "دروغبا بالكولومبي"), ("PER", "راداميل فالكاو")]
    assert persons("وغنى الأوبرالي أندريه بوتشيللي في الحفل.", "الأوبرالي", "أندريه بوتشيللي") == [
        ("PER", "الاوبرالي"), ("PER", "اندريه بوتشيللي")]


def test_the_tables_read_their_data_files():
    assert {"ولد", "وليد"} <= waw_names() and "وصالح" not in waw_names()
    assert {"الركن", "شقيق"} <= name_breaks() and "محمد" not in name_breaks()


def test_a_person_across_punctuation_is_split_and_quoted_words_left_out():
    assert persons("بين الرئيس الفلسطيني محمود عباس ( أبو مازن ) وعدد من", "محمود عباس ( أبو مازن") == [
        ("PER", "محمود عباس"), ("PER", "ابو مازن")]
    assert persons("وعن المبادرة قال عباس \" مازلنا نبحثها", "عباس \" مازلنا") == [("PER", "عباس")]
    assert persons("واضاف كينيون « لديا مدير فني", "كينيون « لديا") == [("PER", "كينيون")]
    # no piece of digits alone
    assert persons("سجل حسني عبد ربه ( 29 ) هدفا", "حسني عبد ربه ( 29") == [("PER", "حسني عبد ربه")]
