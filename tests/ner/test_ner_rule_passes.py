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


def _pure(monkeypatch, fn, *args):
    """fn(*args) on the Python path: each Python twin asks its compiled one first where built."""
    from marsad.ner import features

    with monkeypatch.context() as m:
        m.setattr(tagger_mod, "_native", None)
        m.setattr(persons, "decoder", None)
        m.setattr(features, "_decoder", None)
        return fn(*args)


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
def test_compiled_clean_codes_equal_the_python_ones(monkeypatch):
    rnd = np.random.default_rng(11)
    tagger = tagger_mod.default_tagger()
    seen = set()
    for doc in _docs():
        runs = [tagger.tag_doc(doc)] + [_random_mentions(rnd, len(doc.tokens)) for _ in range(60)]
        for found in runs:
            want = _pure(monkeypatch, tagger_mod._clean_codes, *_codes_args(doc, found))
            assert native.clean_codes(*_codes_args(doc, found)) == want
            assert tagger_mod._clean_codes(*_codes_args(doc, found)) == want
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
def test_compiled_org_ranges_equal_the_python_ones(monkeypatch):
    rnd = np.random.default_rng(17)
    for doc in _docs() + [Doc("")]:
        toks, n = doc.tokens, len(doc.norm)
        spans = [tuple(sorted(rnd.integers(-2, n + 3, size=2).tolist())) for _ in range(300)]
        spans += [(t.start, t.end) for t in toks] + [(t.start + 1, t.end - 1) for t in toks]
        want = _pure(monkeypatch, tagger_mod._org_ranges, toks, spans)
        assert native.org_ranges(toks, spans) == want == tagger_mod._org_ranges(toks, spans)
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
def test_compiled_blank_after_equals_the_python_one(monkeypatch):
    rnd = np.random.default_rng(19)
    for text in TEXTS + ['قالت جمعية " كاريكاتير إيران "\n« أ »  \u00a0"ب" \'ج\'', "", "«"]:
        doc = Doc(text)
        positions = sorted(set(rnd.integers(0, len(doc.norm) + 2, size=80).tolist()))
        positions += [i for i, c in enumerate(doc.norm) if c in tagger_mod._QUOTES]
        want = _pure(monkeypatch, tagger_mod._blank_after, doc.norm, doc.tokens, positions)
        assert native.blank_after(doc.norm, doc.tokens, positions) == want


def test_the_hamza_seats_are_found_as_written():
    from marsad.ner.features import seat_positions

    text = "هادئ ومؤتمر \ufe89\ufe86 سائر abc"
    want = [3, 7, 12, 13, 17]
    assert seat_positions(text) == want
    if native is not None:
        assert native.seats(text) == want


@needs_native
def test_compiled_seats_equal_the_python_ones(monkeypatch):
    from marsad.ner.features import seat_positions

    rnd = np.random.default_rng(23)
    pool = list("ئؤءأاي abé\U0001d400") + ["\ufe84", "\ufe85", "\ufe86", "\ufe87", "\ufe88", "\ufe89", "\ufe8c", "\ufe8d"]
    texts = TEXTS + ["", "abc", "é", "\U0001d400ئ"]
    texts += ["".join(rnd.choice(pool, size=int(rnd.integers(0, 40)))) for _ in range(500)]
    # two-byte text (the news), read as such: the letters beside the seats' codes, both forms' ends
    two = list("ئؤءأإآاىيةؠ ab") + [chr(c) for c in range(0xFE83, 0xFE8F)] + ["ܤ", "Ԧ", "Ｆ"]
    texts += ["".join(rnd.choice(two, size=int(rnd.integers(1, 40)))) for _ in range(500)]
    # longer two-byte text, eight letters at a time: seats at each place of a block, and at the end
    texts += ["ب" * k + "ئ" + "ب" * j for k in range(17) for j in range(10)]
    texts += ["".join(rnd.choice(["ب", "ب", "ب", "ب", "ب", "ب", *two], size=int(rnd.integers(40, 300))))
              for _ in range(300)]
    for text in texts:
        assert native.seats(text) == _pure(monkeypatch, seat_positions, text), text


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


def _random_orgs(rnd, n_tokens: int, k: int) -> list[tuple[int, int, int]]:
    """k listed names' token ranges [i, j) with their core start (i, or i + 1 after a head word)."""
    out = []
    for _ in range(k):
        i = int(rnd.integers(0, n_tokens))
        j = int(rnd.integers(i + 1, min(i + 5, n_tokens) + 1))
        out.append((i, j, i + int(j - i > 1 and rnd.random() < 0.3)))
    return out


@needs_native
def test_compiled_org_merge_equals_the_python_one(monkeypatch):
    """``_decode.org_merge`` keeps and adds the mentions ``tagger._org_merge`` does, in its order,
    the kept ones the same objects; on names that overlap (what ``_longest`` leaves) and not."""
    rnd = np.random.default_rng(29)
    outcomes = set()
    for n in (1, 2, 6, 30, 120):
        for _ in range(150):
            ms = _random_mentions(rnd, n)
            raw = _random_orgs(rnd, n, int(rnd.integers(0, 6)))
            for orgs in (raw, tagger_mod._longest(raw)):
                want = _pure(monkeypatch, tagger_mod._org_merge, ms, orgs)
                got = native.org_merge(ms, orgs, Mention)
                assert got == want == tagger_mod._org_merge(ms, orgs)
                if got is None:
                    outcomes.add("none")
                    continue
                old = [[any(x is m for m in ms) for x in out] for out in (got, want)]
                assert old[0] == old[1]
                outcomes.add("dropped" if sum(old[0]) < len(ms) else "added")
    assert outcomes == {"none", "dropped", "added"}


def test_a_listed_name_replaces_the_pieces_it_holds_and_is_added_where_untagged(monkeypatch):
    for pure in (True, False):
        if not pure and native is None:
            continue
        ms = [Mention("LOC", 1, 1, 0.5), Mention("ORG", 3, 3, 0.5), Mention("ORG", 4, 4, 0.6), Mention("PER", 8, 9, 0.7)]
        orgs = [(3, 5, 3), (6, 8, 6), (0, 1, 0)]   # two pieces of one name; a name untagged; one that ends before it
        with monkeypatch.context() as m:
            if pure:
                m.setattr(tagger_mod, "_native", None)
            got = tagger_mod.Tagger._add_orgs(ms, orgs)
        assert [(m.type, m.first, m.last, m.score) for m in got] == [
            ("ORG", 0, 0, 1.0), ("LOC", 1, 1, 0.5), ("ORG", 3, 4, 1.0), ("ORG", 6, 7, 1.0), ("PER", 8, 9, 0.7)]


def test_every_word_naming_a_quote_is_among_the_quote_forms():
    """``_quote_forms`` is asked before ``_names_quote``: a word it leaves out names no quote."""
    from marsad.ner.features import cue_words
    from marsad.text import PROCLITICS

    forms = tagger_mod._quote_forms()
    words = [p + w for w in cue_words() for p in ("",) + PROCLITICS]
    words += [t.norm for doc in _docs() for t in doc.tokens]
    named = [w for w in words if tagger_mod._names_quote(w)]
    assert named and all(w in forms for w in named)
    assert "شركه" in forms and "والشركه" not in forms and not tagger_mod._names_quote("والشركه")


@needs_native
def test_compiled_nationalities_dropped_equals_the_python_one(monkeypatch):
    """``_decode.nationalities_dropped`` moves and drops the persons ``persons.nationalities_dropped``
    does, on persons that start with a country adjective (alone, with و or لل) and others."""
    rnd = np.random.default_rng(31)
    texts = TEXTS + ["التقى الرئيس الكوبي راؤول كاسترو والتركي أردوغان وقال للكيني كيبلاغات إن الأرجنتيني ميسي فاز."]
    moved = 0
    for doc in map(Doc, texts):
        n = len(doc.tokens)
        runs = [_random_mentions(rnd, n) for _ in range(40)]
        runs += [[Mention("PER", k, min(k + int(rnd.integers(0, 3)), n - 1), 0.5) for k in range(0, n, 3)]]
        for found in runs:
            want = _pure(monkeypatch, persons.nationalities_dropped, doc, copy.deepcopy(found))
            got = native.nationalities_dropped(copy.deepcopy(found), doc.tokens, persons._introduces)
            assert got == want == persons.nationalities_dropped(doc, copy.deepcopy(found))
            moved += got != found
    assert moved


# quotes of each kind, a closing mark without an opening one, Latin text and a four-byte letter
QUOTE_TEXTS = TEXTS + [
    'قالت صحيفة " السفير " إن شركة « أمريكان أكسبريس » و“الجزيرة” نشرت \'بيانا\'.',
    "»« ” “ '' \"\"",
    'He said "yes" and \'no\'.',
    "نص بلا علامة اقتباس",
    "\U0001d400 « اسم » \"",
    "",
]


def test_quote_starts_are_every_opening_mark_in_order(monkeypatch):
    """The opening quotes ``_quoted_names`` reads: each of " « “ ', where they stand, in order
    (not » nor ”, which only close)."""
    for pure in (True, False):
        if not pure and native is None:
            continue
        with monkeypatch.context() as m:
            if pure:
                m.setattr(tagger_mod, "_native", None)
            norm = Doc(QUOTE_TEXTS[5]).norm
            got = tagger_mod._quote_starts(norm)
        assert [norm[i] for i in got] == [c for c in norm if c in "«“'\""]
        assert got == sorted(got)


@needs_native
def test_compiled_quote_starts_and_outside_equal_the_python_ones(monkeypatch):
    rnd = np.random.default_rng(11)
    for text in QUOTE_TEXTS:
        for norm in (text, Doc(text).norm if text else text):
            assert native.quote_starts(norm, tagger_mod._QUOTE_MARKS) == \
                _pure(monkeypatch, tagger_mod._quote_starts, norm)
        n = len(Doc(text).tokens) if text else 0
        for _ in range(5):
            ms = _random_mentions(rnd, n)
            inside = bytearray(rnd.integers(0, 2, n).astype(np.uint8).tobytes()) if n else bytearray()
            got, want = native.outside(ms, inside), _pure(monkeypatch, tagger_mod._outside, ms, inside)
            assert [id(m) for m in got] == [id(m) for m in want]   # the very mentions, in order
    # two-byte text: letters beside the marks' high bytes (U+20xx dashes and quotes that open
    # nothing, U+00AB's neighbours), read as such
    pool = list("«»“”‘’„‟—–\u201b\u2020\u00aa\u00ac\"' احب") + ["\u0620", "\u06ab", "\uab20"]
    for _ in range(300):
        text = "".join(rnd.choice(pool, size=int(rnd.integers(1, 30))))
        assert native.quote_starts(text, tagger_mod._QUOTE_MARKS) == \
            _pure(monkeypatch, tagger_mod._quote_starts, text), text
    # more marks past U+00FF than the compiled table keeps: each letter asked of all of them
    many = "".join(chr(0x2010 + i) for i in range(10)) + '"'
    text = "ا\u2012ب\u2019ج\"" * 3
    assert native.quote_starts(text, many) == [i for i, c in enumerate(text) if c in many]


@needs_native
def test_compiled_gazetteer_marks_write_the_slots_as_the_python_ones(monkeypatch):
    rnd = np.random.default_rng(5)
    for n in (0, 1, 7, 40):
        flags = rnd.integers(0, 4, n).astype(np.uint8)
        ms = _random_mentions(rnd, n)
        a, b = copy.deepcopy(ms), copy.deepcopy(ms)
        native.gazetteer_marks(a, flags)
        _pure(monkeypatch, tagger_mod._gazetteer_marks, b, flags)
        assert [(m.gazetteer, m.in_gazetteer) for m in a] == [(m.gazetteer, m.in_gazetteer) for m in b]
        assert all(type(m.gazetteer) is bool and type(m.in_gazetteer) is bool for m in a)


@needs_native
def test_compiled_repeat_tests_equal_the_python_ones(monkeypatch):
    """``repeated_names``' passes (the persons' words, the tokens that are a last word behind a
    name proclitic) and ``_breaks_name``'s readings of a word, compiled and in Python."""
    from marsad.ner.features import cue_words, name_breaks
    from marsad.text.tokens import _BY_FIRST

    rnd = np.random.default_rng(3)
    texts = TEXTS + ["زار بلير لندن ثم قال وبلير ولبلير فبلير بلير إن العميد الركن قاسم وللشيخ أحمد عمه"]
    for text in texts:
        doc = Doc(text)
        toks = doc.tokens
        words = [t.norm for t in toks]
        for _ in range(6):
            ms = _random_mentions(rnd, len(toks))
            assert native.words_of(ms, toks, "PER") == _pure(monkeypatch, persons._words_of, ms, toks, "PER")
            taken = persons.covered(ms[::2], len(toks))
            lasts = {w: (0.5, "ي") for w in rnd.choice(words, size=min(4, len(words)), replace=False)} if words else {}
            lasts.update({"بلير": (0.5, "ر"), "x": (0.5, "x")} if rnd.random() < 0.3 else {})
            want = _pure(monkeypatch, persons._repeat_ends, toks, lasts, taken)
            assert native.repeat_ends(toks, lasts, persons._NAME_PROCLITICS, taken) == want
        lasts = {"بلير": (0.5, "ر")}
        got = native.repeat_ends(toks, lasts, persons._NAME_PROCLITICS, bytearray(len(toks)))
        if "بلير" in text:
            assert [words[k] for k in got] == ["بلير", "وبلير", "ولبلير", "فبلير", "بلير"]
    cues, breaks = cue_words(), name_breaks()
    probe = [t.norm for text in texts for t in Doc(text).tokens]
    probe += sorted(breaks)[::3] + ["لل" + w[2:] for w in sorted(breaks) if w.startswith("ال")]
    probe += ["و" + w for w in sorted(breaks)[::5]] + ["الرئيس", "للرئيس", "والعميد", "", "ال"]
    seen = set()
    for w in probe:
        for titles in (True, False):
            got = native.breaks_word(w, titles, _BY_FIRST, cues, breaks)
            assert got == persons._breaks_word_py(w, titles), (w, titles)
            seen.add(got)
    assert seen == {True, False}
