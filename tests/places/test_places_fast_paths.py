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
