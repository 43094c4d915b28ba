"""split._link's gap tests kept by the gap's text (_qualifier_gap, _item_gap) answer as the
regexes they keep, asked once or again, over many gaps."""

import random

from marsad.components.events import split

_PIECES = [" ", "  ", "و", " و", "،", ",", " ، ", "«", "»", "(", ")", "\"", "في ", "وفي ", "ب", "من ",
           "التابعه ل", "محافظه ", "ريف ", "شمال", "غربي ", "شرق ", "جنوب ", "اخري ", "متفرقه ", "منها ",
           "من بينها ", "فضلا عن ", "الي جانب ", "قريه ", "بلدتي ", "مديريه ", "3 ", "خمسه ", "اخرين ",
           "قرب ", "دمت ", "اعتقلت ", "\n", "اضافه الي ", "ثم "]


def _item_regexes(gap):
    return bool(split._MORE_FROM.match(gap) or split._OTHERS_IN.match(gap)
                or (split._COORD_GAP.match(gap) and any(w in gap for w in split._LIST_LINKS))
                or split._ONE_WORD_ITEM.match(gap) or split._IN_GAP.match(gap) or split._BEARING_GAP.match(gap))


def _gaps(n, seed=16):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 6))) for _ in range(n)]


def test_kept_gap_tests_answer_as_the_regexes():
    gaps = _gaps(4000) + ["", " و", " ب", " في ", " (جنوب) و", " و5 اخرين من قريه ", " ومواقع اخري في "]
    items = qualifiers = 0
    for _ in range(2):   # the second pass reads the kept answers
        for gap in gaps:
            assert split._item_gap(gap) is _item_regexes(gap)
            assert split._qualifier_gap(gap) is (split._QUALIFIER.match(gap) is not None)
            items += split._item_gap(gap)
            qualifiers += split._qualifier_gap(gap)
    assert items and qualifiers and items < 2 * len(gaps)   # both answers met


def test_kept_answers_bounded():
    for f in (split._item_gap, split._qualifier_gap):
        f.cache_clear()
        for gap in _gaps(5000, seed=3):
            f(gap)
        assert f.cache_info().currsize <= 4096
