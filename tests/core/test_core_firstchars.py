"""Issue 16, the dates step: a pattern compiled with its matches' first characters as its search's
filter (marsad/text/firstchars.py) finds exactly what the pattern finds."""

import random
import re

import pytest

from marsad import regexcache
from marsad.text import firstchars
from marsad.text.firstchars import first_chars

pytestmark = pytest.mark.skipif(not firstchars._supported(), reason="re's internals of CPython 3.11 only")


def _all(rx, t, *a):
    return [(m.span(), m.groups(), [m.span(i) for i in range(rx.groups + 1)], m.groupdict())
            for m in rx.finditer(t, *a)]


# a word start, optional groups and alternations before the word that must be there, as the
# date families are written
SHAPES = [r"(?<![\w])(?:(?P<part>فجر|صباح|مساء)\s+)?(?:و|ف|ب|ل|وب|لل)?(?P<wd>الاحد|الاثنين|الجمعه)(?![\w])",
          r"(?<![\w])(?:(?P<d>[0-3]?\d)|(?P<o>الخامس|الاول))?\s*(?:من\s+)?(?P<mon>شوال|رمضان)(?:\s*(?P<y>1[34]\d\d))?",
          r"(?<![\w])(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]?\d)(?![\w])|(?<![\w])(?P<d2>[0-3]?\d)[/.-](?P<y2>(?:19|20)\d\d)",
          r"(?<![\w])(?:منذ|قبل)\s+(?:(?P<n>\d{1,3})|(?P<nw>ثلاثه|يومين))?\s*(?P<unit>ايام|ساعات)?(?![\w])"]
PIECES = ["فجر ", "صباح", " مساء ", "و", "ب", "لل", "الاحد", "الاثنين", "الجمعه", "الخامس من ", "الاول", "شوال",
          "رمضان", " 1436", "2015-08", "-3", "12/2015", " منذ ", "قبل ", "ثلاثه ", "يومين", " ايام", "ساعات",
          " ", "  ", "\n", "x", "ا", "ل", "7", "٣", ".", "/", "(", "كتب"]


@pytest.mark.parametrize("pattern", SHAPES)
def test_the_same_matches_as_the_pattern(pattern):
    rx = re.compile(pattern)
    fast = first_chars(rx)
    assert fast is not rx and fast.pattern == rx.pattern and fast.groupindex == rx.groupindex
    rnd = random.Random(7)
    found = 0
    for _ in range(3000):
        t = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 14)))
        got = _all(rx, t)
        assert got == _all(fast, t), t
        found += len(got)
        a = rnd.randrange(len(t) + 1)
        b = rnd.randrange(a, len(t) + 1)
        assert _all(rx, t, a, b) == _all(fast, t, a, b), (t, a, b)   # the lookbehind sees before a
        m, n = rx.match(t, a), fast.match(t, a)
        assert (m and (m.span(), m.groups())) == (n and (n.span(), n.groups()))
    assert found > 200   # the patterns do match: the comparison is not of empty lists


def test_a_pattern_that_can_match_empty_or_is_not_understood_stays_as_it_is():
    for p in [r"(?<!\w)(?:قصف)?", r"(?:a|)b?", r"[^a]b", r".b", r"(?i:a)b"]:
        rx = re.compile(p)
        assert first_chars(rx) is rx


def test_the_date_families_are_filtered_and_find_what_their_patterns_find():
    from marsad.components import dates
    text = ("قصفت الطائرات فجر الأحد 2 آب 2015 مواقع في حلب، وقتل 3 أمس الاثنين، منذ ثلاثة أيام، "
            "خلال الأسبوع الماضي و20 شوال 1436 هـ في 2015-08-03 ليلا، شهر تموز الماضي، العام 2014")
    from marsad.text import normalize_key
    norm = normalize_key(text)
    for name, fast in dates._RE.items():
        plain = re.compile(fast.pattern, fast.flags)
        assert fast is not plain and _all(plain, norm) == _all(fast, norm), name
    assert {f.kind for f in dates.find_dates(norm, None)} >= {"absolute", "relative", "hijri", "iso"}


def test_kept_between_processes(tmp_path, monkeypatch):
    if not regexcache._supported():
        pytest.skip("no regex cache here")
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    monkeypatch.delenv("MARSAD_REGEX_CACHE", raising=False)
    monkeypatch.setattr(regexcache, "_SEEDED", {})
    saved = dict(re._cache)
    try:
        re._cache.clear()
        fast = first_chars(re.compile(SHAPES[0]))
        assert regexcache.record() >= 2
        re._cache.clear()   # the next process
        regexcache._SEEDED.clear()
        assert regexcache.seed() >= 2
        key = (firstchars._KEY, SHAPES[0], fast.flags)
        assert key in re._cache and first_chars(re.compile(SHAPES[0])) is re._cache[key]
        assert re._cache[key] == fast
    finally:
        re._cache.clear()
        re._cache.update(saved)
