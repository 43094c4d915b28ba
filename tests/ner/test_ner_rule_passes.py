"""The passes that spare the tagger's rules their Python per mention or per token: the tokens
inside mentions (``persons.covered``), what ``Tagger._clean`` may do with each mention
(``tagger._clean_codes``) the token ranges of the listed organisations (``tagger._org_ranges``) and the quote marks right after
a word (``tagger._blank_after``), where the hamza seats are (``features.seat_positions``) and the tokens of several word sets
in one pass (``persons.tokens_by_kind``). Each compiled twin (``_decode.covered``,
``clean_codes``, ``org_ranges``, ``blank_after``, ``seats``, ``tokens_by_kind``) gives the Python one's
answer call by call, and ``_clean`` with the codes gives what its rules give asked of every
mention."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from marsad.doc import Doc
from marsad.ner import persons
from marsad.ner import tagger as tagger_mod
from marsad.ner.features import adjective_heads, org_tails
from marsad.ner.mention import Mention
from marsad.ner.nationalities import country_adjectives

native = tagger_mod._native
needs_native = pytest.mark.skipif(native is None, reason="the compiled decoder is not built")

# composed texts with what each of _clean's rules reads: tanween, Latin beside Arabic, ريف before
# a place, words for an organisation's kind, a country adjective, a complement with لل, an
# outlet's web edition, an adjective that is also an organisation word
TEXTS = [
    "قال مسؤول إن الوضع مستقر سياسيًا وأمنيًا في ريف حلب الشمالي بعد قصف جامعة زيورخ أمس.",
    "RT @user الإمارات ترحب. وأعلنت منظمة التحرير الفلسطينية وجامعة ريكو اليابانية موقفهما.",
    "نقلت قناة الجزيرة نت عن المنظمة العالمية للملكية الفكرية أن اللجنة المنظمة للبطولة اجتمعت.",
    "وقالت حركة طالبان إن جريدة القدس وصحيفة الأهرام نشرتا بيانا عن ريف إدلب ومدينة حماة.",
    "سيطر تنظيم القاعدة في جزيرة العرب على بلدة في ريف، ثم انسحب. ASD-7 حلب كثيرًا",
]


def _random_mentions(rnd, n_tokens: int) -> list[Mention]:
    """Mentions in token order, not overlapping, of random types and lengths."""
    out, k = [], int(rnd.integers(0, 2))
    while k < n_tokens:
        size = min(int(rnd.integers(1, 4)), n_tokens - k)
        out.append(Mention(str(rnd.choice(["LOC", "PER", "ORG", "MISC"])), k, k + size - 1, 0.5))
        k += size + int(rnd.integers(0, 3))
    return out


def _docs():
    return [Doc(t) for t in TEXTS]


def test_covered_marks_the_tokens_inside_the_mentions(monkeypatch):
    monkeypatch.setattr(persons, "decoder", None)
    ms = [Mention("PER", 1, 2, 0.5), Mention("LOC", 4, 4, 0.5)]
    assert persons.covered(ms, 6) == bytearray([0, 1, 1, 0, 1, 0])
    assert persons.covered([], 3) == bytearray(3)


@needs_native
def test_compiled_covered_equals_the_python_one():
    rnd = np.random.default_rng(7)
    for n in (0, 1, 5, 40):
        ms = _random_mentions(rnd, n)
        want = bytearray(n)
        for m in ms:
            for k in range(m.first, m.last + 1):
                want[k] = 1
        assert native.covered(ms, n) == want
    assert persons.decoder is not None and persons.covered(ms, n) == want


def _codes_args(doc, found):
    text = doc.text
    return (found, doc.tokens, text, doc.offsets, any(c in text for c in tagger_mod._TANWEEN_MARKS),
            tagger_mod._head_forms(), tagger_mod._COUNTRYSIDE, adjective_heads(), country_adjectives(), org_tails())


@needs_native
def test_compiled_clean_codes_equal_the_python_ones():
    rnd = np.random.default_rng(11)
    tagger = tagger_mod.default_tagger()
    seen = set()
    for doc in _docs():
        runs = [tagger.tag_doc(doc)] + [_random_mentions(rnd, len(doc.tokens)) for _ in range(60)]
        for found in runs:
            want = tagger_mod._clean_codes(*_codes_args(doc, found))
            assert native.clean_codes(*_codes_args(doc, found)) == want
            seen.update(want)
    assert seen == {0, 1, 2}


@pytest.mark.parametrize("pure", [True, False])
def test_clean_with_codes_is_clean_asking_every_mention(monkeypatch, pure):
    """A mention coded 0 is one no rule of ``_clean`` would change, 1 one it would drop: asking
    the rules of every mention (code 2 throughout) gives the same mentions."""
    if not pure and native is None:
        pytest.skip("the compiled decoder is not built")
    if pure:
        monkeypatch.setattr(tagger_mod, "_native", None)
    tagger = tagger_mod.default_tagger()
    rnd = np.random.default_rng(13)
    changed = 0
    for doc in _docs():
        for found in [tagger.tag_doc(doc)] + [_random_mentions(rnd, len(doc.tokens)) for _ in range(80)]:
            got = tagger._clean(doc, copy.deepcopy(found), None)
            with monkeypatch.context() as m:
                m.setattr(tagger_mod, "_native", None)
                m.setattr(tagger_mod, "_clean_codes", lambda found, *_: bytearray([2]) * len(found))
                want = tagger._clean(doc, copy.deepcopy(found), None)
            assert got == want
            changed += got != found
    assert changed   # the rules did drop or change mentions


def test_a_tanween_word_and_a_name_across_scripts_are_dropped_and_a_plain_name_kept():
    doc = Doc("قال مسؤول إن الوضع مستقر سياسيًا في حلب. RT @user الإمارات ترحب.")
    words = [t.norm for t in doc.tokens]
    adverb, place, latin = words.index("سياسيا"), words.index("حلب"), words.index("user")
    found = [Mention("MISC", adverb, adverb, 0.5), Mention("LOC", place, place, 0.5),
             Mention("LOC", latin, latin + 1, 0.5)]
    assert list(tagger_mod._clean_codes(*_codes_args(doc, found))) == [1, 0, 1]
    out = tagger_mod.default_tagger()._clean(doc, found, None)
    assert [(m.type, m.first, m.last) for m in out] == [("LOC", place, place)]


def test_org_ranges_are_the_tokens_a_span_covers_in_one_sentence():
    doc = Doc("قصفت حركة طالبان المدينة. ثم انسحبت")
    toks = doc.tokens
    a, b = toks[1].start, toks[2].end
    assert tagger_mod._org_ranges(toks, [(a, b)]) == [(1, 3)]
    assert tagger_mod._org_ranges(toks, [(toks[3].start, toks[4].end)]) == []   # across a sentence end
    if native is not None:
        assert native.org_ranges(toks, [(a, b)]) == [(1, 3)]


@needs_native
def test_compiled_org_ranges_equal_the_python_ones():
    rnd = np.random.default_rng(17)
    for doc in _docs() + [Doc("")]:
        toks, n = doc.tokens, len(doc.norm)
        spans = [tuple(sorted(rnd.integers(-2, n + 3, size=2).tolist())) for _ in range(300)]
        spans += [(t.start, t.end) for t in toks] + [(t.start + 1, t.end - 1) for t in toks]
        want = tagger_mod._org_ranges(toks, spans)
        assert native.org_ranges(toks, spans) == want
        assert not toks or want


def test_a_quote_mark_is_after_the_word_before_it_with_only_spaces_between():
    doc = Doc('صحيفة " السفير " و("حلب")')
    norm, toks = doc.norm, doc.tokens
    marks = [i for i, c in enumerate(norm) if c in '"(']   # 6, 15, 18 (, 19, 23
    got = tagger_mod._blank_after(norm, toks, marks)
    # each after the word before it; not the quote after و( : a bracket between
    assert got == [(6, 0), (15, 1), (18, 2), (23, 3)] and marks[3] == 19
    if native is not None:
        assert native.blank_after(norm, toks, marks) == got


@needs_native
def test_compiled_blank_after_equals_the_python_one():
    rnd = np.random.default_rng(19)
    for text in TEXTS + ['قالت جمعية " كاريكاتير إيران "\n« أ »  \u00a0"ب" \'ج\'', "", "«"]:
        doc = Doc(text)
        positions = sorted(set(rnd.integers(0, len(doc.norm) + 2, size=80).tolist()))
        positions += [i for i, c in enumerate(doc.norm) if c in tagger_mod._QUOTES]
        want = tagger_mod._blank_after(doc.norm, doc.tokens, positions)
        assert native.blank_after(doc.norm, doc.tokens, positions) == want


def test_the_hamza_seats_are_found_as_written():
    from marsad.ner.features import seat_positions

    text = "هادئ ومؤتمر \ufe89\ufe86 سائر abc"
    want = [3, 7, 12, 13, 17]
    assert seat_positions(text) == want
    if native is not None:
        assert native.seats(text) == want


@needs_native
def test_compiled_seats_equal_the_python_ones():
    from marsad.ner.features import seat_positions

    rnd = np.random.default_rng(23)
    pool = list("ئؤءأاي abé\U0001d400") + ["\ufe84", "\ufe85", "\ufe86", "\ufe87", "\ufe88", "\ufe89", "\ufe8c", "\ufe8d"]
    texts = TEXTS + ["", "abc", "é", "\U0001d400ئ"]
    texts += ["".join(rnd.choice(pool, size=int(rnd.integers(0, 40)))) for _ in range(500)]
    for text in texts:
        assert native.seats(text) == seat_positions(text), text


def test_the_tokens_of_each_word_set_in_one_pass_are_those_of_each_set(monkeypatch):
    """``Tagger._word_kinds``' bits: the tokens of each of the three rules' word sets, as
    ``tokens_in`` finds them set by set."""
    tagger = tagger_mod.default_tagger()
    kinds = tagger._word_kinds()
    sets = [tagger_mod._untagged_forms(), persons._speech_forms(), persons._name_forms(tagger._news_persons)]
    texts = TEXTS + ["وقال الرئيس إن صحيفة الأهرام ونادي النصر وأوباما وبوتين حضروا. فأشار شافيز"]
    hits = [0, 0, 0]
    for doc in map(Doc, texts):
        toks = doc.tokens
        got = persons.tokens_by_kind(toks, kinds, 3)
        for b, words in enumerate(sets):
            assert got[b] == [k for k, t in enumerate(toks) if t.norm in words]
            hits[b] += len(got[b])
        if native is not None:
            assert native.tokens_by_kind(toks, kinds, 3) == got
            monkeypatch.setattr(persons, "decoder", None)
            assert persons.tokens_by_kind(toks, kinds, 3) == got
            monkeypatch.undo()
    assert all(hits) or not tagger._news_persons
