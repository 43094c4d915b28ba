"""A person the tagger found, repeated in the same text outside every mention (persons.repeated_names):
its last word alone, maybe with a proclitic (أغاسي، وبلير), or its words up to the last (مدحت صالح),
is that person; not a word written otherwise (على for علي), a title, rank or name particle (ولد),
a common word of the news (Tagger._name_word), nor a nisba adjective of the word before it."""

from marsad.doc import Doc
from marsad.ner.mention import Mention
from marsad.ner.persons import repeated_names
from marsad.ner.tagger import Tagger
from ner_mentions import person_mentions


def repeats(text, *names, name_word=lambda tok: True):
    """The names repeated_names adds to the given persons (each the words of a name in text, the
    first place it stands, as the tagger would give it)."""
    doc = Doc(text)
    words = [t.norm for t in doc.tokens]
    mentions = person_mentions(doc, *names)
    given = {(m.first, m.last) for m in mentions}
    out = repeated_names(doc, mentions, name_word)
    return [(m.type, " ".join(words[m.first:m.last + 1]), m.score) for m in out if (m.first, m.last) not in given]


def test_a_surname_alone_after_the_full_name():
    assert repeats("فاز الأمريكي أندريه أغاسي بالمباراة ، وقال أغاسي إنه سعيد .", "أندريه أغاسي") == [
        ("PER", "اغاسي", 0.8)]


def test_a_surname_with_a_proclitic():
    assert repeats("التقى بوش توني بلير أمس ، وقال بوش وبلير إن ... ورفض لبلير ذلك", "توني بلير") == [
        ("PER", "وبلير", 0.8), ("PER", "لبلير", 0.8)]


def test_the_full_name_repeated_is_one_person():
    assert repeats("يستعد المطرب مدحت صالح لأغنية جديدة ، ويقول مدحت صالح إن ...", "مدحت صالح") == [
        ("PER", "مدحت صالح", 0.8)]


def test_nothing_without_a_repeat_or_inside_another_mention():
    assert repeats("وقال أندريه أغاسي إنه سعيد .", "أندريه أغاسي") == []
    doc = Doc("نادي أغاسي والتقى أندريه أغاسي")
    mentions = [Mention("ORG", 0, 1, 0.9), Mention("PER", 3, 4, 0.8)]
    assert repeated_names(doc, mentions, lambda tok: True) == mentions


def test_a_word_written_otherwise_is_not_the_name():
    # علي and على are one word once normalised; the preposition is no repeat of the name
    assert repeats("وصل محمد علي إلى المدينة وسلم الوفد على الحاضرين .", "محمد علي") == []


def test_no_repeat_of_a_particle_or_of_a_common_word():
    assert repeats("قال إسماعيل ولد الشيخ إن ولد الرجل حضر", "إسماعيل ولد") == []
    assert repeats("فاز أندريه أغاسي ، وقال أغاسي", "أندريه أغاسي", name_word=lambda tok: False) == []


def test_no_repeat_where_it_is_an_adjective_of_the_word_before():
    # a person ending in a nisba word the tagger got wrong: the adjective elsewhere stays a word
    assert repeats("قال أبو عبد الله التركي إنه يقيم في الشطر التركي من قبرص .", "أبو عبد الله التركي") == []
    assert repeats("وقال العداء محسن الشهيبي إن الشهيبي سيشارك .", "محسن الشهيبي") == [("PER", "الشهيبي", 0.8)]


def test_name_words_of_the_shipped_model():
    t = Tagger()
    assert t._name_word("قرطاجيوس", "قرطاجيوس")      # a word the news does not know
    assert not t._name_word("عضو", "عضو")            # a common word the tagger never read as a person
    assert t._name_word("محفوظ", "محفوظ")            # read inside a person in most of its occurrences
    # looked up by the word as spelt with its hamza seat (عائشة: عائشه, normalised عايشه)
    assert t._name_word("عايشه", "عائشه")


def test_a_repeat_is_a_whole_word_not_a_piece_of_a_longer_one():
    # the last word inside a longer word (أغاسيون، بأغاسيه) or behind the article (الأغاسي) is no
    # repeat; behind a proclitic at a word's start it is (فأغاسي)
    assert repeats("فاز أندريه أغاسي ، وقال أغاسيون ورأى بأغاسيه والأغاسي ثم فأغاسي", "أندريه أغاسي") == [
        ("PER", "فاغاسي", 0.8)]


def test_a_repeat_is_the_person_whose_last_word_it_is_as_written():
    # لهادي is the last word of one person and, behind its proclitic, هادي of another: the word as
    # written is read first, whatever the order of a set of its readings (the hash seed)
    doc = Doc("قال الرئيس عبدربه منصور هادي إن الوضع صعب ، وقال النائب سالم لهادي إنه متفائل ، ثم قال الوزير لهادي إن الحل قريب .")
    words = [t.norm for t in doc.tokens]
    president, deputy = person_mentions(doc, "عبدربه منصور هادي", "سالم لهادي")
    president.score, deputy.score = 0.9, 0.5
    out = repeated_names(doc, [president, deputy], lambda tok: True)
    added = [(" ".join(words[m.first:m.last + 1]), m.score) for m in out if m not in (president, deputy)]
    assert added == [("لهادي", 0.5)]
