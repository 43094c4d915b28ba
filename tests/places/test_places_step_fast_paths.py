"""The places step's faster ways (outside ``find``) against the code they replace."""

import bisect
import random
import re
from operator import attrgetter

from marsad.doc import Doc
from marsad.places import component as c
from marsad.places import names


def _transliterate_slow(ar):
    """transliterate as it was: a join over the letters' look-ups and re.sub by pattern text."""
    words = []
    for w in names.name_key(ar).split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
            pre = "Al "
        else:
            pre = ""
        lat = "".join(names._TRANSLIT.get(ch, ch) for ch in w).replace("'", "")
        lat = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])w(?=[bcdfghjklmnpqrstvwxz])", "u", lat)
        lat = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])y(?=[bcdfghjklmnpqrstvwxz])", "i", lat)
        words.append(pre + lat.capitalize())
    return " ".join(words)


def test_transliteration_as_the_letter_by_letter_join():
    rnd = random.Random(5)
    letters = list(names._TRANSLIT) + list("ال ىةأإآؤئ_-،.'wyWYbk1ّ") + ["ال", "وي", "يو", " ال"]
    texts = ["حي الخالدية", "خربة غزالة", "", " ", "ال", "الي", "'", "wyw", "بوب", "ييي"]
    texts += ["".join(rnd.choice(letters) for _ in range(rnd.randint(0, 25))) for _ in range(5000)]
    for t in texts:
        assert names.transliterate(t) == _transliterate_slow(t), t
    assert names.transliterate("حي الخالدية") == "Hy Al Khaldih"


def _says_word_slow(doc, rejected, start, end, reject):
    """_tagger_says_word as it was: every token of [start, end) labelled O at least ``reject``."""
    toks = doc.tokens
    k = bisect.bisect_right(toks, start, key=attrgetter("end"))
    seen = False
    while k < len(toks) and toks[k].start < end:
        if rejected.get(k, 0.0) < reject:
            return False
        seen = True
        k += 1
    return seen


def test_word_sureness_against_each_threshold_as_the_token_scan():
    rnd = random.Random(11)
    doc = Doc("قصف الحدث في القصير وحمص الجديدة، ثم عاد الهدوء إلى المدينة  والريف الشرقي")
    n = len(doc.tokens)
    size = len(doc.norm)
    thresholds = (c.REJECT, c.REJECT_FREE, c._REJECT_LOWER, 0.0, 0.5, 1.0)
    values = (0.0, 0.3, 0.79, 0.8, 0.85, 0.9, 0.91, 0.95, 1.0, float("nan"))
    for _ in range(3000):
        rejected = {k: rnd.choice(values) for k in rnd.sample(range(n), rnd.randint(0, n))}
        a = rnd.randint(0, size)
        b = rnd.randint(a, min(size, a + 30))
        for floor in thresholds:
            sure = c._word_sureness(doc, rejected, a, b, floor)
            for reject in thresholds:
                if reject >= floor:  # at or above the floor: the value answers for that threshold
                    assert (sure >= reject) == _says_word_slow(doc, rejected, a, b, reject), (a, b, floor, reject)
            # the step's test: both thresholds' answers from one value at the lower floor
        low = c._word_sureness(doc, rejected, a, b, c._REJECT_LOWER)
        for placed in (True, False):
            slow = _says_word_slow(doc, rejected, a, b, c._REJECT_LOWER) and _says_word_slow(
                doc, rejected, a, b, c.REJECT if placed else c.REJECT_FREE)
            assert (low >= c._REJECT_LOWER and low >= (c.REJECT if placed else c.REJECT_FREE)) == slow
    assert c._word_sureness(doc, {}, 3, 3, 0.0) == float("-inf")  # no token: sure of nothing
