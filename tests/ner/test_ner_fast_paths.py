"""The name step's shortcuts give what the code they replace gave (issue 16: speed)."""

import random

from marsad.doc import Doc
from marsad.lexicon import longest_matches
from marsad.ner import features
from marsad.ner.component import add_mentions
from marsad.ner.tagger import Mention


def _by_matches(norm: str) -> list[tuple[int, int]]:
    """org_spans as it was: a Match object per hit (but those without the name's article), then
    the longest ones."""
    found = [m for m in features.org_matcher().find(norm)
             if not features._without_article((m.start, m.end, m.core_start, m.prefix, m.entry))]
    return [(m.core_start, m.end) for m in longest_matches(found)]


def test_org_spans_from_raw_hits_are_those_of_the_match_objects():
    # the organisations' own patterns, nested (داعش inside تنظيم داعش), with proclitics and
    # common words between them, in random orders
    pats = [e["_pat"] for _, es in features.org_matcher().auto.values() for e in es]
    assert "داعش" in pats and "تنظيم داعش" in pats
    rng = random.Random(16)
    fillers = ["قال", "و", "في", "مقاتلي", "ان", "المدينة", "،"]
    for _ in range(200):
        words = []
        for _ in range(rng.randint(1, 12)):
            words.append(rng.choice(("", "و", "ب", "ل", "ال")) + rng.choice(pats) if rng.random() < 0.6
                         else rng.choice(fillers))
        norm = Doc(" ".join(words)).norm
        features._last_orgs[0] = (None, [])
        assert features.org_spans(norm) == _by_matches(norm), norm


def test_org_spans_find_the_organisation_in_a_sentence():
    doc = Doc("أعلن تنظيم داعش مسؤوليته عن الهجوم.")
    (a, b), = features.org_spans(doc.norm)
    assert doc.norm[a:b] == "تنظيم داعش"


def test_a_name_listed_with_its_article_needs_it_behind_a_proclitic():
    # لنصرة is "to support", the construct state of the common noun; the front is للنصرة
    def found(text):
        doc = Doc(text)
        features._last_orgs[0] = (None, [])
        return [doc.norm[a:b] for a, b in features.org_spans(doc.norm)]
    assert found("خرجت مظاهرات لنصرة أهالي حلب") == []
    assert found("وتعهد بنصرة المظلومين") == []
    assert found("انضم مقاتلون للنصرة") == ["نصره"]
    assert found("اشتباكات بين النصرة وداعش") == ["نصره", "داعش"]
    assert found("هاجمت جبهة النصرة البلدة") == ["جبهه النصره"]


def test_international_organisations_in_the_press_spellings():
    doc = Doc("وحذر مكتب تنسيق الشؤون الإنسانية (أوتشا) ومنظمة هيومان رايتس ووتش من نقص الغذاء.")
    features._last_orgs[0] = (None, [])
    got = [doc.norm[a:b] for a, b in features.org_spans(doc.norm)]
    assert got == ["مكتب تنسيق الشوون الانسانيه", "اوتشا", "هيومان رايتس ووتش"]


def test_a_tagger_name_over_an_entity_added_in_the_same_pass_is_not_added_again():
    # two mentions over the same words: the first becomes the entity, the second overlaps it
    doc = Doc("وقال سامي الخطيب إن المحادثات ستبدأ")
    first = Mention("PER", 1, 2, 0.9)
    second = Mention("ORG", 2, 2, 0.9)
    add_mentions(doc, [first, second], loc="none")
    assert [(e["type"], e["text"]) for e in doc.entities] == [("PER", "سامي الخطيب")]
    assert [s.label for s in doc.layer("ner")] == ["PER", "ORG"]


def test_football_clubs_named_by_no_place_or_word_are_listed():
    # the sports pages name clubs alone (وفاز إيفرتون على ميدلسبره); a club named by its town
    # (ليون، برشلونة) or a word (النصر) is not listed: the town or word is the commoner reading
    doc = Doc("وتعادل بلاكبيرن مع ميدلسبره وفاز لإسبانيول على غلطة سراي ثم عاد إلى برشلونة.")
    features._last_orgs[0] = (None, [])
    got = [doc.norm[a:b] for a, b in features.org_spans(doc.norm)]
    assert got == ["بلاكبيرن", "ميدلسبره", "اسبانيول", "غلطه سراي"]
