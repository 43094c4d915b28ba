"""Organisation names through the tagger's clean-up: a name right after a word for a kind of
organisation (data/name_heads.tsv), a quoted name after one, and an untagged name after a
newspaper or club word (data/untagged_heads.tsv); and no name starting at an organisation word
that is an adjective there (اللجنة المنظمة: data/adjective_heads.tsv); and an organisation
named by its kind and an adjective going on through its complement with لل."""

from marsad.doc import Doc
from marsad.ner.features import adjective_heads, name_heads, untagged_heads
from marsad.ner.tagger import (QUOTED_SCORE, UNTAGGED_SCORE, Mention, _after_head, _describes, _quoted_names,
                               _take_complement, _untagged_names)


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


def test_a_person_after_an_organisation_word_stays_a_person():
    assert tagged("تقدمت قوات صالح نحو المدينة.", "PER", "صالح") == ("PER", "صالح")


def test_the_table_reads_its_data_file():
    heads = name_heads()
    assert heads["جامعه"] is True and heads["جريده"] is False and "الجامعه" not in heads and "قناه" not in heads


def quoted(text, mentions=()):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    ms = [Mention(typ, words.index(Doc(a).tokens[0].norm), words.index(Doc(b).tokens[0].norm), 0.5)
          for typ, a, b in mentions]
    return {(m.type, " ".join(words[m.first:m.last + 1]), m.score) for m in _quoted_names(doc, ms)}


def test_a_quoted_name_after_an_organisation_word_is_one_organisation():
    # the tagger's place and person inside the quotes give way to the one name
    assert quoted('أطلقتها جمعية " كاريكاتير إيران " في طهران.',
                  [("PER", "كاريكاتير", "كاريكاتير"), ("LOC", "إيران", "إيران"), ("LOC", "طهران", "طهران")]) == {
        ("ORG", "كاريكاتير ايران", QUOTED_SCORE), ("LOC", "طهران", 0.5)}
    assert quoted("ذكرت شركة « أمريكان أكسبريس » السعودية أن الظروف تحسنت.") == {
        ("ORG", "امريكان اكسبريس", QUOTED_SCORE)}


def test_quotes_not_after_an_organisation_word_or_too_long_change_nothing():
    assert quoted('قال الوزير " سنرد على العدوان " أمس.') == set()
    assert quoted("وكتبت صحيفة « " + " ".join(["كلمة"] * 8) + " » أمس.") == set()
    assert quoted('وكتبت صحيفة " السفير أمس.') == set()
    # with its article the word is the organisation itself; a place word is no organisation word
    assert quoted("وقصف التحالف « نفق التواهي » أمس.") == set()
    assert quoted('واشتبك المسلحون في مديرية " أرحب " شمال صنعاء.') == set()


def test_through_the_pipeline_the_quoted_newspaper_is_no_place_but_its_place_mention_stays():
    from marsad.pipeline import Pipeline

    doc = Pipeline()("وكتبت صحيفة « القدس » أن الاحتلال قصف مدينة غزة.")
    assert {(e["type"], e["text"]) for e in doc.entities} == {("ORG", "القدس"), ("LOC", "غزة")}
    assert "القدس" in {p.text for p in doc.layer("places")}   # still context for the events


def untagged(text, mentions=()):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    ms = [Mention(typ, words.index(Doc(a).tokens[0].norm), words.index(Doc(b).tokens[0].norm), 0.5)
          for typ, a, b in mentions]
    return {(m.type, " ".join(words[m.first:m.last + 1]), m.score) for m in _untagged_names(doc, ms)}


def test_an_untagged_word_with_the_article_after_a_newspaper_or_club_word_is_its_name():
    assert untagged("ونقلت صحيفة الأهرام عن مصادر مطلعة أن الاجتماع تأجل.") == {
        ("ORG", "الاهرام", UNTAGGED_SCORE)}
    # through a proclitic of the head word, and beside the tagger's other mentions
    assert untagged("وقال المدرب لجريدة الوفاق إن فريقه جاهز للقاء بنادي الزمالك في القاهرة.",
                    [("LOC", "القاهرة", "القاهرة")]) == {
        ("ORG", "الوفاق", UNTAGGED_SCORE), ("ORG", "الزمالك", UNTAGGED_SCORE), ("LOC", "القاهره", 0.5)}


def test_no_name_without_the_article_or_the_construct_state_or_a_listed_word():
    assert untagged("وتصدر صحيفة يومية في المدينة.") == set()
    assert untagged("وقال رئيس النادي الأهلي إن ...") == set()      # the head word with its article
    assert untagged("وكتبت مجلة الكتاب عن الرواية.") == set()       # مجلة: not in the table
    assert untagged("وكتبت صحيفة، الأهرام أمس.") == set()             # not next to the head word
    assert untagged("وانضم لنادي الى جانب ...") == set()             # too short to be a name (إلى)


def test_a_word_the_tagger_tagged_is_left_to_the_tagger():
    assert untagged("ونشرت جريدة القدس العربي مقالا.", [("LOC", "القدس", "القدس")]) == {("LOC", "القدس", 0.5)}
    assert untagged("ونشرت جريدة الشرق الأوسط مقالا.", [("ORG", "جريدة", "الأوسط")]) == {
        ("ORG", "جريده الشرق الاوسط", 0.5)}


def test_the_untagged_heads_table_reads_its_data_file():
    heads = untagged_heads()
    assert {"صحيفه", "جريده", "نادي"} <= heads and "مجله" not in heads and "الصحيفه" not in heads


def test_through_the_pipeline_the_newspaper_the_tagger_left_out_is_an_organisation():
    from marsad.pipeline import Pipeline

    doc = Pipeline()("ونقلت جريدة الصباح عن مصدر أمني أن انفجارا وقع في بغداد.")
    assert {(e["type"], e["text"]) for e in doc.entities} == {("ORG", "الصباح"), ("LOC", "بغداد")}


def describes(text, word):
    doc = Doc(text)
    return _describes(doc, [t.norm for t in doc.tokens].index(Doc(word).tokens[0].norm))


def test_the_organising_committee_is_no_organisation_named_the_organisation():
    assert describes("وأقامت اللجنة المنظمة للبطولة حفلا للوفود.", "المنظمة")
    # the organisation itself: after a preposition, a verb, a word without the article, a comma
    assert not describes("وطلب ضمانات من المنظمة الدولية أمس.", "المنظمة")
    assert not describes("كثفت المنظمة الدولية تحركاتها.", "المنظمة")
    assert not describes("وقال رئيس لجنة المنظمة إن ...", "المنظمة")
    assert not describes("وقالت اللجنة، المنظمة الدولية ...", "المنظمة")
    assert not describes("وأقامت اللجنة المنظمة للبطولة حفلا.", "اللجنة")   # not a listed word


def test_the_adjective_heads_table_reads_its_data_file():
    assert "المنظمه" in adjective_heads() and "منظمه" not in adjective_heads()


def completed(text, name, stop=None):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    first = words.index(Doc(name).tokens[0].norm)
    m = Mention("ORG", first, first + len(name.split()) - 1, 0.8)
    _take_complement(doc, m, len(words) if stop is None else words.index(Doc(stop).tokens[0].norm))
    return " ".join(words[m.first:m.last + 1])


def test_an_organisation_goes_on_through_its_complement_with_lil():
    assert completed("وقالت المنظمة العالمية للملكية الفكرية إن ...", "المنظمة العالمية") == (
        "المنظمه العالميه للملكيه الفكريه")
    assert completed("وأعلن البنك الآسيوي للتنمية منح الصين قرضا.", "البنك الآسيوي") == "البنك الاسيوي للتنميه"


def test_no_complement_without_a_kind_word_an_adjective_or_next_to_it():
    # the name ends in a noun, not an adjective (مجلس الأمن للحصول على: a purpose)
    assert completed("اجتمع مجلس الأمن للحصول على تفويض.", "مجلس الأمن") == "مجلس الامن"
    # a name with a noun in it: the complement is the object of the word before the name
    assert completed("بشأن استنكار جامعة الدول العربية للقصف على القرى.", "جامعة الدول العربية") == (
        "جامعه الدول العربيه")
    # no word for a kind of organisation first
    assert completed("وقال المتحدث الرسمي للوزارة إن ...", "المتحدث الرسمي") == "المتحدث الرسمي"
    assert completed("وقالت المنظمة العالمية ، للملكية ...", "المنظمة العالمية") == "المنظمه العالميه"
    # a complement that is another mention stays that mention's
    assert completed("وقالت المنظمة العربية للسودان إن ...", "المنظمة العربية", stop="للسودان") == (
        "المنظمه العربيه")


def test_an_outlet_goes_on_through_net_its_web_edition():
    from marsad.ner.features import org_tails
    from marsad.ner.tagger import _take_tail

    def tailed(text, name, stop=None):
        doc = Doc(text)
        words = [t.norm for t in doc.tokens]
        first = words.index(Doc(name).tokens[0].norm)
        m = Mention("ORG", first, first + len(name.split()) - 1, 0.8)
        _take_tail(doc, m, len(words) if stop is None else words.index(stop))
        return " ".join(words[m.first:m.last + 1])

    assert "نت" in org_tails()
    assert tailed("وقال موفد الجزيرة نت إن القوات تقدمت.", "الجزيرة") == "الجزيره نت"
    assert tailed("وقال موفد الجزيرة ، نت ...", "الجزيرة") == "الجزيره"
    assert tailed("وقال موفد الجزيرة نت إن ...", "الجزيرة", stop="نت") == "الجزيره"
    assert tailed("وقال موفد الجزيرة إن نت ...", "الجزيرة") == "الجزيره"


def test_every_word_a_head_is_read_in_is_one_the_clean_up_looks_at():
    # _clean asks _after_head only after a word of _head_forms: a head behind any proclitic that
    # _head_of reads must be there, or its organisation would stay a place
    from marsad.ner.tagger import _head_forms, _head_of
    from marsad.text import PROCLITICS
    for w in name_heads():
        for p in ("",) + PROCLITICS:
            assert _head_of(p + w) is None or p + w in _head_forms(), p + w


def cleaned(text, typ, name, flags=None):
    """The mention over name after the tagger's clean-up, flags: the tokens' gazetteer bits."""
    import numpy as np
    from marsad.ner.tagger import Tagger
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    first = words.index(Doc(name).tokens[0].norm)
    m = Mention(typ, first, first + len(name.split()) - 1, 0.8)
    bits = None if flags is None else np.array([flags.get(w, 0) for w in words], dtype=np.uint8)
    out = Tagger._clean(None, doc, [m], bits)
    return out[0] if out else None


def test_the_clean_up_makes_a_place_after_a_head_word_an_organisation():
    m = cleaned("دعا المتحدث باسم لمنظمة زيورخ إلى وقف القتال.", "LOC", "زيورخ")
    assert (m.type, m.first) == ("ORG", 3)    # لمنظمة taken in, through its proclitic
    m = cleaned("ونشرت جريدة القدس مقابلة مع الوزير.", "LOC", "القدس")
    assert (m.type, m.first) == ("ORG", 2)    # جريدة left out
    assert cleaned("قصفت الطائرات مدينة حلب أمس.", "LOC", "حلب").type == "LOC"
    assert cleaned("القدس مدينة قديمة.", "LOC", "القدس").type == "LOC"   # nothing before it


def test_the_clean_up_marks_the_names_a_gazetteer_name_covers():
    # bit 2: a gazetteer name; bit 1: one that is no common word
    loc = cleaned("قصفت الطائرات مدينة حلب أمس.", "LOC", "حلب", {"حلب": 2})
    assert loc.gazetteer and not loc.in_gazetteer
    assert not cleaned("قصفت الطائرات مدينة حلب أمس.", "LOC", "حلب", {"امس": 3}).gazetteer
    org = cleaned("درس في معهد الدراسات العليا طويلا.", "ORG", "معهد الدراسات العليا", {"العليا": 3})
    assert org.in_gazetteer and not org.gazetteer
    assert not cleaned("درس في معهد الدراسات العليا طويلا.", "ORG", "معهد الدراسات العليا",
                       {"العليا": 2}).in_gazetteer


def test_a_quoted_name_after_an_organisation_word_replaces_the_mentions_inside_only():
    doc = Doc('قال أحمد إن صحيفة " السفير اللبنانية " نشرت في بيروت تقريرا')
    words = [t.norm for t in doc.tokens]
    i, j = words.index("السفير"), words.index("بيروت")
    given = [Mention("PER", 1, 1, 0.7), Mention("LOC", i, i, 0.6), Mention("LOC", j, j, 0.8)]
    got = [(m.type, m.first, m.last) for m in _quoted_names(doc, given)]
    assert got == [("PER", 1, 1), ("ORG", i, i + 1), ("LOC", j, j)]
    # not after the word with its article: the mentions stay
    doc = Doc('قال أحمد إن الصحيفة " السفير اللبنانية " نشرت')
    assert _quoted_names(doc, given[:2]) == given[:2]


def test_of_overlapping_listed_names_the_longer_is_read_first_come_among_equals():
    from random import Random

    from marsad.ner.tagger import _longest

    def reference(orgs):   # the definition: longer first, ties by start; none overlapping a kept one
        kept = []
        for o in sorted(orgs, key=lambda o: (o[0] - o[1], o[0])):
            if all(o[1] <= k[0] or k[1] <= o[0] for k in kept):
                kept.append(o)
        return kept

    assert _longest([(0, 2, 0), (1, 4, 1), (4, 5, 4), (3, 5, 3)]) == [(1, 4, 1), (4, 5, 4)]
    rnd = Random(4)
    for _ in range(300):
        orgs = []
        for _ in range(rnd.randrange(0, 30)):
            i = rnd.randrange(0, 40)
            orgs.append((i, i + rnd.randrange(1, 6), i))
        assert _longest(orgs) == reference(orgs)


def test_a_head_word_at_the_texts_end_names_nothing():
    assert untagged("ونقلت صحيفة الأهرام عن صحيفة") == {("ORG", "الاهرام", UNTAGGED_SCORE)}
