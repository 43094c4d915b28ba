"""The link features' scans of an evidence text skip the regular expressions' work where a
pattern cannot match (features._counts, _site_matches, _NUMBER, _key_words): each must find
exactly what the plain pattern finds in any text. Random texts of the lists' own words, figures,
proclitics, spaces and punctuation (composed here, not from any outlet)."""

from __future__ import annotations

import random
import re

from marsad.incident import features as F
from marsad.text import normalize_key

_PLAIN_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")   # _NUMBER as it was written first


def _pieces() -> list[str]:
    _, _, thing, value, dual, approx = F.counted_nouns()
    sites = F._site_nouns() or ()
    words = [*thing, *value, *dual, *approx, *sites, "اليرموك", "الحديد", "قصف", "مدنيين", "شرق"]
    return words + [c + w for w in words[::3] for c in "وبل"] + [
        "3", "7", "12", "٤", "2015", "1.5", ".", "،", "-", "ـ", "(", "x", "_"]


def _texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    pieces, gaps = _pieces(), [" ", " ", " ", "  ", "\n", "", "، ", ".", " - "]
    return [normalize_key("".join(rnd.choice(pieces) + rnd.choice(gaps)
                                  for _ in range(rnd.randint(0, 14)))) for _ in range(n)]


def _counts_by_scan(key: str) -> dict[str, frozenset[int]]:
    """_counts with both patterns run over the whole text (what it computed before the tests of
    the text's words)."""
    pattern, duals, thing, value, dual, approx = F.counted_nouns()
    found: dict[str, set[int]] = {}
    for before, n, noun in pattern.findall(key):
        count = int(n) if n.isdigit() else value[n]
        if before not in approx and count < F.SMALL_COUNT:
            found.setdefault(thing[noun], set()).add(count)
    for noun in duals.findall(key):
        found.setdefault(thing[noun], set()).add(dual[noun])
    return {k: frozenset(v) for k, v in found.items()}


def test_counts_are_those_of_the_patterns_scanning_the_whole_text():
    texts = _texts(4000, 1) + ["قصف بـ7 غارات ثم غارتين", "نحو سبع غارات", "وثلاث قذائف و3 صواريخ"]
    found = 0
    for t in texts:
        F._counts.cache_clear()
        got = F._counts(t)
        assert got == _counts_by_scan(normalize_key(t)), t
        found += bool(got)
    assert found > 100   # the texts do count things: the tests above were not all skipped


def test_sites_are_found_where_the_pattern_finds_them():
    pattern = F.site_words()[0]
    assert F._site_nouns()   # the pattern is of the form read, else every text is scanned
    found = 0
    for key in _texts(4000, 2) + [normalize_key(t) for t in ("قصف حي اليرموك وبمدينة الحديد", "حي شارع الثورة", "وحي حي")]:
        want = [(m.span(), m.group(1)) for m in pattern.finditer(key)]
        assert [(m.span(), m.group(1)) for m in F._site_matches(pattern, key)] == want, key
        found += len(want)
    assert found > 500


def test_figures_are_those_of_the_plain_pattern():
    texts = _texts(3000, 3) + ["1.5 و12 و.3 و3. و٤٥ x7 7x 2015"]
    assert sum(bool(_PLAIN_NUMBER.findall(t)) for t in texts) > 150
    for t in texts:
        assert F._NUMBER.findall(t) == _PLAIN_NUMBER.findall(t), t


def test_evidence_words_are_the_regular_expressions_words():
    for t in _texts(1000, 4) + ["Ali's 2nd ﻻ test\u0640\u064b"]:
        F._key_words.cache_clear()
        assert F._key_words(t) == tuple(F._WORD.findall(normalize_key(t))), t
