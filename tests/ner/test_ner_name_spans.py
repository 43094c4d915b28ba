"""The tagger's persons completed where they stop short of their name's own words (persons.name_spans):
over the word after a name particle (آل خليفة، أبي وقاص), a family name with the article after a given
name (عبد الكريم الخطابي), the given name before بن / ابن; a rank at the start left out. And a name
right after a reporting verb is its speaker (persons.speakers)."""

from marsad.doc import Doc
from marsad.ner.mention import Mention
from marsad.ner.persons import name_spans, speakers


def spans(text, *names, name_word=lambda tok: True, other=()):
    """The persons name_spans makes of the given ones (each the words of a name in text, the first
    place it stands, as the tagger would give it); other: (type, words) of further mentions."""
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    mentions = []
    for typ, name in [("PER", n) for n in names] + list(other):
        first = words.index(Doc(name).tokens[0].norm)
        mentions.append(Mention(typ, first, first + len(name.split()) - 1, 0.8))
    mentions.sort(key=lambda m: m.first)
    out = name_spans(doc, mentions, name_word)
    return [" ".join(words[m.first:m.last + 1]) for m in out if m.type == "PER"]


def test_a_name_particle_takes_the_word_after_it():
    assert spans("وأعرب الملك حمد بن عيسى آل خليفة عن تقديره", "حمد بن عيسى آل") == ["حمد بن عيسي ال خليفه"]
    assert spans("ضريح الصحابي سعد بن أبي وقاص في المدينة", "سعد بن أبي") == ["سعد بن ابي وقاص"]


def test_not_over_a_kinship_word_a_conjunction_or_another_mention():
    assert spans("أمر صدام حسين ابن عمه علي", "صدام حسين ابن") == ["صدام حسين ابن"]
    assert spans("وقفت أمام أبي وأمي", "أبي") == ["ابي"]
    assert spans("قال أبو الجزيرة", "أبو", other=[("ORG", "الجزيرة")]) == ["ابو"]


def test_a_family_name_after_a_given_name():
    assert spans("الشاي في بيت عبد الكريم الخطابي بأجدير", "عبد الكريم") == ["عبد الكريم الخطابي"]
    # a name word of the news that does not end in ي
    assert spans("ليس توفيق الحكيم عدوا لها", "توفيق") == ["توفيق الحكيم"]
    assert spans("ليس توفيق الحكيم عدوا لها", "توفيق", name_word=lambda tok: False) == ["توفيق"]


def test_no_family_name_after_a_title_word_or_the_preposition():
    assert spans("وأكد محمد الرئيس الجديد", "محمد") == ["محمد"]
    # على (the preposition) is علي once normalised
    assert spans("تعرف على البغدادي", "على", name_word=lambda tok: True) == ["علي"]


def test_the_given_name_before_bin():
    assert spans("خبر استشهاد علي بن أبي طالب في الكوفة", "بن أبي طالب") == ["علي بن ابي طالب"]
    assert spans("سلم على ابن لادن", "ابن لادن") == ["ابن لادن"]
    assert spans("وأصبح خليفة أبو حمزة المصري", "أبو حمزة المصري") == ["ابو حمزه المصري"]


def test_a_rank_at_the_start_is_left_out():
    assert spans("قال الفريق الركن عبدالحميد حجي إن", "الركن عبدالحميد حجي") == ["عبدالحميد حجي"]


def found_speakers(text, strong=lambda tok: True):
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    return [(words[m.first], m.score) for m in speakers(doc, [], strong)]


def test_a_name_after_a_reporting_verb_is_the_speaker():
    assert found_speakers("وأشار السقاف إلى أن المنتدى سيبدأ") == [("السقاف", 0.8)]
    assert found_speakers("العراقي ، اعرب عنان عن الامل") == [("عنان", 0.8)]


def test_no_speaker_that_is_no_name_a_title_or_a_word_with_the_conjunction():
    assert found_speakers("وأشار السقاف إلى أن", strong=lambda tok: False) == []
    assert found_speakers("وقال الرئيس إن") == []
    assert found_speakers("ذكر وببرة أنثى") == []
    assert found_speakers("قال دكتور جرودنر") == []


def test_a_foreign_word_after_a_reporting_verb_is_the_speaker():
    # a word the news does not know, even without the tagger's table
    assert found_speakers("وأعرب داليما عن أمله في", strong=lambda tok: False) == [("داليما", 0.8)]
    assert found_speakers("اعادة كشف للملامح الحقيقية", strong=lambda tok: False) == []
    # a word of the news behind a proclitic and before a pronoun: "her judgement"
    assert found_speakers("فإن رفضت فحكمها حكمه", strong=lambda tok: False) == []
