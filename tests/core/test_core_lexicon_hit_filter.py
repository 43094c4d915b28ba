"""The lexicons step's filter of a lexicon's raw hits (``components.lexicons._longest_kept``):
the compiled one (``_ends.longest_kept``) keeps the very hits of its Python twin
(``_longest_kept_py``), in the same order, on reports composed of the shipped lexicons' patterns
(proclitics, suffixes, patterns inside longer ones, rows with allowed prefixes and rows that need
their article); and what the step makes of such reports is what users read either way."""

from __future__ import annotations

import random

import pytest

from marsad.components import lexicons as L
from marsad.doc import Doc
from marsad.text import native, normalize

NAMES = ["actors.tsv", "weapons.tsv", "sources.tsv", "conditions.tsv"]
CLITICS = ["", "", "", "و", "ب", "ل", "ال", "وال", "بال", "لل", "ف", "وب", "كال"]
SUFFIXES = ["", "", "", "ها", "ون", "ين", "ات", "هم"]
GLUE = [" ", " ", " ", "، ", " و", " في ", ' ل"', " لـ«", "» ", "\n", " قال ", ". "]


def _reports(n: int, seed: int) -> list[str]:
    """Reports of lexicon patterns (their raw spellings, several words among them), each with a
    random proclitic and suffix, joined by spaces, punctuation and quotes (لـ«الجزيرة»)."""
    rnd = random.Random(seed)
    pats = [e["pattern"].lstrip("=").rstrip("+") for name in NAMES
            for _, rows in L._prepare(name).values() for e in rows]
    out = []
    for _ in range(n):
        words = []
        for _ in range(rnd.randint(1, 25)):
            words.append(rnd.choice(CLITICS) + rnd.choice(pats) + rnd.choice(SUFFIXES))
            words.append(rnd.choice(GLUE))
        out.append("".join(words))
    return out


@pytest.mark.skipif(native.ends is None, reason="the compiled scan is not built (or MARSAD_PURE)")
def test_compiled_hit_filter_keeps_the_hits_of_its_python_twin():
    matchers = [L._prepare(name) for name in NAMES]
    seen = kept = 0
    for text in _reports(600, seed=3) + ["", "الجيش الحر", "لـ«الجزيرة» والجزيرة"]:
        norm = normalize(text)[0]
        for m in matchers:
            hits = m.hits(norm)
            got = native.ends.longest_kept(hits, norm, L._kept)
            want = L._longest_kept_py(hits, norm)
            assert len(got) == len(want) and all(a is b for a, b in zip(got, want)), text
            seen += len(hits)
            kept += len(got)
    assert kept < seen  # (the reports reach both the refused hits and the ones inside others)


def test_the_longer_name_and_the_article_decide_the_actors():
    """الجيش الحر is one actor, not الجيش inside it; a row that needs its article (role "def":
    الجيش) names no one without it; a source listed with allowed prefixes (الجزيرة: after لـ«)
    is a source there only."""
    run = L.component()
    doc = Doc("قال الجيش الحر إن البلاد تحتاج جيش قوي، وقال مصدر لـ«الجزيرة» إن الجزيرة تحترق.")
    run(doc)
    assert [s.text for s in doc.layer("actors")] == ["الجيش الحر"]
    assert [(s.text, s.start) for s in doc.layer("sources")] == [("الجزيرة", doc.text.index("الجزيرة"))]
    alone = Doc("وصل الجيش إلى المدينة")
    run(alone)
    assert [s.text for s in alone.layer("actors")] == ["الجيش"]
