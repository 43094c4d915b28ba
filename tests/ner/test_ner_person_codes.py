"""The pass that spares ``persons.person_names`` its Python for most mentions
(``persons._person_codes``: 0 for a mention its rules leave as it is), and the compiled passes
the rules share (``_decode.person_codes``, ``covered`` reading a mention's slots, ``tokens_in``
with a set's own test): each compiled twin gives the Python one's answer call by call, and
``person_names`` with the codes gives what it gives asking its rules of every mention."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest

from marsad.doc import Doc
from marsad.ner import persons
from marsad.ner.mention import Mention

native = persons.decoder
needs_native = pytest.mark.skipif(native is None, reason="the compiled decoder is not built")

# persons side by side, cut at و, across punctuation (a quote, a colon, brackets, a comma), two
# words with no blank between them, a title or an adjective at a joint
TEXTS = [
    "وكرر بوش وبلير خلال لقائهما موقفهما. وحضر محمد علي وصالح سعيد وخالد أحمد الحفل.",
    "وقال خوسي لويس ثاباتيرو إن محمود عباس ( أبو مازن ) التقى كيم جونغ - ايل أمس.",
    'وقال عباس " مازلنا نأمل " بينما أكد رشيد ، صباح: لا جديد. العميد الركن قاسم المحمدي',
    "شافيز ولوكاشنكو وكانافارو وإيمرسون والأرجنتيني ميسي بالكولومبي فالكاو عبد الملك الحوثي",
    "حضر أحمد،علي و سعيد المصري (الناطق)",
]


def _docs():
    return [Doc(t) for t in TEXTS]


def _random_mentions(rnd, n_tokens: int, per: float = 0.6) -> list[Mention]:
    """Mentions in token order, not overlapping, most of them persons, often side by side."""
    out, k = [], int(rnd.integers(0, 2))
    while k < n_tokens:
        size = min(int(rnd.integers(1, 5)), n_tokens - k)
        typ = "PER" if rnd.random() < per else str(rnd.choice(["LOC", "ORG", "MISC"]))
        out.append(Mention(typ, k, k + size - 1, float(rnd.choice([0.5, 0.75, 0.9]))))
        k += size + int(rnd.integers(0, 2))
    return out


def _fields(ms):
    return [(m.type, m.first, m.last, m.score, m.gazetteer, m.in_gazetteer) for m in ms]


def _python_codes(mentions, toks, norm, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(persons, "decoder", None)
        return persons._person_codes(mentions, toks, norm)


def test_codes_leave_plain_persons_and_other_types_alone(monkeypatch):
    monkeypatch.setattr(persons, "decoder", None)
    doc = Doc("وقال محمد علي إن بوش وبلير في لندن مع أحمد ، صالح اليوم.")
    words = [t.norm for t in doc.tokens]
    at = words.index
    ms = [Mention("PER", at("محمد"), at("علي"), 0.8),            # plain: kept as it is
          Mention("PER", at("بوش"), at("وبلير"), 0.8),           # a word with و: the rules
          Mention("LOC", at("لندن"), at("لندن"), 0.8),           # another type
          Mention("PER", at("احمد"), at("صالح"), 0.8)]           # across a comma: the rules
    assert persons._person_codes(ms, doc.tokens, doc.norm) == bytearray([0, 1, 0, 1])
    # a person right after another mention may be joined to it: the rules
    side = [Mention("LOC", 0, 0, 0.8), Mention("PER", 1, 1, 0.8), Mention("PER", 2, 3, 0.8)]
    assert persons._person_codes(side, doc.tokens, doc.norm) == bytearray([0, 1, 1])


@needs_native
def test_compiled_person_codes_equal_the_python_ones(monkeypatch):
    rnd = np.random.default_rng(17)
    seen = set()
    for doc in _docs():
        toks = doc.tokens
        plain = [SimpleNamespace(start=t.start, end=t.end, norm=t.norm, sent=t.sent) for t in toks]
        for _ in range(80):
            ms = _random_mentions(rnd, len(toks))
            want = _python_codes(ms, toks, doc.norm, monkeypatch)
            assert native.person_codes(ms, toks, doc.norm) == want
            assert native.person_codes(ms, plain, doc.norm) == want   # tokens asked by name
            other = [SimpleNamespace(type=m.type, first=m.first, last=m.last) for m in ms]
            assert native.person_codes(other, toks, doc.norm) == want  # mentions asked by name
            assert persons._person_codes(ms, toks, doc.norm) == want
            seen.update(want)
    assert seen == {0, 1}


@pytest.mark.parametrize("pure", [True, False])
def test_person_names_with_codes_is_person_names_asking_every_mention(monkeypatch, pure):
    """A mention coded 0 is one the rules would keep as it is: asking them of every mention (code
    1 throughout) gives the same mentions, field for field."""
    if not pure and native is None:
        pytest.skip("the compiled decoder is not built")
    if pure:
        monkeypatch.setattr(persons, "decoder", None)
    rnd = np.random.default_rng(19)
    kept = 0
    for doc in _docs():
        for _ in range(80):
            ms = _random_mentions(rnd, len(doc.tokens))
            got = persons.person_names(doc, copy.deepcopy(ms))
            with monkeypatch.context() as m:
                m.setattr(persons, "_person_codes", lambda ms, toks, norm: bytearray([1]) * len(ms))
                want = persons.person_names(doc, copy.deepcopy(ms))
            assert _fields(got) == _fields(want)
            kept += persons._person_codes(ms, doc.tokens, doc.norm).count(0)
    assert kept > 100


@needs_native
def test_compiled_covered_reads_slots_and_names_alike():
    rnd = np.random.default_rng(23)
    for n in (0, 1, 7, 60):
        ms = _random_mentions(rnd, n)
        want = bytearray(n)
        for m in ms:
            want[m.first:m.last + 1] = b"\1" * (m.last - m.first + 1)
        other = [SimpleNamespace(first=m.first, last=m.last) for m in ms]
        assert native.covered(ms, n) == native.covered(other, n) == want


@needs_native
def test_compiled_tokens_in_takes_sets_frozensets_and_other_containers():
    toks = Doc(TEXTS[0] + " " + TEXTS[3]).tokens
    words = [t.norm for t in toks]
    some = words[::3] + ["غير موجودة"]
    want = [k for k, w in enumerate(words) if w in set(some)]
    assert want and len(want) < len(words)
    for box in (set(some), frozenset(some), dict.fromkeys(some), tuple(some)):
        assert native.tokens_in(toks, box) == want


# titles and given names, words the news does not know (foreign names) after a title or a
# nationality, a proclitic before a hamza seat (بأن), a given name written with ى (على), a
# diacritic inside a word, plural endings, لل, two accusatives of news words, Latin, the text's end
INTRO_TEXTS = [
    "وقال الرئيس الكوبي راؤول كاسترو إن الشيخ أحمد والإمام علي التقيا الحاكم القاجاري بأن.",
    "وفاز التشيكي بافل ندفيد على الكونغولي شاباني نوندا وللكيني كيبلاغات كيبكورير بسرعة",
    "أكد الفريق سيقاطع والرئيس على عزما أكيدا مسنودًا يحلقون مفتقرين للملامح د اعش الشيخة حسينة",
    "الرئيس Obama والأرجنتيني ميسي ، الإيطالي فرانشيسكو توتي. الدكتور",
]


@needs_native
def test_compiled_introduced_spans_equal_the_python_ones(monkeypatch):
    """Every token a candidate, each word's title and nationality flags drawn at random (the
    compiled loop asks the given introduces), random tokens taken: the same spans, the same
    tokens marked taken."""
    from marsad.ner.features import cluster_table, cue_words

    rnd = np.random.default_rng(29)
    known = cluster_table() or {}
    found = 0
    for text in INTRO_TEXTS:
        doc = Doc(text)
        toks = doc.tokens
        words = sorted({t.norm for t in toks})
        for _ in range(60):
            flags = {w: (bool(rnd.random() < 0.4), bool(rnd.random() < 0.4)) for w in words}
            taken = bytearray((rnd.random(len(toks)) < 0.2).astype(np.uint8).tobytes())
            cands = [k for k in range(len(toks) - 1) if rnd.random() < 0.7]
            with monkeypatch.context() as m:
                m.setattr(persons, "decoder", None)
                m.setattr(persons, "_introduces", flags.__getitem__)
                want_taken = bytearray(taken)
                want = persons._introduced_spans(doc, cands, want_taken, known)
            got_taken = bytearray(taken)
            got = native.introduced_spans(toks, doc.text, doc.offsets, doc.norm, cands, got_taken, cue_words(),
                                          known, flags.__getitem__, persons._inflected, persons.NAME_WORDS)
            assert got == want and got_taken == want_taken
            found += len(want)
    assert found > 50


@pytest.mark.parametrize("pure", [True, False])
def test_introduced_names_on_composed_reports(monkeypatch, pure):
    if not pure and native is None:
        pytest.skip("the compiled decoder is not built")
    if pure:
        monkeypatch.setattr(persons, "decoder", None)
    doc = Doc(INTRO_TEXTS[1])
    words = [t.norm for t in doc.tokens]
    out = persons.introduced_names(doc, [])
    assert [" ".join(words[m.first:m.last + 1]) for m in out] == ["بافل ندفيد", "شاباني نوندا", "كيبلاغات كيبكورير"]
