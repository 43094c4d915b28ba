"""Normalisation, offsets, sentences, tokens and the lexicon matcher."""

from marsad.doc import Doc
from marsad.lexicon import PhraseMatcher
from marsad.text import normalize, normalize_key, split_sentences, strip_proclitics


def test_normalisation_folds_letter_forms_digits_and_marks():
    assert normalize_key("إِسْتَهْدَفَتْ") == "استهدفت"
    assert normalize_key("قــــصف") == "قصف"
    assert normalize_key("مستشفى الحكمة") == "مستشفي الحكمه"
    assert normalize_key("٢٣ قتيلاً و۱۵ جريحاً") == "23 قتيلا و15 جريحا"
    assert normalize_key("مسؤول، «قال»؟") == 'مسوول, "قال"?'


def test_offsets_map_every_normalised_char_back_to_the_original():
    text = "قُتِلَ ٣ مدنيين في حمص"
    norm, offsets = normalize(text)
    assert len(offsets) == len(norm) + 1
    # the digit 3 in the normalised text points at the Eastern digit in the original
    i = norm.index("3")
    assert text[offsets[i]] == "٣"
    doc = Doc(text)
    a = doc.norm.index("حمص")
    s = doc.span(a, a + 3, "LOC")
    assert s.text == "حمص" and text[s.start:s.end] == "حمص"
    # a span over a word whose diacritics were dropped still covers the whole original word
    s = doc.span(0, 3, "x")
    assert s.text == "قُتِلَ"


def test_sentences_split_on_stops_and_lines_but_not_decimals():
    norm = normalize_key("قصف عنيف على حلب. سقط 2.5 طن من المتفجرات؟ وفي اليوم التالي\nعنوان آخر")
    sents = [norm[a:b] for a, b in split_sentences(norm)]
    assert sents == ["قصف عنيف علي حلب.", "سقط 2.5 طن من المتفجرات?", "وفي اليوم التالي", "عنوان اخر"]


def test_proclitics_are_offered_as_readings():
    readings = dict(strip_proclitics("وبالقصف"))
    assert readings["وبال"] == "قصف"
    assert ("", "وبالقصف") in strip_proclitics("وبالقصف")


def test_readings_come_bare_first_and_in_a_list_of_their_own():
    # the bare word first, then the longest proclitic first; a word with none has only itself
    assert strip_proclitics("والجيش") == [("", "والجيش"), ("وال", "جيش"), ("و", "الجيش")]
    assert strip_proclitics("حمص") == [("", "حمص")]
    assert strip_proclitics("وحمص", min_stem=3) == [("", "وحمص"), ("و", "حمص")]
    # the readings are kept per word: a caller that changes its list changes no later answer
    for word in ("والجيش", "حمص"):
        strip_proclitics(word).clear()
        assert strip_proclitics(word)[0] == ("", word)
    assert len(strip_proclitics("والجيش")) == 3


def test_readings_keep_no_objects_per_word():
    # issue 16: the cache keeps, per word, one of a few shared tuples of proclitics, not pairs
    # and stems of its own; the readings made from them are those of every proclitic that fits
    from marsad.text import tokens
    words = [p + stem for p in ("و", "ف", "ب", "وال", "بال", "لل", "") for stem in
             ("حمص", "جيش", "مدينه", "قصف", "شرطه", "سوق", "معبر", "قريه")]
    for w in words:
        expect = [("", w)] + [(p, w[len(p):]) for p in tokens.PROCLITICS
                              if w.startswith(p) and len(w) - len(p) >= 2]
        assert strip_proclitics(w) == sorted(expect, key=lambda r: -len(r[0]) if r[0] else -99)
    kept = {id(tokens._READINGS[w]) for w in words}
    assert len(kept) <= len({tuple(p for p, _ in strip_proclitics(w)[1:]) for w in words})


def test_matcher_accepts_clitics_and_declared_suffixes_only():
    m = PhraseMatcher([
        {"pattern": "قصف+", "label": "shelling"},
        {"pattern": "الجيش الحر", "label": "FSA"},
        {"pattern": "=حر", "label": "strict"},
    ])
    text = normalize_key("وقصفت قوات النظام مواقع للجيش الحر ثم بحر القصف")
    found = [(text[x.start:x.end], x.entry["label"]) for x in m.find(text)]
    assert ("وقصفت", "shelling") in found
    assert ("للجيش الحر", "FSA") in found
    assert ("القصف", "shelling") in found
    # بحر is "sea", not ب + حر: the strict entry takes no proclitic
    assert not any(lbl == "strict" for _, lbl in found)


def test_initials_of_a_name_or_an_agency_do_not_end_a_sentence():
    norm, _ = normalize("أصيب المدعو س.ك. وزوجته ر.م بجروح. ونقلت وكالة أ. ف. ب الخبر.")
    sents = [norm[a:b] for a, b in split_sentences(norm)]
    assert sents == ["اصيب المدعو س.ك. وزوجته ر.م بجروح.", "ونقلت وكاله ا. ف. ب الخبر."]


def test_a_stop_without_a_following_space_still_ends_the_sentence():
    norm = normalize_key("قتل خمسة في الغارة.وفي حلب دارت اشتباكات. قال د.محمد إن 2.5 طن سقطت")
    sents = [norm[a:b] for a, b in split_sentences(norm)]
    assert sents == ["قتل خمسه في الغاره.", "وفي حلب دارت اشتباكات.", "قال د.محمد ان 2.5 طن سقطت"]


def test_sentence_ranges_group_tokens_by_sentence():
    from marsad.text import sentence_ranges

    doc = Doc("قصف عنيف على حلب. سقط قتلى! ثم هدأ")
    ranges = list(sentence_ranges(doc.tokens))
    assert [[t.norm for t in doc.tokens[i:j]] for i, j in ranges] == [
        ["قصف", "عنيف", "علي", "حلب"], ["سقط", "قتلي"], ["ثم", "هدا"]]
    assert list(sentence_ranges([])) == []
