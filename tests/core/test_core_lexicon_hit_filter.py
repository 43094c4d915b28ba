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
    """The very hits, in the same order; the compiled filter reads each row's ``_rank`` and
    asks Python (``kept``) only about rows with allowed prefixes: a row that needs its article
    (role "def") is tested in C, behind every proclitic the reports compose (ال، وال، بال، لل،
    كال ... and none)."""
    matchers = [L._prepare(name) for name in NAMES]
    seen = kept = refused_def = 0
    asked = []

    def ask(h, norm):
        asked.append(h)
        return L._kept(h, norm)

    for text in _reports(600, seed=3) + ["", "الجيش الحر", "لـ«الجزيرة» والجزيرة", "للجيش وجيش والجيش"]:
        norm = normalize(text)[0]
        for m in matchers:
            hits = m.hits(norm)
            got = native.ends.longest_kept(hits, norm, ask)
            want = L._longest_kept_py(hits, norm)
            assert len(got) == len(want) and all(a is b for a, b in zip(got, want)), text
            seen += len(hits)
            kept += len(got)
            refused_def += sum(1 for h in hits if h[4].get("role") == "def" and not L._kept(h, norm))
    assert kept < seen  # (the reports reach both the refused hits and the ones inside others)
    assert refused_def > 0 and asked and all(h[4]["_prefixes"] for h in asked)


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


def test_each_span_has_its_own_data_with_its_offsets_first():
    """Spans of one lexicon row are made from one template per row: each span still gets a dict
    of its own (n0, n1 first, then the row's fields), so a later step's change to one leaves the
    others as they were."""
    run = L.component()
    doc = Doc("قال الجيش الحر. ثم قال الجيش الحر وقالت قناة الجزيرة.")
    run(doc)
    first, second = doc.layer("actors")
    assert list(first.data) == ["n0", "n1", "inter", "inter_abroad", "country", "kind", "by_country", "role",
                                "pattern"]
    assert first.data is not second.data and first.data["n0"] < second.data["n0"]
    assert (first.sent, second.sent) == (0, 1)
    first.data["role"] = "changed"
    assert second.data["role"] != "changed"
    again = Doc("قال الجيش الحر.")
    run(again)
    assert again.layer("actors")[0].data["role"] != "changed"
    (source,) = doc.layer("sources")
    assert source.text == "قناة الجزيرة" and list(source.data)[:3] == ["n0", "n1", "pattern"]


@pytest.mark.skipif(native.ends is None, reason="the compiled scan is not built (or MARSAD_PURE)")
def test_compiled_spans_are_those_of_their_python_twin():
    """``_ends.spans`` makes the spans of ``_spans_py`` (start, end, label, text, sentence, data),
    in the same order, each with its own data dict: every lexicon's kept hits in composed reports
    (the article kept after ال، وال، لل ..., hits in the last sentence and past its end), rows whose
    template gives no span (an actor's "head" row) skipped, templates made at a row's first hit."""
    matchers = [(L._prepare(name), label) for name, label in zip(NAMES, ["actor", "weapon", "source", "condition"])]
    made = skipped = 0
    for text in _reports(300, seed=5) + ["", "الجيش الحر", "قصفت قوات النظام. ثم الجيش الحر"]:
        doc = Doc(text)
        for m, label in matchers:
            kept = L._longest_kept(m.hits(doc.norm), doc.norm)
            template = L._actor_template if label == "actor" else (lambda e: L._template(e, {"x": e["pattern"]}))
            got, want = [], []
            native.ends.spans(kept, doc.offsets, doc.text, [b for _, b in doc.sentences], L._ARTICLE_TAIL,
                              label, template, got, L.Span)
            L._spans_py(doc, kept, want, label, template)
            assert got == want, text
            assert len({id(s.data) for s in got}) == len(got)
            templates = {id(h[4].get("_tmpl")) for h in kept}
            assert not any(id(s.data) in templates for s in got)
            made += len(got)
            skipped += len(kept) - len(got)
    assert made > 2000 and skipped > 0


class _Loose:
    """A class without slots: ``_ends.spans`` makes it by name (only doc.Span's shape in place)."""


class _Guarded(L.Span):
    """doc.Span's slots with a __setattr__ of its own: made by name, through it."""
    __slots__ = ()

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)


@pytest.mark.skipif(native.ends is None, reason="the compiled scan is not built (or MARSAD_PURE)")
def test_spans_made_in_place_are_plain_spans_and_other_classes_are_made_by_name():
    """``_ends.spans`` sets a doc.Span's six slots in place (``_slots.new_six``): the same spans as
    ``_spans_py``'s, exactly doc.Span; a class of another shape, asked between, gets the same
    fields set by name; doc.Span asked again is made in place again."""
    m = L._prepare("actors.tsv")
    fields = ("start", "end", "label", "text", "sent", "data")
    for text in _reports(40, seed=9):
        doc = Doc(text)
        kept = L._longest_kept(m.hits(doc.norm), doc.norm)
        want = []
        L._spans_py(doc, kept, want, "actor", L._actor_template)
        for cls in (L.Span, _Loose, _Guarded, L.Span):
            got = []
            native.ends.spans(kept, doc.offsets, doc.text, [b for _, b in doc.sentences], L._ARTICLE_TAIL,
                              "actor", L._actor_template, got, cls)
            assert all(type(s) is cls for s in got)
            assert [tuple(getattr(s, f) for f in fields) for s in got] == \
                [tuple(getattr(s, f) for f in fields) for s in want], (text, cls)


def test_conditions_window_counts_the_tokens_starting_inside_it():
    """The conditions step's window in words (``_words_between``, a binary search over the tokens
    by their starts) counts the tokens starting in [a, b), none where b <= a: every pair of
    offsets of composed reports (and past their ends), against a count token by token."""
    asked = 0
    for text in _reports(12, seed=11) + ["", "الماء", "  انقطاع   الكهرباء  والماء  "]:
        doc = Doc(text)
        starts = [t.start for t in doc.tokens]
        n = len(doc.norm) + 2
        for a in range(-1, n):
            for b in range(a - 2, min(n, a + 60)):
                want = sum(1 for s in starts if a <= s < b)
                assert L._words_between(doc.tokens, a, b) == want, (text, a, b)
                asked += 1
    assert asked > 10000


@pytest.mark.skipif(native.ends is None, reason="the compiled scan is not built (or MARSAD_PURE)")
def test_the_lexicons_step_answers_the_taggers_organisations():
    """The lexicons step scans the tagger's organisations with its four lexicons: the ner step
    after it finds them answered for the text, the very hits of a scan of their own."""
    from marsad.ner.features import org_matcher
    run = L.component()
    orgs = org_matcher()
    for text in _reports(30, seed=7) + ["قالت جبهة النصرة إن تنظيم الدولة الإسلامية انسحب"]:
        doc = Doc(text)
        run(doc)
        assert orgs._answered(doc.norm, 0, None)
        got = orgs.hits(doc.norm)
        assert got == orgs._hits(doc.norm, 0, len(doc.norm)), text


@pytest.mark.skipif(native.ends is None, reason="the compiled scan is not built (or MARSAD_PURE)")
def test_joint_scan_hits_take_the_docs_shared_ints():
    """``hits_together``'s compiled hits are the Python scan's (``_hits_py``) tuple for tuple;
    their word start, end and pattern start are ``_doc.shared_ints``' own objects where the
    table reaches, and plain equal ints past it (a text longer than any Doc made so far)."""
    from marsad.lexicon import hits_together
    from marsad.text._doc import shared_ints

    matchers = [L._prepare(name) for name in NAMES]
    reports = _reports(300, seed=11)
    long_text = " ".join(reports)   # past the table's end: its hits' ints are made as before
    Doc(reports[0], None)
    shared, past = 0, 0
    for text in reports + [long_text]:
        norm = normalize(text)[0]
        ints = shared_ints()
        for m, got in zip(matchers, hits_together(matchers, norm)):
            want = list(m._hits_py(norm, 0, len(norm)))
            assert got == want and all(a[4] is b[4] for a, b in zip(got, want)), text
            for h in got:
                for v in h[:3]:
                    assert type(v) is int
                    if v < len(ints):
                        assert v is ints[v]
                        shared += 1
                    else:
                        past += 1
    assert shared > 10_000 and past > 100
