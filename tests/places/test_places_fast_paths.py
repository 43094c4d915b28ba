"""The geoparser's faster ways against the code they replace: the same answers."""

import random

from marsad.places import geoparser as g
from marsad.places.names import UNKNOWN_CUES

_LETTERS = "وفبلكحيقرهدنمطجعاء_ 1#\"«a"


def _texts(n=3000, seed=7):
    rnd = random.Random(seed)
    pieces = list(UNKNOWN_CUES) + ["و", "ف", "ب", "ل", "ك", "وب", "ال", " ", " ", "_", "1", "،"]
    for _ in range(n):
        yield "".join(rnd.choice(pieces) if rnd.random() < 0.6 else rnd.choice(_LETTERS)
                      for _ in range(rnd.randint(0, 40)))


def test_cue_words_find_what_the_pattern_finds():
    demo = "قصفت قرية الزيادية وبلدة كفرنبل ومخيم اليرموك، وفي حي الخالدية بمدينة حمص، وكبلده ولحيّ مخيمات"
    for text in [demo, "", "حي", "وحي", "ووحي", "ووفحي", "حيحي", "_حي", "حي_", "ح ي"] + list(_texts()):
        assert g._cue_words(text) == [m.span() for m in g._CUE_WORD.finditer(text)], text


def test_inside_name_answers_as_the_scan_of_names():
    from marsad.places.component import _inside_name
    rnd = random.Random(3)
    for _ in range(500):
        names = [(a, a + rnd.randint(1, 30)) for a in (rnd.randint(0, 100) for _ in range(rnd.randint(1, 8)))]
        inside = _inside_name(names)
        for a in range(0, 130, 3):
            for b in range(a, a + 40, 4):
                assert inside(a, b) == any(s <= a and b <= e for s, e in names)


def test_dateline_end_as_finditer_over_every_offset():
    from marsad.places.component import _DATELINE, dateline_end

    def slow(norm):
        end = 0
        for m in _DATELINE.finditer(norm[:600]):
            end = max(end, m.end())
        return end
    rnd = random.Random(5)
    pieces = ["\n", "\n", " ", "-", ":", " - ", "سبق", "الرياض", "عدن", "(رويترز)", "ا", "ب", "x" * 35]
    texts = ["", "\n", "-", ":", "عين اليوم – بغداد: قتل", "سبق- الرياض: طالب", "\nدمشق - (رويترز):\nعدن -"]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 120))) for _ in range(3000)]
    for text in texts:
        assert dateline_end(text) == slow(text), text


def test_compiled_scan_answers_as_its_python_twins():
    """marsad/places/_scan.pyx (when built) against prev_word_py and _cue_words_py."""
    import pytest
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", 1)
    if scan is None:
        pytest.skip("the places scan is not built (or MARSAD_PURE)")
    auto = g._cue_automaton()
    demo = "قصفت قرية الزيادية وبلدة كفرنبل ومخيم اليرموك، وفي حي الخالدية بمدينة حمص، وكبلده ولحيّ مخيمات"
    texts = [demo, "", "حي", " #\"'(«", "«حمص» (حلب) #ادلب"] + list(_texts())
    for text in texts:
        assert scan.cue_words(auto, text, g._CUE_CLITICS) == g._cue_words_py(text), text
        for pos in range(len(text) + 1):
            assert scan.prev_word(text, pos) == g.prev_word_py(text, pos), (text, pos)
        assert scan.prev_word(text, -2) == g.prev_word_py(text, -2)
        with pytest.raises(IndexError):
            scan.prev_word(text + "x", len(text) + 3)
    # a word found through two cues is one pair, in text order
    assert scan.cue_words(auto, "قرى و قرية", g._CUE_CLITICS) == g._cue_words_py("قرى و قرية")

