"""Issue 16, start-up: the regular expressions a start-up compiles, kept compiled in
$MARSAD_CACHE (marsad/regexcache.py) and put back into re's cache by the next process."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from marsad import regexcache

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not regexcache._supported(), reason="re's internals of CPython 3.11 only")


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder, a fresh record of what was seeded, and re's cache as it was after."""
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    monkeypatch.delenv("MARSAD_REGEX_CACHE", raising=False)
    monkeypatch.setattr(regexcache, "_SEEDED", {})
    saved = dict(re._cache)
    yield tmp_path
    re._cache.clear()
    re._cache.update(saved)


PATTERNS = [(r"(?<!\w)(?P<pre>[وف]?)(?P<head>قصفت|قصف)(?!\w)(?:\s+[^\s.!?؟]+){0,3}?\s+(?P<tail>حلب|ادلب)", 0),
            (r"(?i)^ab(c+)\s*(?P<d>\d{2,})$", re.MULTILINE), (rb"[\x00-\x1f]+", 0)]
TEXTS = ["وقصفت الطائرات مدينة حلب", "قصف حلب", "ABccc 123", "abc\n12", b"a\x01\x02b", "لا شيء"]


def test_a_recorded_pattern_comes_back_equal_and_matches_the_same(fresh):
    re._cache.clear()
    compiled = [re.compile(p, f) for p, f in PATTERNS]
    assert regexcache.record() >= len(PATTERNS) and regexcache.path().exists()
    re._cache.clear()   # the next process
    regexcache._SEEDED.clear()
    assert regexcache.seed() >= len(PATTERNS)
    for (p, f), old in zip(PATTERNS, compiled):
        key = (type(p), p, f)
        assert key in re._cache
        new = re.compile(p, f)
        assert new is re._cache[key] and new == old and new.groupindex == old.groupindex
        for t in TEXTS:
            if type(t) is type(p):
                m, n = old.search(t), new.search(t)
                assert (m and (m.span(), m.groups())) == (n and (n.span(), n.groups()))
    assert regexcache.record() == 0   # a process that seeded writes nothing (a test's patterns stay out)
    regexcache.forget()
    assert not regexcache.path().exists() and regexcache.seed() == 0


def test_no_file_or_a_torn_one_compiles_as_ever(fresh):
    assert regexcache.seed() == 0
    regexcache.path().parent.mkdir(parents=True, exist_ok=True)
    regexcache.path().write_bytes(b"\x80\x05 torn")
    assert regexcache.seed() == 0 and re.compile("x(y)").groups == 1


def test_off_when_asked(fresh, monkeypatch):
    re.compile("seeded(?:ever)?")
    monkeypatch.setenv("MARSAD_REGEX_CACHE", "0")
    assert regexcache.record() == 0 and not regexcache.path().exists() and regexcache.seed() == 0


def test_the_start_up_patterns_are_the_same_text_whatever_the_hash_seed():
    """The date and gapped-trigger patterns are built from word sets: the same text in every
    process (else each would compile its own and none would be found in the cache)."""
    code = ("import re, zlib; from marsad.components import dates; from marsad.components.events import gapped; "
            "rx = [r[0].pattern for r in gapped.rules()] + [p.pattern for p in re._cache.values()"
            " if isinstance(p.pattern, str) and '\u0627' in p.pattern]; print(len(rx), zlib.crc32(repr(sorted(rx)).encode()))")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                          env={**os.environ, "PYTHONHASHSEED": seed, "MARSAD_REGEX_CACHE": "0"}).stdout
           for seed in ("1", "2", "3")}
    assert len(out) == 1 and int(out.pop().split()[0]) > 20


def test_a_start_up_after_a_code_change_adds_its_new_patterns_to_the_file(fresh):
    """A file written before the code changed lacks the new start-up's patterns: the build's
    ``record(new_since=...)`` adds those compiled since (the old ones kept), so the next process
    does not compile them again; a pattern compiled before the build (a test's) is not added,
    and with nothing new nothing is written."""
    re._cache.clear()
    old = re.compile(*PATTERNS[0])
    assert regexcache.record() >= 1
    re._cache.clear()   # the next process, whose code compiles one pattern more
    regexcache._SEEDED.clear()
    assert regexcache.seed() >= 1
    added = re.compile(*PATTERNS[1])
    assert regexcache.record() == 0   # not asked to extend: nothing written
    assert regexcache.record(new_since=frozenset(re._cache)) == 0   # compiled before the build: not the build's
    assert regexcache.record(new_since=frozenset()) >= 2
    before = regexcache.path().stat().st_mtime_ns
    assert regexcache.record(new_since=frozenset()) == 0 and regexcache.path().stat().st_mtime_ns == before
    re._cache.clear()   # the process after it finds both
    regexcache._SEEDED.clear()
    assert regexcache.seed() >= 2
    for (p, f), was in zip(PATTERNS[:2], (old, added)):
        assert (type(p), p, f) in re._cache and re.compile(p, f) == was
